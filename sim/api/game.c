/*
 * game.c -- the game: worlds of the server and each client, players
 * joining and leaving, scripts, and replication of the server's tree.
 *
 * Replication.  Every change the server makes under a replicated container
 * becomes one message (tag RS_TAG_REPL), encoded once and sent to every
 * client that has loaded, over its reliable channel: so a part created
 * before a FireClient reaches the client before the event does.  Messages:
 *   CREATE   a subtree, parents first (id, class, name, parent, source,
 *            properties, attributes, tags per instance)
 *   SNAPSHOT the whole replicated tree for a client that joins, with the id
 *            of its own Player
 *   PARENT, NAME, PROP, ATTR, DESTROY  one change to one instance
 *   TAGS     an instance's whole tag set, as Roblox replicates tags
 * Services have the same ids on every peer (made in the same order), so a
 * client resolves any server id through its id map.
 */
#include "api_internal.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rsim/marshal.h"

enum { OP_CREATE = 1, OP_SNAPSHOT, OP_PARENT, OP_NAME, OP_PROP, OP_ATTR,
       OP_DESTROY, OP_TAGS };

static const char *const op_labels[] = {
	"?", "Replicate create", "Replicate snapshot", "Replicate parent",
	"Replicate name", "Replicate property", "Replicate attribute",
	"Replicate destroy", "Replicate tags"
};

/* ---- byte writing and reading ---- */

static void put_u8(rs_buf *b, unsigned v)
{
	unsigned char c = (unsigned char)v;
	rs_buf_put(b, &c, 1);
}

static void put_str(rs_buf *b, const char *s, size_t n)
{
	rs_buf_put_uv(b, n);
	rs_buf_put(b, s, n);
}

typedef struct reader {
	const unsigned char *p, *end;
	int bad;
} reader;

static unsigned get_u8(reader *r)
{
	if (r->p >= r->end) {
		r->bad = 1;
		return 0;
	}
	return *r->p++;
}

static uint64_t get_uv(reader *r)
{
	uint64_t v = 0;
	if (!rs_buf_get_uv(&r->p, r->end, &v))
		r->bad = 1;
	return v;
}

static const char *get_str(reader *r, size_t *n)
{
	uint64_t len = get_uv(r);
	if (r->bad || len > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		*n = 0;
		return "";
	}
	const char *s = (const char *)r->p;
	r->p += len;
	*n = (size_t)len;
	return s;
}

static double get_f64(reader *r)
{
	double d = 0;
	if (r->end - r->p < 8) {
		r->bad = 1;
		return 0;
	}
	memcpy(&d, r->p, 8);
	r->p += 8;
	return d;
}

/* ---- property values on the wire ---- */

static void put_value(rs_buf *b, const rs_value *v, int server_side)
{
	put_u8(b, v->type);
	switch (v->type) {
	case RS_V_BOOL: put_u8(b, (unsigned)v->u.b); break;
	case RS_V_NUM: rs_buf_put(b, &v->u.n, 8); break;
	case RS_V_STR: put_str(b, v->u.s, strlen(v->u.s)); break;
	case RS_V_DT:
		put_u8(b, v->u.dt->kind);
		put_u8(b, v->u.dt->n);
		rs_buf_put(b, v->u.dt->v, (size_t)v->u.dt->n * 8);
		break;
	case RS_V_REF:
		rs_buf_put_uv(b, v->u.ref && server_side ? rs_inst_id(v->u.ref) : 0);
		break;
	default:
		break;
	}
}

/* Reads a value; refs resolve in w.  Returns 0 on malformed bytes. */
static int get_value(reader *r, rs_world *w, rs_value *v, rs_datatype *dt)
{
	memset(v, 0, sizeof *v);
	v->type = (uint8_t)get_u8(r);
	switch (v->type) {
	case RS_V_NIL: break;
	case RS_V_BOOL: v->u.b = (int)get_u8(r); break;
	case RS_V_NUM: v->u.n = get_f64(r); break;
	case RS_V_STR: {
		size_t n;
		const char *s = get_str(r, &n);
		v->u.s = strndup(s, n);
		if (v->u.s == NULL)
			abort();
		break;
	}
	case RS_V_DT:
		dt->kind = (uint8_t)get_u8(r);
		dt->n = (uint8_t)get_u8(r);
		if (dt->n > RS_DT_MAXV)
			return 0;
		for (int k = 0; k < dt->n; k++)
			dt->v[k] = get_f64(r);
		v->u.dt = dt;
		break;
	case RS_V_REF:
		v->u.ref = rs_world_find(w, get_uv(r));
		break;
	default:
		return 0;
	}
	return !r->bad;
}

/* Attribute values are Lua values: nil, boolean, number, string, or a
 * datatype.  Encoded from and decoded to the stack. */
static void put_lua_value(rs_buf *b, lua_State *L, int idx)
{
	rs_value v = { 0 };
	rs_datatype d;
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN:
		v.type = RS_V_BOOL;
		v.u.b = lua_toboolean(L, idx);
		break;
	case LUA_TNUMBER:
		v.type = RS_V_NUM;
		v.u.n = lua_tonumber(L, idx);
		break;
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		put_u8(b, RS_V_STR);
		put_str(b, s, n);
		return;
	}
	default:
		if (rs_datatype_get(L, idx, &d)) {
			v.type = RS_V_DT;
			v.u.dt = &d;
		}
		break;
	}
	put_value(b, &v, 1);
}

/* ---- worlds ---- */

static const char *const service_order[] = {
	"Workspace", "ReplicatedStorage", "ReplicatedFirst", "Lighting",
	"StarterGui", "StarterPack", "StarterPlayer", "Teams", "SoundService",
	"Chat", "Players", "ServerStorage", "ServerScriptService", "RunService",
	"HttpService", "CollectionService", "MessagingService", NULL
};

rs_inst *rs_world_service(rs_world *w, const char *name)
{
	for (uint32_t k = 0; k < w->root->nkids; k++) {
		rs_inst *s = w->root->kids[k];
		if (s->cls->service && strcmp(s->cls->name, name) == 0)
			return s;
	}
	return NULL;
}

