return {
  section = "engine/queueing",
  title = "FireServer events that arrive before the server connects OnServerEvent are delivered on the first Connect, in order",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
task.wait(1.5)
print("connecting")
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, n)
	print("got", player.Name, n)
end)
]],
  client = [[
task.wait(0.5)
game.ReplicatedStorage.RemoteEvent:FireServer(1)
game.ReplicatedStorage.RemoteEvent:FireServer(2)
]],
  expect = {
    output = {
      { "server: connecting", at = 1.5 },
      { "server: got Player1 1", at = 1.5 },
      { "server: got Player1 2", at = 1.5 },
    },
  },
}
