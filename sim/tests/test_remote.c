/* Unit tests of remote: RemoteEvent, UnreliableRemoteEvent, RemoteFunction
 * and the bindables -- who receives what, when (with link latency), the
 * errors Roblox raises on the wrong side, queueing before Connect, payload
 * limits and loss, invocations that fail or never return.  Each test runs
 * a small scenario and checks the transcript: lines read "ms peer: text"
 * with virtual times in milliseconds. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rsim/core.h"
#include "rsim/remote.h"
#include "rsim/scenario.h"
#include "testutil.h"

/* A scenario with n clients on 100 ms links, a ReplicatedStorage holding
 * E (RemoteEvent), U (UnreliableRemoteEvent), RF (RemoteFunction), B
 * (BindableEvent) and BF (BindableFunction), and the two scripts. */
#define SCENARIO(n, extra, server, client) \
	"return { clients = " #n ", network = { latency = 0.1 }, " extra "\n" \
	"  tree = { ReplicatedStorage = { E = 'RemoteEvent',\n" \
	"    U = 'UnreliableRemoteEvent', RF = 'RemoteFunction',\n" \
	"    B = 'BindableEvent', BF = 'BindableFunction' } },\n" \
	"  server = [==[\nlocal RS = game.ReplicatedStorage\n" server "\n]==],\n" \
	"  client = [==[\nlocal RS = game.ReplicatedStorage\n" \
	"local me = game.Players.LocalPlayer.Name\n" client "\n]==] }"

/* ---- RemoteEvent delivery ---- */

START_TEST(test_fire_server_arrives_after_latency_with_the_player_first)
{
	expect_transcript(SCENARIO(2, "",
		"RS.E.OnServerEvent:Connect(function(p, a, b, ...)\n"
		"  print(typeof(p), p.Name, a, b, select('#', ...)) end)",
		"RS.E:FireServer('hi', 5)"),
		"200 server: Instance Player1 hi 5 0\n"
		"200 server: Instance Player2 hi 5 0\n");
}
END_TEST

START_TEST(test_fire_server_keeps_order_of_one_client)
{
	expect_transcript(SCENARIO(1, "",
		"RS.E.OnServerEvent:Connect(function(p, n) print(n) end)",
		"for i = 1, 3 do RS.E:FireServer(i) end\n"
		"task.wait(1) RS.E:FireServer(4)"),
		"200 server: 1\n"
		"200 server: 2\n"
		"200 server: 3\n"
		"1200 server: 4\n");
}
END_TEST

START_TEST(test_fire_client_reaches_that_player_only)
{
	expect_transcript(SCENARIO(2, "",
		"task.wait(1) RS.E:FireClient(game.Players.Player2, 'x', 1)",
		"RS.E.OnClientEvent:Connect(function(...)\n"
		"  print(me, 'got', ...) end)"),
		"1100 Player2: Player2 got x 1\n");
}
END_TEST

START_TEST(test_fire_all_clients_reaches_every_connected_client_with_its_latency)
{
	expect_transcript(SCENARIO(3,
		"timeline = { { at = 0.5, latency = 0.3, player = 'Player2' },\n"
		"             { at = 0.5, disconnect = 'Player3' } },",
		"task.wait(1) RS.E:FireAllClients('all', 2) print('fired')",
		"RS.E.OnClientEvent:Connect(function(a, b) print(me, a, b) end)"),
		"1000 server: fired\n"
		"1100 Player1: Player1 all 2\n"
		"1300 Player2: Player2 all 2\n");
}
END_TEST

START_TEST(test_fire_client_to_a_player_who_left_is_dropped)
{
	expect_transcript(SCENARIO(1,
		"timeline = { { at = 0.5, disconnect = 'Player1' } },",
		"local p = game.Players:WaitForChild('Player1')\n"
		"task.wait(1) RS.E:FireClient(p, 1) RS.E:FireAllClients(2)\n"
		"print('sent')",
		"RS.E.OnClientEvent:Connect(function(a) print('got', a) end)"),
		"1000 server: sent\n");
}
END_TEST

