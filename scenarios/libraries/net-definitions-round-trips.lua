-- @rbxts/net 3.0.10, unchanged, with its definitions API: one shared
-- module declares the remotes; the client sends an event, the server
-- answers that player, and both kinds of function round-trip.
local RUNTIME = [[-- Compiled with roblox-ts v3.0.0
local TS = require(game:GetService("ReplicatedStorage"):WaitForChild("rbxts_include"):WaitForChild("RuntimeLib"))
local Remotes = TS.import(script, game:GetService("ReplicatedStorage"), "Shared", "remotes").Remotes
]]
return {
  section = "libraries",
  title = "net: ClientToServerEvent, ServerToClientEvent, ServerAsyncFunction and ServerFunction round trips",
  clients = 1,
  network = { latency = 0.05 },
  project = "../../build/libs/default.project.json",
  tree = {
    ReplicatedStorage = {
      Shared = { class = "Folder", remotes = { class = "ModuleScript", source = [[
        -- Compiled with roblox-ts v3.0.0
        local TS = require(game:GetService("ReplicatedStorage"):WaitForChild("rbxts_include"):WaitForChild("RuntimeLib"))
        local Net = TS.import(script, game:GetService("ReplicatedStorage"), "rbxts_include", "node_modules", "@rbxts", "net", "out")
        local Remotes = Net.CreateDefinitions({
          PrintMessage = Net.Definitions.ClientToServerEvent(),
          Announce = Net.Definitions.ServerToClientEvent(),
          MakeHello = Net.Definitions.ServerAsyncFunction(),
          GetPrice = Net.Definitions.ServerFunction(),
        })
        return {
          Remotes = Remotes,
        }
      ]] } },
    },
  },
  server = RUNTIME .. [[
    local Announce = Remotes.Server:Get("Announce")
    Remotes.Server:Get("PrintMessage"):Connect(function(player, message)
      print(player.Name .. " says " .. message)
      Announce:SendToPlayer(player, "heard: " .. message)
    end)
    Remotes.Server:Get("MakeHello"):SetCallback(function(player, message)
      print("MakeHello from " .. player.Name)
      return "Hello, " .. message
    end)
    Remotes.Server:Get("GetPrice"):SetCallback(function(player, item)
      return if item == "sword" then 30 else 0
    end)
  ]],
  client = RUNTIME .. [[
    Remotes.Client:Get("Announce"):Connect(function(message)
      print(message)
    end)
    Remotes.Client:Get("PrintMessage"):SendToServer("Hello there!")
    Remotes.Client:Get("MakeHello"):CallServerAsync("Net is cool"):andThen(function(result)
      print(result)
    end)
    print("sword costs", Remotes.Client:Get("GetPrice"):CallServer("sword"))
  ]],
  expect = {
    output = {
      -- The client starts at 0.05. Each Remotes.Client:Get resolves
      -- through net's Promise.defer chain (WaitFor, then waitForRemote),
      -- and a Promise.defer waits for the next Heartbeat: four frames of
      -- 1/60 s pass before the event leaves (0.1167), one latency later
      -- it arrives. Each Get after it waits its own frames.
      { "server: Player1 says Hello there!", at = 0.1667 },
      { "server: MakeHello from Player1", at = 0.2 },
      { "Player1: heard: Hello there!", at = 0.2167 },
      { "Player1: Hello, Net is cool", at = 0.25 },
      { "Player1: sword costs 30", at = 0.2833 },
    },
  },
}
