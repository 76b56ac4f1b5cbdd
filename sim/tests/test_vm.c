/* Unit tests of vm: sandbox, canonical iteration, identity, tostring/print,
 * the scheduler (wait/spawn/defer/delay/cancel), deferred calls and their
 * lazy arguments, timeout and memory cap. */
#include <check.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rsim/vm.h"

/* A simulation with one peer; scripts run to idleness. */
typedef struct fixture {
	rs_sim sim;
	rs_vm *vm;
} fixture;

static void fx_init(fixture *f, const rs_vm_config *cfg)
{
	rs_sim_init(&f->sim, 7);
	f->vm = rs_vm_new(&f->sim, 0, "server", cfg);
	ck_assert_ptr_nonnull(f->vm);
}

static void fx_free(fixture *f)
{
	rs_vm_free(f->vm);
	rs_sim_free(&f->sim);
}

static void fx_run(fixture *f, const char *src)
{
	rs_vm_start_script(f->vm, "Script", src, strlen(src));
	rs_sim_run(&f->sim);
}

/* All entries joined as "time kind text\n", times in ms. */
static char *transcript(const fixture *f)
{
	size_t cap = 1, n = 0;
	for (size_t i = 0; i < f->sim.trace.len; i++)
		cap += strlen(f->sim.trace.entries[i].text) + 48;
	char *out = malloc(cap);
	out[0] = '\0';
	for (size_t i = 0; i < f->sim.trace.len; i++) {
		const rs_entry *e = &f->sim.trace.entries[i];
		n += (size_t)snprintf(out + n, cap - n, "%lld %s %s\n",
		                      (long long)(e->time / 1000),
		                      rs_entry_kind_name(e->kind), e->text);
	}
	return out;
}

/* Runs src and checks the whole transcript. */
static void expect_run(const char *src, const char *want,
                       const rs_vm_config *cfg)
{
	fixture f;
	fx_init(&f, cfg);
	fx_run(&f, src);
	char *got = transcript(&f);
	ck_assert_str_eq(got, want);
	free(got);
	fx_free(&f);
}

#define EXPECT(src, want) expect_run(src, want, NULL)

/* ---- output and formatting ---- */

START_TEST(test_print_joins_with_spaces_and_formats_numbers_as_luau)
{
	EXPECT("print('a', 5, 5.0, 10/2, 0.1, 1/0, nil, true)",
	       "0 print a 5 5 5 0.1 inf nil true\n");
}
END_TEST

START_TEST(test_numbers_print_as_the_doubles_luau_holds)
{
	/* tonumber of a long digit string gives a Lua integer: it prints as
	 * the double Luau would have; 1e20 in full, 1e21 in e-notation */
	EXPECT("print(tonumber('1152921504606846976'), 1e20, 1e21, -(0/0), -0)\n"
	       "print(tostring(tonumber('9007199254740993')), 2^53 .. '')",
	       "0 print 1152921504606847000 100000000000000000000 1e+21 nan -0\n"
	       "0 print 9007199254740992 9007199254740992\n");
}
END_TEST

START_TEST(test_string_format_truncates_for_integer_conversions)
{
	/* Luau's string.format casts a double to an integer for %d, %x,
	 * ...; Lua 5.4 would raise "number has no integer representation" */
	EXPECT("print(string.format('%d:%02d %x %i %c %s', 1.5, 125 / 60, 255.9,"
	       " -2.7, 65.2, 7))",
	       "0 print 1:02 ff -2 A 7\n");
}
END_TEST

START_TEST(test_print_shows_table_contents_like_roblox)
{
	EXPECT("print({Name = 'MyTruck'})\n"
	       "print({'Sword', 'Bow'})\n"
	       "local t = {} t.self = t print(t)",
	       "0 print {[\"Name\"] = \"MyTruck\"}\n"
	       "0 print {[1] = \"Sword\", [2] = \"Bow\"}\n"
	       "0 print {[\"self\"] = *** cycle table reference detected ***}\n");
}
END_TEST

