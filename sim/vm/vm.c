/*
 * vm.c -- a peer's Lua state: allocator, sandbox, deterministic identity and
 * iteration, tostring/print, and the script-timeout hook.
 *
 * Identity.  Debian's Lua seeds its string hash from the clock and ASLR and
 * hashes objects by address, so neither `next` order nor "%p" is stable from
 * run to run.  The allocator therefore prefixes every block with a word
 * and numbers, in a per-VM sequence, the blocks of new tables, closures,
 * threads and userdata; an object's identity is the number stamped on its
 * block, so it depends only on the order in which the program made
 * objects.  Finding that block from a
 * value uses the layout of Lua 5.4's objects (see block_of); the unit tests
 * check that identities follow creation order.
 *
 * Canonical order (pairs, next, printing tables): numbers ascending, then
 * strings by bytes, then false, true, then other values by identity.  Any
 * table iterates the same way on any machine.
 */
#include "vm_internal.h"

#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "rsim/luau.h"
#include "luapat.h"

#define HDR 8                  /* bytes before every block: its sequence */
#define HOOK_STEP 1000         /* instructions between timeout checks */
#define DEFAULT_MEM (64u << 20)
#define DEFAULT_INSTR 100000000u
#define EPOCH 1735689600       /* os.time() at virtual time 0: 2025-01-01 */

static const char TIMEOUT_MSG[] =
	"Script timeout: exhausted allowed execution time";

/* ---- allocator ---- */

/* Blocks up to RS_POOL_MAX bytes come from the simulation's pool (not
 * under AddressSanitizer, which checks each malloc'd block). */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_MAX 0
#else
#define POOL_MAX RS_POOL_MAX
#endif

static void *block_alloc(rs_vm *vm, size_t n)
{
	return n <= POOL_MAX ? rs_pool_alloc(&vm->sim->pool, n) : malloc(n);
}

static void block_free(rs_vm *vm, void *b, size_t n)
{
	if (n <= POOL_MAX)
		rs_pool_free(&vm->sim->pool, b, n);
	else
		free(b);
}

static void *vm_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	rs_vm *vm = ud;
	char *block = ptr ? (char *)ptr - HDR : NULL;
	/* For a new block, osize tells what Lua is making: only tables,
	 * functions, threads and userdata are numbered.  Strings are not: Lua
	 * caches C strings by their address, so how many it allocates can vary
	 * with where the binary was loaded. */
	int kind = ptr == NULL ? (int)osize : -1;
	if (ptr == NULL)
		osize = 0;
	if (nsize == 0) {
		if (block != NULL)
			block_free(vm, block, osize + HDR);
		vm->mem -= osize;
		return NULL;
	}
	if (nsize > osize && vm->limit_on &&
	    vm->mem + (nsize - osize) > vm->cfg.mem_limit) {
		vm->mem_hit = 1;
		vm->forced_id = 0;
		return NULL;
	}
	size_t on = osize + HDR, nn = nsize + HDR;
	char *nb;
	if (block == NULL) {
		nb = block_alloc(vm, nn);
	} else if (on <= POOL_MAX && nn <= POOL_MAX &&
	           (on + 15) / 16 == (nn + 15) / 16) {
		nb = block; /* same size class */
	} else if (on > POOL_MAX && nn > POOL_MAX) {
		nb = realloc(block, nn);
	} else {
		/* across the pool's bound, or between its classes: a pool
		 * block is never NULL, so a shrink still cannot fail */
		nb = block_alloc(vm, nn);
		if (nb != NULL) {
			memcpy(nb, block, on < nn ? on : nn);
			block_free(vm, block, on);
		}
	}
	if (nb == NULL) {
		if (block == NULL)
			vm->forced_id = 0;
		return nsize <= osize ? ptr : NULL; /* shrinking never fails */
	}
	if (block == NULL) {
		uint64_t id = 0;
		if (kind == LUA_TTABLE || kind == LUA_TFUNCTION ||
		    kind == LUA_TTHREAD || kind == LUA_TUSERDATA) {
			id = vm->forced_id ? vm->forced_id : ++vm->alloc_seq;
			vm->forced_id = 0;
		}
		memcpy(nb, &id, sizeof id);
	}
	vm->mem = vm->mem - osize + nsize;
	return nb + HDR;
}

/* Mirrors of Lua 5.4's userdata headers (lobject.h), used only to find the
 * block that holds a userdata's memory. */
typedef union { lua_Number n; double u; void *s; lua_Integer i; long l; }
	maxalign;
struct udata0_mirror {
	void *next; unsigned char tt, marked; unsigned short nuvalue;
	size_t len; void *metatable; maxalign bindata;
};
struct uvalue_mirror { union { struct { void *v; unsigned char tt; } tv;
	maxalign a; } u; };
struct udata_mirror {
	void *next; unsigned char tt, marked; unsigned short nuvalue;
	size_t len; void *metatable; void *gclist; struct uvalue_mirror uv[1];
};

