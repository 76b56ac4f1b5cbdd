/*
 * vm -- one Lua 5.4 state per peer, and the task scheduler that drives it.
 *
 * A peer (the server or one client) owns a sandboxed lua_State with a
 * memory cap (its allocator refuses to grow past it) and an instruction
 * budget per resumption (past it the running thread gets Roblox's "Script
 * timeout" error).  Every script and every signal handler runs in a thread
 * (a Lua coroutine) known to the scheduler as an rs_thread; handler threads
 * are pooled and reused.  Only the scheduler calls lua_resume.
 *
 * Determinism: the allocator stamps every allocation with a per-VM sequence
 * number, which gives tables, functions and threads an identity that does not
 * depend on addresses; `pairs`/`next` iterate in a canonical order and
 * `tostring` prints address-like strings derived from that identity.
 *
 * The vm never touches links or instances: upper layers add globals through
 * the hook in rs_vm_config and block/wake threads through this API.
 */
#ifndef RSIM_VM_H
#define RSIM_VM_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "rsim/core.h"

typedef struct rs_vm rs_vm;
typedef struct rs_thread rs_thread;

typedef enum rs_signal_mode {
	RS_SIGNAL_DEFERRED = 0,  /* handlers resume at the next resumption point */
	RS_SIGNAL_IMMEDIATE      /* handlers run inside Fire */
} rs_signal_mode;

typedef struct rs_vm_config {
	size_t mem_limit;        /* bytes a VM may hold; 0 = 64 MiB */
	uint64_t instr_limit;    /* instructions per resumption; 0 = 100 M */
	int frame_hz;            /* scheduler frames per second; 0 = 60 */
	rs_signal_mode signal_mode;
} rs_vm_config;

typedef enum rs_thread_state {
	RS_T_IDLE,       /* pooled, ready to run a handler */
	RS_T_RUNNING,    /* being resumed */
	RS_T_WAITING,    /* yielded to the scheduler: timed wait or blocked */
	RS_T_SUSPENDED,  /* yielded by the script itself (coroutine.yield) */
	RS_T_DEAD
} rs_thread_state;

#define RS_THREAD_MAGIC 0x44524854u /* "THRD" */

struct rs_thread {
	uint32_t magic;          /* first: tells it from the vm record */
	lua_State *L;
	rs_vm *vm;
	int ref;                 /* registry reference anchoring L */
	uint32_t gen;            /* bumped on every wake; stale events compare */
	rs_thread_state state;
	int pooled;              /* runs the handler loop; returns to the pool */
	char waiting_on[96];     /* "task.wait", "InvokeClient", ... */
	rs_time wait_start;
	int timed;               /* a wake-up event is pending */
	int wake_nargs;          /* args waiting on its stack; -1: none */
	uint64_t id;             /* creation order within the VM */
	rs_thread *next_free;    /* free list of structs / idle pool */
	rs_thread *prev, *next;  /* live threads, in creation order */
};

/* Creates peer `peer` (0 = server) named `name`.  Returns NULL when out of
 * memory.  Free with rs_vm_free. */
rs_vm *rs_vm_new(rs_sim *sim, int peer, const char *name,
                 const rs_vm_config *cfg);
void rs_vm_free(rs_vm *vm);

lua_State *rs_vm_state(const rs_vm *vm);
rs_sim *rs_vm_sim(const rs_vm *vm);
int rs_vm_peer(const rs_vm *vm);
const char *rs_vm_name(const rs_vm *vm);
const rs_vm_config *rs_vm_config_of(const rs_vm *vm);
/* rs_vm_config_of(vm)->signal_mode, read where the firing path reads the
 * rest of the VM. */
