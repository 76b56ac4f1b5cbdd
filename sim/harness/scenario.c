/*
 * scenario.c -- reading scenario files and running them.
 *
 * The file is evaluated in a Lua state of its own that has only the pure
 * libraries (base without load/dofile/require, string, table, math), a memory
 * cap and an instruction budget, so a hostile or broken file can neither
 * reach the machine nor hang the loader.  The returned table is then checked
 * field by field against the table `fields` below; every message names the
 * file, the line where the field is written (found in the source text) and
 * what was expected.
 */
#include "rsim/scenario.h"

#include "rsim/api.h"
#include "rsim/remote.h"

#include <ctype.h>
#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOADER_MEM (64u << 20)
#define LOADER_INSTR 50000000
#define MAX_FILE (8u << 20)
#define MAX_CLIENTS 100000

/* ---- small helpers ---- */

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (p == NULL)
		abort();
	return p;
}

static char *xmemdup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p == NULL)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Reads a whole file; returns NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (buf == NULL || n > MAX_FILE) {
			free(buf);
			fclose(f);
			errno = buf ? EFBIG : ENOMEM;
			return NULL;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
		if (cap - n - 1 == 0)
			buf = realloc(buf, cap *= 2);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* ---- the loader's Lua state ---- */

typedef struct loader {
	const char *path;
	const char *src;        /* the file's text, for line look-ups */
	size_t used;
	int64_t instr;
	rs_scenario_error *err;
	lua_State *L;
} loader;

static void *loader_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	loader *ld = ud;
	if (ptr == NULL)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		ld->used -= osize;
		return NULL;
	}
	if (nsize > osize && ld->used + nsize - osize > LOADER_MEM)
		return NULL;
	void *p = realloc(ptr, nsize);
	if (p != NULL)
		ld->used = ld->used - osize + nsize;
	return p;
}

static void loader_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	loader *ld;
	lua_getallocf(L, (void **)&ld);
	ld->instr -= 1000;
	if (ld->instr < 0) {
		luaL_where(L, 0); /* in a hook, level 0 is the running code */
		lua_pushliteral(L, "the scenario took too long to evaluate");
		lua_concat(L, 2);
		lua_error(L);
	}
}

/* The line on which `key = ` is first written, or 0. */
static int find_line(const char *src, const char *key)
{
	size_t klen = strlen(key);
	int line = 1;
	for (const char *p = src; *p; p++) {
		if (*p == '\n') {
			line++;
			continue;
		}
		if (strncmp(p, key, klen) != 0)
			continue;
		if (p > src && (p[-1] == '_' || isalnum((unsigned char)p[-1])))
			continue;
		const char *q = p + klen;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '=' && q[1] != '=')
			return line;
	}
	return 0;
}

static int fail(loader *ld, const char *field, const char *fmt, ...)
{
	rs_scenario_error *e = ld->err;
	snprintf(e->file, sizeof e->file, "%s", ld->path);
	e->line = field && ld->src ? find_line(ld->src, field) : 0;
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (field)
		snprintf(e->msg, sizeof e->msg, "%s: %s", field, msg);
	else
		snprintf(e->msg, sizeof e->msg, "%s", msg);
	return 0;
}

static const char *got(lua_State *L, int idx)
{
	return luaL_typename(L, idx);
}

/* t[k] without metamethods: the scenario's tables are data, and a hostile
 * __index must not run (or fail) inside the loader.  Pushes the value and
 * returns its type, like lua_getfield. */
static int rawfield(lua_State *L, int idx, const char *k)
{
	idx = lua_absindex(L, idx);
	lua_pushstring(L, k);
	return lua_rawget(L, idx);
}

/* ---- field readers: value at the top of ld->L ---- */

static int read_string(loader *ld, const char *field, char **out)
{
	if (lua_type(ld->L, -1) != LUA_TSTRING)
		return fail(ld, field, "expected a string, got %s",
		            got(ld->L, -1));
	free(*out);
	*out = xstrdup(lua_tostring(ld->L, -1));
	return 1;
}

/* The kinds of quantity a scenario gives, each with its range: every
 * time and rate, wherever it is written, is checked by read_number
 * against one of these, so none lets NaN, an infinity or a negative by. */
typedef struct quantity {
	double lo, hi;
} quantity;

static const quantity Q_TIME = { 0, 1e6 };        /* at, heal_at, join */
static const quantity Q_DURATION = { 0.001, 1e6 };
static const quantity Q_DELAY = { 0, 3600 };      /* latency, jitter */
static const quantity Q_LOSS = { 0, 1 };
static const quantity Q_BANDWIDTH = { 0, 1e12 };
static const quantity Q_RATE = { 1, 1e9 };        /* remote_rate */

static int read_number(loader *ld, const char *field, const quantity *q,
                       double *out)
{
	int isnum;
	double v = lua_tonumberx(ld->L, -1, &isnum);
	if (!isnum || lua_type(ld->L, -1) != LUA_TNUMBER)
		return fail(ld, field, "expected a number, got %s",
		            got(ld->L, -1));
	if (v != v)
		return fail(ld, field, "expected a number from %g to %g, got "
		            "NaN", q->lo, q->hi);
	if (!(v >= q->lo && v <= q->hi))
		return fail(ld, field, "expected a number from %g to %g, got %g",
		            q->lo, q->hi, v);
	*out = v;
	return 1;
}

static int read_integer(loader *ld, const char *field, lua_Integer lo,
                        lua_Integer hi, lua_Integer *out)
{
	int isint;
	lua_Integer v = lua_tointegerx(ld->L, -1, &isint);
	if (!isint || lua_type(ld->L, -1) != LUA_TNUMBER)
		return fail(ld, field, "expected a whole number, got %s",
		            lua_type(ld->L, -1) == LUA_TNUMBER ? "a fraction"
		            : got(ld->L, -1));
	if (v < lo || v > hi)
		return fail(ld, field, "expected a whole number from %lld to "
		            "%lld, got %lld", (long long)lo, (long long)hi,
		            (long long)v);
	*out = v;
	return 1;
}

static void scripts_add(rs_scripts *s, const char *name, const char *src,
                        size_t len)
{
	rs_script *v = realloc(s->v, (s->n + 1) * sizeof *v);
	if (v == NULL)
		abort();
	s->v = v;
	v[s->n].name = xstrdup(name);
	v[s->n].source = xmemdup(src, len);
	v[s->n].len = len;
	s->n++;
}

static void scripts_free(rs_scripts *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].source);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* One script: a string of source, or { file = "x.lua" } relative to the
 * scenario, or { source = "...", name = "Name" }. */
static int read_one_script(loader *ld, const char *field, const char *dflt,
                           rs_scripts *out)
{
	lua_State *L = ld->L;
	if (lua_type(L, -1) == LUA_TSTRING) {
		size_t len;
		const char *s = lua_tolstring(L, -1, &len);
		scripts_add(out, dflt, s, len);
		return 1;
	}
	if (lua_type(L, -1) != LUA_TTABLE)
		return fail(ld, field, "expected script source (a string) or "
		            "{ file = \"path.lua\" }, got %s", got(L, -1));
	rawfield(L, -1, "name");
	const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
	                                                  : dflt;
	if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
		return fail(ld, field, "name: expected a string, got %s",
		            got(L, -1));
	rawfield(L, -2, "file");
	rawfield(L, -3, "source");
	int ok = 1;
	if (lua_type(L, -2) == LUA_TSTRING && lua_isnil(L, -1)) {
		const char *file = lua_tostring(L, -2);
		char path[1024];
		const char *slash = strrchr(ld->path, '/');
		if (file[0] == '/' || slash == NULL)
			snprintf(path, sizeof path, "%s", file);
		else
			snprintf(path, sizeof path, "%.*s/%s",
			         (int)(slash - ld->path), ld->path, file);
		size_t len;
		char *text = read_file(path, &len);
		if (text == NULL) {
			ok = fail(ld, field, "cannot read script file '%s': %s",
			          path, strerror(errno));
		} else {
			scripts_add(out, name, text, len);
			free(text);
		}
	} else if (lua_type(L, -1) == LUA_TSTRING && lua_isnil(L, -2)) {
		size_t len;
		const char *s = lua_tolstring(L, -1, &len);
		scripts_add(out, name, s, len);
	} else {
		ok = fail(ld, field, "a script table needs exactly one of "
		          "'file' (a path) or 'source' (a string)");
	}
	lua_pop(L, 3);
	return ok;
}

