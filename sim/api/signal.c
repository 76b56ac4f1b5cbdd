/*
 * signal.c -- RBXScriptSignal and RBXScriptConnection.
 *
 * A signal belongs to one instance and one event name, and is made the
 * first time anything connects, waits or fires on it (instances with no
 * listeners cost nothing).  Connections are userdata anchored in the
 * registry while connected.  Firing follows the world's signal behaviour:
 *   Deferred  -- each handler is queued and runs at the next resumption
 *                point, in connection order; a handler disconnected before
 *                that point does not run;
 *   Immediate -- each handler runs inside Fire, in connection order.
 * Handlers run in pooled threads (vm.h), so a firing does not make a
 * coroutine.  Signals of remote events buffer their firings until the first
 * Connect, as Roblox does, up to a bound past which they are dropped with a
 * warning.  A remote event whose signal has one plain connection fires
 * with arguments decoded only when the handler runs (rs_signal_fire_lazy).
 */
#include "api_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIGNAL_MT "RBXScriptSignal"
#define CONN_MT "RBXScriptConnection"
#define BUFFER_MAX 256
#define REENTRY_MAX 10

typedef struct rs_conn {
	rs_signal *sig;         /* NULL once disconnected */
	int fn;                 /* registry ref of the handler */
	int self;               /* registry ref of this userdata; kept past a
	                         * disconnect while pins > 0 */
	int pins;               /* queued lazy firings that read it from self */
	uint8_t once;
} rs_conn;

typedef struct waiter {
	rs_thread *t;
	uint32_t gen;
} waiter;

struct rs_signal {
	/* what a firing reads, in the first cache line */
	rs_inst *owner;
	const char *key;        /* a static string it was found by with
	                         * rs_inst_signal_lit, or NULL */
	rs_signal *next;
	rs_conn **conns;
	int nconns, nwait;
	int depth;              /* immediate re-entrancy */
	int nqueued;
	uint8_t destroying;     /* the Destroying event */
	uint8_t buffered;       /* queue firings until the first Connect */
	int queue;              /* registry ref: array of packed argument lists */
	int cap, wcap;
	waiter *waiters;
	char *name;
	int dropped;
};

_Static_assert(offsetof(struct rs_signal, wcap) < 64,
               "what a firing reads stays in the first cache line");

