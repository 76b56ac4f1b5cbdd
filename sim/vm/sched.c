/*
 * sched.c -- threads, the deferred queue and the task library of a peer.
 *
 * Every piece of script code runs in a thread the scheduler knows (an
 * rs_thread).  Three kinds:
 *   - fresh threads: scripts and task.spawn/defer/delay; the function sits on
 *     the new thread's stack and the first resume starts it;
 *   - pooled handler threads, which run `loop` below: they call one handler,
 *     yield a marker that says "done", and wait to be handed the next one, so
 *     a signal with many firings does not create a coroutine per firing.
 *     A pooled thread that the drain of the deferred queue resumed takes
 *     the next queued call itself instead of yielding (see `take`): the
 *     drain would have handed that call to the same thread, which is back
 *     at the head of the pool by then, so only the resumption is saved;
 *   - coroutines the script made, which get a record the first time they
 *     yield to the scheduler (task.wait inside coroutine.wrap).
 *
 * A thread that yields to the scheduler is WAITING; a timed wait carries a
 * generation number in its wake-up event, so a thread resumed or cancelled
 * in between ignores the stale event.  Deferred work (task.defer, deferred
 * signal handlers) goes into a per-VM queue drained by one event at the
 * current virtual time: the next resumption point.  An entry's values wait
 * in a Lua table, its record in a block of the simulation's pool; an
 * entry may also name its first value by a registry ref and have the
 * last ones made only when it is taken (rs_vm_defer_call_lazy), so that a
 * remote event queues no Lua value at all.
 */
#include "vm_internal.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_CAP 1000000 /* deferred resumptions per drain before a frame */

/* The "handler finished" marker a pooled thread yields. */
static const char DONE_MARK = 0;

/* `yield` is the scheduler's `take` (below), which yields like
 * coroutine.yield when it does not hand the thread its next call.  The
 * loop's text, and so every frame and instruction it adds around a
 * handler, is what it was with coroutine.yield: tracebacks and the
 * instruction budget see no difference. */

static const char RUNNER_SRC[] =
	"local yield, done = ...\n"
	"local function loop(f, ...)\n"
	"  f(...)\n"
	"  return loop(yield(done))\n"
	"end\n"
	"return loop\n";

/* ---- thread records ---- */

static void set_waiting(rs_thread *t, const char *what)
{
	snprintf(t->waiting_on, sizeof t->waiting_on, "%s", what);
}

static rs_thread *record_new(rs_vm *vm, lua_State *T, int ref)
{
	rs_thread *t = vm->free_structs;
	if (t != NULL) {
		vm->free_structs = t->next_free;
		uint32_t gen = t->gen;
		memset(t, 0, sizeof *t);
		t->gen = gen + 1;
	} else {
		t = calloc(1, sizeof *t);
		if (t == NULL)
			abort(); /* a record is a few words; nothing sane is left */
	}
	t->magic = RS_THREAD_MAGIC;
	t->L = T;
	t->vm = vm;
	t->ref = ref;
	t->id = ++vm->thread_seq;
	t->wake_nargs = -1;
	t->prev = vm->last;
	if (vm->last)
		vm->last->next = t;
	else
		vm->first = t;
	vm->last = t;
	*(rs_thread **)lua_getextraspace(T) = t;
	return t;
}

static void record_release(rs_thread *t)
{
	rs_vm *vm = t->vm;
	if (t->prev)
		t->prev->next = t->next;
	else
		vm->first = t->next;
	if (t->next)
		t->next->prev = t->prev;
	else
		vm->last = t->prev;
	*(rs_vm **)lua_getextraspace(t->L) = vm;
	luaL_unref(vm->L, LUA_REGISTRYINDEX, t->ref);
	t->state = RS_T_DEAD;
	t->gen++;
	t->L = NULL;
	t->next_free = vm->free_structs;
	vm->free_structs = t;
}

/* The record of thread T, making one (and anchoring T) if it has none.
 * `S` is a running thread of the VM whose stack may be used. */
static rs_thread *record_of(rs_vm *vm, lua_State *S, lua_State *T)
{
	rs_thread *t = *(rs_thread **)lua_getextraspace(T);
	if (t->magic == RS_THREAD_MAGIC && t->L == T)
		return t;
	lua_pushthread(T);
	lua_xmove(T, S, 1);
	int ref = luaL_ref(S, LUA_REGISTRYINDEX);
	t = record_new(vm, T, ref);
	t->state = T == S ? RS_T_RUNNING : RS_T_SUSPENDED;
	return t;
}

rs_thread *rs_vm_thread(lua_State *L)
{
	return record_of(rs_vm_of(L), L, L);
}

