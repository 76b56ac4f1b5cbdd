return {
  section = "engine/bindables",
  title = "a function passed through BindableEvent:Fire arrives as the same closure, also inside a table",
  server = [[
local be = Instance.new("BindableEvent")
local count = 0
local function bump() count = count + 1 return count end
local box = { fn = bump, list = { bump, 2 } }
be.Event:Connect(function(f, t, co)
	print(f == bump, f(), t == box, t.fn == bump, t.list[1] == bump, t.list[2], co)
	print(count)
end)
be:Fire(bump, box, coroutine.create(print))
]],
  client = [[
-- the same on a client, where @rbxts/signal-style code fires a closure
local be = Instance.new("BindableEvent")
be.Event:Connect(function(callback, ...) callback(...) end)
be:Fire(function(a, b) print("called with", a, b) end, "x", 2)
]],
  expect = {
    output = {
      "server: true 1 false true true 2 nil",
      "server: 1",
      "Player1: called with x 2",
    },
  },
}
