return {
  section = "argument-limitations/table-indexing",
  title = "an empty table arrives as an empty table, not nil",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	print(typeof(t), #t, next(t))
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer({})
]],
  expect = { output = { "server: table 0 nil" } },
}
