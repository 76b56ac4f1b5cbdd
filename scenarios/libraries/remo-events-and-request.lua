-- @rbxts/remo 1.5.3, unchanged, used as its README does: one shared
-- module declares the remotes with t validators; the client fires an
-- event, the server answers with another and serves an async remote.
return {
  section = "libraries",
  title = "remo: client->server and server->client events, an async request round trip",
  clients = 1,
  network = { latency = 0.05 },
  project = "../../build/libs/default.project.json",
  tree = {
    ReplicatedStorage = {
      Shared = { class = "Folder", remotes = { class = "ModuleScript", source = [[
        -- Compiled with roblox-ts v3.0.0
        local TS = require(game:GetService("ReplicatedStorage"):WaitForChild("rbxts_include"):WaitForChild("RuntimeLib"))
        local _remo = TS.import(script, game:GetService("ReplicatedStorage"), "rbxts_include", "node_modules", "@rbxts", "remo", "src")
        local createRemotes = _remo.createRemotes
        local remote = _remo.remote
        local t = TS.import(script, game:GetService("ReplicatedStorage"), "rbxts_include", "node_modules", "@rbxts", "t", "lib", "ts").t
        local remotes = createRemotes({
          greet = remote(t.string),
          announce = remote(t.string, t.number),
          add = remote(t.number, t.number).returns(t.number),
        })
        return {
          remotes = remotes,
        }
      ]] } },
    },
  },
  server = [[
    -- Compiled with roblox-ts v3.0.0
    local TS = require(game:GetService("ReplicatedStorage"):WaitForChild("rbxts_include"):WaitForChild("RuntimeLib"))
    local remotes = TS.import(script, game:GetService("ReplicatedStorage"), "Shared", "remotes").remotes
    remotes.greet:connect(function(player, name)
      print(player.Name .. " greets as " .. name)
      remotes.announce:fire(player, "welcome " .. name, 42)
    end)
    remotes.add:onRequest(function(player, a, b)
      print("add " .. tostring(a) .. " + " .. tostring(b) .. " for " .. player.Name)
      return a + b
    end)
  ]],
  client = [[
    -- Compiled with roblox-ts v3.0.0
    local TS = require(game:GetService("ReplicatedStorage"):WaitForChild("rbxts_include"):WaitForChild("RuntimeLib"))
    local remotes = TS.import(script, game:GetService("ReplicatedStorage"), "Shared", "remotes").remotes
    remotes.announce:connect(function(message, n)
      print(message, n)
    end)
    remotes.greet:fire("Alice")
    remotes.add:request(2, 3):andThen(function(sum)
      print("sum", sum)
    end)
  ]],
  expect = {
    output = {
      -- OnServerInvoke is a callback and runs as the request arrives;
      -- OnServerEvent handlers are deferred to the end of that step.
      { "server: add 2 + 3 for Player1", at = 0.1 },
      { "server: Player1 greets as Alice", at = 0.1 },
      { "Player1: sum 5", at = 0.15 },
      { "Player1: welcome Alice 42", at = 0.15 },
    },
  },
}
