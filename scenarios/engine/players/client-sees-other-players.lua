return {
  section = "engine/players",
  title = "a client sees the other players' Player objects, and LocalPlayer is its own",
  clients = 2,
  client = [[
task.wait(0.5)
local Players = game:GetService("Players")
print("count", #Players:GetPlayers(), "me", Players.LocalPlayer.Name, Players.LocalPlayer == Players:FindFirstChild(Players.LocalPlayer.Name))
]],
  expect = {
    output = {
      "Player1: count 2 me Player1 true",
      "Player2: count 2 me Player2 true",
    },
  },
}
