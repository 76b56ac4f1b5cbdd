/*
 * html -- the results document as one self-contained HTML file: inline
 * CSS and JS, no external resource, readable offline and from a CI
 * artifact.
 *
 * At the top the per-section table (the manifest's sections, covered or
 * not) and the summary, a "show failures only" filter; then, section by
 * section, one <details> per scenario run.  A scenario's body (facts,
 * failed expectations, replay command, sequence diagram in inline SVG,
 * transcript, blocked threads, faults) sits in a <template> that the
 * script instantiates when the <details> opens: a report of 1,000
 * scenarios stays quick to open.  Failing scenarios open by themselves
 * (the first few), and "#all" in the address opens every one.
 *
 * Everything from the document is escaped: scripts print what they like.
 */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "html_assets.h"

/* Drawing budgets: beyond these a diagram or transcript says what it
 * left out instead of growing without bound. */
#define MAX_LIFELINES 12
#define MAX_ARROWS 400
#define MAX_DOTS 400
#define MAX_HTML_LINES 2000
#define AUTO_OPEN 20

/* Diagram geometry, in pixels. */
#define AXIS_W 64
#define COL_W 120
#define TOP 44
#define PX_PER_SEC 400
#define MIN_STEP 8
#define MAX_STEP 80
#define LABEL_MAX 28

static void esc(FILE *out, const char *s)
{
	rs_report_xml(out, s, strlen(s));
}

static void esc_json(FILE *out, const json_t *obj, const char *key,
                     const char *dflt)
{
	const json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		rs_report_xml_json(out, v);
	else
		esc(out, dflt);
}

/* Microseconds as milliseconds without trailing zeros: "50", "12.5". */
static void ms(FILE *out, json_int_t us)
{
	if (us < 0) {
		fputc('-', out);
		us = -us;
	}
	fprintf(out, "%lld", (long long)(us / 1000));
	json_int_t frac = us % 1000;
	if (frac) {
		char buf[8];
		snprintf(buf, sizeof buf, "%03lld", (long long)frac);
		for (int i = 2; i > 0 && buf[i] == '0'; i--)
			buf[i] = '\0';
		fprintf(out, ".%s", buf);
	}
	fputs(" ms", out);
}

static void badge(FILE *out, rs_status st)
{
	static const char *const text[] = {
		"PASS", "FAIL", "ERROR", "XFAIL", "XPASS"
	};
	fprintf(out, "<span class=\"badge st-%s\">%s</span>", rs_status_name(st),
	        text[st]);
}

/* ---- head, summary, section table ---- */

static void head(FILE *out, const json_t *doc)
{
	const json_t *tool = json_object_get(doc, "tool");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n<title>rsim report</title>\n<style>\n", out);
	fputs(rs_report_html_css, out);
	fputs("</style>\n</head>\n<body>\n<header>\n<h1>rsim conformance "
	      "report</h1>\n<p class=\"tool\">", out);
	esc_json(out, tool, "name", "rsim");
	fputc(' ', out);
	esc_json(out, tool, "version", "?");
	const json_t *opt = json_object_get(doc, "options");
	if (json_is_string(json_object_get(opt, "shard"))) {
		fputs(" &middot; shard ", out);
		esc_json(out, opt, "shard", "");
	}
	if (json_is_integer(json_object_get(opt, "seed")))
		fprintf(out, " &middot; --seed %lld",
		        (long long)rs_report_int(opt, "seed", 0));
	fputs("</p>\n", out);
}

