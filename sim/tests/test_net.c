/* Unit tests of net: delay, jitter, order, loss, bandwidth, faults, the
 * random streams, payload references and the trace. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rsim/net.h"

/* ---- a recording harness ---- */

typedef struct arrival {
	rs_time at;
	int client;
	rs_dir dir;
	int reliable;
	uint32_t tag;
} arrival;

typedef struct harness {
	rs_sim sim;
	rs_net *net;
	arrival *got;
	size_t n, cap;
	int echo;               /* reply to every up message with a down one */
} harness;

static void record(void *ud, int client, rs_dir dir, int reliable,
                   const rs_payload *p)
{
	harness *h = ud;
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 1024;
		h->got = realloc(h->got, h->cap * sizeof *h->got);
	}
	h->got[h->n++] = (arrival){ h->sim.now, client, dir, reliable, p->tag };
	if (h->echo && dir == RS_UP) {
		rs_payload *r = rs_payload_new(p->data, p->len, p->label, p->tag);
		rs_net_send(h->net, client, RS_DOWN, reliable, r);
		rs_payload_unref(r);
	}
}

static void h_init(harness *h, uint64_t seed)
{
	memset(h, 0, sizeof *h);
	rs_sim_init(&h->sim, seed);
	h->net = rs_net_new(&h->sim, record, h);
}

static void h_free(harness *h)
{
	rs_net_free(h->net);
	rs_sim_free(&h->sim);
	free(h->got);
}

static rs_link_config cfg_lat(double up, double down)
{
	rs_link_config c = { .latency_up = up, .latency_down = down };
	return c;
}

/* Sends a fresh payload of len bytes tagged tag, now. */
static int send_now(harness *h, int client, rs_dir dir, int reliable,
                    uint32_t len, uint32_t tag)
{
	static const unsigned char zeros[4096];
	uint32_t label = rs_trace_label(&h->sim.trace, "test");
	rs_payload *p = rs_payload_new(zeros, len, label, tag);
	int r = rs_net_send(h->net, client, dir, reliable, p);
	rs_payload_unref(p);
	return r;
}

/* Scheduled sends: a = tag, b = client | dir << 32 | reliable << 33. */
static void on_send(rs_sim *sim, const rs_event *ev)
{
	harness *h = ev->ctx;
	send_now(h, (int)(ev->b & 0xffffffffu), (rs_dir)((ev->b >> 32) & 1),
	         (int)((ev->b >> 33) & 1), 100, (uint32_t)ev->a);
}

static void send_at(harness *h, double t, int client, rs_dir dir,
                    int reliable, uint32_t tag)
{
	uint64_t b = (uint64_t)client | (uint64_t)dir << 32 |
	             (uint64_t)(reliable != 0) << 33;
	rs_sim_at(&h->sim, rs_time_from_sec(t), on_send, h, tag, b);
}

/* Scheduled faults: a = client, b = which. */
enum { F_DISCONNECT, F_PARTITION, F_HEAL, F_RECONNECT, F_LATENCY };

static rs_link_config fault_cfg;  /* read-only: what F_RECONNECT uses */

static void on_fault(rs_sim *sim, const rs_event *ev)
{
	harness *h = ev->ctx;
	int c = (int)ev->a;
	switch (ev->b & 0xff) {
	case F_DISCONNECT: rs_net_disconnect(h->net, c); break;
	case F_PARTITION: rs_net_partition(h->net, c); break;
	case F_HEAL: rs_net_heal(h->net, c); break;
	case F_RECONNECT: rs_net_connect(h->net, c, &fault_cfg); break;
	case F_LATENCY: {
		double ms = (double)(ev->b >> 8) / 1000;
		rs_net_set_latency(h->net, c, ms, ms);
		break;
	}
	}
}

static void fault_at(harness *h, double t, int client, uint64_t which)
{
	rs_sim_at(&h->sim, rs_time_from_sec(t), on_fault, h,
	          (uint64_t)client, which);
}

#define USEC(sec) rs_time_from_sec(sec)

/* ---- delay ---- */