/* A new thread made on S's stack; its record anchors it. */
static rs_thread *thread_new(rs_vm *vm, lua_State *S, int pooled)
{
	lua_State *T = lua_newthread(S);
	int ref = luaL_ref(S, LUA_REGISTRYINDEX);
	rs_thread *t = record_new(vm, T, ref);
	t->pooled = pooled;
	return t;
}

/* ---- running ---- */

static void enqueue_start(rs_vm *vm, lua_State *from, rs_thread *t);

/* Resumes t with nargs values on its stack and files the outcome. */
static void run(rs_thread *t, lua_State *from, int nargs)
{
	rs_vm *vm = t->vm;
	lua_State *T = t->L;
	int nres = 0;
	if (vm->halted)
		return;
	t->state = RS_T_RUNNING;
	t->waiting_on[0] = '\0';
	t->timed = 0;
	t->wake_nargs = -1;
	rs_vm_enter(vm, T);
	int rc = lua_resume(T, from, nargs, &nres);
	rs_vm_leave(vm);
	if (rc == LUA_YIELD) {
		if (t->state == RS_T_WAITING) {
			lua_pop(T, nres);
		} else if (t->pooled && nres == 1 &&
		           lua_touserdata(T, -1) == &DONE_MARK) {
			lua_pop(T, 1);
			t->state = RS_T_IDLE;
			t->next_free = vm->idle;
			vm->idle = t;
		} else {
			lua_pop(T, nres);
			t->state = RS_T_SUSPENDED;
			set_waiting(t, "coroutine.yield");
			t->wait_start = vm->sim->now;
		}
		return;
	}
	if (rc != LUA_OK)
		rs_vm_report_error(vm, T);
	lua_settop(T, 0);
	record_release(t);
}

/* Moves n values from src's top onto t's stack. */
static void give(rs_thread *t, lua_State *src, int n)
{
	if (src != t->L && n > 0) {
		lua_checkstack(t->L, n + LUA_MINSTACK);
		lua_xmove(src, t->L, n);
	}
}

/* Resumes t with the nargs values on top of its stack; `from` is the
 * thread doing the resuming (NULL for the scheduler). */
static void wake(rs_thread *t, lua_State *from, int nargs)
{
	t->gen++;
	run(t, from, nargs);
}

int rs_vm_resume(rs_thread *t, lua_State *from, int nargs)
{
	if (t->state != RS_T_WAITING && t->state != RS_T_SUSPENDED) {
		lua_pop(from, nargs);
		return 0;
	}
	give(t, from, nargs);
	wake(t, from, nargs);
	return 1;
}

static rs_thread *take_pooled(rs_vm *vm, lua_State *from)
{
	rs_thread *t = vm->idle;
	if (t != NULL) {
		vm->idle = t->next_free;
		t->next_free = NULL;
		return t;
	}
	t = thread_new(vm, from, 1);
	lua_rawgeti(from, LUA_REGISTRYINDEX, vm->runner_ref);
	lua_xmove(from, t->L, 1);
	return t;
}

void rs_vm_spawn_call(rs_vm *vm, lua_State *from, int nargs)
{
	/* from: f, args */
	rs_thread *t = take_pooled(vm, from);
	give(t, from, nargs + 1);
	wake(t, from, nargs + 1);
}

/* A fresh thread holding f and its args (popped from `from`), waiting for
 * its first resumption. */
static rs_thread *fresh(rs_vm *vm, lua_State *from, int nargs)
{
	rs_thread *t = thread_new(vm, from, 0);
	give(t, from, nargs + 1);
	t->state = RS_T_WAITING;
	set_waiting(t, "start");
	t->wait_start = vm->sim->now;
	t->wake_nargs = nargs;
	return t;
}

rs_thread *rs_vm_start(rs_vm *vm, lua_State *from, int nargs, int defer)
{
	rs_thread *t = fresh(vm, from, nargs);
	if (defer)
		enqueue_start(vm, from, t);
	else
		wake(t, from, t->wake_nargs);
	return t;
}

/* ---- deferred queue ---- */

static void flush_event(rs_sim *sim, const rs_event *ev)
{
	(void)sim;
	rs_vm *vm = ev->ctx;
	vm->flush_pending = 0;
	rs_vm_flush(vm);
}

static void need_flush(rs_vm *vm, rs_time at)
{
	if (!vm->flush_pending) {
		vm->flush_pending = 1;
		rs_sim_at(vm->sim, at, flush_event, vm, 0, 0);
	}
}

/* Entry records come from the simulation's pool (malloc's under
 * AddressSanitizer, as the VM's own blocks, so that it checks them). */
#if defined(__SANITIZE_ADDRESS__)
static rs_dq_ent *ent_new(rs_vm *vm)
{
	(void)vm;
	rs_dq_ent *e = malloc(sizeof *e);
	if (e == NULL)
		abort(); /* as the Lua table would: no memory, no queue */
	return e;
}

