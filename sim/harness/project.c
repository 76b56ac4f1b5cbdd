/*
 * project.c -- Rojo projects: default.project.json and the files below
 * its $path entries, read by Rojo's sync rules into a tree of node
 * records, then made into instances on the server.
 *
 * The rules follow Rojo 7's snapshot middleware (src/snapshot_middleware
 * in its repository):
 * - a project node is `$className`, `$path` (a string, or { "optional":
 *   path }), `$properties`, `$attributes`, `$ignoreUnknownInstances`,
 *   `$id` and children (every other key, in key order, after the
 *   children its $path brought);
 * - the class of a node is $className, else the class its $path makes,
 *   else the one inferred from its name (services under the DataModel,
 *   StarterPlayerScripts and StarterCharacterScripts under StarterPlayer);
 *   both given, the path must make a Folder;
 * - files: *.server.lua(u) Script, *.client.lua(u) LocalScript (with
 *   emitLegacyScripts false: Scripts of RunContext Server and Client),
 *   *.plugin.lua(u) a Script of RunContext Plugin, other *.lua(u)
 *   ModuleScript, *.project.json a nested project, *.model.json a JSON
 *   model, *.json a ModuleScript returning the decoded value, *.txt a
 *   StringValue; X.meta.json sets properties and attributes of X;
 *   anything else is not part of the game;
 * - a folder is a Folder, or the project of its default.project.json
 *   (named by the project's `name`), or the script of its init.lua(u),
 *   init.server.lua(u) or init.client.lua(u) with the other files as
 *   children; its init.meta.json sets className (Folders only),
 *   properties and attributes.
 * rsim differs on purpose:
 * - entries are read in byte order of their names (Rojo takes the file
 *   system's), and the file types rsim cannot read (.rbxm, .rbxmx, .csv,
 *   .toml, .yaml, .jsonc) are errors unless globIgnorePaths leaves them
 *   out;
 * - JSON is strict (jansson): Rojo reads JSONC, with comments and
 *   trailing commas;
 * - an unknown field of a meta file is an error (Rojo's serde ignores
 *   it), and so is a property value whose type does not fit, explicit
 *   ({ "Vector3": [...] } on a bool) or not: Rojo would write it anyway;
 * - lenient where Rojo is not: an enum property takes a number as well
 *   as a name, a CFrame 3 numbers as well as 12, a UDim2 4 numbers;
 * - a folder or project being read again (a symbolic link to a folder
 *   above, `"$path": "."`) is an error, found by (st_dev, st_ino); Rojo
 *   has no such check.
 * As in Rojo: names that are not UTF-8 are refused, a *.model.json of
 * white space is left out and has no meta file, an unnamed child of a
 * model takes its class as its name, *.txt keeps its CRLFs while
 * scripts are made LF.  Unlike Rojo, a script's contents need not be
 * UTF-8.
 *
 * A property value is turned into Lua source at load time ("Vector3.new(
 * 0, 5, 0)"), checked against rsim's class table; building evaluates it in
 * the server's VM and assigns it as a script would.
 */
#include "rsim/project.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <lauxlib.h>

#include "../api/api_internal.h"
#include "rsim/luau.h"

#define MAX_DEPTH 64          /* folders and nested projects */
#define MAX_NODES 200000      /* instances one project may make */
#define MAX_JSON_DEPTH 100    /* a *.json module's nesting */
#define MAX_FILE (64u << 20)  /* bytes of one file */

enum { P_PROP, P_ATTR, P_TAG };

typedef struct pset {
	unsigned char kind;   /* P_PROP, P_ATTR, P_TAG */
	char *name;           /* property, attribute or tag */
	char *expr;           /* Lua expression of the value ("nil": a tag) */
} pset;

typedef struct pnode {
	char *name;
	char *cls;
	char *source;         /* scripts */
	size_t len;
	char *file;           /* where it was read, for messages */
	pset *sets;
	size_t nsets, setcap;
	struct pnode *kids;
	size_t nkids, kcap;
} pnode;

struct rs_project {
	char *name;
	pnode root;
	size_t size;
};

/* One project file being read; nested projects chain to their parent,
 * whose ignore globs still apply (as Rojo adds them to its context). */
typedef struct pctx {
	const struct pctx *up;
	const char *file;     /* the project file */
	const char *text;     /* its contents, to find lines */
	char *dir;            /* its folder, "" for the working one */
	char **globs;         /* globIgnorePaths, joined to dir */
	size_t nglobs;
	int legacy;           /* emitLegacyScripts */
} pctx;

/* A folder or project file being read, by identity: paths do not do
 * ("a/./b", a symlink to a parent), (st_dev, st_ino) do. */
typedef struct fileid {
	dev_t dev;
	ino_t ino;
	unsigned char project;  /* a project file, else a folder */
} fileid;

typedef struct loader {
	rs_project_error *err;
	size_t nodes;
	int depth;              /* entries of open[] */
	fileid open[MAX_DEPTH]; /* the folders and projects being read */
	lua_State *L;           /* compiles scripts to check them; made on
	                         * first use */
} loader;

/* ---- small helpers ---- */

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (d == NULL)
		abort();
	return d;
}

static char *xmemdup(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d == NULL)
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

typedef struct sbuf {
	char *p;
	size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (p == NULL)
			abort();
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static void sb_fmt(sbuf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	sb_put(b, tmp, n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n
	                                                  : sizeof tmp - 1);
}

/* A Lua string literal of s: printable ASCII as is, the rest escaped. */
static void sb_quote(sbuf *b, const char *s, size_t n)
{
	sb_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			sb_put(b, e, 2);
		} else if (c < 32 || c == 127) {
			sb_fmt(b, "\\%03u", c);
		} else {
			sb_put(b, (const char *)&c, 1);
		}
	}
	sb_put(b, "\"", 1);
}

/* A number as Lua source that reads back the same double. */
static void sb_num(sbuf *b, double x)
{
	if (x == floor(x) && fabs(x) < 1e15)
		sb_fmt(b, "%.0f", x);
	else
		sb_fmt(b, "%.17g", x);
}

static int fail(loader *ld, const char *file, int line, const char *fmt,
                ...)
{
	rs_project_error *e = ld->err;
	if (e->msg[0])
		return 0; /* the first error stands */
	snprintf(e->file, sizeof e->file, "%s", file);
	e->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return 0;
}

/* The line of the key path k[0].k[1]... in a JSON text: each key is
 * looked for after the one before it (good enough to point a person at
 * the field; jansson keeps no positions). */
static int key_line(const char *text, const char *const *k, size_t nk)
{
	if (text == NULL)
		return 0;
	const char *at = text;
	for (size_t i = 0; i < nk; i++) {
		char pat[300];
		snprintf(pat, sizeof pat, "\"%s\"", k[i]);
		const char *hit = strstr(at, pat);
		if (hit == NULL)
			break;
		at = hit;
	}
	if (at == text)
		return 0;
	int line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* The field path of a node as the user wrote it ("tree.Workspace.Part"),
 * kept as a list of keys to find its line. */
typedef struct keypath {
	const char *k[MAX_DEPTH + 8];
	size_t n;
} keypath;

static void kp_str(const keypath *kp, const char *last, char *buf,
                   size_t n)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i <= kp->n && at + 1 < n; i++) {
		const char *s = i < kp->n ? kp->k[i] : last;
		if (s == NULL)
			break;
		int w = snprintf(buf + at, n - at, "%s%s", at ? "." : "", s);
		if (w < 0)
			break;
		at += (size_t)w;
	}
}

static int node_fail(loader *ld, const pctx *cx, const keypath *kp,
                     const char *field, const char *fmt, ...)
{
	char where[400], msg[400];
	kp_str(kp, field, where, sizeof where);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	keypath full = *kp;
	if (field && full.n < sizeof full.k / sizeof *full.k)
		full.k[full.n++] = field;
	int line = key_line(cx->text, full.k, full.n);
	if (where[0] == '\0')
		return fail(ld, cx->file, line, "%s", msg);
	return fail(ld, cx->file, line, "%s: %s", where, msg);
}

/* The whole of a regular file, or NULL with a sentence in *why.  Opened
 * without blocking and checked with fstat first: a FIFO or a device
 * named like a script must not hang or flood the loader. */
static char *read_file(const char *path, size_t *len, const char **why)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		*why = strerror(errno);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_FILE) {
		*why = S_ISREG(st.st_mode) ? "the file is larger than 64 MiB"
		                           : "not a regular file";
		close(fd);
		return NULL;
	}
	sbuf b = { 0 };
	sb_put(&b, "", 0);
	char chunk[8192];
	ssize_t got;
	while ((got = read(fd, chunk, sizeof chunk)) > 0) {
		sb_put(&b, chunk, (size_t)got);
		if (b.n > MAX_FILE) { /* it grew while read */
			got = 0;
			break;
		}
	}
	int e = errno;
	close(fd);
	if (got < 0 || b.n > MAX_FILE) {
		*why = got < 0 ? strerror(e) : "the file is larger than 64 MiB";
		free(b.p);
		return NULL;
	}
	*len = b.n;
	return b.p;
}

