-- A server and two clients printing on a virtual clock.
return {
  title = "hello: scripts on the server and two clients",
  clients = 2,
  duration = 5,
  server = [[
    print("server starting")
    for i = 1, 3 do
      local dt = task.wait(1)
      print("server tick", i, "after", dt)
    end
  ]],
  client = [[
    task.wait(0.5)
    print("client says hi at", os.clock())
    task.delay(1, function(who) print("delayed hello to", who) end, "server")
  ]],
}
