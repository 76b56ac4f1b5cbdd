/*
 * api -- the Roblox object model inside each peer's VM, and the game that
 * ties the peers together.
 *
 * An rs_game owns the network and one rs_world per peer (index 0 is the
 * server, k the client of Player k).  A world is a tree of rs_inst rooted at
 * `game` (the DataModel), with services, classes, properties, signals and
 * the Lua proxies scripts see.  The server's tree is authoritative: changes
 * under replicated containers (Workspace, ReplicatedStorage, Players, ...)
 * travel to every connected client over that client's reliable channel, in
 * order and with its latency, and build the client's own copy.  Every
 * replicated instance has a network id; a client resolves ids to its own
 * instances.  Instances a client creates stay on that client.
 *
 * Upper layers (remotes) add methods to classes, fire signals, and register
 * handlers for their own message tags; they never reach into a tree.
 */
#ifndef RSIM_API_H
#define RSIM_API_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "rsim/core.h"
#include "rsim/net.h"
#include "rsim/vm.h"

typedef struct rs_game rs_game;
typedef struct rs_world rs_world;
typedef struct rs_inst rs_inst;
typedef struct rs_signal rs_signal;

/* Message tags on the wire; upper layers use tags >= RS_TAG_USER. */
enum { RS_TAG_REPL = 1, RS_TAG_USER = 16 };

typedef void (*rs_msg_handler)(rs_game *g, int client, rs_dir dir,
                               const rs_payload *p);

typedef struct rs_game_config {
	rs_vm_config vm;
	int max_players;           /* Players.MaxPlayers */
	double respawn_time;       /* Players.RespawnTime */
} rs_game_config;

/* Makes the game and the server's world.  Free with rs_game_free. */
rs_game *rs_game_new(rs_sim *sim, const rs_game_config *cfg);
void rs_game_free(rs_game *g);
rs_sim *rs_game_sim(const rs_game *g);
rs_net *rs_game_net(const rs_game *g);
rs_world *rs_game_world(const rs_game *g, int peer);
int rs_game_npeers(const rs_game *g);
const char *rs_game_peer_name(const rs_game *g, int peer);

/* Adds client k = npeers with its name and link; it joins later. */
int rs_game_add_client(rs_game *g, const char *name,
                       const rs_link_config *link);
/* A player who left comes back: adds client npeers with client k's name,
 * link and UserId and a fresh world (its scripts start afresh), and
 * returns its index; it joins with rs_game_join.  Client k, which must
 * have left, stays halted.  Returns -1 when k has not left. */
int rs_game_add_rejoin(rs_game *g, int k);
/* Client k joins now: the server makes its Player, fires PlayerAdded and
 * sends the replicated tree; the client's world is built when it arrives
 * and then `on_loaded(g, k, ud)` runs (to start its LocalScripts). */
void rs_game_join(rs_game *g, int k,
                  void (*on_loaded)(rs_game *g, int k, void *ud), void *ud);
/* Client k leaves now (disconnect or Kick): PlayerRemoving, Player removed,
 * link down. */
void rs_game_leave(rs_game *g, int k, const char *reason);
int rs_game_client_connected(const rs_game *g, int k);
/* Whether client k has joined (and maybe left since). */
int rs_game_client_joined(const rs_game *g, int k);
void rs_game_on_message(rs_game *g, uint32_t tag, rs_msg_handler fn);
/* Calls fn for the worlds that exist and every world made later (so an
 * upper layer can add its methods to each VM). */
void rs_game_on_world(rs_game *g, void (*fn)(rs_world *w, void *ud),
                      void *ud);
/* Calls fn after a script assigns a callback property (OnServerInvoke,
 * OnClientInvoke, OnInvoke) of instance i. */
void rs_game_on_callback(rs_game *g, void (*fn)(rs_inst *i, void *ud),
                         void *ud);
/* Calls fn(w, i, ud) when a Script or LocalScript i that never ran may
 * start in world w, once w's scripts are live: i (or an ancestor) entered
 * the DataModel, or its Disabled became false.  The layer that knows
 * where scripts run decides whether it does. */
void rs_game_on_script(rs_game *g,
                       void (*fn)(rs_world *w, rs_inst *i, void *ud),
                       void *ud);
/* From now on scripts that enter w or are enabled may start (after its
 * first scripts started). */
void rs_world_scripts_live(rs_world *w);

/* Called when client k leaves, before its Player is removed (the remotes
 * layer fails the InvokeClient calls pending on it). */
void rs_game_on_leave(rs_game *g, void (*fn)(rs_game *g, int k, void *ud),
                      void *ud);

/* ---- worlds ---- */

rs_world *rs_world_of(lua_State *L);
rs_vm *rs_world_vm(const rs_world *w);
rs_game *rs_world_game(const rs_world *w);
int rs_world_peer(const rs_world *w);
int rs_world_is_server(const rs_world *w);
/* The instance with network id `id` in this world, or NULL. */
rs_inst *rs_world_find(rs_world *w, uint64_t id);
/* The server's Player for client k, or NULL once it left. */
rs_inst *rs_world_player(const rs_world *server, int k);

/* Starts a script in the world: `script` is its Script/LocalScript
 * instance (its Source is the code); chunk names are full names. */
void rs_world_run_script(rs_world *w, rs_inst *script);
/* Creates `cls` named `name` under parent (no replication of its own:
 * it is part of the parent's next change). For scenario trees. */
rs_inst *rs_world_create(rs_world *w, const char *cls, const char *name,
                         rs_inst *parent);
rs_inst *rs_world_service(rs_world *w, const char *name);
/* Sets a Script's source. */
void rs_inst_set_source(rs_inst *i, const char *src, size_t len);
/* rs_world_create of a script with its source, parented last: a script
 * that enters a live world (rs_world_scripts_live) starts with it. */
rs_inst *rs_world_create_script(rs_world *w, const char *cls,
                                const char *name, const char *src,
                                size_t len, rs_inst *parent);

/* ---- instances ---- */

rs_inst *rs_inst_test(lua_State *L, int idx);   /* NULL if not one */
rs_inst *rs_inst_check(lua_State *L, int idx);  /* errors if not one */
void rs_inst_push(lua_State *L, rs_inst *i);
uint64_t rs_inst_id(const rs_inst *i);          /* 0: local only */
const char *rs_inst_name(const rs_inst *i);
const char *rs_inst_class(const rs_inst *i);
int rs_inst_isa(const rs_inst *i, const char *cls);
rs_world *rs_inst_world(const rs_inst *i);
/* "Workspace.Model.Part" into buf; returns buf. */
const char *rs_inst_full_name(const rs_inst *i, char *buf, size_t n);
/* The client index of a server-side Player, 0 if not a player. */
int rs_inst_player_client(const rs_inst *i);
/* Pushes the function stored in callback property `prop` (OnServerInvoke,
 * ...) or nil. */
void rs_inst_push_callback(lua_State *L, rs_inst *i, const char *prop);

/* ---- signals ---- */

/* The named event of an instance ("OnServerEvent"), made on first use. */
rs_signal *rs_inst_signal(rs_inst *i, const char *event);
/* Fires with the nargs values on top of `from` (popped).  Handlers run as
 * the world's signal behaviour says (deferred or immediate). */
void rs_signal_fire(rs_signal *s, lua_State *from, int nargs);
int rs_signal_connections(const rs_signal *s);
int rs_signal_waiting(const rs_signal *s);

/* ---- extending classes ---- */

/* Adds a method to a class of this VM (and its subclasses). */
void rs_api_method(lua_State *L, const char *cls, const char *name,
                   lua_CFunction f);

#endif