START_TEST(test_warn_and_errors_are_recorded_with_script_and_line)
{
	EXPECT("warn('careful')\n\nerror('boom')",
	       "0 warn careful\n0 error Script:3: boom\n");
}
END_TEST

START_TEST(test_tostring_of_tables_is_address_like_and_stable)
{
	const char *src =
		"local a, b = {}, {}\n"
		"local sa, sb = tostring(a), tostring(b)\n"
		"print(sa:match('^table: 0x%x+$') ~= nil, sa ~= sb,"
		" sa == tostring(a), #sa)";
	EXPECT(src, "0 print true true true 25\n");
	/* the same program gives the same addresses in two VMs */
	fixture f1, f2;
	fx_init(&f1, NULL);
	fx_init(&f2, NULL);
	fx_run(&f1, "print(tostring({}), tostring(print), tostring(function() end))");
	fx_run(&f2, "print(tostring({}), tostring(print), tostring(function() end))");
	ck_assert_str_eq(f1.sim.trace.entries[0].text,
	                 f2.sim.trace.entries[0].text);
	fx_free(&f1);
	fx_free(&f2);
}
END_TEST

/* ---- canonical iteration ---- */

START_TEST(test_pairs_iterates_in_canonical_order)
{
	EXPECT("local t = {z = 1, a = 2, [3] = 'c', [1] = 'a', [2] = 'b',"
	       " [true] = 0, m = 3, [-1.5] = 'f', [10] = 'x'}\n"
	       "local out = {}\n"
	       "for k in pairs(t) do out[#out + 1] = tostring(k) end\n"
	       "print(table.concat(out, ' '))",
	       "0 print -1.5 1 2 3 10 a m z true\n");
}
END_TEST

START_TEST(test_next_follows_the_same_order)
{
	EXPECT("local t = {b = 1, a = 2, [2] = 0, [1] = 0}\n"
	       "local k, out = next(t), {}\n"
	       "while k ~= nil do out[#out + 1] = tostring(k) k = next(t, k) end\n"
	       "print(table.concat(out, ' '), next({}))",
	       "0 print 1 2 a b nil\n");
}
END_TEST

START_TEST(test_object_keys_iterate_in_creation_order)
{
	EXPECT("local keys = {}\n"
	       "for i = 1, 50 do keys[i] = {i = i} end\n"
	       "local t = {}\n"
	       "for i = 50, 1, -1 do t[keys[i]] = true end\n"
	       "local prev, ok = 0, true\n"
	       "for k in pairs(t) do ok = ok and k.i > prev prev = k.i end\n"
	       "print(ok, prev)",
	       "0 print true 50\n");
}
END_TEST

START_TEST(test_pairs_skips_keys_removed_during_the_loop)
{
	EXPECT("local t = {a = 1, b = 2, c = 3}\n"
	       "for k in pairs(t) do if k == 'a' then t.b = nil end print(k) end",
	       "0 print a\n0 print c\n");
}
END_TEST

/* ---- sandbox ---- */

START_TEST(test_sandbox_refuses_escapes)
{
	EXPECT("print(io, os.execute, os.getenv, require, dofile, loadfile,"
	       " string.dump, debug.getinfo, debug.sethook, package)",
	       "0 print nil nil nil nil nil nil nil nil nil nil\n");
	EXPECT("print(pcall(load, '\\27Lua'))\n"
	       "print(select(2, pcall(string.format, '%p', {})))",
	       "0 print true nil =(load):1: Unexpected symbol (char 27)\n"
	       "0 print invalid conversion '%p' to 'format'\n");
}
END_TEST

START_TEST(test_time_functions_are_virtual)
{
	EXPECT("task.wait(2)\nprint(os.clock(), time(), os.time() - tick() < 1,"
	       " os.date('!%Y-%m-%d', 0))",
	       "2000 print 2 2 true 1970-01-01\n");
}
END_TEST

