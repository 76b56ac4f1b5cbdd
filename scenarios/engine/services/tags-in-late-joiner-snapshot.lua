-- The snapshot a late joiner gets carries every replicated instance's tags.
return {
  section = "engine/services",
  title = "a client that joins late sees the tags already on replicated instances",
  clients = { { name = "Player1", join = 2 } },
  network = { latency = 0.1 },
  tree = { Workspace = { Chest = "Part", Rock = "Part" }, ServerStorage = { Hidden = "Part" } },
  server = [[
local CollectionService = game:GetService("CollectionService")
CollectionService:AddTag(workspace.Chest, "Loot")
CollectionService:AddTag(workspace.Chest, "Heavy")
CollectionService:AddTag(game.ServerStorage.Hidden, "Loot")
]],
  client = [[
local CollectionService = game:GetService("CollectionService")
local t = CollectionService:GetTagged("Loot")
print(#t, t[1].Name, table.concat(workspace.Chest:GetTags(), ","), #workspace.Rock:GetTags())
]],
  expect = { output = { { "Player1: 1 Chest Loot,Heavy 0", at = 2.1 } } },
}
