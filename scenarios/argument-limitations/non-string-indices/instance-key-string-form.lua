return {
  section = "argument-limitations/non-string-indices",
  title = "an Instance key arrives as the string \"<Instance> (Baseplate)\" with its value kept",
  tree = { Workspace = { Baseplate = "Part" }, ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	for k, v in t do
		print(typeof(k), k, v)
	end
	print("lookup by instance:", t[workspace.Baseplate])
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer({ [workspace.Baseplate] = "owned" })
]],
  expect = {
    output = {
      "server: string <Instance> (Baseplate) owned",
      "server: lookup by instance: nil",
    },
  },
}
