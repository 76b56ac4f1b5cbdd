/*
 * main.c -- the `rsim` command: parses the command line and hands each
 * subcommand to the library.  Thin on purpose: everything it prints comes
 * from a result the library returned.
 *
 * Exit status: 0 all scenarios passed, 1 a scenario failed, 2 bad input
 * (unreadable or malformed scenario, unknown option).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "rsim/report.h"
#include "rsim/scenario.h"
#include "rsim/suite.h"

#define EXIT_FAILED 1
#define EXIT_BADINPUT 2

static void usage(FILE *f)
{
	fputs("usage: rsim run [--seed N] [--bless] FILE...\n"
	      "       rsim conformance [DIR] [-j N] [--shard K/N] [--seed N]\n"
	      "                        [--seeds A..B] [--json F] [--junit F]\n"
	      "                        [--tap] [--html F | --no-html]\n"
	      "                        [--manifest F] [--baseline F]\n"
	      "       rsim report RESULTS.json... [--html F] [--junit F]\n"
	      "                   [--json F] [--tap]\n"
	      "       rsim trace FILE [--seed N] --chrome OUT.json\n"
	      "       rsim play PROJECT.json [--clients N] [--duration S]\n"
	      "                 [--seed N] [--latency S] [--jitter S]\n"
	      "                 [--loss P] [--bandwidth B]\n"
	      "       rsim new SECTION NAME\n"
	      "       rsim --version\n"
	      "\n"
	      "  run          run scenarios and print their transcripts\n"
	      "  conformance  run the suite (default DIR: scenarios), print a\n"
	      "               table per documentation section, write reports\n"
	      "               (default HTML: rsim-report.html)\n"
	      "  report       merge results of shards and render them\n"
	      "  trace        one run as Chrome trace-event JSON\n"
	      "  play         a Rojo game with N idle players; fails on a\n"
	      "               script error or a WaitForChild that never ends\n"
	      "  new          write a commented scenario skeleton\n"
	      "exit status: 0 all as expected, 1 a scenario failed, 2 bad "
	      "input\n", f);
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-')
		return 0;
	*out = v;
	return 1;
}

static void print_time(FILE *f, rs_time t)
{
	fprintf(f, "[%lld.%03lld]", (long long)(t / RS_USEC_PER_SEC),
	        (long long)(t % RS_USEC_PER_SEC / 1000));
}

static const char *kind_tag(rs_entry_kind k)
{
	switch (k) {
	case RS_OUT_WARN: return "warning: ";
	case RS_OUT_ERROR: return "error: ";
	case RS_OUT_INFO: return "-- ";
	default: return "";
	}
}

/* Under an error of a game's script ("Name.Of.Script:12: msg"), the Rojo
 * file and line to open.  Only the printed transcript has it: the
 * results keep what the game printed. */
static void print_origin(FILE *f, const rs_project *p, const char *text)
{
	const char *colon = strchr(text, ':');
	while (colon && !(colon[1] >= '0' && colon[1] <= '9'))
		colon = strchr(colon + 1, ':');
	if (colon == NULL || (size_t)(colon - text) >= 1024)
		return;
	char name[1024];
	memcpy(name, text, (size_t)(colon - text));
	name[colon - text] = '\0';
	const char *file = rs_project_file_of(p, name);
	if (file)
		fprintf(f, "        at %s:%ld\n", file, strtol(colon + 1, NULL, 10));
}

