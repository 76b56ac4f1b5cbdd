return {
  section = "engine/wrong-side",
  title = "RemoteEvent:FireServer called on the server errors: FireServer can only be called from the client",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent", RemoteFunction = "RemoteFunction" } },
  server = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
local remoteFunction = game.ReplicatedStorage.RemoteFunction
local other = game.Players:WaitForChild("Player1")
task.wait(0.5)
remoteEvent:FireServer("x")
print("not reached")
]],
  expect = {
    errors = { { peer = "server", match = "^ServerScriptService%.Script:5: FireServer can only be called from the client$" } },
    output_excludes = { "server: not reached" },
  },
}
