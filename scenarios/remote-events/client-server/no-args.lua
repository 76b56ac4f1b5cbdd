return {
  section = "remote-events/client-server",
  title = "FireServer() with no arguments gives the handler only the Player",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, ...)
	print(player.Name, "extra args:", select("#", ...))
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer()
]],
  expect = { output = { "server: Player1 extra args: 0" } },
}
