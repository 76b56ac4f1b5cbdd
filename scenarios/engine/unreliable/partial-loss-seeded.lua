return {
  section = "engine/unreliable",
  title = "with loss = 0.5 and a fixed seed, some but not all of 100 unreliable events arrive",
  seed = 11,
  network = { loss = 0.5 },
  tree = { ReplicatedStorage = { UnreliableRemoteEvent = "UnreliableRemoteEvent", RemoteEvent = "RemoteEvent" } },
  server = [[
local n = 0
game.ReplicatedStorage.UnreliableRemoteEvent.OnServerEvent:Connect(function() n += 1 end)
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function()
	task.wait(0.1)
	print("some arrived:", n > 0, "some lost:", n < 100)
end)
]],
  client = [[
task.wait(0.2)
for i = 1, 100 do
	game.ReplicatedStorage.UnreliableRemoteEvent:FireServer(i)
end
game.ReplicatedStorage.RemoteEvent:FireServer()
]],
  expect = { output = { "server: some arrived: true some lost: true" } },
}
