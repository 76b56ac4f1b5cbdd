return {
  section = "remote-callbacks/client-server-client",
  title = "an error in OnServerInvoke is raised in the invoking client; pcall shows the server's message",
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function(player, n)
	if n < 0 then
		error("negative input")
	end
	return n
end
]],
  client = [[
local rf = game.ReplicatedStorage.RemoteFunction
local ok, err = pcall(rf.InvokeServer, rf, -1)
print(ok, err)
print("still works:", rf:InvokeServer(3))
]],
  expect = {
    output = {
      { match = "^Player1: false .*negative input$" },
      "Player1: still works: 3",
    },
  },
}
