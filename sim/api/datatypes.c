/*
 * datatypes -- Roblox value types in a peer's VM: Vector3, Vector2, Color3,
 * CFrame, UDim, UDim2, BrickColor, NumberRange (EnumItem lives in enums.c).
 *
 * Every value is an immutable full userdata holding exactly the doubles of
 * its rs_datatype (3 for a Vector3, 12 for a CFrame); the metatable says
 * which kind it is.  Keeping the userdata that small matters: scripts make
 * many of them and 10,000 peers share one process.  Methods are light C
 * functions looked up in static tables, so opening the module allocates
 * almost nothing per VM.
 *
 * Numbers are doubles, not Roblox's float32: values survive the wire
 * bit-for-bit, at the price of `Vector3.new(0.1, 0, 0).X == 0.1` being true
 * here and false in Roblox.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "rsim/core.h"
#include "rsim/datatypes.h"
#include "datatypes_internal.h"

/* Its address is the private metatable key holding the kind. */
static const char rs_dt_kind_key = 'k';

static const rs_dt_type *dt_type(int kind);

/* ---- generic machinery ---- */

void rs_dt_addnum(luaL_Buffer *b, double x)
{
	char buf[RS_NUMBUF];
	int n = rs_fmtnum(x, buf);
	luaL_addlstring(b, buf, (size_t)n);
}

/* The kind of the value at idx, or RS_DT_NONE when it is not a datatype. */
static int dt_kind_at(lua_State *L, int idx)
{
	int k = RS_DT_NONE;
	if (lua_type(L, idx) == LUA_TUSERDATA && lua_getmetatable(L, idx)) {
		if (lua_rawgetp(L, -1, &rs_dt_kind_key) == LUA_TNUMBER)
			k = (int)lua_tointeger(L, -1);
		lua_pop(L, 2);
	}
	return k > RS_DT_NONE && k < RS_DT_KIND_MAX ? k : RS_DT_NONE;
}

static double *dt_to(lua_State *L, int idx, int kind)
{
	return dt_kind_at(L, idx) == kind ? lua_touserdata(L, idx) : NULL;
}

static double *dt_check(lua_State *L, int idx, int kind)
{
	double *p = dt_to(L, idx, kind);
	if (!p)
		luaL_typeerror(L, idx, dt_type(kind)->name);
	return p;
}

/* Metatables are also filed in the registry under their descriptor's
 * address: a light-userdata lookup is cheaper than luaL_setmetatable's,
 * which interns the name on every value created. */
static double *dt_new(lua_State *L, int kind)
{
	const rs_dt_type *t = dt_type(kind);
	double *p = lua_newuserdatauv(L, (size_t)t->n * sizeof(double), 0);
	lua_rawgetp(L, LUA_REGISTRYINDEX, t);
	lua_setmetatable(L, -2);
	return p;
}

/* Operator errors have no function name in Roblox: "invalid argument #2
 * (Vector3 expected, got number)". */
static int dt_argerr(lua_State *L, int arg, const char *expected)
{
	return luaL_error(L, "invalid argument #%d (%s expected, got %s)", arg,
	                  expected, rs_typeof(L, arg));
}

/* Integral doubles that fit an int; anything else would be UB to cast. */
static int dt_toint(double x, int *out)
{
	if (!(x >= INT32_MIN && x <= INT32_MAX) || x != floor(x))
		return 0;
	*out = (int)x;
	return 1;
}

static const char *dt_keyname(lua_State *L, int idx, char *buf)
{
	if (lua_type(L, idx) == LUA_TSTRING)
		return lua_tostring(L, idx);
	if (lua_type(L, idx) == LUA_TNUMBER) {
		rs_fmtnum(lua_tonumber(L, idx), buf);
		return buf;
	}
	return luaL_typename(L, idx);
}

/* 1 = property, 2 = method, 0 = no such member. */
static int dt_member(const rs_dt_type *t, const char *key, const void **out)
{
	/* first letters weed out almost every candidate without a call */
	for (const rs_dt_prop *p = t->props; p && p->name; p++)
		if (p->name[0] == key[0] && strcmp(p->name, key) == 0)
			return *out = p, 1;
	for (const luaL_Reg *m = t->methods; m && m->name; m++)
		if (m->name[0] == key[0] && strcmp(m->name, key) == 0)
			return *out = m, 2;
	return 0;
}

static int dt_index(lua_State *L)
{
	const rs_dt_type *t = dt_type(dt_kind_at(L, 1));
	const void *m = NULL;
	char buf[RS_NUMBUF];
	int what = 0;
	if (!t)
		return luaL_typeerror(L, 1, "datatype");
	if (lua_type(L, 2) == LUA_TSTRING)
		what = dt_member(t, lua_tostring(L, 2), &m);
	if (what == 1) {
		((const rs_dt_prop *)m)->get(L, lua_touserdata(L, 1));
		return 1;
	}
	if (what == 2) {
		lua_pushcfunction(L, ((const luaL_Reg *)m)->func);
		return 1;
	}
	return luaL_error(L, "%s is not a valid member of %s",
	                  dt_keyname(L, 2, buf), t->name);
}

static int dt_newindex(lua_State *L)
{
	const rs_dt_type *t = dt_type(dt_kind_at(L, 1));
	const void *m = NULL;
	char buf[RS_NUMBUF];
	const char *key = dt_keyname(L, 2, buf);
	if (t && lua_type(L, 2) == LUA_TSTRING && dt_member(t, key, &m))
		return luaL_error(L, "%s cannot be assigned to", key);
	return luaL_error(L, "%s is not a valid member of %s", key,
	                  t ? t->name : "datatype");
}

/* By value: two Vector3.new(1, 2, 3) are ==.  Lua only asks when both
 * operands are userdata, which may still be of different kinds. */
static int dt_eq(lua_State *L)
{
	int k = dt_kind_at(L, 1), eq = k != RS_DT_NONE && k == dt_kind_at(L, 2);
	if (eq) {
		const double *a = lua_touserdata(L, 1), *b = lua_touserdata(L, 2);
		for (int i = 0; i < dt_type(k)->n && eq; i++)
			eq = a[i] == b[i];
	}
	lua_pushboolean(L, eq);
	return 1;
}

static int dt_tostring(lua_State *L)
{
	const rs_dt_type *t = dt_type(dt_kind_at(L, 1));
	luaL_Buffer b;
	if (!t)
		return luaL_typeerror(L, 1, "datatype");
	luaL_buffinit(L, &b);
	t->tostr(&b, lua_touserdata(L, 1));
	luaL_pushresult(&b);
	return 1;
}

static void tostr_list(luaL_Buffer *b, const double *v, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			luaL_addstring(b, ", ");
		rs_dt_addnum(b, v[i]);
	}
}

static void get_v0(lua_State *L, const double *v) { lua_pushnumber(L, v[0]); }
static void get_v1(lua_State *L, const double *v) { lua_pushnumber(L, v[1]); }
static void get_v2(lua_State *L, const double *v) { lua_pushnumber(L, v[2]); }

/* Componentwise Lerp for every kind whose doubles blend linearly
 * (Vector3, Vector2, Color3, UDim2). */
static int dt_lerp(lua_State *L)
{
	int k = dt_kind_at(L, 1);
	const double *a, *b;
	double t, *r;
	if (k == RS_DT_NONE)
		return luaL_typeerror(L, 1, "datatype");
	a = lua_touserdata(L, 1);
	b = dt_check(L, 2, k);
	t = luaL_checknumber(L, 3);
	r = dt_new(L, k);
	for (int i = 0; i < dt_type(k)->n; i++)
		r[i] = a[i] + (b[i] - a[i]) * t;
	return 1;
}

/* ---- componentwise arithmetic: Vector3, Vector2, UDim, UDim2 ---- */

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_IDIV, OP_UNM };

static int cw_kind(int k)
{
	return k == RS_DT_VECTOR3 || k == RS_DT_VECTOR2 || k == RS_DT_UDIM ||
	       k == RS_DT_UDIM2;
}

/* Reads one operand: a value of kind k, or (vectors only, for * / //) a
 * number that stands for a vector of that number. */
static void cw_operand(lua_State *L, int idx, int k, int op, double *out)
{
	const double *p = dt_to(L, idx, k);
	int n = dt_type(k)->n;
	int vec = k == RS_DT_VECTOR3 || k == RS_DT_VECTOR2;
	if (p) {
		memcpy(out, p, (size_t)n * sizeof(double));
	} else if (vec && op >= OP_MUL && op != OP_UNM &&
	           lua_type(L, idx) == LUA_TNUMBER) {
		for (int i = 0; i < n; i++)
			out[i] = lua_tonumber(L, idx);
	} else {
		dt_argerr(L, idx, dt_type(k)->name);
	}
}

