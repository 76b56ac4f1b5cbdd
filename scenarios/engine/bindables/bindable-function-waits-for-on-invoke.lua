-- BindableFunction:Invoke before OnInvoke is set yields until it is set;
-- one that is never set leaves its invoker waiting forever.
return {
  section = "engine/bindables",
  title = "Invoke waits until OnInvoke is assigned; without one it waits forever",
  clients = 0,
  tree = { ServerStorage = { Later = "BindableFunction", Never = "BindableFunction" } },
  server = [[
    local storage = game:GetService("ServerStorage")
    task.delay(1, function()
      storage.Later.OnInvoke = function(x) return x * 2 end
    end)
    task.spawn(function()
      print("never:", storage.Never:Invoke(1))
    end)
    print("got", storage.Later:Invoke(21), "at", os.clock())
  ]],
  expect = {
    output = { { "server: got 42 at 1", at = 1 } },
    output_excludes = { { match = "^server: never:" } },
    blocked = { { peer = "server", on = "BindableFunction.Invoke Never" } },
  },
}
