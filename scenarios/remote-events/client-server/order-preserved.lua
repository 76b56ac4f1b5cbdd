return {
  section = "remote-events/client-server",
  title = "50 FireServer calls in one frame arrive in the order they were made",
  network = { latency = 0.05 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local got = {}
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, n)
	table.insert(got, n)
	if n == 50 then
		local inOrder = true
		for i = 1, 50 do
			if got[i] ~= i then inOrder = false end
		end
		print("received", #got, "in order:", inOrder)
	end
end)
]],
  client = [[
for i = 1, 50 do
	game.ReplicatedStorage.RemoteEvent:FireServer(i)
end
]],
  expect = { output = { "server: received 50 in order: true" } },
}
