-- JSONEncode: a table with t[1] is an array up to its first nil (string
-- keys ignored), an empty table is [], other tables are objects with keys
-- in a fixed order (numbers first, then strings by bytes); nil is never
-- written; a cycle errors.  JSONDecode makes tables back; bad input errors
-- with "Can't parse JSON".  Both work with HttpEnabled false.
return {
  section = "engine/services",
  title = "JSONEncode and JSONDecode follow Roblox's rules for arrays, objects, nil and bad input",
  clients = 0,
  server = [[
local HttpService = game:GetService("HttpService")
print(HttpService.HttpEnabled)
print(HttpService:JSONEncode({ 1, 2.5, "three", true }))
print(HttpService:JSONEncode({ 1, 2, name = "ignored" }))
print(HttpService:JSONEncode({}))
print(HttpService:JSONEncode({ zeta = 1, alpha = { nested = "x\"y" }, [5] = false }))
print(HttpService:JSONEncode({ 1, nil, 3 }))
print(HttpService:JSONEncode("plain"), HttpService:JSONEncode(42))
local t = HttpService:JSONDecode('{"list":[1,null,3],"name":"n","deep":{"ok":true}}')
print(t.list[1], t.list[2], t.list[3], t.name, t.deep.ok)
print(HttpService:JSONDecode("[]")[1], HttpService:JSONDecode('"s"'))
print(pcall(HttpService.JSONDecode, HttpService, "{not json"))
local cyclic = {}
cyclic.self = cyclic
print(pcall(HttpService.JSONEncode, HttpService, cyclic))
]],
  expect = {
    output = {
      "server: false",
      "server: [1,2.5,\"three\",true]",
      "server: [1,2]",
      "server: []",
      "server: {\"5\":false,\"alpha\":{\"nested\":\"x\\\"y\"},\"zeta\":1}",
      "server: [1]",
      "server: \"plain\" 42",
      "server: 1 nil 3 n true",
      "server: nil s",
      "server: false Can't parse JSON",
      "server: false tables cannot be cyclic",
    },
  },
}
