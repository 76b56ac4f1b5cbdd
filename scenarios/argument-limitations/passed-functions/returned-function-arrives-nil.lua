return {
  section = "argument-limitations/passed-functions",
  title = "a function returned from OnServerInvoke arrives at the invoker as nil",
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function()
	return function() return "secret" end, "tail"
end
]],
  client = [[
local f, tail = game.ReplicatedStorage.RemoteFunction:InvokeServer()
print(typeof(f), tail)
]],
  expect = { output = { "Player1: nil tail" } },
}
