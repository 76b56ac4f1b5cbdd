/*
 * rsim-bench -- the performance budgets of DESIGN.md, measured.
 *
 *   fanout   N clients, F FireAllClients with a small table: N*F deliveries
 *   floor    the same decodes and handler calls in a bare Lua VM
 *   scale    N idle clients: peak RSS per client and start-up time
 *   growth   deliveries/s at 10, 100, 1,000 and 10,000 clients
 *   invoke   InvokeServer round trips
 *
 * Each figure is one line (or one JSON object with --json).  --small runs
 * tiny sizes and only checks that every handler ran with the right
 * arguments (the `bench` test suite); it exits 1 on a wrong count.
 * Scale and growth runs happen in child processes so that each peak RSS is
 * its own.  Timed figures are the best of --repeat runs (5; 1 with
 * --small): noise on a shared machine only ever adds time.
 */
#include <lauxlib.h>
#include <lualib.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "rsim/api.h"
#include "rsim/marshal.h"
#include "rsim/remote.h"

static int json_out;
static int failures;
static int first_json = 1;

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* One figure: a human line, or a JSON member. */
static void figure(const char *key, double value, const char *unit,
                   const char *note)
{
	if (json_out) {
		printf("%s\n  \"%s\": %.6g", first_json ? "{" : ",", key, value);
		first_json = 0;
	} else {
		printf("%-28s %14.6g %-14s %s\n", key, value, unit, note ? note : "");
	}
	fflush(stdout);
}

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "rsim-bench: FAILED: %s\n", what);
		failures++;
	}
}

/* ---- a game driven directly (no scenario file) ---- */

typedef struct bench_run {
	rs_sim sim;
	rs_game *g;
	rs_remotes *rm;
	const char *client_src;
	int nclients, loaded;
} bench_run;

static void start_script(rs_world *w, const char *cls, const char *name,
                         rs_inst *parent, const char *src)
{
	rs_inst *i = rs_world_create(w, cls, name, parent);
	rs_inst_set_source(i, src, strlen(src));
	rs_world_run_script(w, i);
}

static void client_loaded(rs_game *g, int k, void *ud)
{
	bench_run *b = ud;
	b->loaded++;
	if (b->client_src)
		start_script(rs_game_world(g, k), "LocalScript", "Bench", NULL,
		             b->client_src);
}

static void join_event(rs_sim *sim, const rs_event *ev)
{
	(void)sim;
	bench_run *b = ev->ctx;
	rs_game_join(b->g, (int)ev->a, client_loaded, b);
}

/* Makes the game, a RemoteEvent and a RemoteFunction in ReplicatedStorage,
 * and n clients that join at time 0 and are loaded when this returns. */
static void run_open(bench_run *b, int n, const char *client_src,
                     double latency, int record_msgs)
{
	memset(b, 0, sizeof *b);
	rs_sim_init(&b->sim, 1);
	b->sim.trace.record_msgs = record_msgs;
	rs_game_config cfg = { .vm = { .frame_hz = 60 } };
	b->g = rs_game_new(&b->sim, &cfg);
	b->rm = rs_remotes_open(b->g);
	b->client_src = client_src;
	b->nclients = n;
	rs_world *sw = rs_game_world(b->g, 0);
	rs_inst *rs = rs_world_service(sw, "ReplicatedStorage");
	rs_world_create(sw, "RemoteEvent", "RemoteEvent", rs);
	rs_world_create(sw, "RemoteFunction", "RemoteFunction", rs);
	rs_link_config link = { .latency_up = latency, .latency_down = latency };
	for (int k = 1; k <= n; k++) {
		char name[32];
		snprintf(name, sizeof name, "Player%d", k);
		rs_game_add_client(b->g, name, &link);
		rs_sim_at(&b->sim, 0, join_event, b, (uint64_t)k, 0);
	}
	b->sim.end = rs_time_from_sec(1.0);
	rs_sim_run(&b->sim);
}