START_TEST(test_math_random_is_seeded)
{
	fixture a, b;
	fx_init(&a, NULL);
	fx_init(&b, NULL);
	const char *src = "math.randomseed() print(math.random(1, 1000000))";
	fx_run(&a, "print(math.random(1, 1000000))");
	fx_run(&b, "print(math.random(1, 1000000))");
	ck_assert_str_eq(a.sim.trace.entries[0].text,
	                 b.sim.trace.entries[0].text);
	fx_run(&a, src);
	fx_run(&b, src);
	ck_assert_str_eq(a.sim.trace.entries[1].text,
	                 b.sim.trace.entries[1].text);
	fx_free(&a);
	fx_free(&b);
}
END_TEST

/* ---- scheduler ---- */

START_TEST(test_wait_resumes_on_frames_and_returns_elapsed)
{
	EXPECT("local dt = task.wait(1) print(dt)\n"
	       "dt = task.wait() print(dt > 0 and dt < 0.02)\n"
	       "print(wait(0.5) >= 0.5)",
	       "1000 print 1\n1016 print true\n1516 print true\n");
}
END_TEST

START_TEST(test_spawn_runs_now_and_defer_runs_after)
{
	EXPECT("task.defer(print, 'deferred')\n"
	       "task.spawn(print, 'spawned')\n"
	       "print('main')",
	       "0 print spawned\n0 print main\n0 print deferred\n");
}
END_TEST

START_TEST(test_delay_and_cancel)
{
	EXPECT("task.delay(1, print, 'one')\n"
	       "local t = task.delay(2, print, 'never')\n"
	       "task.delay(0.5, function() task.cancel(t) print('cancelled') end)\n"
	       "local w = task.spawn(function() task.wait(5) print('not me') end)\n"
	       "task.cancel(w)",
	       "500 print cancelled\n1000 print one\n");
}
END_TEST

START_TEST(test_spawn_resumes_a_yielded_coroutine_with_arguments)
{
	EXPECT("local co = coroutine.create(function(...)\n"
	       "  print('first', ...)\n"
	       "  print('again', coroutine.yield())\n"
	       "end)\n"
	       "coroutine.resume(co, 1)\n"
	       "task.spawn(co, 2, 3)",
	       "0 print first 1\n0 print again 2 3\n");
}
END_TEST

START_TEST(test_wait_inside_a_coroutine_yields_it)
{
	EXPECT("local f = coroutine.wrap(function()\n"
	       "  print('in') task.wait(1) print('resumed by scheduler')\n"
	       "end)\n"
	       "f() print('caller continues')",
	       "0 print in\n0 print caller continues\n"
	       "1000 print resumed by scheduler\n");
}
END_TEST

START_TEST(test_errors_in_threads_do_not_stop_others)
{
	EXPECT("task.spawn(function() error('first') end)\n"
	       "task.delay(1, function() print('still here') end)",
	       "0 error Script:1: first\n1000 print still here\n");
}
END_TEST

START_TEST(test_frame_rate_is_configurable)
{
	rs_vm_config cfg = { .frame_hz = 10 };
	expect_run("task.wait() print('a') task.wait(0.01) print('b')",
	           "100 print a\n200 print b\n", &cfg);
}
END_TEST

static void count_waiting(rs_thread *t, void *ud)
{
	char where[64];
	ck_assert_str_eq(rs_thread_where(t, where, sizeof where), "Script:2");
	ck_assert_str_eq(t->waiting_on, "coroutine.yield");
	(*(int *)ud)++;
}

static void collect_waiting(rs_thread *t, void *ud)
{
	strcat(ud, t->waiting_on);
	strcat(ud, ";");
}

START_TEST(test_waits_past_the_end_of_time_never_resume_and_never_hang)
{
	/* times past what rs_time holds clamp to never: no overflow, no loop
	 * in the frame arithmetic; negative and NaN waits take one frame */
	fixture f;
	fx_init(&f, NULL);
	f.sim.end = 10 * RS_USEC_PER_SEC;
	fx_run(&f, "print(task.wait(-1) < 0.02, task.wait(0/0) < 0.02)\n"
	           "task.delay(1e308, print, 'never')\n"
	           "task.spawn(task.wait, 1e13)\n"
	           "task.spawn(wait, math.huge)\n"
	           "task.wait(math.huge) print('never either')");
	char *got = transcript(&f);
	ck_assert_str_eq(got, "33 print true true\n");
	free(got);
	/* listed as a task.wait(100) in a 10 s run would be: timed, so not
	 * among the threads left waiting for nothing */
	char waiting[256] = "";
	rs_vm_each_waiting(f.vm, collect_waiting, waiting);
	ck_assert_str_eq(waiting, "");
	fx_free(&f);
}
END_TEST

