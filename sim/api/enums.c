/*
 * enums -- the `Enum` global: Enum (typeof "Enums"), Enum.Material
 * (typeof "Enum") and Enum.Material.Plastic (typeof "EnumItem").
 *
 * The enums are a static table of a few engine enums with their real item
 * values.  Scripts compare items with == and use them as table keys, so
 * within one VM an item must always be the same userdata: every Enum and
 * EnumItem is created on first use and kept in a weak-valued registry
 * table.  Weak is enough: identity is only observable while someone holds
 * a reference, and lazy creation keeps an idle VM from paying for the ~300
 * items it never reads.
 *
 * An EnumItem is an ordinary datatype (kind RS_DT_ENUMITEM, v[0] = index of
 * its enum in rs_dt_enums, v[1] = value), so the generic property and
 * tostring machinery of datatypes.c serves it.
 */
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "rsim/core.h"
#include "rsim/datatypes.h"
#include "datatypes_internal.h"

typedef struct rs_dt_enum_item {
	const char *name;
	int value;
} rs_dt_enum_item;

typedef struct rs_dt_enum {
	const char *name;
	const rs_dt_enum_item *items;
	int nitems;
} rs_dt_enum;

/* ---- the data (values from the Roblox engine API reference) ---- */

static const rs_dt_enum_item axis_items[] = {
	{ "X", 0 }, { "Y", 1 }, { "Z", 2 },
};

static const rs_dt_enum_item easingdirection_items[] = {
	{ "In", 0 }, { "Out", 1 }, { "InOut", 2 },
};

static const rs_dt_enum_item easingstyle_items[] = {
	{ "Linear", 0 }, { "Sine", 1 }, { "Back", 2 }, { "Quad", 3 },
	{ "Quart", 4 }, { "Quint", 5 }, { "Bounce", 6 }, { "Elastic", 7 },
	{ "Exponential", 8 }, { "Circular", 9 }, { "Cubic", 10 },
};

static const rs_dt_enum_item humanoidrigtype_items[] = {
	{ "R6", 0 }, { "R15", 1 },
};

static const rs_dt_enum_item humanoidstatetype_items[] = {
	{ "FallingDown", 0 }, { "Ragdoll", 1 }, { "GettingUp", 2 },
	{ "Jumping", 3 }, { "Swimming", 4 }, { "Freefall", 5 }, { "Flying", 6 },
	{ "Landed", 7 }, { "Running", 8 }, { "RunningNoPhysics", 10 },
	{ "StrafingNoPhysics", 11 }, { "Climbing", 12 }, { "Seated", 13 },
	{ "PlatformStanding", 14 }, { "Dead", 15 }, { "Physics", 16 },
	{ "None", 18 },
};

