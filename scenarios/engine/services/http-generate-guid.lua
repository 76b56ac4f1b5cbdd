-- GenerateGUID gives a version 4 UUID in upper case hex 8-4-4-4-12, in
-- braces unless wrapInCurlyBraces is false; the digits come from the
-- scenario's seed and the peer, never the wall clock, so they are the same
-- on every run of the same seed.
return {
  section = "engine/services",
  title = "GenerateGUID is an upper case v4 UUID, in braces by default, the same for the same seed",
  seed = 7,
  server = [[
local HttpService = game:GetService("HttpService")
local a = HttpService:GenerateGUID()
local b = HttpService:GenerateGUID(false)
print(a)
print(b)
print(#a, #b, a ~= "{" .. b .. "}")
]],
  client = [[
print(game:GetService("HttpService"):GenerateGUID(false))
]],
  expect = {
    output = {
      { match = "^server: {%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89AB]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x}$" },
      { match = "^server: %x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89AB]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$" },
      "server: 38 36 true",
      { match = "^Player1: %x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89AB]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$" },
    },
    output_excludes = { { match = "[a-f]%x*%-" }, { match = "%-%x*[a-f]" } },
  },
}
