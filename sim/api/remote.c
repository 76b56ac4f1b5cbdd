/*
 * remote.c -- remote events and functions over the game's links, and the
 * same-side bindables.
 *
 * Wire payloads (all start with the remote's network id):
 *   EVENT   id, marshal(args)
 *   INVOKE  id, call, marshal(args)
 *   RESULT  call, ok byte, marshal(results) or the error message string
 * A call id is unique per invoking peer.  Invocations wait in a pending
 * list until their RESULT arrives, the target leaves (InvokeClient errors:
 * "Player X disconnected during remote call to Y"), or forever (the thread
 * shows up as blocked at the end of the run).  A request that finds no
 * callback set waits on the remote until one is assigned, as Roblox does.
 */
#include "rsim/remote.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_internal.h"
#include "rsim/marshal.h"

#define SERVER 1
#define CLIENT 2
#define ANY 3

typedef struct pending {
	int peer;          /* the invoking world */
	uint64_t call;
	int target;        /* the peer asked (0 = server) */
	rs_thread *t;
	uint32_t gen;
	rs_inst *remote;   /* in the invoking world */
} pending;

/* A request that arrived before the callback was assigned. */
typedef struct waiting_req {
	rs_inst *remote;   /* in the serving world */
	int from;          /* invoking peer */
	uint64_t call;
	rs_payload *args;  /* referenced; args start at `off` */
	size_t off;
	struct waiting_req *next;
} waiting_req;

/* Client-to-server throttle of one client (see throttle_at). */
typedef struct throttle {
	rs_time tat;       /* theoretical arrival time of the next request */
} throttle;

struct rs_remotes {
	rs_game *g;
	throttle *thr;     /* [client], grown on demand */
	int nthr;
	pending *pend;
	size_t npend, cap;
	uint64_t next_call;
	waiting_req *waiting;
	rs_buf buf;        /* reused for every encoding */
};

static rs_remotes *remotes_of(rs_world *w);

/* ---- marshal contexts ---- */

static uint64_t net_instance_id(lua_State *L, int idx, void *ud)
{
	(void)ud;
	rs_inst *i = rs_inst_test(L, idx);
	return i ? rs_inst_id(i) : 0;
}

static void net_push_instance(lua_State *L, uint64_t id, void *ud)
{
	rs_inst_push(L, rs_world_find(ud, id));
}

/* Bindables stay in one world: an instance travels as its address. */
static uint64_t local_instance_id(lua_State *L, int idx, void *ud)
{
	(void)ud;
	return (uint64_t)(uintptr_t)rs_inst_test(L, idx);
}

static void local_push_instance(lua_State *L, uint64_t id, void *ud)
{
	(void)ud;
	rs_inst_push(L, (rs_inst *)(uintptr_t)id);
}

static rs_marshal_ctx net_ctx(rs_world *w)
{
	rs_marshal_ctx cx = { net_instance_id, net_push_instance, w, NULL,
	                      NULL, NULL };
	return cx;
}

/* Encodes the n values from `first` after the header already in r->buf;
 * raises the marshal error in the script. */
static void encode_args(lua_State *L, rs_remotes *r, int first, int n,
                        const rs_marshal_ctx *cx)
{
	char err[256];
	if (n < 0)
		n = 0;
	if (!rs_marshal_encode(L, first, n, &r->buf, cx, err, sizeof err))
		luaL_error(L, "%s", err);
}

static const char *remote_label(rs_game *g, rs_inst *remote,
                                const char *member, char *buf, size_t n)
{
	char full[400];
	snprintf(buf, n, "%s %s", member,
	         rs_inst_full_name(remote, full, sizeof full));
	(void)g;
	return buf;
}

static rs_payload *make_payload(rs_remotes *r, rs_inst *remote,
                                const char *member, uint32_t tag)
{
	char label[512];
	remote_label(r->g, remote, member, label, sizeof label);
	uint32_t li = rs_trace_label(&rs_game_sim(r->g)->trace, label);
	rs_payload *p = rs_payload_new(r->buf.p, r->buf.len, li, tag);
	if (p == NULL)
		abort();
	return p;
}

/* ---- side rules ---- */

static const struct side_rule {
	const char *member;
	int side;
	const char *error;
} side_rules[] = {
	{ "FireServer", CLIENT, "FireServer can only be called from the client" },
	{ "FireClient", SERVER, "FireClient can only be called from the server" },
	{ "FireAllClients", SERVER,
	  "FireAllClients can only be called from the server" },
	{ "InvokeServer", CLIENT,
	  "InvokeServer can only be called from the client" },
	{ "InvokeClient", SERVER,
	  "InvokeClient can only be called from the server" },
};

