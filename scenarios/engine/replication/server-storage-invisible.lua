return {
  section = "engine/replication",
  title = "ServerStorage and ServerScriptService contents are not visible to clients",
  tree = {
    ServerStorage = { Loot = "Part", Config = { class = "Folder", Inner = "Part" } },
    ReplicatedStorage = { Shared = "Part" },
  },
  server = [[
print("server sees", #game.ServerStorage:GetChildren(), game.ServerStorage:FindFirstChild("Loot") ~= nil)
]],
  client = [[
local ss = game:GetService("ServerStorage")
print("client sees", #ss:GetChildren(), ss:FindFirstChild("Loot"), #game:GetService("ServerScriptService"):GetChildren(), game.ReplicatedStorage:FindFirstChild("Shared") ~= nil)
]],
  expect = {
    output = {
      "server: server sees 2 true",
      "Player1: client sees 0 nil 0 true",
    },
  },
}
