/*
 * net.c -- simulated links: delay, jitter, loss, bandwidth and faults.
 *
 * Every message in flight is a record in a block of RS_POOL_HANDOFF bytes
 * from the simulation's small-block pool (rs_pool): a delivery frees its
 * record just before the receiver runs, and what the receiver makes of it
 * (a queued handler, then the table its arguments decode into) takes that
 * very block, so a fan-out of a million messages touches the memory of its
 * records once, not once per stage.  A record stays
 * while an event in the queue names it (a settled record whose stale
 * event is still queued waits for that event), so an event never meets a
 * block reused for something else.
 *
 * Per link and direction the reliable messages form a FIFO in send order.
 * Their delivery times never decrease along it (each is at least the last
 * one scheduled), and they were scheduled in that order, so (time, seq)
 * grows strictly along the FIFO and delivery always takes the head.  It
 * also means that only one arrival per FIFO has to be in the event queue:
 * each message takes its seq from the queue when it is scheduled (so the
 * order of all events is what it would be with one event per message),
 * but its event goes in only once the message before it has arrived; a
 * message that stops waiting some other way (dropped, rescheduled by a
 * heal) puts its event in then, as a stale one, so exactly the same events
 * run at the same times.  A fan-out then keeps one event per client in the
 * queue instead of one per message.  Unreliable messages sit in one doubly
 * linked list per link, since they leave in any order, and each has its
 * event queued when sent.
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


typedef enum link_state {
	LINK_DOWN = 0,        /* disconnected (or never connected) */
	LINK_UP,
	LINK_PARTITIONED
} link_state;

typedef struct msg msg;

/* One client's link.  Idle cost: this struct and one pointer. */
typedef struct link {
	/* what every arrival reads, in the first cache line */
	uint8_t state;          /* link_state */
	msg *rel_head[2];       /* reliable FIFO, send order; held ones first */
	msg *rel_tail[2];
	msg *unrel;             /* unreliable messages in flight, both ways */
	rs_time latency[2];     /* cfg latencies in microseconds, by rs_dir */
	rs_time last_rel[2];    /* latest reliable delivery time scheduled */
	rs_time free_at[2];     /* when the pipe is free again (bandwidth) */
	rs_link_config cfg;
	rs_rng rng;
} link;

/* An idle link costs this plus a pointer and the allocator's header. */
_Static_assert(sizeof(link) <= 192, "an idle link must stay small");

/* Where a reliable message's current arrival event is. */
enum { EV_RUN = 0,       /* it ran (the message is held, or gone) */
       EV_QUEUED,        /* in the event queue */
       EV_WAITING };     /* seq taken; goes in when the one before runs */

/* A message in flight, or settled while an event still names it. */
struct msg {
	rs_payload *p;          /* NULL once settled */
	msg *next;              /* reliable FIFO or unreliable list */
	union {
		msg *prev;      /* unreliable: the list */
		uint64_t seq;   /* reliable: its current event's seq */
	} u;
	rs_time when;           /* the current event's time */
	uint32_t trace;         /* its record in the trace, or NO_TRACE */
	int32_t client;
	uint16_t nev;           /* events in the queue naming it */
	uint8_t dir, reliable, held;
	uint8_t ev;             /* reliable: EV_* */
	uint8_t settled;        /* delivered or dropped */
};

_Static_assert(sizeof(msg) <= RS_POOL_HANDOFF, "a record is one hand-off block");

#define NO_TRACE UINT32_MAX

