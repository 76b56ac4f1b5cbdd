-- The page's Non-String Indices example, run as written.
return {
  section = "argument-limitations/non-string-indices",
  title = "page example: a table keyed by workspace.Baseplate arrives with a string key",
  tree = { Workspace = { Baseplate = "Part" }, ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  client = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

local function onEventFire(passedTable)
	for k, v in passedTable do
		print(typeof(k))  --> string
	end
end

-- Connect function to event
remoteEvent.OnClientEvent:Connect(onEventFire)
]],
  server = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local Players = game:GetService("Players")

local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

-- Listen for incoming players and dispatch remote event to each
local function onPlayerAdded(player)
	remoteEvent:FireClient(player,
		{
			[workspace.Baseplate] = true
		}
	)
end
Players.PlayerAdded:Connect(onPlayerAdded)
]],
  expect = {
    output = { "Player1: string" },
    output_excludes = { "Player1: Instance" },
  },
}