START_TEST(test_remote_arguments_follow_roblox_limitations)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1 },\n"
		"  tree = { ReplicatedStorage = { E = 'RemoteEvent', Shared = 'Part' },\n"
		"           ServerStorage = { Secret = 'Part' } }, server = [==[\n"
		"local RS = game.ReplicatedStorage\n"
		"task.wait(1)\n"
		"RS.E:FireAllClients(print, { f = print, [1.5] = 'x' },\n"
		"  game.ServerStorage.Secret, RS.Shared, Vector3.new(1, 2, 3))\n"
		"]==], client = [==[\n"
		"local RS = game.ReplicatedStorage\n"
		"RS.E.OnClientEvent:Connect(function(f, t, secret, shared, v)\n"
		"  print(f, t.f, t['1.5'], secret, shared == RS.Shared, v) end)\n"
		"]==] }",
		"1100 Player1: nil nil x nil true 1, 2, 3\n");
}
END_TEST

/* Arguments are copied into the receiver when they arrive: tables made
 * by the receiver after the arrival (here by a thread woken between the
 * arrival and the handlers' turn) are younger than the copies, and a
 * handler disconnected before its turn does not run.  (The identities are
 * those the simulator gave before arguments were decoded lazily, less the
 * 4 objects a client's start-up no longer makes: the same order.) */
START_TEST(test_received_tables_keep_the_identities_of_their_arrival)
{
	expect_transcript(SCENARIO(1, "",
		"task.wait(1)\n"
		"for i = 1, 3 do RS.E:FireAllClients({i = i}, {{i}}) end",
		"local c\n"
		"c = RS.E.OnClientEvent:Connect(function(t, u)\n"
		"  print(t.i, tostring(t), tostring(u[1]), tostring({}))\n"
		"  if t.i == 2 then c:Disconnect() end\n"
		"end)\n"
		"task.wait(0.9)\n"
		"task.delay(0.1, function() print('between', tostring({})) end)"),
		"1100 Player1: between table: 0x48ac81aebe65c6c1\n"
		"1100 Player1: 1 table: 0xf5036947b5fe5b39 table: "
		"0x75757b0d11f62299 table: 0xefb85094afac6b71\n"
		"1100 Player1: 2 table: 0x11665fbf2e7b8cae table: "
		"0x51e664880b11fc21 table: 0xff92ae14cc296fd3\n");
}
END_TEST

/* A client that leaves with events waiting for their handlers drops them
 * (and their payloads: the sanitizer build checks nothing leaks). */
START_TEST(test_events_queued_for_a_client_that_leaves_are_dropped)
{
	expect_transcript(SCENARIO(2, "",
		"task.wait(1)\n"
		"for i = 1, 3 do RS.E:FireAllClients({i = i}) end",
		"RS.E.OnClientEvent:Connect(function(t)\n"
		"  print(me, t.i)\n"
		"  if me == 'Player2' then game.Players.LocalPlayer:Kick() end\n"
		"end)"),
		"1100 Player1: Player1 1\n"
		"1100 Player1: Player1 2\n"
		"1100 Player1: Player1 3\n"
		"1100 Player2: Player2 1\n");
}
END_TEST

/* ---- wrong side ---- */

START_TEST(test_client_members_error_on_the_server)
{
	expect_transcript(SCENARIO(1, "",
		"print(pcall(RS.E.FireServer, RS.E, 1))\n"
		"print(pcall(RS.RF.InvokeServer, RS.RF))\n"
		"print(pcall(RS.E.OnClientEvent.Connect, RS.E.OnClientEvent, print))\n"
		"print(pcall(function() RS.RF.OnClientInvoke = print end))",
		""),
		"0 server: false FireServer can only be called from the client\n"
		"0 server: false InvokeServer can only be called from the client\n"
		"0 server: false OnClientEvent can only be used on the client\n"
		"0 server: false ServerScriptService.Script:5: OnClientInvoke can "
		"only be set on the client\n");
}
END_TEST

