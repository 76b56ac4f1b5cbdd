return {
  section = "remote-callbacks/client-server-client",
  title = "InvokeServer returns every value the callback returned, in order",
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function(player)
	return "a", 2, true, player.Name
end
]],
  client = [[
local results = table.pack(game.ReplicatedStorage.RemoteFunction:InvokeServer())
print("n", results.n, results[1], results[2], results[3], results[4])
]],
  expect = { output = { "Player1: n 4 a 2 true Player1" } },
}
