return {
  section = "engine/wrong-side",
  title = "RemoteFunction:InvokeClient called on a client errors: InvokeClient can only be called from the server",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent", RemoteFunction = "RemoteFunction" } },
  client = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
local remoteFunction = game.ReplicatedStorage.RemoteFunction
local other = game.Players:WaitForChild("Player1")
task.wait(0.5)
remoteFunction:InvokeClient(other)
print("not reached")
]],
  expect = {
    errors = { { peer = "Player1", match = "InvokeClient can only be called from the server$" } },
    output_excludes = { "Player1: not reached" },
  },
}
