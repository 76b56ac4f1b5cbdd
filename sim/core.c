/*
 * core.c -- virtual clock, event heap, PRNG streams and the trace.
 *
 * The heap follows libuv's timer heap: a binary min-heap keyed by
 * (time, seq); seq is the insertion counter, so events due at the same
 * virtual instant run in the order they were scheduled.  That rule, and the
 * seeded streams below, are what make a run reproducible byte for byte.
 */
#include "rsim/core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (q == NULL && n != 0)
		abort(); /* the kernel cannot continue without its queue */
	return q;
}

rs_time rs_time_from_sec(double sec)
{
	if (!(sec > 0))
		return 0;
	if (sec >= 9.0e12)
		return RS_TIME_NEVER;
	return (rs_time)llround(sec * RS_USEC_PER_SEC);
}

double rs_time_to_sec(rs_time t)
{
	return (double)t / RS_USEC_PER_SEC;
}

int rs_fmtnum(double x, char *buf)
{
	if (isnan(x))
		return (int)(strcpy(buf, "nan"), 3);
	if (isinf(x))
		return x > 0 ? (int)(strcpy(buf, "inf"), 3)
		             : (int)(strcpy(buf, "-inf"), 4);
	if (x == 0)
		return signbit(x) ? (int)(strcpy(buf, "-0"), 2)
		                  : (int)(strcpy(buf, "0"), 1);
	if (x == floor(x) && fabs(x) < 1e15)
		return snprintf(buf, RS_NUMBUF, "%.0f", x);
	for (int prec = 15; prec < 17; prec++) {
		int n = snprintf(buf, RS_NUMBUF, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			return n;
	}
	return snprintf(buf, RS_NUMBUF, "%.17g", x);
}

/* ---- PRNG ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t rs_mix64(uint64_t x)
{
	return splitmix64(&x);
}

void rs_rng_seed(rs_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ rs_mix64(stream + 0x632be59bd9b4e019ull);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rs_rng_next(rs_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rs_rng_uniform(rs_rng *r)
{
	return (double)(rs_rng_next(r) >> 11) * 0x1.0p-53;
}

double rs_rng_normal(rs_rng *r)
{
	double u1 = rs_rng_uniform(r), u2 = rs_rng_uniform(r);
	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ---- heap ---- */

void rs_heap_init(rs_heap *h)
{
	memset(h, 0, sizeof *h);
	h->next_seq = 1;
}

void rs_heap_free(rs_heap *h)
{
	free(h->ev);
	rs_heap_init(h);
}

static int ev_less(const rs_event *x, const rs_event *y)
{
	return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

uint64_t rs_heap_push(rs_heap *h, rs_event ev)
{
	if (h->len == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->ev = xrealloc(h->ev, h->cap * sizeof *h->ev);
	}
	ev.seq = h->next_seq++;
	size_t i = h->len++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!ev_less(&ev, &h->ev[parent]))
			break;
		h->ev[i] = h->ev[parent];
		i = parent;
	}
	h->ev[i] = ev;
	return ev.seq;
}

int rs_heap_pop(rs_heap *h, rs_event *out)
{
	if (h->len == 0)
		return 0;
	*out = h->ev[0];
	rs_event last = h->ev[--h->len];
	size_t i = 0, n = h->len;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && ev_less(&h->ev[c + 1], &h->ev[c]))
			c++;
		if (!ev_less(&h->ev[c], &last))
			break;
		h->ev[i] = h->ev[c];
		i = c;
	}
	if (n > 0)
		h->ev[i] = last;
	return 1;
}

const rs_event *rs_heap_peek(const rs_heap *h)
{
	return h->len ? &h->ev[0] : NULL;
}

/* ---- trace ---- */

void rs_trace_init(rs_trace *t)
{
	memset(t, 0, sizeof *t);
	t->record_msgs = 1;
}

void rs_trace_free(rs_trace *t)
{
	for (size_t i = 0; i < t->len; i++)
		free(t->entries[i].text);
	for (uint32_t i = 0; i < t->nlabels; i++)
		free(t->labels[i]);
	free(t->labels);
	free(t->label_index);
	free(t->entries);
	free(t->msgs);
	rs_trace_init(t);
}