rs_signal_mode rs_vm_signal_mode(const rs_vm *vm);
/* The VM that owns L (any thread of it). */
rs_vm *rs_vm_of(lua_State *L);
/* Slot for the layer above (the api's world of instances). */
void rs_vm_set_user(rs_vm *vm, void *ud);
void *rs_vm_user(const rs_vm *vm);
size_t rs_vm_mem_used(const rs_vm *vm);
/* Identity (see rs_vm_identity) for an object made later: takes the next
 * number now, as making a table, function, thread or userdata here would;
 * rs_vm_use_identity gives it to the next such object made, which then
 * takes no number of its own. */
uint64_t rs_vm_reserve_identity(rs_vm *vm);
void rs_vm_use_identity(rs_vm *vm, uint64_t id);

/*
 * Translates src from Luau to Lua and compiles it (text only) as a function
 * left on top of L's stack.  chunkname is the script's full name
 * ("ServerScriptService.Script"): errors then read "chunkname:line: msg".
 * Returns 1, or 0 with the error message on the stack instead.
 */
int rs_vm_compile(rs_vm *vm, lua_State *L, const char *chunkname,
                  const char *src, size_t len);
/*
 * Starts a script: a new thread that runs fn(args) at the next resumption
 * point (defer = 1) or now.  On `from`'s stack: the function, then nargs
 * arguments; all are popped.  Returns the thread (anchored by the VM).
 */
rs_thread *rs_vm_start(rs_vm *vm, lua_State *from, int nargs, int defer);
/* Compiles and starts src in a fresh environment whose misses fall back to
 * the globals; a syntax error goes to the transcript.  Returns 1 if
 * started. */
int rs_vm_start_script(rs_vm *vm, const char *chunkname, const char *src,
                       size_t len);

/* Replaces the string at idx, if it holds positions of chunks whose names
 * are too long for Lua's chunk ids, by the same string with the full
 * names.  Any error message that leaves the VM by a path of its own (sent
 * to another peer, say) goes through it; pcall, xpcall, coroutine.resume,
 * debug.traceback and the transcript already do.  Returns 1 if changed. */
int rs_vm_fullnames(lua_State *L, int idx);

/* ---- output ---- */

/* Records a transcript entry for this peer at the current virtual time. */
void rs_vm_output(rs_vm *vm, rs_entry_kind kind, const char *text, size_t len);
/* Formats a number as Luau prints it (5, 0.1, 1e+22, -0, inf, nan: see
 * rs_luau_fmtnum); returns the length written to buf (48 bytes). */
int rs_vm_fmtnum(lua_Number x, char *buf);
/* Pushes the string Luau's tostring gives for the value at idx. */
const char *rs_vm_tostring(lua_State *L, int idx, size_t *len);
/* The deterministic identity of a table, function, thread or userdata at
 * idx (0 for other values). */
uint64_t rs_vm_identity(lua_State *L, int idx);

/* Pushes a new array of the keys of the table at idx, in canonical order
 * (numbers ascending, strings by bytes, false, true, then objects by
 * identity); returns how many. */
lua_Integer rs_vm_sorted_keys(lua_State *L, int idx);

/* ---- threads and the scheduler ---- */

/* The rs_thread running L, creating the record for a thread the scheduler
 * has not seen yet (a coroutine made by the script). */
rs_thread *rs_vm_thread(lua_State *L);

/*
 * Runs fn(args) in a pooled handler thread.  On `from`'s stack: the function
 * then nargs arguments; all are popped.  rs_vm_spawn_call runs it now (and
 * returns when it first yields or ends); rs_vm_defer_call queues it for the
 * next resumption point.  `from` may be any thread of the VM.
 */
void rs_vm_spawn_call(rs_vm *vm, lua_State *from, int nargs);
void rs_vm_defer_call(rs_vm *vm, lua_State *from, int nargs);
/* rs_vm_defer_call of the C function `via`, whose first argument is the
 * value on `from` below the nargs arguments: via(value, args) runs at the
 * next resumption point, exactly as if via had been pushed and queued with
 * rs_vm_defer_call, without a queue slot for via. */
