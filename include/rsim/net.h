/*
 * net -- the simulated links between the server and each client.
 *
 * One link per client, both directions ("up" = client to server, "down" =
 * server to client), each direction with two channels: reliable (ordered:
 * a message is never delivered before one sent earlier on the same channel
 * and direction, whatever the jitter) and unreliable (may drop with the
 * link's loss probability and may reorder).  Delay = queueing behind earlier
 * messages when a bandwidth is set + size / bandwidth + latency + jitter.
 * Faults: disconnect (nothing more is delivered either way), partition
 * (reliable messages are held, unreliable ones lost) and heal (held messages
 * go out in order), latency changes.  Every random draw comes from the
 * link's own seeded stream (rs_rng stream = client index), so adding a
 * client never changes another link's draws.
 *
 * Payloads are opaque bytes in a reference-counted rs_payload, so a fan-out
 * to many clients shares one encoding.  The net never looks inside them and
 * knows nothing of Lua.
 */
#ifndef RSIM_NET_H
#define RSIM_NET_H

#include <stddef.h>
#include <stdint.h>

#include "rsim/core.h"

typedef enum rs_dir { RS_UP = 0, RS_DOWN = 1 } rs_dir;
typedef enum rs_jitter_kind { RS_JITTER_UNIFORM = 0, RS_JITTER_NORMAL }
	rs_jitter_kind;

typedef struct rs_link_config {
	double latency_up;      /* one-way seconds, client -> server */
	double latency_down;    /* server -> client */
	double jitter;          /* uniform: +-jitter; normal: sigma */
	rs_jitter_kind jitter_kind;
	double loss;            /* unreliable channel drop probability 0..1 */
	double bandwidth;       /* bytes per second each way; 0 = unlimited */
	double remote_rate;     /* client-to-server remote requests per second
	                         * (read by the remotes layer); 0 = 500 */
} rs_link_config;

/* A shared, immutable message body.  Made with refs = 1; the net takes its
 * own reference for each message in flight. */
typedef struct rs_payload {
	uint32_t refs;
	uint32_t len;
	uint32_t label;         /* rs_trace_label() of what it is */
	uint32_t tag;           /* the owner's message type */
	uint32_t memo;          /* the owner may cache here what it worked
	                         * out from the bytes once for all receivers;
	                         * 0 when made */
	unsigned char data[];
} rs_payload;

rs_payload *rs_payload_new(const void *data, size_t len, uint32_t label,
                           uint32_t tag);
void rs_payload_ref(rs_payload *p);
void rs_payload_unref(rs_payload *p);

typedef struct rs_net rs_net;

/* Called at the virtual time of delivery.  `client` is the link's client,
 * dir the direction travelled.  The payload is valid during the call; take
 * a reference to keep it. */
typedef void (*rs_deliver_fn)(void *ud, int client, rs_dir dir, int reliable,
                              const rs_payload *p);

/* The net schedules its arrivals on sim's queue with itself as context:
 * free it only when those events will not run (after the last rs_sim_run,
 * or together with the sim), and before rs_sim_free: its message records
 * are blocks of sim's pool.  rs_net_free releases the payloads of the
 * messages still in flight; their trace records stay "in flight". */
rs_net *rs_net_new(rs_sim *sim, rs_deliver_fn deliver, void *ud);
void rs_net_free(rs_net *net);

/* Adds or replaces the link of client (>= 1) and marks it connected.  A
 * link that was still connected is disconnected first (its messages in
 * flight are settled DISCONNECTED): a connect starts a new session.
 * rs_net_config's pointer stays valid until rs_net_free. */
void rs_net_connect(rs_net *net, int client, const rs_link_config *cfg);
int rs_net_connected(const rs_net *net, int client);
/* The link's one-way latency in dir now (without jitter), in
 * microseconds; 0 for a client with no link. */
rs_time rs_net_latency(const rs_net *net, int client, rs_dir dir);
const rs_link_config *rs_net_config(const rs_net *net, int client);

/*
 * Sends p over client's link in direction dir; takes its own reference.
 * Records the message in the trace (from/to peers: 0 is the server).
 * Returns 0 if the message was dropped at once (link disconnected, or lost
 * on the unreliable channel), 1 if it is on its way.
 */
int rs_net_send(rs_net *net, int client, rs_dir dir, int reliable,
                rs_payload *p);

/* Faults, effective at the current virtual time.  Disconnect settles every
 * message in flight either way as DISCONNECTED at once.  Partition and heal
 * act on a connected link only; set_latency on a known link only. */
void rs_net_disconnect(rs_net *net, int client);
void rs_net_partition(rs_net *net, int client);
void rs_net_heal(rs_net *net, int client);
void rs_net_set_latency(rs_net *net, int client, double up, double down);

/* Messages still in flight (for tests and end-of-run accounting). */
size_t rs_net_inflight(const rs_net *net);

#endif
