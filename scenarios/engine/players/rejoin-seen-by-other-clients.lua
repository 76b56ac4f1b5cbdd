return {
  section = "engine/players",
  title = "other clients see a rejoining player leave and come back, whether they listen to Players or look later",
  clients = {
    { name = "Player1" },
    { name = "Player2", client = [[
local Players = game:GetService("Players")
Players.PlayerAdded:Connect(function(p) print("sees added", p.Name, p.UserId) end)
Players.PlayerRemoving:Connect(function(p) print("sees removing", p.Name) end)
]] },
    { name = "Player3", client = [[
local Players = game:GetService("Players")
local function look()
	local names = {}
	for _, p in Players:GetPlayers() do table.insert(names, p.Name .. "#" .. p.UserId) end
	table.sort(names)
	print("looks", table.concat(names, " "))
end
task.wait(0.5) look()
local before = Players:FindFirstChild("Player1")
task.wait(1) look()
task.wait(1.5) look()
print("old copy gone", before.Parent == nil, Players.Player1 ~= before)
]] },
  },
  network = { latency = 0.05 },
  timeline = {
    { at = 1, disconnect = "Player1" },
    { at = 2, join = "Player1" },
  },
  expect = {
    output = {
      { "Player3: looks Player1#1 Player2#2 Player3#3", at = 0.55 },
      { "Player2: sees removing Player1", at = 1.05 },
      { "Player3: looks Player2#2 Player3#3", at = 1.55 },
      { "Player2: sees added Player1 1", at = 2.05 },
      { "Player3: looks Player1#1 Player2#2 Player3#3", at = 3.05 },
      { "Player3: old copy gone true true", at = 3.05 },
    },
  },
}
