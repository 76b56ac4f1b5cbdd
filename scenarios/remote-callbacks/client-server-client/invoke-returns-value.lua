return {
  section = "remote-callbacks/client-server-client",
  title = "InvokeServer returns the value the OnServerInvoke callback returned",
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function(player, a, b)
	return a + b
end
]],
  client = [[
local sum = game.ReplicatedStorage.RemoteFunction:InvokeServer(20, 22)
print("sum", sum, typeof(sum))
]],
  expect = { output = { "Player1: sum 42 number" } },
}