/* Rojo reads scripts with line endings made LF. */
static size_t crlf_to_lf(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
			s[o++] = s[i];
	s[o] = '\0';
	return o;
}

static char *path_join(const char *dir, const char *name)
{
	if (dir[0] == '\0' || name[0] == '/')
		return xstrdup(name);
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);
	if (p == NULL)
		abort();
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xmemdup(path, (size_t)(slash - path)) : xstrdup("");
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Rojo's globs: `**` any run of path segments, `*` and `?` within one. */
static int glob_match(const char *g, const char *s)
{
	for (; *g; g++, s++) {
		if (g[0] == '*' && g[1] == '*') {
			g += 2;
			if (*g == '/')
				g++;
			for (;; s++) {
				if (glob_match(g, s))
					return 1;
				if (*s == '\0')
					return 0;
			}
		}
		if (*g == '*') {
			for (;; s++) {
				if (glob_match(g + 1, s))
					return 1;
				if (*s == '\0' || *s == '/')
					return 0;
			}
		}
		if (*s == '\0' || (*g == '?' ? *s == '/' : *g != *s))
			return 0;
	}
	return *s == '\0';
}

static int ignored(const pctx *cx, const char *path)
{
	for (; cx; cx = cx->up)
		for (size_t i = 0; i < cx->nglobs; i++)
			if (glob_match(cx->globs[i], path))
				return 1;
	return 0;
}

/* Enters a folder or project file: 0 (an error) when it is one being
 * read already, which would make the tree infinite, or when too deep. */
static int enter(loader *ld, const char *path, const struct stat *st,
                 int project)
{
	for (int i = 0; i < ld->depth; i++)
		if (ld->open[i].dev == st->st_dev && ld->open[i].ino == st->st_ino &&
		    ld->open[i].project == project)
			return project
			       ? fail(ld, path, 0, "the project includes itself")
			       : fail(ld, path, 0, "the folder is inside itself (a "
			              "symbolic link to a folder above it?)");
	if (ld->depth >= MAX_DEPTH)
		return fail(ld, path, 0, "%s nested deeper than %d levels",
		            project ? "projects" : "folders", MAX_DEPTH);
	ld->open[ld->depth++] = (fileid){ st->st_dev, st->st_ino,
	                                  (unsigned char)project };
	return 1;
}

static void leave(loader *ld)
{
	ld->depth--;
}

/* ---- nodes ---- */

static void node_free(pnode *n)
{
	for (size_t k = 0; k < n->nkids; k++)
		node_free(&n->kids[k]);
	free(n->kids);
	for (size_t k = 0; k < n->nsets; k++) {
		free(n->sets[k].name);
		free(n->sets[k].expr);
	}
	free(n->sets);
	free(n->name);
	free(n->cls);
	free(n->source);
	free(n->file);
	memset(n, 0, sizeof *n);
}

static pnode *add_kid(pnode *n)
{
	if (n->nkids == n->kcap) {
		size_t cap = n->kcap ? 2 * n->kcap : 4;
		pnode *k = realloc(n->kids, cap * sizeof *k);
		if (k == NULL)
			abort();
		n->kids = k;
		n->kcap = cap;
	}
	pnode *k = &n->kids[n->nkids++];
	memset(k, 0, sizeof *k);
	return k;
}

/* Sets (or replaces: a project's $properties override its $path's) a
 * property or attribute of n. */
static void add_set(pnode *n, int kind, const char *name, char *expr)
{
	for (size_t k = 0; k < n->nsets; k++)
		if (n->sets[k].kind == kind && strcmp(n->sets[k].name, name) == 0) {
			free(n->sets[k].expr);
			n->sets[k].expr = expr;
			return;
		}
	if (n->nsets == n->setcap) {
		size_t cap = n->setcap ? 2 * n->setcap : 4;
		pset *s = realloc(n->sets, cap * sizeof *s);
		if (s == NULL)
			abort();
		n->sets = s;
		n->setcap = cap;
	}
	n->sets[n->nsets++] = (pset){ (unsigned char)kind, xstrdup(name), expr };
}

static void set_class(pnode *n, const char *cls)
{
	free(n->cls);
	n->cls = xstrdup(cls);
}

/* ---- values ---- */

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* Puts "a, b, c" of an array of exactly n numbers; 0 if it is not one. */
static int put_numbers(sbuf *b, const json_t *a, size_t n)
{
	if (!json_is_array(a) || json_array_size(a) != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *x = json_array_get(a, i);
		if (!json_is_number(x))
			return 0;
		if (i)
			sb_str(b, ", ");
		sb_num(b, json_number_value(x));
	}
	return 1;
}

typedef struct dtctor {
	const char *type;     /* Rojo's explicit type name */
	const char *ctor;     /* Lua constructor */
	size_t n;             /* numbers it takes from an array */
	unsigned char kind;   /* the rs_dt_kind a property holds */
	const char *want;     /* what an implicit value must be */
} dtctor;

static const dtctor ctors[] = {
	{ "Vector3", "Vector3.new", 3, RS_DT_VECTOR3,
	  "expected an array of 3 numbers (a Vector3)" },
	{ "Vector2", "Vector2.new", 2, RS_DT_VECTOR2,
	  "expected an array of 2 numbers (a Vector2)" },
	{ "Color3", "Color3.new", 3, RS_DT_COLOR3,
	  "expected an array of 3 numbers (a Color3)" },
	{ "Color3uint8", "Color3.fromRGB", 3, RS_DT_COLOR3,
	  "expected an array of 3 numbers (a Color3)" },
	{ "UDim", "UDim.new", 2, RS_DT_UDIM,
	  "expected an array of 2 numbers (a UDim)" },
	{ "NumberRange", "NumberRange.new", 2, RS_DT_NUMBERRANGE,
	  "expected an array of 2 numbers (a NumberRange)" },
	{ NULL, NULL, 0, 0, NULL }
};

/* The explicit types ({ "Type": value }) rsim reads, and the kind of
 * property each one may set: Rojo takes them as they are, rsim checks
 * them at load time so that a wrong one names its file and line. */
typedef struct xtype {
	const char *type;
	unsigned char vtype;  /* rs_vtype */
	unsigned char dtkind; /* for RS_V_DT */
} xtype;

static const xtype xtypes[] = {
	{ "String", RS_V_STR, 0 }, { "Content", RS_V_STR, 0 },
	{ "ContentId", RS_V_STR, 0 }, { "Bool", RS_V_BOOL, 0 },
	{ "Float32", RS_V_NUM, 0 }, { "Float64", RS_V_NUM, 0 },
	{ "Int32", RS_V_NUM, 0 }, { "Int64", RS_V_NUM, 0 },
	{ "Enum", RS_V_DT, RS_DT_ENUMITEM },
	{ "BrickColor", RS_V_DT, RS_DT_BRICKCOLOR },
	{ "UDim2", RS_V_DT, RS_DT_UDIM2 }, { "CFrame", RS_V_DT, RS_DT_CFRAME },
	{ "Vector3", RS_V_DT, RS_DT_VECTOR3 },
	{ "Vector2", RS_V_DT, RS_DT_VECTOR2 },
	{ "Color3", RS_V_DT, RS_DT_COLOR3 },
	{ "Color3uint8", RS_V_DT, RS_DT_COLOR3 },
	{ "UDim", RS_V_DT, RS_DT_UDIM },
	{ "NumberRange", RS_V_DT, RS_DT_NUMBERRANGE },
	{ NULL, 0, 0 }
};

static const xtype *xtype_find(const char *type)
{
	for (const xtype *t = xtypes; t->type; t++)
		if (strcmp(t->type, type) == 0)
			return t;
	return NULL;
}

/* What a property holds, as the error of a wrong value says it. */
static const char *prop_want(const rs_prop *p)
{
	switch (p->type) {
	case RS_V_STR: return "a string";
	case RS_V_NUM: return "a number";
	case RS_V_BOOL: return "true or false";
	default: break;
	}
	switch (p->dtkind) {
	case RS_DT_ENUMITEM: return "an enum item's name";
	case RS_DT_BRICKCOLOR: return "a BrickColor";
	case RS_DT_UDIM2: return "a UDim2";
	case RS_DT_CFRAME: return "a CFrame";
	default: break;
	}
	for (const dtctor *c = ctors; c->type; c++)
		if (c->kind == p->dtkind)
			return c->type;
	return "a value rsim cannot set from a project";
}

/* c's constructor of the array of numbers v: "Vector3.new(1, 2, 3)". */
static int put_ctor(sbuf *b, const dtctor *c, const json_t *v,
                    const char **why)
{
	sb_str(b, c->ctor);
	sb_str(b, "(");
	if (!put_numbers(b, v, c->n))
		return *why = c->want, 0;
	sb_str(b, ")");
	return 1;
}