START_TEST(test_threads_left_suspended_are_listed)
{
	fixture f;
	fx_init(&f, NULL);
	fx_run(&f, "task.delay(9, print)\n coroutine.yield()");
	int n = 0;
	rs_vm_each_waiting(f.vm, count_waiting, &n);
	ck_assert_int_eq(n, 1);
	fx_free(&f);
}
END_TEST

/* ---- deferred calls ---- */

/* Queues `fn`(i) n times (fn a global function), then runs to idleness. */
static void queue_calls(fixture *f, const char *fn, int n)
{
	lua_State *L = rs_vm_state(f->vm);
	for (int i = 1; i <= n; i++) {
		lua_getglobal(L, fn);
		lua_pushinteger(L, i);
		rs_vm_defer_call(f->vm, L, 1);
	}
	rs_sim_run(&f->sim);
}

START_TEST(test_queued_calls_share_a_pooled_thread_with_a_budget_each)
{
	/* each call spends most of the budget: together they would not fit
	 * in one resumption, yet none times out */
	rs_vm_config cfg = { .instr_limit = 200000 };
	fixture f;
	fx_init(&f, &cfg);
	fx_run(&f, "function h(i)\n"
	       "  local s = 0 for k = 1, 30000 do s = s + k end\n"
	       "  print(i, tostring(coroutine.running()) == first)\n"
	       "  first = first or tostring(coroutine.running())\n"
	       "end");
	queue_calls(&f, "h", 4);
	char *got = transcript(&f);
	ck_assert_str_eq(got, "0 print 1 false\n0 print 2 true\n"
	                 "0 print 3 true\n0 print 4 true\n");
	free(got);
	fx_free(&f);
}
END_TEST

START_TEST(test_a_queued_call_that_yields_keeps_its_thread)
{
	fixture f;
	fx_init(&f, NULL);
	fx_run(&f, "local seen, n = {}, 0\n"
	       "function h(i)\n"
	       "  local me = tostring(coroutine.running())\n"
	       "  if not seen[me] then seen[me] = true n = n + 1 end\n"
	       "  print(i, n)\n"
	       "  if i == 2 then task.wait(1) print('back', i) end\n"
	       "  if i == 4 then error('four') end\n"
	       "end");
	queue_calls(&f, "h", 6);
	char *got = transcript(&f);
	/* 1, 2 in one thread; 2 waits, so 3, 4 take another; 4 dies with
	 * its thread, so 5, 6 take a third */
	ck_assert_str_eq(got, "0 print 1 1\n0 print 2 1\n0 print 3 2\n"
	                 "0 print 4 2\n0 error Script:7: four\n0 print 5 3\n"
	                 "0 print 6 3\n1000 print back 2\n");
	free(got);
	fx_free(&f);
}
END_TEST

/* Lazy arguments for the tests: one new table {i = ud}. */
static int lazy_pushes, lazy_drops;

static int lazy_push(lua_State *L, const rs_vm_lazy *z, uint64_t first_id)
{
	lazy_pushes++;
	rs_vm_use_identity(rs_vm_of(L), first_id);
	lua_createtable(L, 0, 1);
	lua_pushinteger(L, (lua_Integer)(intptr_t)z->ud);
	lua_setfield(L, -2, "i");
	return 1;
}

static void lazy_drop(const rs_vm_lazy *z)
{
	(void)z;
	lazy_drops++;
}

static const rs_vm_lazy_ops test_lazy_ops = { lazy_push, lazy_drop };

/* via(f, args): calls f(args). */
static int call_first(lua_State *L)
{
	lua_call(L, lua_gettop(L) - 1, 0);
	return 0;
}

