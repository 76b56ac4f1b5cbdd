return {
  section = "argument-limitations/non-string-indices",
  title = "boolean and float keys arrive as the strings \"true\" and \"2.5\"",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	print(t["true"], t["2.5"], t[true], t[2.5])
	for k in t do print(typeof(k)) end
end)
]],
  client = [[
game.ReplicatedStorage.RemoteEvent:FireServer({ [true] = "yes", [2.5] = "half" })
]],
  expect = {
    output = { "server: yes half nil nil", "server: string", "server: string" },
    output_excludes = { "server: boolean", "server: number" },
  },
}