/* An explicit value { "Type": value } as Lua source; returns 0 with why
 * in *why. */
static int explicit_value(sbuf *b, const char *type, const json_t *v,
                          const char **why)
{
	if (xtype_find(type) == NULL)
		return *why = "rsim does not model values of this type", 0;
	if (strcmp(type, "String") == 0 || strcmp(type, "Content") == 0 ||
	    strcmp(type, "ContentId") == 0) {
		if (!json_is_string(v))
			return *why = "expected a string", 0;
		sb_quote(b, json_string_value(v), json_string_length(v));
		return 1;
	}
	if (strcmp(type, "Bool") == 0) {
		if (!json_is_boolean(v))
			return *why = "expected true or false", 0;
		sb_str(b, json_is_true(v) ? "true" : "false");
		return 1;
	}
	if (strcmp(type, "Float32") == 0 || strcmp(type, "Float64") == 0 ||
	    strcmp(type, "Int32") == 0 || strcmp(type, "Int64") == 0 ||
	    strcmp(type, "Enum") == 0) {
		if (!json_is_number(v))
			return *why = "expected a number", 0;
		sb_num(b, json_number_value(v));
		return 1;
	}
	if (strcmp(type, "BrickColor") == 0) {
		if (!json_is_number(v))
			return *why = "expected a BrickColor number", 0;
		sb_str(b, "BrickColor.new(");
		sb_num(b, json_number_value(v));
		sb_str(b, ")");
		return 1;
	}
	if (strcmp(type, "UDim2") == 0) {
		sb_str(b, "UDim2.new(");
		if (!json_is_array(v) || json_array_size(v) != 2 ||
		    !put_numbers(b, json_array_get(v, 0), 2))
			return *why = "expected [[scale, offset], [scale, offset]]", 0;
		sb_str(b, ", ");
		if (!put_numbers(b, json_array_get(v, 1), 2))
			return *why = "expected [[scale, offset], [scale, offset]]", 0;
		sb_str(b, ")");
		return 1;
	}
	if (strcmp(type, "CFrame") == 0) {
		const json_t *pos = json_object_get(v, "position");
		const json_t *rot = json_object_get(v, "orientation");
		sb_str(b, "CFrame.new(");
		if (!put_numbers(b, pos, 3) || !json_is_array(rot) ||
		    json_array_size(rot) != 3)
			return *why = "expected { \"position\": [x, y, z], "
			              "\"orientation\": [[...], [...], [...]] }", 0;
		for (size_t r = 0; r < 3; r++) {
			sb_str(b, ", ");
			if (!put_numbers(b, json_array_get(rot, r), 3))
				return *why = "orientation: expected three rows of three "
				              "numbers", 0;
		}
		sb_str(b, ")");
		return 1;
	}
	for (const dtctor *c = ctors; c->type; c++)
		if (strcmp(type, c->type) == 0)
			return put_ctor(b, c, v, why);
	return *why = "rsim does not model values of this type", 0;
}

/* A value written { "Type": value }: one key, named for a type. */
static int is_explicit(const json_t *v, const char **type,
                       const json_t **inner)
{
	if (!json_is_object(v) || json_object_size(v) != 1)
		return 0;
	void *it = json_object_iter((json_t *)v);
	*type = json_object_iter_key(it);
	*inner = json_object_iter_value(it);
	return 1;
}

/* An attribute's value: a string, number or boolean, or explicit. */
static int attr_value(sbuf *b, const json_t *v, const char **why)
{
	const char *type;
	const json_t *inner;
	if (json_is_string(v))
		sb_quote(b, json_string_value(v), json_string_length(v));
	else if (json_is_number(v))
		sb_num(b, json_number_value(v));
	else if (json_is_boolean(v))
		sb_str(b, json_is_true(v) ? "true" : "false");
	else if (is_explicit(v, &type, &inner))
		return explicit_value(b, type, inner, why);
	else
		return *why = "expected a string, number, boolean or "
		              "{ \"Type\": value }", 0;
	return 1;
}

/* A property's value as Lua source, by the property's type where the
 * JSON leaves it implicit (Rojo's "unresolved" values). */
static int prop_value(sbuf *b, const rs_prop *p, const json_t *v,
                      const char **why)
{
	const char *type;
	const json_t *inner;
	if (is_explicit(v, &type, &inner))
		return explicit_value(b, type, inner, why);
	switch (p->type) {
	case RS_V_STR:
		if (!json_is_string(v))
			return *why = "expected a string", 0;
		sb_quote(b, json_string_value(v), json_string_length(v));
		return 1;
	case RS_V_NUM:
		if (!json_is_number(v))
			return *why = "expected a number", 0;
		sb_num(b, json_number_value(v));
		return 1;
	case RS_V_BOOL:
		if (!json_is_boolean(v))
			return *why = "expected true or false", 0;
		sb_str(b, json_is_true(v) ? "true" : "false");
		return 1;
	case RS_V_DT:
		break;
	default:
		return *why = "rsim cannot set this property from a project", 0;
	}
	switch (p->dtkind) {
	case RS_DT_ENUMITEM:
		if (json_is_string(v))
			sb_quote(b, json_string_value(v), json_string_length(v));
		else if (json_is_number(v))
			sb_num(b, json_number_value(v));
		else
			return *why = "expected an enum item's name or value", 0;
		return 1;
	case RS_DT_BRICKCOLOR:
		sb_str(b, "BrickColor.new(");
		if (json_is_string(v))
			sb_quote(b, json_string_value(v), json_string_length(v));
		else if (json_is_number(v))
			sb_num(b, json_number_value(v));
		else
			return *why = "expected a BrickColor name or number", 0;
		sb_str(b, ")");
		return 1;
	case RS_DT_CFRAME:
		sb_str(b, "CFrame.new(");
		if (!put_numbers(b, v, 12) && !put_numbers(b, v, 3))
			return *why = "expected an array of 3 or 12 numbers", 0;
		sb_str(b, ")");
		return 1;
	case RS_DT_UDIM2:
		sb_str(b, "UDim2.new(");
		if (!put_numbers(b, v, 4))
			return *why = "expected an array of 4 numbers", 0;
		sb_str(b, ")");
		return 1;
	default:
		break;
	}
	for (const dtctor *c = ctors; c->type; c++)
		if (c->kind == p->dtkind)
			return put_ctor(b, c, v, why);
	return *why = "rsim cannot set this property from a project", 0;
}

/* The properties object of a node (from a project, meta or model file)
 * onto n, checked against its class. */
static int read_props(loader *ld, const pctx *cx, const keypath *kp,
                      const char *field, const json_t *props, pnode *n)
{
	if (props == NULL)
		return 1;
	if (!json_is_object(props))
		return node_fail(ld, cx, kp, field, "expected an object, got %s",
		                 json_kind(props));
	const rs_class *c = rs_class_find(n->cls);
	const char *key;
	json_t *v;
	keypath sub = *kp;
	sub.k[sub.n++] = field;
	json_object_foreach((json_t *)props, key, v) {
		if (strcmp(key, "Name") == 0 || strcmp(key, "Parent") == 0)
			continue; /* Rojo ignores them too, with a warning */
		if (strcmp(key, "Tags") == 0) {
			/* Rojo's Tags value: an array of names, for CollectionService */
			if (!json_is_array(v))
				return node_fail(ld, cx, &sub, key, "expected an array of "
				                 "tag names, got %s", json_kind(v));
			for (size_t t = 0; t < json_array_size(v); t++) {
				const json_t *tag = json_array_get(v, t);
				if (!json_is_string(tag))
					return node_fail(ld, cx, &sub, key, "expected an array "
					                 "of tag names");
				add_set(n, P_TAG, json_string_value(tag), xstrdup("nil"));
			}
			continue;
		}
		if (strcmp(key, "Attributes") == 0) {
			if (!json_is_object(v))
				return node_fail(ld, cx, &sub, key, "expected an object");
			const char *an;
			json_t *av;
			json_object_foreach(v, an, av) {
				sbuf b = { 0 };
				const char *why;
				if (!attr_value(&b, av, &why)) {
					free(b.p);
					return node_fail(ld, cx, &sub, key, "%s: %s", an, why);
				}
				add_set(n, P_ATTR, an, b.p);
			}
			continue;
		}
		if (strcmp(key, "Source") == 0 && c &&
		    rs_class_isa(c, "LuaSourceContainer")) {
			if (!json_is_string(v))
				return node_fail(ld, cx, &sub, key, "expected a string");
			free(n->source);
			n->len = json_string_length(v);
			n->source = xmemdup(json_string_value(v), n->len);
			continue;
		}
		int slot = c ? rs_class_slot(c, key) : -1;
		if (slot < 0)
			return node_fail(ld, cx, &sub, key, "rsim does not model the "
			                 "property %s of %s", key, n->cls);
		const rs_prop *p = c->slots[slot];
		if (p->flags & (RS_P_READONLY | RS_P_CALLBACK))
			return node_fail(ld, cx, &sub, key, "%s.%s cannot be set",
			                 n->cls, key);
		const char *xt;
		const json_t *inner;
		if (is_explicit(v, &xt, &inner)) {
			const xtype *t = xtype_find(xt);
			if (t == NULL)
				return node_fail(ld, cx, &sub, key, "rsim does not model "
				                 "values of type %s", xt);
			if (t->vtype != p->type ||
			    (t->vtype == RS_V_DT && t->dtkind != p->dtkind))
				return node_fail(ld, cx, &sub, key, "expected %s, got a "
				                 "%s", prop_want(p), xt);
		}
		if (p->type == RS_V_DT && p->dtkind == RS_DT_ENUMITEM &&
		    (json_is_string(v) || json_is_number(v)) &&
		    !rs_enum_has_item(p->enum_name, json_is_string(v)
		                      ? json_string_value(v) : NULL,
		                      json_is_number(v) ? json_number_value(v) : 0)) {
			if (json_is_string(v))
				return node_fail(ld, cx, &sub, key, "%s is not an item of "
				                 "Enum.%s", json_string_value(v),
				                 p->enum_name);
			return node_fail(ld, cx, &sub, key, "no item of Enum.%s has "
			                 "the value %g", p->enum_name,
			                 json_number_value(v));
		}
		sbuf b = { 0 };
		const char *why;
		if (!prop_value(&b, p, v, &why)) {
			free(b.p);
			return node_fail(ld, cx, &sub, key, "%s, got %s", why,
			                 json_kind(v));
		}
		add_set(n, P_PROP, key, b.p);
	}
	return 1;
}

