return {
  section = "argument-limitations/passed-functions",
  title = "a function argument becomes nil in its slot; later arguments do not shift",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, a, b, c)
	print(select("#", a, b, c), a, b, c)
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer("before", function() end, "after")
]],
  expect = { output = { "server: 3 before nil after" } },
}
