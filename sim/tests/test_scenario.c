/* Unit tests of scenario: loading, field checks with file and line, and
 * running a scenario to a result. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rsim/scenario.h"
#include "testutil.h"

/* Loads text expecting failure; returns the formatted error. */
static const char *load_error(const char *text)
{
	static char msg[1200];
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(tu_write_tmp("bad.lua", text), &err);
	ck_assert_ptr_null(sc);
	rs_scenario_error_format(&err, msg, sizeof msg);
	const char *rel = strstr(msg, "bad.lua");
	return rel ? rel : msg;
}

START_TEST(test_load_reads_fields)
{
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(tu_write_tmp("ok.lua",
		"return { section = 's', title = 't', seed = 9, clients = 3,\n"
		"  duration = 2.5, server = 'print(1)',\n"
		"  client = { 'print(2)', { source = 'print(3)', name = 'Gui' } } }"),
		&err);
	ck_assert_ptr_nonnull(sc);
	ck_assert_str_eq(sc->section, "s");
	ck_assert_str_eq(sc->title, "t");
	ck_assert_uint_eq(sc->seed, 9);
	ck_assert_int_eq(sc->nclients, 3);
	ck_assert_int_eq(sc->duration, 2500000);
	ck_assert_uint_eq(sc->server.n, 1);
	ck_assert_uint_eq(sc->client.n, 2);
	ck_assert_str_eq(sc->client.v[1].name, "Gui");
	rs_scenario_free(sc);
}
END_TEST

START_TEST(test_load_reads_script_files_relative_to_the_scenario)
{
	tu_write_tmp("srv.lua", "print('from file')");
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(tu_write_tmp("withfile.lua",
		"return { server = { file = 'srv.lua' } }"), &err);
	ck_assert_ptr_nonnull(sc);
	ck_assert_str_eq(sc->server.v[0].source, "print('from file')");
	rs_scenario_free(sc);
}
END_TEST

START_TEST(test_errors_name_file_line_and_field)
{
	ck_assert_str_eq(load_error("return {\n  clients = 'two',\n}"),
		"bad.lua:2: clients: expected a whole number or a list of clients, "
		"got string");
	ck_assert_str_eq(load_error("return {\n\n  clinets = 2,\n}"),
		"bad.lua:3: clinets: unknown field (known fields: section, title, "
		"seed, clients, duration, frame_rate, signal_behavior, network, "
		"project, tree, server, client, timeline, expect)");
	ck_assert_str_eq(load_error("return { duration = -1 }"),
		"bad.lua:1: duration: expected a number from 0.001 to 1e+06, got -1");
	const char *e = load_error("return {\n server = { file = 'nope.lua' } }");
	ck_assert_msg(strncmp(e, "bad.lua:2: server: cannot read script file '",
	                      44) == 0 && strstr(e, "nope.lua': No such file"),
	              "got %s", e);
}
END_TEST

START_TEST(test_errors_for_broken_files)
{
	ck_assert_str_eq(load_error("return {\n clients = 2\n server = 'x' }"),
		"bad.lua:3: '}' expected (to close '{' at line 1) near 'server'");
	ck_assert_str_eq(load_error("return 5"),
		"bad.lua: a scenario file must return a table, got number");
	ck_assert_str_eq(load_error("error('nope')"), "bad.lua:1: nope");
	ck_assert_str_eq(load_error("while true do end"),
		"bad.lua:1: the scenario took too long to evaluate");
	ck_assert_str_eq(load_error("return { os.execute('true') }"),
		"bad.lua:1: attempt to index a nil value (global 'os')");
}
END_TEST

/* The timeline decides who is connected when, in the run's order: the
 * clients' joins first at equal times, then the entries in file order. */