static void summary(FILE *out, const json_t *doc)
{
	const json_t *s = json_object_get(doc, "summary");
	json_int_t bad = rs_report_int(s, "failed", 0) +
	                 rs_report_int(s, "errors", 0) +
	                 rs_report_int(s, "xpass", 0);
	fprintf(out, "<p class=\"summary %s\"><b>%lld</b> scenario runs: "
	        "<span class=\"st-pass\">%lld passed</span>, "
	        "<span class=\"st-fail\">%lld failed</span>, "
	        "<span class=\"st-error\">%lld errors</span>, "
	        "<span class=\"st-xfail\">%lld known failures</span>, "
	        "<span class=\"st-xpass\">%lld unexpected passes</span></p>\n",
	        bad ? "bad" : "good", (long long)rs_report_int(s, "total", 0),
	        (long long)rs_report_int(s, "passed", 0),
	        (long long)rs_report_int(s, "failed", 0),
	        (long long)rs_report_int(s, "errors", 0),
	        (long long)rs_report_int(s, "xfail", 0),
	        (long long)rs_report_int(s, "xpass", 0));
	fputs("<p class=\"controls\"><label><input type=\"checkbox\" "
	      "id=\"only-failures\"> show failures only</label> "
	      "<button type=\"button\" id=\"open-all\">expand all</button> "
	      "<button type=\"button\" id=\"close-all\">collapse all</button>"
	      "</p>\n</header>\n", out);
}

static void count_cell(FILE *out, const json_t *sec, const char *key)
{
	json_int_t n = rs_report_int(sec, key, 0);
	int plain = strcmp(key, "pass") == 0 || strcmp(key, "total") == 0;
	fprintf(out, "<td class=\"n%s%s\">%lld</td>", n == 0 ? " zero" :
	        plain ? "" : " st-", n == 0 || plain ? "" : key, (long long)n);
}

static void section_row(FILE *out, const json_t *sec)
{
	int covered = json_is_true(json_object_get(sec, "covered"));
	int bad = rs_report_int(sec, "fail", 0) + rs_report_int(sec, "error", 0) +
	          rs_report_int(sec, "xpass", 0) > 0;
	fprintf(out, "<tr class=\"%s\"><td><a href=\"#s-",
	        !covered ? "uncovered" : bad ? "bad" : "good");
	esc_json(out, sec, "id", "");
	fputs("\">", out);
	esc_json(out, sec, "title", "");
	fputs("</a><br><code>", out);
	esc_json(out, sec, "id", "");
	fputs("</code></td><td>", out);
	esc_json(out, sec, "heading", json_is_false(json_object_get(sec,
	         "listed")) ? "(not in the manifest)" : "");
	fputs("</td>", out);
	static const char *const keys[] = {
		"total", "pass", "fail", "xfail", "xpass", "error"
	};
	for (int i = 0; i < 6; i++)
		count_cell(out, sec, keys[i]);
	fprintf(out, "<td>%s</td></tr>\n", covered ? "yes"
	        : "<span class=\"st-fail\">no</span>");
}

static void section_table(FILE *out, const json_t *doc)
{
	fputs("<table class=\"sections\" id=\"sections\">\n<thead><tr>"
	      "<th>Section</th><th>Heading</th><th>Total</th><th>Pass</th>"
	      "<th>Fail</th><th>XFail</th><th>XPass</th><th>Error</th>"
	      "<th>Covered</th></tr></thead>\n<tbody>\n", out);
	size_t i;
	json_t *sec;
	json_array_foreach(json_object_get(doc, "sections"), i, sec)
		section_row(out, sec);
	fputs("</tbody>\n</table>\n", out);
}

/* ---- scenario facts ---- */

static void fact(FILE *out, const char *name)
{
	fprintf(out, "<dt>%s</dt><dd>", name);
}

static void network(FILE *out, const json_t *net)
{
	if (!json_is_object(net)) {
		fputs("&mdash;", out);
		return;
	}
	fputs("latency up ", out);
	ms(out, rs_report_int(net, "latency_up_us", 0));
	fputs(", down ", out);
	ms(out, rs_report_int(net, "latency_down_us", 0));
	fputs(", jitter ", out);
	ms(out, rs_report_int(net, "jitter_us", 0));
	fputs(" (", out);
	esc_json(out, net, "jitter", "uniform");
	json_int_t ppm = rs_report_int(net, "loss_ppm", 0);
	fprintf(out, "), loss %lld.%04lld%%", (long long)(ppm / 10000),
	        (long long)(ppm % 10000));
	json_int_t bw = rs_report_int(net, "bandwidth", 0);
	if (bw > 0)
		fprintf(out, ", bandwidth %lld bytes/s", (long long)bw);
	else
		fputs(", unlimited bandwidth", out);
}