static rs_signal *find(rs_inst *i, const char *name)
{
	for (rs_signal *s = i->signals; s; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

rs_signal *rs_inst_signal(rs_inst *i, const char *event)
{
	rs_signal *s = find(i, event);
	if (s)
		return s;
	s = rs_calloc_line(sizeof *s);
	if (s == NULL || (s->name = strdup(event)) == NULL)
		abort();
	s->owner = i;
	s->destroying = strcmp(event, "Destroying") == 0;
	s->queue = LUA_NOREF;
	s->next = i->signals;
	i->signals = s;
	return s;
}

int rs_inst_listens(rs_inst *i, const char *event)
{
	return find(i, event) != NULL;
}

rs_signal *rs_inst_signal_lit(rs_inst *i, const char *event)
{
	for (rs_signal *s = i->signals; s; s = s->next)
		if (s->key == event)
			return s;
	rs_signal *s = rs_inst_signal(i, event);
	s->key = event;
	return s;
}

void rs_signal_set_buffered(rs_signal *s, int on)
{
	s->buffered = (uint8_t)(on != 0);
}

int rs_signal_connections(const rs_signal *s)
{
	return s->nconns;
}

int rs_signal_waiting(const rs_signal *s)
{
	return s->nwait;
}

/* Listening to RunService starts its frame events. */
static void listening(rs_signal *s)
{
	if (s->owner->cls->service &&
	    strcmp(s->owner->cls->name, "RunService") == 0)
		rs_world_arm_frames(s->owner->w);
}

static void conn_drop(lua_State *L, rs_conn *c)
{
	rs_signal *s = c->sig;
	if (s == NULL)
		return;
	for (int k = 0; k < s->nconns; k++)
		if (s->conns[k] == c) {
			memmove(&s->conns[k], &s->conns[k + 1],
			        (size_t)(s->nconns - k - 1) * sizeof *s->conns);
			s->nconns--;
			break;
		}
	c->sig = NULL;
	/* the handler is no longer reachable through the connection */
	if (lua_rawgeti(L, LUA_REGISTRYINDEX, c->self) == LUA_TUSERDATA) {
		lua_pushnil(L);
		lua_setiuservalue(L, -2, 1);
	}
	lua_pop(L, 1);
	luaL_unref(L, LUA_REGISTRYINDEX, c->fn);
	c->fn = LUA_NOREF;
	/* a queued firing still reads it from self, as a queued entry would
	 * hold it */
	if (c->pins == 0) {
		luaL_unref(L, LUA_REGISTRYINDEX, c->self);
		c->self = LUA_NOREF;
	}
}

void rs_signal_free_all(rs_inst *i)
{
	lua_State *L = rs_vm_state(i->w->vm);
	rs_signal *s = i->signals;
	while (s) {
		rs_signal *next = s->next;
		while (s->nconns > 0)
			conn_drop(L, s->conns[0]);
		if (s->queue != LUA_NOREF)
			luaL_unref(L, LUA_REGISTRYINDEX, s->queue);
		free(s->conns);
		free(s->waiters);
		free(s->name);
		free(s);
		s = next;
	}
	i->signals = NULL;
}

/* ---- firing ---- */

/*
 * Deferred re-entrancy.  A deferred handler runs at depth d + 1 when the
 * thread that fired its event was at depth d (a script's own thread is at
 * 0); a firing from depth REENTRY_MAX errors, as Roblox stops chains of
 * events that fire one another at its re-entrancy limit of 10.  The depth
 * of a running handler is kept in the registry under its lua_State (a light
 * userdata key and an integer value: nothing that takes an identity, see
 * vm.c), with the thread's gen: once the thread waits and wakes (gen moves
 * on), it is back at 0.  A handler's end removes the entry.
 */
static int thread_depth(lua_State *L)
{
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, L) != LUA_TNUMBER) {
		lua_pop(L, 1);
		return 0;
	}
	lua_Integer v = lua_tointeger(L, -1);
	lua_pop(L, 1);
	uint32_t gen = rs_vm_thread(L)->gen;
	return (uint32_t)(v >> 8) == gen ? (int)(v & 0xff) : 0;
}

/* depth 0 removes the entry */
static void set_thread_depth(lua_State *L, int depth)
{
	if (depth == 0)
		lua_pushnil(L);
	else
		lua_pushinteger(L, ((lua_Integer)rs_vm_thread(L)->gen << 8) |
		                   depth);
	lua_rawsetp(L, LUA_REGISTRYINDEX, L);
}

static int invoke_cont(lua_State *L, int status, lua_KContext ctx)
{
	(void)status;
	(void)ctx;
	set_thread_depth(L, 0);
	return 0;
}

/* Calls the function at 1 with the arguments above it, at `depth`. */
static int invoke_at(lua_State *L, int depth)
{
	set_thread_depth(L, depth);
	lua_callk(L, lua_gettop(L) - 1, 0, 0, invoke_cont);
	set_thread_depth(L, 0);
	return 0;
}

/* Deferred handlers go through this, so that one disconnected before its
 * turn does not run: conn_invoke(conn, args...), at depth 1, for firings
 * that no handler made (buffered and remote ones). */
static int conn_invoke(lua_State *L)
{
	/* only ever queued by this file, with a connection first */
	rs_conn *c = lua_touserdata(L, 1);
	if (c->sig == NULL)
		return 0;
	lua_getiuservalue(L, 1, 1); /* the handler */
	lua_replace(L, 1);
	return invoke_at(L, 1);
}

/* conn_invoke(conn, depth, args...) */
static int conn_invoke_at(lua_State *L)
{
	rs_conn *c = lua_touserdata(L, 1);
	if (c->sig == NULL)
		return 0;
	int depth = (int)lua_tointeger(L, 2);
	lua_getiuservalue(L, 1, 1);
	lua_replace(L, 1);
	lua_remove(L, 2);
	return invoke_at(L, depth);
}

