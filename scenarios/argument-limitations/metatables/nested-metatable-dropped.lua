return {
  section = "argument-limitations/metatables",
  title = "metatables of nested tables are dropped too, and methods from them are gone",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	print(t.pet.name, getmetatable(t.pet), t.pet.speak)
end)
]],
  client = [[
local Pet = {}
Pet.__index = Pet
function Pet:speak() return "woof" end
local dog = setmetatable({ name = "Rex" }, Pet)
print("local", dog:speak())
game.ReplicatedStorage.RemoteEvent:FireServer({ pet = dog })
]],
  expect = { output = { "Player1: local woof", "server: Rex nil nil" } },
}