/* Makes the DataModel and the services with the same ids on every peer. */
static void build_services(rs_world *w)
{
	int server = w->peer == 0;
	uint64_t id = 1;
	w->root = rs_inst_new(w, rs_class_find("DataModel"), "Game");
	w->root->locked = 1;
	if (!server) {
		w->root->id = id;
		w->root->from_server = 1;
		rs_idmap_put(&w->ids, id, w->root);
	}
	for (const char *const *s = service_order; *s; s++) {
		rs_inst *svc = rs_inst_new(w, rs_class_find(*s), *s);
		if (!server) {
			svc->id = ++id;
			svc->from_server = 1;
			rs_idmap_put(&w->ids, svc->id, svc);
		}
		svc->parent = w->root;
		svc->locked = 1;
		if (w->root->nkids == w->root->kcap) {
			w->root->kcap = w->root->kcap ? w->root->kcap * 2 : 16;
			w->root->kids = realloc(w->root->kids, w->root->kcap *
			                        sizeof *w->root->kids);
			if (w->root->kids == NULL)
				abort();
		}
		w->root->kids[w->root->nkids++] = svc;
	}
	rs_inst *sp = rs_world_service(w, "StarterPlayer");
	rs_inst *sps = rs_inst_new(w, rs_class_find("StarterPlayerScripts"),
	                           "StarterPlayerScripts");
	rs_inst *scs = rs_inst_new(w, rs_class_find("StarterCharacterScripts"),
	                           "StarterCharacterScripts");
	if (!server) {
		sps->id = ++id;
		scs->id = ++id;
		sps->from_server = scs->from_server = 1;
		rs_idmap_put(&w->ids, sps->id, sps);
		rs_idmap_put(&w->ids, scs->id, scs);
	}
	sps->parent = scs->parent = sp;
	sp->kids = malloc(2 * sizeof *sp->kids);
	if (sp->kids == NULL)
		abort();
	sp->kids[0] = sps;
	sp->kids[1] = scs;
	sp->nkids = sp->kcap = 2;
	rs_inst *players = rs_world_service(w, "Players");
	const rs_game_config *cfg = &w->game->cfg;
	int slot = rs_class_slot(players->cls, "MaxPlayers");
	players->props[slot].u.n = cfg->max_players;
	slot = rs_class_slot(players->cls, "RespawnTime");
	players->props[slot].u.n = cfg->respawn_time;
	slot = rs_class_slot(rs_world_service(w, "Workspace")->cls, "Gravity");
	rs_world_service(w, "Workspace")->props[slot].u.n = 196.2;
}

static int g_require(lua_State *L);
static int g_settings(lua_State *L);

_Static_assert(offsetof(rs_world, ids.last) < 64,
               "an arrival reads vm and the id cache in one cache line");

static rs_world *world_new(rs_game *g, int peer, const char *name)
{
	rs_world *w = rs_calloc_line(sizeof *w);
	if (w == NULL)
		abort();
	w->game = g;
	w->peer = peer;
	w->vm = rs_vm_new(g->sim, peer, name, &g->cfg.vm);
	if (w->vm == NULL)
		abort();
	rs_api_open(w);
	build_services(w);
	w->players = rs_world_service(w, "Players");
	lua_State *L = rs_vm_state(w->vm);
	rs_inst_push(L, w->root);
	lua_pushvalue(L, -1);
	lua_setglobal(L, "game");
	lua_setglobal(L, "Game");
	rs_inst_push(L, rs_world_service(w, "Workspace"));
	lua_pushvalue(L, -1);
	lua_setglobal(L, "workspace");
	lua_setglobal(L, "Workspace");
	lua_pushcfunction(L, g_require);
	lua_setglobal(L, "require");
	lua_pushcfunction(L, g_settings);
	lua_setglobal(L, "settings");
	return w;
}

static void world_free(rs_world *w)
{
	if (w == NULL)
		return;
	rs_services_free(w);
	rs_inst_free_all(w);
	rs_vm_free(w->vm);
	free(w);
}

rs_world *rs_world_of(lua_State *L)
{
	return rs_vm_user(rs_vm_of(L));
}

rs_vm *rs_world_vm(const rs_world *w) { return w->vm; }
rs_game *rs_world_game(const rs_world *w) { return w->game; }
int rs_world_peer(const rs_world *w) { return w->peer; }
int rs_world_is_server(const rs_world *w) { return w->peer == 0; }

static rs_inst *roster_find(rs_world *w, uint64_t id);

rs_inst *rs_world_find(rs_world *w, uint64_t id)
{
	rs_inst *i = rs_idmap_get(&w->ids, id);
	if (i == NULL && w->peer != 0)
		i = roster_find(w, id);
	return i && !i->destroyed ? i : NULL;
}

rs_inst *rs_world_player(const rs_world *server, int k)
{
	rs_game *g = server->game;
	if (k < 1 || k >= g->npeers)
		return NULL;
	rs_inst *p = g->clients[k].player;
	return p && !p->destroyed ? p : NULL;
}

rs_inst *rs_world_create(rs_world *w, const char *cls, const char *name,
                         rs_inst *parent)
{
	const rs_class *c = rs_class_find(cls);
	if (c == NULL)
		return NULL;
	rs_inst *i = rs_inst_new(w, c, name);
	if (parent)
		rs_inst_set_parent(i, parent);
	return i;
}

rs_inst *rs_world_create_script(rs_world *w, const char *cls,
                                const char *name, const char *src,
                                size_t len, rs_inst *parent)
{
	rs_inst *i = rs_world_create(w, cls, name, NULL);
	if (i == NULL)
		return NULL;
	rs_inst_set_source(i, src, len);
	if (parent)
		rs_inst_set_parent(i, parent);
	return i;
}

void rs_inst_set_source(rs_inst *i, const char *src, size_t len)
{
	char *copy = malloc(len + 1);
	if (copy == NULL)
		abort();
	memcpy(copy, src, len);
	copy[len] = '\0';
	free(i->source);
	i->source = copy;
	i->source_len = len;
}

/* ---- scripts ---- */

/* Compiles i's source with a fresh environment holding `script`; leaves
 * the function on L's stack, or returns 0 after reporting the error. */
static int load_script(rs_world *w, lua_State *L, rs_inst *i)
{
	char full[512];
	rs_inst_full_name(i, full, sizeof full);
	if (!rs_vm_compile(w->vm, L, full, i->source ? i->source : "",
	                   i->source_len)) {
		size_t n;
		const char *msg = lua_tolstring(L, -1, &n);
		rs_vm_output(w->vm, RS_OUT_ERROR, msg, n);
		lua_pop(L, 1);
		return 0;
	}
	lua_createtable(L, 0, 1);
	rs_inst_push(L, i);
	lua_setfield(L, -2, "script");
	lua_createtable(L, 0, 1);
	lua_pushglobaltable(L);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lua_setupvalue(L, -2, 1);
	return 1;
}