/* fn_invoke_at(fn, depth, args...): a handler queued by itself */
static int fn_invoke_at(lua_State *L)
{
	int depth = (int)lua_tointeger(L, 2);
	lua_remove(L, 2);
	return invoke_at(L, depth);
}

/* conn_invoke for a lazy firing, which named the connection by its self
 * ref (see rs_signal_fire_lazy). */
static int conn_invoke_pinned(lua_State *L)
{
	rs_conn *c = lua_touserdata(L, 1);
	if (--c->pins == 0 && c->sig == NULL) {
		luaL_unref(L, LUA_REGISTRYINDEX, c->self);
		c->self = LUA_NOREF;
	}
	return conn_invoke(L);
}

static int immediate(const rs_world *w)
{
	return rs_vm_signal_mode(w->vm) == RS_SIGNAL_IMMEDIATE;
}

/* Runs or queues (at `depth`) the handler on top of L with copies of the
 * nargs values at [base, base+nargs). */
static void call_handler(rs_world *w, lua_State *L, int base, int nargs,
                         int depth)
{
	lua_checkstack(L, nargs + LUA_MINSTACK);
	if (!immediate(w))
		lua_pushinteger(L, depth);
	for (int k = 0; k < nargs; k++)
		lua_pushvalue(L, base + k);
	if (immediate(w))
		rs_vm_spawn_call(w->vm, L, nargs);
	else
		rs_vm_defer_call_via(w->vm, L, fn_invoke_at, nargs + 1);
}

/* One connection's turn in a firing.  Deferred calls go through
 * conn_invoke, which skips a connection dropped before its turn. */
static void dispatch(rs_world *w, lua_State *L, rs_conn *c, int cidx,
                     int base, int nargs, int depth)
{
	if (c->sig->destroying && !immediate(w)) {
		/* Destroy disconnects everything, yet Roblox still runs the
		 * Destroying handlers at the next resumption point: queue the
		 * handler itself, not the connection. */
		lua_rawgeti(L, LUA_REGISTRYINDEX, c->fn);
		if (c->once)
			conn_drop(L, c);
		call_handler(w, L, base, nargs, depth);
	} else if (c->once) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, c->fn);
		conn_drop(L, c);
		call_handler(w, L, base, nargs, depth);
	} else if (immediate(w)) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, c->fn);
		call_handler(w, L, base, nargs, depth);
	} else {
		lua_checkstack(L, nargs + LUA_MINSTACK);
		lua_pushvalue(L, cidx);
		lua_pushinteger(L, depth);
		for (int k = 0; k < nargs; k++)
			lua_pushvalue(L, base + k);
		rs_vm_defer_call_via(w->vm, L, conn_invoke_at, nargs + 1);
	}
}

static void buffer_firing(rs_signal *s, lua_State *L, int base, int nargs)
{
	rs_world *w = s->owner->w;
	if (s->nqueued >= BUFFER_MAX) {
		if (s->dropped++ == 0) {
			char full[512], msg[700];
			snprintf(msg, sizeof msg, "Remote event invocation discarded "
			         "event for %s; did you forget to implement %s? (%d "
			         "events dropped)",
			         rs_inst_full_name(s->owner, full, sizeof full),
			         s->name, s->dropped);
			rs_vm_output(w->vm, RS_OUT_WARN, msg, strlen(msg));
		}
		return;
	}
	if (s->queue == LUA_NOREF) {
		lua_newtable(L);
		s->queue = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->queue);
	lua_createtable(L, nargs, 1);
	for (int k = 0; k < nargs; k++) {
		lua_pushvalue(L, base + k);
		lua_rawseti(L, -2, k + 1);
	}
	lua_pushinteger(L, nargs);
	lua_setfield(L, -2, "n");
	lua_rawseti(L, -2, ++s->nqueued);
	lua_pop(L, 1);
}

