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

#include "rsim/scenario.h"

#define EXIT_FAILED 1
#define EXIT_BADINPUT 2

static void usage(FILE *f)
{
	fputs("usage: rsim run [--seed N] FILE...\n"
	      "       rsim --version\n"
	      "\n"
	      "  run   run scenario files and print their transcripts;\n"
	      "        exit 0 if all pass, 1 if one fails, 2 on bad input\n",
	      f);
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

static void print_result(FILE *f, const rs_scenario *sc, const rs_result *r)
{
	fprintf(f, "== %s: %s\n", sc->path, sc->title);
	for (size_t i = 0; i < r->trace.len; i++) {
		const rs_entry *e = &r->trace.entries[i];
		print_time(f, e->time);
		fprintf(f, " %s: %s%s\n", r->peer_names[e->peer],
		        kind_tag(e->kind), e->text);
	}
	for (size_t i = 0; i < r->nblocked; i++) {
		const rs_blocked *b = &r->blocked[i];
		fprintf(f, "blocked: %s: %s waits on %s since ",
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
	int have_seed = 0, nfiles = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0) {
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
		if (!r->passed && status == 0)
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

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_BADINPUT;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 2, argv + 2);
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
