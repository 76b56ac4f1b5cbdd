/*
 * sched.c -- threads, the deferred queue and the task library of a peer.
 *
 * Every piece of script code runs in a thread the scheduler knows (an
 * rs_thread).  Three kinds:
 *   - fresh threads: scripts and task.spawn/defer/delay; the function sits on
 *     the new thread's stack and the first resume starts it;
 *   - pooled handler threads, which run `loop` below: they call one handler,
 *     yield a marker that says "done", and wait to be handed the next one, so
 *     a signal with many firings does not create a coroutine per firing;
 *   - coroutines the script made, which get a record the first time they
 *     yield to the scheduler (task.wait inside coroutine.wrap).
 *
 * A thread that yields to the scheduler is WAITING; a timed wait carries a
 * generation number in its wake-up event, so a thread resumed or cancelled
 * in between ignores the stale event.  Deferred work (task.defer, deferred
 * signal handlers) goes into a per-VM queue drained by one event at the
 * current virtual time: the next resumption point.
 */
#include "vm_internal.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_CAP 1000000 /* deferred resumptions per drain before a frame */

/* The "handler finished" marker a pooled thread yields. */
static const char DONE_MARK = 0;

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

/* Appends the n values on top of `from` to the queue (popping them): the
 * target and its args.  A function target runs in a pooled thread (tag
 * unused); a thread target is resumed if its generation still equals tag;
 * nargs -1 means its arguments wait on its own stack. */
static void enqueue(rs_vm *vm, lua_State *from, int n, uint32_t tag,
                    int nargs, lua_CFunction via)
{
	if (vm->dq_len == vm->dq_cap) {
		uint32_t ncap = vm->dq_cap ? vm->dq_cap * 2 : 64;
		rs_dq_ent *nd = malloc((size_t)ncap * sizeof *nd);
		if (nd == NULL)
			abort(); /* as the Lua table would: no memory, no queue */
		for (uint32_t k = 0; k < vm->dq_len; k++)
			nd[k] = vm->dq[(vm->dq_first + k) & (vm->dq_cap - 1)];
		free(vm->dq);
		vm->dq = nd;
		vm->dq_cap = ncap;
		vm->dq_first = 0;
	}
	rs_dq_ent *e = &vm->dq[(vm->dq_first + vm->dq_len) & (vm->dq_cap - 1)];
	e->via = via;
	e->tag = tag;
	e->nargs = nargs;
	vm->dq_len++;
	lua_rawgeti(from, LUA_REGISTRYINDEX, vm->defer_ref);
	lua_insert(from, -(n + 1));
	int q = lua_gettop(from) - n;
	for (int i = n; i >= 1; i--)
		lua_rawseti(from, q, vm->dq_tail + i - 1);
	lua_pop(from, 1);
	vm->dq_tail += n;
	need_flush(vm, vm->sim->now);
}

static void enqueue_start(rs_vm *vm, lua_State *from, rs_thread *t)
{
	lua_pushthread(t->L);
	lua_xmove(t->L, from, 1);
	enqueue(vm, from, 1, t->gen, -1, NULL);
}

void rs_vm_defer_call(rs_vm *vm, lua_State *from, int nargs)
{
	enqueue(vm, from, nargs + 1, 0, nargs, NULL);
}

void rs_vm_defer_call_via(rs_vm *vm, lua_State *from, lua_CFunction via,
                          int nargs)
{
	/* from: value, args; the entry holds them and counts via's args */
	enqueue(vm, from, nargs + 1, 0, nargs + 1, via);
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
	enqueue(t->vm, from, nargs + 1, t->gen, nargs, NULL);
	return 1;
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
	vm->dq_first = vm->dq_len = 0;
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
	lua_State *L = vm->L;
	long done = 0;
	/* The queue table stays on L's stack for the whole drain: handlers
	 * that queue more append to the same table. */
	lua_rawgeti(L, LUA_REGISTRYINDEX, vm->defer_ref);
	int q = lua_gettop(L);
	while (vm->dq_len > 0 && !vm->halted) {
		if (done++ == FLUSH_CAP) {
			need_flush(vm, rs_vm_next_frame(vm, vm->sim->now));
			break;
		}
		rs_dq_ent e = vm->dq[vm->dq_first];
		vm->dq_first = (vm->dq_first + 1) & (vm->dq_cap - 1);
		vm->dq_len--;
		lua_Integer h = vm->dq_head;
		int nargs = e.nargs;
		int real = nargs < 0 ? 0 : nargs;
		/* a via entry holds via's arguments only */
		int nslots = e.via ? real : real + 1;
		lua_checkstack(L, real + LUA_MINSTACK);
		if (e.via)
			lua_pushcfunction(L, e.via);
		for (int i = 0; i < nslots; i++)
			lua_rawgeti(L, q, h + i);
		for (int i = 0; i < nslots; i++) {
			lua_pushnil(L);
			lua_rawseti(L, q, h + i);
		}
		vm->dq_head = h + nslots;
		if (vm->dq_head == vm->dq_tail)
			vm->dq_head = vm->dq_tail = 1;
		/* stack: target, args */
		if (lua_isfunction(L, -(real + 1))) {
			rs_vm_spawn_call(vm, L, real);
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
		if (nargs >= 0)
			give(t, L, real);
		lua_pop(L, 1);
		wake(t, NULL, nargs < 0 ? t->wake_nargs : real);
	}
	lua_settop(L, q - 1);
	vm->flushing = 0;
}

/* ---- frames and sleeping ---- */

static rs_time frame_time(const rs_vm *vm, int64_t k)
{
	int64_t hz = vm->cfg.frame_hz;
	return (k * RS_USEC_PER_SEC + hz - 1) / hz;
}

rs_time rs_vm_frame_at_or_after(const rs_vm *vm, rs_time t)
{
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

/* Schedules t's wake-up at `at`, keeping its current generation. */
static void arm(rs_thread *t, rs_time at)
{
	t->timed = 1;
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
	rs_time at = rs_vm_frame_at_or_after(vm, now + rs_time_from_sec(n));
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
	if (T == L || lua_status(T) != LUA_YIELD)
		luaL_error(L, "%s: cannot resume non-suspended coroutine", fname);
	t = record_of(vm, L, T);
	if (t->state == RS_T_RUNNING || t->state == RS_T_IDLE)
		luaL_error(L, "%s: cannot resume non-suspended coroutine", fname);
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
	lua_getglobal(L, "coroutine");
	lua_getfield(L, -1, "yield");
	lua_remove(L, -2);
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
}

void rs_sched_close(rs_vm *vm)
{
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
	free(vm->dq);
	vm->dq = NULL;
	vm->dq_cap = vm->dq_first = vm->dq_len = 0;
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
		if (ar.currentline > 0) {
			snprintf(buf, n, "%s:%d", ar.short_src, ar.currentline);
			break;
		}
	}
	return buf;
}
