/*
 * net.c -- simulated links: delay, jitter, loss, bandwidth and faults.
 *
 * Every message in flight is a record in one pool owned by the net (a
 * growable array with a free list, so the hot path allocates nothing once
 * the pool has grown).  Its arrival is one core event whose `a` word is the
 * record's index and `b` word the record's generation; the generation is
 * bumped whenever the record is settled or rescheduled, so an event that
 * outlived its message (disconnect, re-join, heal) is recognised and ignored.
 *
 * Per link and direction the reliable messages form a FIFO in send order.
 * Their delivery times never decrease along it (each is at least the last
 * one scheduled), and they were scheduled in that order, so the heap pops
 * them in FIFO order: delivery always takes the head.  Unreliable messages
 * sit in one doubly linked list per link, since they leave in any order.
 *
 * Random draws, all from the link's own stream (rs_rng stream = client):
 *   - a send on a link that is not connected draws nothing;
 *   - an unreliable send draws one uniform for the loss test, then one
 *     jitter draw, even when the message is lost;
 *   - a reliable send makes one jitter draw;
 *   - a heal makes one jitter draw per held message, up direction first,
 *     each in send order;
 * where a jitter draw is one rs_rng_uniform (uniform kind) or one
 * rs_rng_normal (normal kind), made even when the jitter is 0, so the
 * draws depend only on the sequence of sends and faults, never on values.
 *
 * Disconnect settles at once: every message in flight either way, held
 * ones included, is recorded DISCONNECTED at the time of the disconnect and
 * its payload released; their queued events become stale.  A connect on a
 * link that is still up does the same first: a new session starts empty.
 * A re-joining client keeps its link's random stream where it was (it is
 * not reseeded, so a re-join does not replay the first session's draws).
 *
 * Partition is decided at arrival, as the network would: sends during a
 * partition succeed (return 1); whatever arrives while it lasts is held
 * (reliable) or LOST (unreliable).  A heal resends the held messages
 * without charging the bandwidth again.  A lost unreliable message did use
 * its share of the pipe: it was sent, then dropped on the way.
 */
#include "rsim/net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

typedef enum link_state {
	LINK_DOWN = 0,        /* disconnected (or never connected) */
	LINK_UP,
	LINK_PARTITIONED
} link_state;

/* One client's link.  Idle cost: this struct and one pointer. */
typedef struct link {
	rs_link_config cfg;
	rs_rng rng;
	rs_time latency[2];     /* cfg latencies in microseconds, by rs_dir */
	rs_time free_at[2];     /* when the pipe is free again (bandwidth) */
	rs_time last_rel[2];    /* latest reliable delivery time scheduled */
	uint32_t rel_head[2];   /* reliable FIFO, send order; held ones first */
	uint32_t rel_tail[2];
	uint32_t unrel;         /* unreliable messages in flight, both ways */
	uint8_t state;          /* link_state */
} link;

/* An idle link costs this plus a pointer and the allocator's header. */
_Static_assert(sizeof(link) <= 160, "an idle link must stay small");

/* A message in flight (or, on the free list, a spare record). */
typedef struct msg {
	rs_payload *p;
	size_t trace;           /* its record in the trace */
	rs_time when;           /* the scheduled arrival */
	uint32_t gen;           /* matches the live event's b word */
	int32_t client;
	uint32_t prev, next;    /* prev: unreliable list only */
	uint8_t dir, reliable, held;
} msg;

struct rs_net {
	rs_sim *sim;
	rs_deliver_fn deliver;
	void *ud;
	link **links;           /* by client; NULL = never connected */
	size_t nlinks;
	msg *msgs;
	uint32_t nmsgs, msgcap; /* records ever used, allocated */
	uint32_t free_list;
	size_t inflight;
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (q == NULL && n != 0)
		abort(); /* like the kernel: no way to go on without memory */
	return q;
}

/* ---- payloads ---- */

rs_payload *rs_payload_new(const void *data, size_t len, uint32_t label,
                           uint32_t tag)
{
	if (len > UINT32_MAX)
		return NULL;
	rs_payload *p = xrealloc(NULL, sizeof *p + len);
	p->refs = 1;
	p->len = (uint32_t)len;
	p->label = label;
	p->tag = tag;
	if (len)
		memcpy(p->data, data, len);
	return p;
}

void rs_payload_ref(rs_payload *p)
{
	p->refs++;
}

void rs_payload_unref(rs_payload *p)
{
	if (p != NULL && --p->refs == 0)
		free(p);
}

