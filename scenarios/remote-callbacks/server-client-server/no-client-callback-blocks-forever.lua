return {
  section = "remote-callbacks/server-client-server",
  title = "InvokeClient to a client that never sets OnClientInvoke yields forever",
  duration = 10,
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
local player = game.Players:WaitForChild("Player1")
task.wait(0.5)
local r = game.ReplicatedStorage.RemoteFunction:InvokeClient(player)
print("never printed", r)
]],
  client = [[
print("client has no callback")
]],
  expect = {
    output = { "Player1: client has no callback" },
    output_excludes = { { match = "never printed" } },
    blocked = { { peer = "server", on = "InvokeClient" } },
  },
}
