return {
  section = "argument-limitations/non-string-indices",
  title = "numeric keys of a table without [1] arrive as strings (\"2\", \"10\"), so t[2] is nil and t[\"2\"] is set",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	for k, v in t do
		print(typeof(k), k, v)
	end
	print(t[2], t["2"], t[10], t["10"])
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer({ [2] = "two", [10] = "ten" })
]],
  expect = {
    output = {
      "server: string 10 ten",
      "server: string 2 two",
      "server: nil two nil ten",
    },
  },
}
