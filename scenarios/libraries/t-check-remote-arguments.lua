-- @rbxts/t 3.2.1, unchanged: the server checks what a client sends, as
-- t's README recommends for remotes; good payloads pass, bad ones are
-- rejected. (@rbxts/t is t without its messages: a check returns only
-- true or false; t.strict turns false into an assertion error.)
return {
  section = "libraries",
  title = "t: a server checks remote arguments, accepting good ones and rejecting bad ones; t.strict errors",
  clients = 1,
  network = { latency = 0.05 },
  project = "../../build/libs/default.project.json",
  tree = { ReplicatedStorage = { Buy = "RemoteEvent" } },
  server = [[
    -- Compiled with roblox-ts v3.0.0
    local TS = require(game:GetService("ReplicatedStorage"):WaitForChild("rbxts_include"):WaitForChild("RuntimeLib"))
    local t = TS.import(script, game:GetService("ReplicatedStorage"), "rbxts_include", "node_modules", "@rbxts", "t", "lib", "ts").t
    local isOrder = t.tuple(
      t.instanceIsA("Player"),
      t.strictInterface({
        item = t.union(t.literal("sword"), t.literal("shield")),
        count = t.integer,
        at = t.optional(t.Vector3),
      })
    )
    local assertCount = t.strict(t.numberConstrained(1, 99))
    local n = 0
    game:GetService("ReplicatedStorage").Buy.OnServerEvent:Connect(function(player, order)
      n += 1
      if isOrder(player, order) then
        print("order " .. n .. " accepted: " .. order.count .. " " .. order.item)
        assertCount(order.count)
      else
        print("order " .. n .. " rejected")
      end
    end)
  ]],
  client = [[
    local Buy = game:GetService("ReplicatedStorage"):WaitForChild("Buy")
    Buy:FireServer({ item = "sword", count = 2 })
    Buy:FireServer({ item = "shield", count = 1, at = Vector3.new(1, 2, 3) })
    Buy:FireServer({ item = "axe", count = 1 })
    Buy:FireServer({ item = "sword", count = 1.5 })
    Buy:FireServer({ item = "sword", count = 1, admin = true })
    Buy:FireServer("sword")
    Buy:FireServer({ item = "shield", count = 500 })
  ]],
  expect = {
    output = {
      { "server: order 1 accepted: 2 sword", at = 0.1 },
      { "server: order 2 accepted: 1 shield", at = 0.1 },
      { "server: order 3 rejected", at = 0.1 },
      { "server: order 4 rejected", at = 0.1 },
      { "server: order 5 rejected", at = 0.1 },
      { "server: order 6 rejected", at = 0.1 },
      { "server: order 7 accepted: 500 shield", at = 0.1 },
    },
    errors = {
      { peer = "server", match = "^ReplicatedStorage%.rbxts_include%.node_modules%.@rbxts%.t%.lib%.ts:1290: assertion failed!$" },
    },
  },
}
