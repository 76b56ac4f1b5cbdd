/*
 * tap -- the results document as TAP version 13 (Test Anything Protocol).
 *
 * One test point per scenario run, in the document's order: "ok" for a
 * pass, "not ok ... # TODO known failure: reason" for an expected failure
 * (TODO points do not fail a TAP run), "not ok" for a failure, a load
 * error or an unexpected pass.  Every "not ok" carries a YAML block with
 * the status, the file, the failed expectations and the replay command.
 */
#include <string.h>

#include "report_internal.h"

/* A description must not contain '#' (it would start a directive) nor a
 * line break (it would end the test line). */
static void description(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '#')
			fputs("\\#", out);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
}

/* A YAML double-quoted scalar. */
static void yaml_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void yaml_field(FILE *out, const char *indent, const char *key,
                       const char *value)
{
	if (value == NULL)
		return;
	fprintf(out, "%s%s: ", indent, key);
	yaml_str(out, value);
	fputc('\n', out);
}

static void diagnostics(FILE *out, const json_t *e)
{
	fputs("  ---\n", out);
	yaml_field(out, "  ", "status", rs_report_str(e, "status", "error"));
	yaml_field(out, "  ", "file", rs_report_str(e, "file", "?"));
	yaml_field(out, "  ", "reason", rs_report_str(e, "reason", NULL));
	const json_t *fs = json_object_get(e, "failures");
	if (json_array_size(fs) > 0) {
		fputs("  failures:\n", out);
		size_t i;
		json_t *f;
		json_array_foreach(fs, i, f) {
			fputs("    - what: ", out);
			yaml_str(out, rs_report_str(f, "what", "?"));
			fputc('\n', out);
			yaml_field(out, "      ", "expected",
			           rs_report_str(f, "expected", NULL));
			yaml_field(out, "      ", "nearest",
			           rs_report_str(f, "nearest", NULL));
			json_int_t line = rs_report_int(f, "line", 0);
			if (line > 0)
				fprintf(out, "      line: %lld\n", (long long)line);
		}
	}
	yaml_field(out, "  ", "replay", rs_report_str(e, "replay", NULL));
	fputs("  ...\n", out);
}

static void point(FILE *out, size_t n, const json_t *e)
{
	rs_status st = rs_report_status_of(e);
	fprintf(out, "%s %zu - ", st == RS_ST_PASS ? "ok" : "not ok", n);
	description(out, rs_report_str(e, "section", "(no section)"));
	fputs(": ", out);
	description(out, rs_report_name(e));
	if (st == RS_ST_XFAIL) {
		fputs(" # TODO known failure: ", out);
		description(out, rs_report_str(e, "reason", ""));
	}
	fputc('\n', out);
	if (st != RS_ST_PASS)
		diagnostics(out, e);
}

int rs_report_write_tap(const json_t *doc, FILE *out)
{
	const json_t *scen = json_object_get(doc, "scenarios");
	fprintf(out, "TAP version 13\n1..%zu\n", json_array_size(scen));
	size_t i;
	json_t *e;
	json_array_foreach(scen, i, e)
		point(out, i + 1, e);
	return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
