/*
 * report -- results as JSON: one entry per scenario run, the document
 * that gathers them with per-section counts, the merge of shard
 * documents, loading, and the atomic file writer every writer uses.
 *
 * Determinism is the rule here: times are integer microseconds (never
 * reals, whose formatting could differ), no wall clock, entries sorted by
 * (file, seed), keys sorted when written.  Merging the documents of the
 * shards of a run gives the bytes of the unsplit run.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_internal.h"

#ifndef RSIM_VERSION
#define RSIM_VERSION "0.1.0"
#endif

/* Entries keep at most this many transcript lines and messages: a
 * 1,000-client fan-out would otherwise make a document of gigabytes.
 * The totals are kept, so a reader knows what was cut. */
#define MAX_LINES 20000
#define MAX_MSGS 20000

static const char *const status_names[] = {
	"pass", "fail", "error", "xfail", "xpass"
};

const char *rs_status_name(rs_status s)
{
	return (unsigned)s < 5 ? status_names[s] : "error";
}

rs_status rs_report_status_of(const json_t *scenario)
{
	const char *s = rs_report_str(scenario, "status", "");
	for (int i = 0; i < 5; i++)
		if (strcmp(s, status_names[i]) == 0)
			return (rs_status)i;
	return RS_ST_ERROR;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- small accessors ---- */

const char *rs_report_str(const json_t *obj, const char *key,
                          const char *dflt)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : dflt;
}

json_int_t rs_report_int(const json_t *obj, const char *key,
                         json_int_t dflt)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

void rs_report_time(FILE *out, json_int_t us)
{
	if (us < 0)
		us = 0;
	fprintf(out, "%lld.%03lld", (long long)(us / RS_USEC_PER_SEC),
	        (long long)(us % RS_USEC_PER_SEC / 1000));
}

const char *rs_report_peer(const json_t *scenario, json_int_t i)
{
	const json_t *peers = json_object_get(scenario, "peers");
	const char *s = i >= 0 ? json_string_value(json_array_get(peers,
	                                           (size_t)i)) : NULL;
	return s ? s : i == 0 ? "server" : "?";
}

const char *rs_report_name(const json_t *scenario)
{
	const char *t = rs_report_str(scenario, "title", NULL);
	return t ? t : rs_report_str(scenario, "file", "?");
}

/* ---- escaping ---- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid.
 * Sets *cp to the code point. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], need, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; c &= 0x1f; }
	else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; c &= 0x0f; }
	else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; c &= 0x07; }
	else return 0;
	if (n < need + 1)
		return 0;
	for (unsigned i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return need + 1;
}

void rs_report_xml(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned cp;
		size_t k = utf8_len(p + i, len - i, &cp);
		if (k == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' &&
		    cp != '\r') || cp == 0xfffe || cp == 0xffff) {
			fputs("\xef\xbf\xbd", out);
			i += k ? k : 1;
			continue;
		}
		switch (cp) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		/* a CR in an attribute or text would be normalized away */
		case '\r': fputs("&#13;", out); break;
		default: fwrite(p + i, 1, k, out);
		}
		i += k;
	}
}

void rs_report_xml_json(FILE *out, const json_t *str)
{
	if (json_is_string(str))
		rs_report_xml(out, json_string_value(str), json_string_length(str));
}

/* A JSON string of s with invalid UTF-8 replaced by U+FFFD (json_string
 * refuses invalid UTF-8, and scripts may print any bytes); null for NULL.
 * New reference. */
static json_t *jstr(const char *s)
{
	if (s == NULL)
		return json_null();
	size_t n = strlen(s), i = 0;
	json_t *v = json_stringn(s, n);
	if (v)
		return v;
	char *buf = malloc(n * 3 + 1), *o = buf;
	if (buf == NULL)
		return NULL;
	while (i < n) {
		unsigned cp;
		size_t k = utf8_len((const unsigned char *)s + i, n - i, &cp);
		if (k == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		} else {
			memcpy(o, s + i, k);
			o += k;
			i += k;
		}
	}
	v = json_stringn(buf, (size_t)(o - buf));
	free(buf);
	return v;
}

/* Seeds are 64-bit unsigned; JSON integers here are signed 64-bit, so the
 * upper half is written as a decimal string. */
