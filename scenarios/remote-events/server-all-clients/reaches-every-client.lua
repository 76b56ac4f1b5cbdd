return {
  section = "remote-events/server-all-clients",
  title = "one FireAllClients call reaches all four connected clients",
  clients = 4,
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
task.wait(1)
game.ReplicatedStorage.RemoteEvent:FireAllClients("broadcast", 1)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(msg, n)
	print(game.Players.LocalPlayer.Name, "got", msg, n)
end)
]],
  expect = {
    output = {
      { "Player1: Player1 got broadcast 1", at = 1 },
      { "Player2: Player2 got broadcast 1", at = 1 },
      { "Player3: Player3 got broadcast 1", at = 1 },
      { "Player4: Player4 got broadcast 1", at = 1 },
    },
  },
}