/* Runs until nothing is left or `secs` more virtual seconds passed. */
static void run_more(bench_run *b, double secs)
{
	b->sim.end = b->sim.now + rs_time_from_sec(secs);
	rs_sim_run(&b->sim);
}

static void run_close(bench_run *b)
{
	rs_remotes_free(b->rm);
	rs_game_free(b->g);
	rs_sim_free(&b->sim);
}

/* Calls the global function `fn` of peer's VM and returns its number. */
static double peer_number(bench_run *b, int peer, const char *fn)
{
	lua_State *L = rs_vm_state(rs_world_vm(rs_game_world(b->g, peer)));
	lua_getglobal(L, fn);
	if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
		lua_pop(L, 1);
		return -1;
	}
	double v = lua_tonumber(L, -1);
	lua_pop(L, 1);
	return v;
}

static int trace_errors(bench_run *b)
{
	int n = 0;
	for (size_t i = 0; i < b->sim.trace.len; i++)
		if (b->sim.trace.entries[i].kind == RS_OUT_ERROR) {
			if (n++ == 0)
				fprintf(stderr, "rsim-bench: script error: %s\n",
				        b->sim.trace.entries[i].text);
		}
	return n;
}

/* ---- 1. fan-out ---- */

static const char fan_client[] =
	"local re = game:GetService('ReplicatedStorage'):WaitForChild("
	"'RemoteEvent')\n"
	"local n, sum = 0, 0\n"
	"re.OnClientEvent:Connect(function(t) n = n + 1 sum = sum + t.i end)\n"
	"_G.bench_n = function() return n end\n"
	"_G.bench_sum = function() return sum end\n";

typedef struct fan_result {
	double secs, per_sec, setup_secs;
	int ok;
} fan_result;

/* N clients, F FireAllClients({i = i}); checks every handler ran F times
 * with the right arguments. */
static fan_result fanout(int n, int fires, int record_msgs)
{
	fan_result fr = { 0 };
	bench_run b;
	double t0 = wall();
	run_open(&b, n, fan_client, 0.05, record_msgs);
	fr.setup_secs = wall() - t0;
	char src[256];
	snprintf(src, sizeof src, "local re = game.ReplicatedStorage.RemoteEvent\n"
	         "for i = 1, %d do re:FireAllClients({i = i}) end\n", fires);
	rs_world *sw = rs_game_world(b.g, 0);
	double t1 = wall();
	start_script(sw, "Script", "Fire",
	             rs_world_service(sw, "ServerScriptService"), src);
	run_more(&b, 30);
	fr.secs = wall() - t1;
	double want_sum = (double)fires * (fires + 1) / 2;
	int ok = b.loaded == n && trace_errors(&b) == 0;
	for (int k = 1; k <= n && ok; k++)
		ok = peer_number(&b, k, "bench_n") == fires &&
		     peer_number(&b, k, "bench_sum") == want_sum;
	fr.ok = ok;
	fr.per_sec = (double)n * fires / fr.secs;
	run_close(&b);
	return fr;
}

/* ---- 2. the floor: decode + handler call in a bare VM ---- */

static double floor_per_delivery(int n, int fires, int *ok)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	if (luaL_dostring(L, "local n, sum = 0, 0\n"
	                  "function h(t) n = n + 1 sum = sum + t.i end\n"
	                  "function get() return n, sum end\n") != LUA_OK)
		abort();
	rs_marshal_ctx cx = { 0 };
	rs_buf *enc = calloc((size_t)fires, sizeof *enc);
	char err[256];
	for (int i = 0; i < fires; i++) {
		lua_createtable(L, 0, 1);
		lua_pushinteger(L, i + 1);
		lua_setfield(L, -2, "i");
		rs_buf_init(&enc[i]);
		if (!rs_marshal_encode(L, lua_gettop(L), 1, &enc[i], &cx, err,
		                       sizeof err))
			abort();
		lua_pop(L, 1);
	}
	lua_getglobal(L, "h");
	int h = lua_gettop(L);
	double t0 = wall();
	for (int i = 0; i < fires; i++)
		for (int k = 0; k < n; k++) {
			lua_pushvalue(L, h);
			int nargs = rs_marshal_decode(L, enc[i].p, enc[i].len, &cx);
			if (lua_pcall(L, nargs, 0, 0) != LUA_OK)
				abort();
		}
	double secs = wall() - t0;
	lua_getglobal(L, "get");
	lua_call(L, 0, 2);
	*ok = lua_tonumber(L, -2) == (double)n * fires &&
	      lua_tonumber(L, -1) == (double)n * fires * (fires + 1) / 2;
	for (int i = 0; i < fires; i++)
		rs_buf_free(&enc[i]);
	free(enc);
	lua_close(L);
	return secs / ((double)n * fires);
}

