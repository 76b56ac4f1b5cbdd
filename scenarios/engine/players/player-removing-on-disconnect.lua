return {
  section = "engine/players",
  title = "a timeline disconnect fires PlayerRemoving on the server at that time, and the Player leaves Players",
  clients = 2,
  timeline = { { at = 1.5, disconnect = "Player1" } },
  server = [[
local Players = game:GetService("Players")
Players.PlayerRemoving:Connect(function(p)
	print("removing", p.Name)
end)
task.wait(2)
print("left:", Players:FindFirstChild("Player1") == nil, "count", #Players:GetPlayers())
]],
  expect = {
    output = {
      { "server: removing Player1", at = 1.5 },
      { "server: left: true count 1", at = 2 },
    },
    output_excludes = { "server: removing Player2" },
  },
}
