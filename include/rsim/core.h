/*
 * core -- the deterministic kernel of a simulation.
 *
 * Owns the virtual clock, the event queue (a binary min-heap ordered by
 * (time, seq), where seq is the insertion counter so that ties run in the
 * order they were scheduled), seeded pseudo-random streams, and the trace
 * (the transcript of everything observable that happened).
 *
 * It knows nothing of Lua, links or instances: upper layers schedule events
 * with a callback and a few words of context.  It never reads the wall clock
 * and never lets an address decide an order.
 */
#ifndef RSIM_CORE_H
#define RSIM_CORE_H

#include <stddef.h>
#include <stdint.h>

/* A hint that the memory at p is read soon (a no-op where the compiler
 * has no such builtin). */
#if defined(__GNUC__)
#define RS_PREFETCH(p) __builtin_prefetch(p)
#else
#define RS_PREFETCH(p) ((void)(p))
#endif

/* Virtual time in microseconds since the start of the run. */
typedef int64_t rs_time;

#define RS_USEC_PER_SEC 1000000
#define RS_TIME_NEVER   INT64_MAX

/* Converts seconds to virtual time, rounding to the nearest microsecond. */
rs_time rs_time_from_sec(double sec);
double rs_time_to_sec(rs_time t);
/* now + sec, saturating at RS_TIME_NEVER (math.huge, 1e308: never);
 * sec <= 0 or NaN is now. */
rs_time rs_time_after(rs_time now, double sec);

/* Formats a double as Luau prints numbers: integral values without a
 * fraction ("5", "-3", "1e+15" past 1e15), others in the shortest form that
 * reads back to the same double ("0.1", "0.30000000000000004"), and "inf",
 * "-inf", "nan".  buf must hold RS_NUMBUF bytes; returns the length. */
#define RS_NUMBUF 48
int rs_fmtnum(double x, char *buf);

/* ---- pseudo-random streams (xoshiro256**, seeded through splitmix64) ---- */

typedef struct rs_rng {
	uint64_t s[4];
} rs_rng;

/* Seeds a stream from the run's seed and a stream id; two different ids give
 * independent streams, so adding a peer never shifts another peer's draws. */
void rs_rng_seed(rs_rng *r, uint64_t seed, uint64_t stream);
uint64_t rs_rng_next(rs_rng *r);
/* Uniform double in [0, 1). */
double rs_rng_uniform(rs_rng *r);
/* Standard normal draw (Box-Muller, one value per call). */
double rs_rng_normal(rs_rng *r);
/* Mixes a 64-bit value; used for address-like but deterministic ids. */
uint64_t rs_mix64(uint64_t x);

/* ---- big arrays ---- */

/* Arrays that may grow to many megabytes (the event queue, message
 * records) are grown with these: from RS_BIG_ARRAY bytes on they live in
 * a mapping of their own, marked for huge pages.  old_bytes is the current
 * size (0 with NULL), new_bytes never less; free with the last size given.
 * Aborts when out of memory, as the kernel's queue cannot go on without
 * it. */
#define RS_BIG_ARRAY ((size_t)4 << 20)
void *rs_array_resize(void *p, size_t old_bytes, size_t new_bytes);
/* A zeroed block of size bytes that starts on a 64-byte cache line (for a
 * record whose hot fields come first); NULL when out of memory.  Freed
 * with free(). */
void *rs_calloc_line(size_t size);
void rs_array_free(void *p, size_t bytes);

/* ---- event queue ---- */

typedef struct rs_sim rs_sim;
typedef struct rs_event rs_event;

/* An event callback.  The event is a copy owned by the caller: it is valid for
 * the duration of the call only. */
typedef void (*rs_event_fn)(rs_sim *sim, const rs_event *ev);

struct rs_event {
	rs_time time;
	uint64_t seq;
	rs_event_fn fn;
	void *ctx;      /* owner's object (peer, link, ...) */
	uint64_t a, b;  /* owner's words: a generation, an id, ... */
};

/* A sorted run of events: a ring of cap (a power of two) events. */
typedef struct rs_fifo {
	rs_event *ev;
	size_t head, len, cap;
} rs_fifo;

/* A binary min-heap plus two FIFO runs: an event whose (time, seq) is not
 * less than a FIFO's last one is appended to that FIFO (most events are
 * scheduled in time order: a fan-out's deliveries, a frame's wake-ups; the
 * second run takes a sorted stream woven into the first, such as arrivals
 * scheduled in the place of seqs taken earlier), the others go to the heap;
 * pop takes the least of the three fronts. */
typedef struct rs_heap {
	rs_event *ev;
	size_t len, cap;
	uint64_t next_seq;
	rs_fifo run[2];
} rs_heap;

void rs_heap_init(rs_heap *h);
void rs_heap_free(rs_heap *h);
/* Pushes a copy of ev, stamping its seq; returns the seq, or 0 when out of
 * memory. */
uint64_t rs_heap_push(rs_heap *h, rs_event ev);
/* Pushes a copy of ev keeping the seq it carries (taken from next_seq
 * earlier and never used since). */
void rs_heap_push_keep_seq(rs_heap *h, rs_event ev);
/* Pops the least (time, seq) into *out; returns 0 when empty. */
int rs_heap_pop(rs_heap *h, rs_event *out);
/* The least event without removing it, or NULL. */
const rs_event *rs_heap_peek(const rs_heap *h);

/* ---- trace: the transcript of a run ---- */

