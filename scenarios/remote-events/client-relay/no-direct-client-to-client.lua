return {
  section = "remote-events/client-relay",
  title = "without a server relay, a client's FireServer never reaches another client's OnClientEvent",
  clients = 2,
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(sender, text)
	print("server got", text, "from", sender.Name)
end)
]],
  client = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
remoteEvent.OnClientEvent:Connect(function(...)
	print("client heard", ...)
end)
if game.Players.LocalPlayer.Name == "Player1" then
	remoteEvent:FireServer("psst")
end
]],
  expect = {
    output = { "server: server got psst from Player1" },
    output_excludes = { { match = "client heard" } },
  },
}
