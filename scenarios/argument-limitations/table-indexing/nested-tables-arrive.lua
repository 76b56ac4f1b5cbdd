return {
  section = "argument-limitations/table-indexing",
  title = "a dictionary holding arrays and dictionaries arrives with its nesting intact",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	print(t.stats.level, t.stats.xp, #t.items, t.items[2], t.items[3].name)
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer({
	stats = { level = 7, xp = 1200 },
	items = { "Sword", "Bow", { name = "Potion" } },
})
]],
  expect = { output = { "server: 7 1200 3 Bow Potion" } },
}