START_TEST(test_join_of_a_connected_player_is_an_error)
{
	ck_assert_str_eq(load_error("return { clients = 1,\n timeline = {\n"
		"  { at = 0, join = 'Player1' } } }"),
		"bad.lua:3: timeline[1]: join: Player1 is still connected at 0 s "
		"(joined at 0 s); a player joins again only after a disconnect");
	ck_assert_str_eq(load_error("return { clients = 0,\n timeline = {\n"
		"  { at = 1, join = 'A' },\n  { at = 3, disconnect = 'A' },\n"
		"  { at = 2, join = 'A' } } }"),
		"bad.lua:5: timeline[3]: join: A is still connected at 2 s "
		"(joined at 1 s); a player joins again only after a disconnect");
	/* accepted: a join after a disconnect at the same time, a join of a
	 * client before its own join time, and a new player */
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(tu_write_tmp("ok.lua",
		"return { clients = { { name = 'A' }, { name = 'B', join = 5 } },\n"
		"  timeline = { { at = 1, disconnect = 'A' },\n"
		"  { at = 1, join = 'A' }, { at = 2, join = 'B' },\n"
		"  { at = 3, join = 'C' }, { at = 4, disconnect = 'C' },\n"
		"  { at = 4, join = 'C' } } }"), &err);
	ck_assert_msg(sc != NULL, "%s", err.msg);
	rs_scenario_free(sc);
}
END_TEST

START_TEST(test_missing_file_is_an_error)
{
	rs_scenario_error err;
	ck_assert_ptr_null(rs_scenario_load("/nonexistent/x.lua", &err));
	ck_assert_str_eq(err.msg, "cannot read the scenario: No such file or "
	                 "directory");
}
END_TEST

START_TEST(test_run_gives_transcript_and_blocked_threads)
{
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(tu_write_tmp("run.lua",
		"return { clients = 2, duration = 3,\n"
		"  server = 'task.wait(1) print(\"s\") coroutine.yield()',\n"
		"  client = 'print(\"c\")' }"), &err);
	ck_assert_ptr_nonnull(sc);
	rs_result *r = rs_scenario_run(sc, 1);
	ck_assert_int_eq(r->npeers, 3);
	ck_assert_str_eq(r->peer_names[2], "Player2");
	ck_assert_uint_eq(r->trace.len, 5); /* two joins, three prints */
	ck_assert_int_eq(r->trace.entries[0].kind, RS_OUT_INFO);
	ck_assert_str_eq(r->trace.entries[0].text, "Player1 joined");
	ck_assert_str_eq(r->trace.entries[4].text, "s");
	ck_assert_int_eq(r->trace.entries[4].time, 1000000);
	ck_assert_uint_eq(r->nblocked, 1);
	ck_assert_str_eq(r->blocked[0].on, "coroutine.yield");
	ck_assert(!r->passed);
	rs_result_free(r);
	rs_scenario_free(sc);
}
END_TEST

START_TEST(test_duration_bounds_the_run)
{
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(tu_write_tmp("loop.lua",
		"return { clients = 0, duration = 2,\n"
		"  server = 'while true do task.wait(1) print(os.clock()) end' }"),
		&err);
	ck_assert_ptr_nonnull(sc);
	rs_result *r = rs_scenario_run(sc, 1);
	ck_assert_uint_eq(r->trace.len, 2);
	ck_assert(r->passed);
	rs_result_free(r);
	rs_scenario_free(sc);
}
END_TEST

START_TEST(test_output_expectations_in_order_with_times)
{
	rs_result *r = tu_run_text(
		"return { clients = 1, duration = 3,\n"
		"  server = 'print(\"a\") task.wait(1) print(\"b\")',\n"
		"  expect = { output = { 'server: a',\n"
		"                        { match = '^Player1: .*joined$' },\n"
		"                        { 'server: b', at = 1 } } } }");
	ck_assert_msg(r->passed, "failures: %zu", r->nfailures);
	rs_result_free(r);
	r = tu_run_text(
		"return { clients = 0, server = 'print(\"b\") print(\"a\")',\n"
		"  expect = { output = { 'server: a',\n 'server: b' } } }");
	ck_assert(!r->passed);
	ck_assert_uint_eq(r->nfailures, 1);
	ck_assert_str_eq(r->failures[0].expected, "server: b");
	ck_assert_int_eq(r->failures[0].line, 3);
	rs_result_free(r);
	r = tu_run_text(
		"return { clients = 0, server = 'task.wait(1) print(\"late\")',\n"
		"  expect = { output = { { 'server: late', at = 0.5 } } } }");
	ck_assert(!r->passed);
	ck_assert_str_eq(r->failures[0].nearest, "server: late");
	rs_result_free(r);
}
END_TEST

