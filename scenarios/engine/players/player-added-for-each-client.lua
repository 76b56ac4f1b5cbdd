return {
  section = "engine/players",
  title = "Players.PlayerAdded fires on the server once per joining client, named Player1..Player3",
  clients = 3,
  server = [[
game.Players.PlayerAdded:Connect(function(p)
	print("added", p.Name, p.ClassName, p.Parent == game.Players)
end)
]],
  expect = {
    output = {
      "server: added Player1 Player true",
      "server: added Player2 Player true",
      "server: added Player3 Player true",
    },
  },
}