static void facts(FILE *out, const json_t *e)
{
	fputs("<dl class=\"facts\">", out);
	fact(out, "file");
	fputs("<code>", out);
	esc_json(out, e, "file", "?");
	fputs("</code></dd>", out);
	fact(out, "section");
	esc_json(out, e, "section", "(none)");
	fputs("</dd>", out);
	fact(out, "status");
	badge(out, rs_report_status_of(e));
	if (json_is_string(json_object_get(e, "reason"))) {
		fputc(' ', out);
		esc_json(out, e, "reason", "");
	}
	fputs("</dd>", out);
	fact(out, "seed");
	const json_t *seed = json_object_get(e, "seed");
	if (json_is_integer(seed))
		fprintf(out, "%lld", (long long)json_integer_value(seed));
	else
		esc_json(out, e, "seed", "&mdash;");
	fputs("</dd>", out);
	fact(out, "clients");
	fprintf(out, "%lld</dd>", (long long)rs_report_int(e, "clients", 0));
	fact(out, "network");
	network(out, json_object_get(e, "network"));
	fputs("</dd>", out);
	fact(out, "ended at");
	rs_report_time(out, rs_report_int(e, "end_us", 0));
	fputs(" s</dd>", out);
	fact(out, "replay");
	fputs("<code class=\"replay\">", out);
	esc_json(out, e, "replay", "");
	fputs("</code></dd></dl>\n", out);
}

static void failures(FILE *out, const json_t *e)
{
	const json_t *fs = json_object_get(e, "failures");
	if (json_array_size(fs) == 0)
		return;
	fputs("<h4>Failed expectations</h4>\n<table class=\"failures\"><thead>"
	      "<tr><th>line</th><th>what</th><th>expected</th><th>nearest</th>"
	      "</tr></thead><tbody>\n", out);
	size_t i;
	json_t *f;
	json_array_foreach(fs, i, f) {
		json_int_t line = rs_report_int(f, "line", 0);
		fputs("<tr><td>", out);
		if (line > 0)
			fprintf(out, "%lld", (long long)line);
		fputs("</td><td>", out);
		esc_json(out, f, "what", "?");
		fputs("</td><td><code>", out);
		esc_json(out, f, "expected", "");
		fputs("</code></td><td><code>", out);
		esc_json(out, f, "nearest", "");
		fputs("</code></td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

/* ---- sequence diagram ---- */

/* Virtual time to a y coordinate.  The axis is a sorted list of points
 * (time, key): key -1 marks a time (a print, a fault), key 2i and 2i+1
 * the send and the delivery of message i, so that messages at one same
 * time still get rows of their own.  Each point is at least MIN_STEP
 * below the previous (SAME_STEP for a tie) and at most MAX_STEP (long
 * idle gaps are compressed), proportional to time in between. */
typedef struct point {
	json_int_t t;
	long key;
} point;

typedef struct axis {
	point *p;
	int *y;
	size_t n, cap;
} axis;

#define SAME_STEP 10

static void axis_add(axis *a, json_int_t t, long key)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		point *np = realloc(a->p, cap * sizeof *np);
		if (np == NULL)
			return;
		a->p = np;
		a->cap = cap;
	}
	a->p[a->n].t = t;
	a->p[a->n++].key = key;
}

static int cmp_point(const void *x, const void *y)
{
	const point *a = x, *b = y;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->key < b->key ? -1 : a->key > b->key;
}

static void axis_build(axis *a)
{
	qsort(a->p, a->n, sizeof *a->p, cmp_point);
	size_t k = 0;
	for (size_t i = 0; i < a->n; i++)
		if (k == 0 || cmp_point(&a->p[i], &a->p[k - 1]) != 0)
			a->p[k++] = a->p[i];
	a->n = k;
	a->y = malloc((k ? k : 1) * sizeof *a->y);
	if (a->y == NULL) {
		a->n = 0;
		return;
	}
	int y = TOP;
	for (size_t i = 0; i < k; i++) {
		if (i > 0) {
			json_int_t d = (a->p[i].t - a->p[i - 1].t) * PX_PER_SEC /
			               RS_USEC_PER_SEC;
			y += a->p[i].t == a->p[i - 1].t ? SAME_STEP
			     : d < MIN_STEP ? MIN_STEP : d > MAX_STEP ? MAX_STEP
			     : (int)d;
		}
		a->y[i] = y;
	}
}

/* The y of the first point at or after (t, key). */
static int axis_at(const axis *a, json_int_t t, long key)
{
	point want = { t, key };
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp_point(&a->p[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= a->n)
		return a->n ? a->y[a->n - 1] : TOP;
	return a->y[lo];
}

static int axis_y(const axis *a, json_int_t t)
{
	return axis_at(a, t, -1);
}

static int col_x(json_int_t peer)
{
	return AXIS_W + COL_W / 2 + (int)peer * COL_W;
}

/* A label cut to LABEL_MAX characters (not bytes: never split UTF-8). */
static void short_label(FILE *out, const char *s)
{
	size_t n = strlen(s), chars = 0, i = 0;
	while (i < n && chars < LABEL_MAX) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	rs_report_xml(out, s, i);
	if (i < n)
		fputs("&hellip;", out);
}

typedef struct diagram {
	const json_t *e;
	int npeers;            /* lifelines drawn */
	json_int_t end;
	axis ax;
	size_t arrows, skipped_peer, skipped_cap, dots;
	int id;
} diagram;

static int drawn(const diagram *d, json_int_t peer)
{
	return peer >= 0 && peer < d->npeers;
}

static json_int_t peer_by_name(const json_t *e, const char *name)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(e, "peers"), i, p)
		if (name && json_string_value(p) &&
		    strcmp(json_string_value(p), name) == 0)
			return (json_int_t)i;
	return -1;
}