START_TEST(test_unlisted_errors_fail_and_listed_errors_must_occur)
{
	rs_result *r = tu_run_text("return { clients = 0, server = 'error(\"x\")' }");
	ck_assert(!r->passed);
	ck_assert_str_eq(r->failures[0].nearest,
	                 "server: ServerScriptService.Script:1: x");
	rs_result_free(r);
	r = tu_run_text("return { clients = 0, server = 'error(\"x\")',\n"
	             " expect = { errors = { { peer = 'server', match = 'x$' } } } }");
	ck_assert(r->passed);
	rs_result_free(r);
	r = tu_run_text("return { clients = 0, server = 'print(1)',\n"
	             " expect = { errors = { { match = 'nope' } } } }");
	ck_assert(!r->passed);
	ck_assert_str_eq(r->failures[0].what,
	                 "an expected script error did not occur");
	rs_result_free(r);
}
END_TEST

START_TEST(test_blocked_threads_must_be_listed)
{
	rs_result *r = tu_run_text(
		"return { clients = 0, tree = { ReplicatedStorage = {\n"
		"  E = 'BindableEvent' } },\n"
		"  server = 'game.ReplicatedStorage.E.Event:Wait()',\n"
		"  expect = { blocked = { { peer = 'server', on = 'Event:Wait' } } } }");
	ck_assert_msg(r->passed, "%s", r->nfailures ? r->failures[0].what : "");
	ck_assert_uint_eq(r->nblocked, 1);
	ck_assert_str_eq(r->blocked[0].where, "ServerScriptService.Script:1");
	rs_result_free(r);
}
END_TEST

START_TEST(test_excluded_lines_fail_when_printed)
{
	rs_result *r = tu_run_text("return { clients = 0, server = 'print(\"bad\")',\n"
	             " expect = { output_excludes = { 'server: bad' } } }");
	ck_assert(!r->passed);
	ck_assert_str_eq(r->failures[0].what, "an excluded line appeared");
	rs_result_free(r);
}
END_TEST

START_TEST(test_sub_tables_reject_unknown_keys)
{
	ck_assert_str_eq(load_error("return {\n network = { latncy = 1 } }"),
		"bad.lua:2: network.latncy: unknown field (known fields: latency, "
		"latency_up, latency_down, jitter, jitter_distribution, loss, "
		"bandwidth, remote_rate)");
	ck_assert_str_eq(load_error("return { timeline = { { at = 1 } } }"),
		"bad.lua:1: timeline: entry 1: needs exactly one of join, "
		"disconnect, partition, heal, latency");
	ck_assert_str_eq(load_error("return { expect = { outptu = {} } }"),
		"bad.lua:1: expect.outptu: unknown field (known fields: output, "
		"output_excludes, errors, blocked)");
}
END_TEST

START_TEST(test_client_specs_set_names_links_join_times_and_scripts)
{
	rs_result *r = tu_run_text(
		"return { clients = { { name = 'Alice', latency = 0.2 },\n"
		"  { name = 'Bob', join = 1, client = 'print(\"only Bob\")' } },\n"
		"  tree = { ReplicatedStorage = { E = 'RemoteEvent' } },\n"
		"  server = 'game.ReplicatedStorage.E.OnServerEvent:Connect("
		"function(p) print(p.Name) end)',\n"
		"  client = 'game.ReplicatedStorage.E:FireServer()',\n"
		"  expect = { output = { { 'server: Alice', at = 0.4 },\n"
		"    'Bob: only Bob', { 'server: Bob', at = 1 } },\n"
		"    output_excludes = { 'Alice: only Bob' } } }");
	ck_assert_msg(r->passed, "%s", r->nfailures ? r->failures[0].what : "");
	ck_assert_str_eq(r->peer_names[1], "Alice");
	ck_assert_str_eq(r->peer_names[2], "Bob");
	rs_result_free(r);
	ck_assert_str_eq(load_error("return { clients = { { name = 'A' },\n"
	                            "{ name = 'A' } } }"),
	                 "bad.lua:1: clients: two clients are named \"A\"");
	ck_assert_str_eq(load_error("return { clients = { { nmae = 'A' } } }"),
	                 "bad.lua:1: clients[1].nmae: unknown field (known "
	                 "fields: name, latency, latency_up, latency_down, "
	                 "jitter, loss, bandwidth, join, client)");
}
END_TEST

