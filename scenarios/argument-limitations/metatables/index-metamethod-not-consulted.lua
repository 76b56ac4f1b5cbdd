return {
  section = "argument-limitations/metatables",
  title = "a proxy table whose fields come only from __index arrives empty; __index is never called by the send",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, t)
	print("received", next(t), t.hp)
end)
]],
  client = [[
local proxy = setmetatable({}, {
	__index = function(_, k)
		print("__index called for", k)
		return 100
	end,
})
print("local read", proxy.hp)
game.ReplicatedStorage.RemoteEvent:FireServer(proxy)
]],
  expect = {
    output = {
      "Player1: __index called for hp",
      "Player1: local read 100",
      "server: received nil nil",
    },
  },
}
