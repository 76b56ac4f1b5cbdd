return {
  section = "engine/bindables",
  title = "BindableFunction:Invoke yields while OnInvoke waits, returning after 1 s",
  client = [[
local bf = Instance.new("BindableFunction")
bf.OnInvoke = function()
	task.wait(1)
	return "slow answer"
end
print("invoking")
print(bf:Invoke())
]],
  expect = {
    output = {
      { "Player1: invoking", at = 0 },
      { "Player1: slow answer", at = 1 },
    },
  },
}