/* A script, or a list of them. */
static int read_scripts(loader *ld, const char *field, const char *dflt,
                        rs_scripts *out)
{
	lua_State *L = ld->L;
	scripts_free(out);
	if (lua_type(L, -1) == LUA_TTABLE && lua_rawlen(L, -1) > 0) {
		lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, -1, i);
			char name[64];
			if (i == 1)
				snprintf(name, sizeof name, "%s", dflt);
			else
				snprintf(name, sizeof name, "%s%lld", dflt,
				         (long long)i);
			int ok = read_one_script(ld, field, name, out);
			lua_pop(L, 1);
			if (!ok)
				return 0;
		}
		return 1;
	}
	return read_one_script(ld, field, dflt, out);
}

/* ---- the fields of a scenario ---- */

static int f_section(loader *ld, rs_scenario *sc)
{
	return read_string(ld, "section", &sc->section);
}

static int f_title(loader *ld, rs_scenario *sc)
{
	return read_string(ld, "title", &sc->title);
}

static int f_seed(loader *ld, rs_scenario *sc)
{
	lua_Integer v = 0;
	if (!read_integer(ld, "seed", 0, INT64_MAX, &v))
		return 0;
	sc->seed = (uint64_t)v;
	return 1;
}

static int check_keys(loader *ld, const char *where,
                      const char *const *allowed);
static int opt_number(loader *ld, const char *where, const char *key,
                      const quantity *q, double *out);

static void specs_free(rs_scenario *sc)
{
	for (int k = 0; k < sc->nclients && sc->client_specs; k++) {
		free(sc->client_specs[k].name);
		scripts_free(&sc->client_specs[k].scripts);
	}
	free(sc->client_specs);
	sc->client_specs = NULL;
}

static void specs_default(rs_scenario *sc, int n)
{
	specs_free(sc);
	sc->nclients = n;
	sc->client_specs = calloc((size_t)n + 1, sizeof *sc->client_specs);
	if (sc->client_specs == NULL)
		abort();
	for (int k = 0; k < n; k++) {
		rs_client_spec *c = &sc->client_specs[k];
		char name[32];
		snprintf(name, sizeof name, "Player%d", k + 1);
		c->name = xstrdup(name);
		c->latency_up = c->latency_down = c->jitter = c->loss =
			c->bandwidth = -1;
	}
}

/* { name = "Alice", latency = 0.2, join = 1.5, client = [[...]] } */
static int read_client_spec(loader *ld, rs_client_spec *c, size_t i)
{
	static const char *const keys[] = {
		"name", "latency", "latency_up", "latency_down", "jitter", "loss",
		"bandwidth", "join", "client", NULL
	};
	lua_State *L = ld->L;
	char where[48];
	snprintf(where, sizeof where, "clients[%zu]", i);
	if (lua_type(L, -1) != LUA_TTABLE)
		return fail(ld, "clients", "entry %zu: expected a table such as "
		            "{ name = \"Player1\", latency = 0.1 }, got %s", i,
		            got(L, -1));
	if (!check_keys(ld, where, keys))
		return 0;
	rawfield(L, -1, "name");
	if (lua_type(L, -1) == LUA_TSTRING) {
		free(c->name);
		c->name = xstrdup(lua_tostring(L, -1));
	} else if (!lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return fail(ld, "name", "clients entry %zu: expected a string", i);
	}
	lua_pop(L, 1);
	double lat = -1, join = 0;
	if (!opt_number(ld, where, "latency", &Q_DELAY, &lat) ||
	    !opt_number(ld, where, "latency_up", &Q_DELAY, &c->latency_up) ||
	    !opt_number(ld, where, "latency_down", &Q_DELAY, &c->latency_down) ||
	    !opt_number(ld, where, "jitter", &Q_DELAY, &c->jitter) ||
	    !opt_number(ld, where, "loss", &Q_LOSS, &c->loss) ||
	    !opt_number(ld, where, "bandwidth", &Q_BANDWIDTH, &c->bandwidth) ||
	    !opt_number(ld, where, "join", &Q_TIME, &join))
		return 0;
	if (lat >= 0) {
		if (c->latency_up < 0)
			c->latency_up = lat;
		if (c->latency_down < 0)
			c->latency_down = lat;
	}
	c->join_at = rs_time_from_sec(join);
	rawfield(L, -1, "client");
	int ok = lua_isnil(L, -1) ||
	         read_scripts(ld, "client", "LocalScript", &c->scripts);
	lua_pop(L, 1);
	return ok;
}

static int f_clients(loader *ld, rs_scenario *sc)
{
	lua_State *L = ld->L;
	if (lua_type(L, -1) == LUA_TTABLE) {
		size_t n = lua_rawlen(L, -1);
		if (n > MAX_CLIENTS)
			return fail(ld, "clients", "at most %d clients", MAX_CLIENTS);
		specs_default(sc, (int)n);
		for (size_t i = 1; i <= n; i++) {
			lua_rawgeti(L, -1, (lua_Integer)i);
			int ok = read_client_spec(ld, &sc->client_specs[i - 1], i);
			lua_pop(L, 1);
			if (!ok)
				return 0;
		}
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (strcmp(sc->client_specs[i].name,
				           sc->client_specs[j].name) == 0)
					return fail(ld, "clients", "two clients are named "
					            "\"%s\"", sc->client_specs[i].name);
		return 1;
	}
	lua_Integer v = 0;
	if (lua_type(L, -1) != LUA_TNUMBER)
		return fail(ld, "clients", "expected a whole number or a list of "
		            "clients, got %s", got(L, -1));
	if (!read_integer(ld, "clients", 0, MAX_CLIENTS, &v))
		return 0;
	specs_default(sc, (int)v);
	return 1;
}

rs_link_config rs_scenario_link(const rs_scenario *sc, int k)
{
	rs_link_config l = sc->link;
	const rs_client_spec *c = &sc->client_specs[k];
	if (c->latency_up >= 0)
		l.latency_up = c->latency_up;
	if (c->latency_down >= 0)
		l.latency_down = c->latency_down;
	if (c->jitter >= 0)
		l.jitter = c->jitter;
	if (c->loss >= 0)
		l.loss = c->loss;
	if (c->bandwidth >= 0)
		l.bandwidth = c->bandwidth;
	return l;
}

static int f_duration(loader *ld, rs_scenario *sc)
{
	double v = 0;
	if (!read_number(ld, "duration", &Q_DURATION, &v))
		return 0;
	sc->duration = rs_time_from_sec(v);
	return 1;
}

static int f_frame_rate(loader *ld, rs_scenario *sc)
{
	lua_Integer v = 0;
	if (!read_integer(ld, "frame_rate", 1, 1000, &v))
		return 0;
	sc->frame_hz = (int)v;
	return 1;
}

static int f_signal_behavior(loader *ld, rs_scenario *sc)
{
	char *s = NULL;
	if (!read_string(ld, "signal_behavior", &s))
		return 0;
	int ok = 1;
	if (strcmp(s, "Deferred") == 0)
		sc->signal_mode = RS_SIGNAL_DEFERRED;
	else if (strcmp(s, "Immediate") == 0)
		sc->signal_mode = RS_SIGNAL_IMMEDIATE;
	else
		ok = fail(ld, "signal_behavior", "expected \"Deferred\" or "
		          "\"Immediate\", got \"%s\"", s);
	free(s);
	return ok;
}

static int f_server(loader *ld, rs_scenario *sc)
{
	return read_scripts(ld, "server", "Script", &sc->server);
}

static int f_client(loader *ld, rs_scenario *sc)
{
	return read_scripts(ld, "client", "LocalScript", &sc->client);
}


/* Checks that the table on top has only keys from `allowed`; `where`
 * names it in the message ("network", "timeline[2]"). */
static int check_keys(loader *ld, const char *where,
                      const char *const *allowed)
{
	lua_State *L = ld->L;
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pop(L, 1);
		int ok = 0;
		if (lua_type(L, -1) == LUA_TSTRING)
			for (const char *const *a = allowed; *a && !ok; a++)
				ok = strcmp(*a, lua_tostring(L, -1)) == 0;
		else if (lua_type(L, -1) == LUA_TNUMBER)
			ok = allowed[0] && strcmp(allowed[0], "[1]") == 0;
		if (!ok) {
			char known[300] = "";
			for (const char *const *a = allowed; *a; a++) {
				if (strcmp(*a, "[1]") == 0)
					continue;
				strcat(known, *known ? ", " : "");
				strncat(known, *a, sizeof known - strlen(known) - 3);
			}
			char key[120];
			snprintf(key, sizeof key, "%s", lua_type(L, -1) == LUA_TSTRING
			         ? lua_tostring(L, -1) : luaL_typename(L, -1));
			lua_pop(L, 1);
			char field[200];
			snprintf(field, sizeof field, "%s.%s", where, key);
			int line = find_line(ld->src, key);
			fail(ld, field, "unknown field (known fields: %s)", known);
			if (line)
				ld->err->line = line;
			return 0;
		}
	}
	return 1;
}

