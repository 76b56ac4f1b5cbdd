-- A client that fires faster than its remote_rate has the excess held, not
-- dropped: the first `rate` requests leave at once, then one per 1/rate s.
return {
  section = "engine/network",
  title = "client-to-server requests over the throttle rate are delayed in order, not dropped",
  clients = 1,
  network = { remote_rate = 10 },
  tree = { ReplicatedStorage = { Spam = "RemoteEvent" } },
  server = [[
    local count = 0
    game.ReplicatedStorage.Spam.OnServerEvent:Connect(function(player, i)
      count += 1
      if i == 10 or i == 11 or i == 20 then
        print("request", i, "arrived; total", count)
      end
    end)
  ]],
  client = [[
    for i = 1, 20 do
      game.ReplicatedStorage.Spam:FireServer(i)
    end
  ]],
  expect = {
    output = {
      { "server: request 10 arrived; total 10", at = 0 },
      { "server: request 11 arrived; total 11", at = 0.1 },
      { "server: request 20 arrived; total 20", at = 1.0 },
    },
  },
}
