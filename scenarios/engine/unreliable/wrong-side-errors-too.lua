return {
  section = "engine/unreliable",
  title = "UnreliableRemoteEvent keeps RemoteEvent's side rules: FireServer on the server errors",
  tree = { ReplicatedStorage = { UnreliableRemoteEvent = "UnreliableRemoteEvent" } },
  server = [[
game.ReplicatedStorage.UnreliableRemoteEvent:FireServer("x")
]],
  expect = {
    errors = { { peer = "server", match = "FireServer can only be called from the client$" } },
  },
}