START_TEST(test_server_members_error_on_a_client)
{
	expect_transcript(SCENARIO(1, "",
		"",
		"local p = game.Players.LocalPlayer\n"
		"print(pcall(RS.E.FireClient, RS.E, p, 1))\n"
		"print(pcall(RS.E.FireAllClients, RS.E, 1))\n"
		"print(pcall(RS.RF.InvokeClient, RS.RF, p))\n"
		"print(pcall(RS.E.OnServerEvent.Connect, RS.E.OnServerEvent, print))\n"
		"print(pcall(RS.E.OnServerEvent.Wait, RS.E.OnServerEvent))\n"
		"print(pcall(function() RS.RF.OnServerInvoke = print end))"),
		"100 Player1: false FireClient can only be called from the server\n"
		"100 Player1: false FireAllClients can only be called from the server\n"
		"100 Player1: false InvokeClient can only be called from the server\n"
		"100 Player1: false OnServerEvent can only be used on the server\n"
		"100 Player1: false OnServerEvent can only be used on the server\n"
		"100 Player1: false Players.Player1.PlayerScripts.LocalScript:9: "
		"OnServerInvoke can only be set on the server\n");
}
END_TEST

START_TEST(test_uncaught_wrong_side_error_names_the_script_line)
{
	expect_transcript(SCENARIO(0, "",
		"print('a')\nRS.E:FireServer()\nprint('b')", ""),
		"0 server: a\n"
		"0 server error: ServerScriptService.Script:3: FireServer can only be "
		"called from the client\n");
}
END_TEST

START_TEST(test_fire_client_with_a_non_player_errors)
{
	expect_transcript(SCENARIO(1, "",
		"task.wait(1)\n"
		"print(pcall(RS.E.FireClient, RS.E, 'Player1', 1))\n"
		"print(pcall(RS.E.FireClient, RS.E, workspace))\n"
		"print(pcall(RS.E.FireClient, RS.E))\n"
		"print(pcall(RS.RF.InvokeClient, RS.RF, 'Player1'))",
		"RS.E.OnClientEvent:Connect(function(...) print('got', ...) end)"),
		"1000 server: false FireClient: player argument must be a Player "
		"object\n"
		"1000 server: false FireClient: player argument must be a Player "
		"object\n"
		"1000 server: false FireClient: player argument must be a Player "
		"object\n"
		"1000 server: false InvokeClient: player argument must be a Player "
		"object\n");
}
END_TEST

/* ---- queueing before Connect ---- */

START_TEST(test_events_queued_before_connect_are_delivered_on_connect)
{
	expect_transcript(SCENARIO(1, "",
		"task.wait(0.5) RS.E:FireAllClients(1) RS.E:FireAllClients(2)\n"
		"task.wait(1) RS.E.OnServerEvent:Connect(function(p, x)\n"
		"  print('server got', p.Name, x) end)",
		"RS.E:FireServer('early')\n"
		"task.wait(2)\n"
		"print('connecting')\n"
		"RS.E.OnClientEvent:Connect(function(x) print('client got', x) end)"),
		"1500 server: server got Player1 early\n"
		"2100 Player1: connecting\n"
		"2100 Player1: client got 1\n"
		"2100 Player1: client got 2\n");
}
END_TEST

START_TEST(test_wait_takes_the_first_queued_event)
{
	expect_transcript(SCENARIO(1, "",
		"task.wait(0.5) RS.E:FireAllClients('a') RS.E:FireAllClients('b')",
		"task.wait(1)\n"
		"print(RS.E.OnClientEvent:Wait())\n"
		"print(RS.E.OnClientEvent:Wait())"),
		"1100 Player1: a\n"
		"1100 Player1: b\n");
}
END_TEST

/* ---- UnreliableRemoteEvent ---- */

