-- Clone copies the tags of the instance and of its descendants; the copy
-- fires the added signal when it enters the game.  ServerStorage is in
-- the game too, so GetTagged counts the template as well.
return {
  section = "engine/services",
  title = "Clone keeps the tags; the copy fires the added signal when parented into the game",
  clients = 0,
  tree = { ServerStorage = { Template = { class = "Model", Gem = "Part" } } },
  server = [[
local CollectionService = game:GetService("CollectionService")
local template = game.ServerStorage.Template
template:AddTag("Spawned")
template.Gem:AddTag("Gem")
CollectionService:GetInstanceAddedSignal("Gem"):Connect(function(i)
	print("gem in game", i:GetFullName())
end)
local copy = template:Clone()
print(table.concat(copy:GetTags(), ","), copy.Gem:HasTag("Gem"))
copy.Parent = workspace
task.wait(0.1)
print(#CollectionService:GetTagged("Gem"), #CollectionService:GetTagged("Spawned"))
]],
  expect = {
    output = {
      "server: Spawned true",
      "server: gem in game Workspace.Template.Gem",
      "server: 2 2",
    },
  },
}
