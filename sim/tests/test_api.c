/* Unit tests of api: the object model each peer's scripts see -- the
 * instance tree, errors in Roblox's wording, signals, players,
 * replication from the server to clients, RunService, require and
 * `script`.  Each test runs a small scenario and checks the transcript:
 * lines read "ms peer: text" with virtual times in milliseconds. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rsim/api.h"
#include "rsim/core.h"
#include "rsim/scenario.h"
#include "testutil.h"

/* A server-only scenario: no clients, the script's source between
 * [==[ and ]==]. */
#define SERVER_ONLY(src) \
	"return { clients = 0, server = [==[\n" src "\n]==] }"

/* ---- tree operations ---- */

START_TEST(test_instance_new_has_class_name_as_name_and_no_parent)
{
	expect_transcript(SERVER_ONLY(
		"local p = Instance.new('Part')\n"
		"print(p.ClassName, p.Name, p.Parent)\n"
		"local f = Instance.new('Folder', workspace)\n"
		"print(f.Parent, workspace:FindFirstChild('Folder') == f)"),
		"0 server: Part Part nil\n"
		"0 server: Workspace true\n");
}
END_TEST

START_TEST(test_parent_and_name_assignment_move_and_rename)
{
	expect_transcript(SERVER_ONLY(
		"local m = Instance.new('Model') m.Parent = workspace\n"
		"local p = Instance.new('Part') p.Name = 'Door' p.Parent = m\n"
		"print(workspace.Model.Door == p, p.Parent == m)\n"
		"p.Parent = game.ReplicatedStorage\n"
		"print(m:FindFirstChild('Door'), game.ReplicatedStorage.Door.Name)\n"
		"p.Parent = nil print(p.Parent, #game.ReplicatedStorage:GetChildren())"),
		"0 server: true true\n"
		"0 server: nil Door\n"
		"0 server: nil 0\n");
}
END_TEST

START_TEST(test_find_first_child_recursive_searches_breadth_first)
{
	expect_transcript(SERVER_ONLY(
		"local function mk(cls, name, parent)\n"
		"  local i = Instance.new(cls) i.Name = name i.Parent = parent\n"
		"  return i end\n"
		"local a = mk('Folder', 'A', workspace)\n"
		"local b = mk('Folder', 'B', a)\n"
		"mk('Part', 'X', b):SetAttribute('depth', 3)\n"
		"local c = mk('Folder', 'C', workspace)\n"
		"mk('Part', 'X', c):SetAttribute('depth', 2)\n"
		"print(workspace:FindFirstChild('X'))\n"
		"print(workspace:FindFirstChild('X', true):GetAttribute('depth'))\n"
		"print(workspace:FindFirstChild('B', true) == b, "
		"workspace:FindFirstChild('Nope', true))"),
		"0 server: nil\n"
		"0 server: 2\n"
		"0 server: true nil\n");
}
END_TEST

START_TEST(test_find_first_child_of_class_is_exact_and_which_is_a_inherits)
{
	expect_transcript(SERVER_ONLY(
		"local f = Instance.new('Folder')\n"
		"Instance.new('Model', f)\n"
		"local w = Instance.new('WedgePart', f)\n"
		"local p = Instance.new('Part', f)\n"
		"print(f:FindFirstChildOfClass('BasePart'), "
		"f:FindFirstChildOfClass('Part') == p)\n"
		"print(f:FindFirstChildWhichIsA('BasePart') == w, "
		"f:FindFirstChildWhichIsA('PVInstance').ClassName, "
		"f:FindFirstChildWhichIsA('RemoteEvent'))"),
		"0 server: nil true\n"
		"0 server: true Model nil\n");
}
END_TEST

START_TEST(test_get_children_and_descendants_in_tree_order)
{
	expect_transcript(SERVER_ONLY(
		"local function mk(name, parent)\n"
		"  local i = Instance.new('Folder') i.Name = name i.Parent = parent\n"
		"  return i end\n"
		"local root = mk('Root', nil)\n"
		"local a = mk('A', root) mk('A1', a) mk('A2', a) mk('B', root)\n"
		"local function names(t) local s = {}\n"
		"  for _, i in ipairs(t) do s[#s + 1] = i.Name end\n"
		"  return table.concat(s, ' ') end\n"
		"print(names(root:GetChildren()))\n"
		"print(names(root:GetDescendants()))\n"
		"local kids = root:GetChildren() kids[1] = nil\n"
		"print(#root:GetChildren())"),
		"0 server: A B\n"
		"0 server: A A1 A2 B\n"
		"0 server: 2\n");
}
END_TEST

START_TEST(test_is_a_follows_the_class_hierarchy)
{
	expect_transcript(SERVER_ONLY(
		"local p = Instance.new('SpawnLocation')\n"
		"print(p:IsA('SpawnLocation'), p:IsA('Part'), p:IsA('BasePart'), "
		"p:IsA('PVInstance'), p:IsA('Instance'), p:IsA('Model'), "
		"p:IsA('Nope'))\n"
		"print(workspace:IsA('Model'), Instance.new('LocalScript'):IsA('Script'))"),
		"0 server: true true true true true false false\n"
		"0 server: true true\n");
}
END_TEST

START_TEST(test_is_descendant_of_excludes_self_and_other_branches)
{
	expect_transcript(SERVER_ONLY(
		"local m = Instance.new('Model', workspace)\n"
		"local p = Instance.new('Part', m)\n"
		"print(p:IsDescendantOf(m), p:IsDescendantOf(workspace), "
		"p:IsDescendantOf(game), p:IsDescendantOf(p), "
		"p:IsDescendantOf(game.ReplicatedStorage), m:IsDescendantOf(p))\n"
		"print(m:IsAncestorOf(p), p:IsAncestorOf(m))"),
		"0 server: true true true false false false\n"
		"0 server: true false\n");
}
END_TEST

START_TEST(test_destroy_destroys_children_and_locks_parent)
{
	expect_transcript(SERVER_ONLY(
		"local m = Instance.new('Model') m.Parent = workspace\n"
		"local p = Instance.new('Part') p.Parent = m\n"
		"m:Destroy()\n"
		"print(m.Parent, p.Parent, workspace:FindFirstChild('Model'))\n"
		"print(pcall(function() m.Parent = workspace end))\n"
		"print(pcall(function() p.Parent = workspace end))\n"
		"print(m.Name, p.Name, #m:GetChildren())"),
		"0 server: nil nil nil\n"
		"0 server: false ServerScriptService.Script:5: The Parent property of "
		"Model is locked, current parent: NULL, new parent Workspace\n"
		"0 server: false ServerScriptService.Script:6: The Parent property of "
		"Part is locked, current parent: NULL, new parent Workspace\n"
		"0 server: Model Part 0\n");
}
END_TEST

START_TEST(test_destroying_fires_before_destruction_when_immediate)
{
	expect_transcript(
		"return { clients = 0, signal_behavior = 'Immediate', server = [==[\n"
		"local m = Instance.new('Model', workspace)\n"
		"local p = Instance.new('Part', m)\n"
		"m.Destroying:Connect(function() print('model destroying', m.Parent, #m:GetChildren()) end)\n"
		"p.Destroying:Connect(function() print('part destroying', p.Parent) end)\n"
		"m:Destroy() print('after')\n"
		"]==] }",
		"0 server: model destroying Workspace 1\n"
		"0 server: part destroying Model\n"
		"0 server: after\n");
}
END_TEST

