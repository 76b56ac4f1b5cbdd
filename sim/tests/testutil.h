/*
 * testutil.h -- what the tests that run whole scenarios share: a private
 * temporary folder, writing a scenario there, running it, and reading its
 * transcript back as "ms peer: text" lines.
 */
#ifndef RSIM_TESTUTIL_H
#define RSIM_TESTUTIL_H

#include <check.h>

#include "rsim/scenario.h"

/* Writes text to NAME in the test's temporary folder; returns the path
 * (a static buffer, valid until the next call). */
const char *tu_write_tmp(const char *name, const char *text);
/* Loads and runs scenario text with its own seed; the scenario is freed. */
rs_result *tu_run_text(const char *text);
/* The transcript, one "ms peer: text" line per entry; warnings and errors
 * read "ms peer warn: text" and "ms peer error: text"; simulator notes
 * ("Player1 joined") are left out unless with_info.  Caller frees. */
char *tu_transcript(const rs_result *r, int with_info);
/* tu_run_text, then tu_transcript without notes. Caller frees. */
char *tu_run_transcript(const char *text);
/* Runs the suite in a fresh temporary folder, removed afterwards;
 * returns the process exit status. */
int tu_run_suite(Suite *s);

/* Runs text and checks the whole transcript (without notes); a macro so
 * that a failure names the test's line. */
#define expect_transcript(text, want) do { \
		char *got_ = tu_run_transcript(text); \
		ck_assert_str_eq(got_, want); \
		free(got_); \
	} while (0)

#endif