static json_t *jseed(uint64_t seed)
{
	if (seed <= (uint64_t)LLONG_MAX)
		return json_integer((json_int_t)seed);
	char buf[24];
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)seed);
	return json_string(buf);
}

static uint64_t seed_of(const json_t *v)
{
	if (json_is_integer(v))
		return (uint64_t)json_integer_value(v);
	if (json_is_string(v))
		return strtoull(json_string_value(v), NULL, 10);
	return 0;
}

static json_t *jtime(rs_time t)
{
	return t == RS_TIME_NEVER ? json_null() : json_integer(t);
}

/* Seconds (a double of the scenario) as whole microseconds. */
static json_t *jusec(double sec)
{
	return json_integer((json_int_t)llround(sec * RS_USEC_PER_SEC));
}

/* ---- one scenario entry ---- */

static json_t *network_of(const rs_scenario *sc)
{
	const rs_link_config *l = &sc->link;
	return json_pack("{s:o,s:o,s:o,s:s,s:I,s:o}",
		"latency_up_us", jusec(l->latency_up),
		"latency_down_us", jusec(l->latency_down),
		"jitter_us", jusec(l->jitter),
		"jitter", l->jitter_kind == RS_JITTER_NORMAL ? "normal" : "uniform",
		"loss_ppm", (json_int_t)llround(l->loss * 1e6),
		"bandwidth", l->bandwidth > 0
		             ? json_integer((json_int_t)llround(l->bandwidth))
		             : json_null());
}

static const char *action_name(rs_action a)
{
	static const char *const names[] = {
		"join", "disconnect", "partition", "heal", "latency"
	};
	return (unsigned)a < 5 ? names[a] : "?";
}

static json_t *faults_of(const rs_scenario *sc)
{
	json_t *a = json_array();
	for (size_t i = 0; sc && i < sc->ntimeline; i++) {
		const rs_timeline_event *e = &sc->timeline[i];
		json_array_append_new(a, json_pack("{s:I,s:s,s:o,s:o,s:o}",
			"at_us", (json_int_t)e->at,
			"kind", action_name(e->action),
			"player", jstr(e->player),
			"heal_at_us", e->action == RS_ACT_PARTITION && e->heal_at > 0
			              ? json_integer(e->heal_at) : json_null(),
			"latency_us", e->action == RS_ACT_LATENCY
			              ? jusec(e->latency) : json_null()));
	}
	return a;
}

static json_t *transcript_of(const rs_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->trace.len && i < MAX_LINES; i++) {
		const rs_entry *e = &r->trace.entries[i];
		json_array_append_new(a, json_pack("{s:I,s:i,s:s,s:o}",
			"t_us", (json_int_t)e->time, "peer", e->peer,
			"kind", rs_entry_kind_name(e->kind), "text", jstr(e->text)));
	}
	return a;
}

static const char *fate_name(unsigned f)
{
	static const char *const names[] = {
		"inflight", "delivered", "lost", "disconnected", "too_large"
	};
	return f < 5 ? names[f] : "?";
}

static json_t *messages_of(const rs_result *r)
{
	json_t *a = json_array();
	const rs_trace *t = &r->trace;
	for (size_t i = 0; i < t->nmsgs && i < MAX_MSGS; i++) {
		const rs_msg_record *m = &t->msgs[i];
		const char *label = m->label < t->nlabels ? t->labels[m->label] : "?";
		json_array_append_new(a, json_pack("{s:I,s:o,s:i,s:i,s:I,s:o,s:b,s:s}",
			"sent_us", (json_int_t)m->sent,
			"delivered_us", m->fate == RS_MSG_DELIVERED ? jtime(m->delivered)
			                                            : json_null(),
			"from", m->from, "to", m->to, "bytes", (json_int_t)m->bytes,
			"label", jstr(label), "reliable", m->reliable,
			"fate", fate_name(m->fate)));
	}
	return a;
}

static json_t *failures_of(const rs_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nfailures; i++) {
		const rs_failure *f = &r->failures[i];
		json_array_append_new(a, json_pack("{s:o,s:o,s:o,s:o}",
			"what", jstr(f->what ? f->what : "?"),
			"expected", jstr(f->expected), "nearest", jstr(f->nearest),
			"line", f->line > 0 ? json_integer(f->line) : json_null()));
	}
	return a;
}