/* Queues show(t) for t = {i = 1}, {i = 2}, each made now or when the call
 * runs, with a table made by the script in between; returns the
 * transcript. */
static char *run_made(int lazy)
{
	fixture f;
	fx_init(&f, NULL);
	fx_run(&f, "function show(t) print(t.i, tostring(t), tostring({})) end\n"
	       "function between() print('between', tostring({})) end");
	lua_State *L = rs_vm_state(f.vm);
	lua_getglobal(L, "show");
	int show = luaL_ref(L, LUA_REGISTRYINDEX);
	for (int i = 1; i <= 2; i++) {
		if (lazy) {
			rs_vm_lazy z = { &test_lazy_ops, (void *)(intptr_t)i };
			rs_vm_defer_call_lazy(f.vm, L, call_first, show, 0, &z, 1);
		} else {
			lua_rawgeti(L, LUA_REGISTRYINDEX, show);
			lua_createtable(L, 0, 1);
			lua_pushinteger(L, i);
			lua_setfield(L, -2, "i");
			rs_vm_defer_call_via(f.vm, L, call_first, 1);
		}
		lua_getglobal(L, "between");
		lua_call(L, 0, 0);
	}
	rs_sim_run(&f.sim);
	char *got = transcript(&f);
	fx_free(&f);
	return got;
}

START_TEST(test_spawn_defer_delay_start_a_coroutine_never_resumed)
{
	/* Promise.lua: task.spawn(coroutine.create(f)); the extra arguments
	 * are the function's */
	EXPECT("local function mk(tag) return coroutine.create(function(a, b)\n"
	       "  print(tag, a, b) task.wait(1) print(tag, 'woke')\n"
	       "end) end\n"
	       "task.defer(mk('defer'), 3, 4)\n"
	       "task.delay(0.5, mk('delay'), 5)\n"
	       "local co = mk('spawn')\n"
	       "print(task.spawn(co, 1, 2) == co, coroutine.status(co))",
	       "0 print spawn 1 2\n0 print true suspended\n0 print defer 3 4\n"
	       "500 print delay 5 nil\n1000 print spawn woke\n"
	       "1000 print defer woke\n1500 print delay woke\n");
}
END_TEST

START_TEST(test_spawn_refuses_dead_and_running_coroutines)
{
	EXPECT("local co = coroutine.create(function() end)\n"
	       "coroutine.resume(co)\n"
	       "print(pcall(task.spawn, co))\n"
	       "print(pcall(task.defer, co, 1))\n"
	       "print(select('#', coroutine.running()))\n"
	       "print(pcall(task.spawn, coroutine.running()))\n"
	       "local outer = coroutine.running()\n"
	       "coroutine.wrap(function() print(pcall(task.spawn, outer)) end)()",
	       "0 print false cannot resume dead coroutine\n"
	       "0 print false cannot spawn non-suspended coroutine with arguments\n"
	       "0 print 1\n"
	       "0 print false cannot resume non-suspended coroutine\n"
	       "0 print false cannot resume non-suspended coroutine\n");
}
END_TEST

START_TEST(test_resuming_a_waiting_thread_by_hand_wakes_it_once)
{
	/* its task.wait returns what resume passed; the timed wake-up that
	 * was pending is ignored */
	EXPECT("local t = task.spawn(function()\n"
	       "  print('got', task.wait(5))\n"
	       "  print('then', task.wait(1))\n"
	       "end)\n"
	       "task.wait(0.5)\n"
	       "print(coroutine.resume(t, 'early'))\n"
	       "print(coroutine.status(t))",
	       "500 print got early\n500 print true\n500 print suspended\n"
	       "1500 print then 1\n");
}
END_TEST

