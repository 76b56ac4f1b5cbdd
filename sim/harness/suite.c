/*
 * suite.c -- discovering, sharding and running the conformance suite.
 *
 * Parallel runs fork worker processes: worker w runs the files whose index
 * i satisfies i % jobs == w and writes its entries to a temporary file; the
 * parent reads them back and sorts all entries by (file, seed).  A
 * simulation is a value, so a worker needs nothing from the parent but the
 * list of files.  The document is the same for any number of workers.
 */
#include "rsim/suite.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_DEPTH 32

/* ---- discovery ---- */

typedef struct strvec {
	char **v;
	size_t n, cap;
} strvec;

static void vec_push(strvec *s, char *p)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		if (s->v == NULL)
			abort();
	}
	s->v[s->n++] = p;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int walk(const char *dir, strvec *out, int depth, char *err,
                size_t errlen)
{
	if (depth > MAX_DEPTH)
		return 0;
	DIR *d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		size_t n = strlen(dir) + strlen(e->d_name) + 2;
		char *path = malloc(n);
		if (path == NULL)
			abort();
		snprintf(path, n, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0) {
			free(path);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			rc = walk(path, out, depth + 1, err, errlen);
			free(path);
		} else if (S_ISREG(st.st_mode) && ends_with(path, ".lua")) {
			vec_push(out, path);
		} else {
			free(path);
		}
	}
	closedir(d);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rs_suite_discover(const char *dir, char ***files, size_t *n, char *err,
                      size_t errlen)
{
	strvec v = { 0 };
	char root[4096];
	snprintf(root, sizeof root, "%s", dir);
	size_t len = strlen(root);
	while (len > 1 && root[len - 1] == '/')
		root[--len] = '\0';
	if (walk(root, &v, 0, err, errlen) != 0) {
		for (size_t i = 0; i < v.n; i++)
			free(v.v[i]);
		free(v.v);
		return -1;
	}
	/* readdir order is the file system's: sort for a stable suite */
	if (v.n)
		qsort(v.v, v.n, sizeof *v.v, cmp_str);
	*files = v.v;
	*n = v.n;
	return 0;
}

/* ---- baseline and manifest ---- */

/* The baseline's reason for file, or NULL.  Entries name files relative
 * to the project ("scenarios/x/y.lua"); a discovered path matches when it
 * equals the entry or ends with "/" + entry. */
static const char *baseline_reason(const json_t *baseline, const char *file)
{
	const json_t *list = json_object_get(baseline, "known_failures");
	size_t i;
	const json_t *e;
	json_array_foreach(list, i, e) {
		const char *f = json_string_value(json_object_get(e, "file"));
		if (f == NULL)
			continue;
		size_t a = strlen(file), b = strlen(f);
		if (strcmp(file, f) == 0 ||
		    (a > b && file[a - b - 1] == '/' && strcmp(file + a - b, f) == 0)) {
			const char *r = json_string_value(json_object_get(e, "reason"));
			return r ? r : "known failure";
		}
	}
	return NULL;
}

static json_t *load_json(const char *path, const char *what, char *err,
                         size_t errlen)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	if (j == NULL)
		snprintf(err, errlen, "%s: %s %d: %s", path, what, je.line,
		         je.text);
	return j;
}

/* ---- running ---- */

/* A file that does not load still belongs to a section: the folder it
 * sits in below the suite's root ("scenarios/engine/x/y.lua" ->
 * "engine/x"). */
static json_t *load_error(const char *root, const char *file,
                          const char *msg)
{
	json_t *e = rs_report_scenario(file, NULL, NULL, RS_ST_ERROR, msg);
	size_t n = strlen(root);
	const char *rel = strncmp(file, root, n) == 0 && file[n] == '/'
	                ? file + n + 1 : file;
	const char *slash = strrchr(rel, '/');
	json_object_set_new(e, "section", json_stringn(rel, slash ? (size_t)
	                                               (slash - rel) : 0));
	return e;
}

/* Runs one file with one seed (or its own when seed < 0) into an entry. */
static json_t *run_one(const char *root, const char *file, long long seed,
                       const json_t *baseline)
{
	rs_scenario_error se;
	rs_scenario *sc = rs_scenario_load(file, &se);
	if (sc == NULL) {
		char msg[1200];
		rs_scenario_error_format(&se, msg, sizeof msg);
		return load_error(root, file, msg);
	}
	rs_result *r = rs_scenario_run(sc, seed < 0 ? sc->seed
	                                           : (uint64_t)seed);
	if (r == NULL) {
		rs_scenario_free(sc);
		return load_error(root, file, "out of memory");
	}
	const char *known = baseline ? baseline_reason(baseline, file) : NULL;
	rs_status st = r->passed ? (known ? RS_ST_XPASS : RS_ST_PASS)
	                         : (known ? RS_ST_XFAIL : RS_ST_FAIL);
	json_t *e = rs_report_scenario(file, sc, r, st, known);
	rs_result_free(r);
	rs_scenario_free(sc);
	return e;
}

