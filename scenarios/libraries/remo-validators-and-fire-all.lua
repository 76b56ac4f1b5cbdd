-- @rbxts/remo 1.5.3 with t 3.2.1 validators: an event whose argument
-- fails its validator errors in the server and reaches no listener;
-- fireAll reaches every client.
return {
  section = "libraries",
  title = "remo: a t validator rejects a bad argument with remo's error; fireAll reaches both clients",
  clients = 2,
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
          vote = remote(t.literal("red", "blue")),
          tally = remote(t.number, t.number),
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
    local red, blue = 0, 0
    remotes.vote:connect(function(player, color)
      if color == "red" then red += 1 else blue += 1 end
      print(player.Name .. " votes " .. color)
      if red + blue == 2 then
        remotes.tally:fireAll(red, blue)
      end
    end)
  ]],
  client = [[
    -- Compiled with roblox-ts v3.0.0
    local TS = require(game:GetService("ReplicatedStorage"):WaitForChild("rbxts_include"):WaitForChild("RuntimeLib"))
    local Players = game:GetService("Players")
    local remotes = TS.import(script, game:GetService("ReplicatedStorage"), "Shared", "remotes").remotes
    remotes.tally:connect(function(red, blue)
      print("red " .. red .. ", blue " .. blue)
    end)
    if Players.LocalPlayer.Name == "Player1" then
      remotes.vote:fire("green")
      task.wait(0.5)
      remotes.vote:fire("red")
    else
      remotes.vote:fire("blue")
    end
  ]],
  expect = {
    output = {
      { "server: Player2 votes blue", at = 0.1 },
      { "server: Player1 votes red", at = 0.6 },
      { "Player1: red 1, blue 1", at = 0.65 },
      { "Player2: red 1, blue 1", at = 0.65 },
    },
    output_excludes = { "server: Player1 votes green" },
    errors = {
      { peer = "server", match = "^ReplicatedStorage%.rbxts_include%.node_modules%.@rbxts%.remo%.src%.server%.createRemote:108: Invalid parameter #1 for event remote 'vote': got green$" },
    },
  },
}