static const char *block_of(lua_State *L, int idx)
{
	const char *p = lua_topointer(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TTABLE:
		return p;
	case LUA_TFUNCTION:
		/* A light C function has no block; a closure does. */
		if (lua_iscfunction(L, idx) && lua_getupvalue(L, idx, 1) == NULL)
			return NULL;
		if (lua_iscfunction(L, idx))
			lua_pop(L, 1);
		return p;
	case LUA_TTHREAD:
		return p - LUA_EXTRASPACE; /* the LX block starts with it */
	case LUA_TUSERDATA: {
		int nuv = 0;
		while (lua_getiuservalue(L, idx, nuv + 1) != LUA_TNONE) {
			lua_pop(L, 1);
			nuv++;
		}
		lua_pop(L, 1);
		size_t off = nuv == 0 ? offsetof(struct udata0_mirror, bindata)
		           : offsetof(struct udata_mirror, uv) +
		             sizeof(struct uvalue_mirror) * (size_t)nuv;
		return p - off;
	}
	default:
		return NULL;
	}
}

uint64_t rs_vm_identity(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	int t = lua_type(L, idx);
	if (t != LUA_TTABLE && t != LUA_TFUNCTION && t != LUA_TTHREAD &&
	    t != LUA_TUSERDATA)
		return 0;
	const char *b = block_of(L, idx);
	if (b != NULL) {
		uint64_t id;
		memcpy(&id, b - HDR, sizeof id);
		return id;
	}
	/* Light C functions: numbered on first sight, above block ids. */
	rs_vm *vm = rs_vm_of(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, vm->light_ref);
	lua_pushvalue(L, idx);
	lua_rawget(L, -2);
	uint64_t id = (uint64_t)lua_tointeger(L, -1);
	lua_pop(L, 1);
	if (id == 0) {
		id = (UINT64_C(1) << 62) + ++vm->light_seq;
		lua_pushvalue(L, idx);
		lua_pushinteger(L, (lua_Integer)id);
		lua_rawset(L, -3);
	}
	lua_pop(L, 1);
	return id;
}

/* ---- canonical order ---- */

typedef struct key_rec {
	int rank;           /* 0 number, 1 string, 2 boolean, 3 other */
	int isint;
	lua_Integer i;
	double n;
	const char *s;
	size_t len;
	uint64_t id;
	int slot;           /* index into the keys table */
} key_rec;

static void key_fill(lua_State *L, int idx, key_rec *r)
{
	memset(r, 0, sizeof *r);
	switch (lua_type(L, idx)) {
	case LUA_TNUMBER:
		r->rank = 0;
		r->isint = lua_isinteger(L, idx);
		if (r->isint)
			r->i = lua_tointeger(L, idx);
		r->n = lua_tonumber(L, idx);
		break;
	case LUA_TSTRING:
		r->rank = 1;
		r->s = lua_tolstring(L, idx, &r->len);
		break;
	case LUA_TBOOLEAN:
		r->rank = 2;
		r->i = lua_toboolean(L, idx);
		break;
	default:
		r->rank = 3;
		r->id = rs_vm_identity(L, idx);
		break;
	}
}

static int key_cmp(const void *pa, const void *pb)
{
	const key_rec *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	switch (a->rank) {
	case 0:
		if (a->isint && b->isint)
			return (a->i > b->i) - (a->i < b->i);
		if (a->n != b->n)
			return a->n < b->n ? -1 : 1;
		return a->isint - b->isint;
	case 1: {
		size_t m = a->len < b->len ? a->len : b->len;
		int c = memcmp(a->s, b->s, m);
		if (c != 0)
			return c;
		return (a->len > b->len) - (a->len < b->len);
	}
	case 2:
		return (int)(a->i - b->i);
	default:
		return (a->id > b->id) - (a->id < b->id);
	}
}

/*
 * Pushes a new array of t's keys in canonical order and returns its length.
 * The key records live in a userdata so that a memory error in the middle
 * leaks nothing.
 */
lua_Integer rs_vm_sorted_keys(lua_State *L, int t)
{
	t = lua_absindex(L, t);
	lua_newtable(L);
	int keys = lua_gettop(L);
	lua_Integer n = 0;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawseti(L, keys, ++n);
	}
	if (n < 2)
		return n;
	key_rec *recs = lua_newuserdatauv(L, sizeof *recs * (size_t)n, 0);
	for (lua_Integer i = 0; i < n; i++) {
		lua_rawgeti(L, keys, i + 1);
		key_fill(L, -1, &recs[i]);
		recs[i].slot = (int)(i + 1);
		lua_pop(L, 1); /* strings stay anchored by the keys table */
	}
	qsort(recs, (size_t)n, sizeof *recs, key_cmp);
	lua_createtable(L, (int)n, 0);
	for (lua_Integer i = 0; i < n; i++) {
		lua_rawgeti(L, keys, recs[i].slot);
		lua_rawseti(L, -2, i + 1);
	}
	lua_replace(L, keys);
	lua_pop(L, 1); /* recs */
	return n;
}

static int pairs_iter(lua_State *L)
{
	lua_Integer n = lua_tointeger(L, lua_upvalueindex(3));
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
	while (i < n) {
		i++;
		lua_rawgeti(L, lua_upvalueindex(1), i);
		lua_pushvalue(L, -1);
		if (lua_gettable(L, 1) != LUA_TNIL) {
			lua_pushinteger(L, i);
			lua_replace(L, lua_upvalueindex(2));
			return 2;
		}
		lua_pop(L, 2); /* removed while iterating: skip */
	}
	lua_pushinteger(L, i);
	lua_replace(L, lua_upvalueindex(2));
	lua_pushnil(L);
	return 1;
}