/* Deferred: Roblox runs Destroying handlers at the next resumption point,
 * after the instance is destroyed (Parent nil); Destroy disconnecting the
 * connections must not swallow that firing. */
START_TEST(test_destroying_handlers_run_after_destroy_when_deferred)
{
	expect_transcript(SERVER_ONLY(
		"local p = Instance.new('Part', workspace)\n"
		"p.Destroying:Connect(function() print('destroying', p.Parent) end)\n"
		"p:Destroy() print('after')"),
		"0 server: after\n"
		"0 server: destroying nil\n");
}
END_TEST

START_TEST(test_destroy_disconnects_connections)
{
	expect_transcript(SERVER_ONLY(
		"local p = Instance.new('Part', workspace)\n"
		"local c = p.Changed:Connect(function(n) print('changed', n) end)\n"
		"p:Destroy()\n"
		"print(c.Connected)\n"
		"p.Transparency = 1\n"
		"task.wait() print('done')"),
		"0 server: false\n"
		"16.667 server: done\n");
}
END_TEST

START_TEST(test_clone_copies_properties_and_archivable_children)
{
	expect_transcript(SERVER_ONLY(
		"local m = Instance.new('Model') m.Name = 'Car'\n"
		"local p = Instance.new('Part', m) p.Name = 'Wheel'\n"
		"p.Transparency = 0.5 p.Anchored = true\n"
		"local tmp = Instance.new('Part', m) tmp.Name = 'Tmp' tmp.Archivable = false\n"
		"m.Parent = workspace\n"
		"local c = m:Clone()\n"
		"print(c.Name, c.Parent, c == m, #c:GetChildren())\n"
		"print(c.Wheel ~= p, c.Wheel.Transparency, c.Wheel.Anchored, "
		"c:FindFirstChild('Tmp'))\n"
		"c.Wheel.Transparency = 1 print(p.Transparency)"),
		"0 server: Car nil false 1\n"
		"0 server: true 0.5 true nil\n"
		"0 server: 0.5\n");
}
END_TEST

START_TEST(test_get_full_name_joins_names_below_game)
{
	expect_transcript(SERVER_ONLY(
		"local m = Instance.new('Model') m.Name = 'Car' m.Parent = workspace\n"
		"local p = Instance.new('Part', m)\n"
		"print(p:GetFullName(), workspace:GetFullName())\n"
		"p.Parent = nil print(p:GetFullName())\n"
		"print(script:GetFullName())"),
		"0 server: Workspace.Car.Part Workspace\n"
		"0 server: Part\n"
		"0 server: ServerScriptService.Script\n");
}
END_TEST

START_TEST(test_wait_for_child_returns_present_child_at_once)
{
	expect_transcript(SERVER_ONLY(
		"local f = Instance.new('Folder', workspace)\n"
		"print(workspace:WaitForChild('Folder') == f)"),
		"0 server: true\n");
}
END_TEST

START_TEST(test_wait_for_child_resumes_when_the_child_is_added)
{
	expect_transcript(SERVER_ONLY(
		"task.delay(2, function()\n"
		"  local f = Instance.new('Folder') f.Name = 'Late' f.Parent = workspace\n"
		"end)\n"
		"local c = workspace:WaitForChild('Late')\n"
		"print(c.Name, c.Parent)"),
		"2000 server: Late Workspace\n");
}
END_TEST

START_TEST(test_wait_for_child_with_timeout_returns_nil_without_warning)
{
	expect_transcript(SERVER_ONLY(
		"print(workspace:WaitForChild('Nope', 7))"),
		"7000 server: nil\n");
}
END_TEST

START_TEST(test_wait_for_child_warns_infinite_yield_after_five_seconds)
{
	rs_result *r = tu_run_text(
		"return { clients = 0, duration = 10, server = [==[\n"
		"task.delay(8, function() Instance.new('Folder', workspace).Name = 'x' end)\n"
		"local c = workspace:WaitForChild('Late')\n"
		"print('got', c)\n"
		"]==] }");
	char *got = tu_transcript(r, 0);
	ck_assert_str_eq(got,
		"5000 server warn: Infinite yield possible on "
		"'Workspace:WaitForChild(\"Late\")'\n");
	free(got);
	ck_assert_uint_eq(r->nblocked, 1);
	ck_assert_str_eq(r->blocked[0].on, "WaitForChild(\"Late\")");
	ck_assert_str_eq(r->blocked[0].where, "ServerScriptService.Script:2");
	rs_result_free(r);
}
END_TEST

START_TEST(test_attributes_set_get_and_signal)
{
	expect_transcript(SERVER_ONLY(
		"local p = Instance.new('Part', workspace)\n"
		"p.AttributeChanged:Connect(function(n) print('changed', n, p:GetAttribute(n)) end)\n"
		"p:GetAttributeChangedSignal('Hp'):Connect(function(...) print('hp', select('#', ...)) end)\n"
		"p:SetAttribute('Hp', 10) p:SetAttribute('Team', 'red')\n"
		"print(p:GetAttribute('Hp'), p:GetAttribute('Nope'))\n"
		"local all = p:GetAttributes() print(all.Hp, all.Team)\n"
		"p:SetAttribute('Hp', nil) print(p:GetAttribute('Hp'))\n"
		"print((pcall(p.SetAttribute, p, 'T', {})), p:GetAttribute('T'))"),
		"0 server: 10 nil\n"
		"0 server: 10 red\n"
		"0 server: nil\n"
		"0 server: false nil\n"
		"0 server: changed Hp nil\n"
		"0 server: hp 0\n"
		"0 server: changed Team red\n"
		"0 server: changed Hp nil\n"
		"0 server: hp 0\n");
}
END_TEST

/* ---- errors in Roblox's wording ---- */

START_TEST(test_unknown_member_names_class_and_full_name)
{
	expect_transcript(SERVER_ONLY(
		"Instance.new('Part', workspace)\n"
		"print(pcall(function() return workspace.Part.Foo end))\n"
		"print(pcall(function() workspace.Part.Foo = 1 end))\n"
		"print(pcall(function() return workspace.Nope end))"),
		"0 server: false ServerScriptService.Script:2: Foo is not a valid "
		"member of Part \"Workspace.Part\"\n"
		"0 server: false ServerScriptService.Script:3: Foo is not a valid "
		"member of Part \"Workspace.Part\"\n"
		"0 server: false ServerScriptService.Script:4: Nope is not a valid "
		"member of Workspace \"Workspace\"\n");
}
END_TEST

START_TEST(test_uncaught_unknown_member_error_is_in_the_transcript)
{
	expect_transcript(SERVER_ONLY(
		"print('before')\n"
		"local x = workspace.Missing\n"
		"print('never')"),
		"0 server: before\n"
		"0 server error: ServerScriptService.Script:2: Missing is not a "
		"valid member of Workspace \"Workspace\"\n");
}
END_TEST