static int read_attrs(loader *ld, const pctx *cx, const keypath *kp,
                      const char *field, const json_t *attrs, pnode *n)
{
	if (attrs == NULL)
		return 1;
	if (!json_is_object(attrs))
		return node_fail(ld, cx, kp, field, "expected an object, got %s",
		                 json_kind(attrs));
	const char *an;
	json_t *av;
	keypath sub = *kp;
	sub.k[sub.n++] = field;
	json_object_foreach((json_t *)attrs, an, av) {
		sbuf b = { 0 };
		const char *why;
		if (!attr_value(&b, av, &why)) {
			free(b.p);
			return node_fail(ld, cx, &sub, an, "%s", why);
		}
		add_set(n, P_ATTR, an, b.p);
	}
	return 1;
}

/* A decoded JSON value as a Lua expression (a *.json file's module). */
static int json_lua(sbuf *b, const json_t *v, int depth)
{
	if (depth > MAX_JSON_DEPTH)
		return 0;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *x;
		int first = 1;
		sb_str(b, "{");
		json_object_foreach((json_t *)v, k, x) {
			sb_str(b, first ? "[" : ", [");
			sb_quote(b, k, strlen(k));
			sb_str(b, "] = ");
			if (!json_lua(b, x, depth + 1))
				return 0;
			first = 0;
		}
		sb_str(b, "}");
		return 1;
	}
	case JSON_ARRAY:
		sb_str(b, "{");
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				sb_str(b, ", ");
			if (!json_lua(b, json_array_get(v, i), depth + 1))
				return 0;
		}
		sb_str(b, "}");
		return 1;
	case JSON_STRING:
		sb_quote(b, json_string_value(v), json_string_length(v));
		return 1;
	case JSON_INTEGER:
	case JSON_REAL:
		sb_num(b, json_number_value(v));
		return 1;
	case JSON_TRUE:
		sb_str(b, "true");
		return 1;
	case JSON_FALSE:
		sb_str(b, "false");
		return 1;
	default:
		sb_str(b, "nil");
		return 1;
	}
}

/* ---- files ---- */

static int is_blank(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return *s == '\0';
}

/* Reads and decodes a JSON file; *text keeps its contents (to find the
 * lines of fields), freed by the caller.  With blank non-NULL, a file of
 * nothing but white space gives NULL without an error and *blank = 1. */
static json_t *load_json(loader *ld, const char *path, char **text,
                         int *blank)
{
	size_t len;
	const char *why;
	*text = read_file(path, &len, &why);
	if (*text == NULL) {
		fail(ld, path, 0, "cannot read: %s", why);
		return NULL;
	}
	if (is_blank(*text)) {
		free(*text);
		*text = NULL;
		if (blank)
			*blank = 1;
		else
			fail(ld, path, 0, "the file is empty; it must hold a JSON "
			     "value");
		return NULL;
	}
	json_error_t je;
	/* any value: a *.json module may be `null` or `5`; the other kinds
	 * say themselves what they hold */
	json_t *j = json_loadb(*text, len, JSON_REJECT_DUPLICATES |
	                       JSON_DECODE_ANY, &je);
	if (j == NULL) {
		fail(ld, path, je.line > 0 ? je.line : 0, "not valid JSON: %s",
		     je.text);
		free(*text);
		*text = NULL;
	}
	return j;
}

static int snapshot_path(loader *ld, const pctx *cx, const char *path,
                         const char *name, pnode *out);

static int load_project(loader *ld, const pctx *up, const char *path,
                        const char *fallback, pnode *out, char **name_out);

/* Applies X.meta.json (beside file X) or init.meta.json (in a folder). */
static int apply_meta(loader *ld, const pctx *cx, const char *meta,
                      int dir, pnode *n)
{
	struct stat st;
	if (stat(meta, &st) != 0)
		return 1;
	char *text;
	json_t *j = load_json(ld, meta, &text, NULL);
	if (j == NULL)
		return 0;
	pctx mc = { cx, meta, text, NULL, NULL, 0, cx->legacy };
	keypath kp = { .n = 0 };
	int ok = json_is_object(j) ||
	         fail(ld, meta, 1, "a meta file holds an object");
	const char *key;
	json_t *v;
	if (ok)
		json_object_foreach(j, key, v) {
			if (strcmp(key, "className") == 0 && dir) {
				if (!json_is_string(v)) {
					ok = node_fail(ld, &mc, &kp, key, "expected a class "
					               "name");
					break;
				}
				if (strcmp(n->cls, "Folder") != 0) {
					ok = node_fail(ld, &mc, &kp, key, "className is for "
					               "folders; this folder is a %s", n->cls);
					break;
				}
				if (rs_class_find(json_string_value(v)) == NULL) {
					ok = node_fail(ld, &mc, &kp, key, "rsim does not model "
					               "the class %s", json_string_value(v));
					break;
				}
				set_class(n, json_string_value(v));
			} else if (strcmp(key, "properties") != 0 &&
			           strcmp(key, "attributes") != 0 &&
			           strcmp(key, "ignoreUnknownInstances") != 0 &&
			           strcmp(key, "id") != 0 && strcmp(key, "$schema") != 0) {
				ok = node_fail(ld, &mc, &kp, key, "unknown field of a meta "
				               "file");
				break;
			}
		}
	ok = ok && read_props(ld, &mc, &kp, "properties",
	                      json_object_get(j, "properties"), n);
	ok = ok && read_attrs(ld, &mc, &kp, "attributes",
	                      json_object_get(j, "attributes"), n);
	json_decref(j);
	free(text);
	return ok;
}

static int count_node(loader *ld, const char *file)
{
	if (++ld->nodes > MAX_NODES)
		return fail(ld, file, 0, "the project makes more than %d instances",
		            MAX_NODES);
	return 1;
}

/* One instance of a *.model.json file and its children. */
static int model_node(loader *ld, const pctx *cx, const json_t *j,
                      keypath *kp, pnode *n, int depth)
{
	if (!count_node(ld, cx->file))
		return 0;
	if (depth > MAX_DEPTH)
		return node_fail(ld, cx, kp, NULL, "nested too deeply");
	if (!json_is_object(j))
		return node_fail(ld, cx, kp, NULL, "an instance is an object");
	const json_t *cls = json_object_get(j, "className");
	if (cls == NULL)
		cls = json_object_get(j, "ClassName");
	if (!json_is_string(cls))
		return node_fail(ld, cx, kp, "className", "expected a class name");
	const rs_class *c = rs_class_find(json_string_value(cls));
	if (c == NULL || c->service)
		return node_fail(ld, cx, kp, "className", "rsim does not model the "
		                 "class %s", json_string_value(cls));
	set_class(n, json_string_value(cls));
	const json_t *props = json_object_get(j, "properties");
	const char *pf = "properties";
	if (props == NULL) {
		props = json_object_get(j, "Properties");
		pf = "Properties";
	}
	if (!read_props(ld, cx, kp, pf, props, n) ||
	    !read_attrs(ld, cx, kp, "attributes",
	                json_object_get(j, "attributes"), n))
		return 0;
	const json_t *kids = json_object_get(j, "children");
	if (kids == NULL)
		kids = json_object_get(j, "Children");
	if (kids == NULL)
		return 1;
	if (!json_is_array(kids))
		return node_fail(ld, cx, kp, "children", "expected an array");
	for (size_t i = 0; i < json_array_size(kids); i++) {
		const json_t *kj = json_array_get(kids, i);
		const json_t *nm = json_object_get(kj, "name");
		if (nm == NULL)
			nm = json_object_get(kj, "Name");
		if (nm == NULL) /* Rojo names it by its class */
			nm = json_object_get(kj, "className");
		if (nm == NULL)
			nm = json_object_get(kj, "ClassName");
		if (!json_is_string(nm))
			return node_fail(ld, cx, kp, "children", "child %zu: expected "
			                 "a name and a className", i + 1);
		pnode *k = add_kid(n);
		k->name = xstrdup(json_string_value(nm));
		k->cls = xstrdup("Folder");
		kp->k[kp->n++] = json_string_value(nm);
		int ok = model_node(ld, cx, kj, kp, k, depth + 1);
		kp->n--;
		if (!ok)
			return 0;
	}
	return 1;
}