/* pairs(t): a snapshot of t's keys in canonical order.  Keys added during
 * the loop are not visited; keys removed are skipped. */
static int canon_pairs(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = rs_vm_sorted_keys(L, 1);
	lua_pushinteger(L, 0);
	lua_pushinteger(L, n);
	lua_pushcclosure(L, pairs_iter, 3);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

/* next(t, k): the key after k in canonical order; O(n) per call. */
static int canon_next(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 2);
	int have_k = !lua_isnil(L, 2);
	key_rec kr, best, cur;
	if (have_k)
		key_fill(L, 2, &kr);
	int found = 0;
	lua_pushnil(L);                 /* slot 3: best key */
	lua_pushnil(L);                 /* slot 4: iteration key */
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		key_fill(L, -1, &cur);
		if ((!have_k || key_cmp(&cur, &kr) > 0) &&
		    (!found || key_cmp(&cur, &best) < 0)) {
			best = cur;
			found = 1;
			lua_pushvalue(L, -1);
			lua_replace(L, 3);
			key_fill(L, 3, &best); /* point at the anchored copy */
		}
	}
	if (!found) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushvalue(L, 3);
	lua_pushvalue(L, 3);
	lua_rawget(L, 1);
	return 2;
}

/* ---- tostring and print ---- */

static void push_address(lua_State *L, const char *kind, int idx)
{
	rs_vm *vm = rs_vm_of(L);
	uint64_t id = rs_vm_identity(L, idx);
	uint64_t a = rs_mix64(id ^ ((uint64_t)vm->peer << 40));
	char hex[17];
	snprintf(hex, sizeof hex, "%016llx", (unsigned long long)a);
	lua_pushfstring(L, "%s: 0x%s", kind, hex);
}

const char *rs_vm_tostring(lua_State *L, int idx, size_t *len)
{
	idx = lua_absindex(L, idx);
	if (luaL_callmeta(L, idx, "__tostring")) {
		if (!lua_isstring(L, -1))
			luaL_error(L, "'__tostring' must return a string");
		return lua_tolstring(L, -1, len);
	}
	char buf[RS_NUMBUF];
	switch (lua_type(L, idx)) {
	case LUA_TNUMBER: /* an integer as the double Luau would hold */
		lua_pushlstring(L, buf, (size_t)rs_luau_fmtnum(
			lua_tonumber(L, idx), buf));
		break;
	case LUA_TSTRING:
		lua_pushvalue(L, idx);
		break;
	case LUA_TBOOLEAN:
		lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
		break;
	case LUA_TNIL:
		lua_pushliteral(L, "nil");
		break;
	default: {
		const char *kind = luaL_typename(L, idx);
		if (luaL_getmetafield(L, idx, "__type") == LUA_TSTRING) {
			kind = lua_tostring(L, -1);
			lua_pop(L, 1);
			kind = lua_pushstring(L, kind);
			push_address(L, kind, idx);
			lua_remove(L, -2);
		} else {
			push_address(L, kind, idx);
		}
		break;
	}
	}
	return lua_tolstring(L, -1, len);
}

static int b_tostring(lua_State *L)
{
	luaL_checkany(L, 1);
	rs_vm_tostring(L, 1, NULL);
	return 1;
}

static void quote_string(luaL_Buffer *b, const char *s, size_t n)
{
	luaL_addchar(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			luaL_addchar(b, '\\');
			luaL_addchar(b, (char)c);
		} else if (c == '\n') {
			luaL_addstring(b, "\\n");
		} else if (c < 32 || c == 127) {
			char e[8];
			snprintf(e, sizeof e, "\\%d", c);
			luaL_addstring(b, e);
		} else {
			luaL_addchar(b, (char)c);
		}
	}
	luaL_addchar(b, '"');
}

/*
 * Appends a table the way Roblox's output shows it, on one line:
 * {[1] = "Sword", ["Name"] = "MyTruck"}.  Keys in canonical order; a table
 * met again on the current path prints as a cycle marker.
 * Stack: the buffer may hold a box; `seen` is a table at index `seen`.
 */
static void add_value(lua_State *L, luaL_Buffer *b, int idx, int seen,
                      int depth);

static void add_table(lua_State *L, luaL_Buffer *b, int t, int seen,
                      int depth)
{
	lua_pushvalue(L, t);
	if (lua_rawget(L, seen) != LUA_TNIL || depth > 32) {
		lua_pop(L, 1);
		luaL_addstring(b, "*** cycle table reference detected ***");
		return;
	}
	lua_pop(L, 1);
	lua_pushvalue(L, t);
	lua_pushboolean(L, 1);
	lua_rawset(L, seen);
	lua_Integer n = rs_vm_sorted_keys(L, t);
	int keys = lua_gettop(L);
	luaL_addchar(b, '{');
	for (lua_Integer i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addstring(b, ", ");
		luaL_addchar(b, '[');
		lua_rawgeti(L, keys, i);
		add_value(L, b, lua_gettop(L), seen, depth + 1);
		luaL_addstring(b, "] = ");
		lua_rawget(L, t);
		add_value(L, b, lua_gettop(L), seen, depth + 1);
		lua_pop(L, 1);
	}
	luaL_addchar(b, '}');
	lua_pop(L, 1); /* keys */
	lua_pushvalue(L, t);
	lua_pushnil(L);
	lua_rawset(L, seen);
}

