return {
  section = "remote-callbacks/server-client-server",
  title = "InvokeClient returns what the client's OnClientInvoke returned, after the round trip",
  network = { latency = 0.1 },
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
local player = game.Players:WaitForChild("Player1")
task.wait(1 - time())
local a, b = game.ReplicatedStorage.RemoteFunction:InvokeClient(player, 5)
print("client answered", a, b)
]],
  client = [[
game.ReplicatedStorage.RemoteFunction.OnClientInvoke = function(n)
	print("asked", n, "args", select("#", n))
	return n * 10, game.Players.LocalPlayer.Name
end
]],
  expect = {
    output = {
      { "Player1: asked 5 args 1", at = 1.1 },
      { "server: client answered 50 Player1", at = 1.2 },
    },
  },
}