START_TEST(test_instance_count_per_peer_is_capped)
{
	/* Instances live outside the VM's memory cap; a script that makes
	 * them forever gets an error instead of eating the machine. */
	expect_transcript(SERVER_ONLY(
		"local ok, err = pcall(function()\n"
		"  for i = 1, 600000 do Instance.new('Folder') end\n"
		"end)\n"
		"print(ok, (err:gsub('^.-: ', '')))"),
		"0 server: false Unable to create an Instance of type \"Folder\": "
		"this peer already has 500000 instances\n");
}
END_TEST

START_TEST(test_clone_is_capped_like_instance_new_and_makes_nothing_past_it)
{
	/* Each self-clone doubles the folder: the 19th would need 262,144
	 * more instances than the 262,164 the peer has, past the cap of
	 * 500,000, so it errors as Instance.new does and makes none. */
	expect_transcript(SERVER_ONLY(
		"local f = Instance.new('Folder')\n"
		"for i = 1, 22 do\n"
		"  local ok, err = pcall(function() f:Clone().Parent = f end)\n"
		"  if not ok then print(i, (err:gsub('^.-: ', ''))) break end\n"
		"end\n"
		"print(#f:GetDescendants(), Instance.new('Part').Name)"),
		"0 server: 19 Unable to create an Instance of type \"Folder\": "
		"this peer already has 500000 instances\n"
		"0 server: 262143 Part\n");
}
END_TEST

START_TEST(test_instance_new_of_unknown_or_service_class_errors)
{
	expect_transcript(SERVER_ONLY(
		"print(pcall(Instance.new, 'Spaceship'))\n"
		"print(pcall(Instance.new, 'Workspace'))"),
		"0 server: false Unable to create an Instance of type \"Spaceship\"\n"
		"0 server: false Unable to create an Instance of type \"Workspace\"\n");
}
END_TEST

START_TEST(test_parent_cycle_is_refused)
{
	expect_transcript(SERVER_ONLY(
		"local a = Instance.new('Folder', workspace) a.Name = 'A'\n"
		"local b = Instance.new('Folder', a) b.Name = 'B'\n"
		"print(pcall(function() a.Parent = b end))\n"
		"print((pcall(function() a.Parent = a end)))\n"
		"print(a.Parent, b.Parent == a)"),
		"0 server: false ServerScriptService.Script:3: Attempt to set parent "
		"of Workspace.A to Workspace.A.B would result in circular reference\n"
		"0 server: false\n"
		"0 server: Workspace true\n");
}
END_TEST

START_TEST(test_assigning_the_wrong_type_errors)
{
	expect_transcript(SERVER_ONLY(
		"local p = Instance.new('Part')\n"
		"print(pcall(function() p.Anchored = 'yes' end))\n"
		"print(pcall(function() p.Transparency = {} end))\n"
		"print(pcall(function() p.Position = 5 end))\n"
		"print(pcall(function() p.Parent = 'Workspace' end))\n"
		"p.Transparency = '0.25' print(p.Transparency)"),
		"0 server: false ServerScriptService.Script:2: Unable to assign "
		"property Anchored. bool expected, got string\n"
		"0 server: false ServerScriptService.Script:3: Unable to assign "
		"property Transparency. number expected, got table\n"
		"0 server: false ServerScriptService.Script:4: Unable to assign "
		"property Position. Vector3 expected, got number\n"
		"0 server: false ServerScriptService.Script:5: Unable to assign "
		"property Parent. Object expected, got string\n"
		"0 server: 0.25\n");
}
END_TEST

START_TEST(test_read_only_properties_refuse_assignment)
{
	expect_transcript(SERVER_ONLY(
		"local p = Instance.new('Part')\n"
		"print(pcall(function() p.ClassName = 'Model' end))\n"
		"print(pcall(function() game.Players.MaxPlayers = 3 end))\n"
		"print(p.ClassName)"),
		"0 server: false ServerScriptService.Script:2: Unable to assign "
		"property ClassName. Property is read only\n"
		"0 server: false ServerScriptService.Script:3: Unable to assign "
		"property MaxPlayers. Property is read only\n"
		"0 server: Part\n");
}
END_TEST

START_TEST(test_method_called_with_dot_errors)
{
	expect_transcript(SERVER_ONLY(
		"print(pcall(function() return workspace.FindFirstChild('x') end))"),
		"0 server: false ServerScriptService.Script:1: Expected ':' not '.' "
		"calling member function FindFirstChild\n");
}
END_TEST

START_TEST(test_typeof_and_tostring_of_an_instance)
{
	expect_transcript(SERVER_ONLY(
		"local p = Instance.new('Part') p.Name = 'Brick'\n"
		"print(typeof(p), type(p), tostring(p), p)\n"
		"print(typeof(p.Changed), typeof(p.Changed:Connect(function() end)))"),
		"0 server: Instance userdata Brick Brick\n"
		"0 server: RBXScriptSignal RBXScriptConnection\n");
}
END_TEST

/* ---- signals ---- */

START_TEST(test_connect_disconnect_and_connected)
{
	expect_transcript(SERVER_ONLY(
		"local e = Instance.new('BindableEvent')\n"
		"local c = e.Event:Connect(function(x) print('got', x) end)\n"
		"print(c.Connected)\n"
		"e:Fire(1) task.wait()\n"
		"c:Disconnect() print(c.Connected)\n"
		"e:Fire(2) task.wait()\n"
		"c:Disconnect() print('twice ok')"),
		"0 server: true\n"
		"0 server: got 1\n"
		"16.667 server: false\n"
		"33.334 server: twice ok\n");
}
END_TEST

START_TEST(test_once_runs_one_time_and_disconnects)
{
	expect_transcript(SERVER_ONLY(
		"local e = Instance.new('BindableEvent')\n"
		"local c = e.Event:Once(function(x) print('once', x) end)\n"
		"e:Fire(1) e:Fire(2)\n"
		"print(c.Connected)\n"
		"task.wait() e:Fire(3) task.wait() print('end')"),
		"0 server: false\n"
		"0 server: once 1\n"
		"33.334 server: end\n");
}
END_TEST

START_TEST(test_wait_returns_the_fired_arguments)
{
	expect_transcript(SERVER_ONLY(
		"local e = Instance.new('BindableEvent')\n"
		"task.delay(1, function() e:Fire(5, 'a', nil, true) end)\n"
		"local a, b, c, d = e.Event:Wait()\n"
		"print(a, b, c, d)"),
		"1000 server: 5 a nil true\n");
}
END_TEST

START_TEST(test_disconnect_during_fire_stops_later_handler_when_deferred)
{
	expect_transcript(SERVER_ONLY(
		"local e = Instance.new('BindableEvent')\n"
		"local c2\n"
		"e.Event:Connect(function() print('first') c2:Disconnect() end)\n"
		"c2 = e.Event:Connect(function() print('second') end)\n"
		"e:Fire() print('fired')"),
		"0 server: fired\n"
		"0 server: first\n");
}
END_TEST

START_TEST(test_disconnect_during_fire_stops_later_handler_when_immediate)
{
	expect_transcript(
		"return { clients = 0, signal_behavior = 'Immediate', server = [==[\n"
		"local e = Instance.new('BindableEvent')\n"
		"local c2\n"
		"e.Event:Connect(function() print('first') c2:Disconnect() end)\n"
		"c2 = e.Event:Connect(function() print('second') end)\n"
		"e:Fire() print('fired')\n"
		"]==] }",
		"0 server: first\n"
		"0 server: fired\n");
}
END_TEST

