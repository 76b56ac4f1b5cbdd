return {
  section = "engine/bindables",
  title = "a table passed through BindableEvent:Fire arrives as a copy without its metatable",
  server = [[
local be = Instance.new("BindableEvent")
local original = setmetatable({ name = "x" }, { __index = { extra = 1 } })
be.Event:Connect(function(t)
	print(t == original, t.name, t.extra, getmetatable(t))
end)
be:Fire(original)
]],
  expect = { output = { "server: false x nil nil" } },
}
