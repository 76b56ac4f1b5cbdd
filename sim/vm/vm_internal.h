/*
 * vm_internal.h -- the peer VM's state, shared by vm.c (state, sandbox,
 * identity, output) and sched.c (threads, task library).  Not installed.
 */
#ifndef RSIM_VM_INTERNAL_H
#define RSIM_VM_INTERNAL_H

#include "rsim/vm.h"

#define RS_VM_MAGIC 0x4d565352u /* "RSVM" */

struct rs_vm {
	uint32_t magic;           /* first: see rs_vm_of */
	/* what an arrival reads or writes, in the first cache line */
	int halted;              /* the peer left: nothing runs any more */
	lua_State *L;
	rs_sim *sim;
	uint64_t alloc_seq;
	struct rs_dq_ent *dq_front, *dq_back;
	uint32_t dq_len;
	int flushing;
	int flush_pending;       /* a frame event will drain leftovers */
	rs_signal_mode signal_mode; /* cfg.signal_mode, here for the above */

	int peer;
	char *name;
	rs_vm_config cfg;
	void *user;

	/* allocator */
	size_t mem;
	uint64_t forced_id;      /* identity of the next numbered block, 0 =
	                          * take the next number */
	int limit_on;            /* the cap applies while scripts run */
	int mem_hit;             /* the cap refused an allocation */

	/* script timeout */
	int resume_depth;
	int64_t instr_left;
	int timed_out;

	/* threads */
	rs_thread *free_structs; /* recycled rs_thread records */
	rs_thread *idle;         /* pooled handler threads ready to run */
	rs_thread *first, *last; /* live threads, creation order */
	uint64_t thread_seq;
	int runner_ref;          /* the handler loop function */

	/* deferred queue: each entry's values (target, args) sit in a Lua
	 * table at slots [dq_head, dq_tail); its record (tag, argument count,
	 * lazy arguments) in the list dq_front..dq_back above, of small
	 * blocks, oldest first */
	int defer_ref;
	lua_Integer dq_head, dq_tail;
	long flush_done;         /* entries taken by the current drain */
	rs_thread *drainer;      /* the pooled thread the drain resumed; it
	                          * takes the next calls itself */
	int light_ref;           /* ids of light C functions */
	uint64_t light_seq;

	/* script names too long for Lua's chunk ids (LUA_IDSIZE): chunk k is
	 * named "=" NAME_MARK "k" NAME_MARK and long_names[k] is the name */
	char **long_names;
	uint32_t n_long, cap_long;
};

#define NAME_MARK '\x1b'


/* One block of the simulation's pool, of the net's message size: the
 * block a delivery frees is the one its handler's entry takes. */
typedef struct rs_dq_ent {
	struct rs_dq_ent *next;
	lua_CFunction via;       /* called with the target first, or NULL */
	rs_vm_lazy lazy;         /* lazy.ops NULL: no lazy arguments */
	uint64_t tag;            /* a thread target's generation, RS_DQ_CALL
	                          * for a function target, or the first
	                          * identity reserved for the lazy arguments */
	int32_t nargs;           /* values in the queue table past the target
	                          * (via's: with its first argument unless
	                          * ref); -1: the arguments wait on the thread */
	int32_t ref;             /* registry ref of via's first argument, or
	                          * LUA_NOREF: it is in the queue table */
} rs_dq_ent;

#define RS_DQ_CALL UINT64_MAX

/* sched.c */
void rs_sched_open(rs_vm *vm);
void rs_sched_close(rs_vm *vm);
/* vm.c: called around every top-level resumption */
void rs_vm_enter(rs_vm *vm, lua_State *T);
void rs_vm_leave(rs_vm *vm);
/* Records an uncaught error (message at the top of T's stack). */
void rs_vm_report_error(rs_vm *vm, lua_State *T);
/* The running pooled thread T goes on to its next handler within the
 * same resumption: the handler gets a fresh budget, exactly as the
 * resumption of its own it stands for would. */
void rs_vm_rearm(rs_vm *vm, lua_State *T);
/* The name a script sees for the chunk of ar (after lua_getinfo "S"):
 * the full script name, never a short one. */
const char *rs_vm_source_name(rs_vm *vm, const lua_Debug *ar);
/* Whether ar's frame is the scheduler's own (the pooled handler loop),
 * which no traceback or debug.info level shows. */
int rs_vm_internal_frame(const lua_Debug *ar);

#endif