/* A *.model.json file: 1 made, 0 error, -1 empty (not part of the game). */
static int snapshot_model(loader *ld, const pctx *cx, const char *path,
                          pnode *n)
{
	char *text;
	int blank = 0;
	json_t *j = load_json(ld, path, &text, &blank);
	if (j == NULL)
		return blank ? -1 : 0; /* Rojo leaves an empty model out */
	pctx mc = { cx, path, text, NULL, NULL, 0, cx->legacy };
	keypath kp = { .n = 0 };
	ld->nodes--; /* counted by the caller */
	int ok = model_node(ld, &mc, j, &kp, n, 0);
	json_decref(j);
	free(text);
	return ok;
}

/* A script that would not compile is a bad project, found when it loads
 * (file and line), not a script error when the game runs: translated
 * from Luau and compiled, never run. */
static int check_source(loader *ld, const char *path, const char *src,
                        size_t len)
{
	rs_luau_error le;
	size_t outlen;
	char *lua = rs_luau_translate(src, len, &outlen, &le);
	if (lua == NULL)
		return fail(ld, path, le.line, "%s", le.msg);
	if (ld->L == NULL && (ld->L = luaL_newstate()) == NULL)
		abort();
	int rc = luaL_loadbufferx(ld->L, lua, outlen, "=@", "t");
	free(lua);
	if (rc == LUA_OK) {
		lua_pop(ld->L, 1);
		return 1;
	}
	/* "@:12: msg" */
	const char *m = lua_tostring(ld->L, -1);
	char *end = NULL;
	long line = m && m[0] == '@' && m[1] == ':' ? strtol(m + 2, &end, 10)
	                                            : 0;
	int ok = fail(ld, path, end && *end == ':' ? (int)line : 0, "%s",
	              end && *end == ':' ? end + 2 : m ? m : "does not compile");
	lua_pop(ld->L, 1);
	return ok;
}

static int snapshot_script(loader *ld, const char *path, const char *cls,
                           const char *run_context, pnode *n)
{
	size_t len;
	const char *why;
	char *src = read_file(path, &len, &why);
	if (src == NULL)
		return fail(ld, path, 0, "cannot read: %s", why);
	n->len = crlf_to_lf(src, len);
	n->source = src;
	if (!check_source(ld, path, src, n->len))
		return 0;
	set_class(n, cls);
	free(n->file);
	n->file = xstrdup(path);
	if (run_context) {
		sbuf b = { 0 };
		sb_quote(&b, run_context, strlen(run_context));
		add_set(n, P_PROP, "RunContext", b.p);
	}
	return 1;
}

/* The kind of script a file name makes, and the length of its suffix. */
typedef struct script_rule {
	const char *suffix;
	int kind;             /* 0 module, 1 server, 2 client, 3 plugin */
} script_rule;

static const script_rule script_rules[] = {
	{ ".server.luau", 1 }, { ".server.lua", 1 },
	{ ".client.luau", 2 }, { ".client.lua", 2 },
	{ ".plugin.luau", 3 }, { ".plugin.lua", 3 },
	{ ".luau", 0 }, { ".lua", 0 },
	{ NULL, 0 }
};

static int script_of(loader *ld, const pctx *cx, const char *path, int kind,
                     pnode *n)
{
	switch (kind) {
	case 1:
		return snapshot_script(ld, path, "Script",
		                       cx->legacy ? NULL : "Server", n);
	case 2:
		return cx->legacy ? snapshot_script(ld, path, "LocalScript", NULL, n)
		                  : snapshot_script(ld, path, "Script", "Client", n);
	case 3:
		return snapshot_script(ld, path, "Script", "Plugin", n);
	default:
		return snapshot_script(ld, path, "ModuleScript", NULL, n);
	}
}

static const char *const unreadable[] = {
	".rbxm", ".rbxmx", ".csv", ".toml", ".yaml", ".yml", ".jsonc", NULL
};

/* A file by Rojo's default rules: 1 made, 0 error, -1 not part of the
 * game. */
static int snapshot_file(loader *ld, const pctx *cx, const char *path,
                         const char *base, pnode *n)
{
	char stem[512];
	const char *suffix = NULL;
	int kind = -1;
	for (const script_rule *r = script_rules; r->suffix; r++)
		if (ends_with(base, r->suffix)) {
			suffix = r->suffix;
			kind = r->kind;
			break;
		}
	if (suffix == NULL) {
		static const char *const other[] = {
			".project.json", ".model.json", ".meta.json", ".json", ".txt",
			NULL
		};
		for (const char *const *o = other; *o; o++)
			if (ends_with(base, *o)) {
				suffix = *o;
				break;
			}
	}
	if (suffix == NULL) {
		for (const char *const *u = unreadable; *u; u++)
			if (ends_with(base, *u))
				return fail(ld, path, 0, "rsim does not read %s files; "
				            "leave it out with the project's "
				            "globIgnorePaths", *u);
		return -1;
	}
	if (strcmp(suffix, ".meta.json") == 0)
		return -1;
	size_t sl = strlen(base) - strlen(suffix);
	if (sl >= sizeof stem)
		return fail(ld, path, 0, "the file name is too long");
	memcpy(stem, base, sl);
	stem[sl] = '\0';
	if (n->name == NULL)
		n->name = xstrdup(stem);
	n->cls = n->cls ? n->cls : xstrdup("Folder");
	free(n->file);
	n->file = xstrdup(path);
	if (strcmp(suffix, ".project.json") == 0) {
		char *pname = NULL;
		int ok = load_project(ld, cx, path, stem, n, &pname);
		free(pname);
		return ok;
	}
	int ok;
	if (kind >= 0) {
		ok = script_of(ld, cx, path, kind, n);
	} else if (strcmp(suffix, ".model.json") == 0) {
		return snapshot_model(ld, cx, path, n); /* no meta file: as Rojo */
	} else if (strcmp(suffix, ".json") == 0) {
		char *text;
		json_t *j = load_json(ld, path, &text, NULL);
		if (j == NULL)
			return 0;
		sbuf b = { 0 };
		sb_str(&b, "return ");
		ok = json_lua(&b, j, 0) ||
		     fail(ld, path, 0, "nested deeper than %d levels",
		          MAX_JSON_DEPTH);
		json_decref(j);
		free(text);
		set_class(n, "ModuleScript");
		n->source = b.p;
		n->len = b.n;
	} else { /* .txt */
		size_t len;
		const char *why;
		char *text = read_file(path, &len, &why);
		if (text == NULL)
			return fail(ld, path, 0, "cannot read: %s", why);
		set_class(n, "StringValue");
		sbuf b = { 0 };
		sb_quote(&b, text, len);
		free(text);
		add_set(n, P_PROP, "Value", b.p);
		ok = 1;
	}
	if (!ok)
		return 0;
	char *dir = dir_of(path);
	char metaname[600];
	snprintf(metaname, sizeof metaname, "%s.meta.json", stem);
	char *meta = path_join(dir, metaname);
	ok = apply_meta(ld, cx, meta, 0, n);
	free(meta);
	free(dir);
	return ok;
}

/* Rojo refuses names that are not UTF-8, and so do instance names in
 * every report rsim writes. */
