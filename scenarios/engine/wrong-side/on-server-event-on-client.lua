return {
  section = "engine/wrong-side",
  title = "connecting OnServerEvent on a client errors: OnServerEvent can only be used on the server",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent", RemoteFunction = "RemoteFunction" } },
  client = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
local remoteFunction = game.ReplicatedStorage.RemoteFunction
local other = game.Players:WaitForChild("Player1")
task.wait(0.5)
remoteEvent.OnServerEvent:Connect(function() end)
print("not reached")
]],
  expect = {
    errors = { { peer = "Player1", match = "OnServerEvent can only be used on the server$" } },
    output_excludes = { "Player1: not reached" },
  },
}