START_TEST(test_unreliable_payload_over_limit_is_dropped_with_a_warning)
{
	expect_transcript(SCENARIO(1, "",
		"RS.U.OnServerEvent:Connect(function(p, s) print('got', #s) end)\n"
		"RS.E.OnServerEvent:Connect(function(p, s) print('reliable', #s) end)",
		"RS.U:FireServer(string.rep('x', 1000))\n"
		"RS.U:FireServer(string.rep('y', 800))\n"
		"RS.E:FireServer(string.rep('z', 1000))"),
		"100 Player1 warn: UnreliableRemoteEvent U: the payload (1005 bytes) "
		"is over the 900-byte limit and was dropped\n"
		"200 server: got 800\n"
		"200 server: reliable 1000\n");
}
END_TEST

START_TEST(test_unreliable_with_full_loss_drops_everything)
{
	expect_transcript(
		"return { clients = 1, network = { latency = 0.1, loss = 1 },\n"
		"  tree = { ReplicatedStorage = { E = 'RemoteEvent',\n"
		"    U = 'UnreliableRemoteEvent' } }, server = [==[\n"
		"local RS = game.ReplicatedStorage\n"
		"RS.U.OnServerEvent:Connect(function(p, i) print('unreliable', i) end)\n"
		"RS.E.OnServerEvent:Connect(function(p, i) print('reliable', i) end)\n"
		"task.wait(1) for i = 1, 20 do RS.U:FireAllClients(i) end\n"
		"]==], client = [==[\n"
		"local RS = game.ReplicatedStorage\n"
		"RS.U.OnClientEvent:Connect(function(i) print('unreliable', i) end)\n"
		"for i = 1, 20 do RS.U:FireServer(i) end\n"
		"RS.E:FireServer(1)\n"
		"]==] }",
		"200 server: reliable 1\n");
}
END_TEST

/* ---- RemoteFunction ---- */

START_TEST(test_invoke_server_round_trip_takes_two_latencies)
{
	expect_transcript(SCENARIO(1, "",
		"RS.RF.OnServerInvoke = function(p, a, b)\n"
		"  print('serving', p.Name, a, b) return a + b, 'ok' end",
		"print('invoking')\n"
		"print(RS.RF:InvokeServer(2, 3))"),
		"100 Player1: invoking\n"
		"200 server: serving Player1 2 3\n"
		"300 Player1: 5 ok\n");
}
END_TEST

START_TEST(test_invoke_server_callback_error_is_raised_in_the_invoker)
{
	expect_transcript(SCENARIO(1, "",
		"RS.RF.OnServerInvoke = function(p) error('boom') end",
		"print(pcall(RS.RF.InvokeServer, RS.RF))\n"
		"print('still running')"),
		"300 Player1: false ServerScriptService.Script:2: boom\n"
		"300 Player1: still running\n");
}
END_TEST

START_TEST(test_only_the_last_on_server_invoke_runs)
{
	expect_transcript(SCENARIO(1, "",
		"RS.RF.OnServerInvoke = function() print('first') return 1 end\n"
		"RS.RF.OnServerInvoke = function() print('second') return 2 end",
		"print(RS.RF:InvokeServer())"),
		"200 server: second\n"
		"300 Player1: 2\n");
}
END_TEST

START_TEST(test_invoke_server_waits_until_the_callback_is_set)
{
	expect_transcript(SCENARIO(1, "",
		"task.wait(2)\n"
		"print('setting')\n"
		"RS.RF.OnServerInvoke = function(p, x) return x * 2 end",
		"print(RS.RF:InvokeServer(21))"),
		"2000 server: setting\n"
		"2100 Player1: 42\n");
}
END_TEST

START_TEST(test_invoke_client_returns_the_clients_values)
{
	expect_transcript(SCENARIO(1, "",
		"local p = game.Players:WaitForChild('Player1')\n"
		"task.wait(1)\n"
		"print(RS.RF:InvokeClient(p, 'q'))",
		"RS.RF.OnClientInvoke = function(q) return q .. '!', 7 end"),
		"1200 server: q! 7\n");
}
END_TEST

