return {
  section = "engine/network",
  title = "latency_up 0.1 and latency_down 0.4: FireServer takes 0.1 s, the server's echo takes 0.4 s more",
  network = { latency_up = 0.1, latency_down = 0.4 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, m)
	print("server got", m)
	game.ReplicatedStorage.RemoteEvent:FireClient(player, "echo " .. m)
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(m) print("client got", m) end)
task.wait(1 - time())
print("sending")
game.ReplicatedStorage.RemoteEvent:FireServer("x")
]],
  expect = {
    output = {
      { "Player1: sending", at = 1 },
      { "server: server got x", at = 1.1 },
      { "Player1: client got echo x", at = 1.5 },
    },
  },
}
