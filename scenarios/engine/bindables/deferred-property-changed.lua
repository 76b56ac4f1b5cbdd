return {
  section = "engine/bindables",
  title = "Deferred: a Changed handler sees the property's final value after two writes in one run",
  server = [[
local part = Instance.new("Part")
part:GetPropertyChangedSignal("Name"):Connect(function()
	print("changed, now", part.Name)
end)
part.Name = "A"
part.Name = "B"
print("done writing")
]],
  expect = {
    output = { "server: done writing", "server: changed, now B", "server: changed, now B" },
    output_excludes = { "server: changed, now A" },
  },
}
