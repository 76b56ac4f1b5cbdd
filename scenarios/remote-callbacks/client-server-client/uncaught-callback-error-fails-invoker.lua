return {
  section = "remote-callbacks/client-server-client",
  title = "an uncaught error from OnServerInvoke is a script error in the client's LocalScript",
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function()
	error("server refused")
end
]],
  client = [[
game.ReplicatedStorage.RemoteFunction:InvokeServer()
print("not reached")
]],
  expect = {
    errors = { { peer = "Player1", match = "server refused" } },
    output_excludes = { "Player1: not reached" },
  },
}
