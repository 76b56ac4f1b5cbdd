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

#include "rsim/datatypes.h"

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

static int read_number(loader *ld, const char *field, double lo, double hi,
                       double *out)
{
	int isnum;
	double v = lua_tonumberx(ld->L, -1, &isnum);
	if (!isnum || lua_type(ld->L, -1) != LUA_TNUMBER)
		return fail(ld, field, "expected a number, got %s",
		            got(ld->L, -1));
	if (!(v >= lo && v <= hi))
		return fail(ld, field, "expected a number from %g to %g, got %g",
		            lo, hi, v);
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
	lua_getfield(L, -1, "name");
	const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
	                                                  : dflt;
	if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
		return fail(ld, field, "name: expected a string, got %s",
		            got(L, -1));
	lua_getfield(L, -2, "file");
	lua_getfield(L, -3, "source");
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

static int f_clients(loader *ld, rs_scenario *sc)
{
	lua_Integer v = 0;
	if (!read_integer(ld, "clients", 0, MAX_CLIENTS, &v))
		return 0;
	sc->nclients = (int)v;
	return 1;
}

static int f_duration(loader *ld, rs_scenario *sc)
{
	double v = 0;
	if (!read_number(ld, "duration", 0.001, 1e6, &v))
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
	{ "server", f_server },
	{ "client", f_client },
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
		lua_getfield(L, -1, fields[i].name);
		int ok = lua_isnil(L, -1) || fields[i].read(ld, sc);
		lua_pop(L, 1);
		if (!ok)
			return 0;
	}
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
	sc->nclients = 1;
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
		ok = check_fields(&ld, sc);
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

void rs_scenario_free(rs_scenario *sc)
{
	if (sc == NULL)
		return;
	free(sc->path);
	free(sc->section);
	free(sc->title);
	scripts_free(&sc->server);
	scripts_free(&sc->client);
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

typedef struct collect {
	rs_result *r;
	int peer;
} collect;

static void add_blocked(rs_thread *t, void *ud)
{
	collect *c = ud;
	rs_result *r = c->r;
	rs_blocked *b = realloc(r->blocked, (r->nblocked + 1) * sizeof *b);
	if (b == NULL)
		abort();
	r->blocked = b;
	char where[256];
	b[r->nblocked].peer = c->peer;
	b[r->nblocked].on = xstrdup(t->waiting_on[0] ? t->waiting_on : "?");
	b[r->nblocked].where = xstrdup(rs_thread_where(t, where, sizeof where));
	b[r->nblocked].since = t->wait_start;
	r->nblocked++;
}

static void start_scripts(rs_vm *vm, const char *container,
                          const rs_scripts *s)
{
	for (size_t i = 0; i < s->n; i++) {
		char chunk[300];
		snprintf(chunk, sizeof chunk, "%s.%s", container, s->v[i].name);
		rs_vm_start_script(vm, chunk, s->v[i].source, s->v[i].len);
	}
}

rs_result *rs_scenario_run(const rs_scenario *sc, uint64_t seed)
{
	rs_result *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	rs_sim sim;
	rs_sim_init(&sim, seed);
	sim.end = sc->duration;
	int npeers = sc->nclients + 1;
	rs_vm **vms = calloc((size_t)npeers, sizeof *vms);
	r->peer_names = calloc((size_t)npeers, sizeof *r->peer_names);
	if (vms == NULL || r->peer_names == NULL)
		abort();
	rs_vm_config cfg = { .frame_hz = sc->frame_hz,
	                     .signal_mode = sc->signal_mode };
	for (int p = 0; p < npeers; p++) {
		char name[32];
		if (p == 0)
			snprintf(name, sizeof name, "server");
		else
			snprintf(name, sizeof name, "Player%d", p);
		vms[p] = rs_vm_new(&sim, p, name, &cfg);
		if (vms[p] == NULL)
			abort();
		rs_datatypes_open(rs_vm_state(vms[p]));
		r->peer_names[p] = xstrdup(name);
	}
	start_scripts(vms[0], "ServerScriptService", &sc->server);
	for (int p = 1; p < npeers; p++) {
		char container[64];
		snprintf(container, sizeof container, "Players.%s.PlayerScripts",
		         r->peer_names[p]);
		start_scripts(vms[p], container, &sc->client);
	}
	rs_sim_run(&sim);
	r->seed = seed;
	r->npeers = npeers;
	r->end = sim.now;
	for (int p = 0; p < npeers; p++) {
		collect c = { r, p };
		rs_vm_each_waiting(vms[p], add_blocked, &c);
		rs_vm_free(vms[p]);
	}
	free(vms);
	r->trace = sim.trace;
	rs_trace_init(&sim.trace);
	rs_sim_free(&sim);
	for (size_t i = 0; i < r->trace.len; i++)
		if (r->trace.entries[i].kind == RS_OUT_ERROR)
			r->nerrors++;
	r->passed = r->nerrors == 0 && r->nblocked == 0;
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
	rs_trace_free(&r->trace);
	free(r);
}