static void add_value(lua_State *L, luaL_Buffer *b, int idx, int seen,
                      int depth)
{
	size_t len;
	if (lua_type(L, idx) == LUA_TSTRING && depth > 0) {
		const char *s = lua_tolstring(L, idx, &len);
		quote_string(b, s, len);
	} else if (lua_type(L, idx) == LUA_TTABLE &&
	           !luaL_getmetafield(L, idx, "__tostring")) {
		add_table(L, b, idx, seen, depth);
	} else {
		if (lua_type(L, idx) == LUA_TTABLE)
			lua_pop(L, 1); /* the __tostring field */
		rs_vm_tostring(L, idx, &len);
		luaL_addvalue(b);
	}
}

/* Builds print's line: arguments through add_value, joined by spaces. */
static void format_args(lua_State *L, int first, int last)
{
	lua_newtable(L);
	int seen = lua_gettop(L);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = first; i <= last; i++) {
		if (i > first)
			luaL_addchar(&b, ' ');
		add_value(L, &b, i, seen, 0);
	}
	luaL_pushresult(&b);
	lua_remove(L, seen);
}

static int b_print(lua_State *L)
{
	format_args(L, 1, lua_gettop(L));
	size_t len;
	const char *s = lua_tolstring(L, -1, &len);
	rs_vm_output(rs_vm_of(L), RS_OUT_PRINT, s, len);
	return 0;
}

static int b_warn(lua_State *L)
{
	format_args(L, 1, lua_gettop(L));
	size_t len;
	const char *s = lua_tolstring(L, -1, &len);
	rs_vm_output(rs_vm_of(L), RS_OUT_WARN, s, len);
	return 0;
}

/* ---- virtual time and seeded randomness ---- */

static double now_sec(lua_State *L)
{
	return rs_time_to_sec(rs_vm_of(L)->sim->now);
}

static int os_time(lua_State *L)
{
	if (!lua_isnoneornil(L, 1))
		return luaL_error(L, "os.time with a date table is not supported");
	lua_pushinteger(L, EPOCH + (lua_Integer)floor(now_sec(L)));
	return 1;
}

static int os_clock(lua_State *L)
{
	lua_pushnumber(L, now_sec(L));
	return 1;
}

static int b_tick(lua_State *L)
{
	lua_pushnumber(L, EPOCH + now_sec(L));
	return 1;
}

static int os_difftime(lua_State *L)
{
	lua_pushnumber(L, luaL_checknumber(L, 1) - luaL_optnumber(L, 2, 0));
	return 1;
}

/* os.date in UTC only, defaulting to the virtual time. */
static int os_date(lua_State *L)
{
	const char *fmt = luaL_optstring(L, 1, "%c");
	time_t t = (time_t)luaL_optinteger(L, 2,
		EPOCH + (lua_Integer)floor(now_sec(L)));
	if (*fmt == '!')
		fmt++;
	struct tm tmv;
	if (gmtime_r(&t, &tmv) == NULL)
		return luaL_error(L, "time out of range");
	if (strcmp(fmt, "*t") == 0) {
		lua_createtable(L, 0, 9);
		const struct { const char *k; int v; } f[] = {
			{ "year", tmv.tm_year + 1900 }, { "month", tmv.tm_mon + 1 },
			{ "day", tmv.tm_mday }, { "hour", tmv.tm_hour },
			{ "min", tmv.tm_min }, { "sec", tmv.tm_sec },
			{ "wday", tmv.tm_wday + 1 }, { "yday", tmv.tm_yday + 1 },
		};
		for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
			lua_pushinteger(L, f[i].v);
			lua_setfield(L, -2, f[i].k);
		}
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "isdst");
		return 1;
	}
	char buf[256];
	size_t n = strftime(buf, sizeof buf, fmt, &tmv);
	lua_pushlstring(L, buf, n);
	return 1;
}

static int math_randomseed(lua_State *L)
{
	/* The original, with a seed always given: no clock is ever read. */
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushinteger(L, luaL_optinteger(L, 1, 0));
	lua_call(L, 1, 0);
	return 0;
}

/* A double as Luau's string.format turns it into an integer for %d, %x,
 * ...: truncated (what x86 gives where C leaves it undefined). */
static lua_Integer luau_trunc(double v)
{
	if (!(v > -9223372036854775808.0 && v < 9223372036854775808.0))
		return LUA_MININTEGER;
	return (lua_Integer)v;
}

/* string.format without %p (an address), with %d, %x, ... truncating a
 * number that is not whole as Luau does, and with %s going through
 * Luau's tostring so that numbers and objects print deterministically. */
