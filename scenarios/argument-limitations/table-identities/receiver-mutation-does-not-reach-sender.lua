return {
  section = "argument-limitations/table-identities",
  title = "changing a received table changes only the copy: the server's table is untouched",
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
local stock = { apples = 3 }
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function()
	return stock
end
task.wait(1)
print("server stock still", stock.apples)
]],
  client = [[
local rf = game.ReplicatedStorage.RemoteFunction
local first = rf:InvokeServer()
first.apples = 0
local second = rf:InvokeServer()
print("copies:", first == second, "second sees", second.apples)
]],
  expect = {
    output = {
      "Player1: copies: false second sees 3",
      "server: server stock still 3",
    },
  },
}