static void ent_free(rs_vm *vm, rs_dq_ent *e)
{
	(void)vm;
	free(e);
}
#else
_Static_assert(sizeof(rs_dq_ent) <= RS_POOL_HANDOFF,
               "an entry takes the block its message freed");

static rs_dq_ent *ent_new(rs_vm *vm)
{
	return rs_pool_alloc(&vm->sim->pool, RS_POOL_HANDOFF);
}

static void ent_free(rs_vm *vm, rs_dq_ent *e)
{
	rs_pool_free(&vm->sim->pool, e, RS_POOL_HANDOFF);
}
#endif

/* Appends the n values on top of `from` to the queue (popping them): the
 * target and its args.  A function target runs in a pooled thread (tag
 * RS_DQ_CALL); a thread target is resumed if its generation still equals
 * tag; nargs -1 means its arguments wait on its own stack.  With `lazy`,
 * more arguments are made when the entry is taken; the nids identities
 * they will take are reserved now, as making them now would. */
static void enqueue(rs_vm *vm, lua_State *from, int n, uint64_t tag,
                    int nargs, lua_CFunction via, int ref,
                    const rs_vm_lazy *lazy, uint32_t nids)
{
	rs_dq_ent *e = ent_new(vm);
	e->next = NULL;
	e->via = via;
	e->tag = tag;
	e->nargs = nargs;
	e->ref = ref;
	e->lazy.ops = NULL;
	e->lazy.ud = NULL;
	if (lazy != NULL) {
		e->lazy = *lazy;
		e->tag = vm->alloc_seq + 1;
		vm->alloc_seq += nids;
	}
	if (vm->dq_back)
		vm->dq_back->next = e;
	else
		vm->dq_front = e;
	vm->dq_back = e;
	vm->dq_len++;
	if (n > 0) {
		lua_rawgeti(from, LUA_REGISTRYINDEX, vm->defer_ref);
		lua_insert(from, -(n + 1));
		int q = lua_gettop(from) - n;
		for (int i = n; i >= 1; i--)
			lua_rawseti(from, q, vm->dq_tail + i - 1);
		lua_pop(from, 1);
		vm->dq_tail += n;
	}
	need_flush(vm, vm->sim->now);
}

static void enqueue_start(rs_vm *vm, lua_State *from, rs_thread *t)
{
	lua_pushthread(t->L);
	lua_xmove(t->L, from, 1);
	enqueue(vm, from, 1, t->gen, -1, NULL, LUA_NOREF, NULL, 0);
}

void rs_vm_defer_call(rs_vm *vm, lua_State *from, int nargs)
{
	enqueue(vm, from, nargs + 1, RS_DQ_CALL, nargs, NULL, LUA_NOREF, NULL,
	        0);
}

void rs_vm_defer_call_via(rs_vm *vm, lua_State *from, lua_CFunction via,
                          int nargs)
{
	/* from: value, args; the entry holds them and counts via's args */
	enqueue(vm, from, nargs + 1, RS_DQ_CALL, nargs + 1, via, LUA_NOREF,
	        NULL, 0);
}

void rs_vm_defer_call_lazy(rs_vm *vm, lua_State *from, lua_CFunction via,
                           int ref, int nargs, const rs_vm_lazy *lazy,
                           uint32_t nids)
{
	enqueue(vm, from, nargs, RS_DQ_CALL, nargs, via, ref, lazy, nids);
}

int rs_vm_defer_resume(rs_thread *t, lua_State *from, int nargs)
{
	if (t->state != RS_T_WAITING && t->state != RS_T_SUSPENDED) {
		lua_pop(from, nargs);
		return 0;
	}
	lua_pushthread(t->L);
	lua_xmove(t->L, from, 1);
	lua_insert(from, -(nargs + 1));
	enqueue(t->vm, from, nargs + 1, t->gen, nargs, NULL, LUA_NOREF, NULL,
	        0);
	return 1;
}

/*
 * Takes the front entry: pushes on S its target (its via, when it has one)
 * and its arguments, the lazy ones made now.  q is the index of the queue
 * table on S, or 0 to fetch it.  Returns how many arguments, or -1 with
 * nothing pushed when the lazy ones could not be made (the entry is gone).
 */
