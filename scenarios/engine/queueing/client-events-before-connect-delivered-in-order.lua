return {
  section = "engine/queueing",
  title = "three FireClient events that arrive before the client connects are delivered in order on its first Connect (t=2)",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local player = game.Players:WaitForChild("Player1")
task.wait(0.5)
for i = 1, 3 do
	game.ReplicatedStorage.RemoteEvent:FireClient(player, "msg" .. i)
end
]],
  client = [[
task.wait(2)
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(m)
	print("got", m)
end)
]],
  expect = {
    output = {
      { "Player1: got msg1", at = 2 },
      { "Player1: got msg2", at = 2 },
      { "Player1: got msg3", at = 2 },
    },
  },
}