static json_t *blocked_of(const rs_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nblocked; i++) {
		const rs_blocked *b = &r->blocked[i];
		json_array_append_new(a, json_pack("{s:i,s:o,s:o,s:I}",
			"peer", b->peer, "on", jstr(b->on ? b->on : "?"),
			"where", jstr(b->where ? b->where : "?"),
			"since_us", (json_int_t)b->since));
	}
	return a;
}

static json_t *peers_of(const rs_result *r)
{
	json_t *a = json_array();
	for (int i = 0; i < r->npeers; i++)
		json_array_append_new(a, jstr(r->peer_names[i]));
	return a;
}

/* Fills what the run tells: without a result (load error) the arrays are
 * there but empty, so readers never test for absence. */
static void add_run(json_t *e, const rs_result *r)
{
	if (r == NULL) {
		json_object_set_new(e, "end_us", json_integer(0));
		json_object_set_new(e, "peers", json_array());
		json_object_set_new(e, "failures", json_array());
		json_object_set_new(e, "transcript", json_array());
		json_object_set_new(e, "transcript_total", json_integer(0));
		json_object_set_new(e, "messages", json_array());
		json_object_set_new(e, "messages_total", json_integer(0));
		json_object_set_new(e, "blocked", json_array());
		json_object_set_new(e, "script_errors", json_integer(0));
		return;
	}
	json_object_set_new(e, "end_us", json_integer(r->end));
	json_object_set_new(e, "peers", peers_of(r));
	json_object_set_new(e, "failures", failures_of(r));
	json_object_set_new(e, "transcript", transcript_of(r));
	json_object_set_new(e, "transcript_total",
	                    json_integer((json_int_t)r->trace.len));
	json_object_set_new(e, "messages", messages_of(r));
	json_object_set_new(e, "messages_total",
	                    json_integer((json_int_t)r->trace.nmsgs));
	json_object_set_new(e, "blocked", blocked_of(r));
	json_object_set_new(e, "script_errors",
	                    json_integer((json_int_t)r->nerrors));
}

json_t *rs_report_scenario(const char *file, const rs_scenario *sc,
                           const rs_result *r, rs_status st,
                           const char *reason)
{
	if (file == NULL)
		file = sc && sc->path ? sc->path : "?";
	json_t *e = json_object();
	if (e == NULL)
		return NULL;
	int has_seed = r != NULL || sc != NULL;
	uint64_t seed = r ? r->seed : sc ? sc->seed : 0;
	char replay[1200];
	if (has_seed)
		snprintf(replay, sizeof replay, "rsim run %s --seed %llu", file,
		         (unsigned long long)seed);
	else
		snprintf(replay, sizeof replay, "rsim run %s", file);
	json_object_set_new(e, "file", jstr(file));
	json_object_set_new(e, "section", jstr(sc ? sc->section : NULL));
	json_object_set_new(e, "title", jstr(sc && sc->title ? sc->title : file));
	json_object_set_new(e, "seed", has_seed ? jseed(seed) : json_null());
	json_object_set_new(e, "status", json_string(rs_status_name(st)));
	if (reason)
		json_object_set_new(e, "reason", jstr(reason));
	json_object_set_new(e, "replay", jstr(replay));
	json_object_set_new(e, "clients", json_integer(sc ? sc->nclients : 0));
	json_object_set_new(e, "duration_us",
	                    json_integer(sc ? sc->duration : 0));
	json_object_set_new(e, "network", sc ? network_of(sc) : json_null());
	json_object_set_new(e, "faults", faults_of(sc));
	add_run(e, r);
	return e;
}

/* ---- the document ---- */

/* Orders entries by file, then seed; full ties (the same file and seed
 * twice) by their serialized bytes, so the order never depends on the
 * order entries came in. */
static int entry_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(rs_report_str(x, "file", ""), rs_report_str(y, "file", ""));
	if (c)
		return c;
	uint64_t sx = seed_of(json_object_get(x, "seed"));
	uint64_t sy = seed_of(json_object_get(y, "seed"));
	if (sx != sy)
		return sx < sy ? -1 : 1;
	char *dx = json_dumps(x, JSON_SORT_KEYS | JSON_COMPACT);
	char *dy = json_dumps(y, JSON_SORT_KEYS | JSON_COMPACT);
	c = dx && dy ? strcmp(dx, dy) : 0;
	free(dx);
	free(dy);
	return c;
}

