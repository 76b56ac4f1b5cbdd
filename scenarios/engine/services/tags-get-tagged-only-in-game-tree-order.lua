-- GetTagged returns only instances under the DataModel; Roblox promises no
-- order, rsim gives tree order (that of GetDescendants).  A tagged instance
-- parented into the game fires the added signal, one parented out of it
-- (its subtree too) fires the removed signal.
return {
  section = "engine/services",
  title = "GetTagged holds tagged instances in the game, in tree order; entering and leaving the game fire the signals",
  clients = 0,
  -- the tree's entries are made in key order: A (with Inner), then B
  tree = { Workspace = { B = "Part", A = { class = "Model", Inner = "Part" } } },
  server = [[
local CollectionService = game:GetService("CollectionService")
local function names()
	local t = {}
	for _, i in CollectionService:GetTagged("Coin") do
		table.insert(t, i.Name)
	end
	return table.concat(t, ",")
end
CollectionService:GetInstanceAddedSignal("Coin"):Connect(function(i) print("added", i.Name) end)
CollectionService:GetInstanceRemovedSignal("Coin"):Connect(function(i) print("removed", i.Name) end)
workspace.A.Inner:AddTag("Coin")
workspace.B:AddTag("Coin")
local loose = Instance.new("Part")
loose.Name = "Loose"
loose:AddTag("Coin")
task.wait(0.5)
print("tagged", names())
loose.Parent = workspace.A
task.wait(0.5)
print("tagged", names())
workspace.A.Parent = nil
task.wait(0.5)
print("tagged", names(), loose:HasTag("Coin"))
]],
  expect = {
    output = {
      "server: added Inner",
      "server: added B",
      "server: tagged Inner,B",
      "server: added Loose",
      "server: tagged Inner,Loose,B",
      "server: removed Inner",
      "server: removed Loose",
      "server: tagged B true",
    },
    output_excludes = { "server: removed B" },
  },
}