/* The line of `key =` at or after the line of the top-level field that
 * `where` is in ("timeline[2]" -> timeline), so a timeline latency is not
 * found at network.latency; the first `key =` if there is none after. */
static int key_line_in(loader *ld, const char *where, const char *key)
{
	char top[64];
	snprintf(top, sizeof top, "%.*s", (int)strcspn(where, "[."), where);
	int from = find_line(ld->src, top);
	const char *p = ld->src;
	for (int l = 1; l < from && *p; p++)
		l += *p == '\n';
	int at = from ? find_line(p, key) : 0;
	return at ? from + at - 1 : find_line(ld->src, key);
}

/* Reads the number field `key` of the table on top, if present. */
static int opt_number(loader *ld, const char *where, const char *key,
                      const quantity *q, double *out)
{
	rawfield(ld->L, -1, key);
	int ok = 1;
	if (!lua_isnil(ld->L, -1)) {
		char field[160];
		snprintf(field, sizeof field, "%s.%s", where, key);
		ok = read_number(ld, field, q, out);
		if (!ok)
			ld->err->line = key_line_in(ld, where, key);
	}
	lua_pop(ld->L, 1);
	return ok;
}

static int f_network(loader *ld, rs_scenario *sc)
{
	static const char *const keys[] = {
		"latency", "latency_up", "latency_down", "jitter",
		"jitter_distribution", "loss", "bandwidth", "remote_rate", NULL
	};
	lua_State *L = ld->L;
	if (lua_type(L, -1) != LUA_TTABLE)
		return fail(ld, "network", "expected a table such as { latency = "
		            "0.05, jitter = 0.01 }, got %s", got(L, -1));
	if (!check_keys(ld, "network", keys))
		return 0;
	rs_link_config *c = &sc->link;
	double lat = -1;
	if (!opt_number(ld, "network", "latency", &Q_DELAY, &lat))
		return 0;
	if (lat >= 0)
		c->latency_up = c->latency_down = lat;
	if (!opt_number(ld, "network", "latency_up", &Q_DELAY, &c->latency_up) ||
	    !opt_number(ld, "network", "latency_down", &Q_DELAY,
	                &c->latency_down) ||
	    !opt_number(ld, "network", "jitter", &Q_DELAY, &c->jitter) ||
	    !opt_number(ld, "network", "loss", &Q_LOSS, &c->loss) ||
	    !opt_number(ld, "network", "bandwidth", &Q_BANDWIDTH, &c->bandwidth) ||
	    !opt_number(ld, "network", "remote_rate", &Q_RATE, &c->remote_rate))
		return 0;
	rawfield(L, -1, "jitter_distribution");
	int ok = 1;
	if (!lua_isnil(L, -1)) {
		const char *d = lua_tostring(L, -1);
		if (lua_type(L, -1) == LUA_TSTRING && strcmp(d, "uniform") == 0)
			c->jitter_kind = RS_JITTER_UNIFORM;
		else if (lua_type(L, -1) == LUA_TSTRING && strcmp(d, "normal") == 0)
			c->jitter_kind = RS_JITTER_NORMAL;
		else
			ok = fail(ld, "jitter_distribution", "expected \"uniform\" or "
			          "\"normal\"");
	}
	lua_pop(L, 1);
	return ok;
}

/* ---- tree ---- */

static void tree_free(rs_tree_node *n)
{
	for (size_t k = 0; k < n->nkids; k++)
		tree_free(&n->kids[k]);
	free(n->kids);
	free(n->name);
	free(n->cls);
	free(n->source);
	memset(n, 0, sizeof *n);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const rs_tree_node *)a)->name,
	              ((const rs_tree_node *)b)->name);
}

#define TREE_DEPTH 64

/* Where the tree walk is: the dotted path of the entry being read
 * ("tree.Workspace.X") and the stack index of a table that holds the
 * tables on that path, so a table inside itself is found. */
typedef struct tree_walk {
	char path[512];
	int onpath;
} tree_walk;

static int tree_fail(loader *ld, const tree_walk *w, const char *name,
                     const char *fmt, const char *arg)
{
	fail(ld, w->path, fmt, arg);
	/* a generated tree has no `name =` in the text: the tree's line */
	int line = name ? find_line(ld->src, name) : 0;
	ld->err->line = line ? line : find_line(ld->src, "tree");
	return 0;
}

static int read_tree_children(loader *ld, tree_walk *w, rs_tree_node *parent,
                              int depth);

/* The value on top describes one instance named `name`: a class name, or
 * a table { class = "...", source = "..." | file = "...", Child = ... }. */
static int read_tree_node(loader *ld, tree_walk *w, rs_tree_node *n,
                          const char *name, int depth)
{
	lua_State *L = ld->L;
	n->name = xstrdup(name);
	if (lua_type(L, -1) == LUA_TSTRING) {
		n->cls = xstrdup(lua_tostring(L, -1));
		return 1;
	}
	if (lua_type(L, -1) != LUA_TTABLE)
		return tree_fail(ld, w, name, "a tree entry is a class name or a "
		                 "table, got %s", got(L, -1));
	if (depth >= TREE_DEPTH)
		return tree_fail(ld, w, name, "the tree is nested more than %s "
		                 "levels deep", "64");
	/* each level holds a key, a value and a few temporaries */
	if (!lua_checkstack(L, 8))
		return tree_fail(ld, w, name, "%s", "the tree is nested too deeply");
	lua_pushvalue(L, -1);
	if (lua_rawget(L, w->onpath) != LUA_TNIL) {
		char *outer = xstrdup(lua_tostring(L, -1));
		lua_pop(L, 1);
		tree_fail(ld, w, name, "the table is inside itself (it is also "
		          "%s)", outer);
		free(outer);
		return 0;
	}
	lua_pop(L, 1);
	rawfield(L, -1, "class");
	n->cls = xstrdup(lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
	                                                : "Folder");
	int bad = !lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING;
	lua_pop(L, 1);
	if (bad)
		return tree_fail(ld, w, name, "%s", "class: expected a class name");
	rawfield(L, -1, "source");
	rawfield(L, -2, "file");
	int has = !lua_isnil(L, -1) || !lua_isnil(L, -2);
	lua_pop(L, 2);
	if (has) {
		rs_scripts one = { 0 };
		lua_pushvalue(L, -1);
		/* read_one_script reads { source = } or { file = } */
		int ok = read_one_script(ld, w->path, name, &one);
		lua_pop(L, 1);
		if (!ok)
			return 0;
		n->source = one.v[0].source;
		n->len = one.v[0].len;
		one.v[0].source = NULL;
		scripts_free(&one);
	}
	lua_pushvalue(L, -1);
	lua_pushstring(L, w->path);
	lua_rawset(L, w->onpath);
	int ok = read_tree_children(ld, w, n, depth + 1);
	lua_pushvalue(L, -1);
	lua_pushnil(L);
	lua_rawset(L, w->onpath);
	return ok;
}

static int read_tree_children(loader *ld, tree_walk *w, rs_tree_node *parent,
                              int depth)
{
	lua_State *L = ld->L;
	size_t n = 0;
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pop(L, 1);
		n++;
	}
	parent->kids = calloc(n ? n : 1, sizeof *parent->kids);
	if (parent->kids == NULL)
		abort();
	size_t plen = strlen(w->path);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		if (lua_type(L, -2) != LUA_TSTRING) {
			lua_pop(L, 2);
			return tree_fail(ld, w, NULL, "%s",
			                 "instance names must be strings");
		}
		const char *k = lua_tostring(L, -2);
		if (strcmp(k, "class") == 0 || strcmp(k, "source") == 0 ||
		    strcmp(k, "file") == 0 || strcmp(k, "name") == 0) {
			lua_pop(L, 1);
			continue;
		}
		snprintf(w->path + plen, sizeof w->path - plen, ".%s", k);
		int ok = read_tree_node(ld, w, &parent->kids[parent->nkids++], k,
		                        depth);
		w->path[plen] = '\0';
		lua_pop(L, 1);
		if (!ok) {
			lua_pop(L, 1);
			return 0;
		}
	}
	/* a table's order is not its writing order: sort by name */
	qsort(parent->kids, parent->nkids, sizeof *parent->kids, name_cmp);
	return 1;
}

