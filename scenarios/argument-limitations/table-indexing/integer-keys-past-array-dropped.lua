-- rsim's rule (sim/api/marshal.c rule 7): integers after the first nil are dropped.
return {
  section = "argument-limitations/table-indexing",
  title = "integer keys beyond the array's end ({1, 2, [50] = x}) are dropped",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	print(#t, t[50], t["50"])
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer({ "a", "b", [50] = "far" })
]],
  expect = { output = { "server: 2 nil nil" } },
}