typedef enum rs_entry_kind {
	RS_OUT_PRINT,   /* print() */
	RS_OUT_WARN,    /* warn() and engine warnings */
	RS_OUT_ERROR,   /* an uncaught script error */
	RS_OUT_INFO     /* a simulator event: join, leave, partition, ... */
} rs_entry_kind;

typedef struct rs_entry {
	rs_time time;
	int peer;             /* 0 = server, k = client k */
	rs_entry_kind kind;
	char *text;           /* owned by the trace */
} rs_entry;

/* What became of a message on the wire. */
typedef enum rs_msg_fate {
	RS_MSG_INFLIGHT = 0,   /* not delivered when the run ended */
	RS_MSG_DELIVERED,
	RS_MSG_LOST,           /* dropped by the unreliable channel's loss */
	RS_MSG_DISCONNECTED,   /* the receiving end had left */
	RS_MSG_TOO_LARGE       /* over the channel's payload limit */
} rs_msg_fate;

/* A message on the wire, for sequence diagrams and traces. */
typedef struct rs_msg_record {
	rs_time sent, delivered;  /* delivered = RS_TIME_NEVER unless so */
	int from, to;             /* peers */
	uint32_t bytes;
	uint32_t label;           /* index into the trace's labels */
	uint8_t reliable;
	uint8_t fate;             /* rs_msg_fate */
} rs_msg_record;

typedef struct rs_trace {
	rs_entry *entries;
	size_t len, cap;
	rs_msg_record *msgs;
	size_t nmsgs, msgcap;
	char **labels;            /* interned message labels */
	uint32_t nlabels, labelcap;
	uint32_t *label_index;    /* open addressing: label + 1, 0 = empty */
	uint32_t index_cap;       /* a power of two */
	int record_msgs;          /* 0: rs_trace_msg records nothing */
} rs_trace;

void rs_trace_init(rs_trace *t);
void rs_trace_free(rs_trace *t);
#define RS_TRACE_MAX_ENTRIES 1000000  /* then one note, then nothing */
#define RS_TRACE_MAX_LINE 65536        /* bytes kept of one entry */

/* Appends an entry with a copy of text[0..len), within the caps above. */
void rs_trace_add(rs_trace *t, rs_time time, int peer, rs_entry_kind kind,
                  const char *text, size_t len);
/* The index of an interned copy of label. */
uint32_t rs_trace_label(rs_trace *t, const char *label);
/* Appends a message record (fate in flight) and returns its index, or
 * SIZE_MAX when message recording is off. */
size_t rs_trace_msg(rs_trace *t, rs_time sent, int from, int to,
                    uint32_t bytes, uint32_t label, int reliable);
/* Settles a recorded message; a no-op for SIZE_MAX. */
void rs_trace_msg_done(rs_trace *t, size_t idx, rs_msg_fate fate,
                       rs_time when);

const char *rs_entry_kind_name(rs_entry_kind k);

/* ---- the simulation kernel ---- */

/* Small blocks (the objects of the simulation's Lua states) come from
 * chunks with one free list per 16-byte size class: no per-block header,
 * no search.  Blocks go back to their list; chunks go with the pool. */
#define RS_POOL_MAX 512       /* larger blocks are malloc's */
typedef struct rs_pool {
	void *free[RS_POOL_MAX / 16 + 1];
	char *chunk_p;
	size_t chunk_left;
	void *chunks;         /* newest first */
} rs_pool;
/* The block size that a delivery's records share: the message in flight,
 * then its queued call, then the table its arguments decode into (a Lua
 * table with the VM's block header).  Each stage takes the block the one
 * before it freed, so a fan-out's million tables need no fresh memory. */
#define RS_POOL_HANDOFF 64
/* A block of n bytes (0 < n <= RS_POOL_MAX), 16-byte aligned; aborts when
 * out of memory. */
void *rs_pool_alloc(rs_pool *p, size_t n);
void rs_pool_free(rs_pool *p, void *b, size_t n);

struct rs_sim {
	rs_time now;
	rs_time end;          /* events after this time are not run */
	uint64_t seed;
	rs_heap queue;
	rs_trace trace;
	uint64_t events_run;
	uint64_t cur_seq;     /* seq of the event running now (or run last) */
	rs_pool pool;         /* for the VMs of this simulation; they must be
	                       * freed before it */
};

void rs_sim_init(rs_sim *s, uint64_t seed);
void rs_sim_free(rs_sim *s);
/* Schedules fn(ctx, a, b) at virtual time t (never earlier than now). */
void rs_sim_at(rs_sim *s, rs_time t, rs_event_fn fn, void *ctx,
               uint64_t a, uint64_t b);
/* Takes the next seq without scheduling anything: the place in the order
 * of events that an event scheduled now would have had. */
uint64_t rs_sim_reserve_seq(rs_sim *s);
/* Schedules fn(ctx, a, b) at t in the place of seq, a seq reserved with
 * rs_sim_reserve_seq: it runs exactly where an event scheduled at t when
 * seq was reserved would have.  The caller schedules it before the queue
 * gets there (t not earlier than now, and no event ordered after it has
 * run yet). */
void rs_sim_at_seq(rs_sim *s, rs_time t, uint64_t seq, rs_event_fn fn,
                   void *ctx, uint64_t a, uint64_t b);
/* Runs events in order until the queue is empty or the next event is later
 * than s->end.  Returns the number of events run. */
uint64_t rs_sim_run(rs_sim *s);

#endif
