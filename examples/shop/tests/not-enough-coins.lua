-- A second purchase the player cannot afford is refused by the server,
-- and an item that does not exist is refused too: the client's request is
-- checked, not trusted.
return {
  title = "shop: the server refuses what a player cannot afford or name",
  project = "../default.project.json",
  clients = 1,
  client = [[
    local buy = game.ReplicatedStorage:WaitForChild("Remotes"):WaitForChild("Buy")
    task.wait(1)
    print(buy:InvokeServer("Shield"))
    print(buy:InvokeServer("Laser"))
    print(buy:InvokeServer({ "Sword" }))
  ]],
  expect = {
    output = {
      "Player1: true bought Sword, 10 coins left",
      "Player1: false not enough coins for Shield (10 < 30)",
      "Player1: false no such item: Laser",
      "Player1: false bad request",
    },
  },
}
