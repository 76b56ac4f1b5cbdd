return {
  section = "engine/players",
  title = "what the server keeps by UserId is there when the player joins again",
  clients = 1,
  network = { latency = 0.05 },
  tree = { ReplicatedStorage = { Coin = "RemoteEvent" } },
  server = [[
local Players = game:GetService("Players")
local coins = {}          -- as a game keys saved data: by UserId
Players.PlayerAdded:Connect(function(p)
	print("welcome", p.Name, "coins", coins[p.UserId] or 0)
end)
Players.PlayerRemoving:Connect(function(p)
	print("saving", p.UserId, coins[p.UserId])
end)
game.ReplicatedStorage.Coin.OnServerEvent:Connect(function(p)
	coins[p.UserId] = (coins[p.UserId] or 0) + 1
end)
]],
  client = [[
local coin = game.ReplicatedStorage.Coin
coin:FireServer()
coin:FireServer()
]],
  timeline = {
    { at = 1, disconnect = "Player1" },
    { at = 2, join = "Player1" },
  },
  expect = {
    output = {
      { "server: welcome Player1 coins 0", at = 0 },
      { "server: saving 1 2", at = 1 },
      { "server: welcome Player1 coins 2", at = 2 },
    },
  },
}
