-- Roblox locks the DataModel and its services: Destroy and
-- ClearAllChildren on them error, and the world stays whole, so a player
-- who joins afterwards still gets a Players service to join.
return {
  section = "engine/services",
  title = "game:Destroy(), workspace:Destroy() and game:ClearAllChildren() error; a later join still works",
  clients = 1,
  server = [[
print(pcall(function() game:Destroy() end))
print(pcall(function() workspace:Destroy() end))
print(pcall(function() game:ClearAllChildren() end))
print(workspace.Parent == game, game:GetService("Players").Parent == game)
game:GetService("Players").PlayerAdded:Connect(function(p)
	print("joined", p.Name)
end)
]],
  client = [[
print(pcall(function() game:Destroy() end))
print(game:GetService("Players").LocalPlayer.Name)
]],
  expect = {
    output = {
      "server: false ServerScriptService.Script:1: The Parent property of Game is locked",
      "server: false ServerScriptService.Script:2: The Parent property of Workspace is locked",
      "server: false ServerScriptService.Script:3: The Parent property of Workspace is locked",
      "server: true true",
      "server: joined Player1",
      { match = "^Player1: false .*The Parent property of Game is locked$" },
      "Player1: Player1",
    },
  },
}
