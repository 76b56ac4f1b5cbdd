return {
  section = "engine/queueing",
  title = "queued events go to the first connected handler only; a handler connected later gets only new events",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local player = game.Players:WaitForChild("Player1")
task.wait(0.5)
game.ReplicatedStorage.RemoteEvent:FireClient(player, "queued")
task.wait(2)
game.ReplicatedStorage.RemoteEvent:FireClient(player, "fresh")
]],
  client = [[
task.wait(1)
local ev = game.ReplicatedStorage.RemoteEvent.OnClientEvent
ev:Connect(function(m) print("first handler", m) end)
task.wait(0.5)
ev:Connect(function(m) print("second handler", m) end)
]],
  expect = {
    output = {
      { "Player1: first handler queued", at = 1 },
      { "Player1: first handler fresh", at = 2.5 },
      { "Player1: second handler fresh", at = 2.5 },
    },
    output_excludes = { "Player1: second handler queued" },
  },
}