/* When a fault band ends: a partition at its heal (given or the next heal
 * event), a disconnect at the player's next join, else the end. */
static json_int_t band_end(const diagram *d, const json_t *f, size_t i)
{
	const char *kind = rs_report_str(f, "kind", "");
	const char *who = rs_report_str(f, "player", "");
	const char *closer = strcmp(kind, "partition") == 0 ? "heal" : "join";
	json_int_t heal = rs_report_int(f, "heal_at_us", -1);
	if (heal >= 0)
		return heal;
	const json_t *all = json_object_get(d->e, "faults");
	for (size_t k = i + 1; k < json_array_size(all); k++) {
		const json_t *g = json_array_get(all, k);
		if (strcmp(rs_report_str(g, "kind", ""), closer) == 0 &&
		    strcmp(rs_report_str(g, "player", ""), who) == 0)
			return rs_report_int(g, "at_us", d->end);
	}
	return d->end;
}

static void collect_times(diagram *d)
{
	const json_t *e = d->e;
	axis_add(&d->ax, 0, -1);
	axis_add(&d->ax, d->end, -1);
	size_t i, n = 0;
	json_t *x;
	json_array_foreach(json_object_get(e, "messages"), i, x) {
		if (!drawn(d, rs_report_int(x, "from", -1)) ||
		    !drawn(d, rs_report_int(x, "to", -1)))
			continue;
		if (n++ == MAX_ARROWS)
			break;
		axis_add(&d->ax, rs_report_int(x, "sent_us", 0), 2 * (long)i);
		if (json_is_integer(json_object_get(x, "delivered_us")))
			axis_add(&d->ax, rs_report_int(x, "delivered_us", 0),
			         2 * (long)i + 1);
	}
	n = 0;
	json_array_foreach(json_object_get(e, "transcript"), i, x) {
		if (!drawn(d, rs_report_int(x, "peer", -1)))
			continue;
		if (n++ == MAX_DOTS)
			break;
		axis_add(&d->ax, rs_report_int(x, "t_us", 0), -1);
	}
	json_array_foreach(json_object_get(e, "faults"), i, x) {
		axis_add(&d->ax, rs_report_int(x, "at_us", 0), -1);
		axis_add(&d->ax, band_end(d, x, i), -1);
	}
	axis_build(&d->ax);
}