/* Metamethods of the returned tables never run: the loader reads them raw,
 * so an erroring __index, __pairs or __len neither aborts nor hides a
 * field. */
START_TEST(test_metatables_of_the_scenario_are_ignored)
{
	static const char mt[] =
		"local boom = { __index = function() error('boom') end,\n"
		"  __pairs = function() error('boom') end,\n"
		"  __len = function() error('boom') end }\n";
	char text[1200];
	snprintf(text, sizeof text, "%sreturn setmetatable({\n"
	         "  clients = 'x' }, boom)", mt);
	ck_assert_str_eq(load_error(text),
		"bad.lua:5: clients: expected a whole number or a list of clients, "
		"got string");
	snprintf(text, sizeof text, "%sreturn setmetatable({ clients = 1,\n"
	         "  network = setmetatable({}, boom),\n"
	         "  timeline = setmetatable({ setmetatable({ at = 1,\n"
	         "    disconnect = 'Player1' }, boom) }, boom),\n"
	         "  tree = setmetatable({ Workspace = setmetatable({}, boom) },"
	         " boom),\n"
	         "  expect = setmetatable({ output = setmetatable({}, boom) },"
	         " boom) }, boom)", mt);
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(tu_write_tmp("mt.lua", text), &err);
	ck_assert_msg(sc != NULL, "%s", err.msg);
	ck_assert_uint_eq(sc->ntimeline, 1);
	rs_scenario_free(sc);
}
END_TEST

/* A tree written 30 levels deep loads (the walk makes room on the Lua
 * stack at each level); past 64 levels, or a table inside itself, is an
 * error naming the entry's path. */
START_TEST(test_deep_and_cyclic_trees)
{
	char text[4000] = "return { tree = { Workspace = {\n";
	for (int i = 0; i < 30; i++)
		strcat(text, "A = {");
	strcat(text, "B = 'Part'");
	for (int i = 0; i < 30; i++)
		strcat(text, "}");
	strcat(text, " } } }");
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(tu_write_tmp("deep.lua", text), &err);
	ck_assert_msg(sc != NULL, "%s", err.msg);
	const rs_tree_node *n = &sc->tree;
	int depth = 0;
	while (n->nkids == 1) {
		n = &n->kids[0];
		depth++;
	}
	ck_assert_int_eq(depth, 32);
	ck_assert_str_eq(n->cls, "Part");
	rs_scenario_free(sc);
	ck_assert_str_eq(load_error(
		"local t = {}; t.X = t; return { tree = { Workspace = t } }"),
		"bad.lua:1: tree.Workspace.X: the table is inside itself (it is "
		"also tree.Workspace)");
	ck_assert_str_eq(load_error("local t = {}\nlocal top = t\n"
		"for i = 1, 70 do local c = {}; t['L' .. i % 2] = c; t = c end\n"
		"return {\n  tree = { Workspace = top } }"),
		"bad.lua:5: tree.Workspace.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1."
		"L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1."
		"L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1.L0.L1."
		"L0.L1.L0.L1.L0.L1.L0: the tree is nested more than 64 levels deep");
}
END_TEST

/* Every time and rate goes through one validator: a timeline latency is
 * checked like network.latency, and NaN or an infinity is refused
 * wherever a number is written. */
