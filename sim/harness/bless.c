/*
 * bless.c -- `rsim run --bless`: write the output a run produced into the
 * scenario's expect.output, leaving every other byte of the file alone.
 *
 * A small scanner that knows Lua's strings, long brackets and comments
 * finds the table returned by the file, its `expect` table and the
 * `output` table in it; the new list replaces that table (or is inserted
 * where it would go).  The file is replaced atomically.
 */
#include "rsim/scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct scan {
	const char *s;
	size_t n, i;
} scan;

/* Length of a long bracket opener "[==[" at s[i], or 0. */
static size_t long_open(const scan *sc, size_t i, int *level)
{
	if (sc->s[i] != '[')
		return 0;
	size_t j = i + 1;
	while (j < sc->n && sc->s[j] == '=')
		j++;
	if (j < sc->n && sc->s[j] == '[') {
		*level = (int)(j - i - 1);
		return j - i + 1;
	}
	return 0;
}

/* Skips from i past the long bracket closing of `level`. */
static size_t long_skip(const scan *sc, size_t i, int level)
{
	for (; i < sc->n; i++) {
		if (sc->s[i] != ']')
			continue;
		size_t j = i + 1;
		while (j < sc->n && sc->s[j] == '=')
			j++;
		if ((int)(j - i - 1) == level && j < sc->n && sc->s[j] == ']')
			return j + 1;
	}
	return sc->n;
}

/* Moves past whitespace, comments and strings until a significant
 * character: a brace, '=', ',' or the start of a name.  Returns it, or 0
 * at the end. */
static char next_token(scan *sc)
{
	while (sc->i < sc->n) {
		char c = sc->s[sc->i];
		int level;
		size_t open;
		if (c == '-' && sc->i + 1 < sc->n && sc->s[sc->i + 1] == '-') {
			sc->i += 2;
			if ((open = long_open(sc, sc->i, &level)) != 0) {
				sc->i = long_skip(sc, sc->i + open, level);
			} else {
				while (sc->i < sc->n && sc->s[sc->i] != '\n')
					sc->i++;
			}
		} else if (c == '"' || c == '\'') {
			sc->i++;
			while (sc->i < sc->n && sc->s[sc->i] != c) {
				if (sc->s[sc->i] == '\\')
					sc->i++;
				sc->i++;
			}
			sc->i++;
		} else if ((open = long_open(sc, sc->i, &level)) != 0) {
			sc->i = long_skip(sc, sc->i + open, level);
		} else if (c == '{' || c == '}' || c == '=' || c == ',' || c == '_' ||
		           (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			return c;
		} else {
			sc->i++;
		}
	}
	return 0;
}

static int is_name_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* Within the table whose '{' is at `open`, finds `key = {` at depth 1.
 * Sets *val to the '{' of its value and *close to the table's own '}'. */
static int find_key_table(const char *s, size_t n, size_t open,
                          const char *key, size_t *val, size_t *close)
{
	scan sc = { s, n, open + 1 };
	int depth = 1;
	*val = 0;
	*close = n;
	char c;
	while ((c = next_token(&sc)) != 0) {
		if (c == '{') {
			depth++;
			sc.i++;
		} else if (c == '}') {
			if (--depth == 0) {
				*close = sc.i;
				return *val != 0;
			}
			sc.i++;
		} else if (is_name_char(c)) {
			size_t start = sc.i;
			while (sc.i < n && is_name_char(s[sc.i]))
				sc.i++;
			if (depth != 1 || *val || sc.i - start != strlen(key) ||
			    strncmp(s + start, key, sc.i - start) != 0)
				continue;
			scan look = sc;
			if (next_token(&look) != '=')
				continue;
			look.i++;
			if (next_token(&look) == '{')
				*val = look.i;
		} else {
			sc.i++;
		}
	}
	return 0;
}

static size_t match_brace(const char *s, size_t n, size_t open)
{
	scan sc = { s, n, open + 1 };
	int depth = 1;
	char c;
	while ((c = next_token(&sc)) != 0) {
		if (c == '{')
			depth++;
		else if (c == '}' && --depth == 0)
			return sc.i;
		else if (is_name_char(c))
			while (sc.i < n && is_name_char(s[sc.i]))
				sc.i++;
		sc.i++;
	}
	return n;
}

typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL)
			abort();
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_quoted(sbuf *b, const char *s)
{
	puts_(b, "\"");
	for (; *s; s++) {
		char e[8];
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			e[0] = '\\';
			e[1] = (char)c;
			put(b, e, 2);
		} else if (c == '\n') {
			puts_(b, "\\n");
		} else if (c < 32 || c == 127) {
			snprintf(e, sizeof e, "\\%03d", c);
			puts_(b, e);
		} else {
			put(b, (const char *)&c, 1);
		}
	}
	puts_(b, "\"");
}

/* The new output list: "{\n      "peer: text",\n ... }" */
static void output_list(sbuf *b, const rs_result *r, const char *indent)
{
	puts_(b, "{\n");
	for (size_t i = 0; i < r->trace.len; i++) {
		const rs_entry *e = &r->trace.entries[i];
		if (e->kind != RS_OUT_PRINT && e->kind != RS_OUT_WARN)
			continue;
		size_t n = strlen(r->peer_names[e->peer]) + strlen(e->text) + 3;
		char *line = malloc(n);
		if (line == NULL)
			abort();
		snprintf(line, n, "%s: %s", r->peer_names[e->peer], e->text);
		puts_(b, indent);
		puts_(b, "  ");
		put_quoted(b, line);
		puts_(b, ",\n");
		free(line);
	}
	puts_(b, indent);
	puts_(b, "}");
}

static int write_atomic(const char *path, const char *text, size_t len,
                        char *err, size_t errlen)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.bless-XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	int ok = f && fwrite(text, 1, len, f) == len;
	ok = (f && fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int rs_scenario_bless(const char *path, const rs_result *r, char *err,
                      size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	sbuf src = { 0 };
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		put(&src, chunk, got);
	fclose(f);
	if (src.p == NULL)
		put(&src, "", 0);
	/* the table after `return` */
	scan sc = { src.p, src.len, 0 };
	size_t ret = 0;
	char c;
	while ((c = next_token(&sc)) != 0) {
		if (is_name_char(c)) {
			size_t start = sc.i;
			while (sc.i < sc.n && is_name_char(src.p[sc.i]))
				sc.i++;
			if (sc.i - start == 6 && strncmp(src.p + start, "return", 6) == 0 &&
			    next_token(&sc) == '{') {
				ret = sc.i;
				break;
			}
		} else {
			sc.i++;
		}
	}
	if (c == 0) {
		snprintf(err, errlen, "%s: no `return { ... }` table to bless", path);
		free(src.p);
		return -1;
	}
	sbuf out = { 0 };
	size_t expect, close, output, oclose;
	int has_expect = find_key_table(src.p, src.len, ret, "expect", &expect,
	                                &close);
	if (close >= src.len || (has_expect && expect >= close)) {
		snprintf(err, errlen, "%s: the returned table has no closing brace",
		         path);
		free(src.p);
		return -1;
	}
	if (has_expect) {
		if (find_key_table(src.p, src.len, expect, "output", &output,
		                   &oclose)) {
			size_t end = match_brace(src.p, src.len, output);
			if (end >= src.len) {
				snprintf(err, errlen, "%s: expect.output has no closing "
				         "brace", path);
				free(src.p);
				return -1;
			}
			put(&out, src.p, output);
			output_list(&out, r, "    ");
			put(&out, src.p + end + 1, src.len - end - 1);
		} else {
			put(&out, src.p, expect + 1);
			puts_(&out, "\n    output = ");
			output_list(&out, r, "    ");
			puts_(&out, ",");
			put(&out, src.p + expect + 1, src.len - expect - 1);
		}
	} else {
		/* close is the '}' of the returned table */
		size_t k = close;
		while (k > ret && (src.p[k - 1] == ' ' || src.p[k - 1] == '\n' ||
		                   src.p[k - 1] == '\t'))
			k--;
		put(&out, src.p, k);
		if (src.p[k - 1] != ',' && src.p[k - 1] != '{')
			puts_(&out, ",");
		puts_(&out, "\n  expect = {\n    output = ");
		output_list(&out, r, "    ");
		puts_(&out, ",\n  },\n");
		put(&out, src.p + close, src.len - close);
	}
	int rc = write_atomic(path, out.p, out.len, err, errlen);
	free(src.p);
	free(out.p);
	return rc;
}
