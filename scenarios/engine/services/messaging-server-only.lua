-- MessagingService works between game servers only: a LocalScript's call
-- errors.
return {
  section = "engine/services",
  title = "PublishAsync and SubscribeAsync on a client error",
  client = [[
local MessagingService = game:GetService("MessagingService")
print(pcall(function() MessagingService:SubscribeAsync("t", print) end))
MessagingService:PublishAsync("t", 1)
]],
  expect = {
    output = {
      { match = "^Player1: false .*SubscribeAsync can only be called from the server$" },
    },
    errors = { { peer = "Player1", match = "LocalScript:3: PublishAsync can only be called from the server$" } },
  },
}