static int dq_take(rs_vm *vm, lua_State *S, int q, rs_dq_ent *out)
{
	rs_dq_ent *e = vm->dq_front;
	*out = *e;
	vm->dq_front = e->next;
	if (vm->dq_front == NULL)
		vm->dq_back = NULL;
	else
		RS_PREFETCH(vm->dq_front); /* the next turn's, a handler away */
	vm->dq_len--;
	ent_free(vm, e);
	lua_Integer h = vm->dq_head;
	int real = out->nargs < 0 ? 0 : out->nargs;
	/* a via entry holds via's arguments only */
	int nslots = out->via ? real : real + 1;
	lua_checkstack(S, real + LUA_MINSTACK);
	int base = lua_gettop(S);
	if (out->via)
		lua_pushcfunction(S, out->via);
	if (out->ref != LUA_NOREF) {
		lua_rawgeti(S, LUA_REGISTRYINDEX, out->ref);
		real++;
	}
	if (nslots > 0) {
		int fetched = q == 0;
		if (fetched) {
			lua_rawgeti(S, LUA_REGISTRYINDEX, vm->defer_ref);
			q = lua_gettop(S);
		}
		for (int i = 0; i < nslots; i++)
			lua_rawgeti(S, q, h + i);
		for (int i = 0; i < nslots; i++) {
			lua_pushnil(S);
			lua_rawseti(S, q, h + i);
		}
		vm->dq_head = h + nslots;
		if (vm->dq_head == vm->dq_tail)
			vm->dq_head = vm->dq_tail = 1;
		if (fetched)
			lua_remove(S, q);
	}
	if (out->lazy.ops != NULL) {
		int n = out->lazy.ops->push(S, &out->lazy, out->tag);
		if (n < 0) {
			lua_settop(S, base);
			return -1;
		}
		real += n;
	}
	return real;
}

/* Whether the entry is a call (run in a pooled thread), not a resume. */
static int is_call(const rs_dq_ent *e)
{
	return e->via != NULL || e->tag == RS_DQ_CALL;
}

/* Frees every entry still queued, releasing their lazy arguments. */
static void dq_clear(rs_vm *vm)
{
	while (vm->dq_front) {
		rs_dq_ent *e = vm->dq_front;
		vm->dq_front = e->next;
		if (e->lazy.ops != NULL)
			e->lazy.ops->drop(&e->lazy);
		ent_free(vm, e);
	}
	vm->dq_back = NULL;
	vm->dq_len = 0;
}

/* Whether the drain would hand its next entry to a pooled thread now. */
static int next_is_call(const rs_vm *vm)
{
	return vm->flushing && !vm->halted && vm->dq_front != NULL &&
	       vm->flush_done < FLUSH_CAP && is_call(vm->dq_front);
}

/*
 * The runner's `yield`: called by a pooled thread between two handlers,
 * with the `done` marker.  When the thread is the one the drain resumed,
 * at the outermost resumption, and the drain's next entry is a call, the
 * drain would give that call to this very thread (it would be back at the
 * head of the idle pool): it takes the call now and returns it to `loop`,
 * with everything a resumption of its own would have reset.  Otherwise it
 * yields `done`, as coroutine.yield(done) did.
 */
static int take(lua_State *T)
{
	rs_vm *vm = rs_vm_of(T);
	rs_thread *t = vm->drainer;
	if (t == NULL || t->L != T || vm->resume_depth != 1)
		return lua_yield(T, lua_gettop(T));
	while (next_is_call(vm)) {
		vm->flush_done++;
		/* queue bookkeeping and lazy arguments are made outside the
		 * memory cap, as in rs_vm_flush */
		vm->limit_on = 0;
		rs_dq_ent e;
		int n = dq_take(vm, T, 0, &e);
		vm->limit_on = 1;
		if (n < 0)
			continue;
		t->gen++;
		t->waiting_on[0] = '\0';
		t->timed = 0;
		t->wake_nargs = -1;
		rs_vm_rearm(vm, T);
		return n + 1; /* above `done`, which is dropped */
	}
	return lua_yield(T, lua_gettop(T));
}

static void halt_event(rs_sim *sim, const rs_event *ev)
{
	(void)sim;
	rs_vm_halt(ev->ctx);
}

void rs_vm_halt(rs_vm *vm)
{
	vm->halted = 1;
	if (vm->resume_depth > 0) {
		/* a thread of this VM is running (LocalPlayer:Kick()): finish
		 * the bookkeeping of its resumption first */
		rs_sim_at(vm->sim, vm->sim->now, halt_event, vm, 0, 0);
		return;
	}
	/* Every record goes, idle pooled threads included, so the idle list
	 * is simply dropped. */
	while (vm->first)
		record_release(vm->first);
	vm->idle = NULL;
	lua_newtable(vm->L);
	lua_rawseti(vm->L, LUA_REGISTRYINDEX, vm->defer_ref);
	vm->dq_head = vm->dq_tail = 1;
	dq_clear(vm);
}

int rs_vm_halted(const rs_vm *vm)
{
	return vm->halted;
}