START_TEST(test_latency_delays_delivery_by_exactly_the_configured_time)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(0.05, 0.1);
	rs_net_connect(h.net, 1, &c);
	ck_assert_int_eq(send_now(&h, 1, RS_UP, 1, 10, 1), 1);
	ck_assert_int_eq(send_now(&h, 1, RS_DOWN, 0, 10, 2), 1);
	send_at(&h, 2.5, 1, RS_UP, 0, 3);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 3);
	ck_assert_int_eq(h.got[0].at, 50000);
	ck_assert_int_eq(h.got[0].dir, RS_UP);
	ck_assert_int_eq(h.got[0].reliable, 1);
	ck_assert_int_eq(h.got[1].at, 100000);
	ck_assert_int_eq(h.got[1].dir, RS_DOWN);
	ck_assert_int_eq(h.got[1].reliable, 0);
	ck_assert_int_eq(h.got[2].at, 2550000);
	ck_assert_uint_eq(rs_net_inflight(h.net), 0);
	h_free(&h);
}
END_TEST

START_TEST(test_jitter_never_makes_delivery_earlier_than_the_send)
{
	harness h;
	h_init(&h, 3);
	rs_link_config c = cfg_lat(0.001, 0.001);
	c.jitter = 0.05;
	c.jitter_kind = RS_JITTER_NORMAL;
	rs_net_connect(h.net, 1, &c);
	for (int i = 0; i < 2000; i++)
		send_at(&h, i * 0.01, 1, RS_UP, 0, (uint32_t)i);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 2000);
	int at_send = 0;
	for (size_t i = 0; i < h.n; i++) {
		rs_time sent = USEC(h.got[i].tag * 0.01);
		ck_assert_int_ge(h.got[i].at, sent);
		at_send += h.got[i].at == sent;
	}
	ck_assert_int_gt(at_send, 0); /* the clamp did happen */
	h_free(&h);
}
END_TEST

/* ---- channels ---- */

static void check_reliable_order(rs_jitter_kind kind)
{
	harness h;
	h_init(&h, 11);
	rs_link_config c = cfg_lat(0.1, 0.1);
	c.jitter = 0.05;     /* >> the 1 ms spacing */
	c.jitter_kind = kind;
	rs_net_connect(h.net, 1, &c);
	for (int i = 0; i < 10000; i++)
		send_at(&h, i * 0.001, 1, (rs_dir)(i & 1), 1, (uint32_t)i);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 10000);
	int64_t last[2] = { -1, -1 };
	rs_time last_at[2] = { -1, -1 };
	int held_back = 0;
	for (size_t i = 0; i < h.n; i++) {
		arrival *a = &h.got[i];
		ck_assert_int_gt((int64_t)a->tag, last[a->dir]);
		last[a->dir] = a->tag;
		rs_time sent = USEC(a->tag * 0.001);
		ck_assert_int_ge(a->at, sent);
		if (kind == RS_JITTER_UNIFORM)
			ck_assert_int_ge(a->at, sent + USEC(0.1 - 0.05));
		held_back += a->at == last_at[a->dir];
		last_at[a->dir] = a->at;
	}
	/* jitter did try to reorder: the order rule held many back to
	 * the time of the message before them */
	ck_assert_int_gt(held_back, 1000);
	h_free(&h);
}

START_TEST(test_reliable_channel_keeps_order_under_jitter)
{
	check_reliable_order(RS_JITTER_UNIFORM);
	check_reliable_order(RS_JITTER_NORMAL);
}
END_TEST

START_TEST(test_unreliable_channel_drops_about_the_loss_rate)
{
	harness h;
	h_init(&h, 5);
	rs_link_config c = cfg_lat(0.02, 0.02);
	c.loss = 0.2;
	rs_net_connect(h.net, 1, &c);
	int accepted = 0;
	for (int i = 0; i < 20000; i++)
		accepted += send_now(&h, 1, RS_UP, 0, 8, (uint32_t)i);
	for (int i = 0; i < 1000; i++) /* the reliable channel never drops */
		ck_assert_int_eq(send_now(&h, 1, RS_DOWN, 1, 8, 0), 1);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, (size_t)accepted + 1000);
	double rate = 1.0 - accepted / 20000.0;
	ck_assert_double_gt(rate, 0.185);
	ck_assert_double_lt(rate, 0.215);
	size_t lost = 0;
	for (size_t i = 0; i < h.sim.trace.nmsgs; i++)
		lost += h.sim.trace.msgs[i].fate == RS_MSG_LOST;
	ck_assert_uint_eq(lost, 20000 - (size_t)accepted);
	h_free(&h);
}
END_TEST