/* Sorts the array in place (entries keep their references). */
static int sort_entries(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = malloc((n ? n : 1) * sizeof *v);
	if (v == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof *v, entry_cmp);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
	return 0;
}

/* A load error has no section: guess it from the folder, since scenarios
 * live in scenarios/<section id>/ (the longest matching id wins). */
static void attribute_section(json_t *e, const json_t *manifest)
{
	if (json_is_string(json_object_get(e, "section")))
		return;
	const char *file = rs_report_str(e, "file", "");
	const char *slash = strrchr(file, '/');
	size_t dirlen = slash ? (size_t)(slash - file) : 0, best = 0;
	const char *found = NULL;
	size_t i;
	json_t *s;
	json_array_foreach(manifest, i, s) {
		const char *id = rs_report_str(s, "id", "");
		size_t n = strlen(id);
		if (n == 0 || n > dirlen || n <= best ||
		    memcmp(file + dirlen - n, id, n) != 0 ||
		    (n < dirlen && file[dirlen - n - 1] != '/'))
			continue;
		best = n;
		found = id;
	}
	if (found)
		json_object_set_new(e, "section", json_string(found));
}

static json_t *new_section(const char *id, const char *title,
                           const char *heading, int listed)
{
	return json_pack("{s:s,s:s,s:o,s:b,s:b,s:i,s:i,s:i,s:i,s:i,s:i}",
		"id", id, "title", title ? title : id, "heading", jstr(heading),
		"listed", listed, "covered", 0, "total", 0, "pass", 0, "fail", 0,
		"error", 0, "xfail", 0, "xpass", 0);
}

static void bump(json_t *obj, const char *key)
{
	json_object_set_new(obj, key,
	                    json_integer(rs_report_int(obj, key, 0) + 1));
}

static json_t *find_section(json_t *secs, const char *id)
{
	size_t i;
	json_t *s;
	json_array_foreach(secs, i, s)
		if (strcmp(rs_report_str(s, "id", ""), id) == 0)
			return s;
	return NULL;
}

static int cmp_section_id(const void *a, const void *b)
{
	return strcmp(rs_report_str(*(json_t *const *)a, "id", ""),
	              rs_report_str(*(json_t *const *)b, "id", ""));
}

/* The sections array: the manifest's, in its order, then sections that
 * scenarios name but the manifest does not ("listed": false), by id. */
static json_t *sections_of(const json_t *manifest, const json_t *scen)
{
	json_t *secs = json_array(), *extra = json_array();
	size_t i;
	json_t *s, *e;
	json_array_foreach(manifest, i, s)
		json_array_append_new(secs, new_section(rs_report_str(s, "id", ""),
			rs_report_str(s, "title", NULL),
			rs_report_str(s, "heading", NULL), 1));
	json_array_foreach(scen, i, e) {
		const char *id = rs_report_str(e, "section", NULL);
		if (id == NULL)
			continue;
		json_t *sec = find_section(secs, id);
		if (sec == NULL && (sec = find_section(extra, id)) == NULL) {
			sec = new_section(id, NULL, NULL, 0);
			json_array_append_new(extra, sec);
		}
		bump(sec, "total");
		bump(sec, rs_status_name(rs_report_status_of(e)));
		json_object_set_new(sec, "covered", json_true());
	}
	size_t n = json_array_size(extra);
	json_t **v = malloc((n ? n : 1) * sizeof *v);
	for (i = 0; v && i < n; i++)
		v[i] = json_array_get(extra, i);
	if (v)
		qsort(v, n, sizeof *v, cmp_section_id);
	for (i = 0; v && i < n; i++)
		json_array_append(secs, v[i]);
	free(v);
	json_decref(extra);
	return secs;
}

static json_t *summary_of(const json_t *scen)
{
	json_int_t c[5] = { 0 };
	size_t i;
	json_t *e;
	json_array_foreach(scen, i, e)
		c[rs_report_status_of(e)]++;
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}",
		"total", (json_int_t)json_array_size(scen),
		"passed", c[RS_ST_PASS], "failed", c[RS_ST_FAIL],
		"errors", c[RS_ST_ERROR], "xfail", c[RS_ST_XFAIL],
		"xpass", c[RS_ST_XPASS]);
}

