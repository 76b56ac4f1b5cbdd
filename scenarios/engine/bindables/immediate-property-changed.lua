return {
  section = "engine/bindables",
  title = "Immediate: a Changed handler runs at each write and sees each value in turn",
  signal_behavior = "Immediate",
  server = [[
local part = Instance.new("Part")
part:GetPropertyChangedSignal("Name"):Connect(function()
	print("changed, now", part.Name)
end)
part.Name = "A"
part.Name = "B"
print("done writing")
]],
  expect = { output = { "server: changed, now A", "server: changed, now B", "server: done writing" } },
}
