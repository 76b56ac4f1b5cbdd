-- Where a game's scripts run, by class, RunContext and container (Roblox's
-- "Script types and locations"): legacy Scripts in ServerScriptService,
-- RunContext Server anywhere but ServerStorage, RunContext Client and
-- LocalScripts on clients only where they run, ReplicatedFirst first.
return {
  section = "engine/scripts",
  title = "scripts run on the side and in the containers Roblox runs them",
  project = "game/default.project.json",
  clients = 1,
  network = { latency = 0.05 },
  expect = {
    output = {
      { "server: RunContext Server in ReplicatedStorage, on server", at = 0 },
      { "server: server: legacy Script in ServerScriptService", at = 0 },
      { "Player1: ReplicatedFirst first", at = 0.05 },
      { "Player1: RunContext Client in ReplicatedStorage, on client", at = 0.05 },
      "Player1: module beside the client scripts Players.Player1.PlayerScripts.Main",
      "Player1: in PlayerGui: PlayerGui",
    },
    output_excludes = {
      { match = "never" },
      "server: RunContext Client in ReplicatedStorage, on server",
      "Player1: RunContext Server in ReplicatedStorage, on client",
    },
  },
}