static void lifelines(FILE *out, diagram *d, int bottom)
{
	for (int p = 0; p < d->npeers; p++) {
		int x = col_x(p);
		fprintf(out, "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
		        "y2=\"%d\"/><text class=\"peer c%d\" x=\"%d\" y=\"18\">",
		        x, TOP - 14, x, bottom, p % 8, x);
		short_label(out, rs_report_peer(d->e, p));
		fputs("</text>\n", out);
	}
}

/* Time labels on the left, skipping those that would overlap. */
static void time_axis(FILE *out, const diagram *d)
{
	int last = -100;
	json_int_t last_ms = -1;
	for (size_t i = 0; i < d->ax.n; i++) {
		/* labels print milliseconds: two times in one ms look alike */
		if (d->ax.y[i] - last < 14 || d->ax.p[i].t / 1000 == last_ms)
			continue;
		last = d->ax.y[i];
		last_ms = d->ax.p[i].t / 1000;
		fprintf(out, "<text class=\"tick\" x=\"%d\" y=\"%d\">",
		        AXIS_W - 6, last + 4);
		rs_report_time(out, d->ax.p[i].t);
		fputs("</text><line class=\"grid\" x1=\"", out);
		fprintf(out, "%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", AXIS_W - 2,
		        last, AXIS_W + d->npeers * COL_W, last);
	}
}

static void bands(FILE *out, diagram *d)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(d->e, "faults"), i, f) {
		const char *kind = rs_report_str(f, "kind", "?");
		json_int_t p = peer_by_name(d->e, rs_report_str(f, "player", NULL));
		if (!drawn(d, p))
			continue;
		json_int_t at = rs_report_int(f, "at_us", 0);
		int y0 = axis_y(&d->ax, at), x = col_x(p);
		int band = strcmp(kind, "partition") == 0 ||
		           strcmp(kind, "disconnect") == 0;
		if (band) {
			int y1 = axis_y(&d->ax, band_end(d, f, i));
			fprintf(out, "<rect class=\"band %s\" x=\"%d\" y=\"%d\" "
			        "width=\"16\" height=\"%d\">", kind, x - 8, y0,
			        y1 - y0 > 2 ? y1 - y0 : 2);
		} else {
			fprintf(out, "<rect class=\"mark %s\" x=\"%d\" y=\"%d\" "
			        "width=\"24\" height=\"4\">", kind, x - 12, y0 - 2);
		}
		fputs("<title>", out);
		esc(out, kind);
		fputc(' ', out);
		esc_json(out, f, "player", "?");
		fputs(" at ", out);
		rs_report_time(out, at);
		fputs("</title></rect>\n", out);
	}
}

static void arrow_label(FILE *out, int x, int y, const json_t *m)
{
	fprintf(out, "<text class=\"lbl\" x=\"%d\" y=\"%d\">", x, y);
	short_label(out, rs_report_str(m, "label", "?"));
	fputs("</text>", out);
}

static void arrow_title(FILE *out, const json_t *m)
{
	fputs("<title>", out);
	esc_json(out, m, "label", "?");
	fprintf(out, " (%lld bytes, %s, ", (long long)rs_report_int(m, "bytes",
	        0), json_is_true(json_object_get(m, "reliable"))
	        ? "reliable" : "unreliable");
	esc_json(out, m, "fate", "?");
	fputs(") sent ", out);
	rs_report_time(out, rs_report_int(m, "sent_us", 0));
	if (json_is_integer(json_object_get(m, "delivered_us"))) {
		fputs(", delivered ", out);
		rs_report_time(out, rs_report_int(m, "delivered_us", 0));
	}
	fputs("</title>", out);
}

/* One message: an arrow from (sender, sent) to (receiver, delivered), or
 * for a message that never arrived, an arrow stopping short at an X. */