/* The one place a document is assembled, used by both the run and the
 * merge: that is what makes their bytes equal.  Steals scen, shard and
 * seed; borrows manifest (an array of {id, title, heading}). */
static json_t *build(json_t *scen, const json_t *manifest, json_t *shard,
                     json_t *seed)
{
	size_t i;
	json_t *e;
	json_array_foreach(scen, i, e)
		attribute_section(e, manifest);
	if (sort_entries(scen) != 0) {
		json_decref(scen);
		json_decref(shard);
		json_decref(seed);
		return NULL;
	}
	return json_pack("{s:i,s:{s:s,s:s},s:{s:o,s:o},s:o,s:o,s:o}",
		"schema_version", RS_REPORT_SCHEMA_VERSION,
		"tool", "name", "rsim", "version", RSIM_VERSION,
		"options", "shard", shard, "seed", seed,
		"sections", sections_of(manifest, scen),
		"summary", summary_of(scen),
		"scenarios", scen);
}

json_t *rs_report_document(json_t *scenarios, const rs_section *sections,
                           size_t nsections, const char *shard,
                           long long seed_override)
{
	json_t *manifest = json_array();
	for (size_t i = 0; i < nsections; i++) {
		if (sections[i].id == NULL)
			continue;
		json_array_append_new(manifest, json_pack("{s:s,s:s,s:o}",
			"id", sections[i].id,
			"title", sections[i].title ? sections[i].title : sections[i].id,
			"heading", jstr(sections[i].heading)));
	}
	if (!json_is_array(scenarios)) {
		json_decref(scenarios);
		scenarios = json_array();
	}
	json_t *doc = build(scenarios, manifest,
		shard ? json_string(shard) : json_null(),
		seed_override >= 0 ? json_integer(seed_override) : json_null());
	json_decref(manifest);
	return doc;
}

/* The manifest a document was made from: its listed sections. */
static json_t *manifest_of(const json_t *doc)
{
	json_t *m = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "sections"), i, s) {
		if (json_is_false(json_object_get(s, "listed")))
			continue;
		json_array_append_new(m, json_pack("{s:s,s:s,s:O}",
			"id", rs_report_str(s, "id", ""),
			"title", rs_report_str(s, "title", ""),
			"heading", json_object_get(s, "heading")
			           ? json_object_get(s, "heading") : json_null()));
	}
	return m;
}

/* ---- the field types a document must have ---- */

/* What a field may hold; readers use defaults for absent fields, but a
 * field of the wrong type (a numeric status, a null file) would reach
 * strcmp or a printf as NULL. */
typedef enum kind {
	K_STR, K_STR_NULL, K_INT, K_INT_NULL, K_BOOL, K_ARRAY, K_OBJECT,
	K_OBJECT_NULL, K_SEED, K_STATUS
} kind;

typedef struct field_spec {
	const char *key;
	kind kind;
	int required;
	const struct field_spec *items;   /* for an array of objects */
} field_spec;

static const field_spec network_spec[] = {
	{ "latency_up_us", K_INT, 0, NULL }, { "latency_down_us", K_INT, 0, NULL },
	{ "jitter_us", K_INT, 0, NULL }, { "jitter", K_STR, 0, NULL },
	{ "loss_ppm", K_INT, 0, NULL }, { "bandwidth", K_INT_NULL, 0, NULL },
	{ NULL, 0, 0, NULL }
};

static const field_spec fault_spec[] = {
	{ "at_us", K_INT, 0, NULL }, { "kind", K_STR, 0, NULL },
	{ "player", K_STR_NULL, 0, NULL }, { "heal_at_us", K_INT_NULL, 0, NULL },
	{ "latency_us", K_INT_NULL, 0, NULL }, { NULL, 0, 0, NULL }
};

static const field_spec line_spec[] = {
	{ "t_us", K_INT, 0, NULL }, { "peer", K_INT, 0, NULL },
	{ "kind", K_STR, 0, NULL }, { "text", K_STR, 0, NULL },
	{ NULL, 0, 0, NULL }
};

static const field_spec message_spec[] = {
	{ "sent_us", K_INT, 0, NULL }, { "delivered_us", K_INT_NULL, 0, NULL },
	{ "from", K_INT, 0, NULL }, { "to", K_INT, 0, NULL },
	{ "bytes", K_INT, 0, NULL }, { "label", K_STR, 0, NULL },
	{ "reliable", K_BOOL, 0, NULL }, { "fate", K_STR, 0, NULL },
	{ NULL, 0, 0, NULL }
};

