return {
  section = "engine/unreliable",
  title = "UnreliableRemoteEvent with loss = 1 delivers nothing, while a reliable RemoteEvent still arrives",
  network = { loss = 1 },
  tree = { ReplicatedStorage = { UnreliableRemoteEvent = "UnreliableRemoteEvent", RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.UnreliableRemoteEvent.OnServerEvent:Connect(function(player, n)
	print("unreliable arrived", n)
end)
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, n)
	print("reliable arrived", n)
end)
]],
  client = [[
task.wait(0.5)
for i = 1, 10 do
	game.ReplicatedStorage.UnreliableRemoteEvent:FireServer(i)
end
game.ReplicatedStorage.RemoteEvent:FireServer("done")
]],
  expect = {
    output = { "server: reliable arrived done" },
    output_excludes = { { match = "unreliable arrived" } },
  },
}
