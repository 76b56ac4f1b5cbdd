return {
  section = "engine/replication",
  title = "parts created in order A, B, C on the server are added on the client in the same order",
  network = { latency = 0.1 },
  server = [[
task.wait(0.5)
for _, n in ipairs({ "A", "B", "C" }) do
	local p = Instance.new("Part")
	p.Name = n
	p.Parent = workspace
end
]],
  client = [[
workspace.ChildAdded:Connect(function(c) print("added", c.Name) end)
]],
  expect = {
    output = {
      { "Player1: added A", at = 0.6 },
      { "Player1: added B", at = 0.6 },
      { "Player1: added C", at = 0.6 },
    },
  },
}
