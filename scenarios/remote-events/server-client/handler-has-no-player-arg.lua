return {
  section = "remote-events/server-client",
  title = "OnClientEvent handlers get the arguments without a Player in front",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.Players.PlayerAdded:Connect(function(player)
	game.ReplicatedStorage.RemoteEvent:FireClient(player, "alpha", 7)
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(...)
	local first = ...
	print("count", select("#", ...), "first", typeof(first), first)
end)
]],
  expect = { output = { "Player1: count 2 first string alpha" } },
}
