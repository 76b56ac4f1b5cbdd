-- The page's Metatables example, run as written, plus one server line
-- checking the inherited field and the metatable are gone.
return {
  section = "argument-limitations/metatables",
  title = "page example: a table with a Car metatable arrives as {[\"Name\"] = \"MyTruck\"}, without NumWheels",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

local function onEvent(player, param)
	print(param)  --> {["Name"] = "MyTruck"}
	print(param.NumWheels, getmetatable(param))
end

-- Connect function to event
remoteEvent.OnServerEvent:Connect(onEvent)
]],
  client = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

local remoteEvent = ReplicatedStorage:FindFirstChildOfClass("RemoteEvent")

local Car = {}
Car.NumWheels = 4
Car.__index = Car

local truck = {}
truck.Name = "MyTruck"
setmetatable(truck, Car)

-- Fire event with table including a metatable
remoteEvent:FireServer(truck)
]],
  expect = {
    output = {
      'server: {["Name"] = "MyTruck"}',
      "server: nil nil",
    },
  },
}