static void arrow(FILE *out, diagram *d, const json_t *m, size_t i)
{
	json_int_t from = rs_report_int(m, "from", 0);
	json_int_t to = rs_report_int(m, "to", 0);
	int x0 = col_x(from), x1 = col_x(to);
	int y0 = axis_at(&d->ax, rs_report_int(m, "sent_us", 0), 2 * (long)i);
	int delivered = json_is_integer(json_object_get(m, "delivered_us"));
	int y1 = delivered ? axis_at(&d->ax, rs_report_int(m, "delivered_us", 0),
	                             2 * (long)i + 1)
	                   : y0 + MIN_STEP;
	if (!delivered)
		x1 = x0 + (x1 - x0) * 3 / 5;
	fprintf(out, "<g class=\"msg %s%s\">",
	        json_is_true(json_object_get(m, "reliable")) ? "rel" : "unrel",
	        delivered ? "" : " undelivered");
	arrow_title(out, m);
	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"", x0, y0,
	        x1, y1);
	if (delivered) {
		/* the marker id is per diagram: ids must be unique in a page */
		fprintf(out, " marker-end=\"url(#ah%d)\"/>", d->id);
	} else {
		fprintf(out, "/><path class=\"x\" d=\"M%d %dl8 8m0 -8l-8 8\"/>",
		        x1 - 4, y1 - 4);
	}
	/* near the sender: arrows converging on a receiver keep apart there */
	arrow_label(out, x0 + (x1 - x0) * 2 / 5, y0 + (y1 - y0) * 2 / 5 - 3, m);
	fputs("</g>\n", out);
}

/* Transcript lines as dots on their lifeline, the text as a tooltip. */
static void dots(FILE *out, diagram *d)
{
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(d->e, "transcript"), i, l) {
		json_int_t p = rs_report_int(l, "peer", -1);
		if (!drawn(d, p))
			continue;
		if (d->dots++ == MAX_DOTS)
			break;
		fprintf(out, "<circle class=\"dot k-%s c%d\" cx=\"%d\" cy=\"%d\" "
		        "r=\"3\"><title>[", rs_report_str(l, "kind", "print"),
		        (int)(p % 8), col_x(p), axis_y(&d->ax, rs_report_int(l,
		        "t_us", 0)));
		rs_report_time(out, rs_report_int(l, "t_us", 0));
		fputs("] ", out);
		esc_json(out, l, "text", "");
		fputs("</title></circle>\n", out);
	}
}

static void messages(FILE *out, diagram *d)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(d->e, "messages"), i, m) {
		if (!drawn(d, rs_report_int(m, "from", -1)) ||
		    !drawn(d, rs_report_int(m, "to", -1))) {
			d->skipped_peer++;
			continue;
		}
		if (d->arrows == MAX_ARROWS) {
			d->skipped_cap++;
			continue;
		}
		d->arrows++;
		arrow(out, d, m, i);
	}
}

/* What the diagram left out, said plainly under it. */
static void diagram_notes(FILE *out, const diagram *d)
{
	size_t npeers = json_array_size(json_object_get(d->e, "peers"));
	json_int_t total = rs_report_int(d->e, "messages_total", 0);
	size_t kept = json_array_size(json_object_get(d->e, "messages"));
	if (npeers > (size_t)d->npeers)
		fprintf(out, "<p class=\"note\">%zu more clients are not drawn "
		        "(%zu messages to or from them).</p>\n",
		        npeers - (size_t)d->npeers, d->skipped_peer);
	if (d->skipped_cap)
		fprintf(out, "<p class=\"note\">Only the first %d messages are "
		        "drawn; %zu more are not.</p>\n", MAX_ARROWS, d->skipped_cap);
	if (total > (json_int_t)kept)
		fprintf(out, "<p class=\"note\">The results keep %zu of %lld "
		        "messages.</p>\n", kept, (long long)total);
}

