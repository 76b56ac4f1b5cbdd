/*
 * marshal.c -- Lua values to wire bytes and back, with Roblox's argument
 * limitations applied on the way out.
 *
 * THE RULES (what a receiver sees; sources in brackets, see the end)
 *
 *  1. nil, booleans, numbers and strings arrive as they were.  Numbers keep
 *     Lua 5.4's subtype (integer or float); NaN travels as one canonical
 *     NaN.  Strings are byte strings and may hold NUL.  [doc]
 *  2. Functions, threads, light userdata and userdata that is neither a
 *     datatype nor an Instance arrive as nil: at the top level (the argument
 *     count is kept, so later arguments do not shift) and inside tables,
 *     where the entry simply disappears.  [doc "Passed Functions"; engine]
 *  3. Datatypes (Vector3, CFrame, Color3, EnumItem, ...) arrive by value.
 *  4. Instances travel as the sender's network id and arrive as the
 *     receiver's own object for that id; an Instance the receiver cannot
 *     see (id 0 on the sender, or unknown on the receiver) arrives as nil.
 *  5. Tables arrive as copies: a new table per occurrence, so passing the
 *     same table twice gives two distinct tables (t1 ~= t2), and a table
 *     shared by two branches is copied twice.  Metatables are dropped and
 *     fields are read raw (no __index, __pairs or __len ever runs).
 *     [doc "Table Identities"; engine test DuplicateTable; bug-tracker#255]
 *  6. A table that contains itself (directly or through other tables on
 *     the current path) is an error: "tables cannot be cyclic".  Nesting
 *     deeper than RS_MARSHAL_MAX_DEPTH tables is an error too (our wording:
 *     Roblox does not document a limit).  [engine; raycastHitboxRbxl#7]
 *  7. Array or dictionary, decided per table by key 1:
 *     - if t[1] is not nil the table is an ARRAY: it sends t[1], t[2], ...
 *       up to the first nil, and drops every other key (string keys,
 *       integers past the first nil, floats, zero, negatives).  So a mixed
 *       table loses its dictionary part, and an array with a nil hole
 *       arrives cut at the hole.  Values that become nil (rule 2, 4) keep
 *       their slot: {1, print, 3} arrives as {1, nil, 3}.
 *     - otherwise the table is a DICTIONARY and every key arrives as a
 *       string: numbers as tostring prints them ("0", "-1", "2.5",
 *       "1e+20"), booleans as "true"/"false", an Instance as
 *       "<Instance> (" .. tostring(instance) .. ")" (its Name), any other
 *       object as "<Type> (" .. tostring(key) .. ")" with Type its typeof
 *       capitalised ("<Table> (table: 0x...)").  When two keys give the same
 *       string, the later one in canonical key order wins.
 *     An empty table arrives as an empty table.
 *     Roblox's engine uses the border #t instead of "up to the first nil";
 *     the two agree on every table without holes, and with holes Roblox's
 *     answer depends on the table's internal layout, which is not
 *     deterministic; cutting at the first nil is.  [engine LuaArguments;
 *     bug-tracker#213; zap#112; charm#10; rbx-net#64; doc "Table Indexing"]
 *
 * BINDABLES (BindableEvent:Fire, BindableFunction:Invoke and OnInvoke's
 * results) stay in one VM and use these rules with one change:
 *  2b. Functions pass through unchanged: the receiver gets the very same
 *     closure (f == g, callable, same upvalues), at the top level and as
 *     array slots or dictionary values.  The context's value_ref/push_ref
 *     carry them as T_REF; a link's context has neither, so on a remote
 *     rule 2 holds.  [bdoc lists no limitation on functions ("any type of
 *     Roblox object ... as well as Luau types"); @rbxts/signal fires a
 *     closure through a BindableEvent; Nevermore's BindableEncodingUtils
 *     wraps tables in closures so the receiver gets the original table]
 *  Everything else is as for remotes, and these are the choices made:
 *   - tables are copied, a new table per occurrence: a table inside a
 *     table is copied too and has no identity with the original, nor with
 *     a second occurrence of itself (rule 5) [bdoc "Table identities"];
 *   - metatables dropped (rule 5) [bdoc "Metatables"];
 *   - non-string keys become strings (rule 7), a function key too: only
 *     values pass by reference [bdoc "Non-string indices" names Instance,
 *     userdata and function indices];
 *   - mixed tables and nil holes by rule 7 [bdoc "Table indexing": mixed
 *     tables lose elements, avoid nil values];
 *   - a cyclic table is the same error (rule 6): the engine converts
 *     bindable arguments with the same LuaArguments code [engine];
 *   - threads and foreign userdata arrive as nil (rule 2): the engine's
 *     argument types have no thread [engine];
 *   - instances arrive as themselves, whatever their place (a bindable
 *     has no receiver that could fail to see one).
 *
 * Sources:
 *   bdoc    -- create.roblox.com "Bindable events and callbacks", section
 *              Argument limitations (creator-docs
 *              content/en-us/scripting/events/bindable.md).
 *   doc     -- create.roblox.com "Remote events and callbacks", section
 *              Argument Limitations (shared/reference/...).
 *   engine  -- RBX::Lua::LuaArguments::getRec and its tests (CyclicTable1/2,
 *              DuplicateTable) in the 2016 public snapshot of the engine:
 *              #t > 0 makes an array of t[1..#t], other keys dropped;
 *              otherwise a dictionary; a table met twice on the path throws
 *              "tables cannot be cyclic"; threads and unknown userdata
 *              become nil.  (Back then non-string dictionary keys threw
 *              "keys must be strings"; today's documentation converts them.)
 *   github.com/Anaminus/roblox-bug-tracker issues 132, 213, 255;
 *   github.com/Swordphin/raycastHitboxRbxl issue 7 (the error text, 2023);
 *   github.com/red-blox/zap issue 112 and PR 119 (keys 50, 100 after 1, 2
 *   are dropped); github.com/littensy/charm PR 10 ({[2] = x} arrives with
 *   the key "2"); github.com/roblox-aurora/rbx-net issue 64 ([0] arrives as
 *   "0").  The "<Instance> (Name)" and "<Table> (...)" key strings are what
 *   community remote and DataStore mocks reproduce; the other "<Type>"
 *   forms extend that pattern.
 *
 * THE FORMAT
 *   message := varint(count) value*count
 *   value   := tag byte, then by tag (see enum wire_tag):
 *     NIL FALSE TRUE           nothing
 *     INT                      zigzag varint
 *     FLOAT                    8 bytes, IEEE 754 little-endian
 *     STRING                   varint(len) bytes
 *     ARRAY                    varint(n) value*n
 *     DICT                     varint(n) (varint(len) key-bytes value)*n
 *     DATATYPE                 kind byte, n byte, n doubles
 *     INSTANCE                 varint(id), id != 0
 *     REF                      varint(id), id != 0: a value of the
 *                              sender's VM (bindables only; a decoder
 *                              without push_ref rejects it)
 *   Varints are LEB128, minimal, at most 10 bytes.  Dictionary keys are
 *   written in rs_vm_sorted_keys order, so equal values give equal bytes.
 *   The decoder checks every count against the bytes left before it
 *   allocates anything, bounds the nesting, and pushes nothing on error.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "rsim/core.h"
#include "rsim/datatypes.h"
#include "rsim/marshal.h"
#include "rsim/vm.h"

#define RS_MARSHAL_MAX_DEPTH 100

#define MSG_CYCLIC  "tables cannot be cyclic"
#define STR_(x)     #x
#define STR(x)      STR_(x)
#define MSG_DEEP    "tables cannot be nested more than " \
                    STR(RS_MARSHAL_MAX_DEPTH) " levels deep"
#define MSG_NOMEM   "not enough memory"
#define MSG_STACK   "stack overflow while sending arguments"

typedef enum wire_tag {
	T_NIL, T_FALSE, T_TRUE, T_INT, T_FLOAT, T_STRING,
	T_ARRAY, T_DICT, T_DATATYPE, T_INSTANCE, T_REF,
	T_MAX
} wire_tag;

/* ---- rs_buf ---- */

