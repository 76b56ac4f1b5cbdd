return {
  section = "remote-events/server-client",
  title = "FireClient to a player who has left is dropped without an error",
  clients = 2,
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  timeline = { { at = 1, disconnect = "Player2" } },
  server = [[
local Players = game:GetService("Players")
local saved = Players:WaitForChild("Player2")
Players.PlayerRemoving:Connect(function(p) print("removing", p.Name) end)
task.wait(2)
game.ReplicatedStorage.RemoteEvent:FireClient(saved, "too late")
print("FireClient returned")
game.ReplicatedStorage.RemoteEvent:FireClient(Players.Player1, "still here")
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(msg)
	print("got", msg)
end)
]],
  expect = {
    output = {
      { "server: removing Player2", at = 1 },
      { "server: FireClient returned", at = 2 },
      { "Player1: got still here", at = 2 },
    },
    output_excludes = { "Player2: got too late" },
  },
}
