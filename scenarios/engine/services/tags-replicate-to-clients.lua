-- Tags replicate like properties: a tag the server adds to a replicated
-- instance reaches each client one latency later over the reliable channel
-- (its added signal fires there, before a remote event sent after it); a
-- client's own tags stay on it until the server changes that instance's
-- tags: Roblox replicates an instance's tags as one set, which overwrites
-- the client's.
return {
  section = "engine/services",
  title = "a tag added on the server reaches every client one latency later; a client's own tags stay on it until then",
  clients = 2,
  network = { latency = 0.1 },
  tree = { Workspace = { Door = "Part" }, ReplicatedStorage = { Opened = "RemoteEvent" } },
  server = [[
local CollectionService = game:GetService("CollectionService")
task.wait(1)
CollectionService:AddTag(workspace.Door, "Locked")
game.ReplicatedStorage.Opened:FireAllClients()
task.wait(1)
workspace.Door:RemoveTag("Locked")
task.wait(1)
print("server tags", table.concat(workspace.Door:GetTags(), ","))
]],
  client = [[
local CollectionService = game:GetService("CollectionService")
local me = game.Players.LocalPlayer.Name
CollectionService:GetInstanceAddedSignal("Locked"):Connect(function(i)
	print("locked", i.Name, os.clock())
end)
CollectionService:GetInstanceRemovedSignal("Locked"):Connect(function(i)
	print("unlocked", i.Name, os.clock())
end)
game.ReplicatedStorage.Opened.OnClientEvent:Connect(function()
	print("event sees tag", workspace.Door:HasTag("Locked"))
end)
if me == "Player1" then
	workspace.Door:AddTag("Mine")
end
task.wait(0.5)
print("early tags", table.concat(workspace.Door:GetTags(), ","))
task.wait(1)
print("after the server's", table.concat(workspace.Door:GetTags(), ","))
task.wait(1)
print("tags", table.concat(workspace.Door:GetTags(), ","))
]],
  expect = {
    output = {
      "Player1: early tags Mine",
      "Player2: early tags ",
      { "Player1: locked Door 1.1", at = 1.1 },
      "Player1: event sees tag true",
      { "Player2: locked Door 1.1", at = 1.1 },
      "Player2: event sees tag true",
      "Player1: after the server's Locked",
      { "Player1: unlocked Door 2.1", at = 2.1 },
      { "Player2: unlocked Door 2.1", at = 2.1 },
      "Player1: tags ",
      "server: server tags ",
    },
  },
}
