/*
 * api_internal.h -- structures shared by the object model's files:
 * instance.c (classes, properties, the tree, Lua proxies), signal.c
 * (RBXScriptSignal and connections) and game.c (worlds, players,
 * replication).  Not installed.
 */
#ifndef RSIM_API_INTERNAL_H
#define RSIM_API_INTERNAL_H

#include <lauxlib.h>

#include "rsim/api.h"
#include "rsim/datatypes.h"

/* ---- values of properties ---- */

typedef enum rs_vtype {
	RS_V_NIL = 0, RS_V_BOOL, RS_V_NUM, RS_V_STR, RS_V_DT, RS_V_REF, RS_V_FN
} rs_vtype;

typedef struct rs_value {
	uint8_t type;
	union {
		int b;
		double n;
		char *s;
		rs_datatype *dt;
		rs_inst *ref;
		int fn;           /* registry ref of a callback */
	} u;
} rs_value;

/* ---- classes ---- */

enum {
	RS_P_READONLY = 1,    /* scripts may read, not write */
	RS_P_LOCAL = 2,       /* never replicated */
	RS_P_CALLBACK = 4,    /* write-only function (OnServerInvoke) */
	RS_P_SERVER = 8,      /* a callback only the server may set */
	RS_P_CLIENT = 16      /* a callback only a client may set */
};

typedef struct rs_prop {
	const char *name;
	uint8_t type;         /* rs_vtype */
	uint8_t dtkind;       /* for RS_V_DT: rs_dt_kind */
	uint8_t flags;
	const char *enum_name;   /* for EnumItem properties */
	/* Virtual properties (Position over CFrame) have accessors. */
	void (*get)(lua_State *L, rs_inst *i);
	void (*set)(lua_State *L, rs_inst *i, int idx);
} rs_prop;

typedef struct rs_class rs_class;
struct rs_class {
	const char *name;
	const char *super_name;
	uint8_t creatable;     /* Instance.new may make it */
	uint8_t service;       /* found with GetService */
	uint8_t replicates;    /* a service whose contents clients see */
	const rs_prop *props;  /* own properties, NULL-name terminated */
	const char *const *events;
	const luaL_Reg *methods;
	/* resolved at start-up */
	const rs_class *super;
	int index;
	int nslots;            /* properties including inherited */
	const rs_prop **slots;
};

const rs_class *rs_class_find(const char *name);
const rs_class *rs_class_at(int index);
int rs_class_count(void);
int rs_class_isa(const rs_class *c, const char *name);
/* The same against a class already found: no names compared. */
int rs_class_is(const rs_class *c, const rs_class *base);
/* The slot of property `name` in class c (inherited included), or -1. */
int rs_class_slot(const rs_class *c, const char *name);

/* ---- instances ---- */

/* An instance's tags, in the order they were added (services.c). */
typedef struct rs_tags {
	uint32_t n, cap;
	char *v[];
} rs_tags;

#define RS_MAX_INSTANCES 500000  /* per peer; Instance.new errors past it */

struct rs_inst {
	const rs_class *cls;
	rs_world *w;
	rs_signal *signals;    /* in the first cache line: a firing reads it */
	uint64_t id;           /* network id (server ids); 0 = none */
	char *name;
	rs_inst *parent;
	rs_inst **kids;
	uint32_t nkids, kcap;
	int proxy;             /* registry ref of the userdata, or LUA_NOREF */
	int attrs;             /* registry ref of the attribute table */
	uint64_t ident;        /* identity reserved for the userdata not made
	                        * yet (rs_inst_reserve), 0 = none */
	int client;            /* a server Player's client index */
	uint8_t destroyed;
	uint8_t locked;        /* Parent locked (services, destroyed) */
	uint8_t from_server;   /* a client's copy of a replicated instance */
	uint8_t name_inline;   /* name lives in the record's block */
	uint8_t ran;           /* scripts: started once; never again */
	rs_value *props;       /* cls->nslots values, after the record */
	rs_inst *all_next;     /* the world's list, for teardown */
	char *source;          /* scripts */
	size_t source_len;
	int module_ref;        /* ModuleScript result, LUA_NOREF until run */
	int module_state;      /* 0 not run, 1 running, 2 done, 3 failed */
	rs_tags *tags;         /* CollectionService tags, NULL = none */
};

typedef struct rs_idslot {
	uint64_t key;          /* 0 = empty */
	rs_inst *val;          /* NULL with a key: deleted */
} rs_idslot;

typedef struct rs_idmap {
	rs_idslot *slots;      /* key and value side by side: one cache line */
	size_t cap, len;       /* cap a power of two */
	/* One-entry cache of the last hit (a fan-out looks up the same
	 * remote again and again); kept in step by put and del. */
	uint64_t last_id;      /* 0 = empty */
	rs_inst *last;
} rs_idmap;

