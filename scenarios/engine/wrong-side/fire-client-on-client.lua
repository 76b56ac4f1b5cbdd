return {
  section = "engine/wrong-side",
  title = "RemoteEvent:FireClient called on a client errors: FireClient can only be called from the server",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent", RemoteFunction = "RemoteFunction" } },
  client = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
local remoteFunction = game.ReplicatedStorage.RemoteFunction
local other = game.Players:WaitForChild("Player1")
task.wait(0.5)
remoteEvent:FireClient(other, "x")
print("not reached")
]],
  expect = {
    errors = { { peer = "Player1", match = "^Players%.Player1%.PlayerScripts%.LocalScript:5: FireClient can only be called from the server$" } },
    output_excludes = { "Player1: not reached" },
  },
}
