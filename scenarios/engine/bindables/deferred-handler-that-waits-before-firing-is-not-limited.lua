-- The re-entrancy depth counts handlers fired from handlers without a
-- wait between them: a handler that waits a frame before firing again
-- starts over, so a per-frame chain of 30 runs to its end.
return {
  section = "engine/bindables",
  title = "Deferred: a handler that waits before firing its own event again is not stopped at depth 10",
  duration = 2,
  server = [[
local n = 0
local ev = Instance.new("BindableEvent")
ev.Event:Connect(function()
	n += 1
	if n < 30 then
		task.wait()
		ev:Fire()
	end
end)
ev:Fire()
task.wait(1)
print("handler ran", n)
]],
  expect = { output = { "server: handler ran 30" } },
}
