return {
  section = "remote-callbacks/server-client-server",
  title = "InvokeClient errors with \"Player Player1 disconnected during remote call to RemoteFunction\" when the client leaves mid-call",
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  timeline = { { at = 1, disconnect = "Player1" } },
  server = [[
local player = game.Players:WaitForChild("Player1")
task.wait(0.5)
local rf = game.ReplicatedStorage.RemoteFunction
local ok, err = pcall(rf.InvokeClient, rf, player)
print(ok, err)
]],
  client = [[
game.ReplicatedStorage.RemoteFunction.OnClientInvoke = function()
	print("thinking")
	task.wait(5)
	return "too late"
end
]],
  expect = {
    output = {
      { "Player1: thinking", at = 0.5 },
      { "server: false Player Player1 disconnected during remote call to RemoteFunction", at = 1 },
    },
  },
}
