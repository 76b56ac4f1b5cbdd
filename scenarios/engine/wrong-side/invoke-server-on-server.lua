return {
  section = "engine/wrong-side",
  title = "RemoteFunction:InvokeServer called on the server errors: InvokeServer can only be called from the client",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent", RemoteFunction = "RemoteFunction" } },
  server = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
local remoteFunction = game.ReplicatedStorage.RemoteFunction
local other = game.Players:WaitForChild("Player1")
task.wait(0.5)
remoteFunction:InvokeServer()
print("not reached")
]],
  expect = {
    errors = { { peer = "server", match = "InvokeServer can only be called from the client$" } },
    output_excludes = { "server: not reached" },
  },
}
