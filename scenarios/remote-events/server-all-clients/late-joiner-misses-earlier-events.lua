return {
  section = "remote-events/server-all-clients",
  title = "a player who joins later gets FireAllClients events sent after it joined, not earlier ones",
  clients = 1,
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  timeline = { { at = 2, join = "Player2" } },
  server = [[
task.wait(1)
game.ReplicatedStorage.RemoteEvent:FireAllClients("early")
task.wait(2)
game.ReplicatedStorage.RemoteEvent:FireAllClients("late")
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(msg)
	print("got", msg)
end)
]],
  expect = {
    output = {
      { "Player1: got early", at = 1 },
      { "Player2: Player2 joined", at = 2 },
      { "Player1: got late", at = 3 },
      { "Player2: got late", at = 3 },
    },
    output_excludes = { "Player2: got early" },
  },
}
