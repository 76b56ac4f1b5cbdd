return {
  section = "engine/network",
  title = "FireClient at t=1 with 0.3 s latency arrives at t=1.3",
  network = { latency = 0.3 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local player = game.Players:WaitForChild("Player1")
task.wait(1 - time())
print("firing")
game.ReplicatedStorage.RemoteEvent:FireClient(player, "ping")
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(m) print("got", m) end)
]],
  expect = {
    output = {
      { "server: firing", at = 1 },
      { "Player1: got ping", at = 1.3 },
    },
  },
}
