return {
  section = "argument-limitations/non-replicated-instances",
  title = "a replicated instance sent by a client arrives as the server's own instance (== workspace.Baseplate)",
  tree = { Workspace = { Baseplate = "Part" }, ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, part)
	print(part.Name, part == workspace.Baseplate)
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer(workspace.Baseplate)
]],
  expect = { output = { "server: Baseplate true" } },
}