/* project = "default.project.json", relative to the scenario file. */
static int f_project(loader *ld, rs_scenario *sc)
{
	char *rel = NULL;
	if (!read_string(ld, "project", &rel))
		return 0;
	const char *slash = strrchr(ld->path, '/');
	size_t dl = slash && rel[0] != '/' ? (size_t)(slash - ld->path) + 1 : 0;
	char *path = malloc(dl + strlen(rel) + 1);
	if (path == NULL)
		abort();
	memcpy(path, ld->path, dl);
	strcpy(path + dl, rel);
	free(rel);
	rs_project_error pe;
	rs_project_free(sc->project);
	sc->project = rs_project_load(path, &pe);
	free(path);
	if (sc->project == NULL) {
		/* the project's own file and line: that is where the fix goes */
		rs_scenario_error *e = ld->err;
		snprintf(e->file, sizeof e->file, "%s", pe.file);
		e->line = pe.line;
		snprintf(e->msg, sizeof e->msg, "%s", pe.msg);
		return 0;
	}
	return 1;
}

static int f_tree(loader *ld, rs_scenario *sc)
{
	if (lua_type(ld->L, -1) != LUA_TTABLE)
		return fail(ld, "tree", "expected a table of services, got %s",
		            got(ld->L, -1));
	tree_free(&sc->tree);
	lua_State *L = ld->L;
	if (!lua_checkstack(L, 8))
		return fail(ld, "tree", "out of stack space");
	tree_walk w = { "tree", 0 };
	lua_newtable(L);
	w.onpath = lua_gettop(L);
	lua_pushvalue(L, -2);
	lua_pushliteral(L, "tree");
	lua_rawset(L, w.onpath);
	lua_pushvalue(L, -2);
	int ok = read_tree_children(ld, &w, &sc->tree, 0);
	lua_pop(L, 2);
	return ok;
}

/* ---- timeline ---- */

