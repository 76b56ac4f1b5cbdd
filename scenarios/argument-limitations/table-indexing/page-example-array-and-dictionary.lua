-- The page's Table Indexing example, run as written. Dictionary keys are
-- iterated in rsim's canonical order (strings by bytes: CharClass, CharName).
return {
  section = "argument-limitations/table-indexing",
  title = "page example: an array and a dictionary sent separately both arrive whole",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

local function onEventFire(player, passedTable)
	for k, v in passedTable do
		print(k .. " = " .. v)
		--> 1 = Sword
		--> 2 = Bow
		--> CharName = Diva Dragonslayer
		--> CharClass = Rogue
	end
end

-- Connect function to event
remoteEvent.OnServerEvent:Connect(onEventFire)
]],
  client = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

-- Numerically indexed table
local inventoryData = {
	"Sword", "Bow"
}
-- Dictionary table
local characterData = {
	CharName = "Diva Dragonslayer",
	CharClass = "Rogue"
}

remoteEvent:FireServer(inventoryData)
remoteEvent:FireServer(characterData)
]],
  expect = {
    output = {
      "server: 1 = Sword",
      "server: 2 = Bow",
      "server: CharClass = Rogue",
      "server: CharName = Diva Dragonslayer",
    },
  },
}