static void print_result(FILE *f, const rs_scenario *sc, const rs_result *r)
{
	fprintf(f, "== %s: %s\n", sc->path, sc->title);
	for (size_t i = 0; i < r->trace.len; i++) {
		const rs_entry *e = &r->trace.entries[i];
		print_time(f, e->time);
		fprintf(f, " %s: %s%s\n", r->peer_names[e->peer],
		        kind_tag(e->kind), e->text);
		if (e->kind == RS_OUT_ERROR && sc->project)
			print_origin(f, sc->project, e->text);
	}
	for (size_t i = 0; i < r->nblocked; i++) {
		const rs_blocked *b = &r->blocked[i];
		fprintf(f, "%s: %s: %s waits on %s since ",
		        sc->play ? "waiting" : "blocked",
		        r->peer_names[b->peer], b->where, b->on);
		print_time(f, b->since);
		fputc('\n', f);
	}
	for (size_t i = 0; i < r->nfailures; i++) {
		const rs_failure *x = &r->failures[i];
		if (x->line > 0)
			fprintf(f, "failed: %s:%d: %s\n", sc->path, x->line, x->what);
		else
			fprintf(f, "failed: %s: %s\n", sc->path, x->what);
		if (x->expected)
			fprintf(f, "  expected: %s\n", x->expected);
		if (x->nearest)
			fprintf(f, "  %s %s\n", x->expected ? "nearest: " : "actual:  ",
			        x->nearest);
	}
	if (sc->play) {
		/* a live game waits on events when the time is up: not a fault */
		fprintf(f, "%s: %s (%zu error%s, %zu thread%s still waiting)\n",
		        r->passed ? "PASS" : "FAIL", sc->path, r->nerrors,
		        r->nerrors == 1 ? "" : "s", r->nblocked,
		        r->nblocked == 1 ? "" : "s");
		return;
	}
	fprintf(f, "%s: %s (%zu error%s, %zu blocked thread%s)\n",
	        r->passed ? "PASS" : "FAIL", sc->path, r->nerrors,
	        r->nerrors == 1 ? "" : "s", r->nblocked,
	        r->nblocked == 1 ? "" : "s");
	if (!r->passed)
		fprintf(f, "replay: rsim run %s --seed %llu\n", sc->path,
		        (unsigned long long)r->seed);
}

static int cmd_run(int argc, char **argv)
{
	uint64_t seed = 0;
	int have_seed = 0, nfiles = 0, bless = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--bless") == 0) {
			bless = 1;
		} else if (strcmp(argv[i], "--seed") == 0) {
			if (i + 1 >= argc || !parse_u64(argv[i + 1], &seed)) {
				fprintf(stderr, "rsim run: --seed needs a whole number "
				        "from 0 to 2^64-1\n");
				return EXIT_BADINPUT;
			}
			have_seed = 1;
			i++;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "rsim run: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return EXIT_BADINPUT;
		} else {
			nfiles++;
		}
	}
	if (nfiles == 0) {
		fprintf(stderr, "rsim run: no scenario file given\n");
		usage(stderr);
		return EXIT_BADINPUT;
	}
	int status = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0) {
			i++;
			continue;
		}
		if (strcmp(argv[i], "--bless") == 0)
			continue;
		rs_scenario_error err;
		rs_scenario *sc = rs_scenario_load(argv[i], &err);
		if (sc == NULL) {
			char msg[1200];
			rs_scenario_error_format(&err, msg, sizeof msg);
			fprintf(stderr, "rsim: %s\n", msg);
			status = EXIT_BADINPUT;
			continue;
		}
		rs_result *r = rs_scenario_run(sc, have_seed ? seed : sc->seed);
		if (r == NULL) {
			fprintf(stderr, "rsim: %s: out of memory\n", argv[i]);
			rs_scenario_free(sc);
			return EXIT_BADINPUT;
		}
		print_result(stdout, sc, r);
		if (bless) {
			char msg[600];
			if (rs_scenario_bless(argv[i], r, msg, sizeof msg) != 0) {
				fprintf(stderr, "rsim: %s\n", msg);
				status = EXIT_BADINPUT;
			} else {
				printf("blessed: %s: expect.output now holds this run's "
				       "lines; review them\n", argv[i]);
			}
		}
		if (!r->passed && status == 0 && !bless)
			status = EXIT_FAILED;
		rs_result_free(r);
		rs_scenario_free(sc);
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "rsim: cannot write the output: %s\n",
		        strerror(errno));
		return EXIT_BADINPUT;
	}
	return status;
}

/* Parses "K/N" with 1 <= K <= N. */
static int parse_shard(const char *s, int *k, int *n)
{
	char tail;
	return sscanf(s, "%d/%d%c", k, n, &tail) == 2 && *n >= 1 && *k >= 1 &&
	       *k <= *n;
}