static void sequence_diagram(FILE *out, const json_t *e, int id)
{
	size_t npeers = json_array_size(json_object_get(e, "peers"));
	if (npeers == 0)
		return;
	diagram d = { .e = e, .id = id,
	              .npeers = npeers > MAX_LIFELINES ? MAX_LIFELINES
	                                               : (int)npeers,
	              .end = rs_report_int(e, "end_us", 0) };
	collect_times(&d);
	int bottom = (d.ax.n ? d.ax.y[d.ax.n - 1] : TOP) + 16;
	int width = AXIS_W + d.npeers * COL_W + 8;
	fputs("<h4>Sequence diagram</h4>\n<div class=\"diagram\">", out);
	fprintf(out, "<svg class=\"seq\" width=\"%d\" height=\"%d\" "
	        "viewBox=\"0 0 %d %d\" role=\"img\"><defs><marker id=\"ah%d\" "
	        "viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
	        "markerHeight=\"7\" orient=\"auto-start-reverse\"><path "
	        "d=\"M0 0L10 5L0 10z\"/></marker></defs>\n", width, bottom + 4,
	        width, bottom + 4, id);
	time_axis(out, &d);
	lifelines(out, &d, bottom);
	bands(out, &d);
	dots(out, &d);
	messages(out, &d);
	fputs("</svg></div>\n", out);
	diagram_notes(out, &d);
	free(d.ax.p);
	free(d.ax.y);
}

/* ---- transcript, blocked threads, faults ---- */