/* ---- the record pool ---- */

static uint32_t msg_alloc(rs_net *net)
{
	uint32_t i = net->free_list;
	if (i != NONE) {
		net->free_list = net->msgs[i].next;
	} else {
		if (net->nmsgs == net->msgcap) {
			uint32_t ncap = net->msgcap ? net->msgcap * 2 : 256;
			net->msgs = rs_array_resize(net->msgs, net->msgcap *
			                            sizeof *net->msgs,
			                            ncap * sizeof *net->msgs);
			net->msgcap = ncap;
		}
		i = net->nmsgs++;
		net->msgs[i].gen = 0;
	}
	net->inflight++;
	return i;
}

/* Bumping gen here is what turns the record's queued event stale. */
static void msg_free(rs_net *net, uint32_t i)
{
	msg *m = &net->msgs[i];
	m->gen++;
	m->p = NULL;
	m->next = net->free_list;
	net->free_list = i;
	net->inflight--;
}

/* Settles a message that will never be delivered and releases it.  The
 * caller has already unlinked it from its link's lists. */
static void msg_drop(rs_net *net, uint32_t i, rs_msg_fate fate)
{
	msg *m = &net->msgs[i];
	rs_payload *p = m->p;
	rs_trace_msg_done(&net->sim->trace, m->trace, fate, net->sim->now);
	msg_free(net, i);
	rs_payload_unref(p);
}

/* ---- per-link lists ---- */

static void rel_push(rs_net *net, link *l, int dir, uint32_t i)
{
	net->msgs[i].next = NONE;
	if (l->rel_tail[dir] == NONE)
		l->rel_head[dir] = i;
	else
		net->msgs[l->rel_tail[dir]].next = i;
	l->rel_tail[dir] = i;
}

static void rel_pop(rs_net *net, link *l, int dir)
{
	uint32_t i = l->rel_head[dir];
	l->rel_head[dir] = net->msgs[i].next;
	if (l->rel_head[dir] == NONE)
		l->rel_tail[dir] = NONE;
}

static void unrel_push(rs_net *net, link *l, uint32_t i)
{
	msg *m = &net->msgs[i];
	m->prev = NONE;
	m->next = l->unrel;
	if (l->unrel != NONE)
		net->msgs[l->unrel].prev = i;
	l->unrel = i;
}

static void unrel_remove(rs_net *net, link *l, uint32_t i)
{
	msg *m = &net->msgs[i];
	if (m->prev == NONE)
		l->unrel = m->next;
	else
		net->msgs[m->prev].next = m->next;
	if (m->next != NONE)
		net->msgs[m->next].prev = m->prev;
}

/* ---- links ---- */

static link *link_get(const rs_net *net, int client)
{
	if (client < 1 || (size_t)client >= net->nlinks)
		return NULL;
	return net->links[client];
}

static void link_clear_queues(link *l)
{
	for (int d = 0; d < 2; d++) {
		l->rel_head[d] = l->rel_tail[d] = NONE;
		l->free_at[d] = l->last_rel[d] = 0;
	}
	l->unrel = NONE;
}

static link *link_make(rs_net *net, int client)
{
	if ((size_t)client >= net->nlinks) {
		size_t n = net->nlinks ? net->nlinks : 16;
		while (n <= (size_t)client)
			n *= 2;
		net->links = xrealloc(net->links, n * sizeof *net->links);
		memset(net->links + net->nlinks, 0,
		       (n - net->nlinks) * sizeof *net->links);
		net->nlinks = n;
	}
	if (net->links[client] == NULL) {
		link *l = xrealloc(NULL, sizeof *l);
		memset(l, 0, sizeof *l);
		rs_rng_seed(&l->rng, net->sim->seed, (uint64_t)client);
		link_clear_queues(l);
		l->state = LINK_DOWN;
		net->links[client] = l;
	}
	return net->links[client];
}

/* Drops everything in flight on l, either way, as DISCONNECTED. */
static void link_drop_all(rs_net *net, link *l)
{
	for (int d = 0; d < 2; d++) {
		while (l->rel_head[d] != NONE) {
			uint32_t i = l->rel_head[d];
			rel_pop(net, l, d);
			msg_drop(net, i, RS_MSG_DISCONNECTED);
		}
	}
	while (l->unrel != NONE) {
		uint32_t i = l->unrel;
		unrel_remove(net, l, i);
		msg_drop(net, i, RS_MSG_DISCONNECTED);
	}
	link_clear_queues(l);
}