void rs_buf_init(rs_buf *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
}

void rs_buf_free(rs_buf *b)
{
	free(b->p);
	rs_buf_init(b);
}

/* Makes room for n more bytes, doubling so that appends are amortised
 * O(1) and a reused buffer stops allocating once it has seen the largest
 * message.  Returns 0 when out of memory or b is inconsistent (b
 * unchanged). */
static int buf_reserve(rs_buf *b, size_t n)
{
	if (b->len > b->cap)
		return 0;
	if (b->cap - b->len >= n)
		return 1;
	if (n > SIZE_MAX / 2 - b->len)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap - b->len < n)
		cap *= 2;
	unsigned char *p = realloc(b->p, cap);
	if (p == NULL)
		return 0;
	b->p = p;
	b->cap = cap;
	return 1;
}

void rs_buf_put(rs_buf *b, const void *p, size_t n)
{
	if (!buf_reserve(b, n))
		abort();
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

void rs_buf_put_uv(rs_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;
	do {
		tmp[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	rs_buf_put(b, tmp, n);
}

int rs_buf_get_uv(const unsigned char **p, const unsigned char *end,
                  uint64_t *out)
{
	uint64_t v = 0;
	for (int shift = 0; shift <= 63 && *p < end; shift += 7) {
		unsigned c = *(*p)++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return 1;
		}
	}
	return 0;
}

/* ---- encoder ---- */

typedef struct enc {
	lua_State *L;
	rs_buf *out;
	const rs_marshal_ctx *cx;
	const char *err;          /* first error, NULL while all is well */
	char msg[160];            /* room for an error raised by tostring */
	int depth;                /* tables on the current path */
	const void *path[RS_MARSHAL_MAX_DEPTH];
} enc;

static int enc_fail(enc *e, const char *msg)
{
	if (e->err == NULL)
		e->err = msg;
	return 0;
}

static int put(enc *e, const void *p, size_t n)
{
	if (!buf_reserve(e->out, n))
		return enc_fail(e, MSG_NOMEM);
	memcpy(e->out->p + e->out->len, p, n);
	e->out->len += n;
	return 1;
}

static int put_byte(enc *e, unsigned c)
{
	unsigned char b = (unsigned char)c;
	return put(e, &b, 1);
}

static int put_varint(enc *e, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;
	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	return put(e, b, n);
}

static int put_double(enc *e, double x)
{
	uint64_t u;
	unsigned char b[8];
	if (isnan(x))
		u = UINT64_C(0x7ff8000000000000); /* one NaN: same value, same bytes */
	else
		memcpy(&u, &x, sizeof u);
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(u >> (8 * i));
	return put(e, b, 8);
}

static int put_lstring(enc *e, const char *s, size_t len)
{
	return put_varint(e, len) && put(e, s, len);
}

/* What a userdata becomes on the wire: a datatype (filled into *dt), an
 * instance with a replicable id (*id), or nil. */
static wire_tag classify_userdata(enc *e, int idx, rs_datatype *dt,
                                  uint64_t *id)
{
	if (rs_datatype_get(e->L, idx, dt))
		return T_DATATYPE;
	if (strcmp(rs_typeof(e->L, idx), "Instance") != 0)
		return T_NIL;
	*id = e->cx && e->cx->instance_id ?
	      e->cx->instance_id(e->L, idx, e->cx->ud) : 0;
	return *id ? T_INSTANCE : T_NIL;
}

/* Whether the value at idx arrives as nil (rule 2 and 4). */
static int nil_on_wire(enc *e, int idx)
{
	rs_datatype dt;
	uint64_t id;
	switch (lua_type(e->L, idx)) {
	case LUA_TFUNCTION:
		return !(e->cx && e->cx->value_ref);
	case LUA_TNIL: case LUA_TTHREAD:
	case LUA_TLIGHTUSERDATA:
		return 1;
	case LUA_TUSERDATA:
		return classify_userdata(e, idx, &dt, &id) == T_NIL;
	default:
		return 0;
	}
}

static int put_value(enc *e, int idx);

/* A function that stays in its VM (rule 2b): the context's id for it. */
static int put_ref(enc *e, int idx)
{
	uint64_t id = e->cx->value_ref(e->L, idx, e->cx->ud);
	if (id == 0)
		return put_byte(e, T_NIL);
	return put_byte(e, T_REF) && put_varint(e, id);
}

static int put_number(enc *e, int idx)
{
	if (lua_isinteger(e->L, idx)) {
		uint64_t u = (uint64_t)lua_tointeger(e->L, idx);
		uint64_t zz = (u << 1) ^ (0 - (u >> 63));
		return put_byte(e, T_INT) && put_varint(e, zz);
	}
	return put_byte(e, T_FLOAT) && put_double(e, lua_tonumber(e->L, idx));
}

static int put_userdata(enc *e, int idx)
{
	rs_datatype dt;
	uint64_t id = 0;
	switch (classify_userdata(e, idx, &dt, &id)) {
	case T_DATATYPE:
		if (!put_byte(e, T_DATATYPE) || !put_byte(e, dt.kind) ||
		    !put_byte(e, dt.n))
			return 0;
		for (int i = 0; i < dt.n; i++)
			if (!put_double(e, dt.v[i]))
				return 0;
		return 1;
	case T_INSTANCE:
		return put_byte(e, T_INSTANCE) && put_varint(e, id);
	default:
		return put_byte(e, T_NIL);
	}
}

/* The array part as Roblox sends it: t[1..n], n the last index before the
 * first nil (rule 7). */
static lua_Integer array_length(lua_State *L, int t)
{
	lua_Integer n = 0;
	while (lua_rawgeti(L, t, n + 1) != LUA_TNIL) {
		lua_pop(L, 1);
		n++;
	}
	lua_pop(L, 1);
	return n;
}

static int put_array(enc *e, int t)
{
	lua_Integer n = array_length(e->L, t);
	if (!put_byte(e, T_ARRAY) || !put_varint(e, (uint64_t)n))
		return 0;
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(e->L, t, i);
		int ok = put_value(e, lua_gettop(e->L));
		lua_pop(e->L, 1);
		if (!ok)
			return 0;
	}
	return 1;
}

/* Names an object key: "<Instance> (Part)", "<Table> (table: 0x...)".
 * Runs under lua_pcall because tostring may run a __tostring metamethod. */
static int key_name(lua_State *L)
{
	char label[64];
	const char *type = rs_typeof(L, 1);
	snprintf(label, sizeof label, "<%s> (", type);
	if (label[1] >= 'a' && label[1] <= 'z')
		label[1] = (char)(label[1] - 'a' + 'A');
	lua_pushstring(L, label);
	rs_vm_tostring(L, 1, NULL);
	lua_pushliteral(L, ")");
	lua_concat(L, 3);
	return 1;
}

/* Pushes the string a dictionary key arrives as (rule 7).  Returns 0 with
 * nothing pushed when naming an object key raised an error. */
static int push_key_string(enc *e, int k)
{
	lua_State *L = e->L;
	char buf[RS_NUMBUF];
	k = lua_absindex(L, k);
	switch (lua_type(L, k)) {
	case LUA_TSTRING:
		lua_pushvalue(L, k);
		return 1;
	case LUA_TNUMBER:
		if (lua_isinteger(L, k))
			lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, k));
		else
			lua_pushlstring(L, buf, (size_t)rs_fmtnum(lua_tonumber(L, k),
			                                          buf));
		return 1;
	case LUA_TBOOLEAN:
		lua_pushstring(L, lua_toboolean(L, k) ? "true" : "false");
		return 1;
	default:
		lua_pushcfunction(L, key_name);
		lua_pushvalue(L, k);
		if (lua_pcall(L, 1, 1, 0) == LUA_OK)
			return 1;
		/* The message is copied: it dies with the pop. */
		snprintf(e->msg, sizeof e->msg, "%s", lua_isstring(L, -1) ?
		         lua_tostring(L, -1) : "a table key has no string form");
		lua_pop(L, 1);
		return enc_fail(e, e->msg);
	}
}

