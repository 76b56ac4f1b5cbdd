return {
  section = "remote-callbacks/server-client-server",
  title = "InvokeClient on a player who already left errors instead of yielding",
  clients = 2,
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  timeline = { { at = 0.5, disconnect = "Player2" } },
  server = [[
local saved = game.Players:WaitForChild("Player2")
task.wait(1)
local rf = game.ReplicatedStorage.RemoteFunction
local ok, err = pcall(rf.InvokeClient, rf, saved)
print(ok, err)
]],
  client = [[
game.ReplicatedStorage.RemoteFunction.OnClientInvoke = function() return 1 end
]],
  expect = {
    output = { { match = "^server: false .*Player2.*" , at = 1 } },
  },
}
