return {
  section = "engine/replication",
  title = "a part a client puts in Workspace stays on that client: the server and other clients never see it",
  clients = 2,
  server = [[
task.wait(1)
print("server sees", workspace:FindFirstChild("Mine"))
]],
  client = [[
if game.Players.LocalPlayer.Name == "Player1" then
	local p = Instance.new("Part")
	p.Name = "Mine"
	p.Parent = workspace
end
task.wait(1)
print("sees", workspace:FindFirstChild("Mine"))
]],
  expect = {
    output = {
      "server: server sees nil",
      "Player1: sees Mine",
      "Player2: sees nil",
    },
  },
}
