-- The page's Table Identities example, run as written, plus one client line
-- comparing the returned table with the original.
return {
  section = "argument-limitations/table-identities",
  title = "page example: the table the server sees and the table InvokeServer returns are copies, not the original",
  tree = { ReplicatedStorage = { RemoteFunction = "RemoteFunction" } },
  server = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

local remoteFunction = ReplicatedStorage:FindFirstChildOfClass("RemoteFunction")

-- Callback function
local function returnTable(player, passedTable)
	-- Output table identity on invocation
	print(tostring(passedTable))  --> table: 0x48eb7aead27563d9
	return passedTable
end

-- Set function as remote function's callback
remoteFunction.OnServerInvoke = returnTable
]],
  client = [[
local ReplicatedStorage = game:GetService("ReplicatedStorage")

local remoteFunction = ReplicatedStorage:FindFirstChildOfClass("RemoteFunction")

local inventoryData = {
	"Sword", "Bow"
}
-- Output original table identity
print(tostring(inventoryData))  --> table: 0x059bcdbb2b576549

local invokeReturn = remoteFunction:InvokeServer(inventoryData)

-- Output table identity upon return
print(tostring(invokeReturn))  --> table: 0x9fcae7919563a0e9
print("same table:", invokeReturn == inventoryData, "same string:", tostring(invokeReturn) == tostring(inventoryData), "contents:", invokeReturn[1], invokeReturn[2])
]],
  expect = {
    output = {
      { match = "^Player1: table: 0x%x+$" },
      { match = "^server: table: 0x%x+$" },
      { match = "^Player1: table: 0x%x+$" },
      "Player1: same table: false same string: false contents: Sword Bow",
    },
  },
}