START_TEST(test_unreliable_channel_can_reorder)
{
	harness h;
	h_init(&h, 2);
	rs_link_config c = cfg_lat(0.1, 0.1);
	c.jitter = 0.05;
	rs_net_connect(h.net, 1, &c);
	for (int i = 0; i < 200; i++)
		send_at(&h, i * 0.001, 1, RS_DOWN, 0, (uint32_t)i);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 200);
	int inversions = 0;
	for (size_t i = 1; i < h.n; i++)
		inversions += h.got[i].tag < h.got[i - 1].tag;
	ck_assert_int_gt(inversions, 10);
	for (size_t i = 0; i < h.n; i++) {
		rs_time sent = USEC(h.got[i].tag * 0.001);
		ck_assert_int_ge(h.got[i].at, sent + USEC(0.05));
		ck_assert_int_le(h.got[i].at, sent + USEC(0.15));
	}
	h_free(&h);
}
END_TEST

START_TEST(test_bandwidth_queues_messages_behind_each_other)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(0.1, 0.1);
	c.bandwidth = 1000;
	rs_net_connect(h.net, 1, &c);
	send_now(&h, 1, RS_UP, 1, 500, 0);
	send_now(&h, 1, RS_UP, 0, 500, 1);  /* both channels share the pipe */
	send_now(&h, 1, RS_UP, 1, 500, 2);
	send_now(&h, 1, RS_DOWN, 1, 500, 3); /* the other way has its own */
	send_at(&h, 3.0, 1, RS_UP, 1, 4);   /* 100 B, on an idle pipe */
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 5);
	rs_time want[] = { USEC(0.6), USEC(0.6), USEC(1.1), USEC(1.6),
	                   USEC(3.2) };
	uint32_t tags[] = { 0, 3, 1, 2, 4 };
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(h.got[i].at, want[i]);
		ck_assert_uint_eq(h.got[i].tag, tags[i]);
	}
	h_free(&h);
}
END_TEST

/* ---- faults ---- */

START_TEST(test_disconnect_drops_in_flight_and_later_messages)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(0.1, 0.1);
	rs_net_connect(h.net, 1, &c);
	rs_net_connect(h.net, 2, &c);
	send_now(&h, 1, RS_UP, 1, 10, 1);
	send_now(&h, 1, RS_DOWN, 0, 10, 2);
	send_now(&h, 2, RS_DOWN, 1, 10, 3);
	ck_assert_uint_eq(rs_net_inflight(h.net), 3);
	fault_at(&h, 0.05, 1, F_DISCONNECT);
	send_at(&h, 0.06, 1, RS_DOWN, 1, 4);
	send_at(&h, 0.06, 1, RS_UP, 0, 5);
	h.sim.end = USEC(0.05);
	rs_sim_run(&h.sim);
	/* settled at once, at the time of the disconnect */
	ck_assert_uint_eq(rs_net_inflight(h.net), 1);
	ck_assert(!rs_net_connected(h.net, 1));
	ck_assert(rs_net_connected(h.net, 2));
	ck_assert_int_eq(send_now(&h, 1, RS_UP, 1, 10, 6), 0);
	h.sim.end = RS_TIME_NEVER;
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_int_eq(h.got[0].client, 2);
	rs_trace *t = &h.sim.trace;
	ck_assert_uint_eq(t->nmsgs, 6);
	int fates[] = { RS_MSG_DISCONNECTED, RS_MSG_DISCONNECTED,
	                RS_MSG_DELIVERED, RS_MSG_DISCONNECTED,
	                RS_MSG_DISCONNECTED, RS_MSG_DISCONNECTED };
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(t->msgs[i].fate, fates[i]);
	ck_assert_uint_eq(rs_net_inflight(h.net), 0);
	h_free(&h);
}
END_TEST