static rs_time sec_to_usec_signed(double s)
{
	if (!(fabs(s) < 9.0e12))
		return s > 0 ? RS_TIME_NEVER / 4 : -RS_TIME_NEVER / 4;
	return (rs_time)llround(s * RS_USEC_PER_SEC);
}

/* One jitter draw (see the header comment), in microseconds. */
static rs_time jitter_draw(link *l)
{
	double j = l->cfg.jitter;
	double x = l->cfg.jitter_kind == RS_JITTER_NORMAL
	         ? rs_rng_normal(&l->rng)
	         : 2.0 * rs_rng_uniform(&l->rng) - 1.0;
	return j > 0 ? sec_to_usec_signed(x * j) : 0;
}

/* Latency plus jitter, never negative: nothing arrives before it left. */
static rs_time propagation(link *l, int dir)
{
	rs_time t = l->latency[dir] + jitter_draw(l);
	return t < 0 ? 0 : t;
}

/* ---- arrival ---- */

static void on_arrive(rs_sim *sim, const rs_event *ev);

static void msg_schedule(rs_net *net, uint32_t i, rs_time when)
{
	msg *m = &net->msgs[i];
	m->gen++;
	m->when = when;
	rs_sim_at(net->sim, when, on_arrive, net, i, m->gen);
}

/* Hands the message to the owner.  The record is freed before the call,
 * since the callback may send (and so grow the pool) or disconnect. */
static void msg_deliver(rs_net *net, uint32_t i)
{
	msg *m = &net->msgs[i];
	rs_payload *p = m->p;
	int client = m->client, reliable = m->reliable;
	rs_dir dir = (rs_dir)m->dir;
	rs_trace_msg_done(&net->sim->trace, m->trace, RS_MSG_DELIVERED,
	                  net->sim->now);
	msg_free(net, i);
	net->deliver(net->ud, client, dir, reliable, p);
	rs_payload_unref(p);
}

static void on_arrive(rs_sim *sim, const rs_event *ev)
{
	rs_net *net = ev->ctx;
	uint32_t i = (uint32_t)ev->a;
	(void)sim;
	msg *m = &net->msgs[i];
	if (m->gen != (uint32_t)ev->b || m->p == NULL)
		return; /* settled or rescheduled since */
	link *l = net->links[m->client];
	int dir = m->dir;
	if (!m->reliable) {
		unrel_remove(net, l, i);
		if (l->state == LINK_PARTITIONED)
			msg_drop(net, i, RS_MSG_LOST);
		else
			msg_deliver(net, i);
		return;
	}
	if (l->state == LINK_PARTITIONED) {
		m->held = 1; /* stays in the FIFO until the heal */
		return;
	}
	if (l->rel_head[dir] != i)
		abort(); /* the FIFO invariant of the header comment broke */
	rel_pop(net, l, dir);
	msg_deliver(net, i);
}

/* ---- the API ---- */

rs_net *rs_net_new(rs_sim *sim, rs_deliver_fn deliver, void *ud)
{
	rs_net *net = xrealloc(NULL, sizeof *net);
	memset(net, 0, sizeof *net);
	net->sim = sim;
	net->deliver = deliver;
	net->ud = ud;
	net->free_list = NONE;
	return net;
}

void rs_net_free(rs_net *net)
{
	if (net == NULL)
		return;
	for (uint32_t i = 0; i < net->nmsgs; i++)
		rs_payload_unref(net->msgs[i].p);
	for (size_t c = 0; c < net->nlinks; c++)
		free(net->links[c]);
	free(net->links);
	rs_array_free(net->msgs, net->msgcap * sizeof *net->msgs);
	free(net);
}

void rs_net_connect(rs_net *net, int client, const rs_link_config *cfg)
{
	if (client < 1) {
		fprintf(stderr, "rs_net_connect: client %d is not >= 1\n",
		        client);
		abort();
	}
	link *l = link_make(net, client);
	link_drop_all(net, l); /* a new session: nothing of the old one */
	l->cfg = *cfg;
	l->state = LINK_UP;
	rs_net_set_latency(net, client, cfg->latency_up, cfg->latency_down);
}

int rs_net_connected(const rs_net *net, int client)
{
	link *l = link_get(net, client);
	return l != NULL && l->state != LINK_DOWN;
}

rs_time rs_net_latency(const rs_net *net, int client, rs_dir dir)
{
	link *l = link_get(net, client);
	return l ? l->latency[dir] : 0;
}