static rs_inst *remote_self(lua_State *L, const char *member)
{
	rs_inst *i = rs_inst_test(L, 1);
	if (i == NULL)
		luaL_error(L, "Expected ':' not '.' calling member function %s",
		           member);
	int server = rs_world_is_server(rs_inst_world(i));
	for (size_t k = 0; k < sizeof side_rules / sizeof *side_rules; k++) {
		const struct side_rule *s = &side_rules[k];
		if (strcmp(s->member, member) != 0)
			continue;
		if ((s->side == SERVER && !server) || (s->side == CLIENT && server))
			luaL_error(L, "%s", s->error);
	}
	return i;
}

/* The target client of FireClient/InvokeClient: a Player on the server. */
static int target_client(lua_State *L, const char *member)
{
	rs_inst *p = rs_inst_test(L, 2);
	if (p == NULL || !rs_inst_isa(p, "Player") ||
	    rs_inst_player_client(p) == 0)
		luaL_error(L, "%s: player argument must be a Player object",
		           member);
	return rs_inst_player_client(p);
}

/* ---- the client-to-server throttle ---- */

#define DEFAULT_RATE 500.0

/*
 * Roblox throttles what a client sends to the server, all remotes of a
 * client together (about 500 requests per second).  Modelled as a cell
 * rate algorithm: a client may send `rate` requests at once, then one per
 * 1/rate seconds; a request over the budget is held, not dropped, and
 * leaves when the budget allows, so order is kept.  Returns the time the
 * request may leave.
 */
static rs_time throttle_at(rs_remotes *r, int client)
{
	if (client >= r->nthr) {
		int n = client + 16;
		throttle *t = realloc(r->thr, (size_t)n * sizeof *t);
		if (t == NULL)
			abort();
		memset(t + r->nthr, 0, (size_t)(n - r->nthr) * sizeof *t);
		r->thr = t;
		r->nthr = n;
	}
	const rs_link_config *cfg = rs_net_config(rs_game_net(r->g), client);
	double rate = cfg && cfg->remote_rate > 0 ? cfg->remote_rate
	                                          : DEFAULT_RATE;
	rs_time now = rs_game_sim(r->g)->now;
	rs_time step = rs_time_from_sec(1.0 / rate);
	if (step < 1)
		step = 1;
	rs_time burst = step * ((rs_time)rate - 1); /* rate at once */
	throttle *t = &r->thr[client];
	if (t->tat < now)
		t->tat = now;
	rs_time at = t->tat - burst > now ? t->tat - burst : now;
	t->tat += step;
	return at;
}

static void send_later(rs_sim *sim, const rs_event *ev)
{
	(void)sim;
	rs_remotes *r = ev->ctx;
	rs_payload *p = (rs_payload *)(uintptr_t)ev->a;
	int client = (int)(ev->b >> 1);
	if (rs_game_client_connected(r->g, client))
		rs_net_send(rs_game_net(r->g), client, RS_UP, (int)(ev->b & 1), p);
	rs_payload_unref(p);
}

/* Sends p up from client through its throttle. */
static void send_up(rs_remotes *r, int client, int reliable, rs_payload *p)
{
	rs_time at = throttle_at(r, client);
	rs_sim *sim = rs_game_sim(r->g);
	if (at <= sim->now) {
		rs_net_send(rs_game_net(r->g), client, RS_UP, reliable, p);
		return;
	}
	rs_payload_ref(p);
	rs_sim_at(sim, at, send_later, r, (uint64_t)(uintptr_t)p,
	          ((uint64_t)client << 1) | (reliable != 0));
}

/* ---- RemoteEvent ---- */

static int unreliable(const rs_inst *remote)
{
	/* class records are static: compare the pointer, not the name */
	static const rs_class *ure;
	if (ure == NULL)
		ure = rs_class_find("UnreliableRemoteEvent");
	return remote->cls == ure;
}

/* Encodes an EVENT for remote with the args at [first, top]. Returns 0
 * (with a warning) when an unreliable payload is over its limit. */
