-- rsim sends no HTTP requests: the request methods error, naming what is
-- not modelled, instead of returning nil.
return {
  section = "engine/services",
  title = "GetAsync, PostAsync and RequestAsync error: rsim does not model them",
  clients = 0,
  server = [[
local HttpService = game:GetService("HttpService")
print(pcall(function() return HttpService:GetAsync("https://example.com") end))
print(pcall(function() return HttpService:PostAsync("https://example.com", "{}") end))
HttpService:RequestAsync({ Url = "https://example.com" })
]],
  expect = {
    output = {
      { match = "^server: false .*:2: rsim does not model HttpService:GetAsync$" },
      { match = "^server: false .*:3: rsim does not model HttpService:PostAsync$" },
    },
    errors = { { peer = "server", match = "Script:4: rsim does not model HttpService:RequestAsync$" } },
  },
}