START_TEST(test_rejoin_does_not_resurrect_old_messages)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(1.0, 1.0);
	fault_cfg = c;
	rs_net_connect(h.net, 1, &c);
	send_at(&h, 0.0, 1, RS_UP, 1, 1);
	send_at(&h, 0.0, 1, RS_DOWN, 0, 2);
	fault_at(&h, 0.1, 1, F_DISCONNECT);
	fault_at(&h, 0.2, 1, F_RECONNECT);
	/* reuses the freed records while the old events are still queued */
	send_at(&h, 0.3, 1, RS_UP, 1, 3);
	send_at(&h, 0.3, 1, RS_DOWN, 0, 4);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 2);
	ck_assert_uint_eq(h.got[0].tag, 3);
	ck_assert_int_eq(h.got[0].at, USEC(1.3));
	ck_assert_uint_eq(h.got[1].tag, 4);
	ck_assert_int_eq(h.got[1].at, USEC(1.3));
	ck_assert_uint_eq(rs_net_inflight(h.net), 0);
	h_free(&h);
}
END_TEST

START_TEST(test_connect_on_a_live_link_starts_a_new_session)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(1.0, 1.0);
	rs_net_connect(h.net, 1, &c);
	send_now(&h, 1, RS_UP, 1, 10, 1);
	rs_link_config d = cfg_lat(0.5, 0.5);
	rs_net_connect(h.net, 1, &d);
	ck_assert(rs_net_config(h.net, 1)->latency_up == 0.5);
	send_now(&h, 1, RS_UP, 1, 10, 2);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_uint_eq(h.got[0].tag, 2);
	ck_assert_int_eq(h.sim.trace.msgs[0].fate, RS_MSG_DISCONNECTED);
	h_free(&h);
}
END_TEST

START_TEST(test_partition_holds_reliable_and_heal_delivers_in_order)
{
	harness h;
	h_init(&h, 9);
	rs_link_config c = cfg_lat(0.1, 0.2);
	c.jitter = 0.05;
	rs_net_connect(h.net, 1, &c);
	for (int i = 0; i < 100; i++) /* in flight at the partition, and not */
		send_at(&h, 0.8 + i * 0.003, 1, (rs_dir)(i & 1), 1,
		        (uint32_t)i);
	fault_at(&h, 1.0, 1, F_PARTITION);
	rs_sim_run(&h.sim);
	size_t before = h.n;
	ck_assert_uint_lt(before, 100);
	ck_assert_uint_eq(rs_net_inflight(h.net), 100 - before);
	ck_assert_uint_gt(before, 0);
	fault_at(&h, 5.0, 1, F_HEAL);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 100);
	ck_assert_uint_eq(rs_net_inflight(h.net), 0);
	uint32_t next[2] = { 0, 1 };  /* even tags go up, odd ones down */
	for (size_t i = 0; i < h.n; i++) {
		ck_assert_uint_eq(h.got[i].tag, next[h.got[i].dir]);
		next[h.got[i].dir] += 2;
	}
	for (size_t i = before; i < h.n; i++) {
		double lat = h.got[i].dir == RS_UP ? 0.1 : 0.2;
		ck_assert_int_ge(h.got[i].at, USEC(5.0 + lat - 0.05));
	}
	h_free(&h);
}
END_TEST

START_TEST(test_heal_keeps_order_with_messages_still_on_the_wire)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(0.5, 0.5);
	rs_net_connect(h.net, 1, &c);
	send_at(&h, 0.0, 1, RS_UP, 1, 1);    /* arrives at 0.5: held */
	fault_at(&h, 0.4, 1, F_PARTITION);
	send_at(&h, 0.45, 1, RS_UP, 1, 2);   /* due 0.95, after the heal */
	send_at(&h, 0.46, 1, RS_UP, 1, 3);   /* due 0.96 */
	send_at(&h, 0.47, 1, RS_UP, 1, 4);   /* due 0.97 */
	fault_at(&h, 0.6, 1, F_LATENCY | (uint64_t)360 << 8);
	fault_at(&h, 0.6, 1, F_HEAL);        /* 1 goes at 0.96 */
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 4);
	rs_time want[] = { USEC(0.96), USEC(0.96), USEC(0.96), USEC(0.97) };
	for (int i = 0; i < 4; i++) {
		ck_assert_uint_eq(h.got[i].tag, (uint32_t)i + 1);
		ck_assert_int_eq(h.got[i].at, want[i]);
	}
	h_free(&h);
}
END_TEST