/* ---- 3. scale: idle clients ---- */

typedef struct scale_result {
	double rss_per_client_kib, setup_secs;
	int ok;
} scale_result;

static scale_result scale(int n)
{
	scale_result sr = { 0 };
	long before = peak_rss_kib();
	bench_run b;
	double t0 = wall();
	run_open(&b, n, NULL, 0.05, 1);
	sr.setup_secs = wall() - t0;
	long after = peak_rss_kib();
	sr.rss_per_client_kib = (double)after / n;
	(void)before;
	if (getenv("RSIM_BENCH_VERBOSE")) {
		/* where an idle client's memory goes: its Lua state (in the
		 * simulation's pool), the malloc heap (instances, links, the
		 * server's share; the pool and the big arrays are mapped
		 * apart and not in it) */
		struct mallinfo2 mi = mallinfo2();
		double heap = (double)(mi.uordblks + mi.hblkhd);
		double vm_clients = 0;
		for (int k = 1; k <= n; k++)
			vm_clients += (double)rs_vm_mem_used(
				rs_world_vm(rs_game_world(b.g, k)));
		double vm_server = (double)rs_vm_mem_used(
			rs_world_vm(rs_game_world(b.g, 0)));
		fprintf(stderr, "scale %d: per client: Lua state %.1f KiB, "
		        "malloc heap in use %.1f KiB (server Lua state %.1f KiB "
		        "in all)\n", n, vm_clients / n / 1024, heap / n / 1024,
		        vm_server / 1024);
	}
	sr.ok = b.loaded == n && trace_errors(&b) == 0;
	run_close(&b);
	return sr;
}

/* ---- 6. InvokeServer round trips ---- */

static const char inv_server[] =
	"local rf = game.ReplicatedStorage.RemoteFunction\n"
	"rf.OnServerInvoke = function(player, x) return x + 1 end\n";

static double invoke(int n, int calls, int *ok)
{
	char src[512];
	snprintf(src, sizeof src,
	         "local rf = game:GetService('ReplicatedStorage'):WaitForChild("
	         "'RemoteFunction')\n"
	         "local n = 0\n"
	         "_G.bench_n = function() return n end\n"
	         "for i = 1, %d do if rf:InvokeServer(i) == i + 1 then "
	         "n = n + 1 end end\n", calls);
	bench_run b;
	rs_world *sw;
	memset(&b, 0, sizeof b);
	rs_sim_init(&b.sim, 1);
	rs_game_config cfg = { .vm = { .frame_hz = 60 } };
	b.g = rs_game_new(&b.sim, &cfg);
	b.rm = rs_remotes_open(b.g);
	b.client_src = src;
	b.nclients = n;
	sw = rs_game_world(b.g, 0);
	rs_inst *rs = rs_world_service(sw, "ReplicatedStorage");
	rs_world_create(sw, "RemoteFunction", "RemoteFunction", rs);
	start_script(sw, "Script", "Serve",
	             rs_world_service(sw, "ServerScriptService"), inv_server);
	rs_link_config link = { .latency_up = 0.01, .latency_down = 0.01 };
	for (int k = 1; k <= n; k++) {
		char name[32];
		snprintf(name, sizeof name, "Player%d", k);
		rs_game_add_client(b.g, name, &link);
		rs_sim_at(&b.sim, 0, join_event, &b, (uint64_t)k, 0);
	}
	double t0 = wall();
	b.sim.end = rs_time_from_sec(3600);
	rs_sim_run(&b.sim);
	double secs = wall() - t0;
	*ok = b.loaded == n && trace_errors(&b) == 0;
	for (int k = 1; k <= n && *ok; k++)
		*ok = peer_number(&b, k, "bench_n") == calls;
	run_close(&b);
	return (double)n * calls / secs;
}

