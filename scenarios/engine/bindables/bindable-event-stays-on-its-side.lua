return {
  section = "engine/bindables",
  title = "a BindableEvent in ReplicatedStorage fired on the server does not reach a client's handler",
  tree = { ReplicatedStorage = { Signal = "BindableEvent" } },
  server = [[
task.wait(1)
game.ReplicatedStorage.Signal:Fire("server side")
]],
  client = [[
game.ReplicatedStorage.Signal.Event:Connect(function(m) print("client heard", m) end)
task.wait(1.5)
game.ReplicatedStorage.Signal:Fire("client side")
]],
  expect = {
    output = { "Player1: client heard client side" },
    output_excludes = { "Player1: client heard server side" },
  },
}
