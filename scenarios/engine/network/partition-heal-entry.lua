return {
  section = "engine/network",
  title = "a FireServer sent during a partition reaches the server when a separate heal entry ends it (t=2)",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  timeline = {
    { at = 0.5, partition = "Player1" },
    { at = 2, heal = "Player1" },
  },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, m) print("got", m) end)
]],
  client = [[
task.wait(1)
game.ReplicatedStorage.RemoteEvent:FireServer("during partition")
]],
  expect = { output = { { "server: got during partition", at = 2 } } },
}
