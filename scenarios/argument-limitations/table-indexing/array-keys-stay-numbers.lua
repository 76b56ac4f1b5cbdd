return {
  section = "argument-limitations/table-indexing",
  title = "an array's keys arrive as numbers 1..n, with its length",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	print("length", #t)
	for i, v in ipairs(t) do print(typeof(i), i, v) end
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer({ "a", "b", "c" })
]],
  expect = {
    output = {
      "server: length 3",
      "server: number 1 a",
      "server: number 2 b",
      "server: number 3 c",
    },
  },
}