static int encode_event(lua_State *L, rs_remotes *r, rs_inst *remote,
                        int first)
{
	rs_world *w = rs_inst_world(remote);
	rs_marshal_ctx cx = net_ctx(w);
	r->buf.len = 0;
	rs_buf_put_uv(&r->buf, rs_inst_id(remote));
	encode_args(L, r, first, lua_gettop(L) - first + 1, &cx);
	if (unreliable(remote) && r->buf.len > RS_UNRELIABLE_LIMIT) {
		char msg[300];
		snprintf(msg, sizeof msg, "UnreliableRemoteEvent %s: the payload "
		         "(%zu bytes) is over the %d-byte limit and was dropped",
		         rs_inst_name(remote), r->buf.len, RS_UNRELIABLE_LIMIT);
		rs_vm_output(rs_world_vm(w), RS_OUT_WARN, msg, strlen(msg));
		return 0;
	}
	return 1;
}

static int fire_server(lua_State *L)
{
	rs_inst *remote = remote_self(L, "FireServer");
	rs_world *w = rs_inst_world(remote);
	rs_remotes *r = remotes_of(w);
	if (!encode_event(L, r, remote, 2) || rs_inst_id(remote) == 0)
		return 0;
	rs_payload *p = make_payload(r, remote, "FireServer", RS_TAG_EVENT);
	send_up(r, rs_world_peer(w), !unreliable(remote), p);
	rs_payload_unref(p);
	return 0;
}

static int fire_client(lua_State *L)
{
	rs_inst *remote = remote_self(L, "FireClient");
	int k = target_client(L, "FireClient");
	rs_remotes *r = remotes_of(rs_inst_world(remote));
	if (!encode_event(L, r, remote, 3) || rs_inst_id(remote) == 0 ||
	    !rs_game_client_connected(r->g, k))
		return 0;
	rs_payload *p = make_payload(r, remote, "FireClient", RS_TAG_EVENT);
	rs_net_send(rs_game_net(r->g), k, RS_DOWN, !unreliable(remote), p);
	rs_payload_unref(p);
	return 0;
}

static int fire_all_clients(lua_State *L)
{
	rs_inst *remote = remote_self(L, "FireAllClients");
	rs_remotes *r = remotes_of(rs_inst_world(remote));
	if (!encode_event(L, r, remote, 2) || rs_inst_id(remote) == 0)
		return 0;
	rs_payload *p = make_payload(r, remote, "FireAllClients", RS_TAG_EVENT);
	rs_net *net = rs_game_net(r->g);
	int rel = !unreliable(remote);
	for (int k = 1; k < rs_game_npeers(r->g); k++)
		if (rs_game_client_connected(r->g, k))
			rs_net_send(net, k, RS_DOWN, rel, p);
	rs_payload_unref(p);
	return 0;
}

/* Decodes the arguments of a delivered payload onto the receiving VM;
 * returns their count or -1 (with a warning) when malformed. */
static int decode_args(rs_world *w, const unsigned char *p,
                       const unsigned char *end)
{
	lua_State *L = rs_vm_state(rs_world_vm(w));
	rs_marshal_ctx cx = net_ctx(w);
	int n = rs_marshal_decode(L, p, (size_t)(end - p), &cx);
	if (n < 0) {
		static const char msg[] = "a remote call arrived with malformed "
		                          "arguments and was dropped";
		rs_vm_output(rs_world_vm(w), RS_OUT_WARN, msg, sizeof msg - 1);
	}
	return n;
}

/* ---- event arguments made when their handler runs ---- */

/*
 * A deferred handler of a remote event usually runs only after every other
 * arrival of the same instant (a fan-out queues a thousand firings per
 * client before the first runs); decoding each firing then would hold all
 * their tables at once.  Plain arguments (no Instance, no datatype: their
 * values depend on nothing but the bytes) are decoded instead when the
 * handler runs, into the identities the VM reserved at arrival, so nothing
 * tells them from a decode at arrival.  The payload's memo caches, once for
 * all receivers, whether its arguments are plain and how many tables they
 * make.
 */
#define LAZY_MAX_VALUES 64    /* more arguments are decoded at arrival */
#define MEMO_DONE 1u
#define MEMO_PLAIN 2u
#define MEMO_TABLES_MAX (UINT32_MAX >> 2)

/* The memo of pl, whose arguments start at byte `off`. */
static uint32_t args_memo(const rs_payload *pl, size_t off)
{
	if (pl->memo == 0) {
		rs_marshal_shape sh;
		uint32_t m = MEMO_DONE;
		if (rs_marshal_shape_of(pl->data + off, pl->len - off, &sh) &&
		    sh.plain && sh.values <= LAZY_MAX_VALUES &&
		    sh.tables <= MEMO_TABLES_MAX)
			m |= MEMO_PLAIN | sh.tables << 2;
		((rs_payload *)pl)->memo = m;
	}
	return pl->memo;
}

