/*
 * luaulib.c -- the Luau library additions that Lua 5.4 lacks.
 *
 * rs_luaulib_open() adds, to an already opened Lua 5.4 state:
 *   - the helpers translated code calls: __rsim_iter (generalized `for`),
 *     __rsim_cat (`..` with Luau number formatting), __rsim_interp
 *     (backtick strings);
 *   - table.find/clear/create/freeze/isfrozen/clone, string.split,
 *     math.clamp/sign/round/noise and the Luau math extras, bit32, buffer.
 *
 * Freezing, within what Lua 5.4 allows: a frozen table gets a metatable
 * whose __newindex raises "attempt to modify a readonly table", so new
 * keys error; rawset, setmetatable, table.insert/remove/sort/move/clear
 * and table.freeze's own callers check the frozen set first.  What cannot
 * be prevented without a proxy (which would change identity, `#`, next
 * and rawget) is a plain assignment to a key that already holds a value:
 * `t.x = 2` on a frozen t with t.x ~= nil succeeds.  getmetatable on a
 * frozen table with no metatable of its own shows the freeze metatable.
 *
 * It never touches typeof, tostring, print, os or pairs/next: the VM owns
 * them.  It captures the VM's `pairs` and `tostring` at open time.
 */
#include "rsim/luau.h"
#include "rsim/core.h"

#include <lua.h>
#include <lauxlib.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- number formatting ---- */

/* Luau's tostring of a number (lnumprint.cpp): the shortest digits that
 * read back to x, in fixed notation when the decimal point falls within
 * -5..21 digits of them, else d.ddde+XX; nan whatever its sign, -0. */
