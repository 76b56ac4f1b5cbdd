/*
 * core.c -- virtual clock, event heap, PRNG streams and the trace.
 *
 * The heap follows libuv's timer heap: a binary min-heap keyed by
 * (time, seq); seq is the insertion counter, so events due at the same
 * virtual instant run in the order they were scheduled.  That rule, and the
 * seeded streams below, are what make a run reproducible byte for byte.
 * Events pushed in (time, seq) order (the common case: a fan-out of a
 * million deliveries at one instant) bypass the heap through one of two
 * FIFO runs; the order of pops is the same total order either way.
 */
#define _GNU_SOURCE /* MADV_HUGEPAGE */
#include "rsim/core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

rs_time rs_time_after(rs_time now, double sec)
{
	rs_time d = rs_time_from_sec(sec);
	return d >= RS_TIME_NEVER - now ? RS_TIME_NEVER : now + d;
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

/* ---- big arrays ---- */

/*
 * The queues of a big run (a million messages in flight) are arrays of
 * tens of megabytes, written once from start to end.  Touching them a 4 KiB
 * page at a time costs a page fault per page; from RS_BIG_ARRAY bytes on
 * they get a mapping of their own, aligned to 2 MiB and marked for huge
 * pages where the kernel offers them (512 times fewer faults).
 */
#define HUGE_SZ ((size_t)2 << 20)

static size_t big_len(size_t n)
{
	return (n + HUGE_SZ - 1) & ~(HUGE_SZ - 1);
}

/* A fresh mapping of len bytes (a multiple of 2 MiB), 2 MiB-aligned and
 * marked for huge pages. */
static void *huge_map(size_t len)
{
	char *m = mmap(NULL, len + HUGE_SZ, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		abort(); /* as xrealloc */
	/* keep the 2 MiB-aligned part, give the rest back */
	char *q = (char *)(((uintptr_t)m + HUGE_SZ - 1) &
	                   ~(uintptr_t)(HUGE_SZ - 1));
	if (q > m)
		munmap(m, (size_t)(q - m));
	size_t tail = (size_t)(m + len + HUGE_SZ - (q + len));
	if (tail)
		munmap(q + len, tail);
#ifdef MADV_HUGEPAGE
	madvise(q, len, MADV_HUGEPAGE);
#endif
	return q;
}

void *rs_array_resize(void *p, size_t old_bytes, size_t new_bytes)
{
	if (new_bytes < RS_BIG_ARRAY && old_bytes < RS_BIG_ARRAY)
		return xrealloc(p, new_bytes);
	if (new_bytes <= old_bytes)
		return p;
	size_t len = big_len(new_bytes);
	if (old_bytes >= RS_BIG_ARRAY) {
		/* move the pages, not the bytes */
		void *q = mremap(p, big_len(old_bytes), len, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			abort();
#ifdef MADV_HUGEPAGE
		madvise(q, len, MADV_HUGEPAGE);
#endif
		return q;
	}
	char *q = huge_map(len);
	if (p != NULL) {
		memcpy(q, p, old_bytes);
		free(p);
	}
	return q;
}

void *rs_calloc_line(size_t size)
{
	size_t n = (size + 63) & ~(size_t)63;
	void *p = aligned_alloc(64, n ? n : 64);
	if (p != NULL)
		memset(p, 0, n ? n : 64);
	return p;
}

void rs_array_free(void *p, size_t bytes)
{
	if (p == NULL)
		return;
	if (bytes < RS_BIG_ARRAY)
		free(p);
	else
		munmap(p, big_len(bytes));
}

/* ---- small-block pool ---- */

#define POOL_CHUNK HUGE_SZ  /* one huge page: a fault per 2 MiB */

void *rs_pool_alloc(rs_pool *p, size_t n)
{
	size_t c = (n + 15) / 16;
	void *b = p->free[c];
	if (b != NULL) {
		p->free[c] = *(void **)b;
		return b;
	}
	size_t sz = c * 16;
	if (p->chunk_left < sz) {
		/* the tail of the old chunk (less than sz <= RS_POOL_MAX,
		 * so a valid class) feeds its size class */
		if (p->chunk_left >= 16) {
			size_t tc = p->chunk_left / 16;
			*(void **)p->chunk_p = p->free[tc];
			p->free[tc] = p->chunk_p;
		}
		char *ch = huge_map(POOL_CHUNK);
		*(void **)ch = p->chunks;
		p->chunks = ch;
		p->chunk_p = ch + 16;
		p->chunk_left = POOL_CHUNK - 16;
	}
	b = p->chunk_p;
	p->chunk_p += sz;
	p->chunk_left -= sz;
	return b;
}

void rs_pool_free(rs_pool *p, void *b, size_t n)
{
	size_t c = (n + 15) / 16;
	*(void **)b = p->free[c];
	p->free[c] = b;
}

static void pool_release(rs_pool *p)
{
	while (p->chunks) {
		void *next = *(void **)p->chunks;
		munmap(p->chunks, POOL_CHUNK);
		p->chunks = next;
	}
	memset(p, 0, sizeof *p);
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
	rs_array_free(h->ev, h->cap * sizeof *h->ev);
	for (int r = 0; r < 2; r++)
		rs_array_free(h->run[r].ev, h->run[r].cap * sizeof(rs_event));
	rs_heap_init(h);
}

static int ev_less(const rs_event *x, const rs_event *y)
{
	return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

static const rs_event *fifo_front(const rs_fifo *f)
{
	return f->len ? &f->ev[f->head] : NULL;
}

static const rs_event *fifo_back(const rs_fifo *f)
{
	return f->len ? &f->ev[(f->head + f->len - 1) & (f->cap - 1)] : NULL;
}

static void fifo_push(rs_fifo *f, const rs_event *ev)
{
	if (f->len == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 64;
		/* grown in place; a wrapped ring then moves its front part up
		 * to the new end */
		rs_event *nf = rs_array_resize(f->ev, f->cap * sizeof *nf,
		                               ncap * sizeof *nf);
		if (f->head > 0) {
			size_t front = f->cap - f->head;
			memmove(nf + ncap - front, nf + f->head,
			        front * sizeof *nf);
			f->head = ncap - front;
		}
		f->ev = nf;
		f->cap = ncap;
	}
	f->ev[(f->head + f->len) & (f->cap - 1)] = *ev;
	f->len++;
}

static void fifo_drop_front(rs_fifo *f)
{
	f->head = (f->head + 1) & (f->cap - 1);
	if (--f->len == 0)
		f->head = 0;
}

static void heap_push(rs_heap *h, const rs_event *evp)
{
	rs_event ev = *evp;
	if (h->len == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 64;
		h->ev = rs_array_resize(h->ev, h->cap * sizeof *h->ev,
		                        ncap * sizeof *h->ev);
		h->cap = ncap;
	}
	size_t i = h->len++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!ev_less(&ev, &h->ev[parent]))
			break;
		h->ev[i] = h->ev[parent];
		i = parent;
	}
	h->ev[i] = ev;
}

/* Appends ev to the first run it sorts last in, or puts it in the heap. */
static void push_sorted(rs_heap *h, const rs_event *ev)
{
	for (int r = 0; r < 2; r++) {
		const rs_event *back = fifo_back(&h->run[r]);
		if (back == NULL || ev_less(back, ev)) {
			fifo_push(&h->run[r], ev);
			return;
		}
	}
	heap_push(h, ev);
}

uint64_t rs_heap_push(rs_heap *h, rs_event ev)
{
	ev.seq = h->next_seq++;
	push_sorted(h, &ev);
	return ev.seq;
}

void rs_heap_push_keep_seq(rs_heap *h, rs_event ev)
{
	push_sorted(h, &ev);
}

static void heap_pop(rs_heap *h, rs_event *out)
{
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
}

/* Where the least event is: run 0 or 1, 2 for the heap, -1 if none. */
static int least(const rs_heap *h)
{
	const rs_event *best = h->len ? &h->ev[0] : NULL;
	int where = best ? 2 : -1;
	for (int r = 0; r < 2; r++) {
		const rs_event *f = fifo_front(&h->run[r]);
		if (f != NULL && (best == NULL || ev_less(f, best))) {
			best = f;
			where = r;
		}
	}
	return where;
}

/* Pops the least event into *out if there is one due by `end`. */
static int pop_due(rs_heap *h, rs_time end, rs_event *out)
{
	int w = least(h);
	if (w < 0)
		return 0;
	if (w == 2) {
		if (h->ev[0].time > end)
			return 0;
		heap_pop(h, out);
	} else {
		const rs_event *f = fifo_front(&h->run[w]);
		if (f->time > end)
			return 0;
		*out = *f;
		fifo_drop_front(&h->run[w]);
	}
	return 1;
}

int rs_heap_pop(rs_heap *h, rs_event *out)
{
	return pop_due(h, RS_TIME_NEVER, out);
}

const rs_event *rs_heap_peek(const rs_heap *h)
{
	int w = least(h);
	return w < 0 ? NULL : w == 2 ? &h->ev[0] : fifo_front(&h->run[w]);
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
	rs_array_free(t->msgs, t->msgcap * sizeof *t->msgs);
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
		size_t ncap = t->msgcap ? t->msgcap * 2 : 64;
		t->msgs = rs_array_resize(t->msgs, t->msgcap * sizeof *t->msgs,
		                          ncap * sizeof *t->msgs);
		t->msgcap = ncap;
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
	pool_release(&s->pool);
}

void rs_sim_at(rs_sim *s, rs_time t, rs_event_fn fn, void *ctx,
               uint64_t a, uint64_t b)
{
	rs_event ev = { .time = t < s->now ? s->now : t, .fn = fn, .ctx = ctx,
	                .a = a, .b = b };
	rs_heap_push(&s->queue, ev);
}

uint64_t rs_sim_reserve_seq(rs_sim *s)
{
	return s->queue.next_seq++;
}

void rs_sim_at_seq(rs_sim *s, rs_time t, uint64_t seq, rs_event_fn fn,
                   void *ctx, uint64_t a, uint64_t b)
{
	rs_event ev = { .time = t < s->now ? s->now : t, .seq = seq, .fn = fn,
	                .ctx = ctx, .a = a, .b = b };
	rs_heap_push_keep_seq(&s->queue, ev);
}

uint64_t rs_sim_run(rs_sim *s)
{
	uint64_t n = 0;
	rs_event ev;
	while (pop_due(&s->queue, s->end, &ev)) {
		s->now = ev.time;
		s->cur_seq = ev.seq;
		ev.fn(s, &ev);
		n++;
	}
	s->events_run += n;
	return n;
}