static const rs_dt_enum_item keycode_items[] = {
	{ "Unknown", 0 }, { "Backspace", 8 }, { "Tab", 9 }, { "Clear", 12 },
	{ "Return", 13 }, { "Pause", 19 }, { "Escape", 27 }, { "Space", 32 },
	{ "QuotedDouble", 34 }, { "Hash", 35 }, { "Dollar", 36 },
	{ "Percent", 37 }, { "Ampersand", 38 }, { "Quote", 39 },
	{ "LeftParenthesis", 40 }, { "RightParenthesis", 41 }, { "Asterisk", 42 },
	{ "Plus", 43 }, { "Comma", 44 }, { "Minus", 45 }, { "Period", 46 },
	{ "Slash", 47 }, { "Zero", 48 }, { "One", 49 }, { "Two", 50 },
	{ "Three", 51 }, { "Four", 52 }, { "Five", 53 }, { "Six", 54 },
	{ "Seven", 55 }, { "Eight", 56 }, { "Nine", 57 }, { "Colon", 58 },
	{ "Semicolon", 59 }, { "LessThan", 60 }, { "Equals", 61 },
	{ "GreaterThan", 62 }, { "Question", 63 }, { "At", 64 },
	{ "LeftBracket", 91 }, { "BackSlash", 92 }, { "RightBracket", 93 },
	{ "Caret", 94 }, { "Underscore", 95 }, { "Backquote", 96 },
	{ "A", 97 }, { "B", 98 }, { "C", 99 }, { "D", 100 }, { "E", 101 },
	{ "F", 102 }, { "G", 103 }, { "H", 104 }, { "I", 105 }, { "J", 106 },
	{ "K", 107 }, { "L", 108 }, { "M", 109 }, { "N", 110 }, { "O", 111 },
	{ "P", 112 }, { "Q", 113 }, { "R", 114 }, { "S", 115 }, { "T", 116 },
	{ "U", 117 }, { "V", 118 }, { "W", 119 }, { "X", 120 }, { "Y", 121 },
	{ "Z", 122 }, { "LeftCurly", 123 }, { "Pipe", 124 },
	{ "RightCurly", 125 }, { "Tilde", 126 }, { "Delete", 127 },
	{ "KeypadZero", 256 }, { "KeypadOne", 257 }, { "KeypadTwo", 258 },
	{ "KeypadThree", 259 }, { "KeypadFour", 260 }, { "KeypadFive", 261 },
	{ "KeypadSix", 262 }, { "KeypadSeven", 263 }, { "KeypadEight", 264 },
	{ "KeypadNine", 265 }, { "KeypadPeriod", 266 }, { "KeypadDivide", 267 },
	{ "KeypadMultiply", 268 }, { "KeypadMinus", 269 }, { "KeypadPlus", 270 },
	{ "KeypadEnter", 271 }, { "KeypadEquals", 272 }, { "Up", 273 },
	{ "Down", 274 }, { "Right", 275 }, { "Left", 276 }, { "Insert", 277 },
	{ "Home", 278 }, { "End", 279 }, { "PageUp", 280 }, { "PageDown", 281 },
	{ "F1", 282 }, { "F2", 283 }, { "F3", 284 }, { "F4", 285 },
	{ "F5", 286 }, { "F6", 287 }, { "F7", 288 }, { "F8", 289 },
	{ "F9", 290 }, { "F10", 291 }, { "F11", 292 }, { "F12", 293 },
	{ "F13", 294 }, { "F14", 295 }, { "F15", 296 }, { "NumLock", 300 },
	{ "CapsLock", 301 }, { "ScrollLock", 302 }, { "RightShift", 303 },
	{ "LeftShift", 304 }, { "RightControl", 305 }, { "LeftControl", 306 },
	{ "RightAlt", 307 }, { "LeftAlt", 308 }, { "RightMeta", 309 },
	{ "LeftMeta", 310 }, { "LeftSuper", 311 }, { "RightSuper", 312 },
	{ "Mode", 313 }, { "Compose", 314 }, { "Help", 315 }, { "Print", 316 },
	{ "SysReq", 317 }, { "Break", 318 }, { "Menu", 319 }, { "Power", 320 },
	{ "Euro", 321 }, { "Undo", 322 }, { "ButtonX", 1000 },
	{ "ButtonY", 1001 }, { "ButtonA", 1002 }, { "ButtonB", 1003 },
	{ "ButtonR1", 1004 }, { "ButtonL1", 1005 }, { "ButtonR2", 1006 },
	{ "ButtonL2", 1007 }, { "ButtonR3", 1008 }, { "ButtonL3", 1009 },
	{ "ButtonStart", 1010 }, { "ButtonSelect", 1011 }, { "DPadLeft", 1012 },
	{ "DPadRight", 1013 }, { "DPadUp", 1014 }, { "DPadDown", 1015 },
	{ "Thumbstick1", 1016 }, { "Thumbstick2", 1017 },
};