START_TEST(test_every_time_and_rate_is_validated)
{
	ck_assert_str_eq(load_error("return { timeline = {\n"
		"  { at = 1, latency = 1/0 } } }"),
		"bad.lua:2: timeline[1].latency: expected a number from 0 to 3600, "
		"got inf");
	ck_assert_str_eq(load_error("return { timeline = {\n"
		"  { at = 1, latency = -5 } } }"),
		"bad.lua:2: timeline[1].latency: expected a number from 0 to 3600, "
		"got -5");
	ck_assert_str_eq(load_error("return { timeline = {\n"
		"  { at = 1, latency = 0/0 } } }"),
		"bad.lua:2: timeline[1].latency: expected a number from 0 to 3600, "
		"got NaN");
	ck_assert_str_eq(load_error("return { timeline = {\n"
		"  { at = 1, latency = 'slow' } } }"),
		"bad.lua:2: timeline[1].latency: expected a number, got string");
	ck_assert_str_eq(load_error("return { timeline = {\n"
		"  { at = 0/0, heal = 'Player1' } } }"),
		"bad.lua:2: timeline[1].at: expected a number from 0 to 1e+06, "
		"got NaN");
	ck_assert_str_eq(load_error("return { timeline = {\n"
		"  { at = 1, partition = 'Player1', heal_at = 1/0 } } }"),
		"bad.lua:2: timeline[1].heal_at: expected a number from 0 to "
		"1e+06, got inf");
	ck_assert_str_eq(load_error("return { clients = {\n"
		"  { join = 0/0 } } }"),
		"bad.lua:2: clients[1].join: expected a number from 0 to 1e+06, "
		"got NaN");
	ck_assert_str_eq(load_error("return { network = { latency = 0.1 },\n"
		"  clients = { { latency = 0.1 } },\n"
		"  timeline = { { at = 1, latency = -1 } } }"),
		"bad.lua:3: timeline[1].latency: expected a number from 0 to 3600, "
		"got -1");
	ck_assert_str_eq(load_error("return {\n  duration = 0/0 }"),
		"bad.lua:2: duration: expected a number from 0.001 to 1e+06, "
		"got NaN");
	ck_assert_str_eq(load_error("return {\n  network = { loss = 0/0 } }"),
		"bad.lua:2: network.loss: expected a number from 0 to 1, got NaN");
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(tu_write_tmp("lat.lua",
		"return { timeline = { { at = 1, latency = 0.25 } } }"), &err);
	ck_assert_msg(sc != NULL, "%s", err.msg);
	ck_assert(sc->timeline[0].latency == 0.25);
	rs_scenario_free(sc);
}
END_TEST

/* A malformed Lua pattern in expect is a load error with file, line and
 * field, not a failed run. */
START_TEST(test_malformed_patterns_are_load_errors)
{
	ck_assert_str_eq(load_error("return { expect = {\n"
		"  output = { { match = '[' } } } }"),
		"bad.lua:2: output[1].match: malformed pattern (missing ']')");
	ck_assert_str_eq(load_error("return { expect = {\n"
		"  output_excludes = { 'x', { match = 'a(' } } } }"),
		"bad.lua:2: output_excludes[2].match: unfinished capture");
	ck_assert_str_eq(load_error("return { expect = { errors = {\n"
		"  { match = '%' } } } }"),
		"bad.lua:2: errors[1].match: malformed pattern (ends with '%')");
	ck_assert_str_eq(load_error("return { expect = { blocked = {\n"
		"  { on = 'x)' } } } }"),
		"bad.lua:2: blocked[1].on: invalid pattern capture");
	ck_assert_str_eq(load_error("return { expect = { blocked = {\n"
		"  { on = '%f' } } } }"),
		"bad.lua:2: blocked[1].on: missing '[' after '%f' in pattern");
	ck_assert_str_eq(load_error("return { expect = { errors = {\n"
		"  { match = '%1' } } } }"),
		"bad.lua:2: errors[1].match: invalid capture index in pattern");
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(tu_write_tmp("pat.lua",
		"return { expect = { output = { { match = '^A%d+[%]x-]*$' },\n"
		"  { match = '%b()%f[%w]()(a)%1' }, { match = '[]]' } },\n"
		"  errors = { { match = 'x%%' } }, blocked = { { on = '[^%a]?' } } } }"),
		&err);
	ck_assert_msg(sc != NULL, "%s", err.msg);
	rs_scenario_free(sc);
}
END_TEST

