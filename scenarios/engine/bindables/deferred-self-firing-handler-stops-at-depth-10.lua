-- Roblox stops events that fire one another at a re-entrancy depth of 10
-- (Deferred engine events): the tenth handler's Fire errors at its line,
-- the chain ends and the run goes on to its duration.
return {
  section = "engine/bindables",
  title = "Deferred: a BindableEvent handler that fires its own event runs 10 times, then its Fire errors",
  duration = 2,
  server = [[
local n = 0
local ev = Instance.new("BindableEvent")
ev.Event:Connect(function()
	n += 1
	ev:Fire()
end)
ev:Fire()
task.wait(1)
print("handler ran", n)
]],
  expect = {
    output = { "server: handler ran 10" },
    errors = { { peer = "server", match = "^ServerScriptService%.Script:5: Maximum event re%-entrancy depth exceeded for Event$" } },
  },
}