void rs_signal_fire(rs_signal *s, lua_State *L, int nargs)
{
	rs_world *w = s->owner->w;
	int base = lua_gettop(L) - nargs + 1;
	if (rs_vm_halted(w->vm)) {
		lua_pop(L, nargs);
		return;
	}
	if (s->nconns == 0 && s->nwait == 0 && s->buffered) {
		buffer_firing(s, L, base, nargs);
		lua_settop(L, base - 1);
		return;
	}
	int depth = immediate(w) ? s->depth : thread_depth(L);
	if (depth >= REENTRY_MAX) {
		lua_settop(L, base - 1);
		luaL_error(L, "Maximum event re-entrancy depth exceeded for %s",
		           s->name);
		return;
	}
	s->depth++;
	/* Snapshot: handlers connected during this firing wait for the next
	 * one; the connection userdata stay anchored on the stack meanwhile. */
	int n = s->nconns;
	lua_checkstack(L, n + LUA_MINSTACK);
	int snap = lua_gettop(L) + 1;
	for (int k = 0; k < n; k++)
		lua_rawgeti(L, LUA_REGISTRYINDEX, s->conns[k]->self);
	for (int k = 0; k < n; k++) {
		rs_conn *c = lua_touserdata(L, snap + k);
		if (c->sig != NULL)
			dispatch(w, L, c, snap + k, base, nargs, depth + 1);
	}
	/* Threads in :Wait() get the arguments once. */
	int nw = s->nwait;
	waiter *ws = s->waiters;
	s->waiters = NULL;
	s->nwait = s->wcap = 0;
	for (int k = 0; k < nw; k++) {
		if (ws[k].t->gen != ws[k].gen)
			continue;
		for (int a = 0; a < nargs; a++)
			lua_pushvalue(L, base + a);
		if (immediate(w))
			rs_vm_resume(ws[k].t, L, nargs);
		else
			rs_vm_defer_resume(ws[k].t, L, nargs);
	}
	free(ws);
	s->depth--;
	lua_settop(L, base - 1);
}

/*
 * The common case of rs_signal_fire in the deferred mode, with arguments
 * made when the handler runs (see rs_vm_defer_call_lazy): one connection
 * (not Once, not Destroying), nothing in :Wait().  The firing then only
 * queues conn_invoke(conn, the nargs values on L, lazy's values), as
 * dispatch would, with the connection read from its self ref when the
 * call runs: a pin keeps that ref (and so the userdata, as a queued entry
 * would) past a disconnect until then.  Returns 0, doing nothing, in
 * every other case: the caller makes the values and calls rs_signal_fire.
 */
int rs_signal_fire_lazy(rs_signal *s, lua_State *L, int nargs,
                        const rs_vm_lazy *lazy, uint32_t nids)
{
	rs_world *w = s->owner->w;
	if (rs_vm_halted(w->vm) || immediate(w) || s->nconns != 1 ||
	    s->nwait != 0 || s->depth != 0 || s->destroying ||
	    thread_depth(L) != 0 ||
	    s->conns[0]->once)
		return 0;
	rs_conn *c = s->conns[0];
	c->pins++;
	rs_vm_defer_call_lazy(w->vm, L, conn_invoke_pinned, c->self, nargs,
	                      lazy, nids);
	return 1;
}

void rs_inst_fire(rs_inst *i, const char *event, lua_State *L, int nargs)
{
	rs_signal *s = find(i, event);
	if (s != NULL) {
		lua_checkstack(L, nargs);
		for (int k = 0; k < nargs; k++)
			lua_pushvalue(L, -nargs);
		rs_signal_fire(s, L, nargs);
	}
	if (strcmp(event, "Changed") == 0 && nargs == 1 &&
	    lua_type(L, -1) == LUA_TSTRING) {
		char key[160];
		snprintf(key, sizeof key, "Changed:%s", lua_tostring(L, -1));
		rs_signal *ps = find(i, key);
		if (ps)
			rs_signal_fire(ps, L, 0);
	} else if (strcmp(event, "AttributeChanged") == 0 && nargs == 1) {
		char key[160];
		snprintf(key, sizeof key, "AttributeChanged:%s",
		         lua_tostring(L, -1));
		rs_signal *ps = find(i, key);
		if (ps)
			rs_signal_fire(ps, L, 0);
	}
	lua_pop(L, nargs);
}

/* ---- the Lua side ---- */

