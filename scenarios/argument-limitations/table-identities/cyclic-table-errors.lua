return {
  section = "argument-limitations/table-identities",
  title = "a table that contains itself cannot be sent: FireServer errors \"tables cannot be cyclic\"",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	print("server received something", t)
end)
]],
  client = [[
local t = { name = "loop" }
t.self = t
local ok, err = pcall(function()
	game.ReplicatedStorage.RemoteEvent:FireServer(t)
end)
print(ok, err)
]],
  expect = {
    output = { { match = "^Player1: false .*tables cannot be cyclic$" } },
    output_excludes = { { match = "^server: server received" } },
  },
}
