/*
 * classes.c -- the table of Roblox classes rsim knows: their superclass,
 * properties, events and whether scripts may create them.
 *
 * Data over branching: everything a class is lives in its row; the code in
 * instance.c reads rows and never tests class names except where Roblox
 * itself special-cases a class.  Properties are flattened into slots at
 * start-up (inherited first), so a property read is an array index.
 */
#include "api_internal.h"

#include <stdlib.h>
#include <string.h>

#define V(t) RS_V_##t
#define DT(k) RS_V_DT, RS_DT_##k

/* ---- virtual properties ---- */

static int slot_of(rs_inst *i, const char *name)
{
	return rs_class_slot(i->cls, name);
}

/* Part.Position reads and writes the translation of CFrame. */
static void get_position(lua_State *L, rs_inst *i)
{
	const rs_value *cf = &i->props[slot_of(i, "CFrame")];
	rs_datatype d = { .kind = RS_DT_VECTOR3, .n = 3 };
	if (cf->type == RS_V_DT)
		memcpy(d.v, cf->u.dt->v, 3 * sizeof *d.v);
	rs_datatype_push(L, &d);
}

static void set_position(lua_State *L, rs_inst *i, int idx)
{
	rs_datatype p;
	rs_datatype_get(L, idx, &p);
	int slot = slot_of(i, "CFrame");
	rs_datatype cf = *i->props[slot].u.dt;
	memcpy(cf.v, p.v, 3 * sizeof *cf.v);
	rs_value v = { .type = RS_V_DT, .u.dt = &cf };
	rs_inst_store(i, slot, &v);
	lua_pushliteral(L, "Position");
	rs_inst_fire(i, "Changed", L, 1);
}

/* BrickColor reads the nearest palette colour of Color and writes Color. */
static void get_brickcolor(lua_State *L, rs_inst *i)
{
	lua_getglobal(L, "BrickColor");
	lua_getfield(L, -1, "new");
	rs_value_push(L, &i->props[slot_of(i, "Color")]);
	lua_call(L, 1, 1);
	lua_remove(L, -2);
}

static void set_brickcolor(lua_State *L, rs_inst *i, int idx)
{
	lua_getfield(L, idx, "Color");
	rs_datatype c;
	rs_datatype_get(L, -1, &c);
	lua_pop(L, 1);
	rs_value v = { .type = RS_V_DT, .u.dt = &c };
	rs_inst_store(i, slot_of(i, "Color"), &v);
}

/* BaseScript.Enabled is the opposite of Disabled, one stored value. */
static void get_enabled(lua_State *L, rs_inst *i)
{
	lua_pushboolean(L, !i->props[slot_of(i, "Disabled")].u.b);
}

static void set_enabled(lua_State *L, rs_inst *i, int idx)
{
	rs_value v = { .type = RS_V_BOOL, .u.b = !lua_toboolean(L, idx) };
	rs_inst_store(i, slot_of(i, "Disabled"), &v);
}

/* Players.LocalPlayer: the client's own Player, nil on the server. */
static void get_local_player(lua_State *L, rs_inst *i)
{
	rs_inst_push(L, i->w->local_player);
}

/* ---- the rows ---- */

