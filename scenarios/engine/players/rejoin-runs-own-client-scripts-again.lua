return {
  section = "engine/players",
  title = "a rejoining client's own LocalScripts (clients[i].client) run again too",
  clients = { { name = "Alice", latency = 0.05, client = [[
print("own script", time())
]] } },
  timeline = {
    { at = 0.2, disconnect = "Alice" },
    { at = 1, join = "Alice" },
  },
  expect = {
    output = {
      { "Alice: own script 0.05", at = 0.05 },
      { "Alice: own script 1.05", at = 1.05 },
    },
  },
}