static const rs_dt_enum_item material_items[] = {
	{ "Plastic", 256 }, { "SmoothPlastic", 272 }, { "Neon", 288 },
	{ "Wood", 512 }, { "WoodPlanks", 528 }, { "Marble", 784 },
	{ "Basalt", 788 }, { "Slate", 800 }, { "CrackedLava", 804 },
	{ "Concrete", 816 }, { "Limestone", 820 }, { "Granite", 832 },
	{ "Pavement", 836 }, { "Brick", 848 }, { "Pebble", 864 },
	{ "Cobblestone", 880 }, { "Rock", 896 }, { "Sandstone", 912 },
	{ "CorrodedMetal", 1040 }, { "DiamondPlate", 1056 }, { "Foil", 1072 },
	{ "Metal", 1088 }, { "Grass", 1280 }, { "LeafyGrass", 1284 },
	{ "Sand", 1296 }, { "Fabric", 1312 }, { "Snow", 1328 }, { "Mud", 1344 },
	{ "Ground", 1360 }, { "Asphalt", 1376 }, { "Salt", 1392 },
	{ "Ice", 1536 }, { "Glacier", 1552 }, { "Glass", 1568 },
	{ "ForceField", 1584 }, { "Air", 1792 }, { "Water", 2048 },
	{ "Cardboard", 2304 }, { "Carpet", 2305 }, { "CeramicTiles", 2306 },
	{ "ClayRoofTiles", 2307 }, { "RoofShingles", 2308 }, { "Leather", 2309 },
	{ "Plaster", 2310 }, { "Rubber", 2311 },
};

static const rs_dt_enum_item messagetype_items[] = {
	{ "MessageOutput", 0 }, { "MessageInfo", 1 }, { "MessageWarning", 2 },
	{ "MessageError", 3 },
};

static const rs_dt_enum_item normalid_items[] = {
	{ "Right", 0 }, { "Top", 1 }, { "Back", 2 }, { "Left", 3 },
	{ "Bottom", 4 }, { "Front", 5 },
};

static const rs_dt_enum_item parttype_items[] = {
	{ "Ball", 0 }, { "Block", 1 }, { "Cylinder", 2 }, { "Wedge", 3 },
	{ "CornerWedge", 4 },
};

static const rs_dt_enum_item runcontext_items[] = {
	{ "Legacy", 0 }, { "Server", 1 }, { "Client", 2 }, { "Plugin", 3 },
};

static const rs_dt_enum_item sortorder_items[] = {
	{ "Name", 0 }, { "Custom", 1 }, { "LayoutOrder", 2 },
};

static const rs_dt_enum_item technology_items[] = {
	{ "Legacy", 0 }, { "Voxel", 1 }, { "Compatibility", 2 },
	{ "ShadowMap", 3 }, { "Future", 4 }, { "Unified", 5 },
};

static const rs_dt_enum_item userinputstate_items[] = {
	{ "Begin", 0 }, { "Change", 1 }, { "End", 2 }, { "Cancel", 3 },
	{ "None", 4 },
};

static const rs_dt_enum_item userinputtype_items[] = {
	{ "MouseButton1", 0 }, { "MouseButton2", 1 }, { "MouseButton3", 2 },
	{ "MouseWheel", 3 }, { "MouseMovement", 4 }, { "Touch", 7 },
	{ "Keyboard", 8 }, { "Focus", 9 }, { "Accelerometer", 10 },
	{ "Gyro", 11 }, { "Gamepad1", 12 }, { "Gamepad2", 13 },
	{ "Gamepad3", 14 }, { "Gamepad4", 15 }, { "Gamepad5", 16 },
	{ "Gamepad6", 17 }, { "Gamepad7", 18 }, { "Gamepad8", 19 },
	{ "TextInput", 20 }, { "InputMethod", 21 }, { "None", 22 },
};

#define RS_DT_ENUM(name, items) \
	{ name, items, (int)(sizeof items / sizeof items[0]) }

/* Sorted by name, so Enum:GetEnums() has a fixed order.  The index of an
 * enum here is what goes on the wire: append new enums only at the end of
 * a release, or peers built from different versions disagree. */
