/*
 * chrome -- one scenario entry as Chrome trace-event JSON, which
 * chrome://tracing and Perfetto open.
 *
 * Each peer is a process (pid = peer index: 0 server, k client k) with
 * three tracks: tid 0 its output (instant events), tid 1 the network
 * (a 1 µs slice at each send and each delivery, joined by a flow arrow:
 * flows need an enclosing slice at both ends to anchor), tid 2 faults
 * (partitions as slices, disconnects and joins as instants).  Timestamps
 * are the virtual microseconds themselves, integers.
 */
#include <string.h>

#include "report_internal.h"

enum { TID_OUT = 0, TID_NET = 1, TID_FAULT = 2 };

static json_t *meta(const char *what, json_int_t pid, int tid,
                    const char *key, json_t *value)
{
	return json_pack("{s:s,s:s,s:I,s:i,s:{s:o}}", "name", what, "ph", "M",
	                 "pid", pid, "tid", tid, "args", key, value);
}

static void add_metadata(json_t *ev, const json_t *e)
{
	static const char *const tracks[] = { "output", "network", "faults" };
	size_t npeers = json_array_size(json_object_get(e, "peers"));
	if (npeers == 0)
		npeers = 1;
	for (size_t p = 0; p < npeers; p++) {
		json_int_t pid = (json_int_t)p;
		json_array_append_new(ev, meta("process_name", pid, 0, "name",
		                      json_string(rs_report_peer(e, pid))));
		json_array_append_new(ev, meta("process_sort_index", pid, 0,
		                      "sort_index", json_integer(pid)));
		for (int t = 0; t < 3; t++)
			json_array_append_new(ev, meta("thread_name", pid, t, "name",
			                      json_string(tracks[t])));
	}
}

static void add_transcript(json_t *ev, const json_t *e)
{
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(e, "transcript"), i, l) {
		json_t *text = json_object_get(l, "text");
		json_array_append_new(ev, json_pack("{s:O,s:s,s:s,s:s,s:I,s:i,s:I,"
			"s:{s:O}}", "name", text ? text : json_null(),
			"cat", rs_report_str(l, "kind", "print"), "ph", "i", "s", "t",
			"pid", rs_report_int(l, "peer", 0), "tid", TID_OUT,
			"ts", rs_report_int(l, "t_us", 0),
			"args", "text", text ? text : json_null()));
	}
}

static json_t *slice(const char *name, const char *cat, json_int_t pid,
                     int tid, json_int_t ts, json_int_t dur)
{
	return json_pack("{s:s,s:s,s:s,s:I,s:i,s:I,s:I}", "name", name,
	                 "cat", cat, "ph", "X", "pid", pid, "tid", tid,
	                 "ts", ts, "dur", dur);
}

static void add_message(json_t *ev, const json_t *m, json_int_t id)
{
	const char *label = rs_report_str(m, "label", "?");
	const char *fate = rs_report_str(m, "fate", "?");
	json_int_t from = rs_report_int(m, "from", 0);
	json_int_t to = rs_report_int(m, "to", 0);
	json_int_t sent = rs_report_int(m, "sent_us", 0);
	const json_t *dv = json_object_get(m, "delivered_us");
	json_t *s = slice(label, "send", from, TID_NET, sent, 1);
	json_object_set_new(s, "args", json_pack("{s:I,s:I,s:O,s:s}",
		"to", to, "bytes", rs_report_int(m, "bytes", 0),
		"reliable", json_object_get(m, "reliable") ?
		            json_object_get(m, "reliable") : json_false(),
		"fate", fate));
	json_array_append_new(ev, s);
	if (!json_is_integer(dv))
		return;
	json_int_t at = json_integer_value(dv);
	json_array_append_new(ev, slice(label, "deliver", to, TID_NET, at, 1));
	json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:I,s:I,s:i,s:I}",
		"name", label, "cat", "message", "ph", "s", "id", id,
		"pid", from, "tid", TID_NET, "ts", sent));
	json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:i,s:I}",
		"name", label, "cat", "message", "ph", "f", "bp", "e", "id", id,
		"pid", to, "tid", TID_NET, "ts", at));
}

static json_int_t peer_index(const json_t *e, const char *name)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(e, "peers"), i, p)
		if (name && json_string_value(p) &&
		    strcmp(json_string_value(p), name) == 0)
			return (json_int_t)i;
	return 0;
}

static void add_faults(json_t *ev, const json_t *e)
{
	json_int_t end = rs_report_int(e, "end_us", 0);
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(e, "faults"), i, f) {
		const char *kind = rs_report_str(f, "kind", "?");
		json_int_t pid = peer_index(e, rs_report_str(f, "player", NULL));
		json_int_t at = rs_report_int(f, "at_us", 0);
		json_int_t heal = rs_report_int(f, "heal_at_us", end);
		if (strcmp(kind, "partition") == 0 && heal > at)
			json_array_append_new(ev, slice("partition", "fault", pid,
			                      TID_FAULT, at, heal - at));
		else
			json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s,s:I,"
				"s:i,s:I}", "name", kind, "cat", "fault", "ph", "i",
				"s", "p", "pid", pid, "tid", TID_FAULT, "ts", at));
	}
	json_array_foreach(json_object_get(e, "blocked"), i, f) {
		char name[600];
		snprintf(name, sizeof name, "blocked on %s at %s",
		         rs_report_str(f, "on", "?"), rs_report_str(f, "where", "?"));
		json_array_append_new(ev, json_pack("{s:s,s:s,s:s,s:s,s:I,s:i,s:I}",
			"name", name, "cat", "blocked", "ph", "i", "s", "t",
			"pid", rs_report_int(f, "peer", 0), "tid", TID_OUT,
			"ts", rs_report_int(f, "since_us", 0)));
	}
}

static int emit(FILE *out, const void *ctx)
{
	const json_t *e = ctx;
	json_t *ev = json_array();
	add_metadata(ev, e);
	add_transcript(ev, e);
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(e, "messages"), i, m)
		add_message(ev, m, (json_int_t)i + 1);
	add_faults(ev, e);
	json_t *doc = json_pack("{s:o,s:s,s:{s:O,s:O,s:O,s:O}}",
		"traceEvents", ev, "displayTimeUnit", "ms", "otherData",
		"file", json_object_get(e, "file") ? json_object_get(e, "file")
		                                   : json_null(),
		"title", json_object_get(e, "title") ? json_object_get(e, "title")
		                                     : json_null(),
		"seed", json_object_get(e, "seed") ? json_object_get(e, "seed")
		                                   : json_null(),
		"status", json_object_get(e, "status") ? json_object_get(e, "status")
		                                       : json_null());
	if (doc == NULL)
		return -1;
	int rc = json_dumpf(doc, out, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	return rc != 0 || fputc('\n', out) == EOF ? -1 : 0;
}

int rs_report_write_chrome(const json_t *scenario, const char *path,
                           char *err, size_t errlen)
{
	if (!json_is_object(scenario)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: no scenario to trace", path);
		return -1;
	}
	return rs_report_atomic_write(path, emit, scenario, err, errlen);
}