static const field_spec failure_spec[] = {
	{ "what", K_STR, 0, NULL }, { "expected", K_STR_NULL, 0, NULL },
	{ "nearest", K_STR_NULL, 0, NULL }, { "line", K_INT_NULL, 0, NULL },
	{ NULL, 0, 0, NULL }
};

static const field_spec blocked_spec[] = {
	{ "peer", K_INT, 0, NULL }, { "on", K_STR, 0, NULL },
	{ "where", K_STR, 0, NULL }, { "since_us", K_INT, 0, NULL },
	{ NULL, 0, 0, NULL }
};

static const field_spec scenario_spec[] = {
	{ "file", K_STR, 1, NULL }, { "section", K_STR_NULL, 0, NULL },
	{ "title", K_STR, 0, NULL }, { "seed", K_SEED, 0, NULL },
	{ "status", K_STATUS, 1, NULL }, { "reason", K_STR, 0, NULL },
	{ "replay", K_STR, 0, NULL }, { "clients", K_INT, 0, NULL },
	{ "duration_us", K_INT, 0, NULL },
	{ "network", K_OBJECT_NULL, 0, network_spec },
	{ "faults", K_ARRAY, 0, fault_spec }, { "end_us", K_INT, 0, NULL },
	{ "peers", K_ARRAY, 0, NULL }, { "failures", K_ARRAY, 0, failure_spec },
	{ "transcript", K_ARRAY, 0, line_spec },
	{ "transcript_total", K_INT, 0, NULL },
	{ "messages", K_ARRAY, 0, message_spec },
	{ "messages_total", K_INT, 0, NULL },
	{ "blocked", K_ARRAY, 0, blocked_spec },
	{ "script_errors", K_INT, 0, NULL }, { NULL, 0, 0, NULL }
};

static const field_spec section_spec[] = {
	{ "id", K_STR, 1, NULL }, { "title", K_STR, 0, NULL },
	{ "heading", K_STR_NULL, 0, NULL }, { "listed", K_BOOL, 0, NULL },
	{ "covered", K_BOOL, 0, NULL }, { "total", K_INT, 0, NULL },
	{ "pass", K_INT, 0, NULL }, { "fail", K_INT, 0, NULL },
	{ "error", K_INT, 0, NULL }, { "xfail", K_INT, 0, NULL },
	{ "xpass", K_INT, 0, NULL }, { NULL, 0, 0, NULL }
};

static const field_spec options_spec[] = {
	{ "shard", K_STR_NULL, 0, NULL }, { "seed", K_INT_NULL, 0, NULL },
	{ NULL, 0, 0, NULL }
};

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a fraction";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static int seed_ok(const json_t *v)
{
	if (json_is_null(v))
		return 1;
	if (json_is_integer(v))
		return json_integer_value(v) >= 0;
	const char *s = json_string_value(v);
	return s && *s && strspn(s, "0123456789") == strlen(s);
}

static int status_ok(const json_t *v)
{
	const char *s = json_string_value(v);
	for (int i = 0; s && i < 5; i++)
		if (strcmp(s, status_names[i]) == 0)
			return 1;
	return 0;
}

static const char *const kind_text[] = {
	"a string", "a string or null", "an integer", "an integer or null",
	"true or false", "an array", "an object", "an object or null",
	"a whole number >= 0, a string of digits or null",
	"one of \"pass\", \"fail\", \"error\", \"xfail\", \"xpass\""
};

static int kind_ok(const json_t *v, kind k)
{
	switch (k) {
	case K_STR: return json_is_string(v);
	case K_STR_NULL: return json_is_string(v) || json_is_null(v);
	case K_INT: return json_is_integer(v);
	case K_INT_NULL: return json_is_integer(v) || json_is_null(v);
	case K_BOOL: return json_is_boolean(v);
	case K_ARRAY: return json_is_array(v);
	case K_OBJECT: return json_is_object(v);
	case K_OBJECT_NULL: return json_is_object(v) || json_is_null(v);
	case K_SEED: return seed_ok(v);
	case K_STATUS: return status_ok(v);
	}
	return 0;
}