void rs_vm_flush(rs_vm *vm)
{
	if (vm->flushing || vm->halted)
		return;
	vm->flushing = 1;
	vm->flush_done = 0;
	lua_State *L = vm->L;
	/* The queue table stays on L's stack for the whole drain: handlers
	 * that queue more append to the same table. */
	lua_rawgeti(L, LUA_REGISTRYINDEX, vm->defer_ref);
	int q = lua_gettop(L);
	while (vm->dq_len > 0 && !vm->halted) {
		if (vm->flush_done == FLUSH_CAP) {
			need_flush(vm, rs_vm_next_frame(vm, vm->sim->now));
			break;
		}
		vm->flush_done++;
		rs_dq_ent e;
		int real = dq_take(vm, L, q, &e);
		if (real < 0)
			continue;
		/* stack: target, args */
		if (is_call(&e)) {
			rs_thread *t = take_pooled(vm, L);
			give(t, L, real + 1);
			vm->drainer = t;
			wake(t, L, real + 1);
			vm->drainer = NULL;
			continue;
		}
		lua_State *T = lua_tothread(L, -(real + 1));
		rs_thread *t = *(rs_thread **)lua_getextraspace(T);
		int live = t->magic == RS_THREAD_MAGIC && t->L == T &&
		           t->gen == e.tag && (t->state == RS_T_WAITING ||
		                               t->state == RS_T_SUSPENDED);
		if (!live) {
			lua_pop(L, real + 1);
			continue;
		}
		if (e.nargs >= 0)
			give(t, L, real);
		lua_pop(L, 1);
		wake(t, NULL, e.nargs < 0 ? t->wake_nargs : real);
	}
	lua_settop(L, q - 1);
	vm->flushing = 0;
}

/* ---- frames and sleeping ---- */

/* Frame k starts at ceil(k * 1e6 / hz) us; split k by hz so that the
 * product never overflows, whatever k is. */
static rs_time frame_time(const rs_vm *vm, int64_t k)
{
	int64_t hz = vm->cfg.frame_hz;
	return k / hz * RS_USEC_PER_SEC +
	       (k % hz * RS_USEC_PER_SEC + hz - 1) / hz;
}

/* The first frame at or after t; RS_TIME_NEVER for a t so far ahead that
 * its frame would not fit in rs_time (a wait that never ends). */
rs_time rs_vm_frame_at_or_after(const rs_vm *vm, rs_time t)
{
	if (t > RS_TIME_NEVER - RS_USEC_PER_SEC)
		return RS_TIME_NEVER;
	int64_t k = t / RS_USEC_PER_SEC * vm->cfg.frame_hz +
	            t % RS_USEC_PER_SEC * vm->cfg.frame_hz / RS_USEC_PER_SEC;
	if (k > 0)
		k--;
	while (frame_time(vm, k) < t)
		k++;
	return frame_time(vm, k);
}

rs_time rs_vm_next_frame(const rs_vm *vm, rs_time now)
{
	return rs_vm_frame_at_or_after(vm, now + 1);
}

static void wake_event(rs_sim *sim, const rs_event *ev)
{
	rs_thread *t = ev->ctx;
	if (t->gen != (uint32_t)ev->a || t->state != RS_T_WAITING ||
	    !t->timed)
		return;
	if (t->wake_nargs >= 0) {
		wake(t, NULL, t->wake_nargs);
	} else {
		lua_pushnumber(t->L, rs_time_to_sec(sim->now - t->wait_start));
		wake(t, NULL, 1);
	}
}

int rs_vm_block(lua_State *L, const char *what)
{
	rs_thread *t = rs_vm_thread(L);
	if (!lua_isyieldable(L))
		return luaL_error(L, "attempt to yield across a C-call boundary "
		                  "(%s)", what);
	t->state = RS_T_WAITING;
	set_waiting(t, what);
	t->wait_start = t->vm->sim->now;
	t->timed = 0;
	return lua_yield(L, 0);
}

/* Schedules t's wake-up at `at`, keeping its current generation; at
 * RS_TIME_NEVER there is none: the thread waits until resumed by hand. */
static void arm(rs_thread *t, rs_time at)
{
	t->timed = 1;
	if (at != RS_TIME_NEVER)
		rs_sim_at(t->vm->sim, at, wake_event, t, t->gen, 0);
}

int rs_vm_sleep(lua_State *L, rs_time at, const char *what)
{
	rs_thread *t = rs_vm_thread(L);
	if (!lua_isyieldable(L))
		return luaL_error(L, "attempt to yield across a C-call boundary "
		                  "(%s)", what);
	t->state = RS_T_WAITING;
	set_waiting(t, what);
	t->wait_start = t->vm->sim->now;
	arm(t, at);
	return lua_yield(L, 0);
}

/* The wake-up time of task.wait(n): at least one frame ahead. */
static rs_time wait_until(rs_vm *vm, double n)
{
	rs_time now = vm->sim->now;
	rs_time next = rs_vm_next_frame(vm, now);
	if (!(n > 0))
		return next;
	rs_time at = rs_vm_frame_at_or_after(vm, rs_time_after(now, n));
	return at > next ? at : next;
}

