-- The page's Client -> Server example, run as written, plus one extra client
-- line that watches the server-made part replicate back.
return {
  section = "remote-events/client-server",
  title = "page example: FireServer(color, position) makes the server create a part that replicates back",
  clients = 1,
  network = { latency = 0.1 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

-- Get reference to remote event instance
local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

local function onCreatePart(player, partColor, partPosition)
	print(player.Name .. " fired the RemoteEvent")
	local newPart = Instance.new("Part")
	newPart.Color = partColor
	newPart.Position = partPosition
	newPart.Parent = workspace
end

-- Connect function to event
remoteEvent.OnServerEvent:Connect(onCreatePart)
]],
  client = [[
workspace.ChildAdded:Connect(function(part)
	print("replicated", part.ClassName, part.Color, part.Position)
end)

local ReplicatedStorage = game:GetService("ReplicatedStorage")

-- Get reference to remote event instance
local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

-- Fire the remote event and pass additional arguments
remoteEvent:FireServer(Color3.fromRGB(255, 0, 0), Vector3.new(0, 25, -20))
]],
  expect = {
    output = {
      { "server: Player1 fired the RemoteEvent", at = 0.2 },
      { "Player1: replicated Part 1, 0, 0 0, 25, -20", at = 0.3 },
    },
  },
}