int rs_luau_fmtnum(double x, char *buf)
{
	if (!isfinite(x) || x == 0) /* nan, inf, -inf, 0, -0: as core's */
		return rs_fmtnum(x, buf);
	char e[40];
	/* the 15-digit rounding reads back whenever a shorter form does
	 * (DBL_DIG), so it is the shortest; else 16, else 17 */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(e, sizeof e, "%.*e", prec - 1, x);
		if (prec == 17 || strtod(e, NULL) == x)
			break;
	}
	const char *p = e;          /* [-]d.ddde[+-]XX */
	char *out = buf;
	if (*p == '-')
		*out++ = *p++;
	char digits[20];
	int nd = 0;
	for (; *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	int dot = atoi(p + 1) + 1;  /* digits before the decimal point */
	if (dot >= -5 && dot <= 21) {
		if (dot <= 0) {
			*out++ = '0';
			*out++ = '.';
			for (int i = 0; i < -dot; i++)
				*out++ = '0';
			memcpy(out, digits, (size_t)nd);
			out += nd;
		} else if (dot >= nd) {
			memcpy(out, digits, (size_t)nd);
			out += nd;
			for (int i = nd; i < dot; i++)
				*out++ = '0';
		} else {
			memcpy(out, digits, (size_t)dot);
			out += dot;
			*out++ = '.';
			memcpy(out, digits + dot, (size_t)(nd - dot));
			out += nd - dot;
		}
		*out = '\0';
		return (int)(out - buf);
	}
	*out++ = digits[0];
	if (nd > 1) {
		*out++ = '.';
		memcpy(out, digits + 1, (size_t)(nd - 1));
		out += nd - 1;
	}
	int ex = dot - 1;
	return (int)(out - buf) + snprintf(out, 8, "e%c%02d",
	                                   ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
}

/* Pushes the Luau text of the number at idx: an integer as the double
 * Luau would hold. */
static void pushnum(lua_State *L, int idx)
{
	char buf[RS_LUAU_NUMBUF];
	int n = rs_luau_fmtnum(lua_tonumber(L, idx), buf);
	lua_pushlstring(L, buf, (size_t)n);
}

/* ---- helpers for translated code ---- */

/* __rsim_iter(x, ...): what Luau's FORGPREP does with the value of a
 * single-expression `for ... in`.  Upvalue 1 is the VM's pairs. */
static int l_iter(lua_State *L)
{
	int t = lua_type(L, 1);
	if (t == LUA_TFUNCTION)
		return lua_gettop(L);
	if (t == LUA_TTABLE || t == LUA_TUSERDATA) {
		if (luaL_getmetafield(L, 1, "__iter") != LUA_TNIL) {
			int base = lua_gettop(L) - 1;
			lua_pushvalue(L, 1);
			lua_call(L, 1, LUA_MULTRET);
			return lua_gettop(L) - base;
		}
		if (luaL_getmetafield(L, 1, "__call") != LUA_TNIL) {
			lua_pop(L, 1);
			return lua_gettop(L);
		}
	}
	if (t == LUA_TTABLE) {
		lua_settop(L, 1);
		lua_pushvalue(L, lua_upvalueindex(1));
		if (lua_isnil(L, -1)) {         /* no pairs at open: next, t, nil */
			lua_pop(L, 1);
			lua_getglobal(L, "next");
			lua_pushvalue(L, 1);
			lua_pushnil(L);
			return 3;
		}
		lua_pushvalue(L, 1);
		lua_call(L, 1, 3);
		return 3;
	}
	return luaL_error(L, "attempt to iterate over a %s value", luaL_typename(L, 1));
}

/* Whether the number at i is an integer Lua writes as Luau would: one a
 * double holds exactly (|i| <= 2^53), the only kind a script can make
 * without multiplying integers past that. */
static int exact_int(lua_State *L, int i)
{
	if (!lua_isinteger(L, i))
		return 0;
	lua_Integer v = lua_tointeger(L, i);
	return v >= -(INT64_C(1) << 53) && v <= (INT64_C(1) << 53);
}

static int concatable(lua_State *L, int i)
{
	int t = lua_type(L, i);
	return t == LUA_TSTRING || t == LUA_TNUMBER;
}

/* __rsim_cat(a, b) is `a .. b` with floats formatted as Luau does.  A
 * __concat metamethod (the first operand's, else the second's) is called
 * here with the operands unchanged rather than through lua_concat: Lua
 * 5.4.4's lua_concat loses the result when the metamethod grows the
 * stack. */
static int l_cat(lua_State *L)
{
	lua_settop(L, 2);
	if (concatable(L, 1) && concatable(L, 2)) {
		for (int i = 1; i <= 2; i++)
			if (lua_type(L, i) == LUA_TNUMBER && !exact_int(L, i)) {
				pushnum(L, i);
				lua_replace(L, i);
			}
		lua_concat(L, 2);
		return 1;
	}
	if (luaL_getmetafield(L, 1, "__concat") == LUA_TNIL &&
	    luaL_getmetafield(L, 2, "__concat") == LUA_TNIL) {
		int bad = concatable(L, 1) ? 2 : 1;
		return luaL_error(L, "attempt to concatenate a %s value", luaL_typename(L, bad));
	}
	lua_insert(L, 1);
	lua_call(L, 2, 1);
	return 1;
}

/* __rsim_idiv(a, b) is `a // b` as Luau computes it: floor(a / b) in
 * doubles, so 1 // 0 is inf where Lua 5.4 raises for two integers.
 * Other operands go through Lua's own `//` (metamethods, strings). */
static int l_idiv(lua_State *L)
{
	lua_settop(L, 2);
	if (lua_type(L, 1) == LUA_TNUMBER && lua_type(L, 2) == LUA_TNUMBER) {
		lua_pushnumber(L, floor(lua_tonumber(L, 1) / lua_tonumber(L, 2)));
		return 1;
	}
	lua_arith(L, LUA_OPIDIV);
	return 1;
}

/* Luau's tostring of the value at idx, left on the stack.  Upvalue 1 of
 * the calling closure is the VM's tostring captured at open time. */
static void tostr(lua_State *L, int idx)
{
	if (lua_type(L, idx) == LUA_TNUMBER) {
		pushnum(L, idx);
	} else if (!lua_isnil(L, lua_upvalueindex(1))) {
		lua_pushvalue(L, lua_upvalueindex(1));
		lua_pushvalue(L, idx);
		lua_call(L, 1, 1);
		if (!lua_isstring(L, -1))
			luaL_error(L, "'tostring' must return a string");
	} else {
		luaL_tolstring(L, idx, NULL);
	}
}

/* __rsim_interp(...): literal segments and values of a backtick string,
 * joined; values go through tostring as Luau's string.format("%*"). */
static int l_interp(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = 1; i <= n; i++) {
		if (lua_type(L, i) == LUA_TSTRING)
			lua_pushvalue(L, i);
		else
			tostr(L, i);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	return 1;
}

/* ---- table ---- */

#define FROZEN "rsim.frozen"   /* registry: weak-keyed set t -> own mt or true */
#define FREEZEMT "rsim.freezemt"

static int isfrozen(lua_State *L, int idx)
{
	int r;
	idx = lua_absindex(L, idx);
	lua_getfield(L, LUA_REGISTRYINDEX, FROZEN);
	lua_pushvalue(L, idx);
	r = lua_rawget(L, -2) != LUA_TNIL;
	lua_pop(L, 2);
	return r;
}

static void checkwritable(lua_State *L, int idx)
{
	if (lua_type(L, idx) == LUA_TTABLE && isfrozen(L, idx))
		luaL_error(L, "attempt to modify a readonly table");
}

static int readonly_newindex(lua_State *L)
{
	return luaL_error(L, "attempt to modify a readonly table");
}

static int t_find(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer init = luaL_optinteger(L, 3, 1);
	luaL_argcheck(L, init >= 1, 3, "index out of range");
	for (lua_Integer i = init;; i++) {
		if (lua_rawgeti(L, 1, i) == LUA_TNIL)
			break;
		if (lua_rawequal(L, -1, 2)) {
			lua_pushinteger(L, i);
			return 1;
		}
		lua_pop(L, 1);
	}
	lua_pushnil(L);
	return 1;
}

static int t_clear(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	checkwritable(L, 1);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_pushnil(L);
		lua_rawset(L, 1);       /* clearing existing fields during next is allowed */
	}
	return 0;
}