/* The work list: (file, seed) pairs after sharding. */
typedef struct job {
	const char *file;
	long long seed;
} job;

static void run_jobs(const char *root, const job *jobs, size_t n,
                     size_t from, size_t step, const json_t *baseline,
                     json_t *out)
{
	for (size_t i = from; i < n; i += step)
		json_array_append_new(out, run_one(root, jobs[i].file, jobs[i].seed,
		                                   baseline));
}

static int entry_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(x, "file")),
	               json_string_value(json_object_get(y, "file")));
	if (c)
		return c;
	json_int_t sx = json_integer_value(json_object_get(x, "seed"));
	json_int_t sy = json_integer_value(json_object_get(y, "seed"));
	return (sx > sy) - (sx < sy);
}

static json_t *sorted(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = calloc(n + 1, sizeof *v);
	if (v == NULL)
		abort();
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof *v, entry_cmp);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, v[i]);
	free(v);
	json_decref(arr);
	return out;
}

/* Forks `jobs` workers; each writes its entries to a temporary file. */
static json_t *run_parallel(const char *root, const job *list, size_t n,
                            int workers,
                            const json_t *baseline, char *err, size_t errlen)
{
	char paths[64][64];
	pid_t pids[64];
	if (workers > 64)
		workers = 64;
	fflush(NULL);
	for (int w = 0; w < workers; w++) {
		const char *tmp = getenv("TMPDIR");
		snprintf(paths[w], sizeof paths[w], "%s/rsim-worker-XXXXXX",
		         tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
		int fd = mkstemp(paths[w]);
		if (fd < 0) {
			snprintf(err, errlen, "cannot make a temporary file: %s",
			         strerror(errno));
			for (int k = 0; k < w; k++) {
				waitpid(pids[k], NULL, 0);
				unlink(paths[k]);
			}
			return NULL;
		}
		close(fd);
		pids[w] = fork();
		if (pids[w] == 0) {
			json_t *arr = json_array();
			run_jobs(root, list, n, (size_t)w, (size_t)workers, baseline,
			         arr);
			int rc = json_dump_file(arr, paths[w], JSON_COMPACT);
			_exit(rc == 0 ? 0 : 1);
		}
		if (pids[w] < 0) {
			snprintf(err, errlen, "cannot start a worker: %s",
			         strerror(errno));
			unlink(paths[w]);
			for (int k = 0; k < w; k++) {
				waitpid(pids[k], NULL, 0);
				unlink(paths[k]);
			}
			return NULL;
		}
	}
	json_t *all = json_array();
	int failed = 0;
	for (int w = 0; w < workers; w++) {
		int status = 0;
		waitpid(pids[w], &status, 0);
		json_error_t je;
		json_t *part = WIFEXITED(status) && WEXITSTATUS(status) == 0
		             ? json_load_file(paths[w], 0, &je) : NULL;
		unlink(paths[w]);
		if (part == NULL) {
			failed = 1;
			continue;
		}
		json_array_extend(all, part);
		json_decref(part);
	}
	if (failed) {
		snprintf(err, errlen, "a worker process failed");
		json_decref(all);
		return NULL;
	}
	return all;
}

json_t *rs_suite_run(const rs_suite_options *opt, char *err, size_t errlen)
{
	char **files;
	size_t nfiles;
	if (rs_suite_discover(opt->dir, &files, &nfiles, err, errlen) != 0)
		return NULL;
	json_t *manifest = NULL, *baseline = NULL;
	if (opt->manifest && !(manifest = load_json(opt->manifest, "line", err,
	                                            errlen)))
		goto fail;
	if (opt->baseline && !(baseline = load_json(opt->baseline, "line", err,
	                                            errlen)))
		goto fail;
	size_t nseeds = opt->seed_range ? (size_t)(opt->seeds_to -
	                                           opt->seeds_from + 1) : 1;
	job *list = calloc(nfiles * nseeds + 1, sizeof *list);
	if (list == NULL)
		abort();
	size_t n = 0;
	for (size_t i = 0; i < nfiles; i++) {
		if (opt->shard_n > 1 && (int)(i % (size_t)opt->shard_n) !=
		                        opt->shard_k - 1)
			continue;
		for (size_t s = 0; s < nseeds; s++) {
			list[n].file = files[i];
			list[n].seed = opt->seed_range
			             ? (long long)(opt->seeds_from + s) : opt->seed;
			n++;
		}
	}
	json_t *entries;
	if (opt->jobs > 1 && n > 1) {
		entries = run_parallel(opt->dir, list, n, opt->jobs < (int)n
		                       ? opt->jobs : (int)n, baseline, err, errlen);
	} else {
		entries = json_array();
		run_jobs(opt->dir, list, n, 0, 1, baseline, entries);
	}
	free(list);
	if (entries == NULL)
		goto fail;
	entries = sorted(entries);
	size_t nsec = json_array_size(json_object_get(manifest, "sections"));
	rs_section *secs = calloc(nsec + 1, sizeof *secs);
	if (secs == NULL)
		abort();
	for (size_t i = 0; i < nsec; i++) {
		json_t *s = json_array_get(json_object_get(manifest, "sections"), i);
		secs[i].id = json_string_value(json_object_get(s, "id"));
		secs[i].title = json_string_value(json_object_get(s, "title"));
		secs[i].heading = json_string_value(json_object_get(s, "heading"));
	}
	char shard[32];
	snprintf(shard, sizeof shard, "%d/%d", opt->shard_k, opt->shard_n);
	json_t *doc = rs_report_document(entries, secs, nsec,
	                                 opt->shard_n > 1 ? shard : NULL,
	                                 opt->seed);
	free(secs);
	json_decref(manifest);
	json_decref(baseline);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	return doc;
fail:
	json_decref(manifest);
	json_decref(baseline);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	return NULL;
}

/* ---- the table ---- */

typedef struct sec_count {
	const char *id;
	int n[5];
} sec_count;

static sec_count *count_for(sec_count *v, size_t *n, const char *id)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(v[i].id, id) == 0)
			return &v[i];
	v[*n].id = id;
	return &v[(*n)++];
}