const rs_link_config *rs_net_config(const rs_net *net, int client)
{
	link *l = link_get(net, client);
	return l ? &l->cfg : NULL;
}

/* When the message is through the pipe: queued behind earlier ones and
 * charged len / bandwidth when a bandwidth is set. */
static rs_time transmit_end(link *l, int dir, uint32_t len, rs_time now)
{
	if (!(l->cfg.bandwidth > 0))
		return now;
	rs_time start = l->free_at[dir] > now ? l->free_at[dir] : now;
	rs_time end = start + sec_to_usec_signed(len / l->cfg.bandwidth);
	l->free_at[dir] = end;
	return end;
}

int rs_net_send(rs_net *net, int client, rs_dir dir, int reliable,
                rs_payload *p)
{
	rs_sim *sim = net->sim;
	int d = dir == RS_DOWN;
	size_t tr = rs_trace_msg(&sim->trace, sim->now, d ? 0 : client,
	                         d ? client : 0, p->len, p->label, reliable);
	link *l = link_get(net, client);
	if (l == NULL || l->state == LINK_DOWN) {
		rs_trace_msg_done(&sim->trace, tr, RS_MSG_DISCONNECTED,
		                  sim->now);
		return 0;
	}
	int lost = !reliable && rs_rng_uniform(&l->rng) < l->cfg.loss;
	rs_time when = transmit_end(l, d, p->len, sim->now) +
	               propagation(l, d);
	if (lost) {
		rs_trace_msg_done(&sim->trace, tr, RS_MSG_LOST, sim->now);
		return 0;
	}
	uint32_t i = msg_alloc(net);
	msg *m = &net->msgs[i];
	rs_payload_ref(p);
	m->p = p;
	m->trace = tr;
	m->client = client;
	m->dir = (uint8_t)d;
	m->reliable = (uint8_t)(reliable != 0);
	m->held = 0;
	if (reliable) {
		if (when < l->last_rel[d])
			when = l->last_rel[d];
		l->last_rel[d] = when;
		rel_push(net, l, d, i);
	} else {
		unrel_push(net, l, i);
	}
	msg_schedule(net, i, when);
	return 1;
}

void rs_net_disconnect(rs_net *net, int client)
{
	link *l = link_get(net, client);
	if (l == NULL || l->state == LINK_DOWN)
		return;
	link_drop_all(net, l);
	l->state = LINK_DOWN;
}

void rs_net_partition(rs_net *net, int client)
{
	link *l = link_get(net, client);
	if (l != NULL && l->state == LINK_UP)
		l->state = LINK_PARTITIONED;
}

/*
 * Sends the held prefix of dir's reliable FIFO again at now + latency +
 * jitter, each no earlier than the one before it.  Messages behind them
 * still on the wire may now be due no later than the last of those; they
 * are moved to that time (and behind it in the queue, by being scheduled
 * after it), so the channel stays ordered.  The walk stops at the first
 * message due strictly later: all behind it are due later still.
 */
static void heal_dir(rs_net *net, link *l, int dir)
{
	rs_time prev = net->sim->now;
	uint32_t i = l->rel_head[dir];
	if (i == NONE || !net->msgs[i].held)
		return;
	for (; i != NONE && net->msgs[i].held; i = net->msgs[i].next) {
		rs_time when = net->sim->now + propagation(l, dir);
		prev = when > prev ? when : prev;
		net->msgs[i].held = 0;
		msg_schedule(net, i, prev);
	}
	for (; i != NONE && net->msgs[i].when <= prev; i = net->msgs[i].next)
		msg_schedule(net, i, prev);
	if (prev > l->last_rel[dir])
		l->last_rel[dir] = prev;
}

void rs_net_heal(rs_net *net, int client)
{
	link *l = link_get(net, client);
	if (l == NULL || l->state != LINK_PARTITIONED)
		return;
	l->state = LINK_UP;
	heal_dir(net, l, RS_UP);
	heal_dir(net, l, RS_DOWN);
}

void rs_net_set_latency(rs_net *net, int client, double up, double down)
{
	link *l = link_get(net, client);
	if (l == NULL)
		return;
	l->cfg.latency_up = up;
	l->cfg.latency_down = down;
	l->latency[RS_UP] = rs_time_from_sec(up);
	l->latency[RS_DOWN] = rs_time_from_sec(down);
}

size_t rs_net_inflight(const rs_net *net)
{
	return net->inflight;
}
