return {
  section = "remote-callbacks/server-client-server",
  title = "when OnClientInvoke never returns, the server's InvokeClient yields forever",
  duration = 10,
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
local player = game.Players:WaitForChild("Player1")
task.wait(0.5)
print("invoking")
local r = game.ReplicatedStorage.RemoteFunction:InvokeClient(player)
print("never printed", r)
]],
  client = [[
local never = Instance.new("BindableEvent")
game.ReplicatedStorage.RemoteFunction.OnClientInvoke = function()
	print("waiting on something that never happens")
	never.Event:Wait()
	return "unreachable"
end
]],
  expect = {
    output = { "server: invoking", "Player1: waiting on something that never happens" },
    output_excludes = { { match = "never printed" } },
    blocked = {
      { peer = "server", on = "InvokeClient" },
      { peer = "Player1", on = "Event" },
    },
  },
}
