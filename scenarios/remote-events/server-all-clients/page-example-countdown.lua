-- The page's Server -> All Clients example, run as written.
return {
  section = "remote-events/server-all-clients",
  title = "page example: a FireAllClients countdown, one event per second, printed by every connected client (the t=0 firing runs before anyone has joined)",
  clients = 2,
  network = { latency = 0.05 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  client = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

-- Get reference to remote event instance
local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

local function onTimerUpdate(seconds)
	print(seconds)
end

-- Connect function to event
remoteEvent.OnClientEvent:Connect(onTimerUpdate)
]],
  server = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

-- Get reference to remote event instance
local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

local countdown = 5

-- Fire the RemoteEvent every second until time expires
for timeRemaining = -1, countdown do
	remoteEvent:FireAllClients(countdown - timeRemaining)
	task.wait(1)
end
]],
  expect = {
    output = {
      { "Player1: 5", at = 1.05 }, { "Player2: 5", at = 1.05 },
      { "Player1: 4", at = 2.05 }, { "Player2: 4", at = 2.05 },
      { "Player1: 3", at = 3.05 }, { "Player2: 3", at = 3.05 },
      { "Player1: 2", at = 4.05 }, { "Player2: 2", at = 4.05 },
      { "Player1: 1", at = 5.05 }, { "Player2: 1", at = 5.05 },
      { "Player1: 0", at = 6.05 }, { "Player2: 0", at = 6.05 },
    },
    output_excludes = { "Player1: -1", "Player1: 7" },
  },
}
