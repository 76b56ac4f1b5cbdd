return {
  section = "engine/players",
  title = "a player who left and joins again is a new Player with the same Name and UserId",
  clients = 2,
  network = { latency = 0.05 },
  server = [[
local Players = game:GetService("Players")
local first
Players.PlayerAdded:Connect(function(p)
	print("added", p.Name, p.UserId, #Players:GetPlayers())
	if p.Name == "Player1" then
		if first == nil then first = p else print("a new object", p ~= first) end
		print("by id", Players:GetPlayerByUserId(p.UserId) == p)
	end
end)
Players.PlayerRemoving:Connect(function(p)
	print("removing", p.Name, p.UserId)
end)
task.wait(3)
print("old one", first.Parent, Players.Player1 ~= first)
]],
  timeline = {
    { at = 1, disconnect = "Player1" },
    { at = 2, join = "Player1" },
  },
  expect = {
    output = {
      { "server: added Player1 1 2", at = 0 },
      { "server: by id true", at = 0 },
      { "server: added Player2 2 2", at = 0 },
      { "server: removing Player1 1", at = 1 },
      { "server: added Player1 1 2", at = 2 },
      { "server: a new object true", at = 2 },
      { "server: by id true", at = 2 },
      { "server: old one nil true", at = 3 },
    },
  },
}
