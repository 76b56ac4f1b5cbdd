return {
  section = "engine/replication",
  title = "a part created just before FireClient is already on the client when the event arrives",
  network = { latency = 0.2 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local player = game.Players:WaitForChild("Player1")
task.wait(1 - time())
local p = Instance.new("Part")
p.Name = "Fresh"
p.Parent = workspace
game.ReplicatedStorage.RemoteEvent:FireClient(player, "Fresh")
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(name)
	local p = workspace:FindFirstChild(name)
	print("event for", name, "part found:", p ~= nil)
end)
]],
  expect = { output = { { "Player1: event for Fresh part found: true", at = 1.2 } } },
}