/* Checks obj against spec; `where` names it ("scenarios[3]"). */
static int check_fields(const json_t *obj, const field_spec *spec,
                        const char *where, size_t k, char *err,
                        size_t errlen)
{
	if (!json_is_object(obj)) {
		set_err(err, errlen, "document %zu: %s: expected an object, got %s",
		        k + 1, where, json_kind(obj));
		return -1;
	}
	for (const field_spec *f = spec; f->key; f++) {
		const json_t *v = json_object_get(obj, f->key);
		if (v == NULL) {
			if (!f->required)
				continue;
			set_err(err, errlen, "document %zu: %s.%s: missing (expected "
			        "%s)", k + 1, where, f->key, kind_text[f->kind]);
			return -1;
		}
		if (!kind_ok(v, f->kind)) {
			const char *s = json_string_value(v);
			if (s)
				set_err(err, errlen, "document %zu: %s.%s: expected %s, "
				        "got \"%.60s\"", k + 1, where, f->key,
				        kind_text[f->kind], s);
			else
				set_err(err, errlen, "document %zu: %s.%s: expected %s, "
				        "got %s", k + 1, where, f->key, kind_text[f->kind],
				        json_kind(v));
			return -1;
		}
		if (f->items == NULL || json_is_null(v))
			continue;
		char sub[200];
		if (json_is_object(v)) {
			snprintf(sub, sizeof sub, "%s.%s", where, f->key);
			if (check_fields(v, f->items, sub, k, err, errlen) != 0)
				return -1;
			continue;
		}
		size_t i;
		const json_t *e;
		json_array_foreach(v, i, e) {
			snprintf(sub, sizeof sub, "%s.%s[%zu]", where, f->key, i);
			if (check_fields(e, f->items, sub, k, err, errlen) != 0)
				return -1;
		}
	}
	return 0;
}

static int check_list(const json_t *arr, const char *name,
                      const field_spec *spec, size_t k, char *err,
                      size_t errlen)
{
	size_t i;
	const json_t *e;
	json_array_foreach(arr, i, e) {
		char where[64];
		snprintf(where, sizeof where, "%s[%zu]", name, i);
		if (check_fields(e, spec, where, k, err, errlen) != 0)
			return -1;
	}
	return 0;
}

static int check_doc(const json_t *d, size_t k, char *err, size_t errlen)
{
	if (!json_is_object(d)) {
		set_err(err, errlen, "document %zu is not a JSON object", k + 1);
		return -1;
	}
	if (rs_report_int(d, "schema_version", -1) != RS_REPORT_SCHEMA_VERSION) {
		set_err(err, errlen, "document %zu: schema_version is not %d", k + 1,
		        RS_REPORT_SCHEMA_VERSION);
		return -1;
	}
	if (!json_is_array(json_object_get(d, "scenarios")) ||
	    !json_is_array(json_object_get(d, "sections"))) {
		set_err(err, errlen, "document %zu: no scenarios or sections array",
		        k + 1);
		return -1;
	}
	const json_t *opt = json_object_get(d, "options");
	if (opt != NULL &&
	    check_fields(opt, options_spec, "options", k, err, errlen) != 0)
		return -1;
	if (check_list(json_object_get(d, "sections"), "sections", section_spec,
	               k, err, errlen) != 0 ||
	    check_list(json_object_get(d, "scenarios"), "scenarios",
	               scenario_spec, k, err, errlen) != 0)
		return -1;
	return 0;
}

/* Shards of one run have the same manifest and seed option; mixing runs
 * would give a document that no single run could have produced. */
static int check_same_run(json_t *const *docs, size_t n, const json_t *m0,
                          char *err, size_t errlen)
{
	const json_t *seed0 = json_object_get(json_object_get(docs[0], "options"),
	                                      "seed");
	for (size_t k = 1; k < n; k++) {
		json_t *m = manifest_of(docs[k]);
		int same = json_equal(m, m0);
		json_decref(m);
		if (!same) {
			set_err(err, errlen, "document %zu lists other sections than "
			        "document 1 (not shards of one run)", k + 1);
			return -1;
		}
		const json_t *seed = json_object_get(json_object_get(docs[k],
		                                     "options"), "seed");
		if (!(seed == NULL && seed0 == NULL) &&
		    !(seed && seed0 && json_equal(seed, seed0))) {
			set_err(err, errlen, "document %zu was run with another --seed "
			        "than document 1", k + 1);
			return -1;
		}
	}
	return 0;
}