START_TEST(test_deferred_handlers_run_after_the_firing_thread)
{
	expect_transcript(SERVER_ONLY(
		"local e = Instance.new('BindableEvent')\n"
		"e.Event:Connect(function(x) print('a', x) end)\n"
		"e.Event:Connect(function(x) print('b', x) end)\n"
		"e:Fire(1) print('after fire')"),
		"0 server: after fire\n"
		"0 server: a 1\n"
		"0 server: b 1\n");
}
END_TEST

START_TEST(test_immediate_handlers_run_inside_fire_in_connection_order)
{
	expect_transcript(
		"return { clients = 0, signal_behavior = 'Immediate', server = [==[\n"
		"local e = Instance.new('BindableEvent')\n"
		"e.Event:Connect(function(x) print('a', x) end)\n"
		"e.Event:Connect(function(x) print('b', x) end)\n"
		"e:Fire(1) print('after fire')\n"
		"]==] }",
		"0 server: a 1\n"
		"0 server: b 1\n"
		"0 server: after fire\n");
}
END_TEST

START_TEST(test_handler_connected_during_fire_waits_for_next_fire)
{
	expect_transcript(
		"return { clients = 0, signal_behavior = 'Immediate', server = [==[\n"
		"local e = Instance.new('BindableEvent')\n"
		"local added = false\n"
		"e.Event:Connect(function(x)\n"
		"  print('outer', x)\n"
		"  if not added then added = true\n"
		"    e.Event:Connect(function(y) print('inner', y) end) end\n"
		"end)\n"
		"e:Fire(1) e:Fire(2)\n"
		"]==] }",
		"0 server: outer 1\n"
		"0 server: outer 2\n"
		"0 server: inner 2\n");
}
END_TEST

START_TEST(test_child_added_and_child_removed_fire_with_the_child)
{
	expect_transcript(SERVER_ONLY(
		"local f = Instance.new('Folder', workspace)\n"
		"f.ChildAdded:Connect(function(c) print('added', c.Name, c.Parent) end)\n"
		"f.ChildRemoved:Connect(function(c) print('removed', c.Name, c.Parent) end)\n"
		"local p = Instance.new('Part') p.Name = 'P' p.Parent = f\n"
		"task.wait()\n"
		"p.Parent = workspace"),
		"0 server: added P Folder\n"
		"16.667 server: removed P Workspace\n");
}
END_TEST

START_TEST(test_changed_fires_with_the_property_name)
{
	expect_transcript(SERVER_ONLY(
		"local p = Instance.new('Part')\n"
		"p.Changed:Connect(function(n) print('changed', n) end)\n"
		"p:GetPropertyChangedSignal('Transparency'):Connect(function(...)\n"
		"  print('transparency', select('#', ...), p.Transparency) end)\n"
		"p.Transparency = 0.5 p.Name = 'X' p.Anchored = true\n"
		"print(pcall(p.GetPropertyChangedSignal, p, 'Nope'))"),
		"0 server: false Nope is not a valid property name.\n"
		"0 server: changed Transparency\n"
		"0 server: transparency 0 0.5\n"
		"0 server: changed Name\n"
		"0 server: changed Anchored\n");
}
END_TEST

/* ---- players ---- */

START_TEST(test_player_added_fires_on_the_server_for_each_joiner)
{
	expect_transcript(
		"return { clients = 2, network = { latency = 0.1 }, server = [==[\n"
		"game.Players.PlayerAdded:Connect(function(p)\n"
		"  print('added', p.Name, p.UserId, p.Parent, p:IsA('Player')) end)\n"
		"]==] }",
		"0 server: added Player1 1 Players true\n"
		"0 server: added Player2 2 Players true\n");
}
END_TEST

START_TEST(test_local_player_is_the_clients_own_player)
{
	expect_transcript(
		"return { clients = 2, network = { latency = 0.1 }, server = [==[\n"
		"print('server sees', game.Players.LocalPlayer)\n"
		"]==], client = [==[\n"
		"local me = game.Players.LocalPlayer\n"
		"print(me.Name, me.UserId, me:FindFirstChild('PlayerScripts') ~= nil)\n"
		"print(script:GetFullName())\n"
		"]==] }",
		"0 server: server sees nil\n"
		"100 Player1: Player1 1 true\n"
		"100 Player1: Players.Player1.PlayerScripts.LocalScript\n"
		"100 Player2: Player2 2 true\n"
		"100 Player2: Players.Player2.PlayerScripts.LocalScript\n");
}
END_TEST

START_TEST(test_get_players_lists_joined_players_on_both_sides)
{
	expect_transcript(
		"return { clients = 2, network = { latency = 0.1 }, server = [==[\n"
		"task.wait(1)\n"
		"local t = {} for _, p in ipairs(game.Players:GetPlayers()) do t[#t+1] = p.Name end\n"
		"print(table.concat(t, ','))\n"
		"]==], client = [==[\n"
		"task.wait(1)\n"
		"local t = {} for _, p in ipairs(game.Players:GetPlayers()) do t[#t+1] = p.Name end\n"
		"print(table.concat(t, ','))\n"
		"]==] }",
		"1000 server: Player1,Player2\n"
		"1100 Player1: Player1,Player2\n"
		"1100 Player2: Player1,Player2\n");
}
END_TEST

START_TEST(test_kick_disconnects_the_player)
{
	rs_result *r = tu_run_text(
		"return { clients = 2, network = { latency = 0.1 }, server = [==[\n"
		"game.Players.PlayerRemoving:Connect(function(p) print('removing', p.Name) end)\n"
		"task.wait(1)\n"
		"game.Players.Player1:Kick('bye')\n"
		"task.wait()\n"
		"print(#game.Players:GetPlayers(), game.Players:FindFirstChild('Player1'))\n"
		"]==], client = [==[\n"
		"game.Players.ChildRemoved:Connect(function(p) print('gone', p.Name) end)\n"
		"task.wait(2) print('alive')\n"
		"]==] }");
	char *got = tu_transcript(r, 1);
	ck_assert_str_eq(got,
		"0 Player1 info: Player1 joined\n"
		"0 Player2 info: Player2 joined\n"
		"1000 Player1 info: Player1 left: bye\n"
		"1000 server: removing Player1\n"
		"1016.667 server: 1 nil\n"
		"1100 Player2: gone Player1\n"
		"2100 Player2: alive\n");
	free(got);
	rs_result_free(r);
}
END_TEST

START_TEST(test_clients_see_player_added_and_removing_for_others)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  timeline = { { at = 1, join = 'Player2' },\n"
		"               { at = 2, disconnect = 'Player2' } }, server = [==[\n"
		"game.Players.PlayerRemoving:Connect(function(p) print('removing', p.Name) end)\n"
		"]==], client = [==[\n"
		"local P = game.Players\n"
		"P.PlayerAdded:Connect(function(p) print('added', p.Name) end)\n"
		"P.PlayerRemoving:Connect(function(p) print('removing', p.Name) end)\n"
		"]==] }",
		"1100 Player1: added Player2\n"
		"2000 server: removing Player2\n"
		"2100 Player1: removing Player2\n");
}
END_TEST

