return {
  section = "engine/network",
  title = "with 0.2 s jitter (seed 7), 40 reliable FireServer calls still arrive in the order sent",
  seed = 7,
  network = { latency = 0.1, jitter = 0.2 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local expected, ok = 1, true
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, n)
	if n ~= expected then ok = false end
	expected += 1
	if n == 40 then print("all 40 arrived, in order:", ok) end
end)
]],
  client = [[
for i = 1, 40 do
	game.ReplicatedStorage.RemoteEvent:FireServer(i)
	task.wait(0.02)
end
]],
  expect = { output = { "server: all 40 arrived, in order: true" } },
}