void rs_world_run_script(rs_world *w, rs_inst *script)
{
	lua_State *L = rs_vm_state(w->vm);
	int slot = rs_class_slot(script->cls, "Disabled");
	if (script->ran || (slot >= 0 && script->props[slot].u.b))
		return;
	script->ran = 1;
	if (load_script(w, L, script))
		rs_vm_start(w->vm, L, 0, 1);
}

static int require_done(lua_State *L, int status, lua_KContext ctx)
{
	rs_inst *m = (rs_inst *)ctx;
	if (status != LUA_OK && status != LUA_YIELD) {
		m->module_state = 3;
		rs_world *w = rs_world_of(L);
		size_t n;
		const char *msg = rs_vm_tostring(L, -1, &n);
		rs_vm_output(w->vm, RS_OUT_ERROR, msg, n);
		return luaL_error(L, "Requested module experienced an error while "
		                  "loading");
	}
	if (lua_gettop(L) != 2) {
		m->module_state = 3;
		return luaL_error(L, "Module code did not return exactly one value");
	}
	lua_pushvalue(L, 2);
	m->module_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	m->module_state = 2;
	return 1;
}

/* require(ModuleScript): runs the module once per peer and caches the one
 * value it returns. */
static int g_require(lua_State *L)
{
	rs_inst *m = rs_inst_test(L, 1);
	if (m == NULL || !rs_class_isa(m->cls, "ModuleScript"))
		return luaL_error(L, "Attempted to call require with invalid "
		                  "argument(s).");
	lua_settop(L, 1);
	switch (m->module_state) {
	case 2:
		lua_rawgeti(L, LUA_REGISTRYINDEX, m->module_ref);
		return 1;
	case 1:
		return luaL_error(L, "Requested module was required recursively");
	case 3:
		return luaL_error(L, "Requested module experienced an error while "
		                  "loading");
	default:
		break;
	}
	rs_world *w = rs_world_of(L);
	if (!load_script(w, L, m)) {
		m->module_state = 3;
		return luaL_error(L, "Requested module experienced an error while "
		                  "loading");
	}
	m->module_state = 1;
	int status = lua_pcallk(L, 0, LUA_MULTRET, 0, (lua_KContext)m,
	                        require_done);
	return require_done(L, status, (lua_KContext)m);
}

static int g_settings(lua_State *L)
{
	lua_newtable(L);
	return 1;
}

/* ---- RunService frames ---- */

static int listened(rs_inst *rs)
{
	static const char *const events[] = {
		"Heartbeat", "Stepped", "RenderStepped", "PreSimulation",
		"PostSimulation"
	};
	for (size_t k = 0; k < sizeof events / sizeof *events; k++) {
		rs_signal *s = rs_inst_signal(rs, events[k]);
		if (rs_signal_connections(s) > 0 || rs_signal_waiting(s) > 0)
			return 1;
	}
	return 0;
}

/* One frame: Stepped(time, dt), then Heartbeat(dt), as Roblox orders
 * them (RenderStepped first on clients). */
static void frame_event(rs_sim *sim, const rs_event *ev)
{
	rs_world *w = ev->ctx;
	w->frames_armed = 0;
	rs_inst *rs = rs_world_service(w, "RunService");
	if (rs_vm_halted(w->vm) || !listened(rs))
		return;
	lua_State *L = rs_vm_state(w->vm);
	double dt = 1.0 / rs_vm_config_of(w->vm)->frame_hz;
	if (!rs_world_is_server(w)) {
		lua_pushnumber(L, dt);
		rs_inst_fire(rs, "RenderStepped", L, 1);
	}
	lua_pushnumber(L, rs_time_to_sec(sim->now));
	lua_pushnumber(L, dt);
	rs_inst_fire(rs, "Stepped", L, 2);
	lua_pushnumber(L, dt);
	rs_inst_fire(rs, "PreSimulation", L, 1);
	lua_pushnumber(L, dt);
	rs_inst_fire(rs, "PostSimulation", L, 1);
	lua_pushnumber(L, dt);
	rs_inst_fire(rs, "Heartbeat", L, 1);
	rs_world_arm_frames(w);
}

void rs_world_arm_frames(rs_world *w)
{
	if (w->frames_armed)
		return;
	w->frames_armed = 1;
	rs_sim *sim = rs_vm_sim(w->vm);
	rs_sim_at(sim, rs_vm_next_frame(w->vm, sim->now), frame_event, w, 0, 0);
}

/* ---- replication: sending ---- */

int rs_repl_visible(const rs_inst *i)
{
	if (i->destroyed)
		return 0;
	for (const rs_inst *k = i; k; k = k->parent)
		if (k->cls->service)
			return k->cls->replicates && k->parent != NULL;
	return 0;
}

/* Sends b, operation op, to client k if it is loaded; *p is the payload,
 * made on first use and shared by every receiver. */
static void send_one(rs_game *g, int op, const rs_buf *b, int k,
                     rs_payload **p)
{
	if (!g->clients[k].replicating || k == g->repl_skip)
		return;
	if (*p == NULL) {
		uint32_t label = rs_trace_label(&g->sim->trace, op_labels[op]);
		*p = rs_payload_new(b->p, b->len, label, RS_TAG_REPL);
		if (*p == NULL)
			abort();
	}
	rs_net_send(g->net, k, RS_DOWN, 1, *p);
}

/* Sends b as one message of operation op to every loaded client. */
static void broadcast(rs_game *g, int op, rs_buf *b)
{
	rs_payload *p = NULL;
	for (int k = 1; k < g->npeers; k++)
		send_one(g, op, b, k, &p);
	if (p)
		rs_payload_unref(p);
}

/* ---- the roster: who sees which Player ----
 *
 * A client sees what is under another player's Player only if it is eager
 * (a script listens to Players, see rs_world_listen) or made its own copy
 * of that Player (then it is one of the Player's watchers).  So a join
 * costs a message per eager client, not one per client: 10,000 idle
 * clients join in linear time and hold no Player but their own. */

/* Where v is, or would go, in the ascending set a of n. */
static int set_at(const int *a, int n, int v)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int set_has(const int *a, int n, int v)
{
	int at = set_at(a, n, v);
	return at < n && a[at] == v;
}

