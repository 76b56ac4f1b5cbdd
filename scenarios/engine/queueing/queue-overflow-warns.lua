return {
  section = "engine/queueing",
  title = "more than 256 events queued before Connect: the excess is dropped with one warning naming the remote",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
task.wait(1)
local n = 0
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, i)
	n += 1
	if i == 256 then print("delivered", n, "last", i) end
end)
task.wait(0.1)
print("total delivered", n)
]],
  client = [[
for i = 1, 300 do
	game.ReplicatedStorage.RemoteEvent:FireServer(i)
end
]],
  expect = {
    output = {
      { match = "^server: Remote event invocation discarded event for ReplicatedStorage%.RemoteEvent; did you forget to implement OnServerEvent%? %(%d+ events dropped%)$" },
      "server: delivered 256 last 256",
      "server: total delivered 256",
    },
  },
}
