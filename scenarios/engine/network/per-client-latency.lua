return {
  section = "engine/network",
  title = "a latency change for Player2 only: a FireAllClients reaches Player1 after 0.1 s and Player2 after 0.6 s",
  clients = 2,
  network = { latency = 0.1 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  timeline = { { at = 0.5, latency = 0.6, player = "Player2" } },
  server = [[
task.wait(1)
game.ReplicatedStorage.RemoteEvent:FireAllClients("hi")
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(m) print("got", m) end)
]],
  expect = {
    output = {
      { "Player1: got hi", at = 1.1 },
      { "Player2: got hi", at = 1.6 },
    },
  },
}