typedef struct sig_ref {
	rs_inst *owner;
	char name[128];        /* "InstanceRemoved:" and a tag of 100 bytes */
} sig_ref;

void rs_signal_push(lua_State *L, rs_inst *i, const char *event)
{
	sig_ref *r = lua_newuserdatauv(L, sizeof *r, 0);
	r->owner = i;
	snprintf(r->name, sizeof r->name, "%s", event);
	luaL_setmetatable(L, SIGNAL_MT);
}

static rs_signal *check_signal(lua_State *L, const char *method)
{
	sig_ref *r = luaL_testudata(L, 1, SIGNAL_MT);
	if (r == NULL)
		luaL_error(L, "Expected ':' not '.' calling member function %s",
		           method);
	return rs_inst_signal(r->owner, r->name);
}

/* Roblox forbids some events on one side (OnServerEvent on a client...);
 * the remotes layer stores the rule as an upvalue-free check here. */
static void side_check(lua_State *L, rs_signal *s)
{
	int server = rs_world_is_server(s->owner->w);
	if (strcmp(s->name, "OnServerEvent") == 0 && !server)
		luaL_error(L, "OnServerEvent can only be used on the server");
	if (strcmp(s->name, "OnClientEvent") == 0 && server)
		luaL_error(L, "OnClientEvent can only be used on the client");
}

static void flush_buffer(lua_State *L, rs_signal *s, rs_conn *c)
{
	if (s->queue == LUA_NOREF || s->nqueued == 0)
		return;
	rs_world *w = s->owner->w;
	int n = s->nqueued;
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->queue);
	int q = lua_gettop(L);
	luaL_unref(L, LUA_REGISTRYINDEX, s->queue);
	s->queue = LUA_NOREF;
	s->nqueued = 0;
	for (int k = 1; k <= n; k++) {
		lua_rawgeti(L, q, k);
		lua_getfield(L, -1, "n");
		int nargs = (int)lua_tointeger(L, -1);
		lua_pop(L, 1);
		int pack = lua_gettop(L);
		lua_checkstack(L, nargs + 4);
		for (int a = 1; a <= nargs; a++)
			lua_rawgeti(L, pack, a);
		/* queued firings are always delivered deferred */
		lua_rawgeti(L, LUA_REGISTRYINDEX, c->self);
		lua_rotate(L, pack + 1, 1);
		rs_vm_defer_call_via(w->vm, L, conn_invoke, nargs);
		lua_settop(L, q);
	}
	lua_pop(L, 1);
}

static int connect(lua_State *L, int once)
{
	rs_signal *s = check_signal(L, once ? "Once" : "Connect");
	luaL_checktype(L, 2, LUA_TFUNCTION);
	side_check(L, s);
	rs_world_listen(s->owner, s->name);
	rs_conn *c = lua_newuserdatauv(L, sizeof *c, 1);
	c->sig = NULL;
	c->fn = c->self = LUA_NOREF;
	c->pins = 0;
	luaL_setmetatable(L, CONN_MT);
	if (s->nconns == s->cap) {
		int ncap = s->cap ? s->cap * 2 : 2;
		rs_conn **nc = realloc(s->conns, (size_t)ncap * sizeof *nc);
		if (nc == NULL)
			return luaL_error(L, "not enough memory");
		s->conns = nc;
		s->cap = ncap;
	}
	lua_pushvalue(L, 2);
	lua_setiuservalue(L, -2, 1);
	lua_pushvalue(L, 2);
	c->fn = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_pushvalue(L, -1);
	c->self = luaL_ref(L, LUA_REGISTRYINDEX);
	c->once = (uint8_t)once;
	c->sig = s;
	s->conns[s->nconns++] = c;
	if (s->nconns == 1 && s->nqueued > 0)
		flush_buffer(L, s, c);
	listening(s);
	return 1;
}

static int sig_connect(lua_State *L) { return connect(L, 0); }
static int sig_once(lua_State *L) { return connect(L, 1); }

