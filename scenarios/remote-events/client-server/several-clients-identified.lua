return {
  section = "remote-events/client-server",
  title = "with three clients firing, each event names the Player that fired it",
  clients = 3,
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, claimed)
	print(player.Name, "sent", claimed, player.Name == claimed)
end)
]],
  client = [[
local me = game:GetService("Players").LocalPlayer
task.wait(tonumber(string.sub(me.Name, 7)) * 0.5)
game.ReplicatedStorage.RemoteEvent:FireServer(me.Name)
]],
  expect = {
    output = {
      { "server: Player1 sent Player1 true", at = 0.5 },
      { "server: Player2 sent Player2 true", at = 1.0 },
      { "server: Player3 sent Player3 true", at = 1.5 },
    },
    output_excludes = { { match = "false$" } },
  },
}