/* Writes the dictionary at t.  Entries whose value arrives as nil are left
 * out, so the count is taken in a first pass over the same sorted keys. */
static int put_dict(enc *e, int t)
{
	lua_State *L = e->L;
	lua_Integer nk = rs_vm_sorted_keys(L, t);
	int keys = lua_gettop(L);
	uint64_t count = 0;
	for (lua_Integer i = 1; i <= nk; i++) {
		lua_rawgeti(L, keys, i);
		lua_rawget(L, t);
		count += !nil_on_wire(e, -1);
		lua_pop(L, 1);
	}
	int ok = put_byte(e, T_DICT) && put_varint(e, count);
	for (lua_Integer i = 1; ok && i <= nk; i++) {
		lua_rawgeti(L, keys, i);
		lua_pushvalue(L, -1);
		lua_rawget(L, t);
		if (!nil_on_wire(e, -1)) {
			size_t len;
			const char *s;
			ok = push_key_string(e, -2);
			if (ok) {
				s = lua_tolstring(L, -1, &len);
				ok = put_lstring(e, s, len) && put_value(e, -2);
				lua_pop(L, 1);
			}
		}
		lua_pop(L, 2);
	}
	lua_pop(L, 1); /* keys */
	return ok;
}

/* A table: checked against the path (cycles, depth), then written as an
 * array or a dictionary by rule 7. */
