-- The page's Client -> Server -> Client example, run as written, plus one
-- client line checking the returned reference is the client's own part.
return {
  section = "remote-callbacks/client-server-client",
  title = "page example: InvokeServer returns the Part the server created, as the client's own replicated part",
  network = { latency = 0.1 },
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

-- Get reference to remote function instance
local remoteFunction = ReplicatedStorage:FindFirstChildOfClass("RemoteFunction")

-- Callback function
local function createPart(player, partColor, partPosition)
	print(player.Name .. " requested a new part")
	local newPart = Instance.new("Part")
	newPart.Color = partColor
	newPart.Position = partPosition
	newPart.Parent = workspace
	return newPart
end

-- Set function as remote function's callback
remoteFunction.OnServerInvoke = createPart
]],
  client = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

-- Get reference to remote function instance
local remoteFunction = ReplicatedStorage:FindFirstChildOfClass("RemoteFunction")

-- Pass a color and position when invoking the callback
local newPart = remoteFunction:InvokeServer(Color3.fromRGB(255, 0, 0), Vector3.new(0, 25, -20))

-- Output the returned part reference
print("The server created the requested part:", newPart)
print(newPart.Parent == workspace, newPart:IsDescendantOf(workspace), newPart.Position, newPart.Color)
]],
  expect = {
    output = {
      { "server: Player1 requested a new part", at = 0.2 },
      { "Player1: The server created the requested part: Part", at = 0.3 },
      "Player1: true true 0, 25, -20 1, 0, 0",
    },
  },
}
