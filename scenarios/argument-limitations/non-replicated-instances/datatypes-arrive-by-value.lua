return {
  section = "argument-limitations/non-replicated-instances",
  title = "datatypes (Vector3, Color3, CFrame, EnumItem) arrive by value with their types",
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(player, v, c, cf, e)
	print(typeof(v), v, v == Vector3.new(1, 2, 3))
	print(typeof(c), c, c == Color3.new(1, 0.5, 0))
	print(typeof(cf), cf.Position, cf == CFrame.new(4, 5, 6))
	print(typeof(e), e, e == Enum.Material.Neon)
end)
]],
  client = [[
local v = Vector3.new(1, 2, 3)
game.ReplicatedStorage.RemoteEvent:FireServer(v, Color3.new(1, 0.5, 0), CFrame.new(4, 5, 6), Enum.Material.Neon)
]],
  expect = {
    output = {
      "server: Vector3 1, 2, 3 true",
      "server: Color3 1, 0.5, 0 true",
      "server: CFrame 4, 5, 6 true",
      "server: EnumItem Enum.Material.Neon true",
    },
  },
}
