-- rsim's rule (sim/api/marshal.c rule 7): a table with t[1] ~= nil is an array;
-- its string keys are dropped.
return {
  section = "argument-limitations/table-indexing",
  title = "a mixed table (array part plus string keys) arrives as its array part only",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	local n = 0
	for k in t do n += 1 end
	print("entries", n, t[1], t[2], t.Owner)
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer({ "Sword", "Bow", Owner = "Diva" })
]],
  expect = { output = { "server: entries 2 Sword Bow nil" } },
}