static int parse_range(const char *s, uint64_t *a, uint64_t *b)
{
	unsigned long long x, y;
	char tail;
	if (sscanf(s, "%llu..%llu%c", &x, &y, &tail) != 2 || y < x ||
	    y - x >= 100000)
		return 0;
	*a = x;
	*b = y;
	return 1;
}

static int file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

/* Writes the document to every output asked for; 0 or EXIT_BADINPUT. */
static int write_outputs(const json_t *doc, const char *json,
                         const char *junit, const char *html, int tap)
{
	char err[512];
	if (json && rs_report_write_json(doc, json, err, sizeof err) != 0) {
		fprintf(stderr, "rsim: %s\n", err);
		return EXIT_BADINPUT;
	}
	if (junit && rs_report_write_junit(doc, junit, err, sizeof err) != 0) {
		fprintf(stderr, "rsim: %s\n", err);
		return EXIT_BADINPUT;
	}
	if (html && rs_report_write_html(doc, html, err, sizeof err) != 0) {
		fprintf(stderr, "rsim: %s\n", err);
		return EXIT_BADINPUT;
	}
	if (tap && rs_report_write_tap(doc, stdout) != 0) {
		fprintf(stderr, "rsim: cannot write TAP\n");
		return EXIT_BADINPUT;
	}
	return 0;
}

/* The value of option argv[*i] (moving past it), or NULL with a message. */
static const char *optarg_of(int argc, char **argv, int *i, const char *cmd)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "rsim %s: %s needs a value\n", cmd, argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static int cmd_conformance(int argc, char **argv)
{
	rs_suite_options o = { .dir = "scenarios", .jobs = 1, .shard_k = 1,
	                       .shard_n = 1, .seed = -1 };
	const char *json = NULL, *junit = NULL, *html = "rsim-report.html";
	int tap = 0, have_dir = 0;
	o.manifest = file_exists("conformance/manifest.json")
	           ? "conformance/manifest.json" : NULL;
	o.baseline = file_exists("conformance/baseline.json")
	           ? "conformance/baseline.json" : NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;
		if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
			uint64_t j;
			if (!(v = optarg_of(argc, argv, &i, "conformance")) ||
			    !parse_u64(v, &j) || j < 1 || j > 64) {
				fprintf(stderr, "rsim conformance: -j needs 1 to 64\n");
				return EXIT_BADINPUT;
			}
			o.jobs = (int)j;
		} else if (strcmp(a, "--shard") == 0) {
			if (!(v = optarg_of(argc, argv, &i, "conformance")) ||
			    !parse_shard(v, &o.shard_k, &o.shard_n)) {
				fprintf(stderr, "rsim conformance: --shard needs K/N with "
				        "1 <= K <= N\n");
				return EXIT_BADINPUT;
			}
		} else if (strcmp(a, "--seed") == 0) {
			uint64_t s;
			if (!(v = optarg_of(argc, argv, &i, "conformance")) ||
			    !parse_u64(v, &s) || s > INT64_MAX) {
				fprintf(stderr, "rsim conformance: --seed needs a whole "
				        "number\n");
				return EXIT_BADINPUT;
			}
			o.seed = (long long)s;
		} else if (strcmp(a, "--seeds") == 0) {
			if (!(v = optarg_of(argc, argv, &i, "conformance")) ||
			    !parse_range(v, &o.seeds_from, &o.seeds_to)) {
				fprintf(stderr, "rsim conformance: --seeds needs A..B "
				        "(at most 100000 seeds)\n");
				return EXIT_BADINPUT;
			}
			o.seed_range = 1;
		} else if (strcmp(a, "--json") == 0) {
			if (!(json = optarg_of(argc, argv, &i, "conformance")))
				return EXIT_BADINPUT;
		} else if (strcmp(a, "--junit") == 0) {
			if (!(junit = optarg_of(argc, argv, &i, "conformance")))
				return EXIT_BADINPUT;
		} else if (strcmp(a, "--html") == 0) {
			if (!(html = optarg_of(argc, argv, &i, "conformance")))
				return EXIT_BADINPUT;
		} else if (strcmp(a, "--no-html") == 0) {
			html = NULL;
		} else if (strcmp(a, "--tap") == 0) {
			tap = 1;
		} else if (strcmp(a, "--manifest") == 0) {
			if (!(o.manifest = optarg_of(argc, argv, &i, "conformance")))
				return EXIT_BADINPUT;
		} else if (strcmp(a, "--baseline") == 0) {
			if (!(o.baseline = optarg_of(argc, argv, &i, "conformance")))
				return EXIT_BADINPUT;
		} else if (strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (a[0] == '-' || have_dir) {
			fprintf(stderr, "rsim conformance: unexpected '%s'\n", a);
			usage(stderr);
			return EXIT_BADINPUT;
		} else {
			o.dir = a;
			have_dir = 1;
		}
	}
	char err[1024];
	json_t *doc = rs_suite_run(&o, err, sizeof err);
	if (doc == NULL) {
		fprintf(stderr, "rsim conformance: %s\n", err);
		return EXIT_BADINPUT;
	}
	int unexpected = rs_suite_print(doc, tap ? stderr : stdout);
	int rc = write_outputs(doc, json, junit, html, tap);
	if (rc == 0 && html)
		fprintf(tap ? stderr : stdout, "HTML report: %s\n", html);
	json_decref(doc);
	if (rc)
		return rc;
	return unexpected ? EXIT_FAILED : 0;
}

