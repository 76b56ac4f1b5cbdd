return {
  section = "engine/bindables",
  title = "Immediate signal behaviour: the handler runs inside Fire, before the next line",
  signal_behavior = "Immediate",
  server = [[
local be = Instance.new("BindableEvent")
be.Event:Connect(function() print("handler") end)
print("before Fire")
be:Fire()
print("after Fire")
]],
  expect = { output = { "server: before Fire", "server: handler", "server: after Fire" } },
}
