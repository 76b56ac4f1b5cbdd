-- roblox-ts 3.0.0's RuntimeLib and Promise, unchanged: Promise.delay
-- waits on the virtual clock, chains pass values on, TS.async/TS.await
-- yield a script until a remote round trip settles, and a rejection
-- reaches catch.
local RUNTIME = [[local TS = require(game:GetService("ReplicatedStorage"):WaitForChild("rbxts_include"):WaitForChild("RuntimeLib"))
]]
return {
  section = "libraries",
  title = "roblox-ts runtime: Promise.delay on the virtual clock, chains, TS.async/TS.await over InvokeServer, catch",
  clients = 1,
  network = { latency = 0.05 },
  project = "../../build/libs/default.project.json",
  tree = { ReplicatedStorage = { Price = "RemoteFunction" } },
  server = RUNTIME .. [[
    local prices = { sword = 30 }
    game:GetService("ReplicatedStorage").Price.OnServerInvoke = function(player, item)
      local price = prices[item]
      if price == nil then
        error("no such item: " .. item, 0)
      end
      return price
    end
    TS.Promise.delay(1.5):andThen(function(waited)
      print("delay resolved after", string.format("%.4f", waited))
      return 2
    end):andThen(function(n)
      return TS.Promise.delay(n):andThenReturn(n * 10)
    end):andThen(function(v)
      print("chain value", v)
    end)
    TS.Promise.all({ TS.Promise.resolve(1), TS.Promise.delay(0.5):andThenReturn(2) }):andThen(function(values)
      print("all", values[1], values[2])
    end)
    TS.Promise.race({ TS.Promise.delay(2):andThenReturn("slow"), TS.Promise.delay(1):andThenReturn("fast") }):andThen(print)
    TS.Promise.delay(10):timeout(0.25, "timed out"):catch(function(e)
      print("catch", e)
    end)
  ]],
  client = RUNTIME .. [[
    local Price = game:GetService("ReplicatedStorage"):WaitForChild("Price")
    local fetchPrice = TS.async(function(item)
      return Price:InvokeServer(item)
    end)
    local main = TS.async(function()
      local price = TS.await(fetchPrice("sword"))
      print("sword costs", price)
      local ok, err = pcall(function()
        return TS.await(fetchPrice("bow"))
      end)
      print("bow", ok, err)
    end)
    main():andThen(function()
      print("main done")
    end)
  ]],
  expect = {
    output = {
      -- InvokeServer round trips: 0.05 up, 0.05 down, from the client's
      -- start at 0.05.
      { "Player1: sword costs 30", at = 0.15 },
      { "Player1: bow false no such item: bow", at = 0.25 },
      { "Player1: main done", at = 0.25 },
      -- Promise.delay and timeout settle on the first Heartbeat at or
      -- after their time (frames every 1/60 s).
      { "server: catch timed out", at = 0.2667 },
      { "server: all 1 2", at = 0.5167 },
      { "server: fast", at = 1.0167 },
      { "server: delay resolved after 1.5167", at = 1.5167 },
      { "server: chain value 20", at = 3.5333 },
    },
    output_excludes = { "server: slow" },
  },
}
