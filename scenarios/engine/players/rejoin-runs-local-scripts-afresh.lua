return {
  section = "engine/players",
  title = "a rejoining player's client starts afresh: its LocalScripts run again in a new VM",
  clients = 1,
  network = { latency = 0.05 },
  client = [[
local me = game:GetService("Players").LocalPlayer
_G.sessions = (_G.sessions or 0) + 1
print("started", me.Name, me.UserId, _G.sessions, time())
task.wait(0.5)
print("still here", time())
]],
  timeline = {
    { at = 0.2, disconnect = "Player1" },
    { at = 1, join = "Player1" },
  },
  expect = {
    output = {
      { "Player1: started Player1 1 1 0.05", at = 0.05 },
      { "Player1: started Player1 1 1 1.05", at = 1.05 },
      { "Player1: still here 1.55", at = 1.55 },
    },
    output_excludes = { "Player1: still here 0.55" },
  },
}
