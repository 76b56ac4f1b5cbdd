/*
 * datatypes -- Roblox value types inside a peer's VM: Vector3, Vector2,
 * Color3, CFrame, UDim, UDim2, BrickColor, NumberRange, Enum/EnumItem.
 *
 * Every value is an immutable full userdata holding an rs_datatype; its
 * metatable (one per type, registered with luaL_newmetatable under the type
 * name) carries `__type`, which typeof() reports.  The marshal layer copies
 * values across the wire through rs_datatype_get/rs_datatype_push without
 * knowing the types.  This module owns no instances and no network state.
 */
#ifndef RSIM_DATATYPES_H
#define RSIM_DATATYPES_H

#include <stdint.h>

#include <lua.h>

typedef enum rs_dt_kind {
	RS_DT_NONE = 0,
	RS_DT_VECTOR3,
	RS_DT_VECTOR2,
	RS_DT_COLOR3,
	RS_DT_CFRAME,
	RS_DT_UDIM,
	RS_DT_UDIM2,
	RS_DT_BRICKCOLOR,
	RS_DT_NUMBERRANGE,
	RS_DT_ENUMITEM,    /* v[0] = enum index, v[1] = item value */
	RS_DT_KIND_MAX
} rs_dt_kind;

#define RS_DT_MAXV 12

typedef struct rs_datatype {
	uint8_t kind;       /* rs_dt_kind */
	uint8_t n;          /* how many of v are meaningful */
	double v[RS_DT_MAXV];
} rs_datatype;

/* Registers the metatables and sets the globals (Vector3, Color3, ..., Enum,
 * typeof).  typeof reads `__type` from a userdata's metatable, so other
 * modules' userdata (Instance, RBXScriptSignal, ...) only need that field. */
void rs_datatypes_open(lua_State *L);

/* Has Enum.<enum_name> an item named `name` (when not NULL) or, else,
 * with `value`?  Needs no VM: a project's values are checked with it
 * when it loads. */
int rs_enum_has_item(const char *enum_name, const char *name, double value);

/* Copies the datatype at idx into *out; returns 0 if idx is not one. */
int rs_datatype_get(lua_State *L, int idx, rs_datatype *out);
/* Pushes a new value; returns 0 (pushing nothing) if d is malformed. */
int rs_datatype_push(lua_State *L, const rs_datatype *d);
/* The Roblox type name of the value at idx ("Vector3", "Instance",
 * "number", ...), as typeof() returns it. */
const char *rs_typeof(lua_State *L, int idx);

#endif
