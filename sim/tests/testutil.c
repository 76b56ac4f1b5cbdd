/* testutil.c -- shared helpers of the scenario-driven tests. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/rsim-test-XXXXXX";

const char *tu_write_tmp(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

rs_result *tu_run_text(const char *text)
{
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(tu_write_tmp("t.lua", text), &err);
	char msg[1200] = "";
	if (sc == NULL)
		rs_scenario_error_format(&err, msg, sizeof msg);
	ck_assert_msg(sc != NULL, "load failed: %s", msg);
	rs_result *r = rs_scenario_run(sc, sc->seed);
	ck_assert_ptr_nonnull(r);
	rs_scenario_free(sc);
	return r;
}

char *tu_transcript(const rs_result *r, int with_info)
{
	size_t cap = 1, n = 0;
	for (size_t i = 0; i < r->trace.len; i++)
		cap += strlen(r->trace.entries[i].text) + 96;
	char *out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	out[0] = '\0';
	for (size_t i = 0; i < r->trace.len; i++) {
		const rs_entry *e = &r->trace.entries[i];
		if (e->kind == RS_OUT_INFO && !with_info)
			continue;
		char ms[RS_NUMBUF];
		rs_fmtnum((double)e->time / 1000.0, ms);
		const char *kind = e->kind == RS_OUT_WARN ? " warn"
		                 : e->kind == RS_OUT_ERROR ? " error"
		                 : e->kind == RS_OUT_INFO ? " info" : "";
		n += (size_t)snprintf(out + n, cap - n, "%s %s%s: %s\n", ms,
		                      r->peer_names[e->peer], kind, e->text);
	}
	return out;
}

char *tu_run_transcript(const char *text)
{
	rs_result *r = tu_run_text(text);
	char *got = tu_transcript(r, 0);
	rs_result_free(r);
	return got;
}

int tu_run_suite(Suite *s)
{
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
