return {
  section = "engine/replication",
  title = "Clone copies attributes, and the copy's attributes replicate",
  clients = 1,
  network = { latency = 0.05 },
  server = [[
local part = Instance.new("Part")
part:SetAttribute("Level", 3)
part:SetAttribute("Tint", Color3.new(1, 0, 0))
local copy = part:Clone()
part:SetAttribute("Level", 4)
print(copy:GetAttribute("Level"), copy:GetAttribute("Tint"))
copy.Name = "Copy"
copy.Parent = workspace
]],
  client = [[
local copy = workspace:WaitForChild("Copy")
print(copy:GetAttribute("Level"), copy:GetAttribute("Tint"))
]],
  expect = {
    output = {
      { "server: 3 1, 0, 0", at = 0 },
      { "Player1: 3 1, 0, 0", at = 0.05 },
    },
  },
}
