-- The page's Server -> Client example, run as written.
return {
  section = "remote-events/server-client",
  title = "page example: FireClient in PlayerAdded sends MaxPlayers (50) and RespawnTime (5) to each joining player",
  clients = 2,
  network = { latency = 0.1 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  client = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local Players = game:GetService("Players")

-- Get reference to remote event instance
local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

local player = Players.LocalPlayer

local function onNotifyPlayer(maxPlayers, respawnTime)
   print("[Client] Event received by player", player.Name)
   print(maxPlayers, respawnTime)
end

-- Connect function to event
remoteEvent.OnClientEvent:Connect(onNotifyPlayer)
]],
  server = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local Players = game:GetService("Players")

-- Get reference to remote event instance
local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

-- Listen for incoming players and dispatch remote event to each
local function onPlayerAdded(player)
   print("[Server] Firing event to player", player.Name)
   remoteEvent:FireClient(player, Players.MaxPlayers, Players.RespawnTime)
end
Players.PlayerAdded:Connect(onPlayerAdded)
]],
  expect = {
    output = {
      "server: [Server] Firing event to player Player1",
      "server: [Server] Firing event to player Player2",
      "Player1: [Client] Event received by player Player1",
      "Player1: 50 5",
    },
    output_excludes = {
      "Player1: [Client] Event received by player Player2",
      "Player2: [Client] Event received by player Player1",
    },
  },
}
