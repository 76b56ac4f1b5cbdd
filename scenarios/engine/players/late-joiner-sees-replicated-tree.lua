return {
  section = "engine/players",
  title = "a player joining at t=2 sees a part the server created at t=0.5, with its properties",
  clients = 1,
  timeline = { { at = 2, join = "Player2" } },
  server = [[
task.wait(0.5)
local p = Instance.new("Part")
p.Name = "Monument"
p.Position = Vector3.new(1, 2, 3)
p.Parent = workspace
]],
  client = [[
local m = workspace:FindFirstChild("Monument")
print(game.Players.LocalPlayer.Name, "sees", m and m.Name, m and m.Position)
]],
  expect = {
    output = {
      { "Player1: Player1 sees nil nil", at = 0 },
      { "Player2: Player2 sees Monument 1, 2, 3", at = 2 },
    },
  },
}