static const rs_prop instance_props[] = {
	{ "Archivable", V(BOOL), 0, RS_P_LOCAL, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};
static const char *const instance_events[] = {
	"ChildAdded", "ChildRemoved", "DescendantAdded", "DescendantRemoving",
	"Destroying", "AncestryChanged", "Changed", "AttributeChanged", NULL
};

static const rs_prop part_props[] = {
	{ "CFrame", DT(CFRAME), 0, NULL, NULL, NULL },
	{ "Size", DT(VECTOR3), 0, NULL, NULL, NULL },
	{ "Color", DT(COLOR3), 0, NULL, NULL, NULL },
	{ "Anchored", V(BOOL), 0, 0, NULL, NULL, NULL },
	{ "Locked", V(BOOL), 0, 0, NULL, NULL, NULL },
	{ "CanCollide", V(BOOL), 0, 0, NULL, NULL, NULL },
	{ "Transparency", V(NUM), 0, 0, NULL, NULL, NULL },
	{ "Material", DT(ENUMITEM), 0, "Material", NULL, NULL },
	{ "Position", DT(VECTOR3), 0, NULL, get_position, set_position },
	{ "BrickColor", DT(BRICKCOLOR), 0, NULL, get_brickcolor,
	  set_brickcolor },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};
static const char *const part_events[] = { "Touched", "TouchEnded", NULL };

static const rs_prop model_props[] = {
	{ "PrimaryPart", V(REF), 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const rs_prop players_props[] = {
	{ "MaxPlayers", V(NUM), 0, RS_P_READONLY, NULL, NULL, NULL },
	{ "RespawnTime", V(NUM), 0, 0, NULL, NULL, NULL },
	{ "LocalPlayer", V(REF), 0, RS_P_READONLY | RS_P_LOCAL, NULL,
	  get_local_player, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};
static const char *const players_events[] = {
	"PlayerAdded", "PlayerRemoving", NULL
};

static const rs_prop player_props[] = {
	{ "UserId", V(NUM), 0, RS_P_READONLY, NULL, NULL, NULL },
	{ "DisplayName", V(STR), 0, 0, NULL, NULL, NULL },
	{ "AccountAge", V(NUM), 0, RS_P_READONLY, NULL, NULL, NULL },
	{ "Character", V(REF), 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};
static const char *const player_events[] = {
	"CharacterAdded", "CharacterRemoving", NULL
};

static const char *const remote_events[] = {
	"OnServerEvent", "OnClientEvent", NULL
};
static const rs_prop remotefn_props[] = {
	{ "OnServerInvoke", V(FN), 0, RS_P_CALLBACK | RS_P_LOCAL | RS_P_SERVER,
	  NULL, NULL, NULL },
	{ "OnClientInvoke", V(FN), 0, RS_P_CALLBACK | RS_P_LOCAL | RS_P_CLIENT,
	  NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};
static const char *const bindable_events[] = { "Event", NULL };
static const rs_prop bindablefn_props[] = {
	{ "OnInvoke", V(FN), 0, RS_P_CALLBACK | RS_P_LOCAL, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const rs_prop script_props[] = {
	{ "Disabled", V(BOOL), 0, 0, NULL, NULL, NULL },
	{ "Enabled", V(BOOL), 0, 0, NULL, get_enabled, set_enabled },
	{ "RunContext", DT(ENUMITEM), 0, "RunContext", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const char *const runservice_events[] = {
	"Heartbeat", "Stepped", "RenderStepped", "PreSimulation",
	"PostSimulation", NULL
};

static const char *const datamodel_events[] = { "Loaded", NULL };

/* Only Studio's settings may turn it on: scripts read false. */
static const rs_prop httpservice_props[] = {
	{ "HttpEnabled", V(BOOL), 0, RS_P_READONLY | RS_P_LOCAL, NULL, NULL,
	  NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const rs_prop workspace_props[] = {
	{ "Gravity", V(NUM), 0, 0, NULL, NULL, NULL },
	{ "FilteringEnabled", V(BOOL), 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

/* What Rojo's place template sets; rsim renders nothing, so they are
 * stored values only. */
static const rs_prop lighting_props[] = {
	{ "Ambient", DT(COLOR3), 0, NULL, NULL, NULL },
	{ "OutdoorAmbient", DT(COLOR3), 0, NULL, NULL, NULL },
	{ "Brightness", V(NUM), 0, 0, NULL, NULL, NULL },
	{ "ClockTime", V(NUM), 0, 0, NULL, NULL, NULL },
	{ "GlobalShadows", V(BOOL), 0, 0, NULL, NULL, NULL },
	{ "Outlines", V(BOOL), 0, 0, NULL, NULL, NULL },
	{ "Technology", DT(ENUMITEM), 0, "Technology", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const rs_prop soundservice_props[] = {
	{ "RespectFilteringEnabled", V(BOOL), 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const rs_prop screengui_props[] = {
	{ "Enabled", V(BOOL), 0, 0, NULL, NULL, NULL },
	{ "ResetOnSpawn", V(BOOL), 0, 0, NULL, NULL, NULL },
	{ "IgnoreGuiInset", V(BOOL), 0, 0, NULL, NULL, NULL },
	{ "DisplayOrder", V(NUM), 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

#define VALUE_PROPS(name, t) \
	static const rs_prop name[] = { \
		{ "Value", t, 0, 0, NULL, NULL, NULL }, \
		{ NULL, 0, 0, 0, NULL, NULL, NULL } \
	}
VALUE_PROPS(string_value_props, V(STR));
VALUE_PROPS(number_value_props, V(NUM));
VALUE_PROPS(bool_value_props, V(BOOL));
VALUE_PROPS(object_value_props, V(REF));
static const rs_prop vector3_value_props[] = {
	{ "Value", DT(VECTOR3), 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

/* name, super, creatable, service, replicates, properties, events */
#define CLASS(n, s, c, sv, r, p, e) \
	{ .name = n, .super_name = s, .creatable = c, .service = sv, \
	  .replicates = r, .props = p, .events = e }

static rs_class classes[] = {
	CLASS("Instance", NULL, 0, 0, 0, instance_props, instance_events),
	CLASS("DataModel", "Instance", 0, 0, 0, NULL, datamodel_events),
	CLASS("Workspace", "Model", 0, 1, 1, workspace_props, NULL),
	CLASS("ReplicatedStorage", "Instance", 0, 1, 1, NULL, NULL),
	CLASS("ReplicatedFirst", "Instance", 0, 1, 1, NULL, NULL),
	CLASS("Lighting", "Instance", 0, 1, 1, lighting_props, NULL),
	CLASS("StarterGui", "Instance", 0, 1, 1, NULL, NULL),
	CLASS("StarterPack", "Instance", 0, 1, 1, NULL, NULL),
	CLASS("StarterPlayer", "Instance", 0, 1, 1, NULL, NULL),
	CLASS("Teams", "Instance", 0, 1, 1, NULL, NULL),
	CLASS("SoundService", "Instance", 0, 1, 1, soundservice_props, NULL),
	CLASS("Chat", "Instance", 0, 1, 1, NULL, NULL),
	CLASS("Players", "Instance", 0, 1, 1, players_props, players_events),
	CLASS("ServerStorage", "Instance", 0, 1, 0, NULL, NULL),
	CLASS("ServerScriptService", "Instance", 0, 1, 0, NULL, NULL),
	CLASS("RunService", "Instance", 0, 1, 0, NULL, runservice_events),
	CLASS("HttpService", "Instance", 0, 1, 0, httpservice_props, NULL),
	CLASS("CollectionService", "Instance", 0, 1, 0, NULL, NULL),
	CLASS("MessagingService", "Instance", 0, 1, 0, NULL, NULL),
	CLASS("StarterPlayerScripts", "Instance", 0, 0, 0, NULL, NULL),
	CLASS("StarterCharacterScripts", "Instance", 0, 0, 0, NULL, NULL),
	CLASS("PlayerScripts", "Instance", 0, 0, 0, NULL, NULL),
	CLASS("Backpack", "Instance", 1, 0, 0, NULL, NULL),
	CLASS("PlayerGui", "Instance", 0, 0, 0, NULL, NULL),
	CLASS("Player", "Instance", 0, 0, 0, player_props, player_events),
	CLASS("Folder", "Instance", 1, 0, 0, NULL, NULL),
	CLASS("Configuration", "Instance", 1, 0, 0, NULL, NULL),
	CLASS("PVInstance", "Instance", 0, 0, 0, NULL, NULL),
	CLASS("Model", "PVInstance", 1, 0, 0, model_props, NULL),
	CLASS("BasePart", "PVInstance", 0, 0, 0, part_props, part_events),
	CLASS("Part", "BasePart", 1, 0, 0, NULL, NULL),
	CLASS("WedgePart", "BasePart", 1, 0, 0, NULL, NULL),
	CLASS("MeshPart", "BasePart", 1, 0, 0, NULL, NULL),
	CLASS("SpawnLocation", "Part", 1, 0, 0, NULL, NULL),
	CLASS("BaseRemoteEvent", "Instance", 0, 0, 0, NULL, remote_events),
	CLASS("RemoteEvent", "BaseRemoteEvent", 1, 0, 0, NULL, NULL),
	CLASS("UnreliableRemoteEvent", "BaseRemoteEvent", 1, 0, 0, NULL, NULL),
	CLASS("RemoteFunction", "Instance", 1, 0, 0, remotefn_props, NULL),
	CLASS("BindableEvent", "Instance", 1, 0, 0, NULL, bindable_events),
	CLASS("BindableFunction", "Instance", 1, 0, 0, bindablefn_props, NULL),
	CLASS("LuaSourceContainer", "Instance", 0, 0, 0, NULL, NULL),
	CLASS("BaseScript", "LuaSourceContainer", 0, 0, 0, script_props, NULL),
	CLASS("Script", "BaseScript", 1, 0, 0, NULL, NULL),
	CLASS("LocalScript", "Script", 1, 0, 0, NULL, NULL),
	CLASS("ModuleScript", "LuaSourceContainer", 1, 0, 0, NULL, NULL),
	CLASS("ValueBase", "Instance", 0, 0, 0, NULL, NULL),
	CLASS("StringValue", "ValueBase", 1, 0, 0, string_value_props, NULL),
	CLASS("NumberValue", "ValueBase", 1, 0, 0, number_value_props, NULL),
	CLASS("IntValue", "ValueBase", 1, 0, 0, number_value_props, NULL),
	CLASS("BoolValue", "ValueBase", 1, 0, 0, bool_value_props, NULL),
	CLASS("ObjectValue", "ValueBase", 1, 0, 0, object_value_props, NULL),
	CLASS("Vector3Value", "ValueBase", 1, 0, 0, vector3_value_props, NULL),
	CLASS("ScreenGui", "Instance", 1, 0, 0, screengui_props, NULL),
};

#define NCLASSES ((int)(sizeof classes / sizeof *classes))

static int resolved;

/* Links each row to its superclass and lays out its slots: inherited
 * properties first, in the order of the rows. */
static void resolve(void)
{
	if (resolved)
		return;
	resolved = 1; /* rs_class_find below needs no slots */
	for (int i = 0; i < NCLASSES; i++) {
		rs_class *c = &classes[i];
		c->index = i;
		c->super = c->super_name ? rs_class_find(c->super_name) : NULL;
	}
	for (int i = 0; i < NCLASSES; i++) {
		rs_class *c = &classes[i];
		int n = 0;
		for (const rs_class *k = c; k; k = k->super)
			for (const rs_prop *p = k->props; p && p->name; p++)
				n++;
		c->slots = calloc((size_t)n + 1, sizeof *c->slots);
		if (c->slots == NULL)
			abort();
		/* walk from the root down so inherited slots come first */
		const rs_class *chain[16];
		int depth = 0;
		for (const rs_class *k = c; k && depth < 16; k = k->super)
			chain[depth++] = k;
		int s = 0;
		while (depth-- > 0)
			for (const rs_prop *p = chain[depth]->props; p && p->name;
			     p++)
				c->slots[s++] = p;
		c->nslots = s;
	}
}

const rs_class *rs_class_find(const char *name)
{
	resolve(); /* a project is checked before any world exists */
	for (int i = 0; i < NCLASSES; i++)
		if (strcmp(classes[i].name, name) == 0)
			return &classes[i];
	return NULL;
}

const rs_class *rs_class_at(int index)
{
	resolve();
	return index >= 0 && index < NCLASSES ? &classes[index] : NULL;
}

int rs_class_count(void)
{
	resolve();
	return NCLASSES;
}

int rs_class_isa(const rs_class *c, const char *name)
{
	for (; c; c = c->super)
		if (strcmp(c->name, name) == 0)
			return 1;
	return 0;
}

int rs_class_is(const rs_class *c, const rs_class *base)
{
	for (; c; c = c->super)
		if (c == base)
			return 1;
	return 0;
}

int rs_class_slot(const rs_class *c, const char *name)
{
	for (int s = 0; s < c->nslots; s++)
		if (strcmp(c->slots[s]->name, name) == 0)
			return s;
	return -1;
}
