return {
  section = "engine/players",
  title = "Players:GetPlayers() counts 2, then 3 after a join, then 2 after a disconnect",
  clients = 2,
  timeline = {
    { at = 1, join = "Player3" },
    { at = 2, disconnect = "Player1" },
  },
  server = [[
local Players = game:GetService("Players")
for _, t in ipairs({ 0.5, 1.5, 2.5 }) do
	task.wait(t - time())
	local names = {}
	for _, p in ipairs(Players:GetPlayers()) do table.insert(names, p.Name) end
	print(#names, table.concat(names, ","))
end
]],
  expect = {
    output = {
      { "server: 2 Player1,Player2", at = 0.5 },
      { "server: 3 Player1,Player2,Player3", at = 1.5 },
      { "server: 2 Player2,Player3", at = 2.5 },
    },
  },
}
