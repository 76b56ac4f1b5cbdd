return {
  section = "remote-events/server-client",
  title = "FireClient in PlayerAdded: the second player gets its own event, naming itself",
  clients = 2,
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  client = [[
local remoteEvent = game:GetService("ReplicatedStorage"):FindFirstChildOfClass("RemoteEvent")
local player = game:GetService("Players").LocalPlayer
remoteEvent.OnClientEvent:Connect(function(maxPlayers, respawnTime)
	print("[Client] Event received by player", player.Name)
	print(maxPlayers, respawnTime)
end)
]],
  server = [[
local Players = game:GetService("Players")
local remoteEvent = game:GetService("ReplicatedStorage"):FindFirstChildOfClass("RemoteEvent")
Players.PlayerAdded:Connect(function(player)
	remoteEvent:FireClient(player, Players.MaxPlayers, Players.RespawnTime)
end)
]],
  expect = {
    output = {
      "Player2: [Client] Event received by player Player2",
      "Player2: 50 5",
    },
  },
}