START_TEST(test_partition_loses_unreliable)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(0.1, 0.1);
	rs_net_connect(h.net, 1, &c);
	send_at(&h, 0.0, 1, RS_UP, 0, 1);    /* in flight at the partition */
	fault_at(&h, 0.05, 1, F_PARTITION);
	send_at(&h, 0.2, 1, RS_DOWN, 0, 2);  /* sent during it */
	send_at(&h, 0.2, 1, RS_DOWN, 1, 3);  /* held */
	send_at(&h, 0.45, 1, RS_DOWN, 0, 4); /* arrives after the heal */
	fault_at(&h, 0.5, 1, F_HEAL);
	rs_sim_run(&h.sim);
	ck_assert(rs_net_connected(h.net, 1));
	ck_assert_uint_eq(h.n, 2);
	ck_assert_uint_eq(h.got[0].tag, 4);
	ck_assert_int_eq(h.got[0].at, USEC(0.55));
	ck_assert_uint_eq(h.got[1].tag, 3);
	ck_assert_int_eq(h.got[1].at, USEC(0.6));
	rs_trace *t = &h.sim.trace;
	ck_assert_int_eq(t->msgs[0].fate, RS_MSG_LOST);
	ck_assert_int_eq(t->msgs[1].fate, RS_MSG_LOST);
	ck_assert_int_eq(t->msgs[2].fate, RS_MSG_DELIVERED);
	h_free(&h);
}
END_TEST

START_TEST(test_disconnect_during_partition_drops_held_messages)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(0.1, 0.1);
	rs_net_connect(h.net, 1, &c);
	fault_at(&h, 0.0, 1, F_PARTITION);
	send_at(&h, 0.0, 1, RS_UP, 1, 1);
	send_at(&h, 0.0, 1, RS_DOWN, 1, 2);
	fault_at(&h, 1.0, 1, F_DISCONNECT);
	fault_at(&h, 2.0, 1, F_HEAL);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 0);
	ck_assert_uint_eq(rs_net_inflight(h.net), 0);
	ck_assert_int_eq(h.sim.trace.msgs[0].fate, RS_MSG_DISCONNECTED);
	ck_assert_int_eq(h.sim.trace.msgs[1].fate, RS_MSG_DISCONNECTED);
	h_free(&h);
}
END_TEST

START_TEST(test_latency_change_applies_to_new_messages)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(1.0, 1.0);
	rs_net_connect(h.net, 1, &c);
	send_at(&h, 0.0, 1, RS_UP, 1, 1);
	send_at(&h, 0.0, 1, RS_DOWN, 0, 2);
	fault_at(&h, 0.5, 1, F_LATENCY | (uint64_t)100 << 8);
	send_at(&h, 0.5, 1, RS_DOWN, 0, 3);  /* overtakes 2 */
	send_at(&h, 0.5, 1, RS_UP, 1, 4);    /* may not overtake 1 */
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 4);
	ck_assert_uint_eq(h.got[0].tag, 3);
	ck_assert_int_eq(h.got[0].at, USEC(0.6));
	ck_assert_uint_eq(h.got[1].tag, 1);
	ck_assert_int_eq(h.got[1].at, USEC(1.0));
	ck_assert_uint_eq(h.got[2].tag, 2);
	ck_assert_uint_eq(h.got[3].tag, 4);
	ck_assert_int_eq(h.got[3].at, USEC(1.0));
	ck_assert(rs_net_config(h.net, 1)->latency_down == 0.1);
	h_free(&h);
}
END_TEST

/* ---- determinism ---- */

/* A busy run on clients 1..nclients; returns client 1's arrivals. */
static arrival *run_mix(uint64_t seed, int nclients, size_t *n)
{
	harness h;
	h_init(&h, seed);
	rs_link_config c = cfg_lat(0.05, 0.07);
	c.jitter = 0.03;
	c.loss = 0.1;
	c.bandwidth = 50000;
	for (int k = 1; k <= nclients; k++)
		rs_net_connect(h.net, k, &c);
	for (int i = 0; i < 3000; i++)
		send_at(&h, i * 0.0005, 1 + i % nclients, (rs_dir)(i % 3 == 0),
		        i % 2, (uint32_t)i);
	rs_sim_run(&h.sim);
	arrival *out = malloc((h.n + 1) * sizeof *out);
	*n = 0;
	for (size_t i = 0; i < h.n; i++)
		if (h.got[i].client == 1)
			out[(*n)++] = h.got[i];
	h_free(&h);
	return out;
}