static const rs_dt_enum rs_dt_enums[] = {
	RS_DT_ENUM("Axis", axis_items),
	RS_DT_ENUM("EasingDirection", easingdirection_items),
	RS_DT_ENUM("EasingStyle", easingstyle_items),
	RS_DT_ENUM("HumanoidRigType", humanoidrigtype_items),
	RS_DT_ENUM("HumanoidStateType", humanoidstatetype_items),
	RS_DT_ENUM("KeyCode", keycode_items),
	RS_DT_ENUM("Material", material_items),
	RS_DT_ENUM("MessageType", messagetype_items),
	RS_DT_ENUM("NormalId", normalid_items),
	RS_DT_ENUM("PartType", parttype_items),
	RS_DT_ENUM("RunContext", runcontext_items),
	RS_DT_ENUM("SortOrder", sortorder_items),
	RS_DT_ENUM("Technology", technology_items),
	RS_DT_ENUM("UserInputState", userinputstate_items),
	RS_DT_ENUM("UserInputType", userinputtype_items),
};

#define RS_DT_NENUMS ((int)(sizeof rs_dt_enums / sizeof rs_dt_enums[0]))

/* Cache keys: an Enum is -(e + 1); an item is e * RS_DT_ITEMS_MAX + i + 1. */
#define RS_DT_ITEMS_MAX 4096

static const char rs_dt_cache_key = 'c';

#define MT_ENUM "Enum"
#define MT_ENUMS "Enums"

/* ---- lookups ---- */

static int enum_by_name(const char *name)
{
	for (int e = 0; e < RS_DT_NENUMS; e++)
		if (strcmp(rs_dt_enums[e].name, name) == 0)
			return e;
	return -1;
}

static int item_by_name(int e, const char *name)
{
	for (int i = 0; i < rs_dt_enums[e].nitems; i++)
		if (rs_dt_enums[e].items[i].name[0] == name[0] &&
		    strcmp(rs_dt_enums[e].items[i].name, name) == 0)
			return i;
	return -1;
}

static int item_by_value(int e, double value)
{
	if (e < 0 || e >= RS_DT_NENUMS)
		return -1;
	for (int i = 0; i < rs_dt_enums[e].nitems; i++)
		if (rs_dt_enums[e].items[i].value == value)
			return i;
	return -1;
}

int rs_enum_has_item(const char *enum_name, const char *name, double value)
{
	int e = enum_by_name(enum_name);
	if (e < 0)
		return 0;
	return name ? item_by_name(e, name) >= 0 : item_by_value(e, value) >= 0;
}

/* The enum a stored double names, or -1; a loop rather than a cast, since
 * converting an out-of-range double to int is UB. */
static int enum_of(double x)
{
	for (int e = 0; e < RS_DT_NENUMS; e++)
		if (x == e)
			return e;
	return -1;
}

/* The item an EnumItem's doubles name.  Items only come from push_item, so
 * the lookups cannot fail for a value that reached Lua. */
static const rs_dt_enum_item *item_of(const double *v, int *out_e)
{
	int e = enum_of(v[0]), i;
	const rs_dt_enum *en = &rs_dt_enums[e < 0 ? 0 : e];
	i = item_by_value(e, v[1]);
	*out_e = e < 0 ? 0 : e;
	return &en->items[i < 0 ? 0 : i];
}

/* ---- the identity cache ---- */

/* Pushes the cached object for key, or nothing and returns 0. */
static int cache_get(lua_State *L, lua_Integer key)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &rs_dt_cache_key);
	if (lua_rawgeti(L, -1, key) != LUA_TNIL) {
		lua_remove(L, -2);
		return 1;
	}
	lua_pop(L, 2);
	return 0;
}

/* Stores the value on top of the stack under key, leaving it there. */
static void cache_put(lua_State *L, lua_Integer key)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &rs_dt_cache_key);
	lua_pushvalue(L, -2);
	lua_rawseti(L, -2, key);
	lua_pop(L, 1);
}

