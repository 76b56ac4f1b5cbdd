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

	/* deferred queue: a Lua table used as a ring of slots */
	int defer_ref;
	lua_Integer dq_head, dq_tail;
	int flushing;
	int halted;              /* the peer left: nothing runs any more */
	int flush_pending;       /* a frame event will drain leftovers */
	int light_ref;           /* ids of light C functions */
	uint64_t light_seq;
};

/* sched.c */
void rs_sched_open(rs_vm *vm);
void rs_sched_close(rs_vm *vm);
/* vm.c: called around every top-level resumption */
void rs_vm_enter(rs_vm *vm, lua_State *T);
void rs_vm_leave(rs_vm *vm);
/* Records an uncaught error (message at the top of T's stack). */
void rs_vm_report_error(rs_vm *vm, lua_State *T);

#endif
