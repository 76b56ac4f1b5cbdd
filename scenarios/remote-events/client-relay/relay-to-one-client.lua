return {
  section = "remote-events/client-relay",
  title = "Player1 -> FireServer -> server FireClient(Player2): Player2 hears Player1's message one hop later",
  clients = 2,
  network = { latency = 0.1 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
local Players = game:GetService("Players")
local remoteEvent = game.ReplicatedStorage.RemoteEvent
remoteEvent.OnServerEvent:Connect(function(sender, targetName, text)
	print("relaying", sender.Name, "->", targetName)
	remoteEvent:FireClient(Players[targetName], sender.Name, text)
end)
]],
  client = [[
local me = game.Players.LocalPlayer
local remoteEvent = game.ReplicatedStorage.RemoteEvent
remoteEvent.OnClientEvent:Connect(function(from, text)
	print("message from", from, ":", text)
end)
if me.Name == "Player1" then
	task.wait(1 - time())
	remoteEvent:FireServer("Player2", "hi there")
end
]],
  expect = {
    output = {
      { "server: relaying Player1 -> Player2", at = 1.1 },
      { "Player2: message from Player1 : hi there", at = 1.2 },
    },
    output_excludes = { { match = "^Player1: message from" } },
  },
}