/* ---- the task library ---- */

static int t_wait(lua_State *L)
{
	double n = luaL_optnumber(L, 1, 0);
	rs_vm *vm = rs_vm_of(L);
	return rs_vm_sleep(L, wait_until(vm, n), "task.wait");
}

/* wait(n) returns the elapsed time and the current time. */
static int w_cont(lua_State *L, int status, lua_KContext ctx)
{
	(void)status;
	(void)ctx;
	lua_pushnumber(L, rs_time_to_sec(rs_vm_of(L)->sim->now));
	return 2;
}

static int g_wait(lua_State *L)
{
	double n = luaL_optnumber(L, 1, 0.03);
	rs_vm *vm = rs_vm_of(L);
	rs_thread *t = rs_vm_thread(L);
	if (!lua_isyieldable(L))
		return luaL_error(L, "attempt to yield across a C-call boundary");
	t->state = RS_T_WAITING;
	set_waiting(t, "wait");
	t->wait_start = vm->sim->now;
	arm(t, wait_until(vm, n < 0.03 ? 0.03 : n));
	return lua_yieldk(L, 0, 0, w_cont);
}

/* What a thread passed to task.spawn/defer/delay (or coroutine.resume)
 * is, in Lua's coroutine.status terms. */
/* coroutine.status's words; compared by address (one copy of each) */
static const char co_suspended[] = "suspended", co_dead[] = "dead";

static const char *co_state(lua_State *L, lua_State *T)
{
	lua_Debug ar;
	if (T == L)
		return "running";
	if (lua_status(T) == LUA_YIELD)
		return co_suspended;
	if (lua_status(T) != LUA_OK)
		return co_dead;
	if (lua_getstack(T, 0, &ar))
		return "normal";
	return lua_gettop(T) == 0 ? co_dead : co_suspended;
}

/* Roblox's errors for a thread task.spawn cannot resume: with arguments
 * it cannot take them; without, Luau's own resume error. */
static void co_refuse(lua_State *L, int nargs, int dead)
{
	if (nargs > 0)
		luaL_error(L, "cannot spawn non-suspended coroutine with "
		           "arguments");
	luaL_error(L, dead ? "cannot resume dead coroutine"
	                   : "cannot resume non-suspended coroutine");
}

/* A thread that was never started (coroutine.create) or yielded can be
 * resumed; a running, normal or dead one cannot. */
static void co_check_resumable(lua_State *L, lua_State *T, int nargs)
{
	const char *st = co_state(L, T);
	if (st != co_suspended)
		co_refuse(L, nargs, st == co_dead);
}

/*
 * For spawn/defer/delay: the thread to run, from the function or thread at
 * idx and the arguments above it (all popped).  Leaves the thread on L's
 * stack at idx, which becomes the top.
 */
static rs_thread *target_thread(lua_State *L, int idx, const char *fname)
{
	rs_vm *vm = rs_vm_of(L);
	int nargs = lua_gettop(L) - idx;
	rs_thread *t;
	if (lua_isfunction(L, idx)) {
		t = fresh(vm, L, nargs);
		lua_pushthread(t->L);
		lua_xmove(t->L, L, 1);
		return t;
	}
	lua_State *T = lua_tothread(L, idx);
	if (T == NULL)
		luaL_typeerror(L, idx, "function or thread");
	co_check_resumable(L, T, nargs);
	t = record_of(vm, L, T);
	if (t->state == RS_T_RUNNING || t->state == RS_T_IDLE)
		co_refuse(L, nargs, 1);
	give(t, L, nargs);
	t->state = RS_T_WAITING;
	set_waiting(t, fname);
	t->wake_nargs = nargs;
	return t;
}

static int t_spawn(lua_State *L)
{
	rs_thread *t = target_thread(L, 1, "task.spawn");
	wake(t, L, t->wake_nargs);
	return 1;
}

static int t_defer(lua_State *L)
{
	rs_thread *t = target_thread(L, 1, "task.defer");
	enqueue_start(rs_vm_of(L), L, t);
	return 1;
}

static int t_delay(lua_State *L)
{
	double n = luaL_optnumber(L, 1, 0);
	rs_thread *t = target_thread(L, 2, "task.delay");
	set_waiting(t, "task.delay");
	t->wait_start = t->vm->sim->now;
	arm(t, wait_until(t->vm, n));
	return 1;
}

static int g_delay(lua_State *L)
{
	t_delay(L);
	return 0;
}

static int g_spawn(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	lua_settop(L, 1);
	lua_pushnumber(L, 0);
	lua_insert(L, 1);
	t_delay(L);
	return 0;
}

