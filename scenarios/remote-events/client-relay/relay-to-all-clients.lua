return {
  section = "remote-events/client-relay",
  title = "a chat relay: FireServer then FireAllClients from OnServerEvent reaches every client, the sender too",
  clients = 3,
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
remoteEvent.OnServerEvent:Connect(function(sender, text)
	remoteEvent:FireAllClients(sender.Name, text)
end)
]],
  client = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
remoteEvent.OnClientEvent:Connect(function(from, text)
	print(from .. ": " .. text)
end)
if game.Players.LocalPlayer.Name == "Player3" then
	remoteEvent:FireServer("anyone there?")
end
]],
  expect = {
    output = {
      "Player1: Player3: anyone there?",
      "Player2: Player3: anyone there?",
      "Player3: Player3: anyone there?",
    },
  },
}