static int put_table(enc *e, int t)
{
	const void *p = lua_topointer(e->L, t);
	for (int i = 0; i < e->depth; i++)
		if (e->path[i] == p)
			return enc_fail(e, MSG_CYCLIC);
	if (e->depth == RS_MARSHAL_MAX_DEPTH)
		return enc_fail(e, MSG_DEEP);
	if (!lua_checkstack(e->L, 8))
		return enc_fail(e, MSG_STACK);
	e->path[e->depth++] = p;
	int is_array = lua_rawgeti(e->L, t, 1) != LUA_TNIL;
	lua_pop(e->L, 1);
	int ok = is_array ? put_array(e, t) : put_dict(e, t);
	e->depth--;
	return ok;
}

static int put_value(enc *e, int idx)
{
	lua_State *L = e->L;
	size_t len;
	const char *s;
	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN:
		return put_byte(e, lua_toboolean(L, idx) ? T_TRUE : T_FALSE);
	case LUA_TNUMBER:
		return put_number(e, idx);
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &len);
		return put_byte(e, T_STRING) && put_lstring(e, s, len);
	case LUA_TTABLE:
		return put_table(e, idx);
	case LUA_TUSERDATA:
		return put_userdata(e, idx);
	case LUA_TFUNCTION:
		if (e->cx && e->cx->value_ref)
			return put_ref(e, idx);
		return put_byte(e, T_NIL);
	default: /* nil, threads, light userdata */
		return put_byte(e, T_NIL);
	}
}