static int f_timeline(loader *ld, rs_scenario *sc)
{
	static const char *const keys[] = {
		"at", "join", "disconnect", "partition", "heal", "heal_at",
		"latency", "player", NULL
	};
	static const struct { const char *key; rs_action act; } acts[] = {
		{ "join", RS_ACT_JOIN }, { "disconnect", RS_ACT_DISCONNECT },
		{ "partition", RS_ACT_PARTITION }, { "heal", RS_ACT_HEAL },
		{ "latency", RS_ACT_LATENCY },
	};
	lua_State *L = ld->L;
	if (lua_type(L, -1) != LUA_TTABLE)
		return fail(ld, "timeline", "expected a list of events, got %s",
		            got(L, -1));
	size_t n = lua_rawlen(L, -1);
	sc->timeline = calloc(n ? n : 1, sizeof *sc->timeline);
	if (sc->timeline == NULL)
		abort();
	for (size_t i = 1; i <= n; i++) {
		char where[64];
		snprintf(where, sizeof where, "timeline[%zu]", i);
		lua_rawgeti(L, -1, (lua_Integer)i);
		if (lua_type(L, -1) != LUA_TTABLE || !check_keys(ld, where, keys)) {
			if (lua_type(L, -1) != LUA_TTABLE)
				fail(ld, "timeline", "entry %zu: expected a table such as "
				     "{ at = 1, disconnect = \"Player1\" }", i);
			lua_pop(L, 1);
			return 0;
		}
		rs_timeline_event *e = &sc->timeline[sc->ntimeline++];
		double at = -1, heal = 0;
		if (!opt_number(ld, where, "at", &Q_TIME, &at) ||
		    !opt_number(ld, where, "heal_at", &Q_TIME, &heal)) {
			lua_pop(L, 1);
			return 0;
		}
		if (at < 0) {
			lua_pop(L, 1);
			return fail(ld, "timeline", "entry %zu: 'at' (the virtual time "
			            "in seconds) is missing", i);
		}
		e->at = rs_time_from_sec(at);
		e->heal_at = rs_time_from_sec(heal);
		int found = 0;
		for (size_t a = 0; a < sizeof acts / sizeof *acts; a++) {
			rawfield(L, -1, acts[a].key);
			if (!lua_isnil(L, -1)) {
				found++;
				e->action = acts[a].act;
				if (acts[a].act == RS_ACT_LATENCY) {
					lua_pop(L, 1);
					if (!opt_number(ld, where, "latency", &Q_DELAY,
					                &e->latency)) {
						lua_pop(L, 1);
						return 0;
					}
					lua_pushnil(L); /* popped below */
					rawfield(L, -2, "player");
					if (lua_type(L, -1) == LUA_TSTRING)
						e->player = xstrdup(lua_tostring(L, -1));
					lua_pop(L, 1);
				} else if (lua_type(L, -1) == LUA_TSTRING) {
					free(e->player);
					e->player = xstrdup(lua_tostring(L, -1));
				} else {
					lua_pop(L, 2);
					return fail(ld, acts[a].key, "entry %zu: expected a "
					            "player name", i);
				}
			}
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		if (found != 1)
			return fail(ld, "timeline", "entry %zu: needs exactly one of "
			            "join, disconnect, partition, heal, latency", i);
		if (e->heal_at && e->heal_at <= e->at)
			return fail(ld, "heal_at", "entry %zu: heal_at must be later "
			            "than at", i);
	}
	return 1;
}

/* ---- who is connected when: a timeline join must find its player gone */

typedef struct join_step {
	const char *name;
	rs_time at;
	size_t order;             /* the run's order at equal times: the
	                           * clients' joins, then the timeline's */
	int entry;                /* timeline index, or -1 for a client join */
} join_step;

static int join_step_cmp(const void *a, const void *b)
{
	const join_step *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The line of timeline entry i's `join` key: the n-th `join =` written
 * after `timeline =`, n counting the join entries up to i. */
static int join_entry_line(loader *ld, const rs_scenario *sc, int i)
{
	int line = find_line(ld->src, "timeline");
	int nth = 0;
	for (int j = 0; j <= i; j++)
		nth += sc->timeline[j].action == RS_ACT_JOIN;
	const char *p = ld->src;
	for (int l = 1; l < line && *p; p++)
		l += *p == '\n';
	while (line && nth-- > 0) {
		int at = find_line(p, "join");
		if (at == 0)
			return 0;
		for (int l = 1; l < at && *p; p++)
			l += *p == '\n';
		line += at - 1;
		if (nth > 0)
			p += strcspn(p, "\n");      /* the next one is on a later line */
	}
	return line;
}

/* A `join` of a player who is still connected then is refused: the
 * timeline (with the clients' join times) decides it in the order the run
 * takes its events.  A player a script kicks is not foreseen here: a
 * `disconnect` before the `join` says the player is gone either way.
 * Sorted by name, so linear in the entries after the sort. */
static int check_joins(loader *ld, rs_scenario *sc)
{
	size_t n = (size_t)sc->nclients + sc->ntimeline, m = 0;
	join_step *v = calloc(n ? n : 1, sizeof *v);
	if (v == NULL)
		abort();
	for (int k = 0; k < sc->nclients; k++, m++)
		v[m] = (join_step){ sc->client_specs[k].name,
		                    sc->client_specs[k].join_at, m, -1 };
	for (size_t i = 0; i < sc->ntimeline; i++) {
		const rs_timeline_event *e = &sc->timeline[i];
		if (e->action == RS_ACT_JOIN || e->action == RS_ACT_DISCONNECT) {
			v[m] = (join_step){ e->player, e->at, m, (int)i };
			m++;
		}
	}
	qsort(v, m, sizeof *v, join_step_cmp);
	int ok = 1;
	rs_time since = -1;       /* when the player joined; -1: not connected */
	for (size_t i = 0; i < m && ok; i++) {
		if (i == 0 || strcmp(v[i - 1].name, v[i].name) != 0)
			since = -1;
		const rs_timeline_event *e = v[i].entry >= 0 ?
		                             &sc->timeline[v[i].entry] : NULL;
		if (e && e->action == RS_ACT_DISCONNECT) {
			since = -1;
		} else if (since < 0) {
			since = v[i].at;
		} else if (e) {
			fail(ld, NULL, "timeline[%d]: join: %s is still connected at "
			     "%g s (joined at %g s); a player joins again only after "
			     "a disconnect", v[i].entry + 1, e->player,
			     rs_time_to_sec(e->at), rs_time_to_sec(since));
			ld->err->line = join_entry_line(ld, sc, v[i].entry);
			ok = 0;
		}
	}
	free(v);
	return ok;
}

/* ---- expectations ---- */

/* The line on which the string s is written at or after line `from`. */
static int find_text_line(const char *src, const char *s, int from)
{
	int line = 1;
	size_t n = strlen(s);
	if (n == 0)
		return 0;
	for (const char *p = src; *p; p++) {
		if (line >= from && strncmp(p, s, n) == 0)
			return line;
		if (*p == '\n')
			line++;
	}
	return 0;
}

/* Lua's pattern syntax, checked before the run: NULL if `pat` is a pattern
 * string.find accepts whatever the subject, else what is wrong, in Lua's
 * words.  It follows lstrlib.c's classEnd, captures and %b/%f. */
static const char *pattern_error(const char *pat)
{
	enum { MAXCAP = 32 };
	int open[MAXCAP];        /* 1 while capture k is unfinished */
	int level = 0;
	const char *p = pat, *end = pat + strlen(pat);
	while (p < end) {
		switch (*p) {
		case '(':
			if (level >= MAXCAP)
				return "too many captures";
			open[level++] = p[1] != ')';
			p += p[1] == ')' ? 2 : 1;
			continue;
		case ')': {
			int l = level - 1;
			while (l >= 0 && !open[l])
				l--;
			if (l < 0)
				return "invalid pattern capture";
			open[l] = 0;
			p++;
			continue;
		}
		case '%':
			if (p + 1 == end)
				return "malformed pattern (ends with '%')";
			if (p[1] == 'b') {
				if (end - p < 4)
					return "malformed pattern (missing arguments to "
					       "'%b')";
				p += 4;
				continue;
			}
			if (p[1] == 'f') {
				p += 2;
				if (*p != '[')
					return "missing '[' after '%f' in pattern";
				break;    /* the set, below */
			}
			if (p[1] >= '0' && p[1] <= '9') {
				int l = p[1] - '1';
				if (l < 0 || l >= level || open[l])
					return "invalid capture index in pattern";
				p += 2;
				continue;
			}
			p += 2;
			goto single;
		default:
			if (*p != '[') {
				p++;
				goto single;
			}
		}
		/* a set [...]: p at '[' */
		p++;
		if (*p == '^')
			p++;
		do {
			if (p >= end)
				return "malformed pattern (missing ']')";
			if (*p++ == '%' && p < end)
				p++;
		} while (p >= end || *p != ']');
		p++;
	single:
		if (p < end && strchr("*+-?", *p))
			p++;
	}
	for (int l = 0; l < level; l++)
		if (open[l])
			return "unfinished capture";
	return NULL;
}

/* A load error if `pat`, given as field `where` on `line`, is malformed. */
static int check_pattern(loader *ld, const char *where, const char *pat,
                         int line)
{
	const char *why = pattern_error(pat);
	if (why == NULL)
		return 1;
	fail(ld, where, "%s", why);
	ld->err->line = line;
	return 0;
}

static int read_expect_lines(loader *ld, const char *field,
                             rs_expect_line **out, size_t *nout)
{
	lua_State *L = ld->L;
	if (lua_type(L, -1) != LUA_TTABLE)
		return fail(ld, field, "expected a list of lines, got %s",
		            got(L, -1));
	size_t n = lua_rawlen(L, -1);
	*out = calloc(n ? n : 1, sizeof **out);
	if (*out == NULL)
		abort();
	int from = find_line(ld->src, field);
	for (size_t i = 1; i <= n; i++) {
		rs_expect_line *e = &(*out)[(*nout)++];
		e->at = -1;
		lua_rawgeti(L, -1, (lua_Integer)i);
		if (lua_type(L, -1) == LUA_TSTRING) {
			e->text = xstrdup(lua_tostring(L, -1));
		} else if (lua_type(L, -1) == LUA_TTABLE) {
			static const char *const keys[] = { "[1]", "match", "at", NULL };
			char where[64];
			snprintf(where, sizeof where, "%s[%zu]", field, i);
			double at = -1;
			if (!check_keys(ld, where, keys) ||
			    !opt_number(ld, where, "at", &Q_TIME, &at)) {
				lua_pop(L, 1);
				return 0;
			}
			if (at >= 0)
				e->at = rs_time_from_sec(at);
			lua_rawgeti(L, -1, 1);
			rawfield(L, -2, "match");
			if (lua_type(L, -2) == LUA_TSTRING && lua_isnil(L, -1))
				e->text = xstrdup(lua_tostring(L, -2));
			else if (lua_type(L, -1) == LUA_TSTRING && lua_isnil(L, -2))
				e->match = xstrdup(lua_tostring(L, -1));
			lua_pop(L, 2);
			if (!e->text && !e->match) {
				lua_pop(L, 1);
				return fail(ld, field, "entry %zu: give the line as its "
				            "first element or a 'match' pattern", i);
			}
		} else {
			lua_pop(L, 1);
			return fail(ld, field, "entry %zu: expected \"peer: text\" or "
			            "{ match = \"pattern\" }, got %s", i, got(L, -1));
		}
		lua_pop(L, 1);
		e->line = find_text_line(ld->src, e->text ? e->text : e->match,
		                         from);
		char where[64];
		snprintf(where, sizeof where, "%s[%zu].match", field, i);
		if (e->match && !check_pattern(ld, where, e->match, e->line))
			return 0;
	}
	return 1;
}

static int read_peer_pattern_list(loader *ld, const char *field,
                                  const char *pat_key, int blocked,
                                  rs_scenario *sc)
{
	lua_State *L = ld->L;
	if (lua_type(L, -1) != LUA_TTABLE)
		return fail(ld, field, "expected a list, got %s", got(L, -1));
	size_t n = lua_rawlen(L, -1);
	int from = find_line(ld->src, field);
	if (blocked)
		sc->blocked = calloc(n ? n : 1, sizeof *sc->blocked);
	else
		sc->errors = calloc(n ? n : 1, sizeof *sc->errors);
	if (sc->blocked == NULL && sc->errors == NULL)
		abort();
	for (size_t i = 1; i <= n; i++) {
		const char *keys[] = { "peer", pat_key, NULL };
		char where[64];
		snprintf(where, sizeof where, "%s[%zu]", field, i);
		lua_rawgeti(L, -1, (lua_Integer)i);
		if (lua_type(L, -1) != LUA_TTABLE || !check_keys(ld, where, keys)) {
			if (lua_type(L, -1) != LUA_TTABLE)
				fail(ld, field, "entry %zu: expected { peer = \"server\", "
				     "%s = \"pattern\" }", i, pat_key);
			lua_pop(L, 1);
			return 0;
		}
		rawfield(L, -1, "peer");
		rawfield(L, -2, pat_key);
		char *peer = lua_type(L, -2) == LUA_TSTRING
		           ? xstrdup(lua_tostring(L, -2)) : NULL;
		char *pat = xstrdup(lua_type(L, -1) == LUA_TSTRING
		                    ? lua_tostring(L, -1) : "");
		int line = find_text_line(ld->src, pat, from);
		lua_pop(L, 3);
		char pfield[80];
		snprintf(pfield, sizeof pfield, "%s.%s", where, pat_key);
		if (!check_pattern(ld, pfield, pat, line)) {
			free(peer);
			free(pat);
			return 0;
		}
		if (blocked) {
			rs_expect_blocked *b = &sc->blocked[sc->nblocked++];
			b->peer = peer;
			b->on = pat;
			b->line = line;
		} else {
			rs_expect_error *e = &sc->errors[sc->nerrors++];
			e->peer = peer;
			e->match = pat;
			e->line = line;
		}
	}
	return 1;
}

static int f_expect(loader *ld, rs_scenario *sc)
{
	static const char *const keys[] = {
		"output", "output_excludes", "errors", "blocked", NULL
	};
	lua_State *L = ld->L;
	if (lua_type(L, -1) != LUA_TTABLE)
		return fail(ld, "expect", "expected a table, got %s", got(L, -1));
	if (!check_keys(ld, "expect", keys))
		return 0;
	int ok = 1;
	rawfield(L, -1, "output");
	if (!lua_isnil(L, -1))
		ok = read_expect_lines(ld, "output", &sc->output, &sc->noutput);
	lua_pop(L, 1);
	rawfield(L, -1, "output_excludes");
	if (ok && !lua_isnil(L, -1))
		ok = read_expect_lines(ld, "output_excludes", &sc->excludes,
		                       &sc->nexcludes);
	lua_pop(L, 1);
	rawfield(L, -1, "errors");
	if (ok && !lua_isnil(L, -1))
		ok = read_peer_pattern_list(ld, "errors", "match", 0, sc);
	lua_pop(L, 1);
	rawfield(L, -1, "blocked");
	if (ok && !lua_isnil(L, -1))
		ok = read_peer_pattern_list(ld, "blocked", "on", 1, sc);
	lua_pop(L, 1);
	return ok;
}

static const struct field {
	const char *name;
	int (*read)(loader *ld, rs_scenario *sc);
} fields[] = {
	{ "section", f_section },
	{ "title", f_title },
	{ "seed", f_seed },
	{ "clients", f_clients },
	{ "duration", f_duration },
	{ "frame_rate", f_frame_rate },
	{ "signal_behavior", f_signal_behavior },
	{ "network", f_network },
	{ "project", f_project },
	{ "tree", f_tree },
	{ "server", f_server },
	{ "client", f_client },
	{ "timeline", f_timeline },
	{ "expect", f_expect },
};

#define NFIELDS (sizeof fields / sizeof *fields)

static int check_fields(loader *ld, rs_scenario *sc)
{
	lua_State *L = ld->L;
	/* Unknown keys first, so a typo is named before anything else. */
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pop(L, 1);
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
		                                               : NULL;
		size_t i = 0;
		while (k && i < NFIELDS && strcmp(fields[i].name, k) != 0)
			i++;
		if (k == NULL || i == NFIELDS) {
			char known[400] = "";
			for (size_t j = 0; j < NFIELDS; j++) {
				strcat(known, j ? ", " : "");
				strcat(known, fields[j].name);
			}
			if (k == NULL)
				return fail(ld, NULL, "the scenario table has a %s key; "
				            "keys are field names (%s)", got(L, -1),
				            known);
			int ok = fail(ld, k, "unknown field (known fields: %s)",
			              known);
			lua_pop(L, 1);
			return ok;
		}
	}
	for (size_t i = 0; i < NFIELDS; i++) {
		rawfield(L, -1, fields[i].name);
		int ok = lua_isnil(L, -1) || fields[i].read(ld, sc);
		lua_pop(L, 1);
		if (!ok)
			return 0;
	}
	return 1;
}

/* check_fields and check_joins, run by lua_pcall: (table, ld, sc). */
static int check_all(lua_State *L)
{
	loader *ld = lua_touserdata(L, 2);
	rs_scenario *sc = lua_touserdata(L, 3);
	lua_settop(L, 1);
	lua_pushboolean(L, check_fields(ld, sc) && check_joins(ld, sc));
	return 1;
}

/* Splits Lua's "path:line: msg" into the error record. */
static void lua_fail(loader *ld, const char *msg)
{
	rs_scenario_error *e = ld->err;
	snprintf(e->file, sizeof e->file, "%s", ld->path);
	e->line = 0;
	size_t plen = strlen(ld->path);
	if (strncmp(msg, ld->path, plen) == 0 && msg[plen] == ':') {
		char *end;
		long line = strtol(msg + plen + 1, &end, 10);
		if (end != msg + plen + 1 && *end == ':') {
			e->line = (int)line;
			msg = end + 1;
			while (*msg == ' ')
				msg++;
		}
	}
	snprintf(e->msg, sizeof e->msg, "%s", msg);
}

static void open_loader_libs(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base },
		{ LUA_TABLIBNAME, luaopen_table },
		{ LUA_STRLIBNAME, luaopen_string },
		{ LUA_MATHLIBNAME, luaopen_math },
		{ NULL, NULL }
	};
	for (const luaL_Reg *lib = libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	static const char *const unsafe[] = {
		"dofile", "loadfile", "load", "require", "collectgarbage",
		"print", NULL
	};
	for (const char *const *u = unsafe; *u; u++) {
		lua_pushnil(L);
		lua_setglobal(L, *u);
	}
}

