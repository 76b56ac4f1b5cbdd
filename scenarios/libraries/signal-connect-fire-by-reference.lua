-- @rbxts/signal 1.1.1, unchanged: a BindableEvent wrapper that passes
-- arguments by reference (its README's example), driven by remote events
-- in both directions.
local RUNTIME = [[local TS = require(game:GetService("ReplicatedStorage"):WaitForChild("rbxts_include"):WaitForChild("RuntimeLib"))
local Signal = TS.import(script, game:GetService("ReplicatedStorage"), "rbxts_include", "node_modules", "@rbxts", "signal")
]]
return {
  section = "libraries",
  title = "signal: Connect with a closure, Fire passes the same table, Wait, Once, Disconnect",
  clients = 1,
  network = { latency = 0.05 },
  project = "../../build/libs/default.project.json",
  tree = { ReplicatedStorage = { Ping = "RemoteEvent", Pong = "RemoteEvent" } },
  server = RUNTIME .. [[
    local ReplicatedStorage = game:GetService("ReplicatedStorage")
    local scored = Signal.new()
    local total = 0
    local last
    local connection = scored:Connect(function(player, points)
      total += points.value
      last = points
      print(player.Name .. " scored " .. points.value .. ", total " .. total)
    end)
    scored:Once(function(_, points)
      print("first score " .. points.value)
    end)
    task.spawn(function()
      local player, points = scored:Wait()
      print("waited for " .. player.Name .. " " .. points.value)
    end)
    ReplicatedStorage.Ping.OnServerEvent:Connect(function(player, value)
      local points = { value = value }
      scored:Fire(player, points)
      task.wait()
      print("same table", last == points)
      if total >= 10 then
        connection:Disconnect()
        scored:Fire(player, { value = 100 })
        task.wait()
        print("after Disconnect, total " .. total)
        ReplicatedStorage.Pong:FireClient(player, total)
      end
    end)
  ]],
  client = RUNTIME .. [[
    local ReplicatedStorage = game:GetService("ReplicatedStorage")
    local done = Signal.new()
    done:Connect(function(total)
      print("server says total " .. total)
    end)
    ReplicatedStorage.Pong.OnClientEvent:Connect(function(total)
      done:Fire(total)
    end)
    ReplicatedStorage.Ping:FireServer(3)
    task.wait(1)
    ReplicatedStorage.Ping:FireServer(7)
  ]],
  expect = {
    output = {
      { "server: Player1 scored 3, total 3", at = 0.1 },
      { "server: first score 3", at = 0.1 },
      { "server: waited for Player1 3", at = 0.1 },
      { "server: same table true", at = 0.1167 },
      { "server: Player1 scored 7, total 10", at = 1.1 },
      { "server: same table true", at = 1.1167 },
      { "server: after Disconnect, total 10", at = 1.1333 },
      { "Player1: server says total 10", at = 1.1833 },
    },
    output_excludes = { "server: first score 7", { match = "scored 100" } },
  },
}