static int t_cancel(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTHREAD);
	lua_State *T = lua_tothread(L, 1);
	if (T == L)
		return luaL_error(L, "cannot cancel a running thread");
	rs_thread *t = *(rs_thread **)lua_getextraspace(T);
	if (t->magic == RS_THREAD_MAGIC && t->L == T) {
		if (t->state == RS_T_RUNNING)
			return luaL_error(L, "cannot cancel a thread that is "
			                  "resuming another");
		if (t->state == RS_T_IDLE)
			return 0;
		record_release(t);
	}
	if (lua_status(T) == LUA_YIELD || lua_gettop(T) > 0)
		lua_resetthread(T);
	return 0;
}

/* ---- the coroutine library, aware of the scheduler ----
 *
 * A script may resume by hand a thread the scheduler also knows: one
 * waiting in task.wait (Roblox resumes it early; its wake-up must then be
 * ignored), a pooled handler thread that captured coroutine.running(), a
 * task.spawn'd thread that yielded.  co_resume does what Lua's does and
 * keeps the thread's record straight: the generation moves on (stale
 * wake-ups are ignored), a pooled thread whose handler returned goes back
 * to the pool, and a script coroutine that yields back to its resumer or
 * ends drops its record (the script manages it; it is not "blocked").
 */

/* The record of T, or NULL if the scheduler has none. */
static rs_thread *record_if_any(lua_State *T)
{
	rs_thread *t = *(rs_thread **)lua_getextraspace(T);
	return t->magic == RS_THREAD_MAGIC && t->L == T ? t : NULL;
}

/* Resumes co with the narg values on L's top; leaves on L the results
 * (returning their count) or the error (returning -1). */
static int co_resume_core(lua_State *L, lua_State *co, int narg)
{
	rs_thread *t = record_if_any(co);
	const char *st = co_state(L, co);
	if (t != NULL && t->state == RS_T_IDLE)
		st = co_dead;
	if (st != co_suspended) {
		lua_pop(L, narg);
		lua_pushfstring(L, "cannot resume %s coroutine", st);
		return -1;
	}
	if (!lua_checkstack(co, narg + LUA_MINSTACK)) {
		lua_pop(L, narg);
		lua_pushliteral(L, "too many arguments to resume");
		return -1;
	}
	if (t != NULL) {
		t->gen++;
		t->timed = 0;
		t->wake_nargs = -1;
		t->waiting_on[0] = '\0';
		t->state = RS_T_RUNNING;
	}
	lua_xmove(L, co, narg);
	int nres = 0;
	int rc = lua_resume(co, L, narg, &nres);
	t = record_if_any(co); /* it may have made one (task.wait) */
	if (rc == LUA_YIELD && t != NULL && t->state == RS_T_RUNNING) {
		if (t->pooled && nres == 1 &&
		    lua_touserdata(co, -1) == &DONE_MARK) {
			/* its handler returned: back to the pool */
			lua_pop(co, 1);
			nres = 0;
			t->state = RS_T_IDLE;
			t->next_free = t->vm->idle;
			t->vm->idle = t;
		} else if (t->pooled) {
			t->state = RS_T_SUSPENDED;
			set_waiting(t, "coroutine.yield");
			t->wait_start = t->vm->sim->now;
		} else {
			record_release(t);
		}
	} else if (rc != LUA_YIELD && t != NULL) {
		record_release(t);
	}
	if (rc == LUA_OK || rc == LUA_YIELD) {
		if (!lua_checkstack(L, nres + 1)) {
			lua_pop(co, nres);
			lua_pushliteral(L, "too many results to resume");
			return -1;
		}
		lua_xmove(co, L, nres);
		return nres;
	}
	lua_xmove(co, L, 1);
	rs_vm_fullnames(L, -1);
	return -1;
}

static lua_State *check_co(lua_State *L, int i)
{
	lua_State *co = lua_tothread(L, i);
	luaL_argexpected(L, co != NULL, i, "thread");
	return co;
}

static int co_resume(lua_State *L)
{
	lua_State *co = check_co(L, 1);
	int r = co_resume_core(L, co, lua_gettop(L) - 1);
	if (r < 0) {
		lua_pushboolean(L, 0);
		lua_insert(L, -2);
		return 2;
	}
	lua_pushboolean(L, 1);
	lua_insert(L, -(r + 1));
	return r + 1;
}

/* Luau's wrap: an error that is a string gets the caller's position. */
static int co_wrapped(lua_State *L)
{
	lua_State *co = lua_tothread(L, lua_upvalueindex(1));
	int r = co_resume_core(L, co, lua_gettop(L));
	if (r < 0) {
		if (lua_type(L, -1) == LUA_TSTRING) {
			luaL_where(L, 1);
			lua_insert(L, -2);
			lua_concat(L, 2);
			rs_vm_fullnames(L, -1);
		}
		return lua_error(L);
	}
	return r;
}