typedef struct table_ids {
	rs_vm *vm;
	uint64_t next;
} table_ids;

static void next_table_id(lua_State *L, void *ud)
{
	(void)L;
	table_ids *ids = ud;
	rs_vm_use_identity(ids->vm, ids->next++);
}

/* The payload's arguments (past the remote's id), made now. */
static int lazy_push(lua_State *L, const rs_vm_lazy *z, uint64_t first_id)
{
	rs_payload *pl = z->ud;
	const unsigned char *p = pl->data, *end = pl->data + pl->len;
	uint64_t id;
	int n = -1;
	if (rs_buf_get_uv(&p, end, &id)) {
		table_ids ids = { rs_vm_of(L), first_id };
		rs_marshal_ctx cx = { NULL, NULL, &ids, next_table_id, NULL,
		                      NULL };
		n = rs_marshal_decode(L, p, (size_t)(end - p), &cx);
	}
	rs_payload_unref(pl);
	return n;
}

static void lazy_drop(const rs_vm_lazy *z)
{
	rs_payload_unref(z->ud);
}

static const rs_vm_lazy_ops lazy_ops = { lazy_push, lazy_drop };

/* Fires s with the nargs values on top of L and the arguments at byte
 * `off` of pl, made when the handler runs; 0 when they must be made now
 * (nothing is popped then). */
static int fire_lazy(rs_signal *s, lua_State *L, int nargs,
                     const rs_payload *pl, size_t off)
{
	uint32_t m = args_memo(pl, off);
	if (!(m & MEMO_PLAIN))
		return 0;
	rs_vm_lazy z = { &lazy_ops, (void *)pl };
	rs_payload_ref((rs_payload *)pl);
	if (rs_signal_fire_lazy(s, L, nargs, &z, m >> 2))
		return 1;
	rs_payload_unref((rs_payload *)pl);
	return 0;
}

static void on_event(rs_game *g, int client, rs_dir dir, const rs_payload *pl)
{
	rs_world *w = rs_game_world(g, dir == RS_UP ? 0 : client);
	if (rs_vm_halted(rs_world_vm(w)))
		return;
	const unsigned char *p = pl->data, *end = pl->data + pl->len;
	uint64_t id;
	if (!rs_buf_get_uv(&p, end, &id))
		return;
	rs_inst *remote = rs_world_find(w, id);
	if (remote == NULL)
		return;
	lua_State *L = rs_vm_state(rs_world_vm(w));
	const char *event = dir == RS_UP ? "OnServerEvent" : "OnClientEvent";
	rs_signal *s = rs_inst_signal_lit(remote, event);
	rs_signal_set_buffered(s, !unreliable(remote));
	size_t off = (size_t)(p - pl->data);
	if (dir == RS_DOWN && fire_lazy(s, L, 0, pl, off))
		return;
	int base = lua_gettop(L);
	if (dir == RS_UP) {
		rs_inst *player = rs_world_player(w, client);
		if (player == NULL)
			return;
		rs_inst_push(L, player);
		if (fire_lazy(s, L, 1, pl, off))
			return;
	}
	int n = decode_args(w, p, end);
	if (n < 0) {
		lua_settop(L, base);
		return;
	}
	rs_signal_fire(s, L, lua_gettop(L) - base);
}

/* ---- RemoteFunction ---- */

static void pending_add(rs_remotes *r, const pending *pd)
{
	if (r->npend == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->pend = realloc(r->pend, r->cap * sizeof *r->pend);
		if (r->pend == NULL)
			abort();
	}
	r->pend[r->npend++] = *pd;
}

static int pending_take(rs_remotes *r, int peer, uint64_t call, pending *out)
{
	for (size_t k = 0; k < r->npend; k++)
		if (r->pend[k].peer == peer && r->pend[k].call == call) {
			*out = r->pend[k];
			r->pend[k] = r->pend[--r->npend];
			return 1;
		}
	return 0;
}

/* After an invocation resumes: (true, results...) or (false, message). */
static int invoke_done(lua_State *L, int status, lua_KContext ctx)
{
	(void)status;
	int base = (int)ctx;
	if (!lua_toboolean(L, base + 1)) {
		lua_pushvalue(L, base + 2);
		return lua_error(L);
	}
	return lua_gettop(L) - base - 1;
}

