return {
  section = "engine/bindables",
  title = "Deferred signal behaviour (default): the handler runs after the firing code finishes its current run",
  server = [[
local be = Instance.new("BindableEvent")
be.Event:Connect(function() print("handler") end)
print("before Fire")
be:Fire()
print("after Fire")
]],
  expect = { output = { "server: before Fire", "server: after Fire", "server: handler" } },
}