static int co_wrap(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	lua_State *co = lua_newthread(L);
	lua_pushvalue(L, 1);
	lua_xmove(L, co, 1);
	lua_pushcclosure(L, co_wrapped, 1);
	return 1;
}

/* A pooled thread between handlers is, to the script, the dead thread of
 * the handler that ran in it. */
static int co_status(lua_State *L)
{
	lua_State *co = check_co(L, 1);
	rs_thread *t = record_if_any(co);
	lua_pushstring(L, t != NULL && t->state == RS_T_IDLE
	                  ? "dead" : co_state(L, co));
	return 1;
}

/* Luau's running: the thread alone (nil on the main thread). */
static int co_running(lua_State *L)
{
	if (lua_pushthread(L))
		lua_pushnil(L);
	return 1;
}

static int co_close(lua_State *L)
{
	lua_State *co = check_co(L, 1);
	const char *st = co_state(L, co);
	if (st != co_suspended && st != co_dead)
		return luaL_error(L, "cannot close %s coroutine", st);
	rs_thread *t = record_if_any(co);
	if (t != NULL && t->state == RS_T_IDLE) {
		lua_pushboolean(L, 1);
		return 1;
	}
	if (t != NULL)
		record_release(t);
	int status = lua_status(co);
	if (status != LUA_OK && status != LUA_YIELD) {
		lua_pushboolean(L, 0);
		lua_xmove(co, L, 1);
		rs_vm_fullnames(L, -1);
		lua_resetthread(co);
		return 2;
	}
	lua_resetthread(co);
	lua_pushboolean(L, 1);
	return 1;
}

static int t_noop(lua_State *L)
{
	(void)L;
	return 0;
}

void rs_sched_open(rs_vm *vm)
{
	lua_State *L = vm->L;
	lua_newtable(L);
	vm->defer_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	vm->dq_head = vm->dq_tail = 1;

	if (luaL_loadbufferx(L, RUNNER_SRC, sizeof RUNNER_SRC - 1, "=runner",
	                     "t") != LUA_OK)
		abort(); /* a constant chunk: cannot fail but for memory */
	lua_pushcfunction(L, take);
	lua_pushlightuserdata(L, (void *)&DONE_MARK);
	lua_call(L, 2, 1);
	vm->runner_ref = luaL_ref(L, LUA_REGISTRYINDEX);

	static const luaL_Reg task[] = {
		{ "wait", t_wait }, { "spawn", t_spawn }, { "defer", t_defer },
		{ "delay", t_delay }, { "cancel", t_cancel },
		{ "synchronize", t_noop }, { "desynchronize", t_noop },
		{ NULL, NULL }
	};
	luaL_newlib(L, task);
	lua_setglobal(L, "task");
	lua_pushcfunction(L, g_wait);
	lua_setglobal(L, "wait");
	lua_pushcfunction(L, g_spawn);
	lua_setglobal(L, "spawn");
	lua_pushcfunction(L, g_delay);
	lua_setglobal(L, "delay");

	static const luaL_Reg co[] = {
		{ "resume", co_resume }, { "wrap", co_wrap },
		{ "status", co_status }, { "close", co_close },
		{ "running", co_running }, { NULL, NULL }
	};
	lua_getglobal(L, "coroutine");
	luaL_setfuncs(L, co, 0);
	lua_pop(L, 1);
}

void rs_sched_close(rs_vm *vm)
{
	dq_clear(vm);
	rs_thread *t = vm->first;
	while (t) {
		rs_thread *n = t->next;
		free(t);
		t = n;
	}
	for (t = vm->free_structs; t;) {
		rs_thread *n = t->next_free;
		free(t);
		t = n;
	}
	vm->first = vm->last = vm->free_structs = vm->idle = NULL;
}

void rs_vm_each_waiting(rs_vm *vm, void (*fn)(rs_thread *t, void *ud),
                        void *ud)
{
	for (rs_thread *t = vm->first; t; t = t->next)
		if ((t->state == RS_T_WAITING && !t->timed) ||
		    t->state == RS_T_SUSPENDED)
			fn(t, ud);
}

const char *rs_thread_where(rs_thread *t, char *buf, size_t n)
{
	lua_Debug ar;
	snprintf(buf, n, "?");
	for (int level = 0; lua_getstack(t->L, level, &ar); level++) {
		lua_getinfo(t->L, "Sl", &ar);
		if (ar.currentline > 0 && !rs_vm_internal_frame(&ar)) {
			snprintf(buf, n, "%s:%d", rs_vm_source_name(t->vm, &ar),
			         ar.currentline);
			break;
		}
	}
	return buf;
}
