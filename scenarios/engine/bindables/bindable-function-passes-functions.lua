return {
  section = "engine/bindables",
  title = "functions pass unchanged into BindableFunction.OnInvoke and back out of it",
  server = [[
local bf = Instance.new("BindableFunction")
local secret = { n = 41 }
-- Nevermore's BindableEncodingUtils wraps a table in a closure so the
-- receiver gets the original table, not a copy
bf.OnInvoke = function(getter, plain)
	local t = getter()
	print(t == secret, plain == secret, plain.n)
	t.n = t.n + 1
	return function() return t end, { read = getter }
end
local back, box = bf:Invoke(function() return secret end, secret)
print(back() == secret, box.read() == secret, secret.n)
]],
  expect = {
    output = {
      "server: true false 41",
      "server: true true 42",
    },
  },
}
