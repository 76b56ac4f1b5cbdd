return {
  section = "remote-events/client-server",
  title = "OnServerEvent handlers get the firing Player first, then the arguments",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, a, b)
	print(typeof(player), player.ClassName, player.Name, player == game.Players.Player1)
	print("args", a, b)
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer("first", "second")
]],
  expect = {
    output = {
      "server: Instance Player Player1 true",
      "server: args first second",
    },
  },
}
