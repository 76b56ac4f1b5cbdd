/*
 * report -- results as JSON, and the writers that turn a results document
 * into what CI systems and people read: JUnit XML, TAP, a self-contained
 * HTML report with sequence diagrams, and Chrome trace-event JSON.
 *
 * The JSON document (schema: reports/results.schema.json) is the one
 * interchange format: `rsim conformance --json` writes it, `rsim report`
 * merges several (shards) and renders them.  Everything written is
 * deterministic: no wall clock, no addresses; times are integer virtual
 * microseconds.  Files are written whole or not at all (temp file + rename).
 */
#ifndef RSIM_REPORT_H
#define RSIM_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "rsim/scenario.h"

#define RS_REPORT_SCHEMA_VERSION 1

/* How a scenario ended, against the baseline of known failures. */
typedef enum rs_status {
	RS_ST_PASS,        /* passed, as expected */
	RS_ST_FAIL,        /* failed, not in the baseline */
	RS_ST_ERROR,       /* the file could not be loaded */
	RS_ST_XFAIL,       /* failed, listed in the baseline */
	RS_ST_XPASS        /* passed although the baseline lists it */
} rs_status;

const char *rs_status_name(rs_status s);

/* One scenario's entry of the "scenarios" array.  sc and r may be NULL
 * for a load error (then `file`, `reason` say what happened). `reason` is
 * the baseline's reason for XFAIL/XPASS, the error for ERROR.  New
 * reference (jansson convention). */
json_t *rs_report_scenario(const char *file, const rs_scenario *sc,
                           const rs_result *r, rs_status st,
                           const char *reason);

/* A section of the documentation, from conformance/manifest.json. */
typedef struct rs_section {
	const char *id, *title, *heading;
} rs_section;

/* The whole document: tool, options, sections, scenarios (stolen: the
 * array's reference passes to the document), summary.  `shard` may be
 * NULL ("K/N" otherwise); seed_override < 0 when --seed was not given. */
json_t *rs_report_document(json_t *scenarios, const rs_section *sections,
                           size_t nsections, const char *shard,
                           long long seed_override);

/* Merges the scenarios of several documents (shards of one run) into one
 * document, sorted by file then seed, with the summary recomputed.  The
 * result equals the document of the unsplit run.  New reference, or NULL
 * with a message in err. */
json_t *rs_report_merge(json_t *const *docs, size_t n, char *err,
                        size_t errlen);

/* Reads a results document, checking schema_version. NULL + err. */
json_t *rs_report_load(const char *path, char *err, size_t errlen);

/* Writers: 0 on success, -1 with a message in err.  File writers are
 * atomic (write to PATH.tmp-XXXXXX in the same folder, then rename). */
int rs_report_write_json(const json_t *doc, const char *path, char *err,
                         size_t errlen);
int rs_report_write_junit(const json_t *doc, const char *path, char *err,
                          size_t errlen);
int rs_report_write_tap(const json_t *doc, FILE *out);
int rs_report_write_html(const json_t *doc, const char *path, char *err,
                         size_t errlen);
/* Chrome trace-event JSON of one scenario entry (peers as processes,
 * threads as tracks, messages as flow events). */
int rs_report_write_chrome(const json_t *scenario, const char *path,
                           char *err, size_t errlen);

#endif
