return {
  section = "engine/players",
  title = "FireClient right after Players:WaitForChild(\"Player1\") returns is delivered to that player",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local player = game.Players:WaitForChild("Player1")
game.ReplicatedStorage.RemoteEvent:FireClient(player, "welcome")
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(m)
	print("got", m)
end)
]],
  expect = { output = { "Player1: got welcome" } },
}