struct rs_world {
	rs_game *game;
	rs_vm *vm;
	rs_idmap ids;          /* with vm, in the first cache line: every
	                        * arrival reads both */
	int peer;
	rs_inst *root;         /* the DataModel */
	rs_inst *all;          /* every instance, newest first */
	int ninst;             /* how many (scripts may make RS_MAX_INSTANCES) */
	uint64_t next_local_id;
	rs_inst *local_player; /* clients */
	int frames_armed;      /* a RunService frame event is pending */
	void *child_waiters;   /* WaitForChild callers (instance.c) */
	int loaded;            /* clients: the snapshot arrived */
	int scripts_live;      /* scripts that enter now may start
	                        * (rs_world_scripts_live) */
	rs_inst *players;      /* the Players service */
	uint32_t nplayer_kids; /* server: Players' children that are Players
	                        * of clients (rs_repl_player_root) */
	uint32_t roster_seen;  /* clients: roster entries looked at so far */
	uint32_t ntagged;      /* instances that ever had a tag: while 0,
	                        * reparenting has no tags to look for */
	int guid_seeded;       /* HttpService:GenerateGUID's stream */
	rs_rng guid_rng;
	void *messages;        /* MessagingService publications on their way
	                        * (services.c), oldest first */
};

/* A join as the clients learn of it: a client that does not listen to
 * Players ("lazy") gets no message per join; it makes its copy of a Player
 * when a script first looks, if by then the CREATE message the join would
 * have sent it at (t, seq) had arrived. */
typedef struct rs_roster_entry {
	int k;                 /* the client that joined */
	rs_time t;             /* when, on the server */
	uint64_t seq;          /* its place among events at that time */
} rs_roster_entry;

typedef struct rs_client_slot {
	char *name;
	rs_link_config link;
	int64_t user_id;       /* Player.UserId: k, or the first session's */
	int joined, connected, replicating;
	int eager;             /* is sent every Player (it listens to Players) */
	rs_inst *player;       /* on the server */
	int *watchers;         /* lazy clients that made a copy of this
	                        * Player, ascending */
	int nwatch, watch_cap;
	void (*on_loaded)(rs_game *g, int k, void *ud);
	void *loaded_ud;
} rs_client_slot;

struct rs_game {
	rs_sim *sim;
	rs_net *net;
	rs_game_config cfg;
	rs_world **worlds;     /* [0] server, [k] client k */
	rs_client_slot *clients;  /* [k], k >= 1; [0] unused */
	int npeers, cap;
	rs_msg_handler handlers[32];
	void (*on_world)(rs_world *w, void *ud);
	void *world_ud;
	void (*on_callback)(rs_inst *i, void *ud);
	void *callback_ud;
	void (*on_leave)(rs_game *g, int k, void *ud);
	void *leave_ud;
	void (*on_script)(rs_world *w, rs_inst *i, void *ud);
	void *script_ud;
	uint64_t next_id;      /* server network ids */
	uint64_t fixed_ids;    /* ids up to this one every peer makes itself */
	int repl_skip;         /* a client that already has the change */
	uint32_t repl_label;
	rs_roster_entry *roster;  /* every join, in order */
	uint32_t nroster, roster_cap;
	rs_idmap roster_ids;   /* server Player id -> that Player */
	int *eager;            /* the eager clients, ascending */
	int neager, eager_cap;
};

/* instance.c */
void rs_api_open(rs_world *w);     /* classes, globals in the world's VM */
rs_inst *rs_inst_new(rs_world *w, const rs_class *cls, const char *name);
/* The same with a name of nlen bytes, not terminated. */
rs_inst *rs_inst_new_n(rs_world *w, const rs_class *cls, const char *name,
                       size_t nlen);
void rs_inst_free_all(rs_world *w);
/* Gives i the malloc'd name `copy` (the old one is released). */
void rs_inst_take_name(rs_inst *i, char *copy);
/* Reparents (NULL = remove); checks nothing: callers validate. Fires
 * ChildAdded/ChildRemoved and replicates on the server. */
void rs_inst_set_parent(rs_inst *i, rs_inst *parent);
void rs_inst_destroy(rs_inst *i);
rs_inst *rs_inst_find_child(const rs_inst *i, const char *name);
void rs_value_clear(rs_value *v);
/* The value of a string property that was never set: not freed. */
extern char rs_empty_string[1];
/* Pushes a property value as scripts see it. */
void rs_value_push(lua_State *L, const rs_value *v);
/* Sets a stored property (no checks) and fires Changed; replicates on the
 * server unless the property is local. */
