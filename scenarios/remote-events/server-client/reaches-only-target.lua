return {
  section = "remote-events/server-client",
  title = "FireClient(Player2, ...) reaches Player2 only, not Player1 or Player3",
  clients = 3,
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
task.wait(1)
game.ReplicatedStorage.RemoteEvent:FireClient(game.Players.Player2, "for you")
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(msg)
	print("got", msg)
end)
]],
  expect = {
    output = { { "Player2: got for you", at = 1 } },
    output_excludes = { "Player1: got for you", "Player3: got for you" },
  },
}
