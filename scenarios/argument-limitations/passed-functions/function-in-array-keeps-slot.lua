return {
  section = "argument-limitations/passed-functions",
  title = "a function inside an array becomes a nil hole in its slot: {1, fn, 3} arrives with t[3] == 3",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	print(t[1], t[2], t[3])
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer({ 1, print, 3 })
]],
  expect = { output = { "server: 1 nil 3" } },
}