void rs_vm_defer_call_via(rs_vm *vm, lua_State *from, lua_CFunction via,
                          int nargs);

/*
 * Arguments made when a deferred call runs instead of when it is queued (a
 * remote event's arguments stay bytes until their handler's turn).  They
 * must be a pure function of what the record holds: nothing may tell them
 * from arguments made at queue time.  Identity included: push makes the
 * nids numbered objects (tables, functions, threads, userdata) given when
 * queueing and gives them, in the order it makes them, the identities
 * first_id, first_id + 1, ... (rs_vm_use_identity), which the VM reserved
 * when the call was queued.  (Only the VM's memory count tells: the values
 * take memory when made.)
 */
typedef struct rs_vm_lazy rs_vm_lazy;
typedef struct rs_vm_lazy_ops {
	/* Pushes the arguments on L and returns how many, or -1 (pushing
	 * nothing) when they cannot be made; the call is then skipped.
	 * Releases what the record holds either way. */
	int (*push)(lua_State *L, const rs_vm_lazy *z, uint64_t first_id);
	/* Releases what the record holds when the call never runs (the VM
	 * halted or was freed first). */
	void (*drop)(const rs_vm_lazy *z);
} rs_vm_lazy_ops;
struct rs_vm_lazy {
	const rs_vm_lazy_ops *ops;
	void *ud;                /* the owner's */
};
/* Queues via(value, args) like rs_vm_defer_call_via, but the value is read
 * from the registry (ref) when the call runs, and the args are the nargs
 * values on `from` (popped) followed by those lazy->push makes then.  The
 * VM never releases ref: it must stay valid until via runs (or the VM is
 * halted or freed).  The record is copied; exactly one of its push or drop
 * will be called. */
void rs_vm_defer_call_lazy(rs_vm *vm, lua_State *from, lua_CFunction via,
                           int ref, int nargs, const rs_vm_lazy *lazy,
                           uint32_t nids);

/*
 * Parks the running thread (the caller of a C function) on `what`, then
 * yields.  Use as `return rs_vm_block(L, "InvokeServer");` from a lua
 * CFunction.  The thread stays WAITING until rs_vm_resume/rs_vm_defer_resume;
 * the values they pass become the C function's results.
 */
int rs_vm_block(lua_State *L, const char *what);
/* Like rs_vm_block, with a wake-up scheduled at virtual time `at`; when it
 * fires the thread gets the elapsed seconds (task.wait). */
int rs_vm_sleep(lua_State *L, rs_time at, const char *what);

/* Wakes a WAITING thread with nargs values from the top of `from`'s stack
 * (popped), now or at the next resumption point.  Returns 0 if the thread
 * was not waiting (values are still popped). */
int rs_vm_resume(rs_thread *t, lua_State *from, int nargs);
int rs_vm_defer_resume(rs_thread *t, lua_State *from, int nargs);

/* Stops every thread of the VM for good (its peer left the game): pending
 * wake-ups and deferred work are ignored from now on. */
void rs_vm_halt(rs_vm *vm);
int rs_vm_halted(const rs_vm *vm);

/* Runs all queued deferred work of this VM (called after every event). */
void rs_vm_flush(rs_vm *vm);

/* The next frame boundary strictly after `now`, and the first at or after
 * `t`. */
rs_time rs_vm_next_frame(const rs_vm *vm, rs_time now);
rs_time rs_vm_frame_at_or_after(const rs_vm *vm, rs_time t);

/* Calls fn(t, ud) for every thread still WAITING or SUSPENDED, in creation
 * order (the "blocked forever" list at the end of a run). */
void rs_vm_each_waiting(rs_vm *vm, void (*fn)(rs_thread *t, void *ud),
                        void *ud);
/* Where a waiting thread is: "Script:12" into buf; returns buf. */
const char *rs_thread_where(rs_thread *t, char *buf, size_t n);

#endif
