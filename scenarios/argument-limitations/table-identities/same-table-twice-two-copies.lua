return {
  section = "argument-limitations/table-identities",
  title = "the same table passed twice in one call arrives as two distinct tables",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, a, b)
	print(a == b, rawequal(a, b), a.v, b.v)
end)
]],
  client = [[
local shared = { v = 1 }
game.ReplicatedStorage.RemoteEvent:FireServer(shared, shared)
]],
  expect = { output = { "server: false false 1 1" } },
}
