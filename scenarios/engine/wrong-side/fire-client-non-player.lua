return {
  section = "engine/wrong-side",
  title = "FireClient with a Part instead of a Player errors: FireClient: player argument must be a Player object",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent", RemoteFunction = "RemoteFunction" } },
  server = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
local remoteFunction = game.ReplicatedStorage.RemoteFunction
local other = game.Players:WaitForChild("Player1")
task.wait(0.5)
remoteEvent:FireClient(Instance.new("Part"), "x")
print("not reached")
]],
  expect = {
    errors = { { peer = "server", match = "FireClient: player argument must be a Player object$" } },
    output_excludes = { "server: not reached" },
  },
}