rs_scenario *rs_scenario_load(const char *path, rs_scenario_error *err)
{
	memset(err, 0, sizeof *err);
	loader ld = { .path = path, .err = err, .instr = LOADER_INSTR };
	size_t len;
	char *text = read_file(path, &len);
	if (text == NULL) {
		fail(&ld, NULL, "cannot read the scenario: %s", strerror(errno));
		return NULL;
	}
	ld.src = text;
	rs_scenario *sc = calloc(1, sizeof *sc);
	lua_State *L = lua_newstate(loader_alloc, &ld);
	if (sc == NULL || L == NULL) {
		fail(&ld, NULL, "out of memory");
		free(sc);
		free(text);
		if (L)
			lua_close(L);
		return NULL;
	}
	ld.L = L;
	sc->path = xstrdup(path);
	specs_default(sc, 1);
	sc->duration = rs_time_from_sec(30);
	sc->frame_hz = 60;
	int ok = 0;
	open_loader_libs(L);
	char chunk[600];
	snprintf(chunk, sizeof chunk, "@%s", path);
	lua_sethook(L, loader_hook, LUA_MASKCOUNT, 1000);
	if (luaL_loadbufferx(L, text, len, chunk, "t") != LUA_OK ||
	    lua_pcall(L, 0, 1, 0) != LUA_OK) {
		const char *m = lua_tostring(L, -1);
		lua_fail(&ld, m ? m : "error object is not a string");
	} else if (lua_type(L, -1) != LUA_TTABLE) {
		fail(&ld, NULL, "a scenario file must return a table, got %s",
		     got(L, -1));
	} else {
		lua_sethook(L, NULL, 0, 0);
		/* protected: a Lua error here (memory) is a load error too */
		lua_pushcfunction(L, check_all);
		lua_insert(L, -2);
		lua_pushlightuserdata(L, &ld);
		lua_pushlightuserdata(L, sc);
		if (lua_pcall(L, 3, 1, 0) != LUA_OK) {
			const char *m = lua_tostring(L, -1);
			fail(&ld, NULL, "%s", m ? m : "error while reading the table");
		} else {
			ok = lua_toboolean(L, -1);
		}
	}
	lua_close(L);
	free(text);
	if (!ok) {
		rs_scenario_free(sc);
		return NULL;
	}
	if (sc->title == NULL) {
		const char *base = strrchr(path, '/');
		sc->title = xstrdup(base ? base + 1 : path);
	}
	if (sc->section == NULL)
		sc->section = xstrdup("");
	return sc;
}

rs_scenario *rs_scenario_play(const char *path, const rs_play_options *o,
                              rs_scenario_error *err)
{
	memset(err, 0, sizeof *err);
	rs_project_error pe;
	rs_project *p = rs_project_load(path, &pe);
	if (p == NULL) {
		snprintf(err->file, sizeof err->file, "%s", pe.file);
		err->line = pe.line;
		snprintf(err->msg, sizeof err->msg, "%s", pe.msg);
		return NULL;
	}
	rs_scenario *sc = calloc(1, sizeof *sc);
	if (sc == NULL)
		abort();
	sc->path = xstrdup(path);
	char title[300];
	snprintf(title, sizeof title, "play %s with %d player%s",
	         rs_project_name(p), o->clients, o->clients == 1 ? "" : "s");
	sc->title = xstrdup(title);
	sc->section = xstrdup("play");
	sc->project = p;
	sc->play = 1;
	sc->seed = o->seed;
	sc->duration = rs_time_from_sec(o->duration);
	sc->frame_hz = 60;
	sc->link = o->link;
	specs_default(sc, o->clients);
	return sc;
}

void rs_scenario_free(rs_scenario *sc)
{
	if (sc == NULL)
		return;
	rs_project_free(sc->project);
	free(sc->path);
	free(sc->section);
	free(sc->title);
	scripts_free(&sc->server);
	scripts_free(&sc->client);
	specs_free(sc);
	tree_free(&sc->tree);
	for (size_t i = 0; i < sc->ntimeline; i++)
		free(sc->timeline[i].player);
	free(sc->timeline);
	for (size_t i = 0; i < sc->noutput; i++) {
		free(sc->output[i].text);
		free(sc->output[i].match);
	}
	free(sc->output);
	for (size_t i = 0; i < sc->nexcludes; i++) {
		free(sc->excludes[i].text);
		free(sc->excludes[i].match);
	}
	free(sc->excludes);
	for (size_t i = 0; i < sc->nerrors; i++) {
		free(sc->errors[i].peer);
		free(sc->errors[i].match);
	}
	free(sc->errors);
	for (size_t i = 0; i < sc->nblocked; i++) {
		free(sc->blocked[i].peer);
		free(sc->blocked[i].on);
	}
	free(sc->blocked);
	free(sc);
}

