return {
  section = "remote-events/client-server",
  title = "FireServer passes several arguments of different types, in order and with their count",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, ...)
	print("count", select("#", ...))
	for i = 1, select("#", ...) do
		local v = select(i, ...)
		print(i, typeof(v), v)
	end
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer(42, "text", true, 2.5, false)
]],
  expect = {
    output = {
      "server: count 5",
      "server: 1 number 42",
      "server: 2 string text",
      "server: 3 boolean true",
      "server: 4 number 2.5",
      "server: 5 boolean false",
    },
  },
}