START_TEST(test_invoke_client_callback_error_is_raised_in_the_server)
{
	expect_transcript(SCENARIO(1, "",
		"local p = game.Players:WaitForChild('Player1')\n"
		"task.wait(1)\n"
		"print(pcall(RS.RF.InvokeClient, RS.RF, p))",
		"RS.RF.OnClientInvoke = function() error('nope') end"),
		"1200 server: false Players.Player1.PlayerScripts.LocalScript:3: "
		"nope\n");
}
END_TEST

START_TEST(test_invoke_client_errors_when_the_client_disconnects)
{
	expect_transcript(SCENARIO(1,
		"timeline = { { at = 1, disconnect = 'Player1' } },",
		"local p = game.Players:WaitForChild('Player1')\n"
		"task.wait(0.5)\n"
		"print(pcall(RS.RF.InvokeClient, RS.RF, p))\n"
		"print(pcall(RS.RF.InvokeClient, RS.RF, p))",
		"RS.RF.OnClientInvoke = function() task.wait(100) end"),
		"1000 server: false Player Player1 disconnected during remote call "
		"to RF\n"
		"1000 server: false Player Player1 disconnected during remote call "
		"to RF\n");
}
END_TEST

START_TEST(test_invoke_client_that_never_returns_stays_blocked)
{
	rs_result *r = tu_run_text(SCENARIO(1, "duration = 10,",
		"local p = game.Players:WaitForChild('Player1')\n"
		"task.wait(1)\n"
		"print('invoking')\n"
		"RS.RF:InvokeClient(p)\n"
		"print('never')",
		"print('no callback')"));
	char *got = tu_transcript(r, 0);
	ck_assert_str_eq(got,
		"100 Player1: no callback\n"
		"1000 server: invoking\n");
	free(got);
	ck_assert_uint_eq(r->nblocked, 1);
	ck_assert_int_eq(r->blocked[0].peer, 0);
	ck_assert_str_eq(r->blocked[0].on, "InvokeClient ReplicatedStorage.RF");
	ck_assert_str_eq(r->blocked[0].where, "ServerScriptService.Script:5");
	ck_assert_int_eq(r->blocked[0].since, 1000000);
	ck_assert(!r->passed);
	rs_result_free(r);
}
END_TEST

/* ---- bindables ---- */

START_TEST(test_bindable_event_passes_copies_of_tables)
{
	expect_transcript(SCENARIO(0, "",
		"local t = { 1, { 2 } }\n"
		"local d = { k = { v = 'v' } }\n"
		"RS.B.Event:Connect(function(x, y, part)\n"
		"  print(x == t, x[1], x[2][1], x[2] == t[2], y == d, y.k.v, "
		"part == workspace)\n"
		"  x[1] = 99 end)\n"
		"RS.B:Fire(t, d, workspace)\n"
		"task.wait() print(t[1])",
		""),
		"0 server: false 1 2 false false v true\n"
		"16.667 server: 1\n");
}
END_TEST

START_TEST(test_bindable_function_copies_arguments_and_results)
{
	expect_transcript(SCENARIO(0, "",
		"local kept\n"
		"local arg = { n = 1 }\n"
		"RS.BF.OnInvoke = function(x) print('same arg', x == arg)\n"
		"  kept = { n = x.n + 1 } return kept, 'two' end\n"
		"local r, s = RS.BF:Invoke(arg)\n"
		"print(r.n, s, r == kept)",
		""),
		"0 server: same arg false\n"
		"0 server: 2 two false\n");
}
END_TEST

START_TEST(test_bindables_pass_functions_and_remotes_do_not)
{
	expect_transcript(SCENARIO(1, "",
		"local function f() return 'f ran' end\n"
		"RS.B.Event:Connect(function(g, t) print(g == f, g(), t[1] == f) end)\n"
		"RS.B:Fire(f, { f })\n"
		"RS.BF.OnInvoke = function(g) return g, { k = g } end\n"
		"local r, t = RS.BF:Invoke(f) print(r == f, t.k == f)\n"
		"task.wait(1) RS.E:FireAllClients(f, { f, 2 })",
		"RS.E.OnClientEvent:Connect(function(g, t)\n"
		"  print(g, t[1], t[2]) end)"),
		"0 server: true true\n"
		"0 server: true f ran true\n"
		"1100 Player1: nil nil 2\n");
}
END_TEST

