return {
  section = "engine/bindables",
  title = "BindableFunction:Invoke returns every value OnInvoke returned",
  server = [[
local bf = Instance.new("BindableFunction")
bf.OnInvoke = function(a, b)
	return a * b, "product"
end
print(bf:Invoke(6, 7))
]],
  expect = { output = { "server: 42 product" } },
}
