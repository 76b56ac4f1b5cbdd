return {
  section = "engine/bindables",
  title = "a table returned from BindableFunction.OnInvoke arrives at the caller as a copy",
  server = [[
local bf = Instance.new("BindableFunction")
local kept = { hp = 10 }
bf.OnInvoke = function() return kept end
local got = bf:Invoke()
print(got == kept, got.hp)
]],
  expect = { output = { "server: false 10" } },
}