static int cmd_report(int argc, char **argv)
{
	const char *json = NULL, *junit = NULL, *html = NULL;
	int tap = 0;
	json_t *docs[256];
	size_t n = 0;
	int rc = 0;
	for (int i = 0; i < argc && rc == 0; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0) {
			if (!(json = optarg_of(argc, argv, &i, "report")))
				rc = EXIT_BADINPUT;
		} else if (strcmp(a, "--junit") == 0) {
			if (!(junit = optarg_of(argc, argv, &i, "report")))
				rc = EXIT_BADINPUT;
		} else if (strcmp(a, "--html") == 0) {
			if (!(html = optarg_of(argc, argv, &i, "report")))
				rc = EXIT_BADINPUT;
		} else if (strcmp(a, "--tap") == 0) {
			tap = 1;
		} else if (a[0] == '-' || n == 256) {
			fprintf(stderr, "rsim report: unexpected '%s'\n", a);
			rc = EXIT_BADINPUT;
		} else {
			char err[512];
			if (!(docs[n] = rs_report_load(a, err, sizeof err))) {
				fprintf(stderr, "rsim report: %s\n", err);
				rc = EXIT_BADINPUT;
			} else {
				n++;
			}
		}
	}
	if (rc == 0 && n == 0) {
		fprintf(stderr, "rsim report: no results file given\n");
		rc = EXIT_BADINPUT;
	}
	json_t *doc = NULL;
	if (rc == 0) {
		char err[512];
		doc = rs_report_merge(docs, n, err, sizeof err);
		if (doc == NULL) {
			fprintf(stderr, "rsim report: %s\n", err);
			rc = EXIT_BADINPUT;
		}
	}
	for (size_t i = 0; i < n; i++)
		json_decref(docs[i]);
	if (rc)
		return rc;
	int unexpected = rs_suite_print(doc, tap ? stderr : stdout);
	rc = write_outputs(doc, json, junit, html, tap);
	json_decref(doc);
	return rc ? rc : unexpected ? EXIT_FAILED : 0;
}