int rs_marshal_encode(lua_State *L, int first, int n, rs_buf *out,
                      const rs_marshal_ctx *cx, char *err, size_t errlen)
{
	enc e;
	int top = lua_gettop(L);
	size_t start = out->len;
	e.L = L;
	e.out = out;
	e.cx = cx;
	e.err = NULL;
	e.depth = 0;
	first = lua_absindex(L, first);
	int ok = n >= 0 && put_varint(&e, (uint64_t)n);
	for (int i = 0; ok && i < n; i++)
		ok = put_value(&e, first + i);
	lua_settop(L, top);
	if (ok)
		return 1;
	out->len = start;
	if (err && errlen)
		snprintf(err, errlen, "%s", e.err ? e.err : "bad argument count");
	return 0;
}

/* ---- decoder ---- */

typedef struct dec {
	lua_State *L;
	const unsigned char *p, *end;
	const rs_marshal_ctx *cx;
} dec;

static size_t left(const dec *d) { return (size_t)(d->end - d->p); }

static int get_byte(dec *d, unsigned *c)
{
	if (d->p == d->end)
		return 0;
	*c = *d->p++;
	return 1;
}

/* Minimal LEB128 only: every value has one encoding, so a message decodes
 * to the values that would re-encode to the same bytes. */
static int get_varint(dec *d, uint64_t *v)
{
	if (d->p < d->end && *d->p < 0x80) {
		*v = *d->p++; /* one byte: the common case */
		return 1;
	}
	uint64_t x = 0;
	for (int shift = 0; shift < 70; shift += 7) {
		unsigned c;
		if (!get_byte(d, &c))
			return 0;
		if (shift == 63 && c > 1)
			return 0;                /* past 64 bits */
		if (c == 0 && shift > 0)
			return 0;                /* overlong */
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return 1;
		}
	}
	return 0;
}

static int get_double(dec *d, double *x)
{
	uint64_t u = 0;
	if (left(d) < 8)
		return 0;
	for (int i = 0; i < 8; i++)
		u |= (uint64_t)d->p[i] << (8 * i);
	d->p += 8;
	memcpy(x, &u, sizeof *x);
	return 1;
}

/* A length-prefixed byte run; the length is checked against what is left
 * before anything points into it. */
static int get_lstring(dec *d, const char **s, size_t *len)
{
	uint64_t n;
	if (!get_varint(d, &n) || n > left(d))
		return 0;
	*s = (const char *)d->p;
	*len = (size_t)n;
	d->p += n;
	return 1;
}

static int get_value(dec *d, int depth);

static int rd_nil(dec *d, int depth) { lua_pushnil(d->L); return 1; }
static int rd_false(dec *d, int depth) { lua_pushboolean(d->L, 0); return 1; }
static int rd_true(dec *d, int depth) { lua_pushboolean(d->L, 1); return 1; }