static int cw_arith(lua_State *L, int op)
{
	int k = dt_kind_at(L, 1);
	double a[4], b[4], *r;
	if (!cw_kind(k))
		k = dt_kind_at(L, 2);
	if (!cw_kind(k))
		return dt_argerr(L, 1, "Vector3");
	cw_operand(L, 1, k, op, a);
	if (op != OP_UNM)
		cw_operand(L, 2, k, op, b);
	r = dt_new(L, k);
	for (int i = 0; i < dt_type(k)->n; i++) {
		switch (op) {
		case OP_ADD: r[i] = a[i] + b[i]; break;
		case OP_SUB: r[i] = a[i] - b[i]; break;
		case OP_MUL: r[i] = a[i] * b[i]; break;
		case OP_DIV: r[i] = a[i] / b[i]; break;
		case OP_IDIV: r[i] = floor(a[i] / b[i]); break;
		default: r[i] = -a[i]; break;
		}
	}
	return 1;
}

static int cw_add(lua_State *L) { return cw_arith(L, OP_ADD); }
static int cw_sub(lua_State *L) { return cw_arith(L, OP_SUB); }
static int cw_mul(lua_State *L) { return cw_arith(L, OP_MUL); }
static int cw_div(lua_State *L) { return cw_arith(L, OP_DIV); }
static int cw_idiv(lua_State *L) { return cw_arith(L, OP_IDIV); }
static int cw_unm(lua_State *L) { return cw_arith(L, OP_UNM); }

/* ---- Vector3 and Vector2 (one implementation, dimension from self) ---- */

static void push_v3(lua_State *L, double x, double y, double z)
{
	double *v = dt_new(L, RS_DT_VECTOR3);
	v[0] = x, v[1] = y, v[2] = z;
}

static int vec_self(lua_State *L)
{
	int k = dt_kind_at(L, 1);
	if (k != RS_DT_VECTOR3 && k != RS_DT_VECTOR2)
		luaL_typeerror(L, 1, "Vector3");
	return k;
}

static double vec_dot(const double *a, const double *b, int n)
{
	double s = 0;
	for (int i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

static void cross3(const double *a, const double *b, double *o)
{
	double t[3] = { a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
	                a[0] * b[1] - a[1] * b[0] };
	memcpy(o, t, sizeof t);
}

static void get_mag3(lua_State *L, const double *v)
{
	lua_pushnumber(L, sqrt(vec_dot(v, v, 3)));
}

static void get_mag2(lua_State *L, const double *v)
{
	lua_pushnumber(L, sqrt(vec_dot(v, v, 2)));
}

/* The zero vector has no direction: its Unit is NaN, as in Roblox. */
static void get_unit3(lua_State *L, const double *v)
{
	double m = sqrt(vec_dot(v, v, 3));
	push_v3(L, v[0] / m, v[1] / m, v[2] / m);
}

static void get_unit2(lua_State *L, const double *v)
{
	double m = sqrt(vec_dot(v, v, 2)), *r = dt_new(L, RS_DT_VECTOR2);
	r[0] = v[0] / m, r[1] = v[1] / m;
}

static int vec_m_dot(lua_State *L)
{
	int k = vec_self(L);
	const double *a = lua_touserdata(L, 1), *b = dt_check(L, 2, k);
	lua_pushnumber(L, vec_dot(a, b, dt_type(k)->n));
	return 1;
}

/* Vector3:Cross is a vector; Vector2:Cross is the scalar z of the 3D one. */
static int vec_m_cross(lua_State *L)
{
	int k = vec_self(L);
	const double *a = lua_touserdata(L, 1), *b = dt_check(L, 2, k);
	double c[3];
	if (k == RS_DT_VECTOR2) {
		lua_pushnumber(L, a[0] * b[1] - a[1] * b[0]);
		return 1;
	}
	cross3(a, b, c);
	push_v3(L, c[0], c[1], c[2]);
	return 1;
}

static double sgn(double x) { return x > 0 ? 1 : x < 0 ? -1 : 0; }

static int vec_map(lua_State *L, double (*f)(double))
{
	int k = vec_self(L);
	const double *a = lua_touserdata(L, 1);
	double *r = dt_new(L, k);
	for (int i = 0; i < dt_type(k)->n; i++)
		r[i] = f(a[i]);
	return 1;
}

static int vec_m_abs(lua_State *L) { return vec_map(L, fabs); }
static int vec_m_floor(lua_State *L) { return vec_map(L, floor); }
static int vec_m_ceil(lua_State *L) { return vec_map(L, ceil); }
static int vec_m_sign(lua_State *L) { return vec_map(L, sgn); }

static int vec_fold(lua_State *L, int want_max)
{
	int k = vec_self(L), n = dt_type(k)->n, top = lua_gettop(L);
	double r[3];
	memcpy(r, lua_touserdata(L, 1), (size_t)n * sizeof(double));
	for (int a = 2; a <= top; a++) {
		const double *o = dt_check(L, a, k);
		for (int i = 0; i < n; i++)
			if (want_max ? o[i] > r[i] : o[i] < r[i])
				r[i] = o[i];
	}
	memcpy(dt_new(L, k), r, (size_t)n * sizeof(double));
	return 1;
}

static int vec_m_min(lua_State *L) { return vec_fold(L, 0); }
static int vec_m_max(lua_State *L) { return vec_fold(L, 1); }

static int vec_m_fuzzyeq(lua_State *L)
{
	int k = vec_self(L), eq = 1;
	const double *a = lua_touserdata(L, 1), *b = dt_check(L, 2, k);
	double eps = luaL_optnumber(L, 3, 1e-5);
	for (int i = 0; i < dt_type(k)->n; i++)
		eq = eq && fabs(a[i] - b[i]) <= eps;
	lua_pushboolean(L, eq);
	return 1;
}

/* Vector3:Angle(other, axis?) is signed by the axis when given;
 * Vector2:Angle(other, isSigned?) is signed counter-clockwise. */
static int vec_m_angle(lua_State *L)
{
	int k = vec_self(L);
	const double *a = lua_touserdata(L, 1), *b = dt_check(L, 2, k);
	double c[3], ang;
	if (k == RS_DT_VECTOR2) {
		ang = atan2(a[0] * b[1] - a[1] * b[0], vec_dot(a, b, 2));
		lua_pushnumber(L, lua_toboolean(L, 3) ? ang : fabs(ang));
		return 1;
	}
	cross3(a, b, c);
	ang = atan2(sqrt(vec_dot(c, c, 3)), vec_dot(a, b, 3));
	if (!lua_isnoneornil(L, 3) && vec_dot(c, dt_check(L, 3, k), 3) < 0)
		ang = -ang;
	lua_pushnumber(L, ang);
	return 1;
}

static int v3_new(lua_State *L)
{
	push_v3(L, luaL_optnumber(L, 1, 0), luaL_optnumber(L, 2, 0),
	        luaL_optnumber(L, 3, 0));
	return 1;
}

/* Indexed by Enum.NormalId values: Right Top Back Left Bottom Front. */
static const double rs_dt_normals[6][3] = {
	{ 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 },
	{ -1, 0, 0 }, { 0, -1, 0 }, { 0, 0, -1 },
};

static int v3_fromnormalid(lua_State *L)
{
	const double *d = rs_dt_normals[rs_dt_check_enum(L, 1, "NormalId")];
	push_v3(L, d[0], d[1], d[2]);
	return 1;
}

static int v3_fromaxis(lua_State *L)
{
	const double *d = rs_dt_normals[rs_dt_check_enum(L, 1, "Axis")];
	push_v3(L, d[0], d[1], d[2]);
	return 1;
}

static int v2_new(lua_State *L)
{
	double x = luaL_optnumber(L, 1, 0), y = luaL_optnumber(L, 2, 0);
	double *v = dt_new(L, RS_DT_VECTOR2);
	v[0] = x, v[1] = y;
	return 1;
}

static void tostr_v3(luaL_Buffer *b, const double *v) { tostr_list(b, v, 3); }
static void tostr_v2(luaL_Buffer *b, const double *v) { tostr_list(b, v, 2); }

static const luaL_Reg vec_meta[] = {
	{ "__add", cw_add }, { "__sub", cw_sub }, { "__mul", cw_mul },
	{ "__div", cw_div }, { "__idiv", cw_idiv }, { "__unm", cw_unm },
	{ NULL, NULL }
};

static const luaL_Reg vec_methods[] = {
	{ "Dot", vec_m_dot }, { "Cross", vec_m_cross }, { "Lerp", dt_lerp },
	{ "Abs", vec_m_abs }, { "Floor", vec_m_floor }, { "Ceil", vec_m_ceil },
	{ "Sign", vec_m_sign }, { "Min", vec_m_min }, { "Max", vec_m_max },
	{ "FuzzyEq", vec_m_fuzzyeq }, { "Angle", vec_m_angle },
	{ NULL, NULL }
};

static const rs_dt_prop v3_props[] = {
	{ "X", get_v0 }, { "Y", get_v1 }, { "Z", get_v2 },
	{ "Magnitude", get_mag3 }, { "Unit", get_unit3 }, { NULL, NULL }
};

static const luaL_Reg v3_statics[] = {
	{ "new", v3_new }, { "FromNormalId", v3_fromnormalid },
	{ "FromAxis", v3_fromaxis }, { NULL, NULL }
};

static const rs_dt_type vector3_type = {
	"Vector3", 3, v3_props, vec_methods, vec_meta, v3_statics, tostr_v3, NULL
};

static const rs_dt_prop v2_props[] = {
	{ "X", get_v0 }, { "Y", get_v1 },
	{ "Magnitude", get_mag2 }, { "Unit", get_unit2 }, { NULL, NULL }
};

static const luaL_Reg v2_statics[] = { { "new", v2_new }, { NULL, NULL } };

static const rs_dt_type vector2_type = {
	"Vector2", 2, v2_props, vec_methods, vec_meta, v2_statics, tostr_v2, NULL
};

/* ---- Color3 ---- */

static void push_color(lua_State *L, double r, double g, double b)
{
	double *c = dt_new(L, RS_DT_COLOR3);
	c[0] = r, c[1] = g, c[2] = b;
}

static int color_new(lua_State *L)
{
	push_color(L, luaL_optnumber(L, 1, 0), luaL_optnumber(L, 2, 0),
	           luaL_optnumber(L, 3, 0));
	return 1;
}

static int color_fromrgb(lua_State *L)
{
	push_color(L, luaL_optnumber(L, 1, 0) / 255, luaL_optnumber(L, 2, 0) / 255,
	           luaL_optnumber(L, 3, 0) / 255);
	return 1;
}

static int color_fromhsv(lua_State *L)
{
	double h = luaL_checknumber(L, 1), s = luaL_checknumber(L, 2);
	double v = luaL_checknumber(L, 3), f, p, q, t;
	int i;
	h = isfinite(h) ? fmod(h, 1.0) : 0;
	if (h < 0)
		h += 1;
	i = (int)floor(h * 6);
	f = h * 6 - i;
	p = v * (1 - s), q = v * (1 - f * s), t = v * (1 - (1 - f) * s);
	switch (i % 6) {
	case 0: push_color(L, v, t, p); break;
	case 1: push_color(L, q, v, p); break;
	case 2: push_color(L, p, v, t); break;
	case 3: push_color(L, p, q, v); break;
	case 4: push_color(L, t, p, v); break;
	default: push_color(L, v, p, q); break;
	}
	return 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "#RRGGBB", "RRGGBB", "#RGB" or "RGB", any case. */
static int color_fromhex(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	double c[3];
	int w;
	if (len > 0 && s[0] == '#')
		s++, len--;
	if (len != 6 && len != 3)
		return luaL_error(L, "Unable to convert characters to hex value");
	w = (int)len / 3;
	for (int i = 0; i < 3; i++) {
		int hi = hexval(s[i * w]), lo = hexval(s[i * w + w - 1]);
		if (hi < 0 || lo < 0)
			return luaL_error(L, "Unable to convert characters to hex value");
		c[i] = (hi * 16 + lo) / 255.0;
	}
	push_color(L, c[0], c[1], c[2]);
	return 1;
}

/* Lowercase and rounded, as Roblox prints it (Color3.new(0.5,0.5,0.5) is
 * "808080"). */
static int color_m_tohex(lua_State *L)
{
	const double *c = dt_check(L, 1, RS_DT_COLOR3);
	static const char digits[] = "0123456789abcdef";
	char out[6];
	for (int i = 0; i < 3; i++) {
		double x = c[i] > 0 ? (c[i] < 1 ? c[i] : 1) : 0;
		int byte = (int)floor(x * 255 + 0.5);
		out[2 * i] = digits[byte >> 4];
		out[2 * i + 1] = digits[byte & 15];
	}
	lua_pushlstring(L, out, sizeof out);
	return 1;
}

static int color_m_tohsv(lua_State *L)
{
	const double *c = dt_check(L, 1, RS_DT_COLOR3);
	double r = c[0], g = c[1], b = c[2];
	double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b)), d = mx - mn;
	double h = 0;
	if (d > 0) {
		if (mx == r)
			h = (g - b) / d + (g < b ? 6 : 0);
		else if (mx == g)
			h = (b - r) / d + 2;
		else
			h = (r - g) / d + 4;
		h /= 6;
	}
	lua_pushnumber(L, h);
	lua_pushnumber(L, mx > 0 ? d / mx : 0);
	lua_pushnumber(L, mx);
	return 3;
}

static const rs_dt_prop color_props[] = {
	{ "R", get_v0 }, { "G", get_v1 }, { "B", get_v2 }, { NULL, NULL }
};

static const luaL_Reg color_methods[] = {
	{ "Lerp", dt_lerp }, { "ToHex", color_m_tohex }, { "ToHSV", color_m_tohsv },
	{ NULL, NULL }
};

static const luaL_Reg color_statics[] = {
	{ "new", color_new }, { "fromRGB", color_fromrgb },
	{ "fromHSV", color_fromhsv }, { "fromHex", color_fromhex },
	{ NULL, NULL }
};

static const rs_dt_type color3_type = {
	"Color3", 3, color_props, color_methods, NULL, color_statics, tostr_v3, NULL
};

/* ---- CFrame ----
 * Stored as GetComponents() returns it: x y z R00 R01 R02 R10 R11 R12 R20
 * R21 R22; the columns of R are the Right, Up and Back (-Look) vectors. */

#define R(m, i, j) ((m)[3 + 3 * (i) + (j)])

static const double cf_identity[12] = { 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1 };

static void cf_mul(const double *a, const double *b, double *o)
{
	double t[12];
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 3; j++)
			R(t, i, j) = R(a, i, 0) * R(b, 0, j) + R(a, i, 1) * R(b, 1, j) +
			             R(a, i, 2) * R(b, 2, j);
		t[i] = R(a, i, 0) * b[0] + R(a, i, 1) * b[1] + R(a, i, 2) * b[2] + a[i];
	}
	memcpy(o, t, sizeof t);
}