static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1
		      : (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 ? 3 : -1;
		if (n < 0 || (n == 1 && *p < 0xc2) || (*p == 0xf4 && p[1] > 0x8f) ||
		    *p > 0xf4 || (*p == 0xe0 && p[1] < 0xa0) ||
		    (*p == 0xf0 && p[1] < 0x90) || (*p == 0xed && p[1] > 0x9f))
			return 0;
		for (p++; n > 0; n--, p++)
			if ((*p & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_init(const char *base)
{
	static const char *const inits[] = {
		"init.luau", "init.lua", "init.server.luau", "init.server.lua",
		"init.client.luau", "init.client.lua", "init.plugin.luau",
		"init.plugin.lua", "init.csv", NULL
	};
	for (const char *const *i = inits; *i; i++)
		if (strcmp(base, *i) == 0)
			return 1;
	return 0;
}

/* A folder: a nested project, an init script, or a Folder; then its
 * entries as children, in byte order of their names. */
static int snapshot_dir(loader *ld, const pctx *cx, const char *path,
                        const struct stat *dst, const char *base, pnode *n)
{
	char *proj = path_join(path, "default.project.json");
	struct stat st;
	if (stat(proj, &st) == 0) {
		/* a nested project names its instance itself */
		char *pname = NULL;
		int ok = load_project(ld, cx, proj, base, n, &pname);
		if (ok && n->name == NULL)
			n->name = pname;
		else
			free(pname);
		free(proj);
		return ok;
	}
	free(proj);
	if (n->name == NULL)
		n->name = xstrdup(base);
	set_class(n, "Folder");
	free(n->file);
	n->file = xstrdup(path);
	static const struct { const char *file; int kind; } inits[] = {
		{ "init.luau", 0 }, { "init.lua", 0 },
		{ "init.server.luau", 1 }, { "init.server.lua", 1 },
		{ "init.client.luau", 2 }, { "init.client.lua", 2 },
		{ "init.plugin.lua", 3 }, { "init.plugin.luau", 3 },
	};
	for (size_t i = 0; i < sizeof inits / sizeof *inits; i++) {
		char *ip = path_join(path, inits[i].file);
		int has = stat(ip, &st) == 0 && S_ISREG(st.st_mode);
		int ok = !has || script_of(ld, cx, ip, inits[i].kind, n);
		free(ip);
		if (!ok)
			return 0;
		if (has)
			break;
	}
	char *csv = path_join(path, "init.csv");
	int has_csv = stat(csv, &st) == 0 && !ignored(cx, csv);
	free(csv);
	if (has_csv)
		return fail(ld, path, 0, "rsim does not read .csv files "
		            "(init.csv); leave it out with the project's "
		            "globIgnorePaths");
	DIR *d = opendir(path);
	if (d == NULL)
		return fail(ld, path, 0, "cannot read the folder: %s",
		            strerror(errno));
	char **names = NULL;
	size_t nn = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    is_init(e->d_name))
			continue;
		if (nn == cap) {
			cap = cap ? 2 * cap : 16;
			char **v = realloc(names, cap * sizeof *v);
			if (v == NULL)
				abort();
			names = v;
		}
		names[nn++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (nn)
		qsort(names, nn, sizeof *names, name_cmp);
	int ok = enter(ld, path, dst, 0), entered = ok;
	for (size_t i = 0; i < nn && ok; i++) {
		char *cp = path_join(path, names[i]);
		if (!ignored(cx, cp) && !utf8_ok(names[i])) {
			ok = fail(ld, cp, 0, "the file name is not valid UTF-8");
		} else if (!ignored(cx, cp)) {
			pnode kid = { 0 };
			int r = snapshot_path(ld, cx, cp, NULL, &kid);
			if (r > 0)
				*add_kid(n) = kid;
			else
				node_free(&kid);
			ok = r != 0;
		}
		free(cp);
	}
	if (entered)
		leave(ld);
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	if (!ok)
		return 0;
	char *meta = path_join(path, "init.meta.json");
	ok = apply_meta(ld, cx, meta, 1, n);
	free(meta);
	return ok;
}

/* What is at path, by the rules above: 1 made into *out, 0 error, -1 not
 * part of the game.  `name` (may be NULL) overrides the name it makes. */
static int snapshot_path(loader *ld, const pctx *cx, const char *path,
                         const char *name, pnode *out)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return fail(ld, path, 0, "cannot read: %s", strerror(errno));
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (name) { /* a nested project's $path fills the node again */
		free(out->name);
		out->name = xstrdup(name);
	}
	if (!count_node(ld, path))
		return 0;
	if (S_ISDIR(st.st_mode))
		return snapshot_dir(ld, cx, path, &st, base, out);
	int r = snapshot_file(ld, cx, path, base, out);
	if (r < 0)
		ld->nodes--;
	return r;
}

/* ---- project files ---- */

static const char *const project_fields[] = {
	"name", "tree", "$schema", "servePort", "servePlaceIds",
	"blockedPlaceIds", "placeId", "gameId", "serveAddress",
	"serveAllowedHosts", "emitLegacyScripts", "globIgnorePaths",
	"syncbackRules", "syncRules", NULL
};

static int parse_node(loader *ld, const pctx *cx, const json_t *j,
                      const char *name, const char *parent_cls,
                      keypath *kp, pnode *n);

static const char *infer_class(const char *name, const char *parent_cls)
{
	if (parent_cls == NULL)
		return NULL;
	if (strcmp(parent_cls, "DataModel") == 0) {
		const rs_class *c = rs_class_find(name);
		return c && c->service ? c->name : NULL;
	}
	if (strcmp(parent_cls, "StarterPlayer") == 0 &&
	    (strcmp(name, "StarterPlayerScripts") == 0 ||
	     strcmp(name, "StarterCharacterScripts") == 0))
		return name;
	if (strcmp(parent_cls, "Workspace") == 0 && strcmp(name, "Terrain") == 0)
		return name;
	return NULL;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int parse_node(loader *ld, const pctx *cx, const json_t *j,
                      const char *name, const char *parent_cls,
                      keypath *kp, pnode *n)
{
	if (kp->n >= MAX_DEPTH)
		return node_fail(ld, cx, kp, NULL, "nested too deeply");
	if (!json_is_object(j))
		return node_fail(ld, cx, kp, NULL, "a tree node is an object, "
		                 "got %s", json_kind(j));
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)j, key, v) {
		if (key[0] != '$')
			continue;
		static const char *const known[] = {
			"$className", "$path", "$properties", "$attributes",
			"$ignoreUnknownInstances", "$id", NULL
		};
		const char *const *k = known;
		while (*k && strcmp(*k, key) != 0)
			k++;
		if (*k == NULL)
			return node_fail(ld, cx, kp, key, "unknown field (known: "
			                 "$className, $path, $properties, $attributes, "
			                 "$ignoreUnknownInstances, $id)");
	}
	const json_t *cn = json_object_get(j, "$className");
	if (cn && !json_is_string(cn))
		return node_fail(ld, cx, kp, "$className", "expected a class name, "
		                 "got %s", json_kind(cn));
	const json_t *pj = json_object_get(j, "$path");
	const char *path = NULL;
	int optional = 0;
	if (pj) {
		if (json_is_object(pj) && json_is_string(json_object_get(pj,
		                                                "optional"))) {
			path = json_string_value(json_object_get(pj, "optional"));
			optional = 1;
		} else if (json_is_string(pj)) {
			path = json_string_value(pj);
		} else {
			return node_fail(ld, cx, kp, "$path", "expected a path or "
			                 "{ \"optional\": path }, got %s", json_kind(pj));
		}
	}
	const char *from_path = NULL;
	if (path == NULL && !count_node(ld, cx->file))
		return 0;
	if (path) {
		char *full = path_join(cx->dir, path);
		struct stat st;
		if (stat(full, &st) != 0) {
			int e = errno;
			free(full);
			if (!optional)
				return node_fail(ld, cx, kp, "$path", "%s: %s", path,
				                 strerror(e));
		} else {
			int r = snapshot_path(ld, cx, full, name, n);
			free(full);
			if (r == 0)
				return 0;
			if (r < 0)
				return node_fail(ld, cx, kp, "$path", "%s is not a file "
				                 "Rojo turns into an instance", path);
			from_path = n->cls;
		}
	}
	if (n->name == NULL)
		n->name = xstrdup(name);
	else if (strcmp(n->name, name) != 0) {
		free(n->name);
		n->name = xstrdup(name);
	}
	const char *inferred = infer_class(name, parent_cls);
	const char *given = cn ? json_string_value(cn) : NULL;
	const char *cls;
	if (given && from_path && strcmp(from_path, "Folder") != 0 &&
	    strcmp(given, from_path) != 0)
		return node_fail(ld, cx, kp, "$className", "the class is %s here "
		                 "but %s from $path; with both, $path must be a "
		                 "folder", given, from_path);
	if (given)
		cls = given;
	else if (from_path && !(strcmp(from_path, "Folder") == 0 && inferred))
		cls = from_path;
	else if (inferred)
		cls = inferred;
	else if (optional && path && !from_path)
		return -1;
	else
		return node_fail(ld, cx, kp, NULL, "needs $className or $path (or "
		                 "the name of a service)");
	const rs_class *c = rs_class_find(cls);
	if (c == NULL)
		return node_fail(ld, cx, kp, given ? "$className" : NULL, "rsim "
		                 "does not model the class %s", cls);
	if (parent_cls && strcmp(parent_cls, "DataModel") == 0 && !c->service)
		return node_fail(ld, cx, kp, NULL, "%s: rsim does not model the "
		                 "service %s", cls, name);
	if (strcmp(cls, "Terrain") == 0)
		return node_fail(ld, cx, kp, NULL, "rsim does not model Terrain");
	if (n->cls != cls) {
		char *keep = xstrdup(cls);
		free(n->cls);
		n->cls = keep;
	}
	/* children in key order, after those of $path */
	size_t nk = 0;
	json_object_foreach((json_t *)j, key, v)
		nk += key[0] != '$';
	const char **keys = malloc((nk ? nk : 1) * sizeof *keys);
	if (keys == NULL)
		abort();
	nk = 0;
	json_object_foreach((json_t *)j, key, v)
		if (key[0] != '$')
			keys[nk++] = key;
	qsort(keys, nk, sizeof *keys, key_cmp);
	int ok = 1;
	for (size_t i = 0; i < nk && ok; i++) {
		pnode kid = { 0 };
		kp->k[kp->n++] = keys[i];
		int r = parse_node(ld, cx, json_object_get(j, keys[i]), keys[i],
		                   n->cls, kp, &kid);
		if (r > 0)
			*add_kid(n) = kid;
		else
			node_free(&kid);
		ok = r != 0;
		kp->n--;
	}
	free(keys);
	if (!ok)
		return 0;
	return read_props(ld, cx, kp, "$properties",
	                  json_object_get(j, "$properties"), n) &&
	       read_attrs(ld, cx, kp, "$attributes",
	                  json_object_get(j, "$attributes"), n);
}

static void ctx_free(pctx *cx)
{
	for (size_t i = 0; i < cx->nglobs; i++)
		free(cx->globs[i]);
	free(cx->globs);
	free(cx->dir);
}

static int load_project_file(loader *ld, const pctx *up, const char *path,
                             const char *fallback, pnode *n,
                             char **name_out);

/* Reads the project file at path into n; *name_out gets its name (the
 * project's `name`, else fallback). */
static int load_project(loader *ld, const pctx *up, const char *path,
                        const char *fallback, pnode *n, char **name_out)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return fail(ld, path, 0, "cannot read: %s", strerror(errno));
	if (!enter(ld, path, &st, 1))
		return 0;
	int ok = load_project_file(ld, up, path, fallback, n, name_out);
	leave(ld);
	return ok;
}