/* ---- the roster: clients see other players lazily ---- */

START_TEST(test_lazy_client_sees_a_joiner_once_its_message_would_arrive)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  timeline = { { at = 1, join = 'Player2' } }, client = [==[\n"
		"local P = game.Players\n"
		"task.wait(0.95) print(#P:GetPlayers(), P:FindFirstChild('Player2'))\n"
		"task.wait(0.1) print(#P:GetPlayers(), P:FindFirstChild('Player2'))\n"
		"]==] }",
		"1050 Player1: 1 nil\n"
		"1150 Player1: 2 Player2\n"
		"2050 Player2: 2 Player2\n"
		"2150 Player2: 2 Player2\n");
}
END_TEST

START_TEST(test_client_that_starts_listening_gets_joins_still_on_the_way)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  timeline = { { at = 1, join = 'Player2' } }, client = [==[\n"
		"task.wait(0.95)\n"
		"game.Players.PlayerAdded:Connect(function(p) print('added', p.Name) end)\n"
		"]==] }",
		"1100 Player1: added Player2\n");
}
END_TEST

START_TEST(test_wait_for_child_on_players_waits_for_a_later_join)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  timeline = { { at = 1, join = 'Player2' } }, client = [==[\n"
		"if game.Players.LocalPlayer.Name ~= 'Player1' then return end\n"
		"print(game.Players:WaitForChild('Player2').UserId)\n"
		"]==] }",
		"1100 Player1: 2\n");
}
END_TEST

START_TEST(test_listening_to_game_descendants_makes_joins_arrive)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  timeline = { { at = 1, join = 'Player2' } }, client = [==[\n"
		"if game.Players.LocalPlayer.Name ~= 'Player1' then return end\n"
		"game.DescendantAdded:Connect(function(d)\n"
		"  if d:IsA('Player') then print('descendant', d) end end)\n"
		"]==] }",
		"1100 Player1: descendant Player2\n");
}
END_TEST

START_TEST(test_a_player_in_remote_args_reaches_a_lazy_client)
{
	expect_transcript(
		"return { clients = 2, network = { latency = 0.1 },\n"
		"  tree = { ReplicatedStorage = { E = 'RemoteEvent' } }, server = [==[\n"
		"task.wait(1) game.ReplicatedStorage.E:FireClient(game.Players.Player1,\n"
		"  game.Players.Player2)\n"
		"]==], client = [==[\n"
		"game.ReplicatedStorage.E.OnClientEvent:Connect(function(p)\n"
		"  print(p, p.Parent, p.UserId, p == game.Players:FindFirstChild('Player2'))\n"
		"end)\n"
		"]==] }",
		"1100 Player1: Player2 Players 2 true\n");
}
END_TEST

START_TEST(test_a_client_that_looked_at_a_player_gets_its_changes)
{
	expect_transcript(
		"return { clients = 2, network = { latency = 0.1 }, server = [==[\n"
		"task.wait(1)\n"
		"local ls = Instance.new('Folder') ls.Name = 'leaderstats'\n"
		"local c = Instance.new('IntValue', ls) c.Name = 'Coins' c.Value = 5\n"
		"ls.Parent = game.Players.Player2\n"
		"task.wait(1) c.Value = 9\n"
		"]==], client = [==[\n"
		"if game.Players.LocalPlayer.Name == 'Player2' then return end\n"
		"local p2 = game.Players:FindFirstChild('Player2')\n"
		"task.wait(1.4) print(p2.leaderstats.Coins.Value)\n"
		"task.wait(1) print(p2.leaderstats.Coins.Value)\n"
		"]==] }",
		"1500 Player1: 5\n"
		"2500 Player1: 9\n");
}
END_TEST

START_TEST(test_a_player_a_client_looked_at_leaves_its_players)
{
	expect_transcript(
		"return { clients = 2, network = { latency = 0.1 },\n"
		"  timeline = { { at = 1, disconnect = 'Player2' } }, client = [==[\n"
		"if game.Players.LocalPlayer.Name ~= 'Player1' then return end\n"
		"local p2 = game.Players:GetPlayers()[2]\n"
		"print(p2, p2.Parent)\n"
		"task.wait(0.95) print(p2.Parent, #game.Players:GetPlayers())\n"
		"task.wait(0.1) print(p2.Parent, #game.Players:GetPlayers())\n"
		"]==] }",
		"100 Player1: Player2 Players\n"
		"1050 Player1: Players 2\n"
		"1150 Player1: nil 1\n");
}
END_TEST

START_TEST(test_moving_into_a_player_hides_it_from_clients_that_never_looked)
{
	expect_transcript(
		"return { clients = 2, network = { latency = 0.1 },\n"
		"  tree = { Workspace = { Box = 'Part' } }, server = [==[\n"
		"task.wait(1) workspace.Box.Parent = game.Players.Player1\n"
		"task.wait(1) game.Players.Player1.Box.Parent = workspace\n"
		"]==], client = [==[\n"
		"local me = game.Players.LocalPlayer\n"
		"task.wait(1.4)\n"
		"print(workspace:FindFirstChild('Box'), me:FindFirstChild('Box'))\n"
		"task.wait(1)\n"
		"print(workspace:FindFirstChild('Box'), me:FindFirstChild('Box'))\n"
		"]==] }",
		"1500 Player1: nil Box\n"
		"1500 Player2: nil nil\n"
		"2500 Player1: Box nil\n"
		"2500 Player2: Box nil\n");
}
END_TEST

START_TEST(test_idle_clients_get_no_message_per_join)
{
	rs_result *r = tu_run_text(
		"return { clients = 40, network = { latency = 0.1 } }");
	ck_assert_ptr_nonnull(r);
	size_t creates = 0, snapshots = 0;
	for (size_t i = 0; i < r->trace.nmsgs; i++) {
		const char *l = r->trace.labels[r->trace.msgs[i].label];
		creates += strcmp(l, "Replicate create") == 0;
		snapshots += strcmp(l, "Replicate snapshot") == 0;
	}
	ck_assert_uint_eq(snapshots, 40);
	ck_assert_uint_eq(creates, 0);
	rs_result_free(r);
}
END_TEST

/* ---- replication ---- */

START_TEST(test_part_created_on_server_reaches_client_after_latency)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 }, server = [==[\n"
		"task.wait(1)\n"
		"local p = Instance.new('Part') p.Name = 'Box' p.Transparency = 0.5\n"
		"p.Parent = workspace print('made')\n"
		"]==], client = [==[\n"
		"print('loaded', workspace:FindFirstChild('Box'))\n"
		"local p = workspace:WaitForChild('Box')\n"
		"print('got', p.Name, p.Transparency, p.ClassName)\n"
		"]==] }",
		"100 Player1: loaded nil\n"
		"1000 server: made\n"
		"1100 Player1: got Box 0.5 Part\n");
}
END_TEST

