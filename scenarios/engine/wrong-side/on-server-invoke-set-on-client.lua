return {
  section = "engine/wrong-side",
  title = "assigning OnServerInvoke on a client errors",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent", RemoteFunction = "RemoteFunction" } },
  client = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
local remoteFunction = game.ReplicatedStorage.RemoteFunction
local other = game.Players:WaitForChild("Player1")
task.wait(0.5)
remoteFunction.OnServerInvoke = function() end
print("not reached")
]],
  expect = {
    errors = { { peer = "Player1", match = "OnServerInvoke" } },
    output_excludes = { "Player1: not reached" },
  },
}
