/*
 * junit -- the results document as JUnit XML, the format CI systems
 * (Jenkins, GitLab, GitHub test reporters) read.
 *
 * One <testsuite> per documentation section (in the document's order,
 * uncovered sections as empty suites), one <testcase> per scenario run.
 * FAIL and XPASS are failures, ERROR an error, XFAIL skipped with the
 * baseline's reason.  The transcript goes to <system-out>.  No time or
 * host attributes: the file must not depend on when or where it ran.
 * The output validates against reports/junit.xsd.
 */
#include <string.h>

#include "report_internal.h"

#define NO_SECTION "(no section)"

typedef struct counts {
	long tests, failures, errors, skipped;
} counts;

static void count(counts *c, const json_t *e)
{
	c->tests++;
	switch (rs_report_status_of(e)) {
	case RS_ST_FAIL: case RS_ST_XPASS: c->failures++; break;
	case RS_ST_ERROR: c->errors++; break;
	case RS_ST_XFAIL: c->skipped++; break;
	default: break;
	}
}

static int in_section(const json_t *e, const char *id)
{
	const char *s = rs_report_str(e, "section", NULL);
	return id ? s && strcmp(s, id) == 0 : s == NULL;
}

static counts count_section(const json_t *scen, const char *id)
{
	counts c = { 0, 0, 0, 0 };
	size_t i;
	json_t *e;
	json_array_foreach(scen, i, e)
		if (in_section(e, id))
			count(&c, e);
	return c;
}

static void attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	rs_report_xml(out, value, strlen(value));
	fputc('"', out);
}

static void counts_attrs(FILE *out, counts c)
{
	fprintf(out, " tests=\"%ld\" failures=\"%ld\" errors=\"%ld\" "
	        "skipped=\"%ld\" time=\"0\"", c.tests, c.failures, c.errors,
	        c.skipped);
}

static void text(FILE *out, const char *s)
{
	rs_report_xml(out, s, strlen(s));
}

static const char *kind_tag(const char *kind)
{
	if (strcmp(kind, "warn") == 0)
		return "warning: ";
	if (strcmp(kind, "error") == 0)
		return "error: ";
	return strcmp(kind, "info") == 0 ? "-- " : "";
}

/* The transcript as `rsim run` prints it, then the blocked threads. */
static void system_out(FILE *out, const json_t *e)
{
	const json_t *tr = json_object_get(e, "transcript");
	const json_t *bl = json_object_get(e, "blocked");
	if (json_array_size(tr) == 0 && json_array_size(bl) == 0)
		return;
	fputs("   <system-out>", out);
	size_t i;
	json_t *l;
	json_array_foreach(tr, i, l) {
		fputc('[', out);
		rs_report_time(out, rs_report_int(l, "t_us", 0));
		fputs("] ", out);
		text(out, rs_report_peer(e, rs_report_int(l, "peer", 0)));
		fputs(": ", out);
		fputs(kind_tag(rs_report_str(l, "kind", "")), out);
		rs_report_xml_json(out, json_object_get(l, "text"));
		fputc('\n', out);
	}
	json_int_t total = rs_report_int(e, "transcript_total", 0);
	if (total > (json_int_t)json_array_size(tr))
		fprintf(out, "... %lld more lines not kept\n",
		        (long long)(total - (json_int_t)json_array_size(tr)));
	json_array_foreach(bl, i, l) {
		fputs("blocked: ", out);
		text(out, rs_report_peer(e, rs_report_int(l, "peer", 0)));
		fputs(": ", out);
		text(out, rs_report_str(l, "where", "?"));
		fputs(" waits on ", out);
		text(out, rs_report_str(l, "on", "?"));
		fputs(" since ", out);
		rs_report_time(out, rs_report_int(l, "since_us", 0));
		fputc('\n', out);
	}
	fputs("</system-out>\n", out);
}

/* The expected/nearest details of every failed expectation. */
static void failure_body(FILE *out, const json_t *e)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(e, "failures"), i, f) {
		text(out, rs_report_str(e, "file", "?"));
		json_int_t line = rs_report_int(f, "line", 0);
		if (line > 0)
			fprintf(out, ":%lld", (long long)line);
		fputs(": ", out);
		text(out, rs_report_str(f, "what", "?"));
		fputc('\n', out);
		const char *x = rs_report_str(f, "expected", NULL);
		const char *near = rs_report_str(f, "nearest", NULL);
		if (x) {
			fputs("  expected: ", out);
			text(out, x);
			fputc('\n', out);
		}
		if (near) {
			fputs(x ? "  nearest:  " : "  actual:   ", out);
			text(out, near);
			fputc('\n', out);
		}
	}
	fputs("replay: ", out);
	text(out, rs_report_str(e, "replay", ""));
	fputc('\n', out);
}