START_TEST(test_property_change_and_destroy_replicate_in_order)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.25 }, server = [==[\n"
		"local p = Instance.new('Part') p.Name = 'Box' p.Parent = workspace\n"
		"task.wait(1)\n"
		"p.Transparency = 0.5 p.Name = 'Crate' p.Anchored = true\n"
		"task.wait(1)\n"
		"p:Destroy()\n"
		"]==], client = [==[\n"
		"local p = workspace.Box\n"
		"p.Changed:Connect(function(n) print('changed', n, p.Transparency, p.Name) end)\n"
		"workspace.ChildRemoved:Connect(function(c) print('removed', c.Name, c == p) end)\n"
		"]==] }",
		"1250 Player1: changed Transparency 0.5 Crate\n"
		"1250 Player1: changed Name 0.5 Crate\n"
		"1250 Player1: changed Anchored 0.5 Crate\n"
		"2250 Player1: removed Crate true\n");
}
END_TEST

START_TEST(test_server_storage_content_never_reaches_clients)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  tree = { ServerStorage = { Secret = 'Part' } }, server = [==[\n"
		"local s = game.ServerStorage.Secret\n"
		"Instance.new('Folder', game.ServerStorage).Name = 'Made'\n"
		"task.wait(1) s.Transparency = 1\n"
		"task.wait(1) s.Parent = workspace\n"
		"task.wait(1) s.Parent = game.ServerStorage\n"
		"]==], client = [==[\n"
		"local ss = game:GetService('ServerStorage')\n"
		"print(#ss:GetChildren(), ss:FindFirstChild('Secret', true))\n"
		"workspace.ChildAdded:Connect(function(c) print('added', c.Name, c.Transparency) end)\n"
		"workspace.ChildRemoved:Connect(function(c) print('removed', c.Name) end)\n"
		"task.wait(5) print(#ss:GetChildren(), workspace:FindFirstChild('Secret'))\n"
		"]==] }",
		"100 Player1: 0 nil\n"
		"2100 Player1: added Secret 1\n"
		"3100 Player1: removed Secret\n"
		"5100 Player1: 0 nil\n");
}
END_TEST

START_TEST(test_client_created_instances_stay_local)
{
	expect_transcript(
		"return { clients = 2, network = { latency = 0.1 }, server = [==[\n"
		"task.wait(1)\n"
		"print('server', workspace:FindFirstChild('Mine'))\n"
		"]==], client = [==[\n"
		"if game.Players.LocalPlayer.Name == 'Player1' then\n"
		"  local p = Instance.new('Part') p.Name = 'Mine' p.Parent = workspace\n"
		"end\n"
		"task.wait(1)\n"
		"print(workspace:FindFirstChild('Mine') ~= nil)\n"
		"]==] }",
		"1000 server: server nil\n"
		"1100 Player1: true\n"
		"1100 Player2: false\n");
}
END_TEST

START_TEST(test_late_joiner_gets_the_snapshot)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  timeline = { { at = 2, join = 'Player2' } }, server = [==[\n"
		"local p = Instance.new('Part') p.Name = 'Box' p.Parent = workspace\n"
		"task.wait(1) p.Transparency = 0.5 p:SetAttribute('Hp', 3)\n"
		"Instance.new('Folder', p).Name = 'Inner'\n"
		"]==], client = [==[\n"
		"local p = workspace:FindFirstChild('Box')\n"
		"print(game.Players.LocalPlayer.Name, p.Transparency, p:GetAttribute('Hp'), "
		"p:FindFirstChild('Inner'), #game.Players:GetPlayers())\n"
		"]==] }",
		"100 Player1: Player1 0 nil nil 1\n"
		"2100 Player2: Player2 0.5 3 Inner 2\n");
}
END_TEST

START_TEST(test_replicated_instance_in_remote_args_is_the_clients_own)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  tree = { ReplicatedStorage = { E = 'RemoteEvent' } }, server = [==[\n"
		"task.wait(1)\n"
		"local p = Instance.new('Part') p.Parent = workspace\n"
		"game.ReplicatedStorage.E:FireAllClients(p)\n"
		"]==], client = [==[\n"
		"game.ReplicatedStorage.E.OnClientEvent:Connect(function(p)\n"
		"  print(p == workspace:FindFirstChild('Part'), p.Parent) end)\n"
		"]==] }",
		"1100 Player1: true Workspace\n");
}
END_TEST

START_TEST(test_attribute_changes_replicate)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  tree = { Workspace = { Box = 'Part' } }, server = [==[\n"
		"task.wait(1) workspace.Box:SetAttribute('Hp', 7)\n"
		"]==], client = [==[\n"
		"workspace.Box:GetAttributeChangedSignal('Hp'):Connect(function()\n"
		"  print('hp', workspace.Box:GetAttribute('Hp')) end)\n"
		"]==] }",
		"1100 Player1: hp 7\n");
}
END_TEST

START_TEST(test_datatype_attributes_replicate)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  tree = { Workspace = { Box = 'Part' } }, server = [==[\n"
		"workspace.Box:SetAttribute('At', Vector3.new(1, 2, 3))\n"
		"task.wait(1) workspace.Box:SetAttribute('At', Vector3.new(4, 5, 6))\n"
		"]==], client = [==[\n"
		"print(workspace.Box:GetAttribute('At'))\n"
		"workspace.Box:GetAttributeChangedSignal('At'):Connect(function()\n"
		"  print(workspace.Box:GetAttribute('At')) end)\n"
		"]==] }",
		"100 Player1: 1, 2, 3\n"
		"1100 Player1: 4, 5, 6\n");
}
END_TEST

/* ---- RunService, require, script ---- */

START_TEST(test_run_service_tells_server_from_client)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 }, server = [==[\n"
		"local rs = game:GetService('RunService')\n"
		"print(rs:IsServer(), rs:IsClient(), rs:IsStudio(), rs:IsRunning())\n"
		"]==], client = [==[\n"
		"local rs = game:GetService('RunService')\n"
		"print(rs:IsServer(), rs:IsClient())\n"
		"]==] }",
		"0 server: true false false true\n"
		"100 Player1: false true\n");
}
END_TEST