START_TEST(test_coroutine_library_agrees_with_the_scheduler)
{
	EXPECT("print(coroutine.isyieldable(), coroutine.status(coroutine.running()))\n"
	       "local gen = coroutine.wrap(function() for i = 1, 2 do coroutine.yield(i) end end)\n"
	       "print(gen(), gen())\n"
	       "local w = coroutine.wrap(function() error('in wrap') end)\n"
	       "print(pcall(w))\n"
	       "local sleeping = task.delay(1, print, 'never')\n"
	       "print(coroutine.close(sleeping), coroutine.status(sleeping))\n"
	       "local bad = coroutine.create(function() error('e', 0) end)\n"
	       "coroutine.resume(bad)\n"
	       "print(coroutine.close(bad))\n"
	       "print(pcall(coroutine.close, coroutine.running()))\n"
	       "local waiter = coroutine.create(function() task.wait(1) print('waiter woke') end)\n"
	       "print(coroutine.resume(waiter))\n"
	       "print(coroutine.resume(waiter))",
	       "0 print true running\n0 print 1 2\n"
	       "0 print false Script:4: in wrap\n"
	       "0 print true dead\n0 print false e\n"
	       "0 print false cannot close running coroutine\n"
	       "0 print true\n0 print waiter woke\n0 print true\n");
}
END_TEST

START_TEST(test_a_handler_thread_is_dead_once_its_handler_returns)
{
	/* the pooled thread that ran it goes on to other handlers (the next
	 * queued call runs in it: there, it is running) */
	fixture f;
	fx_init(&f, NULL);
	fx_run(&f, "function h(i) if i == 1 then kept = coroutine.running() end\n"
	       "  print(i, coroutine.status(kept)) end");
	queue_calls(&f, "h", 2);
	fx_run(&f, "print(coroutine.status(kept), coroutine.resume(kept))\n"
	       "print(pcall(task.spawn, kept))");
	char *got = transcript(&f);
	ck_assert_str_eq(got, "0 print 1 running\n0 print 2 running\n"
	                 "0 print dead false cannot resume dead coroutine\n"
	                 "0 print false cannot resume dead coroutine\n");
	free(got);
	fx_free(&f);
}
END_TEST

/* ---- script names and tracebacks ---- */

#define LONG_NAME "ReplicatedStorage.rbxts_include.node_modules.@rbxts." \
	"remo.src.server.createRemote.AndAModuleNameLongEnoughToGoPastTwo" \
	"HundredCharactersWhichLuaWouldCutToSixtyWithItsChunkIdsSoThatThe" \
	"WholeNameMustComeBackFromTheVM"

START_TEST(test_long_script_names_reach_scripts_whole)
{
	ck_assert_int_gt((int)strlen(LONG_NAME), 200);
	fixture f;
	fx_init(&f, NULL);
	const char *mod = "local M = {}\n"
	                  "function M.boom() error('boom') end\n"
	                  "function M.lvl() error('lvl', 2) end\n"
	                  "function M.where() return debug.info(1, 's'), debug.info(1, 'l') end\n"
	                  "function M.tb() return debug.traceback('tb') end\n"
	                  "function M.nilcall() local x x() end\n"
	                  "return M";
	lua_State *L = rs_vm_state(f.vm);
	ck_assert(rs_vm_compile(f.vm, L, LONG_NAME, mod, strlen(mod)));
	lua_call(L, 0, 1);
	lua_setglobal(L, "M");
	fx_run(&f, "print(pcall(M.boom))\n"
	       "print(select(2, xpcall(M.nilcall, function(e) return e end)))\n"
	       "print(select(2, pcall(function() M.lvl() end)))\n"
	       "print(M.where())\n"
	       "print(M.tb())\n"
	       "print(coroutine.resume(coroutine.create(M.boom)))\n"
	       "print(select(2, load('x x', '" LONG_NAME "')))\n"
	       "M.boom()");
	char *got = transcript(&f);
	/* (too long for ck_assert_str_eq's message) */
	const char *want =
		"0 print false " LONG_NAME ":2: boom\n"
		"0 print " LONG_NAME ":6: attempt to call a nil value (local 'x')\n"
		"0 print Script:3: lvl\n"
		"0 print " LONG_NAME " 4\n"
		"0 print tb\n" LONG_NAME ":5 function tb\nScript:5\n\n"
		"0 print false " LONG_NAME ":2: boom\n"
		"0 print " LONG_NAME ":1: Incomplete statement: expected "
		"assignment or a function call\n"
		"0 error " LONG_NAME ":2: boom\n";
	if (strcmp(got, want) != 0)
		fprintf(stderr, "--- got\n%s--- want\n%s", got, want);
	ck_assert(strcmp(got, want) == 0);
	ck_assert(strchr(got, '\x1b') == NULL);
	free(got);
	fx_free(&f);
}
END_TEST