/* Hostile files: every truncation and thousands of byte mutations of a
 * valid scenario either load or give an error with a message; none
 * crashes (the sanitizer build runs this too). */
START_TEST(test_mutated_files_load_or_fail_cleanly)
{
	static const char base[] =
		"return { section = 's', title = 't', clients = { { name = 'A',\n"
		"  latency = 0.1 } }, network = { jitter = 0.01 },\n"
		"  tree = { ReplicatedStorage = { E = 'RemoteEvent', F = {\n"
		"    class = 'Folder', M = { class = 'ModuleScript',\n"
		"    source = 'return 1' } } } },\n"
		"  timeline = { { at = 1, partition = 'A', heal_at = 2 } },\n"
		"  server = [[print(1)]], client = { 'print(2)' },\n"
		"  expect = { output = { { 'server: 1', at = 0 },\n"
		"    { match = '^A' } }, errors = { { peer = 'A', match = 'x' } },\n"
		"    blocked = { { on = 'y' } } } }\n";
	size_t n = sizeof base - 1;
	char *buf = malloc(n + 1);
	ck_assert_ptr_nonnull(buf);
	uint64_t x = 88172645463325252ull;
	int loaded = 0, failed = 0;
	for (int round = 0; round < 3000; round++) {
		memcpy(buf, base, n + 1);
		size_t len = n;
		if (round < (int)n) {
			len = (size_t)round; /* every truncation */
			buf[len] = '\0';
		} else {
			for (int k = 0; k < 1 + round % 4; k++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				static const char alphabet[] = " {}[]='\"\n,0a-=.";
				buf[x % n] = alphabet[(x >> 20) % (sizeof alphabet - 1)];
			}
		}
		rs_scenario_error err;
		rs_scenario *sc = rs_scenario_load(tu_write_tmp("m.lua", buf), &err);
		if (sc) {
			loaded++;
			rs_scenario_free(sc);
		} else {
			failed++;
			ck_assert_msg(err.msg[0] != '\0', "no message for round %d",
			              round);
		}
	}
	ck_assert_int_gt(failed, 100);
	ck_assert_int_gt(loaded, 0);
	free(buf);
}
END_TEST

static Suite *scenario_suite(void)
{
	Suite *s = suite_create("scenario");
	TCase *tc = tcase_create("load");
	tcase_add_test(tc, test_load_reads_fields);
	tcase_add_test(tc, test_load_reads_script_files_relative_to_the_scenario);
	tcase_add_test(tc, test_errors_name_file_line_and_field);
	tcase_add_test(tc, test_errors_for_broken_files);
	tcase_add_test(tc, test_missing_file_is_an_error);
	tcase_add_test(tc, test_join_of_a_connected_player_is_an_error);
	tcase_add_test(tc, test_mutated_files_load_or_fail_cleanly);
	tcase_add_test(tc, test_metatables_of_the_scenario_are_ignored);
	tcase_add_test(tc, test_deep_and_cyclic_trees);
	tcase_add_test(tc, test_every_time_and_rate_is_validated);
	tcase_add_test(tc, test_malformed_patterns_are_load_errors);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	tc = tcase_create("run");
	tcase_add_test(tc, test_run_gives_transcript_and_blocked_threads);
	tcase_add_test(tc, test_duration_bounds_the_run);
	tcase_add_test(tc, test_output_expectations_in_order_with_times);
	tcase_add_test(tc, test_unlisted_errors_fail_and_listed_errors_must_occur);
	tcase_add_test(tc, test_blocked_threads_must_be_listed);
	tcase_add_test(tc, test_excluded_lines_fail_when_printed);
	tcase_add_test(tc, test_sub_tables_reject_unknown_keys);
	tcase_add_test(tc, test_client_specs_set_names_links_join_times_and_scripts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(scenario_suite());
}
