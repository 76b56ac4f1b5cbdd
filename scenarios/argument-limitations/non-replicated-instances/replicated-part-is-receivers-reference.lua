return {
  section = "argument-limitations/non-replicated-instances",
  title = "a part in Workspace sent by the server arrives as the client's own copy of that part",
  network = { latency = 0.1 },
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.Players.PlayerAdded:Connect(function(player)
	local crate = Instance.new("Part")
	crate.Name = "Crate"
	crate.Parent = workspace
	game.ReplicatedStorage.RemoteEvent:FireClient(player, crate)
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(part)
	print(part.Name, part.ClassName, part:IsDescendantOf(workspace), part == workspace:FindFirstChild("Crate"))
end)
]],
  expect = { output = { "Player1: Crate Part true true" } },
}