/* Adds v to the ascending set a. */
static void set_add(int **a, int *n, int *cap, int v)
{
	int lo = set_at(*a, *n, v);
	if (lo < *n && (*a)[lo] == v)
		return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		*a = realloc(*a, (size_t)*cap * sizeof **a);
		if (*a == NULL)
			abort();
	}
	memmove(*a + lo + 1, *a + lo, (size_t)(*n - lo) * sizeof **a);
	(*a)[lo] = v;
	++*n;
}

const rs_inst *rs_repl_player_root(const rs_inst *i)
{
	const rs_inst *players = i->w->players;
	for (const rs_inst *a = i; a->parent; a = a->parent)
		if (a->parent == players)
			return a->client > 0 ? a : NULL;
	return NULL;
}

/* Does client k see instances under the Player pr (NULL: not under one)? */
static int sees(const rs_game *g, int k, const rs_inst *pr)
{
	if (pr == NULL || g->clients[k].eager || pr->client == k)
		return 1;
	const rs_client_slot *o = &g->clients[pr->client];
	return set_has(o->watchers, o->nwatch, k);
}

/* Sends b to the clients that see pr's subtree, in ascending order as
 * broadcast does: the eager ones, pr's own client and pr's watchers. */
static void send_to(rs_game *g, int op, rs_buf *b, const rs_inst *pr)
{
	if (pr == NULL) {
		broadcast(g, op, b);
		return;
	}
	const rs_client_slot *o = &g->clients[pr->client];
	int e = 0, wi = 0, own = pr->client;
	rs_payload *p = NULL;
	for (;;) {
		int k = INT_MAX;
		if (e < g->neager && g->eager[e] < k)
			k = g->eager[e];
		if (wi < o->nwatch && o->watchers[wi] < k)
			k = o->watchers[wi];
		if (own && own < k)
			k = own;
		if (k == INT_MAX)
			break;
		e += e < g->neager && g->eager[e] == k;
		wi += wi < o->nwatch && o->watchers[wi] == k;
		if (own == k)
			own = 0;
		send_one(g, op, b, k, &p);
	}
	if (p)
		rs_payload_unref(p);
}

static void put_attrs(rs_buf *b, rs_inst *i);

static void put_tags(rs_buf *b, const rs_inst *i)
{
	uint32_t n = i->tags ? i->tags->n : 0;
	rs_buf_put_uv(b, n);
	for (uint32_t k = 0; k < n; k++)
		put_str(b, i->tags->v[k], strlen(i->tags->v[k]));
}

static void put_instance(rs_buf *b, rs_inst *i)
{
	rs_buf_put_uv(b, i->id);
	rs_buf_put_uv(b, (uint64_t)i->cls->index);
	put_str(b, i->name, strlen(i->name));
	rs_buf_put_uv(b, i->parent ? i->parent->id : 0);
	put_str(b, i->source ? i->source : "", i->source ? i->source_len : 0);
	int n = 0;
	for (int s = 0; s < i->cls->nslots; s++)
		n += !(i->cls->slots[s]->flags & RS_P_LOCAL) &&
		     i->cls->slots[s]->get == NULL;
	rs_buf_put_uv(b, (uint64_t)n);
	for (int s = 0; s < i->cls->nslots; s++) {
		const rs_prop *p = i->cls->slots[s];
		if ((p->flags & RS_P_LOCAL) || p->get)
			continue;
		rs_buf_put_uv(b, (uint64_t)s);
		put_value(b, &i->props[s], 1);
	}
	put_attrs(b, i);
	put_tags(b, i);
}

static void put_attrs(rs_buf *b, rs_inst *i)
{
	lua_State *L = rs_vm_state(i->w->vm);
	if (i->attrs == LUA_NOREF) {
		rs_buf_put_uv(b, 0);
		return;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, i->attrs);
	lua_Integer nk = rs_vm_sorted_keys(L, -1);
	rs_buf_put_uv(b, (uint64_t)nk);
	for (lua_Integer k = 1; k <= nk; k++) {
		lua_rawgeti(L, -1, k);
		size_t len;
		const char *name = lua_tolstring(L, -1, &len);
		put_str(b, name, len);
		lua_rawget(L, -3);
		put_lua_value(b, L, -1);
		lua_pop(L, 1);
	}
	lua_pop(L, 2);
}

static void put_subtree(rs_buf *b, rs_inst *i, uint64_t *count)
{
	put_instance(b, i);
	++*count;
	for (uint32_t k = 0; k < i->nkids; k++)
		put_subtree(b, i->kids[k], count);
}

/* The instances every peer makes itself (DataModel, services, their
 * fixed children) are not sent, only what is under them. */
static void put_snapshot(rs_game *g, rs_buf *b, rs_inst *i, uint64_t *count)
{
	if (rs_repl_player_root(i) == i ||
	    (i == i->w->players && i->nkids == i->w->nplayer_kids))
		return; /* the client makes other players when it looks */
	if (i->id > g->fixed_ids) {
		put_subtree(b, i, count);
		return;
	}
	for (uint32_t k = 0; k < i->nkids; k++)
		put_snapshot(g, b, i->kids[k], count);
}

/* CREATE count + records, for i's subtree. */
static void encode_create(rs_buf *b, rs_inst *i)
{
	rs_buf body;
	rs_buf_init(&body);
	uint64_t count = 0;
	put_subtree(&body, i, &count);
	put_u8(b, OP_CREATE);
	rs_buf_put_uv(b, count);
	rs_buf_put(b, body.p, body.len);
	rs_buf_free(&body);
}

void rs_repl_created(rs_inst *i)
{
	rs_buf b;
	rs_buf_init(&b);
	encode_create(&b, i);
	send_to(i->w->game, OP_CREATE, &b, rs_repl_player_root(i));
	rs_buf_free(&b);
}

static void encode_op_id(rs_buf *b, rs_inst *i, int op)
{
	put_u8(b, (unsigned)op);
	rs_buf_put_uv(b, i->id);
	switch (op) {
	case OP_PARENT: rs_buf_put_uv(b, i->parent->id); break;
	case OP_NAME: put_str(b, i->name, strlen(i->name)); break;
	default: break;
	}
}

static void send_op_id(rs_inst *i, int op, const rs_inst *pr)
{
	rs_buf b;
	rs_buf_init(&b);
	encode_op_id(&b, i, op);
	send_to(i->w->game, op, &b, pr);
	rs_buf_free(&b);
}

void rs_repl_removed(rs_inst *i, const rs_inst *was)
{
	send_op_id(i, OP_DESTROY, was);
}