/* A __tostring that fires a bindable while another bindable is encoding
 * its arguments (a table key is named by tostring) leaves both whole. */
START_TEST(test_a_bindable_fired_inside_another_copy_leaves_it_whole)
{
	expect_transcript(SCENARIO(0, "",
		"local inner = Instance.new('BindableEvent')\n"
		"inner.Event:Connect(function(s, g) print('inner', s, g ~= nil) end)\n"
		"local key = setmetatable({}, { __tostring = function()\n"
		"  inner:Fire(string.rep('z', 300), print) return 'K' end })\n"
		"RS.B.Event:Connect(function(a, t, b) print(a, t['<Table> (K)'], b) end)\n"
		"RS.B:Fire('a', { [key] = 'v' }, 'b')",
		""),
		"0 server: inner " "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
		"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
		"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
		"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
		"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
		"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz true\n"
		"0 server: a v b\n");
}
END_TEST

static Suite *remote_suite(void)
{
	Suite *s = suite_create("remote");
	TCase *tc = tcase_create("events");
	tcase_add_test(tc, test_fire_server_arrives_after_latency_with_the_player_first);
	tcase_add_test(tc, test_fire_server_keeps_order_of_one_client);
	tcase_add_test(tc, test_fire_client_reaches_that_player_only);
	tcase_add_test(tc, test_fire_all_clients_reaches_every_connected_client_with_its_latency);
	tcase_add_test(tc, test_fire_client_to_a_player_who_left_is_dropped);
	tcase_add_test(tc, test_remote_arguments_follow_roblox_limitations);
	tcase_add_test(tc, test_received_tables_keep_the_identities_of_their_arrival);
	tcase_add_test(tc, test_events_queued_for_a_client_that_leaves_are_dropped);
	suite_add_tcase(s, tc);
	tc = tcase_create("sides");
	tcase_add_test(tc, test_client_members_error_on_the_server);
	tcase_add_test(tc, test_server_members_error_on_a_client);
	tcase_add_test(tc, test_uncaught_wrong_side_error_names_the_script_line);
	tcase_add_test(tc, test_fire_client_with_a_non_player_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("queueing");
	tcase_add_test(tc, test_events_queued_before_connect_are_delivered_on_connect);
	tcase_add_test(tc, test_wait_takes_the_first_queued_event);
	suite_add_tcase(s, tc);
	tc = tcase_create("unreliable");
	tcase_add_test(tc, test_unreliable_payload_over_limit_is_dropped_with_a_warning);
	tcase_add_test(tc, test_unreliable_with_full_loss_drops_everything);
	suite_add_tcase(s, tc);
	tc = tcase_create("functions");
	tcase_add_test(tc, test_invoke_server_round_trip_takes_two_latencies);
	tcase_add_test(tc, test_invoke_server_callback_error_is_raised_in_the_invoker);
	tcase_add_test(tc, test_only_the_last_on_server_invoke_runs);
	tcase_add_test(tc, test_invoke_server_waits_until_the_callback_is_set);
	tcase_add_test(tc, test_invoke_client_returns_the_clients_values);
	tcase_add_test(tc, test_invoke_client_callback_error_is_raised_in_the_server);
	tcase_add_test(tc, test_invoke_client_errors_when_the_client_disconnects);
	tcase_add_test(tc, test_invoke_client_that_never_returns_stays_blocked);
	suite_add_tcase(s, tc);
	tc = tcase_create("bindables");
	tcase_add_test(tc, test_bindable_event_passes_copies_of_tables);
	tcase_add_test(tc, test_bindable_function_copies_arguments_and_results);
	tcase_add_test(tc, test_bindables_pass_functions_and_remotes_do_not);
	tcase_add_test(tc, test_a_bindable_fired_inside_another_copy_leaves_it_whole);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(remote_suite());
}