static void push_enum(lua_State *L, int e)
{
	lua_Integer key = -(lua_Integer)e - 1;
	if (cache_get(L, key))
		return;
	*(int *)lua_newuserdatauv(L, sizeof(int), 0) = e;
	luaL_setmetatable(L, MT_ENUM);
	cache_put(L, key);
}

static void push_item(lua_State *L, int e, int i)
{
	lua_Integer key = (lua_Integer)e * RS_DT_ITEMS_MAX + i + 1;
	double *v;
	if (cache_get(L, key))
		return;
	v = lua_newuserdatauv(L, 2 * sizeof(double), 0);
	v[0] = e;
	v[1] = rs_dt_enums[e].items[i].value;
	luaL_setmetatable(L, rs_dt_enumitem_type.name);
	cache_put(L, key);
}

int rs_dt_enumitem_push(lua_State *L, int e, double value)
{
	int i = item_by_value(e, value);
	if (i < 0)
		return 0;
	push_item(L, e, i);
	return 1;
}

/* ---- EnumItem (through the generic datatype machinery) ---- */

static void get_item_name(lua_State *L, const double *v)
{
	int e;
	lua_pushstring(L, item_of(v, &e)->name);
}

static void get_item_value(lua_State *L, const double *v)
{
	int e;
	lua_pushinteger(L, item_of(v, &e)->value);
}

static void get_item_enumtype(lua_State *L, const double *v)
{
	int e;
	item_of(v, &e);
	push_enum(L, e);
}

static int item_m_isa(lua_State *L)
{
	const double *v = luaL_checkudata(L, 1, rs_dt_enumitem_type.name);
	const char *name = luaL_checkstring(L, 2);
	int e;
	item_of(v, &e);
	lua_pushboolean(L, strcmp(rs_dt_enums[e].name, name) == 0);
	return 1;
}

static void tostr_item(luaL_Buffer *b, const double *v)
{
	int e;
	const rs_dt_enum_item *it = item_of(v, &e);
	luaL_addstring(b, "Enum.");
	luaL_addstring(b, rs_dt_enums[e].name);
	luaL_addchar(b, '.');
	luaL_addstring(b, it->name);
}

static int item_valid(const double *v)
{
	return item_by_value(enum_of(v[0]), v[1]) >= 0;
}

static const rs_dt_prop item_props[] = {
	{ "Name", get_item_name }, { "Value", get_item_value },
	{ "EnumType", get_item_enumtype }, { NULL, NULL }
};

static const luaL_Reg item_methods[] = { { "IsA", item_m_isa }, { NULL, NULL } };

const rs_dt_type rs_dt_enumitem_type = {
	"EnumItem", 2, item_props, item_methods, NULL, NULL, tostr_item,
	item_valid
};

/* ---- Enum (one enum type: Enum.Material) ---- */

static int enum_self(lua_State *L)
{
	return *(const int *)luaL_checkudata(L, 1, MT_ENUM);
}