/* i moved into or out of a player's subtree: a client that saw it before
 * and still does gets the move, one that sees it only now gets the
 * subtree, one that no longer does loses it. */
static void moved_across(rs_inst *i, const rs_inst *was, const rs_inst *now)
{
	rs_game *g = i->w->game;
	rs_buf b[3];
	rs_payload *p[3] = { NULL, NULL, NULL };
	static const int ops[3] = { OP_PARENT, OP_CREATE, OP_DESTROY };
	for (int m = 0; m < 3; m++)
		rs_buf_init(&b[m]);
	encode_op_id(&b[0], i, OP_PARENT);
	encode_create(&b[1], i);
	encode_op_id(&b[2], i, OP_DESTROY);
	for (int k = 1; k < g->npeers; k++) {
		int before = sees(g, k, was), after = sees(g, k, now);
		if (before || after) {
			int m = before && after ? 0 : after ? 1 : 2;
			send_one(g, ops[m], &b[m], k, &p[m]);
		}
	}
	for (int m = 0; m < 3; m++) {
		if (p[m])
			rs_payload_unref(p[m]);
		rs_buf_free(&b[m]);
	}
}

void rs_repl_moved(rs_inst *i, const rs_inst *was)
{
	const rs_inst *now = rs_repl_player_root(i);
	if (now == was)
		send_op_id(i, OP_PARENT, now);
	else
		moved_across(i, was, now);
}

void rs_repl_renamed(rs_inst *i)
{
	if (rs_repl_visible(i))
		send_op_id(i, OP_NAME, rs_repl_player_root(i));
}

void rs_repl_prop(rs_inst *i, int slot)
{
	if (!rs_repl_visible(i) || i->cls->slots[slot]->get)
		return;
	rs_buf b;
	rs_buf_init(&b);
	put_u8(&b, OP_PROP);
	rs_buf_put_uv(&b, i->id);
	rs_buf_put_uv(&b, (uint64_t)slot);
	put_value(&b, &i->props[slot], 1);
	send_to(i->w->game, OP_PROP, &b, rs_repl_player_root(i));
	rs_buf_free(&b);
}

void rs_repl_tags(rs_inst *i)
{
	if (!rs_world_is_server(i->w) || !rs_repl_visible(i))
		return;
	rs_buf b;
	rs_buf_init(&b);
	put_u8(&b, OP_TAGS);
	rs_buf_put_uv(&b, i->id);
	put_tags(&b, i);
	send_to(i->w->game, OP_TAGS, &b, rs_repl_player_root(i));
	rs_buf_free(&b);
}

void rs_repl_attr(rs_inst *i, lua_State *L, int name_idx)
{
	if (!rs_world_is_server(i->w) || !rs_repl_visible(i))
		return;
	rs_buf b;
	rs_buf_init(&b);
	put_u8(&b, OP_ATTR);
	rs_buf_put_uv(&b, i->id);
	size_t n;
	const char *name = lua_tolstring(L, name_idx, &n);
	put_str(&b, name, n);
	lua_rawgeti(L, LUA_REGISTRYINDEX, i->attrs);
	lua_pushvalue(L, name_idx);
	lua_rawget(L, -2);
	put_lua_value(&b, L, -1);
	lua_pop(L, 2);
	send_to(i->w->game, OP_ATTR, &b, rs_repl_player_root(i));
	rs_buf_free(&b);
}

/* ---- replication: receiving ---- */

/* Reads an attribute's value and sets it on i (NULL: only reads it). */
static void set_attr_from_wire(rs_inst *i, rs_world *w, reader *r,
                               const char *name, size_t nlen)
{
	lua_State *L = rs_vm_state(w->vm);
	rs_value v;
	rs_datatype dt;
	if (!get_value(r, w, &v, &dt))
		return;
	if (i == NULL) {
		if (v.type == RS_V_STR)
			free(v.u.s);
		return;
	}
	if (i->attrs == LUA_NOREF) {
		lua_newtable(L);
		i->attrs = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, i->attrs);
	lua_pushlstring(L, name, nlen);
	rs_value_push(L, &v);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	if (v.type == RS_V_STR) /* a datatype lives in dt, on the stack */
		free(v.u.s);
	lua_pushlstring(L, name, nlen);
	rs_inst_fire(i, "AttributeChanged", L, 1);
}

/* Reads a tag set and gives it to i (NULL: only reads it). */
static void read_tags(reader *r, rs_inst *i)
{
	uint64_t n = get_uv(r);
	if (r->bad || n > (uint64_t)(r->end - r->p)) { /* a byte per tag */
		r->bad = 1;
		return;
	}
	char **v = n ? calloc((size_t)n, sizeof *v) : NULL;
	if (n && v == NULL)
		abort();
	uint64_t k = 0;
	for (; k < n && !r->bad; k++) {
		size_t len;
		const char *t = get_str(r, &len);
		if ((v[k] = strndup(t, len)) == NULL)
			abort();
	}
	if (i && !r->bad)
		rs_tags_set(i, v, (uint32_t)n);
	for (uint64_t j = 0; j < k; j++)
		free(v[j]);
	free(v);
}

/* Reads one CREATE record into w: makes the instance (not yet parented)
 * and returns it with its parent id, or NULL on malformed bytes.  A record
 * of an instance w already has (a Player copied when a script looked, then
 * the message sent before) is read past: *dup is set, NULL returned. */
static rs_inst *read_instance(reader *r, rs_world *w, uint64_t *parent_id,
                              int *dup)
{
	uint64_t id = get_uv(r);
	uint64_t ci = get_uv(r);
	size_t nlen, slen;
	const char *name = get_str(r, &nlen);
	*parent_id = get_uv(r);
	const char *src = get_str(r, &slen);
	const rs_class *cls = rs_class_at((int)ci);
	if (r->bad || cls == NULL || ci > (uint64_t)rs_class_count())
		return NULL;
	rs_inst *old = rs_idmap_get(&w->ids, id);
	*dup = old != NULL && !old->destroyed;
	rs_inst *i = NULL;
	if (!*dup) {
		i = rs_inst_new_n(w, cls, name, nlen);
		i->id = id;
		i->from_server = 1;
		rs_idmap_put(&w->ids, id, i);
		if (slen)
			rs_inst_set_source(i, src, slen);
	}
	uint64_t n = get_uv(r);
	for (uint64_t k = 0; k < n && !r->bad; k++) {
		uint64_t slot = get_uv(r);
		rs_value v;
		rs_datatype dt;
		if (!get_value(r, w, &v, &dt) || slot >= (uint64_t)cls->nslots) {
			r->bad = 1;
			break;
		}
		if (i == NULL) {
			if (v.type == RS_V_STR)
				free(v.u.s);
			continue;
		}
		rs_value_clear(&i->props[slot]);
		if (v.type == RS_V_DT) {
			rs_datatype *copy = malloc(sizeof *copy);
			if (copy == NULL)
				abort();
			*copy = dt;
			v.u.dt = copy;
		}
		i->props[slot] = v;
	}
	uint64_t na = get_uv(r);
	for (uint64_t k = 0; k < na && !r->bad; k++) {
		size_t alen;
		const char *an = get_str(r, &alen);
		set_attr_from_wire(i, w, r, an, alen);
	}
	read_tags(r, i);
	return r->bad ? NULL : i;
}

