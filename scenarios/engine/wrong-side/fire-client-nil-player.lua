return {
  section = "engine/wrong-side",
  title = "FireClient with nil as the player errors: FireClient: player argument must be a Player object",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent", RemoteFunction = "RemoteFunction" } },
  server = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
local remoteFunction = game.ReplicatedStorage.RemoteFunction
local other = game.Players:WaitForChild("Player1")
task.wait(0.5)
remoteEvent:FireClient(nil, "x")
print("not reached")
]],
  expect = {
    errors = { { peer = "server", match = "FireClient: player argument must be a Player object$" } },
    output_excludes = { "server: not reached" },
  },
}