static int str_format(lua_State *L)
{
	const char *f = luaL_checkstring(L, 1);
	int arg = 1;
	for (const char *p = f; (p = strchr(p, '%')) != NULL;) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		arg++;
		while (*p && strchr("-+ #0123456789.", *p))
			p++;
		if (*p == 'p')
			return luaL_error(L, "invalid conversion '%%p' to 'format'");
		if (*p == 's' && arg <= lua_gettop(L) &&
		    lua_type(L, arg) != LUA_TSTRING) {
			rs_vm_tostring(L, arg, NULL);
			lua_replace(L, arg);
		}
		if (*p && strchr("dicoxX", *p) && arg <= lua_gettop(L) &&
		    lua_type(L, arg) == LUA_TNUMBER && !lua_isinteger(L, arg)) {
			lua_pushinteger(L, luau_trunc(lua_tonumber(L, arg)));
			lua_replace(L, arg);
		}
		if (*p)
			p++;
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static int b_load(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	const char *name = luaL_optstring(L, 2, "=(load)");
	rs_vm *vm = rs_vm_of(L);
	if (!rs_vm_compile(vm, L, name, s, len)) {
		rs_vm_fullnames(L, -1);
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	if (!lua_isnoneornil(L, 4)) {
		lua_pushvalue(L, 4);
		if (!lua_setupvalue(L, -2, 1))
			lua_pop(L, 1);
	}
	return 1;
}

static int b_gcinfo(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)(rs_vm_of(L)->mem / 1024));
	return 1;
}

static int b_collectgarbage(lua_State *L)
{
	const char *opt = luaL_optstring(L, 1, "count");
	if (strcmp(opt, "count") != 0)
		return luaL_error(L, "collectgarbage must be called with 'count'; "
		                  "got '%s'", opt);
	lua_pushnumber(L, (double)rs_vm_of(L)->mem / 1024.0);
	return 1;
}

/* ---- long script names ---- */

/* The full name of chunk k, or NULL. */
static const char *long_name(const rs_vm *vm, const char *s, size_t n,
                             size_t *used)
{
	/* s[0] is NAME_MARK: digits, then NAME_MARK */
	size_t i = 1;
	uint32_t k = 0;
	while (i < n && i < 11 && s[i] >= '0' && s[i] <= '9')
		k = k * 10 + (uint32_t)(s[i++] - '0');
	if (i == 1 || i >= n || s[i] != NAME_MARK || k >= vm->n_long)
		return NULL;
	*used = i + 1;
	return vm->long_names[k];
}

/* Pushes s[0..n) with every chunk marker replaced by its full name;
 * returns 0 (pushing nothing) when there is none. */
static int push_expanded(lua_State *L, const char *s, size_t n)
{
	const rs_vm *vm = rs_vm_of(L);
	const char *m = vm->n_long ? memchr(s, NAME_MARK, n) : NULL;
	if (m == NULL)
		return 0;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	while (m != NULL) {
		size_t used;
		const char *name = long_name(vm, m, n - (size_t)(m - s), &used);
		if (name == NULL)
			used = 1;
		luaL_addlstring(&b, s, (size_t)(m - s) + (name ? 0 : 1));
		if (name)
			luaL_addstring(&b, name);
		n -= (size_t)(m - s) + used;
		s = m + used;
		m = memchr(s, NAME_MARK, n);
	}
	luaL_addlstring(&b, s, n);
	luaL_pushresult(&b);
	return 1;
}

int rs_vm_fullnames(lua_State *L, int idx)
{
	if (lua_type(L, idx) != LUA_TSTRING)
		return 0;
	idx = lua_absindex(L, idx);
	size_t n;
	const char *s = lua_tolstring(L, idx, &n);
	if (!push_expanded(L, s, n))
		return 0;
	lua_replace(L, idx);
	return 1;
}

const char *rs_vm_source_name(rs_vm *vm, const lua_Debug *ar)
{
	size_t used;
	if (ar->source != NULL && ar->source[0] == '=' &&
	    ar->source[1] == NAME_MARK) {
		const char *name = long_name(vm, ar->source + 1,
		                             strlen(ar->source + 1), &used);
		if (name != NULL)
			return name;
	}
	return ar->short_src;
}

int rs_vm_internal_frame(const lua_Debug *ar)
{
	return ar->source != NULL && strcmp(ar->source, "=runner") == 0;
}

/* The chunk name Lua is given for a script named `name`: "=name" when
 * Lua keeps it whole, else a marker for a name this VM remembers. */
static void push_chunkname(rs_vm *vm, lua_State *L, const char *name)
{
	size_t n = strlen(name);
	if (n < LUA_IDSIZE && memchr(name, NAME_MARK, n) == NULL) {
		lua_pushfstring(L, "=%s", name);
		return;
	}
	uint32_t k = 0;
	while (k < vm->n_long && strcmp(vm->long_names[k], name) != 0)
		k++;
	if (k == vm->n_long) {
		if (vm->n_long == vm->cap_long) {
			uint32_t cap = vm->cap_long ? vm->cap_long * 2 : 8;
			char **p = realloc(vm->long_names, cap * sizeof *p);
			if (p == NULL)
				abort(); /* a few words; nothing sane is left */
			vm->long_names = p;
			vm->cap_long = cap;
		}
		char *copy = strdup(name);
		if (copy == NULL)
			abort();
		vm->long_names[vm->n_long++] = copy;
	}
	lua_pushfstring(L, "=%c%d%c", NAME_MARK, (int)k, NAME_MARK);
}

/* debug.traceback(msg, level) and debug.info(level|f, "slnaf") in the
 * safe form Roblox gives: names and lines, no access to locals.  The
 * traceback is Luau's: one line per Lua frame, "Script:4 function f",
 * C frames and the scheduler's own left out. */
