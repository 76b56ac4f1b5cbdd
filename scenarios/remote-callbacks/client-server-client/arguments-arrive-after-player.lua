return {
  section = "remote-callbacks/client-server-client",
  title = "OnServerInvoke gets the invoking Player first, then InvokeServer's arguments",
  clients = 2,
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function(player, word)
	return player.Name .. " said " .. word
end
]],
  client = [[
local me = game.Players.LocalPlayer.Name
print(game.ReplicatedStorage.RemoteFunction:InvokeServer("hi from " .. me))
]],
  expect = {
    output = {
      "Player1: Player1 said hi from Player1",
      "Player2: Player2 said hi from Player2",
    },
  },
}