/* load_project once the file is known not to include itself. */
static int load_project_file(loader *ld, const pctx *up, const char *path,
                             const char *fallback, pnode *n,
                             char **name_out)
{
	char *text;
	json_t *j = load_json(ld, path, &text, NULL);
	if (j == NULL)
		return 0;
	pctx cx = { up, path, text, dir_of(path), NULL, 0,
	            up ? up->legacy : 1 };
	keypath kp = { .n = 0 };
	int ok = 1;
	const char *key;
	json_t *v;
	if (!json_is_object(j)) {
		ok = fail(ld, path, 1, "a project file holds an object with "
		          "\"name\" and \"tree\"");
		goto out;
	}
	json_object_foreach(j, key, v) {
		const char *const *f = project_fields;
		while (*f && strcmp(*f, key) != 0)
			f++;
		if (*f == NULL) {
			ok = node_fail(ld, &cx, &kp, key, "unknown field of a project "
			               "file");
			goto out;
		}
	}
	const json_t *nm = json_object_get(j, "name");
	if (nm && !json_is_string(nm)) {
		ok = node_fail(ld, &cx, &kp, "name", "expected a string");
		goto out;
	}
	if (json_object_get(j, "syncRules")) {
		ok = node_fail(ld, &cx, &kp, "syncRules", "rsim does not model "
		               "custom sync rules");
		goto out;
	}
	const json_t *legacy = json_object_get(j, "emitLegacyScripts");
	if (legacy && !json_is_boolean(legacy)) {
		ok = node_fail(ld, &cx, &kp, "emitLegacyScripts", "expected true "
		               "or false");
		goto out;
	}
	if (legacy)
		cx.legacy = json_is_true(legacy);
	const json_t *globs = json_object_get(j, "globIgnorePaths");
	if (globs) {
		if (!json_is_array(globs)) {
			ok = node_fail(ld, &cx, &kp, "globIgnorePaths", "expected an "
			               "array of globs");
			goto out;
		}
		cx.globs = calloc(json_array_size(globs) + 1, sizeof *cx.globs);
		if (cx.globs == NULL)
			abort();
		for (size_t i = 0; i < json_array_size(globs); i++) {
			const json_t *g = json_array_get(globs, i);
			if (!json_is_string(g)) {
				ok = node_fail(ld, &cx, &kp, "globIgnorePaths", "expected "
				               "an array of globs");
				goto out;
			}
			cx.globs[cx.nglobs++] = path_join(cx.dir, json_string_value(g));
		}
	}
	const json_t *tree = json_object_get(j, "tree");
	if (tree == NULL) {
		ok = fail(ld, path, 1, "tree: missing (a project names its tree of "
		          "instances)");
		goto out;
	}
	*name_out = xstrdup(nm ? json_string_value(nm) : fallback);
	kp.k[kp.n++] = "tree";
	ok = parse_node(ld, &cx, tree, *name_out, NULL, &kp, n);
	if (ok < 0)
		ok = fail(ld, path, key_line(text, kp.k, 1), "tree: its $path is "
		          "optional and missing");
out:
	ctx_free(&cx);
	json_decref(j);
	free(text);
	return ok > 0;
}

static rs_project *load_top(loader *ld, const char *path);

rs_project *rs_project_load(const char *path, rs_project_error *err)
{
	memset(err, 0, sizeof *err);
	loader ld = { .err = err };
	rs_project *p = load_top(&ld, path);
	if (ld.L)
		lua_close(ld.L);
	return p;
}

static rs_project *load_top(loader *ld, const char *path)
{
	rs_project *p = calloc(1, sizeof *p);
	if (p == NULL)
		abort();
	if (!ends_with(path, ".json")) {
		fail(ld, path, 0, "a Rojo project is a *.project.json file");
		free(p);
		return NULL;
	}
	const char *slash = strrchr(path, '/');
	char fallback[256];
	snprintf(fallback, sizeof fallback, "%s", slash ? slash + 1 : path);
	char *dot = strstr(fallback, ".project.json");
	if (dot)
		*dot = '\0';
	if (!load_project(ld, NULL, path, fallback, &p->root, &p->name)) {
		if (ld->err->msg[0] == '\0')
			fail(ld, path, 0, "not a valid project");
		node_free(&p->root);
		free(p->name);
		free(p);
		return NULL;
	}
	if (strcmp(p->root.cls, "DataModel") != 0) {
		fail(ld, path, 0, "tree: a game's project has a DataModel at its "
		     "root (\"$className\": \"DataModel\"); this one makes a %s",
		     p->root.cls);
		rs_project_free(p);
		return NULL;
	}
	p->size = ld->nodes - 1; /* not the DataModel */
	return p;
}

void rs_project_free(rs_project *p)
{
	if (p == NULL)
		return;
	node_free(&p->root);
	free(p->name);
	free(p);
}

const char *rs_project_name(const rs_project *p)
{
	return p->name;
}

size_t rs_project_size(const rs_project *p)
{
	return p->size;
}

/* ---- building ---- */

rs_inst *rs_place_child(rs_world *w, rs_inst *parent, const char *cls,
                        const char *name)
{
	if (strcmp(parent->cls->name, "StarterPlayer") == 0 &&
	    (strcmp(name, "StarterPlayerScripts") == 0 ||
	     strcmp(name, "StarterCharacterScripts") == 0) &&
	    (strcmp(cls, name) == 0 || strcmp(cls, "Folder") == 0)) {
		rs_inst *fixed = rs_inst_find_child(parent, name);
		if (fixed && strcmp(fixed->cls->name, name) == 0)
			return fixed;
	}
	return rs_world_create(w, cls, name, parent);
}

/* inst[name] = value, inst:SetAttribute(name, value) or inst:AddTag(name);
 * the value is the Lua expression at 4.  Runs protected. */
static int apply_set(lua_State *L)
{
	int kind = (int)lua_tointeger(L, 2);
	const char *name = lua_tostring(L, 3);
	if (kind == P_TAG) {
		lua_getfield(L, 1, "AddTag");
		lua_pushvalue(L, 1);
		lua_pushvalue(L, 3);
		lua_call(L, 2, 0);
		return 0;
	}
	size_t len;
	const char *expr = lua_tolstring(L, 4, &len);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	luaL_addstring(&b, "return ");
	luaL_addlstring(&b, expr, len);
	luaL_pushresult(&b);
	size_t sl;
	const char *src = lua_tolstring(L, -1, &sl);
	if (luaL_loadbufferx(L, src, sl, "=project", "t") != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 1);
	if (kind == P_PROP) {
		lua_setfield(L, 1, name);
	} else {
		lua_getfield(L, 1, "SetAttribute");
		lua_pushvalue(L, 1);
		lua_pushvalue(L, 3);
		lua_pushvalue(L, -4);
		lua_call(L, 3, 0);
	}
	return 0;
}