static rs_status status_of(const char *s)
{
	for (int k = RS_ST_PASS; k <= RS_ST_XPASS; k++)
		if (strcmp(rs_status_name((rs_status)k), s) == 0)
			return (rs_status)k;
	return RS_ST_ERROR;
}

/* "peer: text" of transcript line j of entry e, into buf. */
static const char *line_of(const json_t *e, const json_t *t, char *buf,
                           size_t n)
{
	const json_t *peers = json_object_get(e, "peers");
	json_int_t p = json_integer_value(json_object_get(t, "peer"));
	const char *name = json_string_value(json_array_get(peers, (size_t)p));
	snprintf(buf, n, "%s: %s", name ? name : "?",
	         json_string_value(json_object_get(t, "text")));
	return buf;
}

/* A few transcript lines around the nearest actual line of the first
 * failure, or the last lines, with their virtual times. */
static void print_context(const json_t *e, const char *nearest, FILE *out)
{
	const json_t *tr = json_object_get(e, "transcript");
	size_t n = json_array_size(tr), at = n, i;
	char buf[1200];
	const json_t *t;
	if (n == 0)
		return;
	json_array_foreach(tr, i, t)
		if (nearest && at == n &&
		    strcmp(line_of(e, t, buf, sizeof buf), nearest) == 0)
			at = i;
	size_t from = at < n ? (at > 3 ? at - 3 : 0) : (n > 8 ? n - 8 : 0);
	size_t to = at < n ? (at + 4 < n ? at + 4 : n) : n;
	fprintf(out, "  transcript %s:\n", at < n ? "around the nearest line"
	                                          : "(last lines)");
	for (i = from; i < to; i++) {
		t = json_array_get(tr, i);
		json_int_t us = json_integer_value(json_object_get(t, "t_us"));
		fprintf(out, "    %s[%lld.%03lld] %s\n", i == at ? "> " : "  ",
		        (long long)(us / 1000000), (long long)(us % 1000000 / 1000),
		        line_of(e, t, buf, sizeof buf));
	}
}

static void print_entry_detail(const json_t *e, FILE *out)
{
	const char *st = json_string_value(json_object_get(e, "status"));
	fprintf(out, "\n%s: %s (%s)\n", st,
	        json_string_value(json_object_get(e, "file")),
	        json_string_value(json_object_get(e, "title")));
	const char *reason = json_string_value(json_object_get(e, "reason"));
	if (reason)
		fprintf(out, "  %s\n", reason);
	size_t i;
	const json_t *f;
	json_array_foreach(json_object_get(e, "failures"), i, f) {
		fprintf(out, "  %s\n", json_string_value(json_object_get(f, "what")));
		const char *x = json_string_value(json_object_get(f, "expected"));
		const char *near = json_string_value(json_object_get(f, "nearest"));
		if (x)
			fprintf(out, "    expected: %s\n", x);
		if (near)
			fprintf(out, "    %s %s\n", x ? "nearest: " : "actual:  ", near);
	}
	const json_t *first = json_array_get(json_object_get(e, "failures"), 0);
	if (first)
		print_context(e, json_string_value(json_object_get(first,
		                                                   "nearest")), out);
	const char *replay = json_string_value(json_object_get(e, "replay"));
	if (replay)
		fprintf(out, "  replay: %s\n", replay);
}

