return {
  section = "argument-limitations/passed-functions",
  title = "a function stored in a dictionary field disappears; the other fields arrive",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	local n = 0
	for k in t do n += 1 end
	print("fields", n, t.name, t.callback)
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer({ name = "button", callback = function() print("clicked") end })
]],
  expect = { output = { "server: fields 1 button nil" } },
}