static void build_node(rs_world *w, lua_State *L, rs_inst *i,
                       const pnode *n)
{
	if (n->source)
		rs_inst_set_source(i, n->source, n->len);
	for (size_t k = 0; k < n->nsets; k++) {
		const pset *s = &n->sets[k];
		lua_pushcfunction(L, apply_set);
		rs_inst_push(L, i);
		lua_pushinteger(L, s->kind);
		lua_pushstring(L, s->name);
		lua_pushstring(L, s->expr);
		if (lua_pcall(L, 4, 0, 0) != LUA_OK) {
			char full[512];
			size_t ml;
			const char *m = rs_vm_tostring(L, -1, &ml);
			char line[1400];
			int len = snprintf(line, sizeof line, "%s: %s: %s: %s",
			                   n->file ? n->file : "project",
			                   rs_inst_full_name(i, full, sizeof full),
			                   s->name, m);
			lua_pop(L, 2);
			rs_vm_output(rs_world_vm(w), RS_OUT_ERROR, line,
			             len < 0 ? 0 : (size_t)len < sizeof line
			                 ? (size_t)len : sizeof line - 1);
		}
	}
	for (size_t k = 0; k < n->nkids; k++) {
		const pnode *c = &n->kids[k];
		rs_inst *ci = rs_place_child(w, i, c->cls, c->name);
		if (ci)
			build_node(w, L, ci, c);
	}
}

void rs_project_build(const rs_project *p, rs_world *w)
{
	lua_State *L = rs_vm_state(rs_world_vm(w));
	for (size_t k = 0; k < p->root.nkids; k++) {
		const pnode *svc = &p->root.kids[k];
		rs_inst *s = rs_world_service(w, svc->cls);
		if (s == NULL) {
			char line[300];
			int len = snprintf(line, sizeof line, "%s: rsim does not model "
			                   "the service %s", p->name, svc->cls);
			rs_vm_output(rs_world_vm(w), RS_OUT_ERROR, line,
			             len < 0 ? 0 : (size_t)len);
			continue;
		}
		build_node(w, L, s, svc);
	}
}

/* ---- where scripts run ---- */

enum { RC_LEGACY = 0, RC_SERVER = 1, RC_CLIENT = 2, RC_PLUGIN = 3 };

static int run_context(const rs_inst *i)
{
	int slot = rs_class_slot(i->cls, "RunContext");
	if (slot < 0 || i->props[slot].type != RS_V_DT)
		return RC_LEGACY;
	return (int)i->props[slot].u.dt->v[1];
}

static int is_class(const rs_inst *i, const char *cls)
{
	return strcmp(i->cls->name, cls) == 0;
}

/* The service i is under (i itself for a service), or NULL. */
static const rs_inst *service_of(const rs_inst *i)
{
	while (i && i->parent && i->parent->parent)
		i = i->parent;
	return i && i->parent ? i : NULL;
}

/* Does Script i under service svc run on the server? */
static int server_runs(const rs_inst *i, const rs_inst *svc)
{
	if (!is_class(i, "Script"))
		return 0;
	int rc = run_context(i);
	const char *s = svc->cls->name;
	return (rc == RC_LEGACY && (strcmp(s, "Workspace") == 0 ||
	                            strcmp(s, "ServerScriptService") == 0)) ||
	       (rc == RC_SERVER && strcmp(s, "ServerStorage") != 0);
}

static void start_server(rs_world *w, rs_inst *i, const rs_inst *svc)
{
	if (server_runs(i, svc))
		rs_world_run_script(w, i);
	for (uint32_t k = 0; k < i->nkids; k++)
		start_server(w, i->kids[k], svc);
}

void rs_place_start_server(rs_world *w)
{
	rs_inst *root = w->root;
	for (uint32_t k = 0; k < root->nkids; k++)
		start_server(w, root->kids[k], root->kids[k]);
	rs_world_scripts_live(w);
}

/* Does a LocalScript at i run on this client (under the local player's
 * Backpack, PlayerGui, PlayerScripts or Character, or ReplicatedFirst)? */
static int local_runs(const rs_world *w, const rs_inst *i)
{
	const rs_inst *lp = w->local_player;
	rs_inst *ch = NULL;
	int slot = lp ? rs_class_slot(lp->cls, "Character") : -1;
	if (slot >= 0 && lp->props[slot].type == RS_V_REF)
		ch = lp->props[slot].u.ref;
	for (const rs_inst *a = i->parent; a; a = a->parent) {
		if (a == ch || is_class(a, "ReplicatedFirst"))
			return 1;
		if (a->parent == lp && lp && (is_class(a, "Backpack") ||
		                              is_class(a, "PlayerGui") ||
		                              is_class(a, "PlayerScripts")))
			return 1;
	}
	return 0;
}

/* Does script i run on this client? */
static int client_runs(const rs_world *w, const rs_inst *i)
{
	return is_class(i, "LocalScript") ? local_runs(w, i)
	       : is_class(i, "Script") && run_context(i) == RC_CLIENT;
}

static void start_client(rs_world *w, rs_inst *i, int first)
{
	int in_first = is_class(service_of(i), "ReplicatedFirst");
	if (in_first == first && client_runs(w, i))
		rs_world_run_script(w, i);
	for (uint32_t k = 0; k < i->nkids; k++)
		start_client(w, i->kids[k], first);
}

/* Copies the children of from into to (Clone, as the engine does). */
static void copy_children(rs_world *w, rs_inst *from, rs_inst *to)
{
	if (from == NULL || to == NULL)
		return;
	lua_State *L = rs_vm_state(rs_world_vm(w));
	for (uint32_t k = 0; k < from->nkids; k++) {
		rs_inst_push(L, from->kids[k]);
		lua_getfield(L, -1, "Clone");
		lua_insert(L, -2);
		lua_call(L, 1, 1);
		rs_inst *copy = rs_inst_test(L, -1);
		lua_pop(L, 1);
		if (copy)
			rs_inst_set_parent(copy, to);
	}
}

rs_inst *rs_place_start_client(rs_world *w)
{
	rs_inst *lp = w->local_player;
	if (lp == NULL)
		return NULL;
	rs_inst *root = w->root;
	rs_inst *rf = rs_world_service(w, "ReplicatedFirst");
	start_client(w, rf, 1);
	rs_inst *sp = rs_world_service(w, "StarterPlayer");
	rs_inst *ps = rs_inst_find_child(lp, "PlayerScripts");
	copy_children(w, rs_inst_find_child(sp, "StarterPlayerScripts"), ps);
	copy_children(w, rs_world_service(w, "StarterGui"),
	              rs_inst_find_child(lp, "PlayerGui"));
	copy_children(w, rs_world_service(w, "StarterPack"),
	              rs_inst_find_child(lp, "Backpack"));
	for (uint32_t k = 0; k < root->nkids; k++)
		if (root->kids[k] != rf)
			start_client(w, root->kids[k], 0);
	rs_world_scripts_live(w);
	return ps;
}

/* A script entered a live world, or was enabled there: it starts if it
 * runs where it now is, as Roblox starts a Script parented into
 * Workspace or a LocalScript put in a player's Backpack. */
static void script_may_start(rs_world *w, rs_inst *i, void *ud)
{
	(void)ud;
	const rs_inst *svc = service_of(i);
	if (svc == NULL)
		return;
	if (rs_world_is_server(w) ? server_runs(i, svc) : client_runs(w, i))
		rs_world_run_script(w, i);
}

void rs_place_open(rs_game *g)
{
	rs_game_on_script(g, script_may_start, NULL);
}

/* ---- from a script's name back to its file ---- */

/* The child of n whose name starts s and ends at a '.' or the end. */
static const pnode *child_at(const pnode *n, const char **s)
{
	for (size_t k = 0; k < n->nkids; k++) {
		size_t l = strlen(n->kids[k].name);
		if (strncmp(*s, n->kids[k].name, l) == 0 &&
		    ((*s)[l] == '.' || (*s)[l] == '\0')) {
			*s += l + ((*s)[l] == '.');
			return &n->kids[k];
		}
	}
	return NULL;
}

const char *rs_project_file_of(const rs_project *p, const char *name)
{
	/* a player's copies of the Starter containers */
	static const struct { const char *in_player, *starter; } copies[] = {
		{ "PlayerScripts.", "StarterPlayer.StarterPlayerScripts." },
		{ "PlayerGui.", "StarterGui." },
		{ "Backpack.", "StarterPack." },
	};
	char buf[1024];
	if (strncmp(name, "Players.", 8) == 0) {
		const char *dot = strchr(name + 8, '.');
		for (size_t c = 0; dot && c < sizeof copies / sizeof *copies; c++) {
			size_t l = strlen(copies[c].in_player);
			if (strncmp(dot + 1, copies[c].in_player, l) == 0) {
				snprintf(buf, sizeof buf, "%s%s", copies[c].starter,
				         dot + 1 + l);
				name = buf;
				break;
			}
		}
	}
	const pnode *n = &p->root;
	const char *s = name;
	while (n && *s)
		n = child_at(n, &s);
	return n && n->source ? n->file : NULL;
}
