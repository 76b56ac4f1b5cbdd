return {
  section = "engine/wrong-side",
  title = "InvokeClient with a string instead of a Player errors: InvokeClient: player argument must be a Player object",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent", RemoteFunction = "RemoteFunction" } },
  server = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
local remoteFunction = game.ReplicatedStorage.RemoteFunction
local other = game.Players:WaitForChild("Player1")
task.wait(0.5)
remoteFunction:InvokeClient("Player1")
print("not reached")
]],
  expect = {
    errors = { { peer = "server", match = "InvokeClient: player argument must be a Player object$" } },
    output_excludes = { "server: not reached" },
  },
}