struct rs_net {
	rs_sim *sim;
	rs_deliver_fn deliver;
	void *ud;
	link **links;           /* by client; NULL = never connected */
	size_t nlinks;
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
	p->memo = 0;
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

/* ---- records ---- */

static msg *msg_new(rs_net *net)
{
	msg *m = rs_pool_alloc(&net->sim->pool, RS_POOL_HANDOFF);
	memset(m, 0, sizeof *m);
	net->inflight++;
	return m;
}

/* The record's block goes back once it is settled and no queued event
 * names it. */
static void msg_release(rs_net *net, msg *m)
{
	if (m->settled && m->nev == 0)
		rs_pool_free(&net->sim->pool, m, RS_POOL_HANDOFF);
}

static void on_arrive(rs_sim *sim, const rs_event *ev);

/* Puts m's current (reliable) event in the queue, in its reserved place. */
static void msg_enqueue(rs_net *net, msg *m)
{
	m->nev++;
	m->ev = EV_QUEUED;
	rs_sim_at_seq(net->sim, m->when, m->u.seq, on_arrive, net,
	              (uint64_t)(uintptr_t)m, 0);
}

/* Gives m a new current event at `when` (any queued one turns stale);
 * it goes in now if nothing before m in its FIFO waits to arrive. */
static void msg_schedule(rs_net *net, msg *m, rs_time when, int now)
{
	if (m->ev == EV_WAITING)
		msg_enqueue(net, m); /* the old one still runs, as a stale one */
	rs_sim *sim = net->sim;
	m->when = when < sim->now ? sim->now : when;
	m->u.seq = rs_sim_reserve_seq(sim);
	m->ev = EV_WAITING;
	if (now)
		msg_enqueue(net, m);
}

/* Settles a message: from now on its events are stale.  Returns its
 * payload, which the caller releases.  The caller has already unlinked it
 * from its link's lists. */
static rs_payload *msg_settle(rs_net *net, msg *m, rs_msg_fate fate)
{
	rs_payload *p = m->p;
	rs_trace_msg_done(&net->sim->trace, m->trace == NO_TRACE ? SIZE_MAX :
	                  m->trace, fate, net->sim->now);
	if (m->reliable && m->ev == EV_WAITING)
		msg_enqueue(net, m); /* to run, stale, as it would have */
	m->p = NULL;
	m->settled = 1;
	net->inflight--;
	msg_release(net, m);
	return p;
}

/* Settles a message that will never be delivered and releases it. */
static void msg_drop(rs_net *net, msg *m, rs_msg_fate fate)
{
	rs_payload_unref(msg_settle(net, m, fate));
}

/* ---- per-link lists ---- */

static void rel_push(link *l, int dir, msg *m)
{
	m->next = NULL;
	if (l->rel_tail[dir] == NULL)
		l->rel_head[dir] = m;
	else
		l->rel_tail[dir]->next = m;
	l->rel_tail[dir] = m;
}

static void rel_pop(link *l, int dir)
{
	msg *m = l->rel_head[dir];
	l->rel_head[dir] = m->next;
	if (l->rel_head[dir] == NULL)
		l->rel_tail[dir] = NULL;
}

static void unrel_push(link *l, msg *m)
{
	m->u.prev = NULL;
	m->next = l->unrel;
	if (l->unrel != NULL)
		l->unrel->u.prev = m;
	l->unrel = m;
}

static void unrel_remove(link *l, msg *m)
{
	if (m->u.prev == NULL)
		l->unrel = m->next;
	else
		m->u.prev->next = m->next;
	if (m->next != NULL)
		m->next->u.prev = m->u.prev;
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
		l->rel_head[d] = l->rel_tail[d] = NULL;
		l->free_at[d] = l->last_rel[d] = 0;
	}
	l->unrel = NULL;
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
		while (l->rel_head[d] != NULL) {
			msg *m = l->rel_head[d];
			rel_pop(l, d);
			msg_drop(net, m, RS_MSG_DISCONNECTED);
		}
	}
	while (l->unrel != NULL) {
		msg *m = l->unrel;
		unrel_remove(l, m);
		msg_drop(net, m, RS_MSG_DISCONNECTED);
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

/* Hands the message to the owner.  The record is settled (and its block
 * freed) before the call, since the callback may send or disconnect, and
 * so that what the owner makes of the message can take the block. */
static void msg_deliver(rs_net *net, msg *m)
{
	int client = m->client, reliable = m->reliable;
	rs_dir dir = (rs_dir)m->dir;
	rs_payload *p = msg_settle(net, m, RS_MSG_DELIVERED);
	net->deliver(net->ud, client, dir, reliable, p);
	rs_payload_unref(p);
}

static void on_arrive(rs_sim *sim, const rs_event *ev)
{
	rs_net *net = ev->ctx;
	msg *m = (msg *)(uintptr_t)ev->a;
	(void)sim;
	m->nev--;
	if (m->settled || (m->reliable && ev->seq != m->u.seq)) {
		msg_release(net, m); /* settled or rescheduled since */
		return;
	}
	if (m->next != NULL)
		RS_PREFETCH(m->next); /* its event goes in below */
	link *l = net->links[m->client];
	int dir = m->dir;
	if (!m->reliable) {
		unrel_remove(l, m);
		if (l->state == LINK_PARTITIONED)
			msg_drop(net, m, RS_MSG_LOST);
		else
			msg_deliver(net, m);
		return;
	}
	m->ev = EV_RUN;
	if (m->next != NULL && m->next->ev == EV_WAITING)
		msg_enqueue(net, m->next);
	if (l->state == LINK_PARTITIONED) {
		m->held = 1; /* stays in the FIFO until the heal */
		return;
	}
	if (l->rel_head[dir] != m)
		abort(); /* the FIFO invariant of the header comment broke */
	rel_pop(l, dir);
	msg_deliver(net, m);
}

/* ---- the API ---- */

rs_net *rs_net_new(rs_sim *sim, rs_deliver_fn deliver, void *ud)
{
	rs_net *net = xrealloc(NULL, sizeof *net);
	memset(net, 0, sizeof *net);
	net->sim = sim;
	net->deliver = deliver;
	net->ud = ud;
	return net;
}

/* Records are blocks of the simulation's pool: they go with it.  Only the
 * payloads of the messages still in flight are released here. */
void rs_net_free(rs_net *net)
{
	if (net == NULL)
		return;
	for (size_t c = 0; c < net->nlinks; c++) {
		link *l = net->links[c];
		if (l == NULL)
			continue;
		for (int d = 0; d < 2; d++)
			for (msg *m = l->rel_head[d]; m; m = m->next)
				rs_payload_unref(m->p);
		for (msg *m = l->unrel; m; m = m->next)
			rs_payload_unref(m->p);
		free(l);
	}
	free(net->links);
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
	msg *m = msg_new(net);
	rs_payload_ref(p);
	m->p = p;
	m->trace = tr < NO_TRACE ? (uint32_t)tr : NO_TRACE;
	m->client = client;
	m->dir = (uint8_t)d;
	m->reliable = (uint8_t)(reliable != 0);
	if (reliable) {
		if (when < l->last_rel[d])
			when = l->last_rel[d];
		l->last_rel[d] = when;
		/* queued now unless the message before it has yet to arrive */
		msg *before = l->rel_tail[d];
		rel_push(l, d, m);
		msg_schedule(net, m, when, before == NULL ||
		             before->ev == EV_RUN);
	} else {
		unrel_push(l, m);
		m->when = when;
		m->nev++;
		rs_sim_at(sim, when, on_arrive, net, (uint64_t)(uintptr_t)m, 0);
	}
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
	msg *m = l->rel_head[dir];
	if (m == NULL || !m->held)
		return;
	/* the head's new event goes in now, the others behind it */
	for (; m != NULL && m->held; m = m->next) {
		rs_time when = net->sim->now + propagation(l, dir);
		prev = when > prev ? when : prev;
		m->held = 0;
		msg_schedule(net, m, prev, m == l->rel_head[dir]);
	}
	for (; m != NULL && m->when <= prev; m = m->next)
		msg_schedule(net, m, prev, 0);
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
