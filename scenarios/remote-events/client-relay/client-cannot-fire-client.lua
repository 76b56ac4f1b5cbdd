return {
  section = "remote-events/client-relay",
  title = "a client calling FireClient to reach another player errors, and the other player hears nothing",
  clients = 2,
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  client = [[
local remoteEvent = game.ReplicatedStorage.RemoteEvent
remoteEvent.OnClientEvent:Connect(function(...)
	print("client heard", ...)
end)
if game.Players.LocalPlayer.Name == "Player1" then
	local other = game.Players:WaitForChild("Player2")
	local ok, err = pcall(function()
		remoteEvent:FireClient(other, "direct")
	end)
	print(ok, err)
end
]],
  expect = {
    output = { { match = "^Player1: false .*FireClient can only be called from the server$" } },
    output_excludes = { { match = "client heard" } },
  },
}