START_TEST(test_tracebacks_show_script_frames_only)
{
	/* Luau's format; no C frame, no frame of the scheduler's handler
	 * loop, and debug.info levels end at the handler */
	fixture f;
	fx_init(&f, NULL);
	fx_run(&f, "local function inner() return debug.traceback() end\n"
	       "function h(i)\n"
	       "  print(inner())\n"
	       "  print(debug.info(1, 'sl'))\n"
	       "  print(debug.info(2, 'sl'))\n"
	       "end");
	queue_calls(&f, "h", 1);
	char *got = transcript(&f);
	ck_assert_str_eq(got, "0 print Script:1 function inner\n"
	                 "Script:3\n\n"
	                 "0 print Script 4\n0 print \n");
	free(got);
	fx_free(&f);
}
END_TEST

START_TEST(test_lazy_arguments_take_the_identities_of_queue_time)
{
	lazy_pushes = lazy_drops = 0;
	char *made_now = run_made(0), *made_later = run_made(1);
	ck_assert_str_eq(made_later, made_now);
	ck_assert_int_eq(lazy_pushes, 2);
	ck_assert_int_eq(lazy_drops, 0);
	free(made_now);
	free(made_later);
}
END_TEST

START_TEST(test_lazy_arguments_of_calls_that_never_run_are_dropped)
{
	lazy_pushes = lazy_drops = 0;
	for (int halt = 0; halt < 2; halt++) {
		fixture f;
		fx_init(&f, NULL);
		lua_State *L = rs_vm_state(f.vm);
		lua_pushcfunction(L, call_first);
		int ref = luaL_ref(L, LUA_REGISTRYINDEX);
		rs_vm_lazy z = { &test_lazy_ops, NULL };
		rs_vm_defer_call_lazy(f.vm, L, call_first, ref, 0, &z, 1);
		rs_vm_defer_call_lazy(f.vm, L, call_first, ref, 0, &z, 1);
		if (halt)
			rs_vm_halt(f.vm);
		fx_free(&f);
	}
	ck_assert_int_eq(lazy_pushes, 0);
	ck_assert_int_eq(lazy_drops, 4);
}
END_TEST

/* ---- limits ---- */

START_TEST(test_runaway_loop_hits_the_script_timeout)
{
	rs_vm_config cfg = { .instr_limit = 200000 };
	expect_run("task.delay(1, print, 'alive')\n"
	           "while true do end",
	           "0 error Script:2: Script timeout: exhausted allowed "
	           "execution time\n1000 print alive\n", &cfg);
}
END_TEST

START_TEST(test_pcall_cannot_swallow_the_timeout)
{
	rs_vm_config cfg = { .instr_limit = 200000 };
	fixture f;
	fx_init(&f, &cfg);
	fx_run(&f, "while true do pcall(function() while true do end end) end");
	ck_assert_uint_eq(f.sim.trace.len, 1);
	ck_assert_int_eq(f.sim.trace.entries[0].kind, RS_OUT_ERROR);
	ck_assert_ptr_nonnull(strstr(f.sim.trace.entries[0].text,
	                             "Script timeout"));
	fx_free(&f);
}
END_TEST

START_TEST(test_memory_hog_hits_the_cap)
{
	rs_vm_config cfg = { .mem_limit = 4u << 20 };
	fixture f;
	fx_init(&f, &cfg);
	fx_run(&f, "local t = {} for i = 1, 1e8 do t[i] = {i} end");
	fx_run(&f, "print('the vm still works')");
	ck_assert_uint_eq(f.sim.trace.len, 2);
	ck_assert_str_eq(f.sim.trace.entries[0].text, "not enough memory");
	ck_assert_str_eq(f.sim.trace.entries[1].text, "the vm still works");
	fx_free(&f);
}
END_TEST

