return {
  section = "engine/bindables",
  title = "BindableEvent:Fire on the server runs its Event handlers on the server with the arguments (no Player)",
  server = [[
local be = Instance.new("BindableEvent")
be.Event:Connect(function(...)
	print("handled", select("#", ...), ...)
end)
be:Fire("round", 3)
]],
  expect = { output = { "server: handled 2 round 3" } },
}