void rs_scenario_error_format(const rs_scenario_error *err, char *buf,
                              size_t n)
{
	if (err->line > 0)
		snprintf(buf, n, "%s:%d: %s", err->file, err->line, err->msg);
	else
		snprintf(buf, n, "%s: %s", err->file, err->msg);
}

/* ---- running ---- */

typedef struct run_state {
	const rs_scenario *sc;
	rs_game *g;
	rs_result *r;
} run_state;

static void add_blocked(rs_thread *t, void *ud)
{
	run_state *st = ud;
	rs_result *r = st->r;
	rs_blocked *b = realloc(r->blocked, (r->nblocked + 1) * sizeof *b);
	if (b == NULL)
		abort();
	r->blocked = b;
	char where[256];
	b[r->nblocked].peer = rs_vm_peer(t->vm);
	b[r->nblocked].on = xstrdup(t->waiting_on[0] ? t->waiting_on : "?");
	b[r->nblocked].where = xstrdup(rs_thread_where(t, where, sizeof where));
	b[r->nblocked].since = t->wait_start;
	r->nblocked++;
}

static void build_tree(rs_world *w, rs_inst *parent, const rs_tree_node *n)
{
	for (size_t k = 0; k < n->nkids; k++) {
		const rs_tree_node *c = &n->kids[k];
		rs_inst *i = rs_place_child(w, parent, c->cls, c->name);
		if (i == NULL)
			continue; /* checked when loading */
		if (c->source)
			rs_inst_set_source(i, c->source, c->len);
		build_tree(w, i, c);
	}
}

/* A client has loaded: the game's scripts start where Roblox starts them,
 * then this client's own LocalScripts, in its PlayerScripts. */
static void client_loaded(rs_game *g, int k, void *ud)
{
	rs_world *w = rs_game_world(g, k);
	rs_inst *ps = rs_place_start_client(w);
	run_state *st = ud;
	const rs_client_spec *spec = NULL;
	/* by name: a rejoin is a new client with the old one's name */
	for (int c = 0; c < st->sc->nclients && spec == NULL; c++)
		if (strcmp(st->sc->client_specs[c].name, rs_game_peer_name(g, k)) == 0)
			spec = &st->sc->client_specs[c];
	if (ps == NULL || spec == NULL)
		return;
	const rs_scripts *own = &spec->scripts;
	for (size_t i = 0; i < own->n; i++) {
		rs_inst *ls = rs_world_create_script(w, "LocalScript",
		                                     own->v[i].name,
		                                     own->v[i].source,
		                                     own->v[i].len, ps);
		rs_world_run_script(w, ls); /* started already if live */
	}
}

/* The client a timeline entry names: the newest session of that player
 * (a player who left and joined again has one client per session; only
 * the newest can be connected). */
static int client_index(rs_game *g, const char *name)
{
	for (int k = rs_game_npeers(g) - 1; k >= 1; k--)
		if (strcmp(rs_game_peer_name(g, k), name) == 0)
			return k;
	return -1;
}

static void timeline_event(rs_sim *sim, const rs_event *ev)
{
	(void)sim;
	run_state *st = ev->ctx;
	const rs_timeline_event *e = &st->sc->timeline[ev->a];
	rs_game *g = st->g;
	int k = e->player ? client_index(g, e->player) : -1;
	if (ev->b == 1) { /* the heal of a partition with heal_at */
		rs_net_heal(rs_game_net(g), k);
		return;
	}
	switch (e->action) {
	case RS_ACT_JOIN:
		/* the loader refused a join of a connected player (check_joins) */
		if (k < 0)
			k = rs_game_add_client(g, e->player, &st->sc->link);
		else if (rs_game_client_joined(g, k))
			k = rs_game_add_rejoin(g, k);
		if (k > 0)
			rs_game_join(g, k, client_loaded, st);
		break;
	case RS_ACT_DISCONNECT:
		if (k > 0)
			rs_game_leave(g, k, NULL);
		break;
	case RS_ACT_PARTITION:
		if (k > 0) {
			rs_net_partition(rs_game_net(g), k);
			if (e->heal_at)
				rs_sim_at(sim, e->heal_at, timeline_event, st, ev->a, 1);
		}
		break;
	case RS_ACT_HEAL:
		if (k > 0)
			rs_net_heal(rs_game_net(g), k);
		break;
	case RS_ACT_LATENCY:
		for (int c = 1; c < rs_game_npeers(g); c++)
			if (k < 0 || c == k)
				rs_net_set_latency(rs_game_net(g), c, e->latency,
				                   e->latency);
		break;
	}
}

static void join_event(rs_sim *sim, const rs_event *ev)
{
	(void)sim;
	run_state *st = ev->ctx;
	rs_game_join(st->g, (int)ev->a, client_loaded, st);
}

/* The text an output expectation is matched against: "peer: text". */
static char *entry_line(const rs_result *r, const rs_entry *e)
{
	size_t n = strlen(r->peer_names[e->peer]) + strlen(e->text) + 3;
	char *s = malloc(n);
	if (s == NULL)
		abort();
	snprintf(s, n, "%s: %s", r->peer_names[e->peer], e->text);
	return s;
}

/* Lua pattern matching, in a small state of its own. */
static int pattern_match(lua_State *L, const char *subject, const char *pat)
{
	lua_getglobal(L, "string");
	lua_getfield(L, -1, "find");
	lua_pushstring(L, subject);
	lua_pushstring(L, pat);
	int ok = lua_pcall(L, 2, 1, 0) == LUA_OK && !lua_isnil(L, -1);
	lua_pop(L, 2);
	return ok;
}

static int line_matches(lua_State *L, const rs_expect_line *x,
                        const char *line)
{
	return x->text ? strcmp(x->text, line) == 0
	               : pattern_match(L, line, x->match);
}

static void add_failure(rs_result *r, const char *what, const char *exp,
                        const char *nearest, int line)
{
	rs_failure *f = realloc(r->failures, (r->nfailures + 1) * sizeof *f);
	if (f == NULL)
		abort();
	r->failures = f;
	f[r->nfailures].what = xstrdup(what);
	f[r->nfailures].expected = exp ? xstrdup(exp) : NULL;
	f[r->nfailures].nearest = nearest ? xstrdup(nearest) : NULL;
	f[r->nfailures].line = line;
	r->nfailures++;
}

