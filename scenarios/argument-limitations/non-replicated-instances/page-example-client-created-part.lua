-- The page's Non-Replicated Instances (LocalScript) example, plus the
-- server handler that prints what arrives.
return {
  section = "argument-limitations/non-replicated-instances",
  title = "page example: a part created by a LocalScript arrives on the server as nil",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game:GetService("ReplicatedStorage"):FindFirstChildOfClass("RemoteEvent").OnServerEvent:Connect(function(player, part)
	print(player.Name, "sent", part)
end)
]],
  client = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

-- Will be received as "nil" because the server doesn't know about this part
local clientPart = Instance.new("Part")
clientPart.Parent = workspace

remoteEvent:FireServer(clientPart)
]],
  expect = { output = { "server: Player1 sent nil" } },
}