static int same_arrivals(const arrival *a, size_t na, const arrival *b,
                         size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (a[i].at != b[i].at || a[i].tag != b[i].tag)
			return 0;
	return 1;
}

START_TEST(test_same_seed_same_delivery_times)
{
	size_t n1, n2, n3;
	arrival *a = run_mix(7, 2, &n1);
	arrival *b = run_mix(7, 2, &n2);
	arrival *c = run_mix(8, 2, &n3);
	ck_assert_uint_gt(n1, 0);
	ck_assert(same_arrivals(a, n1, b, n2));
	ck_assert(!same_arrivals(a, n1, c, n3));
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(test_links_have_independent_random_streams)
{
	/* the same sends on client 1, with and without client 3's traffic */
	harness h[2];
	for (int r = 0; r < 2; r++) {
		h_init(&h[r], 42);
		rs_link_config c = cfg_lat(0.05, 0.05);
		c.jitter = 0.04;
		c.loss = 0.3;
		rs_net_connect(h[r].net, 1, &c);
		if (r == 1)
			rs_net_connect(h[r].net, 3, &c);
		for (int i = 0; i < 2000; i++) {
			send_at(&h[r], i * 0.001, 1, (rs_dir)(i & 1), i % 3 == 0,
			        (uint32_t)i);
			if (r == 1)
				send_at(&h[r], i * 0.001, 3, RS_UP, i & 1,
				        (uint32_t)i);
		}
		rs_sim_run(&h[r].sim);
	}
	size_t j = 0;
	for (size_t i = 0; i < h[1].n; i++) {
		if (h[1].got[i].client != 1)
			continue;
		ck_assert_uint_lt(j, h[0].n);
		ck_assert_int_eq(h[1].got[i].at, h[0].got[j].at);
		ck_assert_uint_eq(h[1].got[i].tag, h[0].got[j].tag);
		j++;
	}
	ck_assert_uint_eq(j, h[0].n);
	ck_assert_uint_lt(h[0].n, 2000); /* some were lost */
	h_free(&h[0]);
	h_free(&h[1]);
}
END_TEST

/* ---- the event queue ---- */

static size_t queued(const harness *h)
{
	const rs_heap *q = &h->sim.queue;
	return q->len + q->run[0].len + q->run[1].len;
}

START_TEST(test_a_reliable_burst_queues_one_arrival_per_channel)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(0.05, 0.05);
	c.jitter = 0.01;
	for (int k = 1; k <= 3; k++)
		rs_net_connect(h.net, k, &c);
	for (uint32_t i = 0; i < 300; i++) {
		send_now(&h, 1 + (int)(i % 3), RS_DOWN, 1, 10, i);
		send_now(&h, 1 + (int)(i % 3), RS_UP, 1, 10, i);
	}
	ck_assert_uint_eq(rs_net_inflight(h.net), 600);
	ck_assert_uint_eq(queued(&h), 6);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 600);
	/* in send order per channel: client k got k - 1, k + 2, ... */
	uint32_t next[4][2] = { { 0 }, { 0, 0 }, { 1, 1 }, { 2, 2 } };
	for (size_t i = 0; i < h.n; i++) {
		uint32_t *want = &next[h.got[i].client][h.got[i].dir];
		ck_assert_uint_eq(h.got[i].tag, *want);
		*want += 3;
	}
	h_free(&h);
}
END_TEST

/* Messages dropped before their arrival was queued still have it run (as
 * a stale event) when it was due: the run ends at the same time as if
 * every message had its own event from the start. */
START_TEST(test_dropped_messages_keep_their_arrival_times)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(1.0, 1.0);
	c.bandwidth = 1000; /* 100 bytes: a message every 0.1 s */
	rs_net_connect(h.net, 1, &c);
	for (uint32_t i = 0; i < 5; i++)
		send_now(&h, 1, RS_DOWN, 1, 100, i);
	fault_at(&h, 0.5, 1, F_DISCONNECT);
	ck_assert_uint_eq(rs_sim_run(&h.sim), 1 + 5);
	ck_assert_uint_eq(h.n, 0);
	ck_assert_int_eq(h.sim.now, USEC(1.5));
	h_free(&h);
}
END_TEST

