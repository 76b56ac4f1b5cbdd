return {
  section = "engine/players",
  title = "InvokeClient pending when a player leaves errors; one to the Player of the new session answers",
  clients = 1,
  network = { latency = 0.05 },
  tree = { ReplicatedStorage = { Ask = "RemoteFunction" } },
  server = [[
local Players = game:GetService("Players")
local ask = game.ReplicatedStorage.Ask
Players.PlayerAdded:Connect(function(p)
	local ok, res = pcall(ask.InvokeClient, ask, p, "hello")
	print("asked", p.Name, ok, res)
end)
]],
  client = [[
game.ReplicatedStorage.Ask.OnClientInvoke = function(q)
	if time() < 1 then
		task.wait(10)     -- the first session never answers
	end
	return q .. " back"
end
]],
  timeline = {
    { at = 1, disconnect = "Player1" },
    { at = 2, join = "Player1" },
  },
  expect = {
    output = {
      { match = "^server: asked Player1 false Player Player1 disconnected during remote call to Ask$", at = 1 },
      { "server: asked Player1 true hello back", at = 2.1 },
    },
  },
}
