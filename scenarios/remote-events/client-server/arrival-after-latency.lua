return {
  section = "remote-events/client-server",
  title = "an event fired at t=1 with 0.25 s latency reaches the server at t=1.25",
  network = { latency = 0.25 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, sentAt)
	print("received, sent at", sentAt)
end)
]],
  client = [[
task.wait(1 - time())
print("firing")
game.ReplicatedStorage.RemoteEvent:FireServer(1)
]],
  expect = {
    output = {
      { "Player1: firing", at = 1.0 },
      { "server: received, sent at 1", at = 1.25 },
    },
  },
}