/* With --seeds, one line per file that failed for some seeds: which. */
static void print_failing_seeds(const json_t *scen, FILE *out)
{
	size_t i, n = json_array_size(scen);
	for (i = 0; i < n; i++) {
		const json_t *e = json_array_get(scen, i);
		const char *file = json_string_value(json_object_get(e, "file"));
		if (i > 0 && strcmp(file, json_string_value(json_object_get(
		              json_array_get(scen, i - 1), "file"))) == 0)
			continue; /* entries are sorted: a file's first one */
		size_t runs = 0, bad = 0;
		char list[512] = "";
		for (size_t j = i; j < n; j++) {
			const json_t *x = json_array_get(scen, j);
			if (strcmp(file, json_string_value(json_object_get(x, "file"))))
				break;
			runs++;
			const char *st = json_string_value(json_object_get(x, "status"));
			if (strcmp(st, "fail") != 0 && strcmp(st, "error") != 0)
				continue;
			char seed[32];
			const json_t *sj = json_object_get(x, "seed");
			if (json_is_integer(sj))
				snprintf(seed, sizeof seed, "%lld",
				         (long long)json_integer_value(sj));
			else
				snprintf(seed, sizeof seed, "%s", json_string_value(sj));
			if (strlen(list) + strlen(seed) + 8 < sizeof list)
				snprintf(list + strlen(list), sizeof list - strlen(list),
				         "%s%s", bad ? ", " : "", seed);
			else if (!strstr(list, "..."))
				strcat(list, ", ...");
			bad++;
		}
		if (runs > 1 && bad > 0)
			fprintf(out, "\nfailing seeds of %s (%zu of %zu): %s\n", file,
			        bad, runs, list);
	}
}

int rs_suite_print(const json_t *doc, FILE *out)
{
	const json_t *secs = json_object_get(doc, "sections");
	const json_t *scen = json_object_get(doc, "scenarios");
	size_t cap = json_array_size(secs) + json_array_size(scen) + 1;
	sec_count *c = calloc(cap, sizeof *c);
	if (c == NULL)
		abort();
	size_t nc = 0, i;
	const json_t *e;
	json_array_foreach(secs, i, e)
		count_for(c, &nc, json_string_value(json_object_get(e, "id")));
	int unexpected = 0, total[5] = { 0 };
	json_array_foreach(scen, i, e) {
		const char *sec = json_string_value(json_object_get(e, "section"));
		rs_status st = status_of(json_string_value(json_object_get(e,
		                                                           "status")));
		count_for(c, &nc, sec ? sec : "")->n[st]++;
		total[st]++;
		if (st == RS_ST_FAIL || st == RS_ST_ERROR || st == RS_ST_XPASS) {
			unexpected++;
			print_entry_detail(e, out);
		}
	}
	print_failing_seeds(scen, out);
	fprintf(out, "\n%-46s %5s %5s %5s %5s %5s\n", "section", "pass", "fail",
	        "xfail", "xpass", "error");
	for (size_t k = 0; k < nc; k++) {
		int sum = 0;
		for (int s = 0; s < 5; s++)
			sum += c[k].n[s];
		if (sum == 0) {
			fprintf(out, "%-46s   (uncovered)\n", *c[k].id ? c[k].id
			                                            : "(no section)");
			continue;
		}
		fprintf(out, "%-46s %5d %5d %5d %5d %5d\n", *c[k].id ? c[k].id
		        : "(no section)", c[k].n[RS_ST_PASS], c[k].n[RS_ST_FAIL],
		        c[k].n[RS_ST_XFAIL], c[k].n[RS_ST_XPASS],
		        c[k].n[RS_ST_ERROR]);
	}
	fprintf(out, "%-46s %5d %5d %5d %5d %5d\n", "total", total[RS_ST_PASS],
	        total[RS_ST_FAIL], total[RS_ST_XFAIL], total[RS_ST_XPASS],
	        total[RS_ST_ERROR]);
	free(c);
	return unexpected;
}