/* Rotates v (and translates it when point is set). */
static void cf_apply(const double *a, const double *v, int point, double *o)
{
	double t[3];
	for (int i = 0; i < 3; i++)
		t[i] = R(a, i, 0) * v[0] + R(a, i, 1) * v[1] + R(a, i, 2) * v[2] +
		       (point ? a[i] : 0);
	memcpy(o, t, sizeof t);
}

/* Rigid transforms invert by transposing R: no division, no drift. */
static void cf_inverse(const double *a, double *o)
{
	double t[12];
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			R(t, i, j) = R(a, j, i);
	for (int i = 0; i < 3; i++)
		t[i] = -(R(t, i, 0) * a[0] + R(t, i, 1) * a[1] + R(t, i, 2) * a[2]);
	memcpy(o, t, sizeof t);
}

static void cf_to_quat(const double *m, double q[4])
{
	double tr = R(m, 0, 0) + R(m, 1, 1) + R(m, 2, 2), s;
	if (tr > 0) {
		s = sqrt(tr + 1) * 2;
		q[3] = s / 4;
		q[0] = (R(m, 2, 1) - R(m, 1, 2)) / s;
		q[1] = (R(m, 0, 2) - R(m, 2, 0)) / s;
		q[2] = (R(m, 1, 0) - R(m, 0, 1)) / s;
	} else if (R(m, 0, 0) > R(m, 1, 1) && R(m, 0, 0) > R(m, 2, 2)) {
		s = sqrt(1 + R(m, 0, 0) - R(m, 1, 1) - R(m, 2, 2)) * 2;
		q[3] = (R(m, 2, 1) - R(m, 1, 2)) / s;
		q[0] = s / 4;
		q[1] = (R(m, 0, 1) + R(m, 1, 0)) / s;
		q[2] = (R(m, 0, 2) + R(m, 2, 0)) / s;
	} else if (R(m, 1, 1) > R(m, 2, 2)) {
		s = sqrt(1 + R(m, 1, 1) - R(m, 0, 0) - R(m, 2, 2)) * 2;
		q[3] = (R(m, 0, 2) - R(m, 2, 0)) / s;
		q[0] = (R(m, 0, 1) + R(m, 1, 0)) / s;
		q[1] = s / 4;
		q[2] = (R(m, 1, 2) + R(m, 2, 1)) / s;
	} else {
		s = sqrt(1 + R(m, 2, 2) - R(m, 0, 0) - R(m, 1, 1)) * 2;
		q[3] = (R(m, 1, 0) - R(m, 0, 1)) / s;
		q[0] = (R(m, 0, 2) + R(m, 2, 0)) / s;
		q[1] = (R(m, 1, 2) + R(m, 2, 1)) / s;
		q[2] = s / 4;
	}
}

/* Sets the rotation of m from quaternion (x, y, z, w), normalized first;
 * a zero quaternion gives no rotation. */
