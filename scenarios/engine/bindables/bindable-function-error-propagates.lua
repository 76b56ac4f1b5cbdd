return {
  section = "engine/bindables",
  title = "an error in OnInvoke is raised in the caller of BindableFunction:Invoke",
  server = [[
local bf = Instance.new("BindableFunction")
bf.OnInvoke = function() error("bad input") end
local ok, err = pcall(function() return bf:Invoke() end)
print(ok, err)
]],
  expect = { output = { { match = "^server: false .*bad input$" } } },
}