/* After sorting, an entry equal in (file, seed) to its neighbour came
 * from two shards. */
static int check_duplicates(const json_t *scen, char *err, size_t errlen)
{
	for (size_t i = 1; i < json_array_size(scen); i++) {
		const json_t *a = json_array_get(scen, i - 1);
		const json_t *b = json_array_get(scen, i);
		const char *fa = rs_report_str(a, "file", "");
		if (strcmp(fa, rs_report_str(b, "file", "")) == 0 &&
		    seed_of(json_object_get(a, "seed")) ==
		    seed_of(json_object_get(b, "seed"))) {
			set_err(err, errlen, "%s (seed %llu) appears twice: the "
			        "documents overlap", fa, (unsigned long long)
			        seed_of(json_object_get(a, "seed")));
			return -1;
		}
	}
	return 0;
}

json_t *rs_report_merge(json_t *const *docs, size_t n, char *err,
                        size_t errlen)
{
	if (n == 0) {
		set_err(err, errlen, "no documents to merge");
		return NULL;
	}
	for (size_t k = 0; k < n; k++)
		if (check_doc(docs[k], k, err, errlen) != 0)
			return NULL;
	json_t *manifest = manifest_of(docs[0]);
	if (check_same_run(docs, n, manifest, err, errlen) != 0) {
		json_decref(manifest);
		return NULL;
	}
	json_t *scen = json_array();
	for (size_t k = 0; k < n; k++) {
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(docs[k], "scenarios"), i, e)
			json_array_append_new(scen, json_deep_copy(e));
	}
	json_t *seed = json_object_get(json_object_get(docs[0], "options"),
	                               "seed");
	json_t *doc = build(scen, manifest, json_null(),
	                    seed ? json_incref(seed) : json_null());
	json_decref(manifest);
	if (doc == NULL) {
		set_err(err, errlen, "out of memory");
		return NULL;
	}
	if (check_duplicates(json_object_get(doc, "scenarios"), err,
	                     errlen) != 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

json_t *rs_report_load(const char *path, char *err, size_t errlen)
{
	json_error_t je;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL) {
		if (je.line > 0)
			set_err(err, errlen, "%s:%d: %s", path, je.line, je.text);
		else
			set_err(err, errlen, "%s: %s", path, je.text);
		return NULL;
	}
	char msg[256];
	if (check_doc(doc, 0, msg, sizeof msg) != 0) {
		/* "document 1: ..." reads oddly for a named file */
		const char *m = strncmp(msg, "document 1", 10) == 0 ? msg + 10 : msg;
		set_err(err, errlen, "%s%s%s", path, *m == ':' ? "" : ": ", m);
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* ---- atomic files ---- */

int rs_report_atomic_write(const char *path, rs_report_emit_fn emit,
                           const void *ctx, char *err, size_t errlen)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + sizeof ".tmp-XXXXXX");
	if (tmp == NULL) {
		set_err(err, errlen, "%s: out of memory", path);
		return -1;
	}
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
	int fd = mkstemp(tmp);
	if (fd < 0) {
		set_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	/* mkstemp makes 0600; a report is for everyone who can read the dir */
	(void)fchmod(fd, 0644);
	FILE *f = fdopen(fd, "w");
	if (f == NULL) {
		set_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	int rc = emit(f, ctx);
	int e = errno;
	if (rc == 0 && (fflush(f) != 0 || ferror(f)))
		rc = -1, e = errno;
	if (rc == 0 && fsync(fileno(f)) != 0 && errno != EINVAL)
		rc = -1, e = errno;
	if (fclose(f) != 0 && rc == 0)
		rc = -1, e = errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1, e = errno;
	if (rc != 0) {
		set_err(err, errlen, "cannot write %s: %s", path,
		        e ? strerror(e) : "write failed");
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

static int emit_json(FILE *out, const void *ctx)
{
	const json_t *doc = ctx;
	errno = 0;
	if (json_dumpf(doc, out, JSON_INDENT(1) | JSON_SORT_KEYS) != 0)
		return -1;
	return fputc('\n', out) == EOF ? -1 : 0;
}

int rs_report_write_json(const json_t *doc, const char *path, char *err,
                         size_t errlen)
{
	return rs_report_atomic_write(path, emit_json, doc, err, errlen);
}
