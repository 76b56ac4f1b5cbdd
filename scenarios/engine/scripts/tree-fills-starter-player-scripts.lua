-- A scenario tree naming StarterPlayer.StarterPlayerScripts fills the real
-- one (not a second folder of that name), and all of it is copied to each
-- player's PlayerScripts: the modules beside the LocalScripts too.
return {
  section = "engine/scripts",
  title = "a tree's StarterPlayerScripts is the real one, copied whole",
  clients = 1,
  tree = {
    StarterPlayer = {
      StarterPlayerScripts = {
        Util = { class = "ModuleScript", source = [[return 42]] },
        Main = { class = "LocalScript", source = [[
          print(require(script.Parent.Util), #game.StarterPlayer:GetChildren())
        ]] },
      },
    },
  },
  expect = { output = { "Player1: 42 2" } },
}