static char *dupn(const char *s, size_t n)
{
	char *p = xrealloc(NULL, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void rs_trace_add(rs_trace *t, rs_time time, int peer, rs_entry_kind kind,
                  const char *text, size_t len)
{
	/* A script printing in a loop must not eat the machine: past the cap
	 * one note says so and the rest is dropped. */
	if (t->len > RS_TRACE_MAX_ENTRIES)
		return;
	if (t->len == RS_TRACE_MAX_ENTRIES) {
		static const char note[] = "output truncated: the run printed more "
		                           "than 1000000 lines";
		text = note;
		len = sizeof note - 1;
		kind = RS_OUT_INFO;
	}
	if (len > RS_TRACE_MAX_LINE)
		len = RS_TRACE_MAX_LINE;
	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->entries = xrealloc(t->entries, t->cap * sizeof *t->entries);
	}
	rs_entry *e = &t->entries[t->len++];
	e->time = time;
	e->peer = peer;
	e->kind = kind;
	e->text = dupn(text, len);
}

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void label_index_put(rs_trace *t, uint32_t idx)
{
	uint32_t mask = t->index_cap - 1;
	uint32_t i = hash_str(t->labels[idx]) & mask;
	while (t->label_index[i] != 0)
		i = (i + 1) & mask;
	t->label_index[i] = idx + 1;
}

uint32_t rs_trace_label(rs_trace *t, const char *label)
{
	if (t->index_cap) {
		uint32_t mask = t->index_cap - 1;
		for (uint32_t i = hash_str(label) & mask; t->label_index[i];
		     i = (i + 1) & mask)
			if (strcmp(t->labels[t->label_index[i] - 1], label) == 0)
				return t->label_index[i] - 1;
	}
	if (t->nlabels == t->labelcap) {
		t->labelcap = t->labelcap ? t->labelcap * 2 : 16;
		t->labels = xrealloc(t->labels, t->labelcap * sizeof *t->labels);
	}
	t->labels[t->nlabels] = dupn(label, strlen(label));
	if (2 * (t->nlabels + 1) > t->index_cap) {
		free(t->label_index);
		t->index_cap = t->index_cap ? t->index_cap * 2 : 32;
		t->label_index = xrealloc(NULL, t->index_cap *
		                          sizeof *t->label_index);
		memset(t->label_index, 0, t->index_cap * sizeof *t->label_index);
		for (uint32_t i = 0; i < t->nlabels; i++)
			label_index_put(t, i);
	}
	label_index_put(t, t->nlabels);
	return t->nlabels++;
}

size_t rs_trace_msg(rs_trace *t, rs_time sent, int from, int to,
                    uint32_t bytes, uint32_t label, int reliable)
{
	if (!t->record_msgs)
		return SIZE_MAX;
	if (t->nmsgs == t->msgcap) {
		t->msgcap = t->msgcap ? t->msgcap * 2 : 64;
		t->msgs = xrealloc(t->msgs, t->msgcap * sizeof *t->msgs);
	}
	rs_msg_record *m = &t->msgs[t->nmsgs];
	m->sent = sent;
	m->delivered = RS_TIME_NEVER;
	m->from = from;
	m->to = to;
	m->bytes = bytes;
	m->label = label;
	m->reliable = (uint8_t)(reliable != 0);
	m->fate = RS_MSG_INFLIGHT;
	return t->nmsgs++;
}

void rs_trace_msg_done(rs_trace *t, size_t idx, rs_msg_fate fate,
                       rs_time when)
{
	if (idx >= t->nmsgs)
		return;
	t->msgs[idx].fate = (uint8_t)fate;
	if (fate == RS_MSG_DELIVERED)
		t->msgs[idx].delivered = when;
}

const char *rs_entry_kind_name(rs_entry_kind k)
{
	static const char *const names[] = { "print", "warn", "error", "info" };
	return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

/* ---- kernel ---- */

void rs_sim_init(rs_sim *s, uint64_t seed)
{
	memset(s, 0, sizeof *s);
	s->seed = seed;
	s->end = RS_TIME_NEVER;
	rs_heap_init(&s->queue);
	rs_trace_init(&s->trace);
}

void rs_sim_free(rs_sim *s)
{
	rs_heap_free(&s->queue);
	rs_trace_free(&s->trace);
}

void rs_sim_at(rs_sim *s, rs_time t, rs_event_fn fn, void *ctx,
               uint64_t a, uint64_t b)
{
	rs_event ev = { .time = t < s->now ? s->now : t, .fn = fn, .ctx = ctx,
	                .a = a, .b = b };
	rs_heap_push(&s->queue, ev);
}

uint64_t rs_sim_run(rs_sim *s)
{
	uint64_t n = 0;
	const rs_event *top;
	while ((top = rs_heap_peek(&s->queue)) != NULL && top->time <= s->end) {
		rs_event ev;
		rs_heap_pop(&s->queue, &ev);
		s->now = ev.time;
		ev.fn(s, &ev);
		n++;
	}
	s->events_run += n;
	return n;
}
