return {
  section = "engine/network",
  title = "with latency 0.1 and jitter 0.05, each event takes latency ± jitter: between 0.05 and 0.15 s",
  seed = 3,
  network = { latency = 0.1, jitter = 0.05 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local worst, best = 0, math.huge
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, sentAt, last)
	local d = time() - sentAt
	worst = math.max(worst, d)
	best = math.min(best, d)
	if last then
		print("min ok", best >= 0.05 - 1e-9, "max ok", worst <= 0.15 + 1e-9, "varies", worst - best > 0.01)
	end
end)
]],
  client = [[
for i = 1, 20 do
	game.ReplicatedStorage.RemoteEvent:FireServer(time(), i == 20)
	task.wait(0.1)
end
]],
  expect = { output = { "server: min ok true max ok true varies true" } },
}