static int rd_int(dec *d, int depth)
{
	uint64_t zz;
	if (!get_varint(d, &zz))
		return 0;
	lua_pushinteger(d->L, (lua_Integer)((zz >> 1) ^ (0 - (zz & 1))));
	return 1;
}

static int rd_float(dec *d, int depth)
{
	double x;
	if (!get_double(d, &x))
		return 0;
	lua_pushnumber(d->L, x);
	return 1;
}

static int rd_string(dec *d, int depth)
{
	const char *s;
	size_t len;
	if (!get_lstring(d, &s, &len))
		return 0;
	lua_pushlstring(d->L, s, len);
	return 1;
}

static void new_table(dec *d)
{
	if (d->cx && d->cx->new_table)
		d->cx->new_table(d->L, d->cx->ud);
}

/* Every element takes at least one byte, so n <= left bounds the table
 * the count can ask for. */
static int rd_array(dec *d, int depth)
{
	uint64_t n;
	if (depth >= RS_MARSHAL_MAX_DEPTH || !get_varint(d, &n) ||
	    n > left(d) || n > INT_MAX)
		return 0;
	if (!lua_checkstack(d->L, 2 + LUA_MINSTACK))
		return 0;
	new_table(d);
	lua_createtable(d->L, (int)n, 0);
	for (uint64_t i = 1; i <= n; i++) {
		if (!get_value(d, depth + 1))
			return 0;
		if (lua_isnil(d->L, -1))
			lua_pop(d->L, 1);        /* a hole: the value became nil */
		else
			lua_rawseti(d->L, -2, (lua_Integer)i);
	}
	return 1;
}

/* Every entry takes at least two bytes (key length, value tag). */
static int rd_dict(dec *d, int depth)
{
	uint64_t n;
	if (depth >= RS_MARSHAL_MAX_DEPTH || !get_varint(d, &n) ||
	    n > left(d) / 2 || n > INT_MAX)
		return 0;
	if (!lua_checkstack(d->L, 2 + LUA_MINSTACK))
		return 0;
	new_table(d);
	lua_createtable(d->L, 0, (int)n);
	for (uint64_t i = 0; i < n; i++) {
		const char *s;
		size_t len;
		if (!get_lstring(d, &s, &len))
			return 0;
		lua_pushlstring(d->L, s, len);
		if (!get_value(d, depth + 1))
			return 0;
		if (lua_isnil(d->L, -1))
			lua_pop(d->L, 2);
		else
			lua_rawset(d->L, -3);
	}
	return 1;
}

static int rd_datatype(dec *d, int depth)
{
	rs_datatype dt;
	unsigned kind, n;
	memset(&dt, 0, sizeof dt);
	if (!get_byte(d, &kind) || !get_byte(d, &n) || n > RS_DT_MAXV)
		return 0;
	dt.kind = (uint8_t)kind;
	dt.n = (uint8_t)n;
	for (unsigned i = 0; i < n; i++)
		if (!get_double(d, &dt.v[i]))
			return 0;
	return rs_datatype_push(d->L, &dt);
}

/* The receiver's own instance, or nil; whatever the callback does, exactly
 * one value is left. */
static int rd_instance(dec *d, int depth)
{
	uint64_t id;
	if (!get_varint(d, &id) || id == 0)
		return 0;
	int top = lua_gettop(d->L);
	if (d->cx && d->cx->push_instance)
		d->cx->push_instance(d->L, id, d->cx->ud);
	if (lua_gettop(d->L) == top)
		lua_pushnil(d->L);
	lua_settop(d->L, top + 1);
	return 1;
}

/* The sender's own value (rule 2b); only a context that made references
 * can take them, so bytes from a link that hold one are malformed. */
static int rd_ref(dec *d, int depth)
{
	uint64_t id;
	if (d->cx == NULL || d->cx->push_ref == NULL || !get_varint(d, &id) ||
	    id == 0)
		return 0;
	int top = lua_gettop(d->L);
	d->cx->push_ref(d->L, id, d->cx->ud);
	if (lua_gettop(d->L) == top)
		lua_pushnil(d->L);
	lua_settop(d->L, top + 1);
	return 1;
}