static int invoke(lua_State *L, rs_inst *remote, int target, int first,
                  const char *member)
{
	rs_world *w = rs_inst_world(remote);
	rs_remotes *r = remotes_of(w);
	rs_marshal_ctx cx = net_ctx(w);
	uint64_t call = ++r->next_call;
	r->buf.len = 0;
	rs_buf_put_uv(&r->buf, rs_inst_id(remote));
	rs_buf_put_uv(&r->buf, call);
	encode_args(L, r, first, lua_gettop(L) - first + 1, &cx);
	rs_thread *t = rs_vm_thread(L);
	pending pd = { rs_world_peer(w), call, target, t, t->gen, remote };
	if (rs_inst_id(remote) != 0 &&
	    (target == 0 || rs_game_client_connected(r->g, target))) {
		rs_payload *p = make_payload(r, remote, member, RS_TAG_INVOKE);
		if (target)
			rs_net_send(rs_game_net(r->g), target, RS_DOWN, 1, p);
		else
			send_up(r, rs_world_peer(w), 1, p);
		rs_payload_unref(p);
	}
	pending_add(r, &pd);
	char full[400];
	rs_inst_full_name(remote, full, sizeof full);
	lua_settop(L, 0);
	t->state = RS_T_WAITING;
	snprintf(t->waiting_on, sizeof t->waiting_on, "%s %.60s", member, full);
	t->wait_start = rs_game_sim(r->g)->now;
	t->timed = 0;
	return lua_yieldk(L, 0, 0, invoke_done);
}

static int invoke_server(lua_State *L)
{
	rs_inst *remote = remote_self(L, "InvokeServer");
	return invoke(L, remote, 0, 2, "InvokeServer");
}

static int invoke_client(lua_State *L)
{
	rs_inst *remote = remote_self(L, "InvokeClient");
	int k = target_client(L, "InvokeClient");
	if (!rs_game_client_connected(remotes_of(rs_inst_world(remote))->g, k)) {
		rs_inst *p = rs_inst_test(L, 2);
		return luaL_error(L, "Player %s disconnected during remote call to "
		                  "%s", rs_inst_name(p), rs_inst_name(remote));
	}
	return invoke(L, remote, k, 3, "InvokeClient");
}

/* Sends the RESULT of call back to the invoker: ok and the values on the
 * serving thread's stack from `first`, or the error message. */
static void send_result(lua_State *L, rs_remotes *r, rs_world *w,
                        rs_inst *remote, int invoker, uint64_t call, int ok,
                        int first)
{
	rs_marshal_ctx cx = net_ctx(w);
	r->buf.len = 0;
	rs_buf_put_uv(&r->buf, call);
	rs_buf_put_uv(&r->buf, (uint64_t)ok);
	char err[256];
	int n = lua_gettop(L) - first + 1;
	if (ok && !rs_marshal_encode(L, first, n, &r->buf, &cx, err, sizeof err)) {
		/* the results cannot travel: the invoker gets the error */
		r->buf.len = 0;
		rs_buf_put_uv(&r->buf, call);
		rs_buf_put_uv(&r->buf, 0);
		lua_pushstring(L, err);
		rs_marshal_encode(L, lua_gettop(L), 1, &r->buf, &cx, err,
		                  sizeof err);
		lua_pop(L, 1);
	} else if (!ok) {
		rs_marshal_encode(L, first, 1, &r->buf, &cx, err, sizeof err);
	}
	int server = rs_world_is_server(w);
	int client = server ? invoker : rs_world_peer(w);
	if (server && !rs_game_client_connected(r->g, invoker))
		return;
	if (rs_vm_halted(rs_world_vm(w)))
		return;
	rs_payload *p = make_payload(r, remote, server ? "OnServerInvoke return"
	                                               : "OnClientInvoke return",
	                             RS_TAG_RESULT);
	rs_net_send(rs_game_net(r->g), client, server ? RS_DOWN : RS_UP, 1, p);
	rs_payload_unref(p);
}

/* Runs in a handler thread: serve(remote, invoker, call, callback, args..)
 * calls the callback and sends what it returned, or its error. */
static int serve_done(lua_State *L, int status, lua_KContext ctx)
{
	(void)ctx;
	rs_inst *remote = rs_inst_check(L, 1);
	rs_world *w = rs_inst_world(remote);
	int invoker = (int)lua_tointeger(L, 2);
	uint64_t call = (uint64_t)lua_tointeger(L, 3);
	int ok = status == LUA_OK || status == LUA_YIELD;
	if (!ok && lua_type(L, -1) != LUA_TSTRING) {
		rs_vm_tostring(L, -1, NULL);
		lua_replace(L, -2);
	}
	if (!ok) /* the invoker's VM knows none of this one's chunk names */
		rs_vm_fullnames(L, -1);
	send_result(L, remotes_of(w), w, remote, invoker, call, ok,
	            ok ? 4 : lua_gettop(L));
	return 0;
}

