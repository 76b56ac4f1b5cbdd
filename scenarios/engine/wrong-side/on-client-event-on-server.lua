return {
  section = "engine/wrong-side",
  title = "connecting OnClientEvent on the server errors: OnClientEvent can only be used on the client",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent", RemoteFunction = "RemoteFunction" } },
  server = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
local remoteFunction = game.ReplicatedStorage.RemoteFunction
local other = game.Players:WaitForChild("Player1")
task.wait(0.5)
remoteEvent.OnClientEvent:Connect(function() end)
print("not reached")
]],
  expect = {
    errors = { { peer = "server", match = "OnClientEvent can only be used on the client$" } },
    output_excludes = { "server: not reached" },
  },
}