static int t_create(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);
	luaL_argcheck(L, n >= 0 && n <= (1 << 26), 1, "size out of range");
	lua_createtable(L, (int)n, 0);
	if (!lua_isnoneornil(L, 2))
		for (lua_Integer i = 1; i <= n; i++) {
			lua_pushvalue(L, 2);
			lua_rawseti(L, -2, i);
		}
	return 1;
}

static int t_freeze(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_argcheck(L, !isfrozen(L, 1), 1, "table is already frozen");
	luaL_argcheck(L, luaL_getmetafield(L, 1, "__metatable") == LUA_TNIL, 1,
	              "table has a protected metatable");
	lua_getfield(L, LUA_REGISTRYINDEX, FROZEN);
	lua_pushvalue(L, 1);
	if (lua_getmetatable(L, 1)) {
		/* a private copy of the own metatable with __newindex replaced,
		 * so tables sharing the original stay writable */
		lua_newtable(L);
		lua_pushnil(L);
		while (lua_next(L, -3)) {
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, -4);
		}
		lua_pushcfunction(L, readonly_newindex);
		lua_setfield(L, -2, "__newindex");
		lua_setmetatable(L, 1);
	} else {
		lua_pushboolean(L, 1);
		luaL_getmetatable(L, FREEZEMT);
		lua_setmetatable(L, 1);
	}
	lua_rawset(L, -3);              /* frozen[t] = own metatable or true */
	lua_settop(L, 1);
	return 1;
}

static int t_isfrozen(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushboolean(L, isfrozen(L, 1));
	return 1;
}

/* Shallow copy with the original metatable; never frozen. */
static int t_clone(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_argcheck(L, luaL_getmetafield(L, 1, "__metatable") == LUA_TNIL, 1,
	              "table has a protected metatable");
	lua_settop(L, 1);
	lua_newtable(L);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, 2);
	}
	lua_getfield(L, LUA_REGISTRYINDEX, FROZEN);
	lua_pushvalue(L, 1);
	if (lua_rawget(L, -2) != LUA_TNIL) {
		if (lua_istable(L, -1))
			lua_setmetatable(L, 2);
	} else if (lua_getmetatable(L, 1)) {
		lua_setmetatable(L, 2);
	}
	lua_settop(L, 2);
	return 1;
}

