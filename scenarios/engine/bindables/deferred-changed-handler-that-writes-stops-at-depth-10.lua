-- A Changed handler that writes the property it listens to fires itself
-- again at each write; Roblox's re-entrancy limit of 10 ends the chain with
-- an error at the write (the write itself is made: the firing errors).
return {
  section = "engine/bindables",
  title = "Deferred: a Changed handler that writes its own property runs 10 times, then the write errors",
  duration = 2,
  server = [[
local n = 0
local part = Instance.new("Part")
part.Changed:Connect(function()
	n += 1
	part.Name = "P" .. n
end)
part.Name = "P0"
task.wait(1)
print("handler ran", n, part.Name)
]],
  expect = {
    output = { "server: handler ran 10 P10" },
    errors = { { peer = "server", match = "^ServerScriptService%.Script:5: Maximum event re%-entrancy depth exceeded for Changed$" } },
  },
}
