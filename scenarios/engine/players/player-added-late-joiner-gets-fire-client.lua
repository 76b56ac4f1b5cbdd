return {
  section = "engine/players",
  title = "FireClient from PlayerAdded reaches a player who joins mid-run (t=1)",
  clients = 0,
  network = { latency = 0.1 },
  timeline = { { at = 1, join = "Player1" } },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.Players.PlayerAdded:Connect(function(player)
	print("added", player.Name)
	game.ReplicatedStorage.RemoteEvent:FireClient(player, "hello " .. player.Name)
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(print)
]],
  expect = {
    output = {
      { "server: added Player1", at = 1 },
      { "Player1: hello Player1", at = 1.1 },
    },
  },
}
