return {
  section = "engine/replication",
  title = "a part destroyed on the server disappears from the client one latency later",
  network = { latency = 0.1 },
  tree = { Workspace = { Crate = "Part" } },
  server = [[
task.wait(1)
workspace.Crate:Destroy()
]],
  client = [[
workspace.ChildRemoved:Connect(function(c) print("removed", c.Name) end)
task.wait(1.5 - time())
print("crate now", workspace:FindFirstChild("Crate"))
]],
  expect = {
    output = {
      { "Player1: removed Crate", at = 1.1 },
      { "Player1: crate now nil", at = 1.5 },
    },
  },
}
