-- CollectionService:AddTag fires GetInstanceAddedSignal(tag) once (adding a
-- tag twice does nothing), RemoveTag fires GetInstanceRemovedSignal(tag);
-- the Instance methods do the same.  GetTags lists tags in the order they
-- were added.
return {
  section = "engine/services",
  title = "AddTag and RemoveTag fire the tag's added and removed signals once per change",
  clients = 0,
  tree = { Workspace = { Lava = "Part", Spikes = "Part" } },
  server = [[
local CollectionService = game:GetService("CollectionService")
local adds = 0
CollectionService:GetInstanceAddedSignal("Deadly"):Connect(function(i)
	adds += 1
	print("added", i.Name, adds)
end)
CollectionService:GetInstanceRemovedSignal("Deadly"):Connect(function(i)
	print("removed", i.Name)
end)
CollectionService:AddTag(workspace.Lava, "Deadly")
CollectionService:AddTag(workspace.Lava, "Deadly")
workspace.Spikes:AddTag("Sharp")
workspace.Spikes:AddTag("Deadly")
task.wait(0.5)
print(CollectionService:HasTag(workspace.Lava, "Deadly"), workspace.Spikes:HasTag("Hot"))
print(table.concat(CollectionService:GetTags(workspace.Spikes), ","))
print(table.concat(CollectionService:GetAllTags(), ","))
CollectionService:RemoveTag(workspace.Lava, "Deadly")
workspace.Lava:RemoveTag("Deadly")
workspace.Spikes:RemoveTag("Deadly")
task.wait(0.5)
print(#CollectionService:GetTagged("Deadly"), table.concat(workspace.Spikes:GetTags(), ","))
]],
  expect = {
    output = {
      "server: added Lava 1",
      "server: added Spikes 2",
      "server: true false",
      "server: Sharp,Deadly",
      "server: Deadly,Sharp",
      "server: removed Lava",
      "server: removed Spikes",
      "server: 0 Sharp",
    },
  },
}