void rs_inst_store(rs_inst *i, int slot, const rs_value *v);

/* idmap */
void rs_idmap_put(rs_idmap *m, uint64_t id, rs_inst *i);
rs_inst *rs_idmap_get(const rs_idmap *m, uint64_t id);
void rs_idmap_del(rs_idmap *m, uint64_t id);
void rs_idmap_free(rs_idmap *m);

/* signal.c */
void rs_signal_open(lua_State *L);
void rs_signal_free_all(rs_inst *i);
/* Pushes an RBXScriptSignal proxy for the instance's event. */
void rs_signal_push(lua_State *L, rs_inst *i, const char *event);
/* Fires `event` of i with the nargs values on top of L, if anyone listens
 * (cheap when no signal was ever made). */
void rs_inst_fire(rs_inst *i, const char *event, lua_State *L, int nargs);
/* rs_inst_signal for an event name with static storage (a literal):
 * found again by its address, without comparing names. */
rs_signal *rs_inst_signal_lit(rs_inst *i, const char *event);
/* Has anything ever made i's signal for `event` (connected, waited,
 * fired)?  If not, firing it does nothing. */
int rs_inst_listens(rs_inst *i, const char *event);
/* Stands for rs_inst_push where the value is not needed: the proxy keeps
 * the identity it would have got here, without being made. */
void rs_inst_reserve(rs_inst *i);
/* Fires s, in the deferred mode, with the nargs values on top of L (popped)
 * followed by values made only when the handler runs; returns 0, doing
 * nothing, when the signal's state needs the values now. */
int rs_signal_fire_lazy(rs_signal *s, lua_State *L, int nargs,
                        const rs_vm_lazy *lazy, uint32_t nids);
/* Events that queue their firings until the first Connect. */
void rs_signal_set_buffered(rs_signal *s, int on);

/* game.c: script i entered w's DataModel or was enabled; calls the
 * on_script hook if w's scripts are live and i may still start. */
void rs_world_script_may_start(rs_world *w, rs_inst *i);

/* game.c: replication hooks called by instance.c on the server */
void rs_repl_created(rs_inst *i);          /* became visible */
/* was: the Player i was under before (rs_repl_player_root), or NULL */
void rs_repl_removed(rs_inst *i, const rs_inst *was); /* no longer visible */
void rs_repl_moved(rs_inst *i, const rs_inst *was);   /* new parent, both
                                                        * visible */
/* The server Player (a child of Players) that i is or is under, or NULL. */
const rs_inst *rs_repl_player_root(const rs_inst *i);
void rs_repl_renamed(rs_inst *i);
void rs_repl_prop(rs_inst *i, int slot);
/* After SetAttribute: the attribute named at name_idx changed. */
void rs_repl_attr(rs_inst *i, lua_State *L, int name_idx);
/* Starts firing RunService's Heartbeat and Stepped every frame while
 * anything listens to them. */
void rs_world_arm_frames(rs_world *w);
/* Client worlds see other players lazily: call before reading the
 * children of i (brings the Players service up to date), and before a
 * script starts to listen to `event` of i (Players' events and the
 * DataModel's Descendant events make the client eager). */
void rs_world_touch(const rs_inst *i);
void rs_world_listen(rs_inst *i, const char *event);
/* Is the server instance under a replicated container? */
int rs_repl_visible(const rs_inst *i);
/* After a tag change on the server: sends i's whole tag set. */
void rs_repl_tags(rs_inst *i);

/* services.c: CollectionService, MessagingService, HttpService and the
 * DataModel's loading */
/* Methods of the api layer's own, by class: read by every VM when it
 * first builds a class's members, never registered per VM. */
typedef struct rs_api_methods {
	const char *cls;
	const luaL_Reg *m;
} rs_api_methods;
extern const rs_api_methods rs_services_methods[];  /* NULL-cls ended */
void rs_services_free(rs_world *w);       /* what a world holds */
/* Is i the DataModel or under it? */
int rs_inst_in_game(const rs_inst *i);
/* Call after reparenting i, with whether it was in the game before: a
 * tagged instance entering or leaving the game (with its subtree) fires
 * CollectionService's added and removed signals. */
void rs_tags_moved(rs_inst *i, int was_in_game);
/* Replaces i's tags with the n tags in v (a replicated set), firing the
 * signals for those that differ. */
void rs_tags_set(rs_inst *i, char **v, uint32_t n);
/* Copies src's tags to dst (Clone): no signal fires. */
void rs_tags_copy(rs_inst *dst, const rs_inst *src);
void rs_tags_free(rs_inst *i);
/* Fires the DataModel's Loaded (a client's snapshot arrived). */
void rs_world_fire_loaded(rs_world *w);

#endif
