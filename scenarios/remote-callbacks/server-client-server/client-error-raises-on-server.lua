return {
  section = "remote-callbacks/server-client-server",
  title = "an error in the client's OnClientInvoke is raised in the server's InvokeClient",
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
local player = game.Players:WaitForChild("Player1")
task.wait(0.5)
local rf = game.ReplicatedStorage.RemoteFunction
local ok, err = pcall(rf.InvokeClient, rf, player)
print(ok, err)
]],
  client = [[
game.ReplicatedStorage.RemoteFunction.OnClientInvoke = function()
	error("client says no")
end
]],
  expect = {
    output = { { match = "^server: false .*client says no$" } },
  },
}
