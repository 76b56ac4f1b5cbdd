return {
  section = "engine/network",
  title = "a timeline latency change to 0.5 s at t=2 makes later events take 0.5 s instead of 0.1 s",
  network = { latency = 0.1 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  timeline = { { at = 2, latency = 0.5, player = "Player1" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, m) print("got", m) end)
]],
  client = [[
task.wait(1 - time())
game.ReplicatedStorage.RemoteEvent:FireServer("before")
task.wait(2)
game.ReplicatedStorage.RemoteEvent:FireServer("after")
]],
  expect = {
    output = {
      { "server: got before", at = 1.1 },
      { "server: got after", at = 3.5 },
    },
  },
}