/* How alike two lines are: the length of their common prefix. */
static size_t alike(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

static int is_output(const rs_entry *e)
{
	return e->kind == RS_OUT_PRINT || e->kind == RS_OUT_WARN ||
	       e->kind == RS_OUT_INFO;
}

static void check_output(const rs_scenario *sc, rs_result *r, lua_State *L,
                         char **lines)
{
	rs_time tol = RS_USEC_PER_SEC / sc->frame_hz + 1;
	size_t pos = 0;
	for (size_t x = 0; x < sc->noutput; x++) {
		const rs_expect_line *e = &sc->output[x];
		size_t i = pos;
		for (; i < r->trace.len; i++) {
			const rs_entry *en = &r->trace.entries[i];
			if (!is_output(en) || !line_matches(L, e, lines[i]))
				continue;
			if (e->at >= 0 && (en->time < e->at - tol ||
			                   en->time > e->at + tol))
				continue;
			break;
		}
		if (i < r->trace.len) {
			pos = i + 1;
			continue;
		}
		/* the nearest line: the most alike one after the last match */
		const char *best = NULL;
		size_t score = 0;
		const char *want = e->text ? e->text : e->match;
		for (size_t k = pos; k < r->trace.len; k++)
			if (is_output(&r->trace.entries[k]) &&
			    alike(lines[k], want) >= score) {
				score = alike(lines[k], want);
				best = lines[k];
			}
		char what[128];
		if (e->at >= 0)
			snprintf(what, sizeof what, "output line %zu not found at "
			         "%.3f s (after the lines matched before it)", x + 1,
			         rs_time_to_sec(e->at));
		else
			snprintf(what, sizeof what, "output line %zu not found (after "
			         "the lines matched before it)", x + 1);
		add_failure(r, what, want, best, e->line);
		return; /* later lines would only repeat the miss */
	}
}

static void check_excludes(const rs_scenario *sc, rs_result *r, lua_State *L,
                           char **lines)
{
	for (size_t x = 0; x < sc->nexcludes; x++)
		for (size_t i = 0; i < r->trace.len; i++)
			if (is_output(&r->trace.entries[i]) &&
			    line_matches(L, &sc->excludes[x], lines[i])) {
				const rs_expect_line *e = &sc->excludes[x];
				add_failure(r, "an excluded line appeared",
				            e->text ? e->text : e->match, lines[i], e->line);
				break;
			}
}

static int peer_is(const rs_result *r, int peer, const char *name)
{
	return name == NULL || strcmp(r->peer_names[peer], name) == 0;
}

static void check_errors(const rs_scenario *sc, rs_result *r, lua_State *L)
{
	char *seen = calloc(sc->nerrors + 1, 1);
	if (seen == NULL)
		abort();
	for (size_t i = 0; i < r->trace.len; i++) {
		const rs_entry *en = &r->trace.entries[i];
		if (en->kind != RS_OUT_ERROR)
			continue;
		int claimed = 0;
		for (size_t x = 0; x < sc->nerrors; x++)
			if (peer_is(r, en->peer, sc->errors[x].peer) &&
			    pattern_match(L, en->text, sc->errors[x].match)) {
				seen[x] = 1;
				claimed = 1;
			}
		if (!claimed) {
			char line[600];
			snprintf(line, sizeof line, "%s: %s", r->peer_names[en->peer],
			         en->text);
			add_failure(r, "a script error that expect.errors does not "
			            "list", NULL, line, 0);
		}
	}
	for (size_t x = 0; x < sc->nerrors; x++)
		if (!seen[x]) {
			char exp[400];
			snprintf(exp, sizeof exp, "%s: %s", sc->errors[x].peer
			         ? sc->errors[x].peer : "any peer", sc->errors[x].match);
			add_failure(r, "an expected script error did not occur", exp,
			            NULL, sc->errors[x].line);
		}
	free(seen);
}

static void check_blocked(const rs_scenario *sc, rs_result *r, lua_State *L)
{
	char *seen = calloc(sc->nblocked + 1, 1);
	if (seen == NULL)
		abort();
	for (size_t i = 0; i < r->nblocked; i++) {
		const rs_blocked *b = &r->blocked[i];
		int claimed = 0;
		for (size_t x = 0; x < sc->nblocked; x++)
			if (peer_is(r, b->peer, sc->blocked[x].peer) &&
			    pattern_match(L, b->on, sc->blocked[x].on)) {
				seen[x] = 1;
				claimed = 1;
			}
		if (!claimed && !sc->play) {
			char line[600];
			snprintf(line, sizeof line, "%s: %s waits on %s",
			         r->peer_names[b->peer], b->where, b->on);
			add_failure(r, "a thread is blocked forever and expect.blocked "
			            "does not list it", NULL, line, 0);
		}
	}
	for (size_t x = 0; x < sc->nblocked; x++)
		if (!seen[x]) {
			char exp[400];
			snprintf(exp, sizeof exp, "%s waits on %s", sc->blocked[x].peer
			         ? sc->blocked[x].peer : "any peer", sc->blocked[x].on);
			add_failure(r, "an expected blocked thread is not blocked", exp,
			            NULL, sc->blocked[x].line);
		}
	free(seen);
}

/* A live game's WaitForChild that never resolves is a bug `rsim play`
 * reports: Roblox's own warning says where. */
static void check_yields(rs_result *r, char **lines)
{
	for (size_t i = 0; i < r->trace.len; i++)
		if (r->trace.entries[i].kind == RS_OUT_WARN &&
		    strstr(r->trace.entries[i].text, "Infinite yield possible"))
			add_failure(r, "a WaitForChild never resolved", NULL, lines[i],
			            0);
}

static void evaluate(const rs_scenario *sc, rs_result *r)
{
	lua_State *L = luaL_newstate();
	if (L == NULL)
		abort();
	luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
	lua_pop(L, 1);
	char **lines = calloc(r->trace.len + 1, sizeof *lines);
	if (lines == NULL)
		abort();
	for (size_t i = 0; i < r->trace.len; i++)
		lines[i] = entry_line(r, &r->trace.entries[i]);
	if (r->trace.len > RS_TRACE_MAX_ENTRIES)
		add_failure(r, "the run printed more lines than rsim keeps; what "
		            "came after the cap (errors too) was not checked", NULL,
		            NULL, 0);
	check_output(sc, r, L, lines);
	check_excludes(sc, r, L, lines);
	check_errors(sc, r, L);
	check_blocked(sc, r, L);
	if (sc->play)
		check_yields(r, lines);
	for (size_t i = 0; i < r->trace.len; i++)
		free(lines[i]);
	free(lines);
	lua_close(L);
	r->passed = r->nfailures == 0;
}

rs_result *rs_scenario_run(const rs_scenario *sc, uint64_t seed)
{
	rs_result *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	rs_sim sim;
	rs_sim_init(&sim, seed);
	sim.end = sc->duration;
	rs_game_config gcfg = { .vm = { .frame_hz = sc->frame_hz,
	                                .signal_mode = sc->signal_mode } };
	rs_game *g = rs_game_new(&sim, &gcfg);
	rs_remotes *rm = rs_remotes_open(g);
	rs_place_open(g);
	run_state st = { sc, g, r };
	rs_world *sw = rs_game_world(g, 0);
	if (sc->project)
		rs_project_build(sc->project, sw);
	for (size_t k = 0; k < sc->tree.nkids; k++) {
		const rs_tree_node *svc = &sc->tree.kids[k];
		rs_inst *s = rs_world_service(sw, svc->name);
		if (s)
			build_tree(sw, s, svc);
	}
	rs_inst *sss = rs_world_service(sw, "ServerScriptService");
	for (size_t k = 0; k < sc->server.n; k++) {
		rs_inst *i = rs_world_create(sw, "Script", sc->server.v[k].name, sss);
		rs_inst_set_source(i, sc->server.v[k].source, sc->server.v[k].len);
	}
	lua_State *SL = rs_vm_state(rs_world_vm(sw));
	rs_inst_push(SL, rs_world_service(sw, "StarterPlayer"));
	lua_getfield(SL, -1, "StarterPlayerScripts");
	rs_inst *sps = rs_inst_test(SL, -1);
	lua_pop(SL, 2);
	for (size_t k = 0; k < sc->client.n; k++) {
		rs_inst *i = rs_world_create(sw, "LocalScript", sc->client.v[k].name,
		                             sps);
		rs_inst_set_source(i, sc->client.v[k].source, sc->client.v[k].len);
	}
	rs_place_start_server(sw);
	for (int k = 1; k <= sc->nclients; k++) {
		const rs_client_spec *c = &sc->client_specs[k - 1];
		rs_link_config link = rs_scenario_link(sc, k - 1);
		rs_game_add_client(g, c->name, &link);
		rs_sim_at(&sim, c->join_at, join_event, &st, (uint64_t)k, 0);
	}
	for (size_t k = 0; k < sc->ntimeline; k++)
		rs_sim_at(&sim, sc->timeline[k].at, timeline_event, &st, k, 0);
	rs_sim_run(&sim);
	r->seed = seed;
	r->end = sim.now;
	r->npeers = rs_game_npeers(g);
	r->peer_names = calloc((size_t)r->npeers, sizeof *r->peer_names);
	if (r->peer_names == NULL)
		abort();
	for (int p = 0; p < r->npeers; p++) {
		r->peer_names[p] = xstrdup(rs_game_peer_name(g, p));
		rs_vm *vm = rs_world_vm(rs_game_world(g, p));
		if (!rs_vm_halted(vm))
			rs_vm_each_waiting(vm, add_blocked, &st);
	}
	rs_remotes_free(rm);
	rs_game_free(g);
	r->trace = sim.trace;
	rs_trace_init(&sim.trace);
	rs_sim_free(&sim);
	for (size_t i = 0; i < r->trace.len; i++)
		if (r->trace.entries[i].kind == RS_OUT_ERROR)
			r->nerrors++;
	evaluate(sc, r);
	return r;
}

void rs_result_free(rs_result *r)
{
	if (r == NULL)
		return;
	for (int p = 0; p < r->npeers; p++)
		free(r->peer_names[p]);
	free(r->peer_names);
	for (size_t i = 0; i < r->nblocked; i++) {
		free(r->blocked[i].on);
		free(r->blocked[i].where);
	}
	free(r->blocked);
	for (size_t i = 0; i < r->nfailures; i++) {
		free(r->failures[i].what);
		free(r->failures[i].expected);
		free(r->failures[i].nearest);
	}
	free(r->failures);
	rs_trace_free(&r->trace);
	free(r);
}