/* ---- child processes, so each peak RSS is its own ---- */

static int growth_fires;

/* Runs "rsim-bench --child KIND N" and reads its "ok v0 v1" line. */
static int in_child(const char *self, const char *kind, int n, double *v0,
                    double *v1)
{
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "'%s' --child %s %d %d", self, kind, n,
	         growth_fires);
	fflush(stdout);
	FILE *f = popen(cmd, "r");
	if (f == NULL)
		return 0;
	int ok = 0;
	if (fscanf(f, "%d %lf %lf", &ok, v0, v1) != 3)
		ok = 0;
	if (pclose(f) != 0)
		ok = 0;
	return ok;
}

static int child_main(const char *kind, int n, int fires)
{
	if (strcmp(kind, "scale") == 0) {
		scale_result sr = scale(n);
		printf("%d %.17g %.17g\n", sr.ok, sr.rss_per_client_kib,
		       sr.setup_secs);
	} else {
		int f = fires / n;
		fan_result fr = fanout(n, f < 1 ? 1 : f, 0);
		printf("%d %.17g %.17g\n", fr.ok, fr.per_sec, fr.secs);
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: rsim-bench [--json] [--small] [--only NAME] "
	        "[--max-clients N] [--repeat N]\n"
	        "  NAME: fanout, scale, growth, invoke\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int small = 0, max_clients = 1 << 30, repeat = 5, repeat_set = 0;
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json_out = 1;
		else if (strcmp(argv[i], "--small") == 0)
			small = 1;
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (strcmp(argv[i], "--max-clients") == 0 && i + 1 < argc)
			max_clients = atoi(argv[++i]);
		else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc &&
		         atoi(argv[i + 1]) >= 1)
			repeat = atoi(argv[++i]), repeat_set = 1;
		else if (strcmp(argv[i], "--child") == 0 && i + 3 < argc)
			return child_main(argv[i + 1], atoi(argv[i + 2]),
			                  atoi(argv[i + 3]));
		else
			usage();
	}
	if (small && !repeat_set)
		repeat = 1;
