return {
  section = "engine/replication",
  title = "a server-side property change reaches the client one latency later",
  network = { latency = 0.25 },
  tree = { Workspace = { Door = "Part" } },
  server = [[
task.wait(1)
workspace.Door.Transparency = 0.5
print("changed")
]],
  client = [[
local door = workspace:WaitForChild("Door")
print("start", door.Transparency)
door:GetPropertyChangedSignal("Transparency"):Connect(function()
	print("now", door.Transparency)
end)
]],
  expect = {
    output = {
      "Player1: start 0",
      { "server: changed", at = 1 },
      { "Player1: now 0.5", at = 1.25 },
    },
  },
}