static void failure_message(FILE *out, const json_t *e)
{
	const json_t *fs = json_object_get(e, "failures");
	const char *what = rs_report_str(json_array_get(fs, 0), "what", NULL);
	fputs("    <failure type=\"fail\"", out);
	attr(out, "message", what ? what : "failed");
	fputc('>', out);
	failure_body(out, e);
	fputs("</failure>\n", out);
}

static void outcome(FILE *out, const json_t *e)
{
	const char *reason = rs_report_str(e, "reason", "");
	char msg[1024];
	switch (rs_report_status_of(e)) {
	case RS_ST_FAIL:
		failure_message(out, e);
		break;
	case RS_ST_XPASS:
		snprintf(msg, sizeof msg, "unexpected pass: the baseline lists it "
		         "as a known failure (%s)", reason);
		fputs("    <failure type=\"xpass\"", out);
		attr(out, "message", msg);
		fputs(">remove it from the baseline: ", out);
		text(out, reason);
		fputs("</failure>\n", out);
		break;
	case RS_ST_ERROR:
		fputs("    <error type=\"error\"", out);
		attr(out, "message", *reason ? reason : "could not be run");
		fputc('>', out);
		text(out, reason);
		fputs("</error>\n", out);
		break;
	case RS_ST_XFAIL:
		snprintf(msg, sizeof msg, "known failure: %s", reason);
		fputs("    <skipped", out);
		attr(out, "message", msg);
		fputs(">", out);
		failure_body(out, e);
		fputs("</skipped>\n", out);
		break;
	default:
		break;
	}
}

/* Several seeds of one file share a title: the seed tells them apart. */
static int seed_in_name(const json_t *scen, size_t i)
{
	const char *f = rs_report_str(json_array_get(scen, i), "file", "");
	const json_t *prev = i > 0 ? json_array_get(scen, i - 1) : NULL;
	const json_t *next = json_array_get(scen, i + 1);
	return (prev && strcmp(rs_report_str(prev, "file", ""), f) == 0) ||
	       (next && strcmp(rs_report_str(next, "file", ""), f) == 0);
}

static void testcase(FILE *out, const json_t *scen, size_t i,
                     const char *section)
{
	const json_t *e = json_array_get(scen, i);
	fputs("  <testcase", out);
	attr(out, "classname", section);
	if (seed_in_name(scen, i)) {
		char name[1200];
		snprintf(name, sizeof name, "%s (seed %lld)", rs_report_name(e),
		         (long long)rs_report_int(e, "seed", 0));
		attr(out, "name", name);
	} else {
		attr(out, "name", rs_report_name(e));
	}
	attr(out, "file", rs_report_str(e, "file", "?"));
	fputs(" time=\"0\">\n", out);
	outcome(out, e);
	system_out(out, e);
	fputs("  </testcase>\n", out);
}

static void testsuite(FILE *out, const json_t *scen, const char *id)
{
	fputs(" <testsuite", out);
	attr(out, "name", id ? id : NO_SECTION);
	counts_attrs(out, count_section(scen, id));
	fputs(">\n", out);
	size_t i;
	json_t *e;
	json_array_foreach(scen, i, e)
		if (in_section(e, id))
			testcase(out, scen, i, id ? id : NO_SECTION);
	fputs(" </testsuite>\n", out);
}

static int emit(FILE *out, const void *ctx)
{
	const json_t *doc = ctx;
	const json_t *scen = json_object_get(doc, "scenarios");
	counts all = { 0, 0, 0, 0 };
	size_t i;
	json_t *e;
	int orphans = 0;
	json_array_foreach(scen, i, e) {
		count(&all, e);
		orphans |= rs_report_str(e, "section", NULL) == NULL;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"
	      " name=\"rsim\"", out);
	counts_attrs(out, all);
	fputs(">\n", out);
	json_array_foreach(json_object_get(doc, "sections"), i, e)
		testsuite(out, scen, rs_report_str(e, "id", ""));
	if (orphans)
		testsuite(out, scen, NULL);
	fputs("</testsuites>\n", out);
	return ferror(out) ? -1 : 0;
}

int rs_report_write_junit(const json_t *doc, const char *path, char *err,
                          size_t errlen)
{
	return rs_report_atomic_write(path, emit, doc, err, errlen);
}
