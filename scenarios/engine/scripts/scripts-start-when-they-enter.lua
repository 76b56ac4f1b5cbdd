-- A script made or moved at run time starts when it enters a place where
-- it runs (a Script parented into Workspace or ServerScriptService, a
-- LocalScript put in the player's PlayerGui), or when it is enabled
-- there; once. A Script left in ServerStorage does not start.
return {
  section = "engine/scripts",
  title = "scripts start when they enter a place where they run, or are enabled there",
  clients = 1,
  tree = {
    ServerStorage = {
      Template = { class = "Script", source = [[print(script.Name, "runs in", script.Parent.Name)]] },
    },
    ReplicatedStorage = {
      Gui = { class = "LocalScript", source = [[print("gui script runs in", script.Parent.Name)]] },
    },
  },
  server = [[
    local template = game.ServerStorage.Template
    task.wait(1)
    local copy = template:Clone()
    copy.Parent = workspace
    task.wait(1)
    local off = template:Clone()
    off.Disabled = true
    off.Name = "Off"
    off.Parent = game.ServerScriptService
    print("parented, still disabled")
    task.wait(1)
    off.Enabled = true
    copy.Parent = game.ServerScriptService -- moving a running script does not restart it
  ]],
  client = [[
    task.wait(1.5)
    local gui = game.ReplicatedStorage.Gui:Clone()
    gui.Parent = game.Players.LocalPlayer.PlayerGui
  ]],
  expect = {
    output = {
      { "server: Template runs in Workspace", at = 1 },
      { "Player1: gui script runs in PlayerGui", at = 1.5 },
      { "server: parented, still disabled", at = 2 },
      { "server: Off runs in ServerScriptService", at = 3 },
    },
    output_excludes = {
      "server: Template runs in ServerStorage",
      "server: Template runs in ServerScriptService",
    },
  },
}
