return {
  section = "remote-callbacks/client-server-client",
  title = "InvokeServer at t=1 with 0.2 s latency and a 0.5 s callback returns at t=1.9 (2 x latency + callback time)",
  network = { latency = 0.2 },
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function(player)
	print("callback starts")
	task.wait(0.5)
	print("callback returns")
	return "done"
end
]],
  client = [[
task.wait(1 - time())
print("invoking")
local r = game.ReplicatedStorage.RemoteFunction:InvokeServer()
print("got", r)
]],
  expect = {
    output = {
      { "Player1: invoking", at = 1.0 },
      { "server: callback starts", at = 1.2 },
      { "server: callback returns", at = 1.7 },
      { "Player1: got done", at = 1.9 },
    },
  },
}
