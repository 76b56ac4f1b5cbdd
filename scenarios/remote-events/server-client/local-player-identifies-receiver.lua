return {
  section = "remote-events/server-client",
  title = "the receiving client learns who it is from Players.LocalPlayer",
  clients = 2,
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
task.wait(0.5)
for _, p in ipairs(game.Players:GetPlayers()) do
	game.ReplicatedStorage.RemoteEvent:FireClient(p, "hello")
end
]],
  client = [[
local Players = game:GetService("Players")
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(msg)
	print(msg, Players.LocalPlayer.Name, Players.LocalPlayer.ClassName)
end)
]],
  expect = {
    output = {
      "Player1: hello Player1 Player",
      "Player2: hello Player2 Player",
    },
  },
}