static int serve(lua_State *L)
{
	int nargs = lua_gettop(L) - 4;
	lua_pushvalue(L, 4);
	lua_remove(L, 4);
	lua_insert(L, 4);
	/* stack: remote, invoker, call, callback, args... */
	int status = lua_pcallk(L, nargs, LUA_MULTRET, 0, 0, serve_done);
	return serve_done(L, status, 0);
}

/* Starts serving a request whose arguments are at p..end. */
static void start_serving(rs_remotes *r, rs_world *w, rs_inst *remote,
                          int invoker, uint64_t call,
                          const unsigned char *p, const unsigned char *end)
{
	lua_State *L = rs_vm_state(rs_world_vm(w));
	int server = rs_world_is_server(w);
	int base = lua_gettop(L);
	lua_pushcfunction(L, serve);
	rs_inst_push(L, remote);
	lua_pushinteger(L, invoker);
	lua_pushinteger(L, (lua_Integer)call);
	rs_inst_push_callback(L, remote, server ? "OnServerInvoke"
	                                        : "OnClientInvoke");
	if (server) {
		rs_inst *player = rs_world_player(w, invoker);
		if (player == NULL) {
			lua_settop(L, base);
			return;
		}
		rs_inst_push(L, player);
	}
	if (decode_args(w, p, end) < 0) {
		lua_settop(L, base);
		return;
	}
	rs_vm_spawn_call(rs_world_vm(w), L, lua_gettop(L) - base - 1);
	(void)r;
}

static int has_callback(rs_world *w, rs_inst *remote)
{
	lua_State *L = rs_vm_state(rs_world_vm(w));
	rs_inst_push_callback(L, remote, rs_world_is_server(w)
	                                 ? "OnServerInvoke" : "OnClientInvoke");
	int yes = lua_isfunction(L, -1);
	lua_pop(L, 1);
	return yes;
}

static void on_invoke(rs_game *g, int client, rs_dir dir,
                      const rs_payload *pl)
{
	rs_world *w = rs_game_world(g, dir == RS_UP ? 0 : client);
	rs_remotes *r = remotes_of(w);
	if (rs_vm_halted(rs_world_vm(w)))
		return;
	const unsigned char *p = pl->data, *end = pl->data + pl->len;
	uint64_t id, call;
	if (!rs_buf_get_uv(&p, end, &id) || !rs_buf_get_uv(&p, end, &call))
		return;
	rs_inst *remote = rs_world_find(w, id);
	if (remote == NULL)
		return;
	int invoker = dir == RS_UP ? client : 0;
	if (!has_callback(w, remote)) {
		waiting_req *q = calloc(1, sizeof *q);
		if (q == NULL)
			abort();
		q->remote = remote;
		q->from = invoker;
		q->call = call;
		q->args = (rs_payload *)pl;
		rs_payload_ref(q->args);
		q->off = (size_t)(p - pl->data);
		/* append, so requests are served in arrival order */
		waiting_req **tail = &r->waiting;
		while (*tail)
			tail = &(*tail)->next;
		*tail = q;
		return;
	}
	start_serving(r, w, remote, invoker, call, p, end);
}