START_TEST(test_syntax_error_is_a_script_error)
{
	EXPECT("print('a'", "0 error Script:1: Expected ')' (to close '(' at "
	       "column 6), got <eof>\n");
}
END_TEST

static Suite *vm_suite(void)
{
	Suite *s = suite_create("vm");
	TCase *tc = tcase_create("output");
	tcase_add_test(tc, test_print_joins_with_spaces_and_formats_numbers_as_luau);
	tcase_add_test(tc, test_print_shows_table_contents_like_roblox);
	tcase_add_test(tc, test_numbers_print_as_the_doubles_luau_holds);
	tcase_add_test(tc, test_string_format_truncates_for_integer_conversions);
	tcase_add_test(tc, test_warn_and_errors_are_recorded_with_script_and_line);
	tcase_add_test(tc, test_tostring_of_tables_is_address_like_and_stable);
	suite_add_tcase(s, tc);
	tc = tcase_create("iteration");
	tcase_add_test(tc, test_pairs_iterates_in_canonical_order);
	tcase_add_test(tc, test_next_follows_the_same_order);
	tcase_add_test(tc, test_object_keys_iterate_in_creation_order);
	tcase_add_test(tc, test_pairs_skips_keys_removed_during_the_loop);
	suite_add_tcase(s, tc);
	tc = tcase_create("sandbox");
	tcase_add_test(tc, test_sandbox_refuses_escapes);
	tcase_add_test(tc, test_time_functions_are_virtual);
	tcase_add_test(tc, test_math_random_is_seeded);
	suite_add_tcase(s, tc);
	tc = tcase_create("scheduler");
	tcase_add_test(tc, test_wait_resumes_on_frames_and_returns_elapsed);
	tcase_add_test(tc, test_spawn_runs_now_and_defer_runs_after);
	tcase_add_test(tc, test_delay_and_cancel);
	tcase_add_test(tc, test_spawn_resumes_a_yielded_coroutine_with_arguments);
	tcase_add_test(tc, test_wait_inside_a_coroutine_yields_it);
	tcase_add_test(tc, test_errors_in_threads_do_not_stop_others);
	tcase_add_test(tc, test_frame_rate_is_configurable);
	tcase_add_test(tc, test_threads_left_suspended_are_listed);
	tcase_add_test(tc, test_spawn_defer_delay_start_a_coroutine_never_resumed);
	tcase_add_test(tc, test_spawn_refuses_dead_and_running_coroutines);
	tcase_add_test(tc, test_resuming_a_waiting_thread_by_hand_wakes_it_once);
	tcase_add_test(tc, test_waits_past_the_end_of_time_never_resume_and_never_hang);
	tcase_add_test(tc, test_coroutine_library_agrees_with_the_scheduler);
	tcase_add_test(tc, test_a_handler_thread_is_dead_once_its_handler_returns);
	suite_add_tcase(s, tc);
	tc = tcase_create("names and tracebacks");
	tcase_add_test(tc, test_long_script_names_reach_scripts_whole);
	tcase_add_test(tc, test_tracebacks_show_script_frames_only);
	suite_add_tcase(s, tc);
	tc = tcase_create("deferred calls");
	tcase_add_test(tc, test_queued_calls_share_a_pooled_thread_with_a_budget_each);
	tcase_add_test(tc, test_a_queued_call_that_yields_keeps_its_thread);
	tcase_add_test(tc, test_lazy_arguments_take_the_identities_of_queue_time);
	tcase_add_test(tc, test_lazy_arguments_of_calls_that_never_run_are_dropped);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_runaway_loop_hits_the_script_timeout);
	tcase_add_test(tc, test_pcall_cannot_swallow_the_timeout);
	tcase_add_test(tc, test_memory_hog_hits_the_cap);
	tcase_add_test(tc, test_syntax_error_is_a_script_error);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vm_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
