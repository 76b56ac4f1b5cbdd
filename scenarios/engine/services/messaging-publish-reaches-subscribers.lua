-- rsim hosts one server, so a PublishAsync reaches that server's own
-- subscribers, 0.2 s later on the virtual clock.  The callback gets
-- { Data = message, Sent = Unix time of the publish }; the message is
-- copied as remote arguments are (a new table; instances arrive as nil, as
-- no other server can see them).  Disconnect ends a subscription.
return {
  section = "engine/services",
  title = "PublishAsync reaches SubscribeAsync callbacks 0.2 s later with a copy of the message",
  clients = 0,
  server = [[
local MessagingService = game:GetService("MessagingService")
local sent = { score = 10, tags = { "a", "b" }, part = workspace }
local sentAt
local conn = MessagingService:SubscribeAsync("scores", function(message)
	print("got", message.Data.score, message.Data.tags[2], message.Data.part,
		message.Data == sent, message.Sent == sentAt, os.clock())
end)
MessagingService:SubscribeAsync("other", function(message)
	print("other topic", message.Data)
end)
task.wait(1)
sentAt = tick()
MessagingService:PublishAsync("scores", sent)
print("published", conn.Connected)
task.wait(1)
conn:Disconnect()
MessagingService:PublishAsync("scores", { score = 11 })
MessagingService:PublishAsync("other", "hello")
]],
  expect = {
    output = {
      { "server: published true", at = 1 },
      { "server: got 10 b nil false true 1.2", at = 1.2 },
      { "server: other topic hello", at = 2.2 },
    },
    output_excludes = { { match = "^server: got 11" } },
  },
}