/* Wraps a function so it refuses a frozen table as argument 1. */
static int guarded(lua_State *L)
{
	checkwritable(L, 1);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* table.move(a1, f, e, t [, a2]) writes to a2 (default a1). */
static int guarded_move(lua_State *L)
{
	checkwritable(L, lua_isnoneornil(L, 5) ? 1 : 5);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

static void guard(lua_State *L, int tab, const char *name, lua_CFunction f)
{
	tab = lua_absindex(L, tab);
	if (lua_getfield(L, tab, name) == LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	lua_pushcclosure(L, f, 1);
	lua_setfield(L, tab, name);
}

/* table.concat with Luau number formatting. */
static int t_concat(lua_State *L)
{
	luaL_Buffer b;
	size_t lsep;
	luaL_checktype(L, 1, LUA_TTABLE);
	const char *sep = luaL_optlstring(L, 2, "", &lsep);
	lua_Integer i = luaL_optinteger(L, 3, 1);
	lua_Integer last = lua_isnoneornil(L, 4) ? (lua_Integer)luaL_len(L, 1) : luaL_checkinteger(L, 4);
	luaL_buffinit(L, &b);
	for (; i <= last; i++) {
		lua_geti(L, 1, i);
		if (lua_type(L, -1) == LUA_TNUMBER) {
			pushnum(L, -1);
			lua_remove(L, -2);
		} else if (!lua_isstring(L, -1)) {
			return luaL_error(L, "invalid value (at index %I) in table for 'concat'", (LUAI_UACINT)i);
		}
		luaL_addvalue(&b);
		if (i != last)
			luaL_addlstring(&b, sep, lsep);
		if (i == LUA_MAXINTEGER)
			break;
	}
	luaL_pushresult(&b);
	return 1;
}

static int l_rawset(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	checkwritable(L, 1);
	luaL_checkany(L, 2);
	luaL_checkany(L, 3);
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 1;
}

/* ---- string ---- */

/* Luau's string.split: default separator ","; an empty one splits into
 * characters; the empty string gives {""} (or {} with "" separator). */
static int s_split(lua_State *L)
{
	size_t n, m;
	const char *s = luaL_checklstring(L, 1, &n);
	const char *sep = luaL_optlstring(L, 2, ",", &m);
	lua_Integer k = 0;
	size_t span = 0;
	lua_newtable(L);
	for (size_t i = m == 0 ? 1 : 0; i + m <= n; i++) {
		if (memcmp(s + i, sep, m) == 0) {
			lua_pushlstring(L, s + span, i - span);
			lua_rawseti(L, -2, ++k);
			span = i + m;
			if (m > 0)
				i += m - 1;
		}
	}
	if (m > 0) {
		lua_pushlstring(L, s + span, n - span);
		lua_rawseti(L, -2, ++k);
	}
	return 1;
}

/* ---- math ---- */

static int m_clamp(lua_State *L)
{
	lua_Number x = luaL_checknumber(L, 1);
	lua_Number lo = luaL_checknumber(L, 2);
	lua_Number hi = luaL_checknumber(L, 3);
	if (!(lo <= hi))
		return luaL_error(L, "invalid argument #3 to 'clamp' (max must be greater than or equal to min)");
	lua_settop(L, 3);
	lua_pushvalue(L, x < lo ? 2 : x > hi ? 3 : 1);
	return 1;
}

static int m_sign(lua_State *L)
{
	lua_Number x = luaL_checknumber(L, 1);
	lua_pushnumber(L, x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0);
	return 1;
}

/* Half away from zero, a double as every Luau number. */
static int m_round(lua_State *L)
{
	lua_pushnumber(L, round(luaL_checknumber(L, 1)));
	return 1;
}

static int m_floor(lua_State *L)
{
	lua_pushnumber(L, floor(luaL_checknumber(L, 1)));
	return 1;
}

static int m_ceil(lua_State *L)
{
	lua_pushnumber(L, ceil(luaL_checknumber(L, 1)));
	return 1;
}

/* Luau's math.abs, max, min: doubles whatever Lua made the arguments. */
static int m_abs(lua_State *L)
{
	lua_pushnumber(L, fabs(luaL_checknumber(L, 1)));
	return 1;
}

static int m_max(lua_State *L)
{
	int n = lua_gettop(L);
	lua_Number r = luaL_checknumber(L, 1);
	for (int i = 2; i <= n; i++) {
		lua_Number x = luaL_checknumber(L, i);
		if (x > r)
			r = x;
	}
	lua_pushnumber(L, r);
	return 1;
}

static int m_min(lua_State *L)
{
	int n = lua_gettop(L);
	lua_Number r = luaL_checknumber(L, 1);
	for (int i = 2; i <= n; i++) {
		lua_Number x = luaL_checknumber(L, i);
		if (x < r)
			r = x;
	}
	lua_pushnumber(L, r);
	return 1;
}

/* math.map(x, inmin, inmax, outmin, outmax) and math.lerp(a, b, t), as
 * Luau's lmathlib computes them. */
static int m_map(lua_State *L)
{
	lua_Number x = luaL_checknumber(L, 1);
	lua_Number inmin = luaL_checknumber(L, 2), inmax = luaL_checknumber(L, 3);
	lua_Number outmin = luaL_checknumber(L, 4), outmax = luaL_checknumber(L, 5);
	lua_pushnumber(L, outmin + (x - inmin) * (outmax - outmin) / (inmax - inmin));
	return 1;
}

static int m_lerp(lua_State *L)
{
	lua_Number a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2);
	lua_Number t = luaL_checknumber(L, 3);
	lua_pushnumber(L, t == 1 ? b : a + (b - a) * t);
	return 1;
}

static int m_isnan(lua_State *L)
{
	lua_pushboolean(L, isnan(luaL_checknumber(L, 1)));
	return 1;
}

static int m_isinf(lua_State *L)
{
	lua_pushboolean(L, isinf(luaL_checknumber(L, 1)));
	return 1;
}

static int m_isfinite(lua_State *L)
{
	lua_pushboolean(L, isfinite(luaL_checknumber(L, 1)));
	return 1;
}

/* Perlin noise as Luau computes it (single precision, Ken Perlin's
 * permutation, 12 edge gradients): 0 on every integer lattice point. */
static const unsigned char perm[257] = {
	151, 160, 137, 91, 90, 15, 131, 13, 201, 95, 96, 53, 194, 233, 7, 225,
	140, 36, 103, 30, 69, 142, 8, 99, 37, 240, 21, 10, 23, 190, 6, 148, 247,
	120, 234, 75, 0, 26, 197, 62, 94, 252, 219, 203, 117, 35, 11, 32, 57,
	177, 33, 88, 237, 149, 56, 87, 174, 20, 125, 136, 171, 168, 68, 175, 74,
	165, 71, 134, 139, 48, 27, 166, 77, 146, 158, 231, 83, 111, 229, 122, 60,
	211, 133, 230, 220, 105, 92, 41, 55, 46, 245, 40, 244, 102, 143, 54, 65,
	25, 63, 161, 1, 216, 80, 73, 209, 76, 132, 187, 208, 89, 18, 169, 200,
	196, 135, 130, 116, 188, 159, 86, 164, 100, 109, 198, 173, 186, 3, 64,
	52, 217, 226, 250, 124, 123, 5, 202, 38, 147, 118, 126, 255, 82, 85, 212,
	207, 206, 59, 227, 47, 16, 58, 17, 182, 189, 28, 42, 223, 183, 170, 213,
	119, 248, 152, 2, 44, 154, 163, 70, 221, 153, 101, 155, 167, 43, 172, 9,
	129, 22, 39, 253, 19, 98, 108, 110, 79, 113, 224, 232, 178, 185, 112,
	104, 218, 246, 97, 228, 251, 34, 242, 193, 238, 210, 144, 12, 191, 179,
	162, 241, 81, 51, 145, 235, 249, 14, 239, 107, 49, 192, 214, 31, 181,
	199, 106, 157, 184, 84, 204, 176, 115, 121, 50, 45, 127, 4, 150, 254,
	138, 236, 205, 93, 222, 114, 67, 29, 24, 72, 243, 141, 128, 195, 78, 66,
	215, 61, 156, 180, 151
};

static const signed char grad3[16][3] = {
	{ 1, 1, 0 }, { -1, 1, 0 }, { 1, -1, 0 }, { -1, -1, 0 }, { 1, 0, 1 },
	{ -1, 0, 1 }, { 1, 0, -1 }, { -1, 0, -1 }, { 0, 1, 1 }, { 0, -1, 1 },
	{ 0, 1, -1 }, { 0, -1, -1 }, { 1, 1, 0 }, { 0, -1, 1 }, { -1, 1, 0 },
	{ 0, -1, -1 }
};

static float fade(float t) { return t * t * t * (t * (t * 6 - 15) + 10); }
static float lerp(float t, float a, float b) { return a + t * (b - a); }
static float grad(int h, float x, float y, float z)
{
	const signed char *g = grad3[h & 15];
	return (float)g[0] * x + (float)g[1] * y + (float)g[2] * z;
}

static float perlin(float x, float y, float z)
{
	float xf0 = floorf(x), yf0 = floorf(y), zf0 = floorf(z);
	int xi = (int)xf0 & 255, yi = (int)yf0 & 255, zi = (int)zf0 & 255;
	float xf = x - xf0, yf = y - yf0, zf = z - zf0;
	float u = fade(xf), v = fade(yf), w = fade(zf);
	const unsigned char *p = perm;
	int a = (p[xi] + yi) & 255, aa = (p[a] + zi) & 255, ab = (p[a + 1] + zi) & 255;
	int b = (p[xi + 1] + yi) & 255, ba = (p[b] + zi) & 255, bb = (p[b + 1] + zi) & 255;
	float la = lerp(u, grad(p[aa], xf, yf, zf), grad(p[ba], xf - 1, yf, zf));
	float lb = lerp(u, grad(p[ab], xf, yf - 1, zf), grad(p[bb], xf - 1, yf - 1, zf));
	float la1 = lerp(u, grad(p[aa + 1], xf, yf, zf - 1), grad(p[ba + 1], xf - 1, yf, zf - 1));
	float lb1 = lerp(u, grad(p[ab + 1], xf, yf - 1, zf - 1), grad(p[bb + 1], xf - 1, yf - 1, zf - 1));
	return lerp(w, lerp(v, la, lb), lerp(v, la1, lb1));
}

static float noisearg(lua_State *L, int i)
{
	lua_Number x = i == 1 ? luaL_checknumber(L, i) : luaL_optnumber(L, i, 0);
	if (!isfinite(x) || fabs(x) > 1e9)
		x = 0;                  /* keeps (int)floorf defined */
	return (float)x;
}

static int m_noise(lua_State *L)
{
	float x = noisearg(L, 1), y = noisearg(L, 2), z = noisearg(L, 3);
	lua_pushnumber(L, (lua_Number)perlin(x, y, z));
	return 1;
}

#define MATH1(name, expr) \
	static int m_##name(lua_State *L) \
	{ lua_Number x = luaL_checknumber(L, 1); lua_pushnumber(L, (expr)); return 1; }
MATH1(cosh, cosh(x))
MATH1(sinh, sinh(x))
MATH1(tanh, tanh(x))
MATH1(log10, log10(x))

static int m_atan2(lua_State *L)
{
	lua_pushnumber(L, atan2(luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
	return 1;
}

static int m_pow(lua_State *L)
{
	lua_pushnumber(L, pow(luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
	return 1;
}

static int m_frexp(lua_State *L)
{
	int e;
	lua_pushnumber(L, frexp(luaL_checknumber(L, 1), &e));
	lua_pushinteger(L, e);
	return 2;
}

static int m_ldexp(lua_State *L)
{
	lua_pushnumber(L, ldexp(luaL_checknumber(L, 1), (int)luaL_checkinteger(L, 2)));
	return 1;
}

/* ---- bit32 ---- */

/* A number as Luau's unsigned 32-bit view: truncated, modulo 2^32. */
static uint32_t checku32(lua_State *L, int i)
{
	if (lua_isinteger(L, i))
		return (uint32_t)(lua_Unsigned)lua_tointeger(L, i);
	lua_Number x = luaL_checknumber(L, i);
	if (!isfinite(x))
		return 0;
	x = fmod(trunc(x), 4294967296.0);
	if (x < 0)
		x += 4294967296.0;
	return (uint32_t)x;
}

static int pushu32(lua_State *L, uint32_t v)
{
	lua_pushinteger(L, (lua_Integer)v);
	return 1;
}

static uint32_t andall(lua_State *L)
{
	uint32_t r = 0xffffffffu;
	for (int i = 1, n = lua_gettop(L); i <= n; i++)
		r &= checku32(L, i);
	return r;
}

static int b_band(lua_State *L) { return pushu32(L, andall(L)); }
static int b_btest(lua_State *L) { lua_pushboolean(L, andall(L) != 0); return 1; }

static int b_bor(lua_State *L)
{
	uint32_t r = 0;
	for (int i = 1, n = lua_gettop(L); i <= n; i++)
		r |= checku32(L, i);
	return pushu32(L, r);
}

static int b_bxor(lua_State *L)
{
	uint32_t r = 0;
	for (int i = 1, n = lua_gettop(L); i <= n; i++)
		r ^= checku32(L, i);
	return pushu32(L, r);
}

static int b_bnot(lua_State *L) { return pushu32(L, ~checku32(L, 1)); }

static uint32_t shift(uint32_t x, lua_Integer d)
{
	if (d <= -32 || d >= 32)
		return 0;
	return d >= 0 ? x << d : x >> -d;
}

static int b_lshift(lua_State *L)
{
	return pushu32(L, shift(checku32(L, 1), luaL_checkinteger(L, 2)));
}

static int b_rshift(lua_State *L)
{
	return pushu32(L, shift(checku32(L, 1), -luaL_checkinteger(L, 2)));
}

static int b_arshift(lua_State *L)
{
	uint32_t x = checku32(L, 1);
	lua_Integer d = luaL_checkinteger(L, 2);
	if (d < 0 || !(x & 0x80000000u))
		return pushu32(L, shift(x, -d));
	if (d >= 32)
		return pushu32(L, 0xffffffffu);
	return pushu32(L, (x >> d) | ~(0xffffffffu >> d));
}

static uint32_t rotl(uint32_t x, lua_Integer d)
{
	unsigned s = (unsigned)(d & 31);
	return s ? (x << s) | (x >> (32 - s)) : x;
}

static int b_lrotate(lua_State *L)
{
	return pushu32(L, rotl(checku32(L, 1), luaL_checkinteger(L, 2)));
}

static int b_rrotate(lua_State *L)
{
	return pushu32(L, rotl(checku32(L, 1), -luaL_checkinteger(L, 2)));
}

static void fieldargs(lua_State *L, int farg, int *f, int *w)
{
	lua_Integer ff = luaL_checkinteger(L, farg);
	lua_Integer ww = luaL_optinteger(L, farg + 1, 1);
	luaL_argcheck(L, 0 <= ff, farg, "field cannot be negative");
	luaL_argcheck(L, 0 < ww, farg + 1, "width must be positive");
	if (ff + ww > 32)
		luaL_error(L, "trying to access non-existent bits");
	*f = (int)ff;
	*w = (int)ww;
}

static uint32_t mask(int w) { return w >= 32 ? 0xffffffffu : (1u << w) - 1; }

static int b_extract(lua_State *L)
{
	int f, w;
	uint32_t x = checku32(L, 1);
	fieldargs(L, 2, &f, &w);
	return pushu32(L, (x >> f) & mask(w));
}

static int b_replace(lua_State *L)
{
	int f, w;
	uint32_t x = checku32(L, 1), v = checku32(L, 2);
	fieldargs(L, 3, &f, &w);
	uint32_t m = mask(w);
	return pushu32(L, (x & ~(m << f)) | ((v & m) << f));
}

static int b_countlz(lua_State *L)
{
	uint32_t x = checku32(L, 1);
	int n = 0;
	for (uint32_t bit = 0x80000000u; bit && !(x & bit); bit >>= 1)
		n++;
	return pushu32(L, (uint32_t)n);
}

static int b_countrz(lua_State *L)
{
	uint32_t x = checku32(L, 1);
	int n = 0;
	for (uint32_t bit = 1; bit && !(x & bit); bit <<= 1)
		n++;
	return pushu32(L, (uint32_t)n);
}

static int b_byteswap(lua_State *L)
{
	uint32_t x = checku32(L, 1);
	return pushu32(L, (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24));
}

static const luaL_Reg bit32lib[] = {
	{ "band", b_band }, { "bor", b_bor }, { "bxor", b_bxor },
	{ "bnot", b_bnot }, { "btest", b_btest }, { "lshift", b_lshift },
	{ "rshift", b_rshift }, { "arshift", b_arshift },
	{ "lrotate", b_lrotate }, { "rrotate", b_rrotate },
	{ "extract", b_extract }, { "replace", b_replace },
	{ "countlz", b_countlz }, { "countrz", b_countrz },
	{ "byteswap", b_byteswap }, { NULL, NULL }
};

/* ---- buffer ---- */

/* A buffer is a full userdata of its byte size with metatable "buffer"
 * (and __type = "buffer" for the VM's typeof); contents little-endian. */
#define BUFFER "buffer"
#define MAXBUFFER (1 << 30)

static unsigned char *checkbuf(lua_State *L, int i, size_t *len)
{
	unsigned char *p = luaL_checkudata(L, i, BUFFER);
	*len = lua_rawlen(L, i);
	return p;
}

static unsigned char *newbuf(lua_State *L, size_t n)
{
	unsigned char *p = lua_newuserdatauv(L, n, 0);
	memset(p, 0, n);
	luaL_setmetatable(L, BUFFER);
	return p;
}

static size_t checksize(lua_State *L, int i)
{
	lua_Integer n = luaL_checkinteger(L, i);
	luaL_argcheck(L, n >= 0 && n <= MAXBUFFER, i, "size");
	return (size_t)n;
}

/* Bytes at [offset, offset + n) of buffer arg 1, or a Luau-worded error. */
static unsigned char *at(lua_State *L, int offarg, size_t n)
{
	size_t len;
	unsigned char *p = checkbuf(L, 1, &len);
	lua_Integer off = luaL_checkinteger(L, offarg);
	if (off < 0 || (lua_Unsigned)off > len || len - (size_t)off < n)
		luaL_error(L, "buffer access out of bounds");
	return p + off;
}

static uint64_t getle(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void putle(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static int buf_create(lua_State *L) { newbuf(L, checksize(L, 1)); return 1; }

static int buf_fromstring(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	memcpy(newbuf(L, n), s, n);
	return 1;
}

static int buf_tostring(lua_State *L)
{
	size_t n;
	unsigned char *p = checkbuf(L, 1, &n);
	lua_pushlstring(L, (const char *)p, n);
	return 1;
}

static int buf_len(lua_State *L)
{
	size_t n;
	checkbuf(L, 1, &n);
	lua_pushinteger(L, (lua_Integer)n);
	return 1;
}

/* One reader/writer pair per integer width, table-driven. */
static int readint(lua_State *L, int n, int sgn)
{
	uint64_t v = getle(at(L, 2, (size_t)n), n);
	if (sgn && (v >> (8 * n - 1)) & 1)
		lua_pushinteger(L, (lua_Integer)v - ((lua_Integer)1 << (8 * n)));
	else
		lua_pushinteger(L, (lua_Integer)v);
	return 1;
}

static int writeint(lua_State *L, int n)
{
	uint32_t v = checku32(L, 3);
	putle(at(L, 2, (size_t)n), v, n);
	return 0;
}

static int buf_readi8(lua_State *L) { return readint(L, 1, 1); }
static int buf_readu8(lua_State *L) { return readint(L, 1, 0); }
static int buf_readi16(lua_State *L) { return readint(L, 2, 1); }
static int buf_readu16(lua_State *L) { return readint(L, 2, 0); }
static int buf_readi32(lua_State *L) { return readint(L, 4, 1); }
static int buf_readu32(lua_State *L) { return readint(L, 4, 0); }
static int buf_write8(lua_State *L) { return writeint(L, 1); }
static int buf_write16(lua_State *L) { return writeint(L, 2); }
static int buf_write32(lua_State *L) { return writeint(L, 4); }

static int buf_readf32(lua_State *L)
{
	uint32_t v = (uint32_t)getle(at(L, 2, 4), 4);
	float f;
	memcpy(&f, &v, 4);
	lua_pushnumber(L, (lua_Number)f);
	return 1;
}

static int buf_readf64(lua_State *L)
{
	uint64_t v = getle(at(L, 2, 8), 8);
	double d;
	memcpy(&d, &v, 8);
	lua_pushnumber(L, (lua_Number)d);
	return 1;
}

static int buf_writef32(lua_State *L)
{
	float f = (float)luaL_checknumber(L, 3);
	uint32_t v;
	memcpy(&v, &f, 4);
	putle(at(L, 2, 4), v, 4);
	return 0;
}

static int buf_writef64(lua_State *L)
{
	double d = (double)luaL_checknumber(L, 3);
	uint64_t v;
	memcpy(&v, &d, 8);
	putle(at(L, 2, 8), v, 8);
	return 0;
}

static int buf_readstring(lua_State *L)
{
	size_t n = checksize(L, 3);
	lua_pushlstring(L, (const char *)at(L, 2, n), n);
	return 1;
}

static int buf_writestring(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 3, &len);
	size_t n = lua_isnoneornil(L, 4) ? len : checksize(L, 4);
	luaL_argcheck(L, n <= len, 4, "string length overflow");
	memcpy(at(L, 2, n), s, n);
	return 0;
}

/* copy(target, targetOffset, source, sourceOffset = 0, count = rest) */
static int buf_copy(lua_State *L)
{
	size_t slen;
	unsigned char *src = checkbuf(L, 3, &slen);
	lua_Integer soff = luaL_optinteger(L, 4, 0);
	if (soff < 0 || (lua_Unsigned)soff > slen)
		return luaL_error(L, "buffer access out of bounds");
	size_t n = lua_isnoneornil(L, 5) ? slen - (size_t)soff : checksize(L, 5);
	if (slen - (size_t)soff < n)
		return luaL_error(L, "buffer access out of bounds");
	memmove(at(L, 2, n), src + soff, n);
	return 0;
}

/* fill(b, offset, value, count = rest) */
static int buf_fill(lua_State *L)
{
	size_t len;
	checkbuf(L, 1, &len);
	lua_Integer off = luaL_checkinteger(L, 2);
	uint32_t v = checku32(L, 3);
	if (off < 0 || (lua_Unsigned)off > len)
		return luaL_error(L, "buffer access out of bounds");
	size_t n = lua_isnoneornil(L, 4) ? len - (size_t)off : checksize(L, 4);
	memset(at(L, 2, n), (int)(v & 0xff), n);
	return 0;
}

static const luaL_Reg bufferlib[] = {
	{ "create", buf_create }, { "fromstring", buf_fromstring },
	{ "tostring", buf_tostring }, { "len", buf_len },
	{ "readi8", buf_readi8 }, { "readu8", buf_readu8 },
	{ "readi16", buf_readi16 }, { "readu16", buf_readu16 },
	{ "readi32", buf_readi32 }, { "readu32", buf_readu32 },
	{ "readf32", buf_readf32 }, { "readf64", buf_readf64 },
	{ "writei8", buf_write8 }, { "writeu8", buf_write8 },
	{ "writei16", buf_write16 }, { "writeu16", buf_write16 },
	{ "writei32", buf_write32 }, { "writeu32", buf_write32 },
	{ "writef32", buf_writef32 }, { "writef64", buf_writef64 },
	{ "readstring", buf_readstring }, { "writestring", buf_writestring },
	{ "copy", buf_copy }, { "fill", buf_fill }, { NULL, NULL }
};

/* ---- opening ---- */

/* Sets the functions of l into the global table `name` (created if absent). */
static void addlib(lua_State *L, const char *name, const luaL_Reg *l)
{
	if (lua_getglobal(L, name) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setglobal(L, name);
	}
	luaL_setfuncs(L, l, 0);
	lua_pop(L, 1);
}

static const luaL_Reg tablelib[] = {
	{ "find", t_find }, { "clear", t_clear }, { "create", t_create },
	{ "freeze", t_freeze }, { "isfrozen", t_isfrozen },
	{ "clone", t_clone }, { NULL, NULL }
};

static const luaL_Reg stringlib[] = { { "split", s_split }, { NULL, NULL } };

static const luaL_Reg mathlib[] = {
	{ "clamp", m_clamp }, { "sign", m_sign }, { "round", m_round },
	{ "noise", m_noise }, { "cosh", m_cosh }, { "sinh", m_sinh },
	{ "tanh", m_tanh }, { "log10", m_log10 }, { "atan2", m_atan2 },
	{ "pow", m_pow }, { "frexp", m_frexp }, { "ldexp", m_ldexp },
	{ "floor", m_floor }, { "ceil", m_ceil }, { "abs", m_abs },
	{ "max", m_max }, { "min", m_min }, { "map", m_map },
	{ "lerp", m_lerp }, { "isnan", m_isnan }, { "isinf", m_isinf },
	{ "isfinite", m_isfinite }, { NULL, NULL }
};

static void openfreeze(lua_State *L)
{
	lua_newtable(L);                        /* the frozen set, weak keys */
	lua_newtable(L);
	lua_pushliteral(L, "k");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_setfield(L, LUA_REGISTRYINDEX, FROZEN);
	luaL_newmetatable(L, FREEZEMT);
	lua_pushcfunction(L, readonly_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pop(L, 1);

	lua_getglobal(L, "table");
	guard(L, -1, "insert", guarded);
	guard(L, -1, "remove", guarded);
	guard(L, -1, "sort", guarded);
	guard(L, -1, "move", guarded_move);
	lua_pop(L, 1);
	lua_pushcfunction(L, l_rawset);
	lua_setglobal(L, "rawset");
	if (lua_getglobal(L, "setmetatable") == LUA_TFUNCTION) {
		lua_pushcclosure(L, guarded, 1); /* setmetatable */
		lua_setglobal(L, "setmetatable");
	} else {
		lua_pop(L, 1);
	}
}

void rs_luaulib_open(lua_State *L)
{
	lua_getglobal(L, "pairs");
	lua_pushcclosure(L, l_iter, 1);
	lua_setglobal(L, RS_LUAU_ITER);
	lua_pushcfunction(L, l_cat);
	lua_setglobal(L, "__rsim_cat");
	lua_pushcfunction(L, l_idiv);
	lua_setglobal(L, "__rsim_idiv");
	lua_getglobal(L, "tostring");
	lua_pushcclosure(L, l_interp, 1);
	lua_setglobal(L, "__rsim_interp");

	addlib(L, "table", tablelib);
	lua_getglobal(L, "table");
	lua_pushcfunction(L, t_concat);
	lua_setfield(L, -2, "concat");
	if (lua_getglobal(L, "unpack") == LUA_TNIL) {   /* Luau keeps it global */
		lua_getfield(L, -2, "unpack");
		lua_setglobal(L, "unpack");
	}
	lua_pop(L, 2);
	openfreeze(L);
	addlib(L, "string", stringlib);
	addlib(L, "math", mathlib);
	/* Luau has one number type: none of Lua 5.4's integer helpers */
	lua_getglobal(L, "math");
	static const char *const lua54only[] = {
		"type", "tointeger", "ult", "maxinteger", "mininteger", NULL
	};
	for (const char *const *k = lua54only; *k; k++) {
		lua_pushnil(L);
		lua_setfield(L, -2, *k);
	}
	lua_pop(L, 1);
	addlib(L, "bit32", bit32lib);
	addlib(L, "buffer", bufferlib);

	luaL_newmetatable(L, BUFFER);           /* sets __name = "buffer" */
	lua_pushliteral(L, "buffer");
	lua_setfield(L, -2, "__type");
	lua_pushliteral(L, "The metatable is locked");
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
}
