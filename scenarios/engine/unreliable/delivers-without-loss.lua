return {
  section = "engine/unreliable",
  title = "UnreliableRemoteEvent with loss = 0 delivers FireServer and FireAllClients after the latency",
  network = { latency = 0.1, loss = 0 },
  tree = { ReplicatedStorage = { UnreliableRemoteEvent = "UnreliableRemoteEvent" } },
  server = [[
local ev = game.ReplicatedStorage.UnreliableRemoteEvent
ev.OnServerEvent:Connect(function(player, pos)
	print("server got", player.Name, pos)
	ev:FireAllClients(player.Name, pos)
end)
]],
  client = [[
local ev = game.ReplicatedStorage.UnreliableRemoteEvent
ev.OnClientEvent:Connect(function(who, pos) print("client got", who, pos) end)
task.wait(1 - time())
ev:FireServer(Vector3.new(1, 0, 1))
]],
  expect = {
    output = {
      { "server: server got Player1 1, 0, 1", at = 1.1 },
      { "Player1: client got Player1 1, 0, 1", at = 1.2 },
    },
  },
}
