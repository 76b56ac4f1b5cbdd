-- rsim's rule (sim/api/marshal.c rule 7): an array is sent up to its first nil.
-- Roblox uses the border #t, which for a hole depends on the table's layout.
return {
  section = "argument-limitations/table-indexing",
  title = "an array with a nil hole arrives cut at the hole: {1, nil, 3} arrives as {1}",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	print("length", #t, t[1], t[2], t[3])
end)
]],
  client = [[
local t = { 1, 2, 3 }
t[2] = nil
game.ReplicatedStorage.RemoteEvent:FireServer(t)
]],
  expect = { output = { "server: length 1 1 nil nil" } },
}
