-- The README's example: FireServer reaches the server after the latency.
return {
  section = "remote-events/client-server",
  title = "FireServer reaches OnServerEvent after the latency, player first",
  clients = 1,
  network = { latency = 0.05 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
    local remote = game:GetService("ReplicatedStorage").RemoteEvent
    remote.OnServerEvent:Connect(function(player, color, position)
      print(player.Name, color, position)
    end)
  ]],
  client = [[
    local remote = game:GetService("ReplicatedStorage").RemoteEvent
    remote:FireServer(Color3.fromRGB(255, 0, 0), Vector3.new(0, 25, -20))
  ]],
  expect = {
    output = {
      { "server: Player1 1, 0, 0 0, 25, -20", at = 0.1 },
    },
  },
}