static int enum_m_getitems(lua_State *L)
{
	int e = enum_self(L);
	lua_createtable(L, rs_dt_enums[e].nitems, 0);
	for (int i = 0; i < rs_dt_enums[e].nitems; i++) {
		push_item(L, e, i);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

static int enum_m_fromname(lua_State *L)
{
	int e = enum_self(L), i = item_by_name(e, luaL_checkstring(L, 2));
	if (i < 0)
		lua_pushnil(L);
	else
		push_item(L, e, i);
	return 1;
}

static int enum_m_fromvalue(lua_State *L)
{
	int e = enum_self(L), i = item_by_value(e, luaL_checknumber(L, 2));
	if (i < 0)
		lua_pushnil(L);
	else
		push_item(L, e, i);
	return 1;
}

static const luaL_Reg enum_methods[] = {
	{ "GetEnumItems", enum_m_getitems }, { "FromName", enum_m_fromname },
	{ "FromValue", enum_m_fromvalue }, { NULL, NULL }
};

static lua_CFunction find_method(const luaL_Reg *m, const char *key)
{
	for (; m->name; m++)
		if (strcmp(m->name, key) == 0)
			return m->func;
	return NULL;
}

static int enum_index(lua_State *L)
{
	int e = enum_self(L), i = -1;
	const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
	lua_CFunction f;
	if (key && (i = item_by_name(e, key)) >= 0) {
		push_item(L, e, i);
		return 1;
	}
	if (key && (f = find_method(enum_methods, key))) {
		lua_pushcfunction(L, f);
		return 1;
	}
	return luaL_error(L, "%s is not a valid member of \"Enum.%s\"",
	                  luaL_tolstring(L, 2, NULL), rs_dt_enums[e].name);
}

static int enum_tostring(lua_State *L)
{
	lua_pushstring(L, rs_dt_enums[enum_self(L)].name);
	return 1;
}

/* ---- Enums (the `Enum` global itself) ---- */

static int enums_m_getenums(lua_State *L)
{
	luaL_checkudata(L, 1, MT_ENUMS);
	lua_createtable(L, RS_DT_NENUMS, 0);
	for (int e = 0; e < RS_DT_NENUMS; e++) {
		push_enum(L, e);
		lua_rawseti(L, -2, e + 1);
	}
	return 1;
}

static int enums_index(lua_State *L)
{
	const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
	int e = key ? enum_by_name(key) : -1;
	if (e >= 0) {
		push_enum(L, e);
		return 1;
	}
	if (key && strcmp(key, "GetEnums") == 0) {
		lua_pushcfunction(L, enums_m_getenums);
		return 1;
	}
	return luaL_error(L, "%s is not a valid member of \"Enum\"",
	                  luaL_tolstring(L, 2, NULL));
}

static int enums_tostring(lua_State *L)
{
	lua_pushliteral(L, "Enums");
	return 1;
}

static int enum_newindex(lua_State *L)
{
	return luaL_error(L, "%s cannot be assigned to", luaL_tolstring(L, 2, NULL));
}

static void new_locked_mt(lua_State *L, const char *name, lua_CFunction index,
                          lua_CFunction tostr)
{
	luaL_newmetatable(L, name);
	lua_pushstring(L, name);
	lua_setfield(L, -2, "__type");
	lua_pushliteral(L, "The metatable is locked");
	lua_setfield(L, -2, "__metatable");
	lua_pushcfunction(L, index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, enum_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, tostr);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
}

void rs_dt_enums_open(lua_State *L)
{
	new_locked_mt(L, MT_ENUM, enum_index, enum_tostring);
	new_locked_mt(L, MT_ENUMS, enums_index, enums_tostring);
	lua_newtable(L);
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "v");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &rs_dt_cache_key);
	lua_newuserdatauv(L, 1, 0);
	luaL_setmetatable(L, MT_ENUMS);
	lua_setglobal(L, "Enum");
}

/* Roblox accepts an EnumItem, its name or its value wherever an enum is
 * expected; returns the item's value. */
int rs_dt_check_enum(lua_State *L, int idx, const char *enum_name)
{
	int e = enum_by_name(enum_name), i = -1;
	const double *v = luaL_testudata(L, idx, rs_dt_enumitem_type.name);
	if (e < 0)
		return luaL_error(L, "unknown enum %s", enum_name);
	if (v && v[0] == e)
		i = item_by_value(e, v[1]);
	else if (lua_type(L, idx) == LUA_TNUMBER)
		i = item_by_value(e, lua_tonumber(L, idx));
	else if (lua_type(L, idx) == LUA_TSTRING)
		i = item_by_name(e, lua_tostring(L, idx));
	if (i < 0) {
		lua_pushfstring(L, "Enum.%s expected, got %s", enum_name,
		                rs_typeof(L, idx));
		return luaL_argerror(L, idx, lua_tostring(L, -1));
	}
	return rs_dt_enums[e].items[i].value;
}