static int dbg_traceback(lua_State *L)
{
	lua_State *L1 = L;
	int arg = 1;
	if (lua_isthread(L, 1)) {
		L1 = lua_tothread(L, 1);
		arg = 2;
	}
	const char *msg = lua_tostring(L, arg);
	if (msg == NULL && !lua_isnoneornil(L, arg)) {
		lua_pushvalue(L, arg);
		return 1;
	}
	int level = (int)luaL_optinteger(L, arg + 1, L == L1 ? 1 : 0);
	luaL_argcheck(L, level >= 0, arg + 1, "level can't be negative");
	rs_vm *vm = rs_vm_of(L);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	if (msg != NULL) {
		size_t n;
		msg = lua_tolstring(L, arg, &n);
		if (push_expanded(L, msg, n))
			luaL_addvalue(&b);
		else
			luaL_addlstring(&b, msg, n);
		luaL_addchar(&b, '\n');
	}
	lua_Debug ar;
	for (int i = level; lua_getstack(L1, i, &ar); i++) {
		lua_getinfo(L1, "Sln", &ar);
		if (strcmp(ar.what, "C") == 0 || rs_vm_internal_frame(&ar))
			continue;
		luaL_addstring(&b, rs_vm_source_name(vm, &ar));
		if (ar.currentline > 0) {
			char line[24];
			snprintf(line, sizeof line, ":%d", ar.currentline);
			luaL_addstring(&b, line);
		}
		/* Lua names a function after its caller's call; a call from
		 * the scheduler's loop says nothing of the script's name */
		lua_Debug up;
		int from_loop = lua_getstack(L1, i + 1, &up) &&
		                lua_getinfo(L1, "S", &up) &&
		                rs_vm_internal_frame(&up);
		if (ar.name != NULL && strcmp(ar.what, "main") != 0 &&
		    !from_loop) {
			luaL_addstring(&b, " function ");
			luaL_addstring(&b, ar.name);
		}
		luaL_addchar(&b, '\n');
	}
	luaL_pushresult(&b);
	return 1;
}

static int dbg_info(lua_State *L)
{
	lua_Debug ar;
	int arg = 1;
	lua_State *L1 = L;
	if (lua_isthread(L, 1)) {
		L1 = lua_tothread(L, 1);
		arg = 2;
	}
	const char *what = luaL_checkstring(L, arg + 1);
	if (lua_isfunction(L, arg)) {
		lua_pushvalue(L, arg);
		lua_xmove(L, L1, 1);
		if (!lua_getinfo(L1, ">Sln", &ar))
			return 0;
	} else {
		int level = (int)luaL_checkinteger(L, arg);
		if (level < 0)
			return luaL_argerror(L, arg, "level can't be negative");
		if (!lua_getstack(L1, L == L1 ? level : level - 1, &ar))
			return 0;
		lua_getinfo(L1, "Slnf", &ar);
		lua_pop(L1, 1);
		if (rs_vm_internal_frame(&ar))
			return 0; /* below the script's first frame */
	}
	rs_vm *vm = rs_vm_of(L);
	int n = 0;
	for (const char *c = what; *c; c++, n++) {
		switch (*c) {
		case 's': lua_pushstring(L, rs_vm_source_name(vm, &ar)); break;
		case 'l': lua_pushinteger(L, ar.currentline); break;
		case 'n': lua_pushstring(L, ar.name ? ar.name : ""); break;
		case 'a':
			lua_pushinteger(L, ar.nparams);
			lua_pushboolean(L, ar.isvararg);
			n++;
			break;
		case 'f': lua_pushnil(L); break;
		default:
			return luaL_argerror(L, arg + 1, "invalid option");
		}
	}
	return n;
}

/* pcall and xpcall as Lua's (yields cross them), giving the script an
 * error message with full script names. */
static int pcall_finish(lua_State *L, int status, lua_KContext extra)
{
	if (status != LUA_OK && status != LUA_YIELD) {
		lua_pushboolean(L, 0);
		lua_pushvalue(L, -2);
		rs_vm_fullnames(L, -1);
		return 2;
	}
	return lua_gettop(L) - (int)extra;
}

static int b_pcall(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_pushboolean(L, 1);
	lua_insert(L, 1);
	int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0,
	                        pcall_finish);
	return pcall_finish(L, status, 0);
}

/* xpcall's handler: the script's, given the message with full names. */
static int xpcall_handler(lua_State *L)
{
	rs_vm_fullnames(L, 1);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static int b_xpcall(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, xpcall_handler, 1);
	lua_replace(L, 2);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2);
	int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, pcall_finish);
	return pcall_finish(L, status, 2);
}

static int b_noop(lua_State *L)
{
	(void)L;
	return 0;
}

/* ---- timeout hook ---- */

static void count_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	rs_vm *vm = rs_vm_of(L);
	if (!vm->timed_out) {
		vm->instr_left -= HOOK_STEP;
		if (vm->instr_left > 0)
			return;
		vm->timed_out = 1;
	}
	/* From now on fail at every instruction, so a pcall in a loop cannot
	 * swallow the timeout and keep the loop alive. */
	lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
	lua_Debug where;
	if (lua_getstack(L, 0, &where) && lua_getinfo(L, "Sl", &where) &&
	    where.currentline > 0)
		lua_pushfstring(L, "%s:%d: %s", where.short_src,
		                where.currentline, TIMEOUT_MSG);
	else
		lua_pushstring(L, TIMEOUT_MSG);
	lua_error(L);
}

