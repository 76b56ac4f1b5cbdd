return {
  section = "engine/queueing",
  title = "two InvokeServer calls made while OnServerInvoke is unset both wait, then run in order when it is assigned",
  clients = 2,
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
task.wait(1)
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function(player)
	print("serving", player.Name)
	return "ok " .. player.Name
end
]],
  client = [[
local me = game.Players.LocalPlayer.Name
if me == "Player2" then task.wait(0.2) end
print(game.ReplicatedStorage.RemoteFunction:InvokeServer())
]],
  expect = {
    output = {
      { "server: serving Player1", at = 1 },
      { "server: serving Player2", at = 1 },
      { "Player1: ok Player1", at = 1 },
      { "Player2: ok Player2", at = 1 },
    },
  },
}
