-- The page's Non-Replicated Instances (Script) example, plus the client
-- handler that prints what arrives.
return {
  section = "argument-limitations/non-replicated-instances",
  title = "page example: a part in ServerStorage sent with FireClient arrives as nil",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local ServerStorage = game:GetService("ServerStorage")
local Players = game:GetService("Players")

local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

-- Will be received as "nil" because client can't access ServerStorage
local storedPart = Instance.new("Part")
storedPart.Parent = ServerStorage

local function onPlayerAdded(player)
	remoteEvent:FireClient(player, storedPart)
end
Players.PlayerAdded:Connect(onPlayerAdded)
]],
  client = [[
game:GetService("ReplicatedStorage"):FindFirstChildOfClass("RemoteEvent").OnClientEvent:Connect(function(part)
	print("received", part)
end)
]],
  expect = {
    output = { "Player1: received nil" },
    output_excludes = { "Player1: received Part" },
  },
}