/* ---- ownership and the trace ---- */

START_TEST(test_payload_refcount_released)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(0.1, 0.1);
	c.loss = 0.5;
	rs_net_connect(h.net, 1, &c);
	rs_net_connect(h.net, 2, &c);
	rs_payload *p = rs_payload_new("hello", 5, 0, 0);
	for (int i = 0; i < 100; i++) {  /* delivered, lost, held, dropped */
		rs_net_send(h.net, 1, RS_DOWN, i & 1, p);
		rs_net_send(h.net, 2, RS_DOWN, i & 1, p);
		rs_net_send(h.net, 5, RS_DOWN, i & 1, p);
	}
	ck_assert_uint_gt(p->refs, 100);
	rs_net_partition(h.net, 2);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(p->refs, 1 + 50);  /* client 2's held ones */
	rs_net_disconnect(h.net, 2);
	ck_assert_uint_eq(p->refs, 1);
	/* and freeing the net releases what is still on its way */
	rs_net_send(h.net, 1, RS_UP, 1, p);
	ck_assert_uint_eq(p->refs, 2);
	rs_net_free(h.net);
	h.net = NULL;
	ck_assert_uint_eq(p->refs, 1);
	rs_payload_unref(p);
	rs_sim_free(&h.sim);  /* the stale event is never run */
	free(h.got);
}
END_TEST

START_TEST(test_trace_records_sent_delivered_and_fate)
{
	harness h;
	h_init(&h, 1);
	rs_link_config c = cfg_lat(0.25, 0.5);
	rs_net_connect(h.net, 4, &c);
	uint32_t label = rs_trace_label(&h.sim.trace, "RemoteEvent");
	rs_payload *p = rs_payload_new("abcdefg", 7, label, 0);
	h.sim.now = USEC(1.0);
	rs_net_send(h.net, 4, RS_UP, 1, p);
	rs_net_send(h.net, 4, RS_DOWN, 0, p);
	rs_net_send(h.net, 9, RS_DOWN, 0, p);
	rs_payload_unref(p);
	rs_sim_run(&h.sim);
	rs_trace *t = &h.sim.trace;
	ck_assert_uint_eq(t->nmsgs, 3);
	rs_msg_record *m = t->msgs;
	ck_assert_int_eq(m[0].sent, USEC(1.0));
	ck_assert_int_eq(m[0].delivered, USEC(1.25));
	ck_assert_int_eq(m[0].from, 4);
	ck_assert_int_eq(m[0].to, 0);
	ck_assert_uint_eq(m[0].bytes, 7);
	ck_assert_uint_eq(m[0].label, label);
	ck_assert_uint_eq(m[0].reliable, 1);
	ck_assert_int_eq(m[0].fate, RS_MSG_DELIVERED);
	ck_assert_int_eq(m[1].delivered, USEC(1.5));
	ck_assert_int_eq(m[1].from, 0);
	ck_assert_int_eq(m[1].to, 4);
	ck_assert_uint_eq(m[1].reliable, 0);
	ck_assert_int_eq(m[1].fate, RS_MSG_DELIVERED);
	ck_assert_int_eq(m[2].to, 9);
	ck_assert_int_eq(m[2].fate, RS_MSG_DISCONNECTED);
	ck_assert_int_eq(m[2].delivered, RS_TIME_NEVER);
	h_free(&h);
}
END_TEST

START_TEST(test_delivery_callback_may_send_again)
{
	harness h;
	h_init(&h, 1);
	h.echo = 1;
	rs_link_config c = cfg_lat(0.01, 0.02);
	for (int k = 1; k <= 50; k++)
		rs_net_connect(h.net, k, &c);
	for (int i = 0; i < 5000; i++) /* grows the pool inside callbacks */
		send_at(&h, 0.0, 1 + i % 50, RS_UP, i & 1, (uint32_t)i);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 10000);
	for (size_t i = 5000; i < h.n; i++) {
		ck_assert_int_eq(h.got[i].dir, RS_DOWN);
		ck_assert_int_eq(h.got[i].at, USEC(0.03));
	}
	ck_assert_uint_eq(rs_net_inflight(h.net), 0);
	h_free(&h);
}
END_TEST