static void cf_from_quat(const double q[4], double *m)
{
	double n = sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
	double x, y, z, w;
	if (!(n > 0)) {
		memcpy(m + 3, cf_identity + 3, 9 * sizeof(double));
		return;
	}
	x = q[0] / n, y = q[1] / n, z = q[2] / n, w = q[3] / n;
	R(m, 0, 0) = 1 - 2 * (y * y + z * z);
	R(m, 0, 1) = 2 * (x * y - z * w);
	R(m, 0, 2) = 2 * (x * z + y * w);
	R(m, 1, 0) = 2 * (x * y + z * w);
	R(m, 1, 1) = 1 - 2 * (x * x + z * z);
	R(m, 1, 2) = 2 * (y * z - x * w);
	R(m, 2, 0) = 2 * (x * z - y * w);
	R(m, 2, 1) = 2 * (y * z + x * w);
	R(m, 2, 2) = 1 - 2 * (x * x + y * y);
}

/* A rotation about one principal axis (0 = X, 1 = Y, 2 = Z). */
static void cf_axis_rot(int axis, double a, double *m)
{
	int i = (axis + 1) % 3, j = (axis + 2) % 3;
	memcpy(m, cf_identity, sizeof cf_identity);
	R(m, i, i) = cos(a), R(m, i, j) = -sin(a);
	R(m, j, i) = sin(a), R(m, j, j) = cos(a);
}

/* R = R(order[0]) * R(order[1]) * R(order[2]); angles[] are per axis. */
static void cf_euler(const double angles[3], const int order[3], double *m)
{
	double r[12];
	memcpy(m, cf_identity, sizeof cf_identity);
	for (int i = 0; i < 3; i++) {
		cf_axis_rot(order[i], angles[order[i]], r);
		cf_mul(m, r, m);
	}
}

static const int cf_xyz[3] = { 0, 1, 2 }, cf_yxz[3] = { 1, 0, 2 };

static double len3(const double *v) { return sqrt(vec_dot(v, v, 3)); }

/* Looks from `at` toward `target` with `up` as the preferred up; looking
 * along `up` itself falls back to another up so the result stays a
 * rotation. */
static void cf_look_at(const double *at, const double *target,
                       const double *up, double *m)
{
	static const double alt_up[3] = { 0, 0, 1 }, alt_right[3] = { 1, 0, 0 };
	double f[3] = { target[0] - at[0], target[1] - at[1], target[2] - at[2] };
	double r[3], u[3], l = len3(f);
	memcpy(m, cf_identity, sizeof cf_identity);
	memcpy(m, at, 3 * sizeof(double));
	if (!(l > 0))
		return;
	for (int i = 0; i < 3; i++)
		f[i] /= l;
	cross3(f, up, r);
	if (len3(r) < 1e-9)
		cross3(f, alt_up, r);
	if (len3(r) < 1e-9)
		memcpy(r, alt_right, sizeof r);
	l = len3(r);
	for (int i = 0; i < 3; i++)
		r[i] /= l;
	cross3(r, f, u);
	for (int i = 0; i < 3; i++)
		R(m, i, 0) = r[i], R(m, i, 1) = u[i], R(m, i, 2) = -f[i];
}

static void push_cf(lua_State *L, const double *m)
{
	memcpy(dt_new(L, RS_DT_CFRAME), m, 12 * sizeof(double));
}

static const double world_up[3] = { 0, 1, 0 };

static int cf_new(lua_State *L)
{
	int top = lua_gettop(L);
	double m[12], q[4];
	const double *p = top >= 1 ? dt_to(L, 1, RS_DT_VECTOR3) : NULL;
	memcpy(m, cf_identity, sizeof m);
	if (top == 0) {
		/* identity */
	} else if (p && top == 1) {
		memcpy(m, p, 3 * sizeof(double));
	} else if (p) {
		cf_look_at(p, dt_check(L, 2, RS_DT_VECTOR3), world_up, m);
	} else if (top < 3) {
		return luaL_typeerror(L, 1, "Vector3");
	} else if (top == 3 || top == 7 || top == 12) {
		/* x, y, z [, qx, qy, qz, qw | R00 ... R22] */
		for (int i = 0; i < 3; i++)
			m[i] = luaL_checknumber(L, i + 1);
		for (int i = 3; i < top && top == 12; i++)
			m[i] = luaL_checknumber(L, i + 1);
		for (int i = 0; i < 4 && top == 7; i++)
			q[i] = luaL_checknumber(L, i + 4);
		if (top == 7)
			cf_from_quat(q, m);
	} else {
		return luaL_error(L, "Invalid number of arguments: %d", top);
	}
	push_cf(L, m);
	return 1;
}

static int cf_lookat(lua_State *L)
{
	const double *at = dt_check(L, 1, RS_DT_VECTOR3);
	const double *target = dt_check(L, 2, RS_DT_VECTOR3);
	const double *up = lua_isnoneornil(L, 3) ? world_up
	                                         : dt_check(L, 3, RS_DT_VECTOR3);
	double m[12];
	cf_look_at(at, target, up, m);
	push_cf(L, m);
	return 1;
}

static int cf_from_euler(lua_State *L, const int order[3])
{
	double a[3] = { luaL_checknumber(L, 1), luaL_checknumber(L, 2),
	                luaL_checknumber(L, 3) }, m[12];
	cf_euler(a, order, m);
	push_cf(L, m);
	return 1;
}

static int cf_angles(lua_State *L) { return cf_from_euler(L, cf_xyz); }
static int cf_orientation(lua_State *L) { return cf_from_euler(L, cf_yxz); }

static int cf_fromaxisangle(lua_State *L)
{
	const double *ax = dt_check(L, 1, RS_DT_VECTOR3);
	double a = luaL_checknumber(L, 2), l = len3(ax), s = sin(a / 2), q[4];
	double m[12];
	memcpy(m, cf_identity, sizeof m);
	if (l > 0) {
		q[0] = ax[0] / l * s, q[1] = ax[1] / l * s, q[2] = ax[2] / l * s;
		q[3] = cos(a / 2);
		cf_from_quat(q, m);
	}
	push_cf(L, m);
	return 1;
}

/* fromMatrix(pos, vX, vY, vZ?): the columns given; vZ defaults to the unit
 * of vX x vY. */
static int cf_frommatrix(lua_State *L)
{
	const double *p = dt_check(L, 1, RS_DT_VECTOR3);
	const double *vx = dt_check(L, 2, RS_DT_VECTOR3);
	const double *vy = dt_check(L, 3, RS_DT_VECTOR3);
	double vz[3], m[12], l;
	if (lua_isnoneornil(L, 4)) {
		cross3(vx, vy, vz);
		l = len3(vz);
		for (int i = 0; i < 3; i++)
			vz[i] = l > 0 ? vz[i] / l : 0;
	} else {
		memcpy(vz, dt_check(L, 4, RS_DT_VECTOR3), sizeof vz);
	}
	memcpy(m, p, 3 * sizeof(double));
	for (int i = 0; i < 3; i++)
		R(m, i, 0) = vx[i], R(m, i, 1) = vy[i], R(m, i, 2) = vz[i];
	push_cf(L, m);
	return 1;
}

static void get_cf_pos(lua_State *L, const double *m) { push_v3(L, m[0], m[1], m[2]); }

static void get_cf_col0(lua_State *L, const double *m)
{
	push_v3(L, R(m, 0, 0), R(m, 1, 0), R(m, 2, 0));
}

static void get_cf_col1(lua_State *L, const double *m)
{
	push_v3(L, R(m, 0, 1), R(m, 1, 1), R(m, 2, 1));
}

static void get_cf_col2(lua_State *L, const double *m)
{
	push_v3(L, R(m, 0, 2), R(m, 1, 2), R(m, 2, 2));
}

static void get_cf_look(lua_State *L, const double *m)
{
	push_v3(L, -R(m, 0, 2), -R(m, 1, 2), -R(m, 2, 2));
}

static void get_cf_rotation(lua_State *L, const double *m)
{
	double r[12];
	memcpy(r, m, sizeof r);
	r[0] = r[1] = r[2] = 0;
	push_cf(L, r);
}

static int cf_m_inverse(lua_State *L)
{
	double m[12];
	cf_inverse(dt_check(L, 1, RS_DT_CFRAME), m);
	push_cf(L, m);
	return 1;
}

/* Position blends linearly, rotation along the shorter great arc. */
static int cf_m_lerp(lua_State *L)
{
	const double *a = dt_check(L, 1, RS_DT_CFRAME);
	const double *b = dt_check(L, 2, RS_DT_CFRAME);
	double t = luaL_checknumber(L, 3), qa[4], qb[4], q[4], m[12];
	double d, s0, s1;
	cf_to_quat(a, qa);
	cf_to_quat(b, qb);
	d = qa[0] * qb[0] + qa[1] * qb[1] + qa[2] * qb[2] + qa[3] * qb[3];
	if (d < 0) {
		for (int i = 0; i < 4; i++)
			qb[i] = -qb[i];
		d = -d;
	}
	if (d > 0.9995) {
		s0 = 1 - t, s1 = t;
	} else {
		double th = acos(d), sn = sin(th);
		s0 = sin((1 - t) * th) / sn, s1 = sin(t * th) / sn;
	}
	for (int i = 0; i < 4; i++)
		q[i] = s0 * qa[i] + s1 * qb[i];
	for (int i = 0; i < 3; i++)
		m[i] = a[i] + (b[i] - a[i]) * t;
	cf_from_quat(q, m);
	push_cf(L, m);
	return 1;
}

