-- The shop game, run as it is, with two players: each buys a sword over
-- the Buy RemoteFunction, and a chat line from Player1 reaches Player2
-- through the server's relay.
return {
  title = "shop: players buy a sword and chat through the server",
  project = "../default.project.json",
  clients = 2,
  network = { latency = 0.05 },
  client = { { name = "Chatter", source = [[
    local chat = game.ReplicatedStorage:WaitForChild("Remotes"):WaitForChild("Chat")
    if game.Players.LocalPlayer.Name == "Player1" then
      task.wait(1)
      chat:FireServer("hello from 1")
    end
  ]] } },
  expect = {
    output = {
      { "server: shop open: Welcome to the shop!", at = 0 },
      { "Player1: loading screen up", at = 0.05 },
      "Player1: HUD ready in Players.Player1.PlayerGui.HUD",
      { "server: Player1 bought Sword", at = 0.1 },
      { "Player1: true bought Sword, 10 coins left", at = 0.15 },
      "Player1: Players.Player1.PlayerScripts.Client.Main ScreenGui",
      { "Player2: Player1 says hello from 1", at = 1.15 },
    },
    output_excludes = { "Player1: Player1 says hello from 1" },
  },
}