START_TEST(test_require_runs_a_module_once_per_peer_and_caches)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  tree = { ReplicatedStorage = { Shared = { class = 'ModuleScript',\n"
		"    source = [[print('loading', script.Name, script.Parent.Name)\n"
		"      return { n = 0 }]] } } }, server = [==[\n"
		"local a = require(game.ReplicatedStorage.Shared)\n"
		"a.n = a.n + 1\n"
		"local b = require(game.ReplicatedStorage.Shared)\n"
		"print(a == b, b.n)\n"
		"]==], client = [==[\n"
		"local m = require(game.ReplicatedStorage:WaitForChild('Shared'))\n"
		"print(m.n, require(game.ReplicatedStorage.Shared) == m)\n"
		"]==] }",
		"0 server: loading Shared ReplicatedStorage\n"
		"0 server: true 1\n"
		"100 Player1: loading Shared ReplicatedStorage\n"
		"100 Player1: 0 true\n");
}
END_TEST

START_TEST(test_require_of_a_non_module_errors)
{
	expect_transcript(SERVER_ONLY(
		"print(pcall(require, workspace))\n"
		"print(pcall(require, 5))"),
		"0 server: false Attempted to call require with invalid argument(s).\n"
		"0 server: false Attempted to call require with invalid argument(s).\n");
}
END_TEST

START_TEST(test_script_refers_to_the_running_script)
{
	expect_transcript(
		"return { clients = 0, server = {\n"
		"  { name = 'Alpha', source = 'print(script.Name, script.ClassName, script.Parent)' },\n"
		"  { name = 'Beta', source = 'print(script.Name, script:IsA(\"Script\"))' } } }",
		"0 server: Alpha Script ServerScriptService\n"
		"0 server: Beta true\n");
}
END_TEST

/* ---- services ---- */

START_TEST(test_tag_change_replicates_in_order_with_property_changes)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  signal_behavior = 'Immediate',\n"
		"  tree = { Workspace = { Box = 'Part' } }, server = [==[\n"
		"task.wait(1)\n"
		"workspace.Box.Transparency = 0.5\n"
		"workspace.Box:AddTag('Seen')\n"
		"workspace.Box.Transparency = 1\n"
		"]==], client = [==[\n"
		"local cs = game:GetService('CollectionService')\n"
		"cs:GetInstanceAddedSignal('Seen'):Connect(function(i)\n"
		"  print('tagged', i.Transparency) end)\n"
		"workspace.Box:GetPropertyChangedSignal('Transparency'):Connect(\n"
		"  function() print('t', workspace.Box.Transparency,\n"
		"    workspace.Box:HasTag('Seen')) end)\n"
		"]==] }",
		"1100 Player1: t 0.5 false\n"
		"1100 Player1: tagged 0.5\n"
		"1100 Player1: t 1 true\n");
}
END_TEST

START_TEST(test_destroying_a_tagged_instance_fires_removed_and_hides_it)
{
	expect_transcript(SERVER_ONLY(
		"local cs = game:GetService('CollectionService')\n"
		"local m = Instance.new('Model', workspace)\n"
		"local p = Instance.new('Part', m) p:AddTag('T')\n"
		"cs:GetInstanceRemovedSignal('T'):Connect(function(i)\n"
		"  print('removed', i.Name, i.Parent) end)\n"
		"m:Destroy()\n"
		"task.wait()\n"
		"print(#cs:GetTagged('T'), p:HasTag('T'))\n"
		"print(pcall(cs.AddTag, cs, p, string.rep('x', 101)))"),
		"0 server: removed Part nil\n"
		"16.667 server: 0 true\n"
		"16.667 server: false rsim does not model tags longer than 100 "
		"bytes\n");
}
END_TEST

START_TEST(test_a_clients_own_tag_changes_stay_on_it)
{
	expect_transcript(
		"return { clients = 2, network = { latency = 0.1 },\n"
		"  tree = { Workspace = { Box = 'Part' } }, server = [==[\n"
		"task.wait(1) print('server', #workspace.Box:GetTags())\n"
		"]==], client = [==[\n"
		"if game.Players.LocalPlayer.Name == 'Player1' then\n"
		"  workspace.Box:AddTag('Mine') end\n"
		"task.wait(1) print(#workspace.Box:GetTags())\n"
		"]==] }",
		"1000 server: server 0\n"
		"1100 Player1: 1\n"
		"1100 Player2: 0\n");
}
END_TEST

/* The transcript of a run that prints two GUIDs on the server and one on
 * the client, with the given seed. */
static char *guids(int seed)
{
	char text[512];
	snprintf(text, sizeof text,
	         "return { seed = %d, server = [==[\n"
	         "local h = game:GetService('HttpService')\n"
	         "print(h:GenerateGUID(false), h:GenerateGUID(false))\n"
	         "]==], client = [==[\n"
	         "print(game:GetService('HttpService'):GenerateGUID(false))\n"
	         "]==] }", seed);
	return tu_run_transcript(text);
}