/* Fires target's event with the instance arg, if anything listens; else
 * only reserves arg's identity, as pushing it would have. */
static void fire_with(rs_inst *target, const char *event, rs_inst *arg)
{
	if (!rs_inst_listens(target, event)) {
		rs_inst_reserve(arg);
		return;
	}
	lua_State *L = rs_vm_state(target->w->vm);
	rs_inst_push(L, arg);
	rs_inst_fire(target, event, L, 1);
}

static void apply_create(rs_world *w, reader *r)
{
	uint64_t count = get_uv(r);
	for (uint64_t k = 0; k < count && !r->bad; k++) {
		uint64_t pid;
		int dup = 0;
		rs_inst *i = read_instance(r, w, &pid, &dup);
		if (dup && !r->bad)
			continue;
		if (i == NULL)
			return;
		rs_inst *p = rs_world_find(w, pid);
		if (p)
			rs_inst_set_parent(i, p);
		if (rs_class_isa(i->cls, "Player") && w->loaded && p &&
		    p->cls->service) {
			fire_with(p, "PlayerAdded", i);
		}
	}
}

static void local_player_ready(rs_world *w)
{
	rs_inst *lp = w->local_player;
	rs_inst *ps = rs_inst_new(w, rs_class_find("PlayerScripts"),
	                          "PlayerScripts");
	rs_inst_set_parent(ps, lp);
	rs_inst *bp = rs_inst_new(w, rs_class_find("Backpack"), "Backpack");
	rs_inst_set_parent(bp, lp);
	rs_inst *pg = rs_inst_new(w, rs_class_find("PlayerGui"), "PlayerGui");
	rs_inst_set_parent(pg, lp);
}

static void apply_snapshot(rs_game *g, rs_world *w, reader *r)
{
	uint64_t me = get_uv(r);
	apply_create(w, r);
	if (r->bad)
		return;
	w->local_player = rs_world_find(w, me);
	w->loaded = 1;
	if (w->local_player)
		local_player_ready(w);
	rs_world_fire_loaded(w);
	rs_client_slot *slot = &g->clients[w->peer];
	if (slot->on_loaded)
		slot->on_loaded(g, w->peer, slot->loaded_ud);
}

/* ---- the roster on a client ---- */

/* Moves the Player p, just made at the end of Players' children, in front
 * of the players that joined after it (their ids are larger), as if it
 * had arrived in join order. */
static void join_order(rs_inst *players, rs_inst *p)
{
	uint32_t n = players->nkids, at = n - 1;
	if (n == 0 || players->kids[n - 1] != p)
		return;
	while (at > 0 &&
	       rs_class_isa(players->kids[at - 1]->cls, "Player") &&
	       players->kids[at - 1]->id > p->id)
		at--;
	memmove(&players->kids[at + 1], &players->kids[at],
	        (n - 1 - at) * sizeof *players->kids);
	players->kids[at] = p;
}

/* Makes w's copy of client k's Player, from the server's Player as it is
 * now, and makes w one of its watchers; returns the copy, or NULL once
 * that player left. */
static rs_inst *roster_make(rs_world *w, int k)
{
	rs_game *g = w->game;
	rs_inst *sp = g->clients[k].player;
	if (sp == NULL || sp->destroyed || sp->parent != g->worlds[0]->players)
		return NULL;
	rs_inst *have = rs_idmap_get(&w->ids, sp->id);
	if (have == NULL) {
		rs_buf b;
		rs_buf_init(&b);
		encode_create(&b, sp);
		reader r = { b.p + 1, b.p + b.len, 0 }; /* past the op */
		apply_create(w, &r);
		rs_buf_free(&b);
		have = rs_idmap_get(&w->ids, sp->id);
		if (have)
			join_order(w->players, have);
	}
	rs_client_slot *o = &g->clients[k];
	if (k != w->peer && !g->clients[w->peer].eager)
		set_add(&o->watchers, &o->nwatch, &o->watch_cap, w->peer);
	return have && !have->destroyed ? have : NULL;
}

/* Would the CREATE that entry e stands for have reached w by now?  It would
 * have been sent at (e->t, e->seq) over w's link. */
static int roster_arrived(const rs_world *w, const rs_roster_entry *e)
{
	rs_game *g = w->game;
	rs_time at = e->t + rs_net_latency(g->net, w->peer, RS_DOWN);
	return at < g->sim->now ||
	       (at == g->sim->now && e->seq < g->sim->cur_seq);
}

/* Makes the Players that have arrived at a lazy client. */
static void roster_sync(rs_world *w)
{
	rs_game *g = w->game;
	if (!w->loaded || g->clients[w->peer].eager)
		return;
	while (w->roster_seen < g->nroster &&
	       roster_arrived(w, &g->roster[w->roster_seen])) {
		int k = g->roster[w->roster_seen++].k;
		roster_make(w, k);
	}
}

static rs_inst *roster_find(rs_world *w, uint64_t id)
{
	rs_inst *sp = rs_idmap_get(&w->game->roster_ids, id);
	return sp && w->loaded ? roster_make(w, sp->client) : NULL;
}

void rs_world_touch(const rs_inst *i)
{
	if (i == i->w->players && i->w->peer != 0)
		roster_sync(i->w);
}

/* A Player that was on its way to a client when it became eager. */
static void roster_arrive(rs_sim *sim, const rs_event *ev)
{
	(void)sim;
	rs_world *w = ev->ctx;
	if (!rs_vm_halted(w->vm))
		roster_make(w, (int)ev->a);
}