static int sig_wait(lua_State *L)
{
	rs_signal *s = check_signal(L, "Wait");
	side_check(L, s);
	rs_world_listen(s->owner, s->name);
	rs_thread *t = rs_vm_thread(L);
	if (s->nwait == s->wcap) {
		int ncap = s->wcap ? s->wcap * 2 : 2;
		waiter *nw = realloc(s->waiters, (size_t)ncap * sizeof *nw);
		if (nw == NULL)
			return luaL_error(L, "not enough memory");
		s->waiters = nw;
		s->wcap = ncap;
	}
	s->waiters[s->nwait].t = t;
	s->waiters[s->nwait].gen = t->gen;
	s->nwait++;
	listening(s);
	char what[160];
	snprintf(what, sizeof what, "%s.%s:Wait()", s->owner->name, s->name);
	if (s->nwait == 1 && s->nconns == 0 && s->nqueued > 0) {
		/* a queued remote event satisfies the first waiter */
		lua_rawgeti(L, LUA_REGISTRYINDEX, s->queue);
		lua_rawgeti(L, -1, 1);
		lua_getfield(L, -1, "n");
		int nargs = (int)lua_tointeger(L, -1);
		lua_pop(L, 1);
		lua_remove(L, -2);
		int pack = lua_gettop(L);
		lua_checkstack(L, nargs + 1);
		for (int a = 1; a <= nargs; a++)
			lua_rawgeti(L, pack, a);
		lua_remove(L, pack);
		lua_rawgeti(L, LUA_REGISTRYINDEX, s->queue);
		for (int k = 1; k < s->nqueued; k++) {
			lua_rawgeti(L, -1, k + 1);
			lua_rawseti(L, -2, k);
		}
		lua_pushnil(L);
		lua_rawseti(L, -2, s->nqueued);
		lua_pop(L, 1);
		s->nqueued--;
		s->nwait--;
		return nargs;
	}
	return rs_vm_block(L, what);
}

static int sig_tostring(lua_State *L)
{
	sig_ref *r = luaL_checkudata(L, 1, SIGNAL_MT);
	lua_pushfstring(L, "Signal %s", r->name);
	return 1;
}

static int sig_index(lua_State *L)
{
	const char *k = luaL_checkstring(L, 2);
	static const luaL_Reg methods[] = {
		{ "Connect", sig_connect }, { "Once", sig_once },
		{ "Wait", sig_wait }, { "connect", sig_connect },
		{ "wait", sig_wait }, { NULL, NULL }
	};
	for (const luaL_Reg *m = methods; m->name; m++)
		if (strcmp(m->name, k) == 0) {
			lua_pushcfunction(L, m->func);
			return 1;
		}
	return luaL_error(L, "%s is not a valid member of RBXScriptSignal", k);
}

static int conn_disconnect(lua_State *L)
{
	rs_conn *c = luaL_checkudata(L, 1, CONN_MT);
	conn_drop(L, c);
	return 0;
}

static int conn_index(lua_State *L)
{
	rs_conn *c = luaL_checkudata(L, 1, CONN_MT);
	const char *k = luaL_checkstring(L, 2);
	if (strcmp(k, "Connected") == 0) {
		lua_pushboolean(L, c->sig != NULL);
		return 1;
	}
	if (strcmp(k, "Disconnect") == 0 || strcmp(k, "disconnect") == 0) {
		lua_pushcfunction(L, conn_disconnect);
		return 1;
	}
	return luaL_error(L, "%s is not a valid member of RBXScriptConnection",
	                  k);
}

static int conn_tostring(lua_State *L)
{
	lua_pushliteral(L, "Connection");
	return 1;
}

void rs_signal_open(lua_State *L)
{
	luaL_newmetatable(L, SIGNAL_MT);
	lua_pushcfunction(L, sig_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, sig_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushliteral(L, "RBXScriptSignal");
	lua_setfield(L, -2, "__type");
	lua_pushliteral(L, "The metatable is locked");
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
	luaL_newmetatable(L, CONN_MT);
	lua_pushcfunction(L, conn_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, conn_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushliteral(L, "RBXScriptConnection");
	lua_setfield(L, -2, "__type");
	lua_pushliteral(L, "The metatable is locked");
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
}