/* The *Space methods take any number of arguments and return one result
 * for each, as Roblox's do. */
enum { SP_CF_WORLD, SP_CF_OBJECT, SP_PT_WORLD, SP_PT_OBJECT, SP_VEC_WORLD,
       SP_VEC_OBJECT };

static int cf_space(lua_State *L, int how)
{
	const double *a = dt_check(L, 1, RS_DT_CFRAME);
	int top = lua_gettop(L), object = how & 1;
	double basis[12], r[12];
	if (object)
		cf_inverse(a, basis);
	else
		memcpy(basis, a, sizeof basis);
	luaL_checkstack(L, top, NULL);
	for (int i = 2; i <= top; i++) {
		if (how <= SP_CF_OBJECT) {
			cf_mul(basis, dt_check(L, i, RS_DT_CFRAME), r);
			push_cf(L, r);
		} else {
			cf_apply(basis, dt_check(L, i, RS_DT_VECTOR3),
			         how <= SP_PT_OBJECT, r);
			push_v3(L, r[0], r[1], r[2]);
		}
	}
	return top - 1;
}

static int cf_m_toworld(lua_State *L) { return cf_space(L, SP_CF_WORLD); }
static int cf_m_toobject(lua_State *L) { return cf_space(L, SP_CF_OBJECT); }
static int cf_m_ptworld(lua_State *L) { return cf_space(L, SP_PT_WORLD); }
static int cf_m_ptobject(lua_State *L) { return cf_space(L, SP_PT_OBJECT); }
static int cf_m_vecworld(lua_State *L) { return cf_space(L, SP_VEC_WORLD); }
static int cf_m_vecobject(lua_State *L) { return cf_space(L, SP_VEC_OBJECT); }

static int cf_m_components(lua_State *L)
{
	const double *m = dt_check(L, 1, RS_DT_CFRAME);
	luaL_checkstack(L, 12, NULL);
	for (int i = 0; i < 12; i++)
		lua_pushnumber(L, m[i]);
	return 12;
}

static double clamp1(double x) { return x < -1 ? -1 : x > 1 ? 1 : x; }

/* Inverse of Angles: R = Rx(a) Ry(b) Rz(c). */
static int cf_m_toeulerxyz(lua_State *L)
{
	const double *m = dt_check(L, 1, RS_DT_CFRAME);
	lua_pushnumber(L, atan2(-R(m, 1, 2), R(m, 2, 2)));
	lua_pushnumber(L, asin(clamp1(R(m, 0, 2))));
	lua_pushnumber(L, atan2(-R(m, 0, 1), R(m, 0, 0)));
	return 3;
}

/* Inverse of fromOrientation: R = Ry(b) Rx(a) Rz(c); returns a, b, c. */
static int cf_m_toeuleryxz(lua_State *L)
{
	const double *m = dt_check(L, 1, RS_DT_CFRAME);
	lua_pushnumber(L, asin(clamp1(-R(m, 1, 2))));
	lua_pushnumber(L, atan2(R(m, 0, 2), R(m, 2, 2)));
	lua_pushnumber(L, atan2(R(m, 1, 0), R(m, 1, 1)));
	return 3;
}

static int cf_m_toaxisangle(lua_State *L)
{
	double q[4], s, ang;
	cf_to_quat(dt_check(L, 1, RS_DT_CFRAME), q);
	if (q[3] < 0)
		for (int i = 0; i < 4; i++)
			q[i] = -q[i];
	ang = 2 * acos(clamp1(q[3]));
	s = sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
	if (s > 1e-12)
		push_v3(L, q[0] / s, q[1] / s, q[2] / s);
	else
		push_v3(L, 1, 0, 0);
	lua_pushnumber(L, ang);
	return 2;
}

static int cf_m_fuzzyeq(lua_State *L)
{
	const double *a = dt_check(L, 1, RS_DT_CFRAME);
	const double *b = dt_check(L, 2, RS_DT_CFRAME);
	double eps = luaL_optnumber(L, 3, 1e-5);
	int eq = 1;
	for (int i = 0; i < 12; i++)
		eq = eq && fabs(a[i] - b[i]) <= eps;
	lua_pushboolean(L, eq);
	return 1;
}

/* CFrame * CFrame composes; CFrame * Vector3 transforms a point. */
static int cf_mm_mul(lua_State *L)
{
	const double *a = dt_to(L, 1, RS_DT_CFRAME), *b;
	double r[12];
	if (!a)
		return dt_argerr(L, 1, "CFrame");
	if ((b = dt_to(L, 2, RS_DT_CFRAME)) != NULL) {
		cf_mul(a, b, r);
		push_cf(L, r);
	} else if ((b = dt_to(L, 2, RS_DT_VECTOR3)) != NULL) {
		cf_apply(a, b, 1, r);
		push_v3(L, r[0], r[1], r[2]);
	} else {
		return dt_argerr(L, 2, "CFrame");
	}
	return 1;
}

static int cf_translate(lua_State *L, double sign)
{
	const double *a = dt_to(L, 1, RS_DT_CFRAME), *v;
	double r[12];
	if (!a)
		return dt_argerr(L, 1, "CFrame");
	if (!(v = dt_to(L, 2, RS_DT_VECTOR3)))
		return dt_argerr(L, 2, "Vector3");
	memcpy(r, a, sizeof r);
	for (int i = 0; i < 3; i++)
		r[i] += sign * v[i];
	push_cf(L, r);
	return 1;
}

static int cf_mm_add(lua_State *L) { return cf_translate(L, 1); }
static int cf_mm_sub(lua_State *L) { return cf_translate(L, -1); }

static void tostr_cf(luaL_Buffer *b, const double *v) { tostr_list(b, v, 12); }

static const rs_dt_prop cf_props[] = {
	{ "Position", get_cf_pos }, { "p", get_cf_pos },
	{ "X", get_v0 }, { "Y", get_v1 }, { "Z", get_v2 },
	{ "LookVector", get_cf_look }, { "RightVector", get_cf_col0 },
	{ "UpVector", get_cf_col1 }, { "XVector", get_cf_col0 },
	{ "YVector", get_cf_col1 }, { "ZVector", get_cf_col2 },
	{ "Rotation", get_cf_rotation }, { NULL, NULL }
};

static const luaL_Reg cf_methods[] = {
	{ "Inverse", cf_m_inverse }, { "Lerp", cf_m_lerp },
	{ "ToWorldSpace", cf_m_toworld }, { "ToObjectSpace", cf_m_toobject },
	{ "PointToWorldSpace", cf_m_ptworld },
	{ "PointToObjectSpace", cf_m_ptobject },
	{ "VectorToWorldSpace", cf_m_vecworld },
	{ "VectorToObjectSpace", cf_m_vecobject },
	{ "GetComponents", cf_m_components }, { "components", cf_m_components },
	{ "ToEulerAnglesXYZ", cf_m_toeulerxyz },
	{ "ToEulerAnglesYXZ", cf_m_toeuleryxz },
	{ "ToOrientation", cf_m_toeuleryxz },
	{ "ToAxisAngle", cf_m_toaxisangle }, { "FuzzyEq", cf_m_fuzzyeq },
	{ NULL, NULL }
};

static const luaL_Reg cf_meta[] = {
	{ "__mul", cf_mm_mul }, { "__add", cf_mm_add }, { "__sub", cf_mm_sub },
	{ NULL, NULL }
};

static const luaL_Reg cf_statics[] = {
	{ "new", cf_new }, { "lookAt", cf_lookat }, { "Angles", cf_angles },
	{ "fromEulerAnglesXYZ", cf_angles },
	{ "fromEulerAnglesYXZ", cf_orientation },
	{ "fromOrientation", cf_orientation },
	{ "fromAxisAngle", cf_fromaxisangle }, { "fromMatrix", cf_frommatrix },
	{ NULL, NULL }
};

static const rs_dt_type cframe_type = {
	"CFrame", 12, cf_props, cf_methods, cf_meta, cf_statics, tostr_cf, NULL
};

/* ---- UDim and UDim2 ---- */

static void push_udim(lua_State *L, double scale, double offset)
{
	double *u = dt_new(L, RS_DT_UDIM);
	u[0] = scale, u[1] = offset;
}

static int udim_new(lua_State *L)
{
	push_udim(L, luaL_optnumber(L, 1, 0), luaL_optnumber(L, 2, 0));
	return 1;
}

static void push_udim2(lua_State *L, double xs, double xo, double ys, double yo)
{
	double *u = dt_new(L, RS_DT_UDIM2);
	u[0] = xs, u[1] = xo, u[2] = ys, u[3] = yo;
}