void rs_world_listen(rs_inst *i, const char *event)
{
	rs_world *w = i->w;
	rs_game *g = w->game;
	if (w->peer == 0 || g->clients[w->peer].eager)
		return;
	if (i != w->players &&
	    !(i == w->root && strncmp(event, "Descendant", 10) == 0))
		return;
	/* From now on the client gets a CREATE per join, as Roblox sends;
	 * what is still on its way arrives when it would have. */
	roster_sync(w);
	rs_client_slot *c = &g->clients[w->peer];
	c->eager = 1;
	set_add(&g->eager, &g->neager, &g->eager_cap, w->peer);
	rs_time lat = rs_net_latency(g->net, w->peer, RS_DOWN);
	for (; w->roster_seen < g->nroster; w->roster_seen++) {
		const rs_roster_entry *e = &g->roster[w->roster_seen];
		rs_time at = e->t + lat;
		rs_sim_at(g->sim, at > g->sim->now ? at : g->sim->now,
		          roster_arrive, w, (uint64_t)e->k, 0);
	}
}

static void apply_repl(rs_game *g, int client, rs_dir dir,
                       const rs_payload *p)
{
	if (dir != RS_DOWN)
		return;
	rs_world *w = g->worlds[client];
	if (rs_vm_halted(w->vm))
		return;
	reader r = { p->data, p->data + p->len, 0 };
	int op = (int)get_u8(&r);
	if (op == OP_SNAPSHOT) {
		apply_snapshot(g, w, &r);
		return;
	}
	if (op == OP_CREATE) {
		apply_create(w, &r);
		return;
	}
	rs_inst *i = rs_world_find(w, get_uv(&r));
	if (i == NULL || r.bad)
		return;
	lua_State *L = rs_vm_state(w->vm);
	switch (op) {
	case OP_PARENT: {
		rs_inst *np = rs_world_find(w, get_uv(&r));
		if (np && np != i->parent)
			rs_inst_set_parent(i, np);
		break;
	}
	case OP_NAME: {
		size_t n;
		const char *name = get_str(&r, &n);
		char *copy = strndup(name, n);
		if (copy == NULL)
			abort();
		rs_inst_take_name(i, copy);
		lua_pushliteral(L, "Name");
		rs_inst_fire(i, "Changed", L, 1);
		break;
	}
	case OP_PROP: {
		uint64_t slot = get_uv(&r);
		rs_value v;
		rs_datatype dt;
		if (slot >= (uint64_t)i->cls->nslots || !get_value(&r, w, &v, &dt))
			return;
		rs_inst_store(i, (int)slot, &v);
		if (v.type == RS_V_STR)
			free(v.u.s);
		lua_pushstring(L, i->cls->slots[slot]->name);
		rs_inst_fire(i, "Changed", L, 1);
		break;
	}
	case OP_ATTR: {
		size_t n;
		const char *name = get_str(&r, &n);
		set_attr_from_wire(i, w, &r, name, n);
		break;
	}
	case OP_TAGS:
		read_tags(&r, i);
		break;
	case OP_DESTROY:
		if (rs_class_isa(i->cls, "Player") && i->parent &&
		    i->parent->cls->service) {
			fire_with(i->parent, "PlayerRemoving", i);
		}
		rs_inst_destroy(i);
		break;
	default:
		break;
	}
}

/* ---- the game ---- */

static void deliver(void *ud, int client, rs_dir dir, int reliable,
                    const rs_payload *p)
{
	(void)reliable;
	rs_game *g = ud;
	if (p->tag < sizeof g->handlers / sizeof *g->handlers &&
	    g->handlers[p->tag])
		g->handlers[p->tag](g, client, dir, p);
}

rs_game *rs_game_new(rs_sim *sim, const rs_game_config *cfg)
{
	rs_game *g = calloc(1, sizeof *g);
	if (g == NULL)
		abort();
	g->sim = sim;
	if (cfg)
		g->cfg = *cfg;
	if (g->cfg.max_players <= 0)
		g->cfg.max_players = 50;
	if (g->cfg.respawn_time <= 0)
		g->cfg.respawn_time = 5;
	g->net = rs_net_new(sim, deliver, g);
	g->cap = 4;
	g->worlds = calloc((size_t)g->cap, sizeof *g->worlds);
	g->clients = calloc((size_t)g->cap, sizeof *g->clients);
	if (g->net == NULL || g->worlds == NULL || g->clients == NULL)
		abort();
	g->npeers = 1;
	g->handlers[RS_TAG_REPL] = apply_repl;
	g->worlds[0] = world_new(g, 0, "server");
	g->fixed_ids = g->next_id;
	return g;
}

void rs_game_free(rs_game *g)
{
	if (g == NULL)
		return;
	rs_net_free(g->net);
	for (int k = 0; k < g->npeers; k++) {
		world_free(g->worlds[k]);
		free(g->clients[k].name);
		free(g->clients[k].watchers);
	}
	free(g->roster);
	free(g->eager);
	rs_idmap_free(&g->roster_ids);
	free(g->worlds);
	free(g->clients);
	free(g);
}

rs_sim *rs_game_sim(const rs_game *g) { return g->sim; }
rs_net *rs_game_net(const rs_game *g) { return g->net; }
int rs_game_npeers(const rs_game *g) { return g->npeers; }

rs_world *rs_game_world(const rs_game *g, int peer)
{
	return peer >= 0 && peer < g->npeers ? g->worlds[peer] : NULL;
}

const char *rs_game_peer_name(const rs_game *g, int peer)
{
	return rs_vm_name(g->worlds[peer]->vm);
}

int rs_game_add_client(rs_game *g, const char *name,
                       const rs_link_config *link)
{
	if (g->npeers == g->cap) {
		g->cap *= 2;
		g->worlds = realloc(g->worlds, (size_t)g->cap * sizeof *g->worlds);
		g->clients = realloc(g->clients,
		                     (size_t)g->cap * sizeof *g->clients);
		if (g->worlds == NULL || g->clients == NULL)
			abort();
	}
	int k = g->npeers++;
	memset(&g->clients[k], 0, sizeof g->clients[k]);
	g->clients[k].name = strdup(name);
	if (g->clients[k].name == NULL)
		abort();
	if (link)
		g->clients[k].link = *link;
	g->clients[k].user_id = k;
	g->worlds[k] = world_new(g, k, name);
	if (g->on_world)
		g->on_world(g->worlds[k], g->world_ud);
	return k;
}

/* A new session is a new client: a new Player on the server, a new world
 * and VM; only the name, the link and the UserId (what games key saved
 * data by) carry over. */
