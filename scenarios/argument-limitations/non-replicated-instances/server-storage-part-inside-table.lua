return {
  section = "argument-limitations/non-replicated-instances",
  title = "a ServerStorage part inside an array becomes nil in its slot; visible parts beside it arrive",
  tree = {
    Workspace = { Baseplate = "Part" },
    ServerStorage = { Secret = "Part" },
    ReplicatedStorage = { RemoteEvent = "RemoteEvent" },
  },
  server = [[
task.wait(0.5)
game.ReplicatedStorage.RemoteEvent:FireAllClients({ game.ServerStorage.Secret, workspace.Baseplate })
]],
  client = [[
game.ReplicatedStorage.RemoteEvent.OnClientEvent:Connect(function(t)
	print(t[1], t[2])
end)
]],
  expect = { output = { "Player1: nil Baseplate" } },
}