/* UDim2.new(xs, xo, ys, yo) or UDim2.new(xUDim, yUDim). */
static int udim2_new(lua_State *L)
{
	const double *x = dt_to(L, 1, RS_DT_UDIM);
	if (x) {
		const double *y = dt_check(L, 2, RS_DT_UDIM);
		push_udim2(L, x[0], x[1], y[0], y[1]);
	} else {
		push_udim2(L, luaL_optnumber(L, 1, 0), luaL_optnumber(L, 2, 0),
		           luaL_optnumber(L, 3, 0), luaL_optnumber(L, 4, 0));
	}
	return 1;
}

static int udim2_fromscale(lua_State *L)
{
	push_udim2(L, luaL_optnumber(L, 1, 0), 0, luaL_optnumber(L, 2, 0), 0);
	return 1;
}

static int udim2_fromoffset(lua_State *L)
{
	push_udim2(L, 0, luaL_optnumber(L, 1, 0), 0, luaL_optnumber(L, 2, 0));
	return 1;
}

static void get_udim_x(lua_State *L, const double *v) { push_udim(L, v[0], v[1]); }
static void get_udim_y(lua_State *L, const double *v) { push_udim(L, v[2], v[3]); }

static void tostr_udim2(luaL_Buffer *b, const double *v)
{
	luaL_addchar(b, '{');
	tostr_list(b, v, 2);
	luaL_addstring(b, "}, {");
	tostr_list(b, v + 2, 2);
	luaL_addchar(b, '}');
}

static const luaL_Reg udim_meta[] = {
	{ "__add", cw_add }, { "__sub", cw_sub }, { "__unm", cw_unm },
	{ NULL, NULL }
};

static const rs_dt_prop udim_props[] = {
	{ "Scale", get_v0 }, { "Offset", get_v1 }, { NULL, NULL }
};

static const luaL_Reg udim_statics[] = { { "new", udim_new }, { NULL, NULL } };

static const rs_dt_type udim_type = {
	"UDim", 2, udim_props, NULL, udim_meta, udim_statics, tostr_v2, NULL
};

static const rs_dt_prop udim2_props[] = {
	{ "X", get_udim_x }, { "Y", get_udim_y },
	{ "Width", get_udim_x }, { "Height", get_udim_y }, { NULL, NULL }
};

static const luaL_Reg udim2_methods[] = { { "Lerp", dt_lerp }, { NULL, NULL } };

static const luaL_Reg udim2_statics[] = {
	{ "new", udim2_new }, { "fromScale", udim2_fromscale },
	{ "fromOffset", udim2_fromoffset }, { NULL, NULL }
};

static const rs_dt_type udim2_type = {
	"UDim2", 4, udim2_props, udim2_methods, udim_meta, udim2_statics,
	tostr_udim2, NULL
};

/* ---- BrickColor ----
 * The full Roblox list, in number order; a name used twice (Lilac, Gold,
 * Rust, Deep orange) resolves to the first, as BrickColor.new(name) does. */

typedef struct rs_dt_brick {
	int number;
	const char *name;
	unsigned char r, g, b;
} rs_dt_brick;