void rs_vm_enter(rs_vm *vm, lua_State *T)
{
	if (vm->resume_depth++ == 0) {
		vm->instr_left = (int64_t)vm->cfg.instr_limit;
		vm->timed_out = 0;
		vm->limit_on = 1;
		vm->mem_hit = 0;
	}
	lua_sethook(T, count_hook, LUA_MASKCOUNT, HOOK_STEP);
}

/* What rs_vm_leave then rs_vm_enter would do around the outermost
 * resumption: only called at depth 1, so the limit stays on. */
void rs_vm_rearm(rs_vm *vm, lua_State *T)
{
	vm->instr_left = (int64_t)vm->cfg.instr_limit;
	vm->timed_out = 0;
	vm->mem_hit = 0;
	lua_sethook(T, count_hook, LUA_MASKCOUNT, HOOK_STEP);
}

void rs_vm_leave(rs_vm *vm)
{
	if (--vm->resume_depth == 0)
		vm->limit_on = 0;
}

/* ---- state ---- */

static void set_funcs(lua_State *L, const luaL_Reg *r)
{
	for (; r->name; r++) {
		lua_pushcfunction(L, r->func);
		lua_setfield(L, -2, r->name);
	}
}

static void remove_fields(lua_State *L, const char *const *names)
{
	for (; *names; names++) {
		lua_pushnil(L);
		lua_setfield(L, -2, *names);
	}
}

/* Wraps the field `name` of the table on top in a closure of f that has the
 * original as its upvalue. */
static void wrap_field(lua_State *L, const char *name, lua_CFunction f)
{
	lua_getfield(L, -1, name);
	lua_pushcclosure(L, f, 1);
	lua_setfield(L, -2, name);
}

static void open_sandbox(rs_vm *vm)
{
	lua_State *L = vm->L;
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base },
		{ LUA_COLIBNAME, luaopen_coroutine },
		{ LUA_TABLIBNAME, luaopen_table },
		{ LUA_STRLIBNAME, luaopen_string },
		{ LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 },
		{ NULL, NULL }
	};
	for (const luaL_Reg *lib = libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	lua_pushglobaltable(L);
	static const char *const unsafe[] = {
		"dofile", "loadfile", "require", "collectgarbage", NULL
	};
	remove_fields(L, unsafe);
	static const luaL_Reg base[] = {
		{ "pairs", canon_pairs }, { "next", canon_next },
		{ "tostring", b_tostring }, { "print", b_print },
		{ "warn", b_warn }, { "tick", b_tick }, { "load", b_load },
		{ "gcinfo", b_gcinfo }, { "collectgarbage", b_collectgarbage },
		{ "elapsedTime", os_clock }, { "time", os_clock },
		{ "pcall", b_pcall }, { "xpcall", b_xpcall },
		{ NULL, NULL }
	};
	set_funcs(L, base);
	lua_getfield(L, -1, "table");
	lua_getfield(L, -1, "unpack");
	lua_setfield(L, -3, "unpack");
	lua_pop(L, 1);
	lua_pushliteral(L, "Luau");
	lua_setfield(L, -2, "_VERSION");

	lua_getfield(L, -1, "string");
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	wrap_field(L, "format", str_format);
	rs_luapat_open(L); /* find/match/gmatch/gsub with a step budget */
	lua_pop(L, 1);

	lua_getfield(L, -1, "math");
	wrap_field(L, "randomseed", math_randomseed);
	lua_getfield(L, -1, "randomseed");
	lua_pushinteger(L, (lua_Integer)rs_mix64(vm->sim->seed * 1000003u +
	                                         (uint64_t)vm->peer));
	lua_call(L, 1, 0);
	lua_pop(L, 1);

	lua_newtable(L);
	static const luaL_Reg os[] = {
		{ "time", os_time }, { "clock", os_clock }, { "date", os_date },
		{ "difftime", os_difftime }, { NULL, NULL }
	};
	set_funcs(L, os);
	lua_setfield(L, -2, "os");

	lua_newtable(L);
	static const luaL_Reg dbg[] = {
		{ "traceback", dbg_traceback }, { "info", dbg_info },
		{ "profilebegin", b_noop }, { "profileend", b_noop },
		{ "setmemorycategory", b_noop },
		{ "resetmemorycategory", b_noop }, { NULL, NULL }
	};
	set_funcs(L, dbg);
	lua_setfield(L, -2, "debug");
	lua_pop(L, 1); /* globals */
	rs_luaulib_open(L);
}