#define RUN(name) (only == NULL || strcmp(only, name) == 0)
	int fan_n = small ? 20 : 1000, fan_f = small ? 20 : 1000;
	if (RUN("fanout")) {
		/* best of `repeat`, each run with its floor right after it: the
		 * machine's noise (other jobs, first-touch page zeroing) only
		 * ever adds time */
		fan_result fr = { 0 }, fr_rec = { 0 };
		double fl = 0;
		for (int rep = 0; rep < repeat; rep++) {
			fan_result x = fanout(fan_n, fan_f, 0);
			check(x.ok, "fan-out: a client did not see every event");
			if (rep == 0 || x.secs < fr.secs)
				fr = x;
			int fok;
			double y = floor_per_delivery(fan_n, fan_f, &fok);
			check(fok, "floor: wrong count");
			if (rep == 0 || y < fl)
				fl = y;
		}
		fr_rec = fanout(fan_n, fan_f, 1);
		check(fr_rec.ok, "fan-out (recorded): a client did not see every "
		      "event");
		double per = fr.secs / ((double)fan_n * fan_f);
		char best[32];
		snprintf(best, sizeof best, "best of %d; budget < 1 s", repeat);
		figure("fanout_clients", fan_n, "clients", NULL);
		figure("fanout_deliveries", (double)fan_n * fan_f, "deliveries",
		       NULL);
		figure("fanout_setup_s", fr.setup_secs, "s", "join + load");
		figure("fanout_wall_s", fr.secs, "s", best);
		figure("fanout_deliveries_per_s", fr.per_sec, "deliveries/s",
		       "trace.record_msgs = 0");
		figure("fanout_recorded_wall_s", fr_rec.secs, "s",
		       "with message records, as scenarios run");
		figure("fanout_ns_per_delivery", per * 1e9, "ns", NULL);
		figure("floor_ns_per_delivery", fl * 1e9, "ns",
		       "decode + Lua call, bare VM, best of the same runs");
		figure("floor_ratio", per / fl, "x", "budget <= 3");
	}
	if (RUN("scale")) {
		int sizes[] = { small ? 10 : 1000, small ? 40 : 10000 };
		double per_client_us[2] = { 0, 0 };
		double v[2][2] = { { 0, 0 }, { 0, 0 } }; /* RSS/client, set-up */
		for (int rep = 0; rep < repeat; rep++) /* sizes take turns */
			for (int s = 0; s < 2; s++) {
				double u[2] = { 0, 0 };
				if (sizes[s] > max_clients)
					continue;
				check(in_child(argv[0], "scale", sizes[s], &u[0], &u[1]),
				      "scale: a client did not load");
				if (rep == 0 || u[1] < v[s][1])
					v[s][0] = u[0], v[s][1] = u[1];
			}
		for (int s = 0; s < 2; s++) {
			if (sizes[s] > max_clients) {
				per_client_us[s] = per_client_us[0];
				continue;
			}
			char key[64];
			snprintf(key, sizeof key, "scale_%d_rss_per_client_kib",
			         sizes[s]);
			figure(key, v[s][0], "KiB", s ? "budget <= 64" : NULL);
			snprintf(key, sizeof key, "scale_%d_setup_s", sizes[s]);
			figure(key, v[s][1], "s", NULL);
			per_client_us[s] = v[s][1] / sizes[s] * 1e6;
		}
		figure("scale_setup_growth", per_client_us[1] / per_client_us[0],
		       "x", "per-client start-up, large/small; linear ~1");
	}
	if (RUN("growth")) {
		int big[] = { 10, 100, 1000, 10000 }, little[] = { 5, 10, 20, 40 };
		int *sizes = small ? little : big;
		int ns = 4;
		growth_fires = small ? 2000 : 1000000;
		/* the sizes take turns, so that a slow spell of the machine
		 * falls on all of them, not on one */
		double best[4] = { 0, 0, 0, 0 };
		for (int rep = 0; rep < repeat; rep++)
			for (int s = 0; s < ns; s++) {
				double u[2] = { 0, 0 };
				if (sizes[s] > max_clients)
					continue;
				check(in_child(argv[0], "fanout", sizes[s], &u[0], &u[1]),
				      "growth: a client did not see every event");
				if (u[0] > best[s])
					best[s] = u[0];
			}
		double lo = 0, hi = 0;
		for (int s = 0; s < ns; s++) {
			if (sizes[s] > max_clients)
				continue;
			char key[64];
			snprintf(key, sizeof key, "growth_%d_deliveries_per_s",
			         sizes[s]);
			figure(key, best[s], "deliveries/s", NULL);
			if (lo == 0 || best[s] < lo)
				lo = best[s];
			if (best[s] > hi)
				hi = best[s];
		}
		figure("growth_spread", hi / lo, "x", "budget <= 2");
	}
	if (RUN("invoke")) {
		int ok;
		int n = small ? 5 : 100, calls = small ? 20 : 1000;
		double rt = 0;
		for (int rep = 0; rep < repeat; rep++) {
			double x = invoke(n, calls, &ok);
			check(ok, "invoke: a round trip was lost or wrong");
			if (x > rt)
				rt = x;
		}
		figure("invoke_round_trips", (double)n * calls, "round trips", NULL);
		figure("invoke_round_trips_per_s", rt, "round trips/s",
		       "best of the runs");
	}
	if (json_out)
		printf("%s\n}\n", first_json ? "{" : "");
	return failures ? 1 : 0;
}
