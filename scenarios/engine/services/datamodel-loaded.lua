-- game:IsLoaded() is true on the server from the start and on a client once
-- its replicated snapshot arrived, which is when its LocalScripts start;
-- game.Loaded fired then.  A game.Loaded:Wait() made after that waits
-- forever, as in Roblox, which is why scripts write
-- `if not game:IsLoaded() then game.Loaded:Wait() end`.
return {
  section = "engine/services",
  title = "IsLoaded is true where scripts run; Loaded:Wait() after loading waits forever",
  network = { latency = 0.1 },
  server = [[
print("server loaded", game:IsLoaded())
]],
  client = [[
print("client loaded", game:IsLoaded(), os.clock())
if not game:IsLoaded() then
	game.Loaded:Wait()
end
print("past the idiom")
game.Loaded:Wait()
print("never")
]],
  expect = {
    output = {
      "server: server loaded true",
      { "Player1: client loaded true 0.1", at = 0.1 },
      "Player1: past the idiom",
    },
    output_excludes = { "Player1: never" },
    blocked = { { peer = "Player1", on = "Loaded:Wait" } },
  },
}
