return {
  section = "remote-callbacks/client-server-client",
  title = "when OnServerInvoke is assigned twice (by two scripts, the second 0.1 s later), only the last assignment runs",
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = {
    { name = "First", source = [[
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function()
	print("first callback ran")
	return "first"
end
]] },
    { name = "Second", source = [[
task.wait(0.1)
game.ReplicatedStorage.RemoteFunction.OnServerInvoke = function()
	print("second callback ran")
	return "second"
end
]] },
  },
  client = [[
task.wait(0.5)
print("answer", game.ReplicatedStorage.RemoteFunction:InvokeServer())
]],
  expect = {
    output = { "server: second callback ran", "Player1: answer second" },
    output_excludes = { "server: first callback ran" },
  },
}