static int (*const readers[T_MAX])(dec *, int) = {
	[T_NIL] = rd_nil, [T_FALSE] = rd_false, [T_TRUE] = rd_true,
	[T_INT] = rd_int, [T_FLOAT] = rd_float, [T_STRING] = rd_string,
	[T_ARRAY] = rd_array, [T_DICT] = rd_dict,
	[T_DATATYPE] = rd_datatype, [T_INSTANCE] = rd_instance,
	[T_REF] = rd_ref,
};

/* Pushes one value.  The caller has made room for it and for what making
 * it needs (LUA_MINSTACK slots, as a C function gets): the top level for
 * all its values, each table for itself, a key and a value. */
static int get_value(dec *d, int depth)
{
	unsigned tag;
	if (!get_byte(d, &tag) || tag >= T_MAX)
		return 0;
	return readers[tag](d, depth);
}

int rs_marshal_decode(lua_State *L, const unsigned char *p, size_t len,
                      const rs_marshal_ctx *cx)
{
	dec d;
	uint64_t n;
	int top = lua_gettop(L);
	if (p == NULL && len != 0)
		return -1;
	d.L = L;
	d.p = p;
	d.end = p ? p + len : p;
	d.cx = cx;
	if (!get_varint(&d, &n) || n > left(&d) || n > INT_MAX - LUA_MINSTACK ||
	    !lua_checkstack(L, (int)n + LUA_MINSTACK))
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		if (!get_value(&d, 0)) {
			lua_settop(L, top);
			return -1;
		}
	}
	if (d.p != d.end) {
		lua_settop(L, top);
		return -1;
	}
	return (int)n;
}

/* ---- shape ---- */

/* The decoder's checks without the decoder's values: each skip_* accepts
 * exactly what the rd_* of its tag accepts, but for what the rd_* leaves to
 * Lua (datatypes, which rs_datatype_push checks, are never plain). */
typedef struct shape_walk {
	dec d;
	rs_marshal_shape *out;
} shape_walk;

static int skip_value(shape_walk *w, int depth);

static int skip_table(shape_walk *w, int depth, int dict)
{
	uint64_t n;
	if (depth >= RS_MARSHAL_MAX_DEPTH || !get_varint(&w->d, &n) ||
	    n > (dict ? left(&w->d) / 2 : left(&w->d)) || n > INT_MAX)
		return 0;
	if (w->out->tables++ == UINT32_MAX)
		return 0;
	for (uint64_t i = 0; i < n; i++) {
		const char *s;
		size_t len;
		if (dict && !get_lstring(&w->d, &s, &len))
			return 0;
		if (!skip_value(w, depth + 1))
			return 0;
	}
	return 1;
}

static int skip_value(shape_walk *w, int depth)
{
	dec *d = &w->d;
	unsigned tag, c;
	uint64_t u;
	double x;
	const char *s;
	size_t len;
	if (!get_byte(d, &tag))
		return 0;
	switch (tag) {
	case T_NIL: case T_FALSE: case T_TRUE:
		return 1;
	case T_INT:
		return get_varint(d, &u);
	case T_FLOAT:
		return get_double(d, &x);
	case T_STRING:
		return get_lstring(d, &s, &len);
	case T_ARRAY:
		return skip_table(w, depth, 0);
	case T_DICT:
		return skip_table(w, depth, 1);
	case T_DATATYPE:
		w->out->plain = 0;
		if (!get_byte(d, &c) || !get_byte(d, &c) || c > RS_DT_MAXV)
			return 0;
		for (unsigned i = 0; i < c; i++)
			if (!get_double(d, &x))
				return 0;
		return 1;
	case T_INSTANCE:
	case T_REF:
		w->out->plain = 0;
		return get_varint(d, &u) && u != 0;
	default:
		return 0;
	}
}

int rs_marshal_shape_of(const unsigned char *p, size_t len,
                        rs_marshal_shape *out)
{
	shape_walk w;
	uint64_t n;
	memset(out, 0, sizeof *out);
	out->plain = 1;
	if (p == NULL && len != 0)
		return 0;
	w.d.L = NULL;
	w.d.p = p;
	w.d.end = p ? p + len : p;
	w.d.cx = NULL;
	w.out = out;
	if (!get_varint(&w.d, &n) || n > left(&w.d) ||
	    n > INT_MAX - LUA_MINSTACK)
		return 0;
	out->values = (uint32_t)n;
	for (uint64_t i = 0; i < n; i++)
		if (!skip_value(&w, 0))
			return 0;
	return w.d.p == w.d.end;
}
