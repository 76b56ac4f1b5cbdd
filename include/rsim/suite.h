/*
 * suite -- the conformance suite: finds scenario files, runs them (in
 * parallel worker processes when asked), compares outcomes with the
 * baseline of known failures and groups them by documentation section.
 *
 * The result of a suite run is a results document (report.h) whose bytes
 * do not depend on the number of workers: every worker runs a fixed subset
 * and the parent sorts the entries by file and seed.
 */
#ifndef RSIM_SUITE_H
#define RSIM_SUITE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "rsim/report.h"

typedef struct rs_suite_options {
	const char *dir;          /* scenarios folder */
	const char *manifest;     /* sections, or NULL */
	const char *baseline;     /* known failures, or NULL */
	int jobs;                 /* worker processes; 1 = in this process */
	int shard_k, shard_n;     /* run files i with i % n == k - 1 */
	long long seed;           /* < 0: each scenario's own */
	uint64_t seeds_from, seeds_to;  /* seeds_to >= seeds_from: a range */
	int seed_range;
} rs_suite_options;

/* The sorted list of *.lua files below dir (caller frees each and the
 * array).  Returns -1 with a message when dir cannot be read. */
int rs_suite_discover(const char *dir, char ***files, size_t *n, char *err,
                      size_t errlen);

/* Runs the suite.  Returns the results document (new reference) or NULL
 * with a message. */
json_t *rs_suite_run(const rs_suite_options *opt, char *err, size_t errlen);

/* Prints the per-section table and the details of every unexpected
 * outcome; returns the number of unexpected outcomes (fail, error,
 * unexpected pass). */
int rs_suite_print(const json_t *doc, FILE *out);

#endif
