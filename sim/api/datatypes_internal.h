/*
 * datatypes_internal -- what datatypes.c and enums.c share; not a public API.
 *
 * A datatype is a full userdata holding `n` doubles and nothing else; its
 * metatable says which kind it is (a private key) and what it is called
 * (`__type`, `__name`).  Each kind is described once by an rs_dt_type: its
 * read-only properties, its methods and its extra metamethods.  The generic
 * __index/__newindex/__eq/__tostring in datatypes.c work from that table, so
 * a type is data, not a chain of ifs.
 */
#ifndef RSIM_DATATYPES_INTERNAL_H
#define RSIM_DATATYPES_INTERNAL_H

#include <lua.h>
#include <lauxlib.h>

#include "rsim/datatypes.h"

/* A read-only property: pushes its value computed from the stored doubles. */
typedef struct rs_dt_prop {
	const char *name;
	void (*get)(lua_State *L, const double *v);
} rs_dt_prop;

typedef struct rs_dt_type {
	const char *name;       /* metatable name, __type, typeof() */
	int n;                  /* doubles stored in the userdata */
	const rs_dt_prop *props;    /* {NULL} terminated */
	const luaL_Reg *methods;    /* {NULL} terminated; light C functions */
	const luaL_Reg *meta;       /* arithmetic metamethods, or NULL */
	const luaL_Reg *statics;    /* the global table (Vector3.new...), or NULL */
	/* Appends the tostring() text; must only add to b (no other pushes). */
	void (*tostr)(luaL_Buffer *b, const double *v);
	/* Whether stored values are acceptable to rs_datatype_push; NULL = any. */
	int (*valid)(const double *v);
} rs_dt_type;

extern const rs_dt_type rs_dt_enumitem_type;

/* Creates the Enum/Enums metatables, the item cache and the `Enum` global.
 * Needs the EnumItem metatable to be registered already. */
void rs_dt_enums_open(lua_State *L);

/* Pushes the (cached, identity-stable) EnumItem of enum `e` with `value`;
 * returns 0 and pushes nothing when there is no such item. */
int rs_dt_enumitem_push(lua_State *L, int e, double value);

/* Reads an enum argument the way Roblox accepts one: an EnumItem of that
 * enum, its Name, or its Value.  Raises a Lua error otherwise. */
int rs_dt_check_enum(lua_State *L, int idx, const char *enum_name);

/* Appends a number formatted as Luau prints it. */
void rs_dt_addnum(luaL_Buffer *b, double x);

#endif
