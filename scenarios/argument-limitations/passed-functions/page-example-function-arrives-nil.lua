-- The page's Passed Functions example, run as written.
return {
  section = "argument-limitations/passed-functions",
  title = "page example: a function passed to FireAllClients arrives as nil",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  client = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

local function onClientEvent(func)
	print(func)  --> nil
end

remoteEvent.OnClientEvent:Connect(onClientEvent)
]],
  server = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

local function testFunction()
	print("Hello world!")
end

task.wait(0.5) -- added: let Player1 join before the broadcast

-- Fire remote event with function as an argument
remoteEvent:FireAllClients(testFunction)
]],
  expect = {
    output = { { "Player1: nil", at = 0.5 } },
    output_excludes = { { match = "Hello world!" }, { match = "function" } },
  },
}