/* A callback was assigned: serve the requests that waited for it. */
static void on_callback_set(rs_remotes *r, rs_inst *remote)
{
	rs_world *w = rs_inst_world(remote);
	if (!has_callback(w, remote))
		return;
	waiting_req **pp = &r->waiting;
	while (*pp) {
		waiting_req *q = *pp;
		if (q->remote != remote) {
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		start_serving(r, w, remote, q->from, q->call, q->args->data + q->off,
		              q->args->data + q->args->len);
		rs_payload_unref(q->args);
		free(q);
	}
}

static void on_result(rs_game *g, int client, rs_dir dir,
                      const rs_payload *pl)
{
	int peer = dir == RS_UP ? 0 : client;
	rs_world *w = rs_game_world(g, peer);
	rs_remotes *r = remotes_of(w);
	const unsigned char *p = pl->data, *end = pl->data + pl->len;
	uint64_t call, ok;
	if (!rs_buf_get_uv(&p, end, &call) || !rs_buf_get_uv(&p, end, &ok))
		return;
	pending pd;
	if (!pending_take(r, peer, call, &pd) || pd.t->gen != pd.gen ||
	    rs_vm_halted(rs_world_vm(w)))
		return;
	lua_State *L = rs_vm_state(rs_world_vm(w));
	int base = lua_gettop(L);
	lua_pushboolean(L, ok != 0);
	if (decode_args(w, p, end) < 0) {
		lua_settop(L, base);
		lua_pushboolean(L, 0);
		lua_pushliteral(L, "the reply of a remote call was malformed");
	}
	rs_vm_resume(pd.t, L, lua_gettop(L) - base);
}

/* Client k left: its pending InvokeClient calls fail in the server. */
static void on_leave(rs_game *g, int k, void *ud)
{
	rs_remotes *r = ud;
	rs_world *sw = rs_game_world(g, 0);
	lua_State *L = rs_vm_state(rs_world_vm(sw));
	rs_inst *player = rs_world_player(sw, k);
	for (size_t i = 0; i < r->npend;) {
		pending pd = r->pend[i];
		if (pd.peer != 0 || pd.target != k) {
			i++;
			continue;
		}
		r->pend[i] = r->pend[--r->npend];
		if (pd.t->gen != pd.gen)
			continue;
		lua_pushboolean(L, 0);
		lua_pushfstring(L, "Player %s disconnected during remote call to %s",
		                player ? rs_inst_name(player) : "?",
		                rs_inst_name(pd.remote));
		rs_vm_defer_resume(pd.t, L, 2);
	}
}

/* ---- bindables ---- */

/* A copy within one world: functions met are kept, in order, in an
 * anchor table at stack index `anchor`; an id is a slot of it. */
typedef struct local_copy {
	int anchor;
	lua_Integer nrefs;
} local_copy;

static uint64_t local_value_ref(lua_State *L, int idx, void *ud)
{
	local_copy *lc = ud;
	lua_pushvalue(L, idx);
	lua_rawseti(L, lc->anchor, ++lc->nrefs);
	return (uint64_t)lc->nrefs;
}

static void local_push_ref(lua_State *L, uint64_t id, void *ud)
{
	local_copy *lc = ud;
	lua_rawgeti(L, lc->anchor, (lua_Integer)id);
}

/* Bindables copy as remotes do, within one world, but functions pass
 * through unchanged (marshal.c, rule 2b): the values from `first` to the
 * top are replaced by their copies.  Returns their count.  The bytes go
 * after whatever r->buf holds and are taken off again, so a copy made
 * while another encoding is under way (a __tostring that fires a
 * bindable) leaves that one whole. */
static int copy_local(lua_State *L, rs_inst *b, int first, const char *what)
{
	rs_world *w = rs_inst_world(b);
	rs_remotes *r = remotes_of(w);
	int n = lua_gettop(L) - first + 1;
	lua_newtable(L);
	local_copy lc = { lua_gettop(L), 0 };
	rs_marshal_ctx cx = { local_instance_id, local_push_instance, &lc,
	                      NULL, local_value_ref, local_push_ref };
	size_t start = r->buf.len;
	encode_args(L, r, first, n, &cx);
	/* the anchor moves down to `first`, below the copies */
	lua_copy(L, lc.anchor, first);
	lua_settop(L, first);
	lc.anchor = first;
	int got = rs_marshal_decode(L, r->buf.p + start, r->buf.len - start,
	                            &cx);
	r->buf.len = start;
	if (got < 0)
		return luaL_error(L, "%s could not copy its values", what);
	lua_remove(L, first);
	return got;
}

static rs_inst *bindable_self(lua_State *L, const char *member)
{
	rs_inst *b = rs_inst_test(L, 1);
	if (b == NULL)
		luaL_error(L, "Expected ':' not '.' calling member function %s",
		           member);
	return b;
}

static int bindable_fire(lua_State *L)
{
	rs_inst *b = bindable_self(L, "Fire");
	int n = copy_local(L, b, 2, "BindableEvent:Fire");
	rs_signal_fire(rs_inst_signal(b, "Event"), L, n);
	return 0;
}

/* The callback's results come back copied, as the arguments went. */
static int bindable_results(lua_State *L, int status, lua_KContext ctx)
{
	(void)status;
	(void)ctx;
	return copy_local(L, rs_inst_check(L, 1), 2, "BindableFunction:Invoke");
}

/* Calls OnInvoke with the copies at [2, top]; while it is unset the
 * invoker waits (Roblox: it yields until the callback is found, forever if
 * it never is) and comes back here when it is assigned. */
static int bindable_call(lua_State *L, int status, lua_KContext ctx)
{
	(void)status;
	(void)ctx;
	rs_inst *b = rs_inst_check(L, 1);
	rs_inst_push_callback(L, b, "OnInvoke");
	if (!lua_isfunction(L, -1)) {
		lua_pop(L, 1);
		rs_remotes *r = remotes_of(rs_inst_world(b));
		rs_thread *t = rs_vm_thread(L);
		pending pd = { rs_world_peer(rs_inst_world(b)), 0, -1, t, t->gen, b };
		pending_add(r, &pd);
		char what[96];
		snprintf(what, sizeof what, "BindableFunction.Invoke %.60s",
		         rs_inst_name(b));
		t->state = RS_T_WAITING;
		snprintf(t->waiting_on, sizeof t->waiting_on, "%s", what);
		t->wait_start = rs_game_sim(r->g)->now;
		t->timed = 0;
		return lua_yieldk(L, 0, 0, bindable_call);
	}
	lua_insert(L, 2);
	lua_callk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, bindable_results);
	return bindable_results(L, LUA_OK, 0);
}