static int cmd_trace(int argc, char **argv)
{
	const char *file = NULL, *out = NULL;
	uint64_t seed = 0;
	int have_seed = 0;
	for (int i = 0; i < argc; i++) {
		const char *v;
		if (strcmp(argv[i], "--chrome") == 0) {
			if (!(out = optarg_of(argc, argv, &i, "trace")))
				return EXIT_BADINPUT;
		} else if (strcmp(argv[i], "--seed") == 0) {
			if (!(v = optarg_of(argc, argv, &i, "trace")) ||
			    !parse_u64(v, &seed))
				return EXIT_BADINPUT;
			have_seed = 1;
		} else if (argv[i][0] == '-' || file) {
			fprintf(stderr, "rsim trace: unexpected '%s'\n", argv[i]);
			return EXIT_BADINPUT;
		} else {
			file = argv[i];
		}
	}
	if (file == NULL || out == NULL) {
		fprintf(stderr, "rsim trace: usage: rsim trace FILE --chrome "
		        "OUT.json\n");
		return EXIT_BADINPUT;
	}
	rs_scenario_error se;
	rs_scenario *sc = rs_scenario_load(file, &se);
	if (sc == NULL) {
		char msg[1200];
		rs_scenario_error_format(&se, msg, sizeof msg);
		fprintf(stderr, "rsim: %s\n", msg);
		return EXIT_BADINPUT;
	}
	rs_result *r = rs_scenario_run(sc, have_seed ? seed : sc->seed);
	json_t *e = rs_report_scenario(file, sc, r, r->passed ? RS_ST_PASS
	                                                      : RS_ST_FAIL, NULL);
	char err[512];
	int rc = rs_report_write_chrome(e, out, err, sizeof err);
	if (rc != 0)
		fprintf(stderr, "rsim trace: %s\n", err);
	json_decref(e);
	rs_result_free(r);
	rs_scenario_free(sc);
	return rc ? EXIT_BADINPUT : 0;
}

/* A number option's value in [lo, hi]; prints why and returns 0 if not. */
static int number_opt(int argc, char **argv, int *i, double lo, double hi,
                      double *out)
{
	char *end;
	if (*i + 1 >= argc) {
		fprintf(stderr, "rsim play: %s needs a value\n", argv[*i]);
		return 0;
	}
	errno = 0;
	double v = strtod(argv[*i + 1], &end);
	if (errno || end == argv[*i + 1] || *end || !(v >= lo && v <= hi)) {
		fprintf(stderr, "rsim play: %s: expected a number from %g to %g, "
		        "got '%s'\n", argv[*i], lo, hi, argv[*i + 1]);
		return 0;
	}
	*out = v;
	(*i)++;
	return 1;
}

static int cmd_play(int argc, char **argv)
{
	rs_play_options o = { .clients = 1, .duration = 30 };
	const char *project = NULL;
	for (int i = 0; i < argc; i++) {
		double v;
		const char *a = argv[i];
		int ok = 1;
		if (strcmp(a, "--clients") == 0) {
			ok = number_opt(argc, argv, &i, 0, 10000, &v);
			if (ok && v != (int)v) {
				fprintf(stderr, "rsim play: --clients: expected a whole "
				        "number\n");
				ok = 0;
			}
			o.clients = ok ? (int)v : 0;
		} else if (strcmp(a, "--duration") == 0) {
			ok = number_opt(argc, argv, &i, 0, 86400, &o.duration);
		} else if (strcmp(a, "--seed") == 0) {
			ok = i + 1 < argc && parse_u64(argv[i + 1], &o.seed);
			if (!ok)
				fprintf(stderr, "rsim play: --seed needs a whole number "
				        "from 0 to 2^64-1\n");
			i++;
		} else if (strcmp(a, "--latency") == 0) {
			ok = number_opt(argc, argv, &i, 0, 60, &v);
			o.link.latency_up = o.link.latency_down = v;
		} else if (strcmp(a, "--jitter") == 0) {
			ok = number_opt(argc, argv, &i, 0, 60, &o.link.jitter);
		} else if (strcmp(a, "--loss") == 0) {
			ok = number_opt(argc, argv, &i, 0, 1, &o.link.loss);
		} else if (strcmp(a, "--bandwidth") == 0) {
			ok = number_opt(argc, argv, &i, 1, 1e12, &o.link.bandwidth);
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "rsim play: unknown option '%s'\n", a);
			ok = 0;
		} else if (project) {
			fprintf(stderr, "rsim play: one project at a time\n");
			ok = 0;
		} else {
			project = a;
		}
		if (!ok) {
			usage(stderr);
			return EXIT_BADINPUT;
		}
	}
	if (project == NULL) {
		fprintf(stderr, "rsim play: no project file given\n");
		usage(stderr);
		return EXIT_BADINPUT;
	}
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_play(project, &o, &err);
	if (sc == NULL) {
		char msg[1200];
		rs_scenario_error_format(&err, msg, sizeof msg);
		fprintf(stderr, "rsim: %s\n", msg);
		return EXIT_BADINPUT;
	}
	rs_result *r = rs_scenario_run(sc, o.seed);
	if (r == NULL) {
		fprintf(stderr, "rsim: %s: out of memory\n", project);
		rs_scenario_free(sc);
		return EXIT_BADINPUT;
	}
	print_result(stdout, sc, r);
	int status = r->passed ? 0 : EXIT_FAILED;
	if (!r->passed)
		printf("replay: rsim play %s --clients %d --duration %g --seed "
		       "%llu\n", project, o.clients, o.duration,
		       (unsigned long long)o.seed);
	rs_result_free(r);
	rs_scenario_free(sc);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "rsim: cannot write the output: %s\n",
		        strerror(errno));
		return EXIT_BADINPUT;
	}
	return status;
}