rs_vm *rs_vm_new(rs_sim *sim, int peer, const char *name,
                 const rs_vm_config *cfg)
{
	rs_vm *vm = rs_calloc_line(sizeof *vm);
	if (vm == NULL)
		return NULL;
	vm->sim = sim;
	vm->peer = peer;
	vm->name = strdup(name);
	if (cfg)
		vm->cfg = *cfg;
	vm->signal_mode = vm->cfg.signal_mode;
	if (vm->cfg.mem_limit == 0)
		vm->cfg.mem_limit = DEFAULT_MEM;
	if (vm->cfg.instr_limit == 0)
		vm->cfg.instr_limit = DEFAULT_INSTR;
	if (vm->cfg.frame_hz <= 0)
		vm->cfg.frame_hz = 60;
	vm->L = lua_newstate(vm_alloc, vm);
	if (vm->L == NULL || vm->name == NULL) {
		if (vm->L)
			lua_close(vm->L);
		free(vm->name);
		free(vm);
		return NULL;
	}
	vm->magic = RS_VM_MAGIC;
	*(rs_vm **)lua_getextraspace(vm->L) = vm;
	lua_newtable(vm->L);
	vm->light_ref = luaL_ref(vm->L, LUA_REGISTRYINDEX);
	open_sandbox(vm);
	rs_sched_open(vm);
	return vm;
}

void rs_vm_free(rs_vm *vm)
{
	if (vm == NULL)
		return;
	rs_sched_close(vm);
	lua_close(vm->L);
	for (uint32_t k = 0; k < vm->n_long; k++)
		free(vm->long_names[k]);
	free(vm->long_names);
	free(vm->name);
	free(vm);
}

_Static_assert(offsetof(struct rs_vm, signal_mode) < 64,
               "what an arrival touches stays in the first cache line");

lua_State *rs_vm_state(const rs_vm *vm) { return vm->L; }
rs_signal_mode rs_vm_signal_mode(const rs_vm *vm) { return vm->signal_mode; }
rs_sim *rs_vm_sim(const rs_vm *vm) { return vm->sim; }
int rs_vm_peer(const rs_vm *vm) { return vm->peer; }
const char *rs_vm_name(const rs_vm *vm) { return vm->name; }
const rs_vm_config *rs_vm_config_of(const rs_vm *vm) { return &vm->cfg; }
void rs_vm_set_user(rs_vm *vm, void *ud) { vm->user = ud; }
void *rs_vm_user(const rs_vm *vm) { return vm->user; }
size_t rs_vm_mem_used(const rs_vm *vm) { return vm->mem; }
uint64_t rs_vm_reserve_identity(rs_vm *vm) { return ++vm->alloc_seq; }
void rs_vm_use_identity(rs_vm *vm, uint64_t id) { vm->forced_id = id; }

rs_vm *rs_vm_of(lua_State *L)
{
	/* Every thread's extra space holds either the vm (copied from the main
	 * thread when the thread was made) or the thread's rs_thread; both
	 * records start with a magic word that tells them apart. */
	void *p = *(void **)lua_getextraspace(L);
	if (*(uint32_t *)p == RS_VM_MAGIC)
		return p;
	return ((rs_thread *)p)->vm;
}

void rs_vm_output(rs_vm *vm, rs_entry_kind kind, const char *text, size_t len)
{
	if (vm->n_long > 0 && memchr(text, NAME_MARK, len) != NULL) {
		lua_State *L = vm->L;
		int limit = vm->limit_on;
		vm->limit_on = 0; /* the transcript's copy is not the script's */
		if (lua_checkstack(L, LUA_MINSTACK) &&
		    push_expanded(L, text, len)) {
			text = lua_tolstring(L, -1, &len);
			rs_trace_add(&vm->sim->trace, vm->sim->now, vm->peer, kind,
			             text, len);
			lua_pop(L, 1);
			vm->limit_on = limit;
			return;
		}
		vm->limit_on = limit;
	}
	rs_trace_add(&vm->sim->trace, vm->sim->now, vm->peer, kind, text, len);
}

int rs_vm_fmtnum(lua_Number x, char *buf)
{
	return rs_luau_fmtnum(x, buf);
}

int rs_vm_compile(rs_vm *vm, lua_State *L, const char *chunkname,
                  const char *src, size_t len)
{
	rs_luau_error err;
	size_t outlen;
	char *lua = rs_luau_translate(src, len, &outlen, &err);
	if (lua == NULL) {
		lua_pushfstring(L, "%s:%d: %s", chunkname, err.line, err.msg);
		return 0;
	}
	/* "=name" makes Lua print the name as is: "Script:3: msg"; a name
	 * Lua would cut gets a marker that every way out turns back. */
	push_chunkname(vm, L, chunkname);
	int rc = luaL_loadbufferx(L, lua, outlen, lua_tostring(L, -1), "t");
	free(lua);
	lua_remove(L, -2); /* the chunk name */
	return rc == LUA_OK;
}

int rs_vm_start_script(rs_vm *vm, const char *chunkname, const char *src,
                       size_t len)
{
	lua_State *L = vm->L;
	if (!rs_vm_compile(vm, L, chunkname, src, len)) {
		size_t n;
		const char *msg = lua_tolstring(L, -1, &n);
		rs_vm_output(vm, RS_OUT_ERROR, msg, n);
		lua_pop(L, 1);
		return 0;
	}
	rs_vm_start(vm, L, 0, 1);
	return 1;
}

void rs_vm_report_error(rs_vm *vm, lua_State *T)
{
	size_t n;
	const char *msg = lua_type(T, -1) == LUA_TSTRING
	                ? lua_tolstring(T, -1, &n) : rs_vm_tostring(T, -1, &n);
	rs_vm_output(vm, RS_OUT_ERROR, msg, n);
}
