return {
  section = "engine/replication",
  title = "a client changing a replicated part's property changes only its own copy",
  clients = 2,
  tree = { Workspace = { Sign = "Part" } },
  server = [[
task.wait(1)
print("server name", workspace.Sign.Name, workspace.Sign.Transparency)
]],
  client = [[
if game.Players.LocalPlayer.Name == "Player1" then
	workspace.Sign.Transparency = 1
end
task.wait(1)
print("transparency", workspace.Sign.Transparency)
]],
  expect = {
    output = {
      "server: server name Sign 0",
      "Player1: transparency 1",
      "Player2: transparency 0",
    },
  },
}