static const char SKELETON[] =
	"-- %s: what this scenario shows, in one line (also its title).\n"
	"return {\n"
	"  section = \"%s\",\n"
	"  title = \"%s\",\n"
	"  clients = 1,                       -- Player1 .. PlayerN\n"
	"  network = { latency = 0.05 },      -- one-way seconds\n"
	"  tree = {                           -- made on the server first\n"
	"    ReplicatedStorage = { RemoteEvent = \"RemoteEvent\" },\n"
	"  },\n"
	"  server = [[\n"
	"    local remote = game:GetService(\"ReplicatedStorage\").RemoteEvent\n"
	"    remote.OnServerEvent:Connect(function(player, message)\n"
	"      print(player.Name, message)\n"
	"    end)\n"
	"  ]],\n"
	"  client = [[\n"
	"    local remote = game:GetService(\"ReplicatedStorage\").RemoteEvent\n"
	"    remote:FireServer(\"hello\")\n"
	"  ]],\n"
	"  timeline = {                       -- network and player events\n"
	"    -- { at = 1.0, disconnect = \"Player1\" },\n"
	"  },\n"
	"  duration = 5,\n"
	"  expect = {\n"
	"    output = {                       -- in this order\n"
	"      { \"server: Player1 hello\", at = 0.1 },\n"
	"    },\n"
	"    -- errors = { { peer = \"server\", match = \"pattern\" } },\n"
	"    -- blocked = { { peer = \"server\", on = \"InvokeClient\" } },\n"
	"  },\n"
	"}\n";

static int cmd_new(int argc, char **argv)
{
	if (argc != 2 || strchr(argv[1], '/') || argv[1][0] == '.' ||
	    strstr(argv[0], "..")) {
		fprintf(stderr, "rsim new: usage: rsim new SECTION NAME (NAME "
		        "without '/')\n");
		return EXIT_BADINPUT;
	}
	char dir[1024], path[1200];
	snprintf(dir, sizeof dir, "scenarios/%s", argv[0]);
	snprintf(path, sizeof path, "%s/%s.lua", dir, argv[1]);
	if (file_exists(path)) {
		fprintf(stderr, "rsim new: %s exists; not overwriting it\n", path);
		return EXIT_BADINPUT;
	}
	/* make each folder of the path */
	for (char *p = dir; (p = strchr(p + 1, '/')) != NULL;) {
		*p = '\0';
		mkdir(dir, 0777);
		*p = '/';
	}
	mkdir(dir, 0777);
	FILE *f = fopen(path, "wx");
	if (f == NULL) {
		fprintf(stderr, "rsim new: cannot write %s: %s\n", path,
		        strerror(errno));
		return EXIT_BADINPUT;
	}
	fprintf(f, SKELETON, argv[1], argv[0], argv[1]);
	if (fclose(f) != 0) {
		fprintf(stderr, "rsim new: cannot write %s: %s\n", path,
		        strerror(errno));
		remove(path);
		return EXIT_BADINPUT;
	}
	printf("%s\n", path);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_BADINPUT;
	}
	static const struct { const char *name; int (*fn)(int, char **); } cmds[] = {
		{ "run", cmd_run }, { "conformance", cmd_conformance },
		{ "report", cmd_report }, { "trace", cmd_trace }, { "new", cmd_new },
		{ "play", cmd_play },
	};
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 2, argv + 2);
	if (strcmp(argv[1], "--version") == 0) {
		printf("rsim %s\n", RSIM_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "rsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_BADINPUT;
}
