/*
 * report_internal -- helpers shared by the report writers (report.c,
 * junit.c, tap.c, html.c, chrome.c).  Not part of the library's API.
 *
 * Writers read only the results document (json_t), never rs_result: a
 * merged document from shards must render exactly like an unsplit run.
 */
#ifndef RSIM_REPORT_INTERNAL_H
#define RSIM_REPORT_INTERNAL_H

#include <stdio.h>

#include <jansson.h>

#include "rsim/report.h"

/* Emits a whole file to out; returns 0, or -1 when it cannot. */
typedef int (*rs_report_emit_fn)(FILE *out, const void *ctx);

/* Writes path atomically: emit into PATH.tmp-XXXXXX in the same folder,
 * flush, fsync, rename over path.  On any failure the temp file is
 * removed, path is left as it was, and err says what went wrong. */
int rs_report_atomic_write(const char *path, rs_report_emit_fn emit,
                           const void *ctx, char *err, size_t errlen);

/* Writes s[0..len) escaped for XML 1.0 text and attribute values (and so
 * for HTML): & < > " ' as references, characters XML 1.0 forbids (C0
 * controls other than tab, LF, CR; U+FFFE, U+FFFF) and invalid UTF-8 as
 * U+FFFD. */
void rs_report_xml(FILE *out, const char *s, size_t len);
/* The same for a JSON string value (NULL or not a string: nothing). */
void rs_report_xml_json(FILE *out, const json_t *str);

/* obj[key] as a string, or dflt when absent or not a string. */
const char *rs_report_str(const json_t *obj, const char *key,
                          const char *dflt);
/* obj[key] as an integer, or dflt. */
json_int_t rs_report_int(const json_t *obj, const char *key,
                         json_int_t dflt);
/* Virtual time as the transcript prints it: "1.050" (seconds, ms). */
void rs_report_time(FILE *out, json_int_t us);
/* The name of peer index i of a scenario entry ("server", "Player1"). */
const char *rs_report_peer(const json_t *scenario, json_int_t i);
/* The status of an entry, parsed; RS_ST_ERROR when unknown. */
rs_status rs_report_status_of(const json_t *scenario);
/* What a reader calls an entry: its title, or its file for load errors. */
const char *rs_report_name(const json_t *scenario);

#endif
