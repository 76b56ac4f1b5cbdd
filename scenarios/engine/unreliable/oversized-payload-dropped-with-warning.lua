return {
  section = "engine/unreliable",
  title = "an UnreliableRemoteEvent payload over 900 bytes is dropped with a warning; a small one goes through",
  tree = { ReplicatedStorage = { UnreliableRemoteEvent = "UnreliableRemoteEvent" } },
  server = [[
game.ReplicatedStorage.UnreliableRemoteEvent.OnServerEvent:Connect(function(player, s)
	print("arrived", #s)
end)
]],
  client = [[
local ev = game.ReplicatedStorage.UnreliableRemoteEvent
ev:FireServer(string.rep("x", 1000))
print("FireServer returned")
ev:FireServer(string.rep("y", 100))
]],
  expect = {
    output = {
      { match = "^Player1: UnreliableRemoteEvent UnreliableRemoteEvent: the payload %(%d+ bytes%) is over the 900%-byte limit and was dropped$" },
      "Player1: FireServer returned",
      "server: arrived 100",
    },
    output_excludes = { "server: arrived 1000" },
  },
}