START_TEST(test_two_nets_share_one_simulation)
{
	harness h;
	h_init(&h, 1);
	rs_net *other = rs_net_new(&h.sim, record, &h);
	rs_link_config c = cfg_lat(0.1, 0.1), d = cfg_lat(0.3, 0.3);
	rs_net_connect(h.net, 1, &c);
	rs_net_connect(other, 1, &d);
	rs_payload *p = rs_payload_new("x", 1, 0, 7);
	rs_net_send(other, 1, RS_UP, 1, p);
	rs_net_send(h.net, 1, RS_UP, 1, p);
	rs_payload_unref(p);
	ck_assert_uint_eq(rs_net_inflight(other), 1);
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 2);
	ck_assert_int_eq(h.got[0].at, USEC(0.1));
	ck_assert_int_eq(h.got[1].at, USEC(0.3));
	rs_net_free(other);
	h_free(&h);
}
END_TEST

/* Not a timed test: a million deliveries through 1,000 links must simply
 * finish (the benchmark measures the speed). */
START_TEST(test_a_million_deliveries_through_a_thousand_links)
{
	harness h;
	h_init(&h, 1);
	h.sim.trace.record_msgs = 0;
	rs_link_config c = cfg_lat(0.05, 0.05);
	c.jitter = 0.01;
	for (int k = 1; k <= 1000; k++)
		rs_net_connect(h.net, k, &c);
	rs_payload *p = rs_payload_new("0123456789abcdef", 16, 0, 0);
	h.cap = 1000000;
	h.got = malloc(h.cap * sizeof *h.got);
	for (int round = 0; round < 1000; round++) {
		h.sim.end = h.sim.now;
		for (int k = 1; k <= 1000; k++)
			rs_net_send(h.net, k, RS_DOWN, 1, p);
		h.sim.end = h.sim.now + USEC(0.016);
		rs_sim_run(&h.sim);
		h.sim.now = h.sim.end;
	}
	h.sim.end = RS_TIME_NEVER;
	rs_sim_run(&h.sim);
	ck_assert_uint_eq(h.n, 1000000);
	ck_assert_uint_eq(p->refs, 1);
	rs_payload_unref(p);
	h_free(&h);
}
END_TEST

static Suite *net_suite(void)
{
	Suite *s = suite_create("net");
	const struct { const char *name; const TTest *test; } cases[] = {
#define T(f) { #f, f }
		T(test_latency_delays_delivery_by_exactly_the_configured_time),
		T(test_jitter_never_makes_delivery_earlier_than_the_send),
		T(test_reliable_channel_keeps_order_under_jitter),
		T(test_unreliable_channel_drops_about_the_loss_rate),
		T(test_unreliable_channel_can_reorder),
		T(test_bandwidth_queues_messages_behind_each_other),
		T(test_disconnect_drops_in_flight_and_later_messages),
		T(test_rejoin_does_not_resurrect_old_messages),
		T(test_connect_on_a_live_link_starts_a_new_session),
		T(test_partition_holds_reliable_and_heal_delivers_in_order),
		T(test_heal_keeps_order_with_messages_still_on_the_wire),
		T(test_partition_loses_unreliable),
		T(test_disconnect_during_partition_drops_held_messages),
		T(test_latency_change_applies_to_new_messages),
		T(test_same_seed_same_delivery_times),
		T(test_links_have_independent_random_streams),
		T(test_a_reliable_burst_queues_one_arrival_per_channel),
		T(test_dropped_messages_keep_their_arrival_times),
		T(test_payload_refcount_released),
		T(test_trace_records_sent_delivered_and_fate),
		T(test_delivery_callback_may_send_again),
		T(test_two_nets_share_one_simulation),
		T(test_a_million_deliveries_through_a_thousand_links),
#undef T
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		/* one TCase per behaviour, named for it */
		TCase *tc = tcase_create(cases[i].name + 5);
		tcase_add_test(tc, cases[i].test);
		tcase_set_timeout(tc, 60);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(net_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
