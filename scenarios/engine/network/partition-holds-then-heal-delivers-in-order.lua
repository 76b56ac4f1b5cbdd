return {
  section = "engine/network",
  title = "events sent to a partitioned client are held and delivered in order when the partition heals at t=3",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  timeline = { { at = 1, partition = "Player1", heal_at = 3 } },
  server = [[
local player = game.Players:WaitForChild("Player1")
task.wait(1.5 - time())
game.ReplicatedStorage.RemoteEvent:FireClient(player, "a")
task.wait(0.5)
game.ReplicatedStorage.RemoteEvent:FireClient(player, "b")
game.ReplicatedStorage.RemoteEvent:FireClient(player, "c")
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(m) print("got", m) end)
]],
  expect = {
    output = {
      { "Player1: got a", at = 3 },
      { "Player1: got b", at = 3 },
      { "Player1: got c", at = 3 },
    },
  },
}