static const rs_dt_brick rs_dt_bricks[] = {
	{ 1, "White", 242, 243, 243 }, { 2, "Grey", 161, 165, 162 },
	{ 3, "Light yellow", 249, 233, 153 }, { 5, "Brick yellow", 215, 197, 154 },
	{ 6, "Light green (Mint)", 194, 218, 184 },
	{ 9, "Light reddish violet", 232, 186, 200 },
	{ 11, "Pastel Blue", 128, 187, 219 },
	{ 12, "Light orange brown", 203, 132, 66 }, { 18, "Nougat", 204, 142, 105 },
	{ 21, "Bright red", 196, 40, 28 },
	{ 22, "Med. reddish violet", 196, 112, 160 },
	{ 23, "Bright blue", 13, 105, 172 }, { 24, "Bright yellow", 245, 205, 48 },
	{ 25, "Earth orange", 98, 71, 50 }, { 26, "Black", 27, 42, 53 },
	{ 27, "Dark grey", 109, 110, 108 }, { 28, "Dark green", 40, 127, 71 },
	{ 29, "Medium green", 161, 196, 140 },
	{ 36, "Lig. Yellowich orange", 243, 207, 155 },
	{ 37, "Bright green", 75, 151, 75 }, { 38, "Dark orange", 160, 95, 53 },
	{ 39, "Light bluish violet", 193, 202, 222 },
	{ 40, "Transparent", 236, 236, 236 }, { 41, "Tr. Red", 205, 84, 75 },
	{ 42, "Tr. Lg blue", 193, 223, 240 }, { 43, "Tr. Blue", 123, 182, 232 },
	{ 44, "Tr. Yellow", 247, 241, 141 }, { 45, "Light blue", 180, 210, 228 },
	{ 47, "Tr. Flu. Reddish orange", 217, 133, 108 },
	{ 48, "Tr. Green", 132, 182, 141 }, { 49, "Tr. Flu. Green", 248, 241, 132 },
	{ 50, "Phosph. White", 236, 232, 222 }, { 100, "Light red", 238, 196, 182 },
	{ 101, "Medium red", 218, 134, 122 }, { 102, "Medium blue", 110, 153, 202 },
	{ 103, "Light grey", 199, 193, 183 }, { 104, "Bright violet", 107, 50, 124 },
	{ 105, "Br. yellowish orange", 226, 155, 64 },
	{ 106, "Bright orange", 218, 133, 65 },
	{ 107, "Bright bluish green", 0, 143, 156 },
	{ 108, "Earth yellow", 104, 92, 67 },
	{ 110, "Bright bluish violet", 67, 84, 147 },
	{ 111, "Tr. Brown", 191, 183, 177 },
	{ 112, "Medium bluish violet", 104, 116, 172 },
	{ 113, "Tr. Medi. reddish violet", 229, 173, 200 },
	{ 115, "Med. yellowish green", 199, 210, 60 },
	{ 116, "Med. bluish green", 85, 165, 175 },
	{ 118, "Light bluish green", 183, 215, 213 },
	{ 119, "Br. yellowish green", 164, 189, 71 },
	{ 120, "Lig. yellowish green", 217, 228, 167 },
	{ 121, "Med. yellowish orange", 231, 172, 88 },
	{ 123, "Br. reddish orange", 211, 111, 76 },
	{ 124, "Bright reddish violet", 146, 57, 120 },
	{ 125, "Light orange", 234, 184, 146 },
	{ 126, "Tr. Bright bluish violet", 165, 165, 203 },
	{ 127, "Gold", 220, 188, 129 }, { 128, "Dark nougat", 174, 122, 89 },
	{ 131, "Silver", 156, 163, 168 }, { 133, "Neon orange", 213, 115, 61 },
	{ 134, "Neon green", 216, 221, 86 }, { 135, "Sand blue", 116, 134, 157 },
	{ 136, "Sand violet", 135, 124, 144 }, { 137, "Medium orange", 224, 152, 100 },
	{ 138, "Sand yellow", 149, 138, 115 }, { 140, "Earth blue", 32, 58, 86 },
	{ 141, "Earth green", 39, 70, 45 }, { 143, "Tr. Flu. Blue", 207, 226, 247 },
	{ 145, "Sand blue metallic", 121, 136, 161 },
	{ 146, "Sand violet metallic", 149, 142, 163 },
	{ 147, "Sand yellow metallic", 147, 135, 103 },
	{ 148, "Dark grey metallic", 87, 88, 87 },
	{ 149, "Black metallic", 22, 29, 50 },
	{ 150, "Light grey metallic", 171, 173, 172 },
	{ 151, "Sand green", 120, 144, 130 }, { 153, "Sand red", 149, 121, 119 },
	{ 154, "Dark red", 123, 46, 47 }, { 157, "Tr. Flu. Yellow", 255, 246, 123 },
	{ 158, "Tr. Flu. Red", 225, 164, 194 }, { 168, "Gun metallic", 117, 108, 98 },
	{ 176, "Red flip/flop", 151, 105, 91 },
	{ 178, "Yellow flip/flop", 180, 132, 85 },
	{ 179, "Silver flip/flop", 137, 135, 136 }, { 180, "Curry", 215, 169, 75 },
	{ 190, "Fire Yellow", 249, 214, 46 },
	{ 191, "Flame yellowish orange", 232, 171, 45 },
	{ 192, "Reddish brown", 105, 64, 40 },
	{ 193, "Flame reddish orange", 207, 96, 36 },
	{ 194, "Medium stone grey", 163, 162, 165 },
	{ 195, "Royal blue", 70, 103, 164 }, { 196, "Dark Royal blue", 35, 71, 139 },
	{ 198, "Bright reddish lilac", 142, 66, 133 },
	{ 199, "Dark stone grey", 99, 95, 98 }, { 200, "Lemon metalic", 130, 138, 93 },
	{ 208, "Light stone grey", 229, 228, 223 }, { 209, "Dark Curry", 176, 142, 68 },
	{ 210, "Faded green", 112, 149, 120 }, { 211, "Turquoise", 121, 181, 181 },
	{ 212, "Light Royal blue", 159, 195, 233 },
	{ 213, "Medium Royal blue", 108, 129, 183 }, { 216, "Rust", 144, 76, 42 },
	{ 217, "Brown", 124, 92, 70 }, { 218, "Reddish lilac", 150, 112, 159 },
	{ 219, "Lilac", 107, 98, 155 }, { 220, "Light lilac", 167, 169, 206 },
	{ 221, "Bright purple", 205, 98, 152 }, { 222, "Light purple", 228, 173, 200 },
	{ 223, "Light pink", 220, 144, 149 },
	{ 224, "Light brick yellow", 240, 213, 160 },
	{ 225, "Warm yellowish orange", 235, 184, 127 },
	{ 226, "Cool yellow", 253, 234, 141 }, { 232, "Dove blue", 125, 187, 221 },
	{ 268, "Medium lilac", 52, 43, 117 }, { 301, "Slime green", 80, 109, 84 },
	{ 302, "Smoky grey", 91, 93, 105 }, { 303, "Dark blue", 0, 16, 176 },
	{ 304, "Parsley green", 44, 101, 29 }, { 305, "Steel blue", 82, 124, 174 },
	{ 306, "Storm blue", 51, 88, 130 }, { 307, "Lapis", 16, 42, 220 },
	{ 308, "Dark indigo", 61, 21, 133 }, { 309, "Sea green", 52, 142, 64 },
	{ 310, "Shamrock", 91, 154, 76 }, { 311, "Fossil", 159, 161, 172 },
	{ 312, "Mulberry", 89, 34, 89 }, { 313, "Forest green", 31, 128, 29 },
	{ 314, "Cadet blue", 159, 173, 192 }, { 315, "Electric blue", 9, 137, 207 },
	{ 316, "Eggplant", 123, 0, 123 }, { 317, "Moss", 124, 156, 107 },
	{ 318, "Artichoke", 138, 171, 133 }, { 319, "Sage green", 185, 196, 177 },
	{ 320, "Ghost grey", 202, 203, 209 }, { 321, "Lilac", 167, 94, 155 },
	{ 322, "Plum", 123, 47, 123 }, { 323, "Olivine", 148, 190, 129 },
	{ 324, "Laurel green", 168, 189, 153 }, { 325, "Quill grey", 223, 223, 222 },
	{ 327, "Crimson", 151, 0, 0 }, { 328, "Mint", 177, 229, 166 },
	{ 329, "Baby blue", 152, 194, 219 }, { 330, "Carnation pink", 255, 152, 220 },
	{ 331, "Persimmon", 255, 89, 89 }, { 332, "Maroon", 117, 0, 0 },
	{ 333, "Gold", 239, 184, 56 }, { 334, "Daisy orange", 248, 217, 109 },
	{ 335, "Pearl", 231, 231, 236 }, { 336, "Fog", 199, 212, 228 },
	{ 337, "Salmon", 255, 148, 148 }, { 338, "Terra Cotta", 190, 104, 98 },
	{ 339, "Cocoa", 86, 36, 36 }, { 340, "Wheat", 241, 231, 199 },
	{ 341, "Buttermilk", 254, 243, 187 }, { 342, "Mauve", 224, 178, 208 },
	{ 343, "Sunrise", 212, 144, 189 }, { 344, "Tawny", 150, 85, 85 },
	{ 345, "Rust", 143, 76, 42 }, { 346, "Cashmere", 211, 190, 150 },
	{ 347, "Khaki", 226, 220, 188 }, { 348, "Lily white", 237, 234, 234 },
	{ 349, "Seashell", 233, 218, 218 }, { 350, "Burgundy", 136, 62, 62 },
	{ 351, "Cork", 188, 155, 93 }, { 352, "Burlap", 199, 172, 120 },
	{ 353, "Beige", 202, 191, 163 }, { 354, "Oyster", 187, 179, 178 },
	{ 355, "Pine Cone", 108, 88, 75 }, { 356, "Fawn brown", 160, 132, 79 },
	{ 357, "Hurricane grey", 149, 137, 136 }, { 358, "Cloudy grey", 171, 168, 158 },
	{ 359, "Linen", 175, 148, 131 }, { 360, "Copper", 150, 103, 102 },
	{ 361, "Dirt brown", 86, 66, 54 }, { 362, "Bronze", 126, 104, 63 },
	{ 363, "Flint", 105, 102, 92 }, { 364, "Dark taupe", 90, 76, 66 },
	{ 365, "Burnt Sienna", 106, 57, 9 },
	{ 1001, "Institutional white", 248, 248, 248 },
	{ 1002, "Mid gray", 205, 205, 205 }, { 1003, "Really black", 17, 17, 17 },
	{ 1004, "Really red", 255, 0, 0 }, { 1005, "Deep orange", 255, 176, 0 },
	{ 1006, "Alder", 180, 128, 255 }, { 1007, "Dusty Rose", 163, 75, 75 },
	{ 1008, "Olive", 193, 190, 66 }, { 1009, "New Yeller", 255, 255, 0 },
	{ 1010, "Really blue", 0, 0, 255 }, { 1011, "Navy blue", 0, 32, 96 },
	{ 1012, "Deep blue", 33, 84, 185 }, { 1013, "Cyan", 4, 175, 236 },
	{ 1014, "CGA brown", 170, 85, 0 }, { 1015, "Magenta", 170, 0, 170 },
	{ 1016, "Pink", 255, 102, 204 }, { 1017, "Deep orange", 255, 175, 0 },
	{ 1018, "Teal", 18, 238, 212 }, { 1019, "Toothpaste", 0, 255, 255 },
	{ 1020, "Lime green", 0, 255, 0 }, { 1021, "Camo", 58, 125, 21 },
	{ 1022, "Grime", 127, 142, 100 }, { 1023, "Lavender", 140, 91, 159 },
	{ 1024, "Pastel light blue", 175, 221, 255 },
	{ 1025, "Pastel orange", 255, 201, 201 },
	{ 1026, "Pastel violet", 177, 167, 255 },
	{ 1027, "Pastel blue-green", 159, 243, 233 },
	{ 1028, "Pastel green", 204, 255, 204 },
	{ 1029, "Pastel yellow", 255, 255, 204 },
	{ 1030, "Pastel brown", 255, 204, 153 },
	{ 1031, "Royal purple", 98, 37, 209 }, { 1032, "Hot pink", 255, 0, 191 },
};

#define RS_DT_NBRICKS (sizeof rs_dt_bricks / sizeof rs_dt_bricks[0])
#define RS_DT_BRICK_DEFAULT 194 /* Medium stone grey: what unknowns become */

static const rs_dt_brick *brick_by_number(double number)
{
	int n;
	if (!dt_toint(number, &n))
		return NULL;
	for (size_t i = 0; i < RS_DT_NBRICKS; i++)
		if (rs_dt_bricks[i].number == n)
			return &rs_dt_bricks[i];
	return NULL;
}

static const rs_dt_brick *brick_nearest(double r, double g, double b)
{
	const rs_dt_brick *best = &rs_dt_bricks[0];
	double bestd = INFINITY;
	for (size_t i = 0; i < RS_DT_NBRICKS; i++) {
		const rs_dt_brick *c = &rs_dt_bricks[i];
		double dr = c->r / 255.0 - r, dg = c->g / 255.0 - g, db = c->b / 255.0 - b;
		double d = dr * dr + dg * dg + db * db;
		if (d < bestd)
			bestd = d, best = c;
	}
	return best;
}

static void push_brick(lua_State *L, int number)
{
	*dt_new(L, RS_DT_BRICKCOLOR) = number;
}

/* new(number), new(name), new(Color3) or new(r, g, b); unknown numbers and
 * names give Medium stone grey, as in Roblox. */
static int brick_new(lua_State *L)
{
	const rs_dt_brick *c = NULL;
	const double *col = dt_to(L, 1, RS_DT_COLOR3);
	if (col) {
		c = brick_nearest(col[0], col[1], col[2]);
	} else if (lua_type(L, 1) == LUA_TNUMBER && lua_gettop(L) >= 3) {
		c = brick_nearest(luaL_checknumber(L, 1), luaL_checknumber(L, 2),
		                  luaL_checknumber(L, 3));
	} else if (lua_type(L, 1) == LUA_TNUMBER) {
		c = brick_by_number(lua_tonumber(L, 1));
	} else {
		const char *name = luaL_checkstring(L, 1);
		for (size_t i = 0; i < RS_DT_NBRICKS && !c; i++)
			if (strcmp(rs_dt_bricks[i].name, name) == 0)
				c = &rs_dt_bricks[i];
	}
	push_brick(L, c ? c->number : RS_DT_BRICK_DEFAULT);
	return 1;
}

static int brick_white(lua_State *L) { return push_brick(L, 1), 1; }
static int brick_gray(lua_State *L) { return push_brick(L, 194), 1; }
static int brick_darkgray(lua_State *L) { return push_brick(L, 199), 1; }
static int brick_black(lua_State *L) { return push_brick(L, 26), 1; }
static int brick_red(lua_State *L) { return push_brick(L, 21), 1; }
static int brick_yellow(lua_State *L) { return push_brick(L, 24), 1; }
static int brick_green(lua_State *L) { return push_brick(L, 28), 1; }
static int brick_blue(lua_State *L) { return push_brick(L, 23), 1; }