int rs_game_add_rejoin(rs_game *g, int k)
{
	if (k < 1 || k >= g->npeers || !g->clients[k].joined ||
	    g->clients[k].connected)
		return -1;
	rs_link_config link = g->clients[k].link;
	int64_t user_id = g->clients[k].user_id;
	/* the name is copied: adding may move g->clients */
	char *name = strdup(g->clients[k].name);
	if (name == NULL)
		abort();
	int nk = rs_game_add_client(g, name, &link);
	free(name);
	g->clients[nk].user_id = user_id;
	return nk;
}

void rs_game_on_world(rs_game *g, void (*fn)(rs_world *w, void *ud),
                      void *ud)
{
	g->on_world = fn;
	g->world_ud = ud;
	for (int k = 0; k < g->npeers; k++)
		fn(g->worlds[k], ud);
}

void rs_game_on_message(rs_game *g, uint32_t tag, rs_msg_handler fn)
{
	if (tag < sizeof g->handlers / sizeof *g->handlers)
		g->handlers[tag] = fn;
}

void rs_game_on_script(rs_game *g,
                       void (*fn)(rs_world *w, rs_inst *i, void *ud),
                       void *ud)
{
	g->on_script = fn;
	g->script_ud = ud;
}

void rs_world_scripts_live(rs_world *w)
{
	w->scripts_live = 1;
}

void rs_world_script_may_start(rs_world *w, rs_inst *i)
{
	if (w->scripts_live && !i->ran && !i->destroyed && w->game->on_script &&
	    !rs_vm_halted(w->vm))
		w->game->on_script(w, i, w->game->script_ud);
}

void rs_game_on_callback(rs_game *g, void (*fn)(rs_inst *i, void *ud),
                         void *ud)
{
	g->on_callback = fn;
	g->callback_ud = ud;
}

void rs_game_on_leave(rs_game *g, void (*fn)(rs_game *g, int k, void *ud),
                      void *ud)
{
	g->on_leave = fn;
	g->leave_ud = ud;
}

int rs_game_client_connected(const rs_game *g, int k)
{
	return k >= 1 && k < g->npeers && g->clients[k].connected;
}

int rs_game_client_joined(const rs_game *g, int k)
{
	return k >= 1 && k < g->npeers && g->clients[k].joined;
}

void rs_game_join(rs_game *g, int k,
                  void (*on_loaded)(rs_game *g, int k, void *ud), void *ud)
{
	rs_client_slot *c = &g->clients[k];
	if (c->joined)
		return;
	c->joined = c->connected = 1;
	c->on_loaded = on_loaded;
	c->loaded_ud = ud;
	rs_net_connect(g->net, k, &c->link);
	rs_world *sw = g->worlds[0];
	rs_inst *players = rs_world_service(sw, "Players");
	rs_inst *p = rs_inst_new(sw, rs_class_find("Player"), c->name);
	p->client = k;
	int slot = rs_class_slot(p->cls, "UserId");
	p->props[slot].u.n = (double)c->user_id;
	slot = rs_class_slot(p->cls, "DisplayName");
	rs_value_clear(&p->props[slot]);
	p->props[slot].type = RS_V_STR;
	p->props[slot].u.s = strdup(c->name);
	c->player = p;
	/* The joiner gets everything, its own Player included, before any
	 * script can see that Player: whatever a script sends it next (a
	 * FireClient in PlayerAdded) travels behind the snapshot. */
	rs_buf b;
	rs_buf_init(&b);
	put_u8(&b, OP_SNAPSHOT);
	rs_buf_put_uv(&b, p->id);
	rs_buf body;
	rs_buf_init(&body);
	uint64_t count = 0;
	for (uint32_t s = 0; s < sw->root->nkids; s++)
		if (sw->root->kids[s]->cls->replicates)
			put_snapshot(g, &body, sw->root->kids[s], &count);
	p->parent = players; /* for its record only; parented below */
	put_subtree(&body, p, &count);
	p->parent = NULL;
	rs_buf_put_uv(&b, count);
	rs_buf_put(&b, body.p, body.len);
	rs_buf_free(&body);
	uint32_t label = rs_trace_label(&g->sim->trace, op_labels[OP_SNAPSHOT]);
	rs_payload *pl = rs_payload_new(b.p, b.len, label, RS_TAG_REPL);
	rs_buf_free(&b);
	if (pl == NULL)
		abort();
	rs_net_send(g->net, k, RS_DOWN, 1, pl);
	rs_payload_unref(pl);
	c->replicating = 1;
	char msg[160];
	snprintf(msg, sizeof msg, "%s joined", c->name);
	rs_trace_add(&g->sim->trace, g->sim->now, k, RS_OUT_INFO, msg,
	             strlen(msg));
	if (g->nroster == g->roster_cap) {
		g->roster_cap = g->roster_cap ? g->roster_cap * 2 : 16;
		g->roster = realloc(g->roster,
		                    g->roster_cap * sizeof *g->roster);
		if (g->roster == NULL)
			abort();
	}
	g->roster[g->nroster++] = (rs_roster_entry){
		k, g->sim->now, rs_sim_reserve_seq(g->sim)
	};
	rs_idmap_put(&g->roster_ids, p->id, p);
	g->repl_skip = k;
	rs_inst_set_parent(p, players);
	g->repl_skip = 0;
	fire_with(players, "PlayerAdded", p);
}

void rs_game_leave(rs_game *g, int k, const char *reason)
{
	if (k < 1 || k >= g->npeers)
		return;
	rs_client_slot *c = &g->clients[k];
	if (!c->connected)
		return;
	c->connected = 0;
	c->replicating = 0;
	char msg[400];
	snprintf(msg, sizeof msg, "%s left%s%s", c->name,
	         reason && *reason ? ": " : "", reason ? reason : "");
	rs_trace_add(&g->sim->trace, g->sim->now, k, RS_OUT_INFO, msg,
	             strlen(msg));
	rs_net_disconnect(g->net, k);
	if (g->on_leave)
		g->on_leave(g, k, g->leave_ud);
	rs_world *sw = g->worlds[0];
	rs_inst *players = rs_world_service(sw, "Players");
	lua_State *L = rs_vm_state(sw->vm);
	if (c->player) {
		rs_inst_push(L, c->player);
		rs_inst_fire(players, "PlayerRemoving", L, 1);
		rs_inst_destroy(c->player);
	}
	rs_vm_halt(g->worlds[k]->vm);
}