START_TEST(test_generate_guid_depends_only_on_seed_and_peer)
{
	char *a = guids(1), *b = guids(1), *c = guids(2);
	ck_assert_str_eq(a, b);
	ck_assert_str_ne(a, c);
	/* "0 server: G1 G2\n0 Player1: G3\n": three different GUIDs */
	char g1[37], g2[37], g3[37];
	ck_assert_int_eq(sscanf(a, "0 server: %36s %36s\n0 Player1: %36s",
	                        g1, g2, g3), 3);
	ck_assert_str_ne(g1, g2);
	ck_assert_str_ne(g1, g3);
	ck_assert_int_eq(g1[14], '4');
	ck_assert_ptr_nonnull(strchr("89AB", g1[19]));
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(test_json_round_trips_nested_tables_with_keys_in_fixed_order)
{
	expect_transcript(SERVER_ONLY(
		"local h = game:GetService('HttpService')\n"
		"local s = h:JSONEncode({ b = { 1, 2 }, a = 'x\\n', c = { d = -0.25 } })\n"
		"print(s)\n"
		"print(h:JSONEncode(h:JSONDecode(s)) == s)\n"
		"print(h:JSONEncode({ f = print, v = Vector3.new(1, 2, 3) }))\n"
		"print(pcall(h.JSONDecode, h, ''))"),
		"0 server: {\"a\":\"x\\n\",\"b\":[1,2],\"c\":{\"d\":-0.25}}\n"
		"0 server: true\n"
		"0 server: {\"f\":null,\"v\":null}\n"
		"0 server: false Can't parse JSON\n");
}
END_TEST

START_TEST(test_messaging_callbacks_run_after_the_fixed_delay_in_publish_order)
{
	expect_transcript(SERVER_ONLY(
		"local m = game:GetService('MessagingService')\n"
		"m:SubscribeAsync('t', function(msg) print('a', msg.Data) end)\n"
		"m:SubscribeAsync('t', function(msg) print('b', msg.Data) end)\n"
		"m:PublishAsync('t', 1) m:PublishAsync('t', 2)\n"
		"print(pcall(m.PublishAsync, m, '', 3))"),
		"0 server: false MessagingService topics are 1 to 80 characters, "
		"got 0\n"
		"200 server: a 1\n"
		"200 server: b 1\n"
		"200 server: a 2\n"
		"200 server: b 2\n");
}
END_TEST

/* A LocalScript that runs before its client's snapshot arrives (as a
 * ReplicatedFirst script does in Roblox) sees IsLoaded false, and its
 * game.Loaded:Wait() resumes when the snapshot arrives. */
START_TEST(test_loaded_wait_before_the_snapshot_resumes_when_it_arrives)
{
	rs_sim sim;
	rs_sim_init(&sim, 0);
	rs_game *g = rs_game_new(&sim, NULL);
	rs_link_config link = { .latency_up = 0.1, .latency_down = 0.1 };
	int k = rs_game_add_client(g, "Player1", &link);
	rs_world *w = rs_game_world(g, k);
	rs_inst *early = rs_world_create(w, "LocalScript", "Early",
	                                 rs_world_service(w, "ReplicatedFirst"));
	static const char src[] =
		"print('before', game:IsLoaded())\n"
		"game.Loaded:Wait()\n"
		"print('after', game:IsLoaded(), os.clock())\n";
	rs_inst_set_source(early, src, sizeof src - 1);
	rs_world_run_script(w, early);
	rs_game_join(g, k, NULL, NULL);
	rs_sim_run(&sim);
	char got[256] = "";
	for (size_t e = 0; e < sim.trace.len; e++) {
		const rs_entry *en = &sim.trace.entries[e];
		if (en->kind == RS_OUT_PRINT) {
			strncat(got, en->text, sizeof got - strlen(got) - 2);
			strcat(got, "\n");
		}
	}
	ck_assert_str_eq(got, "before false\nafter true 0.1\n");
	rs_game_free(g);
	rs_sim_free(&sim);
}
END_TEST

static Suite *api_suite(void)
{
	Suite *s = suite_create("api");
	TCase *tc = tcase_create("tree");
	tcase_add_test(tc, test_instance_new_has_class_name_as_name_and_no_parent);
	tcase_add_test(tc, test_parent_and_name_assignment_move_and_rename);
	tcase_add_test(tc, test_find_first_child_recursive_searches_breadth_first);
	tcase_add_test(tc, test_find_first_child_of_class_is_exact_and_which_is_a_inherits);
	tcase_add_test(tc, test_get_children_and_descendants_in_tree_order);
	tcase_add_test(tc, test_is_a_follows_the_class_hierarchy);
	tcase_add_test(tc, test_is_descendant_of_excludes_self_and_other_branches);
	tcase_add_test(tc, test_destroy_destroys_children_and_locks_parent);
	tcase_add_test(tc, test_destroying_fires_before_destruction_when_immediate);
	tcase_add_test(tc, test_destroying_handlers_run_after_destroy_when_deferred);
	tcase_add_test(tc, test_destroy_disconnects_connections);
	tcase_add_test(tc, test_clone_copies_properties_and_archivable_children);
	tcase_add_test(tc, test_get_full_name_joins_names_below_game);
	tcase_add_test(tc, test_wait_for_child_returns_present_child_at_once);
	tcase_add_test(tc, test_wait_for_child_resumes_when_the_child_is_added);
	tcase_add_test(tc, test_wait_for_child_with_timeout_returns_nil_without_warning);
	tcase_add_test(tc, test_wait_for_child_warns_infinite_yield_after_five_seconds);
	tcase_add_test(tc, test_attributes_set_get_and_signal);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	/* the two cap tests make 500,000 and 262,144 instances: past Check's
	 * 4 s under the sanitizers on a busy machine */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_unknown_member_names_class_and_full_name);
	tcase_add_test(tc, test_uncaught_unknown_member_error_is_in_the_transcript);
	tcase_add_test(tc, test_instance_new_of_unknown_or_service_class_errors);
	tcase_add_test(tc, test_instance_count_per_peer_is_capped);
	tcase_add_test(tc,
	    test_clone_is_capped_like_instance_new_and_makes_nothing_past_it);
	tcase_add_test(tc, test_parent_cycle_is_refused);
	tcase_add_test(tc, test_assigning_the_wrong_type_errors);
	tcase_add_test(tc, test_read_only_properties_refuse_assignment);
	tcase_add_test(tc, test_method_called_with_dot_errors);
	tcase_add_test(tc, test_typeof_and_tostring_of_an_instance);
	suite_add_tcase(s, tc);
	tc = tcase_create("signals");
	tcase_add_test(tc, test_connect_disconnect_and_connected);
	tcase_add_test(tc, test_once_runs_one_time_and_disconnects);
	tcase_add_test(tc, test_wait_returns_the_fired_arguments);
	tcase_add_test(tc, test_disconnect_during_fire_stops_later_handler_when_deferred);
	tcase_add_test(tc, test_disconnect_during_fire_stops_later_handler_when_immediate);
	tcase_add_test(tc, test_deferred_handlers_run_after_the_firing_thread);
	tcase_add_test(tc, test_immediate_handlers_run_inside_fire_in_connection_order);
	tcase_add_test(tc, test_handler_connected_during_fire_waits_for_next_fire);
	tcase_add_test(tc, test_child_added_and_child_removed_fire_with_the_child);
	tcase_add_test(tc, test_changed_fires_with_the_property_name);
	suite_add_tcase(s, tc);
	tc = tcase_create("players");
	tcase_add_test(tc, test_player_added_fires_on_the_server_for_each_joiner);
	tcase_add_test(tc, test_local_player_is_the_clients_own_player);
	tcase_add_test(tc, test_get_players_lists_joined_players_on_both_sides);
	tcase_add_test(tc, test_kick_disconnects_the_player);
	tcase_add_test(tc, test_clients_see_player_added_and_removing_for_others);
	suite_add_tcase(s, tc);
	tc = tcase_create("roster");
	tcase_add_test(tc,
		test_lazy_client_sees_a_joiner_once_its_message_would_arrive);
	tcase_add_test(tc,
		test_client_that_starts_listening_gets_joins_still_on_the_way);
	tcase_add_test(tc, test_wait_for_child_on_players_waits_for_a_later_join);
	tcase_add_test(tc, test_listening_to_game_descendants_makes_joins_arrive);
	tcase_add_test(tc, test_a_player_in_remote_args_reaches_a_lazy_client);
	tcase_add_test(tc, test_a_client_that_looked_at_a_player_gets_its_changes);
	tcase_add_test(tc, test_a_player_a_client_looked_at_leaves_its_players);
	tcase_add_test(tc,
		test_moving_into_a_player_hides_it_from_clients_that_never_looked);
	tcase_add_test(tc, test_idle_clients_get_no_message_per_join);
	suite_add_tcase(s, tc);

	tc = tcase_create("replication");
	tcase_add_test(tc, test_part_created_on_server_reaches_client_after_latency);
	tcase_add_test(tc, test_property_change_and_destroy_replicate_in_order);
	tcase_add_test(tc, test_server_storage_content_never_reaches_clients);
	tcase_add_test(tc, test_client_created_instances_stay_local);
	tcase_add_test(tc, test_late_joiner_gets_the_snapshot);
	tcase_add_test(tc, test_replicated_instance_in_remote_args_is_the_clients_own);
	tcase_add_test(tc, test_attribute_changes_replicate);
	tcase_add_test(tc, test_datatype_attributes_replicate);
	suite_add_tcase(s, tc);
	tc = tcase_create("scripts");
	tcase_add_test(tc, test_run_service_tells_server_from_client);
	tcase_add_test(tc, test_require_runs_a_module_once_per_peer_and_caches);
	tcase_add_test(tc, test_require_of_a_non_module_errors);
	tcase_add_test(tc, test_script_refers_to_the_running_script);
	suite_add_tcase(s, tc);
	tc = tcase_create("services");
	tcase_add_test(tc, test_tag_change_replicates_in_order_with_property_changes);
	tcase_add_test(tc, test_destroying_a_tagged_instance_fires_removed_and_hides_it);
	tcase_add_test(tc, test_a_clients_own_tag_changes_stay_on_it);
	tcase_add_test(tc, test_generate_guid_depends_only_on_seed_and_peer);
	tcase_add_test(tc, test_json_round_trips_nested_tables_with_keys_in_fixed_order);
	tcase_add_test(tc,
		test_messaging_callbacks_run_after_the_fixed_delay_in_publish_order);
	tcase_add_test(tc,
		test_loaded_wait_before_the_snapshot_resumes_when_it_arrives);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(api_suite());
}