/* Values only reach Lua through brick_new and rs_datatype_push, both of
 * which guarantee a known number. */
static const rs_dt_brick *brick_of(const double *v)
{
	const rs_dt_brick *c = brick_by_number(v[0]);
	return c ? c : brick_by_number(RS_DT_BRICK_DEFAULT);
}

static void get_brick_number(lua_State *L, const double *v)
{
	lua_pushinteger(L, brick_of(v)->number);
}

static void get_brick_name(lua_State *L, const double *v)
{
	lua_pushstring(L, brick_of(v)->name);
}

static void get_brick_color(lua_State *L, const double *v)
{
	const rs_dt_brick *c = brick_of(v);
	push_color(L, c->r / 255.0, c->g / 255.0, c->b / 255.0);
}

static void get_brick_r(lua_State *L, const double *v) { lua_pushnumber(L, brick_of(v)->r / 255.0); }
static void get_brick_g(lua_State *L, const double *v) { lua_pushnumber(L, brick_of(v)->g / 255.0); }
static void get_brick_b(lua_State *L, const double *v) { lua_pushnumber(L, brick_of(v)->b / 255.0); }

static void tostr_brick(luaL_Buffer *b, const double *v)
{
	luaL_addstring(b, brick_of(v)->name);
}

static int brick_valid(const double *v) { return brick_by_number(v[0]) != NULL; }

static const rs_dt_prop brick_props[] = {
	{ "Name", get_brick_name }, { "Number", get_brick_number },
	{ "Color", get_brick_color }, { "r", get_brick_r }, { "g", get_brick_g },
	{ "b", get_brick_b }, { NULL, NULL }
};

static const luaL_Reg brick_statics[] = {
	{ "new", brick_new }, { "White", brick_white }, { "Gray", brick_gray },
	{ "DarkGray", brick_darkgray }, { "Black", brick_black },
	{ "Red", brick_red }, { "Yellow", brick_yellow }, { "Green", brick_green },
	{ "Blue", brick_blue }, { NULL, NULL }
};

static const rs_dt_type brickcolor_type = {
	"BrickColor", 1, brick_props, NULL, NULL, brick_statics, tostr_brick,
	brick_valid
};

/* ---- NumberRange ---- */

static int range_new(lua_State *L)
{
	double mn = luaL_checknumber(L, 1), mx = luaL_optnumber(L, 2, mn), *r;
	if (mn > mx)
		return luaL_error(L, "NumberRange: invalid range");
	r = dt_new(L, RS_DT_NUMBERRANGE);
	r[0] = mn, r[1] = mx;
	return 1;
}

static void tostr_range(luaL_Buffer *b, const double *v)
{
	rs_dt_addnum(b, v[0]);
	luaL_addchar(b, ' ');
	rs_dt_addnum(b, v[1]);
}

static int range_valid(const double *v) { return v[0] <= v[1]; }

static const rs_dt_prop range_props[] = {
	{ "Min", get_v0 }, { "Max", get_v1 }, { NULL, NULL }
};

static const luaL_Reg range_statics[] = { { "new", range_new }, { NULL, NULL } };

static const rs_dt_type numberrange_type = {
	"NumberRange", 2, range_props, NULL, NULL, range_statics, tostr_range,
	range_valid
};

/* ---- registry of kinds, constants, public API ---- */

static const rs_dt_type *const rs_dt_types[RS_DT_KIND_MAX] = {
	[RS_DT_VECTOR3] = &vector3_type,
	[RS_DT_VECTOR2] = &vector2_type,
	[RS_DT_COLOR3] = &color3_type,
	[RS_DT_CFRAME] = &cframe_type,
	[RS_DT_UDIM] = &udim_type,
	[RS_DT_UDIM2] = &udim2_type,
	[RS_DT_BRICKCOLOR] = &brickcolor_type,
	[RS_DT_NUMBERRANGE] = &numberrange_type,
	[RS_DT_ENUMITEM] = &rs_dt_enumitem_type,
};

static const rs_dt_type *dt_type(int kind)
{
	return kind > RS_DT_NONE && kind < RS_DT_KIND_MAX ? rs_dt_types[kind]
	                                                  : NULL;
}

/* Constant values in the global tables (Vector3.zero, CFrame.identity...). */
static const struct {
	int kind;
	const char *name;
	double v[12];
} rs_dt_consts[] = {
	{ RS_DT_VECTOR3, "zero", { 0, 0, 0 } },
	{ RS_DT_VECTOR3, "one", { 1, 1, 1 } },
	{ RS_DT_VECTOR3, "xAxis", { 1, 0, 0 } },
	{ RS_DT_VECTOR3, "yAxis", { 0, 1, 0 } },
	{ RS_DT_VECTOR3, "zAxis", { 0, 0, 1 } },
	{ RS_DT_VECTOR2, "zero", { 0, 0 } },
	{ RS_DT_VECTOR2, "one", { 1, 1 } },
	{ RS_DT_VECTOR2, "xAxis", { 1, 0 } },
	{ RS_DT_VECTOR2, "yAxis", { 0, 1 } },
	{ RS_DT_CFRAME, "identity", { 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1 } },
};

static void dt_register(lua_State *L, int kind)
{
	static const luaL_Reg common[] = {
		{ "__index", dt_index }, { "__newindex", dt_newindex },
		{ "__eq", dt_eq }, { "__tostring", dt_tostring }, { NULL, NULL }
	};
	const rs_dt_type *t = rs_dt_types[kind];
	luaL_newmetatable(L, t->name);
	lua_pushinteger(L, kind);
	lua_rawsetp(L, -2, &rs_dt_kind_key);
	lua_pushstring(L, t->name);
	lua_setfield(L, -2, "__type");
	lua_pushliteral(L, "The metatable is locked");
	lua_setfield(L, -2, "__metatable");
	luaL_setfuncs(L, common, 0);
	if (t->meta)
		luaL_setfuncs(L, t->meta, 0);
	lua_rawsetp(L, LUA_REGISTRYINDEX, t);
}

static void dt_open_statics(lua_State *L, int kind)
{
	const rs_dt_type *t = rs_dt_types[kind];
	lua_newtable(L);
	luaL_setfuncs(L, t->statics, 0);
	for (size_t i = 0; i < sizeof rs_dt_consts / sizeof rs_dt_consts[0]; i++) {
		if (rs_dt_consts[i].kind != kind)
			continue;
		memcpy(dt_new(L, kind), rs_dt_consts[i].v,
		       (size_t)t->n * sizeof(double));
		lua_setfield(L, -2, rs_dt_consts[i].name);
	}
	lua_setglobal(L, t->name);
}

static int dt_typeof(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_pushstring(L, rs_typeof(L, 1));
	return 1;
}

void rs_datatypes_open(lua_State *L)
{
	for (int k = RS_DT_NONE + 1; k < RS_DT_KIND_MAX; k++)
		dt_register(L, k);
	for (int k = RS_DT_NONE + 1; k < RS_DT_KIND_MAX; k++)
		if (rs_dt_types[k]->statics)
			dt_open_statics(L, k);
	rs_dt_enums_open(L);
	lua_pushcfunction(L, dt_typeof);
	lua_setglobal(L, "typeof");
}

int rs_datatype_get(lua_State *L, int idx, rs_datatype *out)
{
	int k = dt_kind_at(L, idx);
	const rs_dt_type *t = dt_type(k);
	if (!t)
		return 0;
	memset(out, 0, sizeof *out);
	out->kind = (uint8_t)k;
	out->n = (uint8_t)t->n;
	memcpy(out->v, lua_touserdata(L, idx), (size_t)t->n * sizeof(double));
	return 1;
}

int rs_datatype_push(lua_State *L, const rs_datatype *d)
{
	const rs_dt_type *t = d ? dt_type(d->kind) : NULL;
	int e;
	if (!t || d->n != t->n || (t->valid && !t->valid(d->v)))
		return 0;
	if (d->kind == RS_DT_ENUMITEM)
		return dt_toint(d->v[0], &e) && rs_dt_enumitem_push(L, e, d->v[1]);
	memcpy(dt_new(L, d->kind), d->v, (size_t)t->n * sizeof(double));
	return 1;
}

/* The `__type` string lives in the metatable, which the registry keeps
 * alive, so the pointer outlives the pop. */
const char *rs_typeof(lua_State *L, int idx)
{
	const char *name = "userdata";
	idx = lua_absindex(L, idx);
	if (lua_type(L, idx) != LUA_TUSERDATA)
		return luaL_typename(L, idx);
	if (lua_getmetatable(L, idx)) {
		lua_pushliteral(L, "__type");
		if (lua_rawget(L, -2) == LUA_TSTRING)
			name = lua_tostring(L, -1);
		lua_pop(L, 2);
	}
	return name;
}
