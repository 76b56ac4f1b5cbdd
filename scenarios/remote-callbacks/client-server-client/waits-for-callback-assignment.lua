return {
  section = "remote-callbacks/client-server-client",
  title = "InvokeServer made before OnServerInvoke is set waits, and completes when it is assigned at t=2",
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
task.wait(2)
print("assigning callback")
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function(player, x)
	return x .. "!"
end
]],
  client = [[
print("invoking")
local r = game.ReplicatedStorage.RemoteFunction:InvokeServer("hello")
print("returned", r)
]],
  expect = {
    output = {
      { "Player1: invoking", at = 0 },
      { "server: assigning callback", at = 2 },
      { "Player1: returned hello!", at = 2 },
    },
  },
}