static void transcript(FILE *out, const json_t *e)
{
	const json_t *tr = json_object_get(e, "transcript");
	fputs("<h4>Transcript</h4>\n", out);
	if (json_array_size(tr) == 0) {
		fputs("<p class=\"note\">(empty)</p>\n", out);
		return;
	}
	fputs("<table class=\"transcript\"><tbody>\n", out);
	size_t i;
	json_t *l;
	json_array_foreach(tr, i, l) {
		if (i == MAX_HTML_LINES)
			break;
		json_int_t p = rs_report_int(l, "peer", 0);
		fprintf(out, "<tr class=\"k-%s\"><td class=\"t\">",
		        rs_report_str(l, "kind", "print"));
		rs_report_time(out, rs_report_int(l, "t_us", 0));
		fprintf(out, "</td><td class=\"p c%d\">", (int)(p % 8));
		esc(out, rs_report_peer(e, p));
		fputs("</td><td class=\"x\">", out);
		esc_json(out, l, "text", "");
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
	json_int_t total = rs_report_int(e, "transcript_total", 0);
	if (total > (json_int_t)json_array_size(tr) ||
	    json_array_size(tr) > MAX_HTML_LINES)
		fprintf(out, "<p class=\"note\">%lld lines in all; %d shown "
		        "here.</p>\n", (long long)(total > (json_int_t)
		        json_array_size(tr) ? total : (json_int_t)
		        json_array_size(tr)), json_array_size(tr) < MAX_HTML_LINES
		        ? (int)json_array_size(tr) : MAX_HTML_LINES);
}

static void blocked(FILE *out, const json_t *e)
{
	const json_t *bl = json_object_get(e, "blocked");
	if (json_array_size(bl) == 0)
		return;
	fputs("<h4>Threads blocked at the end</h4>\n<ul class=\"blocked\">\n",
	      out);
	size_t i;
	json_t *b;
	json_array_foreach(bl, i, b) {
		json_int_t p = rs_report_int(b, "peer", 0);
		fprintf(out, "<li><span class=\"c%d\">", (int)(p % 8));
		esc(out, rs_report_peer(e, p));
		fputs("</span> <code>", out);
		esc_json(out, b, "where", "?");
		fputs("</code> waits on <code>", out);
		esc_json(out, b, "on", "?");
		fputs("</code> since ", out);
		rs_report_time(out, rs_report_int(b, "since_us", 0));
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
}

static void faults(FILE *out, const json_t *e)
{
	const json_t *fs = json_object_get(e, "faults");
	if (json_array_size(fs) == 0)
		return;
	fputs("<h4>Timeline</h4>\n<ul class=\"faults\">\n", out);
	size_t i;
	json_t *f;
	json_array_foreach(fs, i, f) {
		fputs("<li>", out);
		rs_report_time(out, rs_report_int(f, "at_us", 0));
		fputs(" ", out);
		esc_json(out, f, "kind", "?");
		fputc(' ', out);
		esc_json(out, f, "player", "?");
		if (json_is_integer(json_object_get(f, "heal_at_us"))) {
			fputs(" until ", out);
			rs_report_time(out, rs_report_int(f, "heal_at_us", 0));
		}
		if (json_is_integer(json_object_get(f, "latency_us"))) {
			fputs(" to ", out);
			ms(out, rs_report_int(f, "latency_us", 0));
		}
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
}

/* ---- scenarios ---- */

static void scenario(FILE *out, const json_t *e, int id)
{
	rs_status st = rs_report_status_of(e);
	fprintf(out, "<details class=\"sc\" id=\"r%d\" data-status=\"%s\">"
	        "<summary>", id, rs_status_name(st));
	badge(out, st);
	fputs(" <span class=\"title\">", out);
	esc(out, rs_report_name(e));
	fputs("</span> <span class=\"file\">", out);
	esc_json(out, e, "file", "?");
	if (json_is_integer(json_object_get(e, "seed")))
		fprintf(out, " &middot; seed %lld",
		        (long long)rs_report_int(e, "seed", 0));
	fputs("</span></summary>\n<div class=\"body\"></div><template>\n", out);
	facts(out, e);
	failures(out, e);
	sequence_diagram(out, e, id);
	transcript(out, e);
	blocked(out, e);
	faults(out, e);
	fputs("</template></details>\n", out);
}

static int in_section(const json_t *e, const char *id)
{
	const char *s = rs_report_str(e, "section", NULL);
	return id ? s && strcmp(s, id) == 0 : s == NULL;
}

/* One section's heading and scenarios; the section is "clean" (hidden by
 * the failures filter, which keeps known failures too) when every
 * scenario in it passed. */
static void section(FILE *out, const json_t *doc, const json_t *sec,
                    int *id)
{
	const char *sid = sec ? rs_report_str(sec, "id", "") : NULL;
	const json_t *scen = json_object_get(doc, "scenarios");
	int bad = 0, any = 0;
	size_t i;
	json_t *e;
	json_array_foreach(scen, i, e)
		if (in_section(e, sid)) {
			any = 1;
			bad |= rs_report_status_of(e) != RS_ST_PASS;
		}
	fprintf(out, "<section class=\"sec%s\" id=\"s-", bad ? "" : " clean");
	esc(out, sid ? sid : "none");
	fputs("\"><h2>", out);
	if (sec) {
		esc_json(out, sec, "title", sid);
		fputs(" <small>", out);
		esc(out, sid);
		fputs("</small>", out);
	} else {
		fputs("Scenarios without a section", out);
	}
	fputs("</h2>\n", out);
	if (!any)
		fputs("<p class=\"note\">No scenario covers this section.</p>\n",
		      out);
	json_array_foreach(scen, i, e)
		if (in_section(e, sid))
			scenario(out, e, (*id)++);
	fputs("</section>\n", out);
}

static int emit(FILE *out, const void *ctx)
{
	const json_t *doc = ctx;
	head(out, doc);
	summary(out, doc);
	section_table(out, doc);
	fputs("<main>\n", out);
	int id = 1, orphans = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(doc, "sections"), i, x)
		section(out, doc, x, &id);
	json_array_foreach(json_object_get(doc, "scenarios"), i, x)
		orphans |= rs_report_str(x, "section", NULL) == NULL;
	if (orphans)
		section(out, doc, NULL, &id);
	fprintf(out, "</main>\n<script>\nvar RSIM_AUTO_OPEN = %d;\n", AUTO_OPEN);
	fputs(rs_report_html_js, out);
	fputs("</script>\n</body>\n</html>\n", out);
	return ferror(out) ? -1 : 0;
}

int rs_report_write_html(const json_t *doc, const char *path, char *err,
                         size_t errlen)
{
	return rs_report_atomic_write(path, emit, doc, err, errlen);
}