static int bindable_invoke(lua_State *L)
{
	rs_inst *b = bindable_self(L, "Invoke");
	copy_local(L, b, 2, "BindableFunction:Invoke");
	return bindable_call(L, LUA_OK, 0);
}

/* OnInvoke was assigned: the invokers waiting for it go on. */
static void wake_bindable_waiters(rs_remotes *r, rs_inst *b)
{
	lua_State *L = rs_vm_state(rs_world_vm(rs_inst_world(b)));
	for (size_t i = 0; i < r->npend;) {
		pending pd = r->pend[i];
		if (pd.target != -1 || pd.remote != b) {
			i++;
			continue;
		}
		r->pend[i] = r->pend[--r->npend];
		if (pd.t->gen == pd.gen)
			rs_vm_defer_resume(pd.t, L, 0);
	}
}

/* ---- set-up ---- */

static const char REG_KEY = 0;

static rs_remotes *remotes_of(rs_world *w)
{
	lua_State *L = rs_vm_state(rs_world_vm(w));
	lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_KEY);
	rs_remotes *r = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return r;
}

/* The api calls this when a callback property is assigned. */
static void callback_assigned(rs_inst *i, void *ud)
{
	if (rs_inst_isa(i, "BindableFunction"))
		wake_bindable_waiters(ud, i);
	else
		on_callback_set(ud, i);
}

static void open_world(rs_world *w, void *ud)
{
	lua_State *L = rs_vm_state(rs_world_vm(w));
	lua_pushlightuserdata(L, ud);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_KEY);
	static const struct { const char *cls, *name; lua_CFunction f; } m[] = {
		{ "BaseRemoteEvent", "FireServer", fire_server },
		{ "BaseRemoteEvent", "FireClient", fire_client },
		{ "BaseRemoteEvent", "FireAllClients", fire_all_clients },
		{ "RemoteFunction", "InvokeServer", invoke_server },
		{ "RemoteFunction", "InvokeClient", invoke_client },
		{ "BindableEvent", "Fire", bindable_fire },
		{ "BindableFunction", "Invoke", bindable_invoke },
	};
	for (size_t k = 0; k < sizeof m / sizeof *m; k++)
		rs_api_method(L, m[k].cls, m[k].name, m[k].f);
}

rs_remotes *rs_remotes_open(rs_game *g)
{
	rs_remotes *r = calloc(1, sizeof *r);
	if (r == NULL)
		abort();
	r->g = g;
	rs_buf_init(&r->buf);
	rs_game_on_message(g, RS_TAG_EVENT, on_event);
	rs_game_on_message(g, RS_TAG_INVOKE, on_invoke);
	rs_game_on_message(g, RS_TAG_RESULT, on_result);
	rs_game_on_leave(g, on_leave, r);
	rs_game_on_world(g, open_world, r);
	rs_game_on_callback(g, callback_assigned, r);
	return r;
}

void rs_remotes_free(rs_remotes *r)
{
	if (r == NULL)
		return;
	while (r->waiting) {
		waiting_req *q = r->waiting;
		r->waiting = q->next;
		rs_payload_unref(q->args);
		free(q);
	}
	free(r->pend);
	free(r->thr);
	rs_buf_free(&r->buf);
	free(r);
}
