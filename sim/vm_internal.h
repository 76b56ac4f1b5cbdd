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
	lua_State *L;
	rs_sim *sim;
	int peer;
	char *name;
	rs_vm_config cfg;
	void *user;

	/* allocator */
	size_t mem;
	uint64_t alloc_seq;
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
	 * table at slots [dq_head, dq_tail); its tag and argument count sit
	 * in a C ring, one record per entry */
	int defer_ref;
	lua_Integer dq_head, dq_tail;
	struct rs_dq_ent *dq;    /* ring of dq_cap (a power of two) records */
	uint32_t dq_cap, dq_first, dq_len;
	int flushing;
	int halted;              /* the peer left: nothing runs any more */
	int flush_pending;       /* a frame event will drain leftovers */
	int light_ref;           /* ids of light C functions */
	uint64_t light_seq;
};

typedef struct rs_dq_ent {
	lua_CFunction via;       /* called with the target first, or NULL */
	uint32_t tag;            /* a thread target's generation */
	int32_t nargs;           /* -1: the arguments wait on the thread */
} rs_dq_ent;

/* sched.c */
void rs_sched_open(rs_vm *vm);
void rs_sched_close(rs_vm *vm);
/* vm.c: called around every top-level resumption */
void rs_vm_enter(rs_vm *vm, lua_State *T);
void rs_vm_leave(rs_vm *vm);
/* Records an uncaught error (message at the top of T's stack). */
void rs_vm_report_error(rs_vm *vm, lua_State *T);

#endif
