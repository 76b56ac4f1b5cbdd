/*
 * luapat.c -- string.find, match, gmatch and gsub with Lua 5.4's pattern
 * semantics (manual 6.4.1) and a step budget; see luapat.h.
 *
 * The matcher is a backtracking one, as the manual's semantics require
 * (back-references, %b, the longest/shortest repetitions).  Errors in a
 * malformed pattern are raised where the matcher meets them, as stock Lua
 * does, so a pattern that never reaches its bad part does not fail.
 */
#include "luapat.h"

#include <ctype.h>
#include <lauxlib.h>
#include <stddef.h>
#include <string.h>

#define MAX_DEPTH 200       /* nested matcher calls, as Lua's MAXCCALLS */
#define MAX_CAPTURES 32     /* as Lua's LUA_MAXCAPTURES */
#define CAP_OPEN (-1)       /* a capture whose ')' is not reached yet */
#define CAP_POS (-2)        /* a position capture "()" */
#define ESC '%'
#define SPECIALS "^$*+?.([%-"

typedef struct pat_cap {
	const char *at;
	ptrdiff_t len;          /* or CAP_OPEN, CAP_POS */
} pat_cap;

/* One matching: the subject [s0, s_end), the pattern's end, the captures
 * made on the current path, and what is left of the budgets. */
typedef struct pat_state {
	lua_State *L;
	const char *s0, *s_end;
	const char *p_end;
	int depth_left;
	int level;              /* captures in use */
	lua_Integer steps, max_steps;
	pat_cap cap[MAX_CAPTURES];
} pat_state;

static void pat_init(pat_state *ms, lua_State *L, const char *s, size_t ls,
                     const char *p, size_t lp)
{
	ms->L = L;
	ms->s0 = s;
	ms->s_end = s + ls;
	ms->p_end = p + lp;
	ms->depth_left = MAX_DEPTH;
	ms->level = 0;
	ms->steps = 0;
	ms->max_steps = RS_LUAPAT_MAX_STEPS +
	                RS_LUAPAT_STEPS_PER_BYTE * (lua_Integer)ls;
}

/* Before each start position: no captures, full depth (steps go on). */
static void pat_restart(pat_state *ms)
{
	ms->level = 0;
	ms->depth_left = MAX_DEPTH;
}

static void pat_step(pat_state *ms, lua_Integer n)
{
	ms->steps += n;
	if (ms->steps > ms->max_steps)
		luaL_error(ms->L, "pattern too complex (over %I steps)",
		           (LUAI_UACINT)ms->max_steps);
}

/* The pattern byte at p, or '\0' past its end (where Lua reads the
 * string's terminator). */
static int pat_at(const pat_state *ms, const char *p)
{
	return p < ms->p_end ? (unsigned char)*p : '\0';
}

/* Does byte c belong to class letter cl (%a, %D, ...)?  Any other letter
 * stands for itself. */
static int class_has(int c, int cl)
{
	int r;
	switch (tolower(cl)) {
	case 'a': r = isalpha(c); break;
	case 'c': r = iscntrl(c); break;
	case 'd': r = isdigit(c); break;
	case 'g': r = isgraph(c); break;
	case 'l': r = islower(c); break;
	case 'p': r = ispunct(c); break;
	case 's': r = isspace(c); break;
	case 'u': r = isupper(c); break;
	case 'w': r = isalnum(c); break;
	case 'x': r = isxdigit(c); break;
	case 'z': r = c == 0; break;    /* deprecated, still in 5.4 */
	default: return cl == c;
	}
	return isupper(cl) ? !r : r != 0;
}

/* Past the single-character class that starts at p (p < p_end). */
static const char *item_end(pat_state *ms, const char *p)
{
	int c = (unsigned char)*p++;
	if (c == ESC) {
		if (p == ms->p_end)
			luaL_error(ms->L, "malformed pattern (ends with '%%')");
		return p + 1;
	}
	if (c != '[')
		return p;
	if (pat_at(ms, p) == '^')
		p++;
	/* the first member may be ']' itself */
	do {
		if (p == ms->p_end)
			luaL_error(ms->L, "malformed pattern (missing ']')");
		c = (unsigned char)*p++;
		if (c == ESC && p < ms->p_end)
			p++;
	} while (pat_at(ms, p) != ']');
	return p + 1;
}

/* Does byte c belong to the set [p, close], p at '[' and close at ']'? */
static int set_has(int c, const char *p, const char *close)
{
	int in = 1;
	if (p[1] == '^') {
		in = 0;
		p++;
	}
	while (++p < close) {
		if (*p == ESC) {
			p++;
			if (class_has(c, (unsigned char)*p))
				return in;
		} else if (p[1] == '-' && p + 2 < close) {
			if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
				return in;
			p += 2;
		} else if ((unsigned char)*p == c) {
			return in;
		}
	}
	return !in;
}

/* Does the subject byte at s match the class [p, ep)? */
static int item_has(pat_state *ms, const char *s, const char *p,
                    const char *ep)
{
	if (s >= ms->s_end)
		return 0;
	int c = (unsigned char)*s;
	switch (*p) {
	case '.': return 1;
	case ESC: return class_has(c, (unsigned char)p[1]);
	case '[': return set_has(c, p, ep - 1);
	default: return (unsigned char)*p == c;
	}
}

static const char *match(pat_state *ms, const char *s, const char *p);

/* %bxy at s; p points at x. */
static const char *match_balance(pat_state *ms, const char *s,
                                 const char *p)
{
	if (p >= ms->p_end - 1)
		luaL_error(ms->L,
		           "malformed pattern (missing arguments to '%%b')");
	if (s >= ms->s_end || *s != *p)
		return NULL;
	int open = *p, close = p[1], depth = 1;
	while (++s < ms->s_end) {
		pat_step(ms, 1);
		if (*s == close) {
			if (--depth == 0)
				return s + 1;
		} else if (*s == open) {
			depth++;
		}
	}
	return NULL;
}

/* The capture a back-reference digit names; it must be closed. */
static int capture_ref(pat_state *ms, int digit)
{
	int l = digit - '1';
	if (l < 0 || l >= ms->level || ms->cap[l].len == CAP_OPEN)
		return luaL_error(ms->L, "invalid capture index %%%d", l + 1);
	return l;
}

static const char *match_backref(pat_state *ms, const char *s, int digit)
{
	int l = capture_ref(ms, digit);
	/* a position capture's length is huge as a size_t: never matches */
	size_t len = (size_t)ms->cap[l].len;
	if ((size_t)(ms->s_end - s) < len)
		return NULL;
	pat_step(ms, (lua_Integer)(len / 16));
	if (memcmp(ms->cap[l].at, s, len) != 0)
		return NULL;
	return s + len;
}

static const char *open_capture(pat_state *ms, const char *s,
                                const char *p, ptrdiff_t what)
{
	if (ms->level >= MAX_CAPTURES)
		luaL_error(ms->L, "too many captures");
	ms->cap[ms->level].at = s;
	ms->cap[ms->level].len = what;
	ms->level++;
	const char *r = match(ms, s, p);
	if (r == NULL)
		ms->level--;
	return r;
}

static const char *close_capture(pat_state *ms, const char *s,
                                 const char *p)
{
	int l = ms->level - 1;
	while (l >= 0 && ms->cap[l].len != CAP_OPEN)
		l--;
	if (l < 0)
		luaL_error(ms->L, "invalid pattern capture");
	ms->cap[l].len = s - ms->cap[l].at;
	const char *r = match(ms, s, p);
	if (r == NULL)
		ms->cap[l].len = CAP_OPEN;
	return r;
}

/* Item [p, ep) repeated as often as possible, then the rest ep + 1. */
static const char *expand_max(pat_state *ms, const char *s, const char *p,
                              const char *ep)
{
	ptrdiff_t n = 0;
	while (item_has(ms, s + n, p, ep)) {
		pat_step(ms, 1);
		n++;
	}
	for (; n >= 0; n--) {
		const char *r = match(ms, s + n, ep + 1);
		if (r != NULL)
			return r;
	}
	return NULL;
}

/* Item [p, ep) repeated as rarely as possible, then the rest ep + 1. */
static const char *expand_min(pat_state *ms, const char *s, const char *p,
                              const char *ep)
{
	for (;;) {
		const char *r = match(ms, s, ep + 1);
		if (r != NULL)
			return r;
		if (!item_has(ms, s, p, ep))
			return NULL;
		s++;
	}
}

/* %f[set] at s; p points at the '['.  Past the subject's ends the
 * neighbour is '\0'. */
static int frontier_at(pat_state *ms, const char *s, const char *p,
                       const char **ep)
{
	if (p >= ms->p_end || *p != '[')
		luaL_error(ms->L, "missing '[' after '%%f' in pattern");
	*ep = item_end(ms, p);
	int prev = s == ms->s0 ? '\0' : (unsigned char)s[-1];
	int cur = s < ms->s_end ? (unsigned char)*s : '\0';
	return !set_has(prev, p, *ep - 1) && set_has(cur, p, *ep - 1);
}

/* The end of the match of pattern [p, p_end) at s, or NULL.  Items that
 * need no backtracking loop here; the others recurse, at most MAX_DEPTH
 * deep. */
static const char *match(pat_state *ms, const char *s, const char *p)
{
	if (ms->depth_left-- == 0)
		luaL_error(ms->L, "pattern too complex");
	while (p != ms->p_end) {
		pat_step(ms, 1);
		const char *ep;
		switch (*p) {
		case '(':
			if (pat_at(ms, p + 1) == ')')
				s = open_capture(ms, s, p + 2, CAP_POS);
			else
				s = open_capture(ms, s, p + 1, CAP_OPEN);
			goto done;
		case ')':
			s = close_capture(ms, s, p + 1);
			goto done;
		case '$':
			if (p + 1 != ms->p_end)
				break;          /* a literal '$' */
			if (s != ms->s_end)
				s = NULL;
			goto done;
		case ESC: {
			int c = pat_at(ms, p + 1);
			if (c == 'b') {
				s = match_balance(ms, s, p + 2);
				if (s == NULL)
					goto done;
				p += 4;
				continue;
			}
			if (c == 'f') {
				if (!frontier_at(ms, s, p + 2, &ep)) {
					s = NULL;
					goto done;
				}
				p = ep;
				continue;
			}
			if (isdigit(c)) {
				s = match_backref(ms, s, c);
				if (s == NULL)
					goto done;
				p += 2;
				continue;
			}
			break;                  /* a class such as %a */
		}
		default:
			break;
		}
		/* a single-character class, maybe with a repetition */
		ep = item_end(ms, p);
		int rep = pat_at(ms, ep);
		if (!item_has(ms, s, p, ep)) {
			if (rep == '*' || rep == '?' || rep == '-') {
				p = ep + 1;
				continue;
			}
			s = NULL;
			goto done;
		}
		switch (rep) {
		case '?': {
			const char *r = match(ms, s + 1, ep + 1);
			if (r != NULL) {
				s = r;
				goto done;
			}
			p = ep + 1;
			continue;
		}
		case '+': s = expand_max(ms, s + 1, p, ep); goto done;
		case '*': s = expand_max(ms, s, p, ep); goto done;
		case '-': s = expand_min(ms, s, p, ep); goto done;
		default:
			s++;
			p = ep;
			continue;
		}
	}
done:
	ms->depth_left++;
	return s;
}

/* Pushes capture i; with no captures, capture 0 is the match [s, e). */
static void push_capture(pat_state *ms, int i, const char *s, const char *e)
{
	if (i >= ms->level) {
		if (i != 0)
			luaL_error(ms->L, "invalid capture index %%%d", i + 1);
		lua_pushlstring(ms->L, s, (size_t)(e - s));
		return;
	}
	const pat_cap *c = &ms->cap[i];
	if (c->len == CAP_OPEN)
		luaL_error(ms->L, "unfinished capture");
	if (c->len == CAP_POS)
		lua_pushinteger(ms->L, (lua_Integer)(c->at - ms->s0) + 1);
	else
		lua_pushlstring(ms->L, c->at, (size_t)c->len);
}

/* Pushes all captures, or the whole match when s is set and there are
 * none; returns how many. */
static int push_captures(pat_state *ms, const char *s, const char *e)
{
	int n = (ms->level == 0 && s != NULL) ? 1 : ms->level;
	luaL_checkstack(ms->L, n, "too many captures");
	for (int i = 0; i < n; i++)
		push_capture(ms, i, s, e);
	return n;
}

/* A 1-based position, negative from the end, clamped below to 1. */
static size_t start_pos(lua_Integer pos, size_t len)
{
	if (pos > 0)
		return (size_t)pos;
	if (pos == 0 || pos < -(lua_Integer)len)
		return 1;
	return len - (size_t)-pos + 1;
}

static int no_specials(const char *p, size_t lp)
{
	for (size_t i = 0; i < lp; i++)
		if (memchr(SPECIALS, p[i], sizeof SPECIALS - 1) != NULL)
			return 0;
	return 1;
}

/* The first [p, p + lp) in [s, s + ls), or NULL.  Each place whose first
 * byte fits counts against the budget, more for long needles. */
static const char *plain_find(pat_state *ms, const char *s, size_t ls,
                              const char *p, size_t lp)
{
	if (lp == 0)
		return s;
	if (lp > ls)
		return NULL;
	const char *last = s + (ls - lp);
	while (s <= last) {
		const char *hit = memchr(s, *p, (size_t)(last - s) + 1);
		if (hit == NULL)
			return NULL;
		pat_step(ms, 1 + (lua_Integer)(lp / 64));
		if (memcmp(hit + 1, p + 1, lp - 1) == 0)
			return hit;
		s = hit + 1;
	}
	return NULL;
}

static int find_aux(lua_State *L, int find)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = start_pos(luaL_optinteger(L, 3, 1), ls) - 1;
	pat_state ms;
	if (init > ls) {
		luaL_pushfail(L);
		return 1;
	}
	pat_init(&ms, L, s, ls, p, lp);
	if (find && (lua_toboolean(L, 4) || no_specials(p, lp))) {
		const char *hit = plain_find(&ms, s + init, ls - init, p, lp);
		if (hit == NULL) {
			luaL_pushfail(L);
			return 1;
		}
		lua_pushinteger(L, (lua_Integer)(hit - s) + 1);
		lua_pushinteger(L, (lua_Integer)(hit - s + (ptrdiff_t)lp));
		return 2;
	}
	int anchor = lp > 0 && *p == '^';
	if (anchor) {
		p++;
		lp--;
	}
	const char *s1 = s + init;
	do {
		pat_restart(&ms);
		const char *e = match(&ms, s1, p);
		if (e != NULL) {
			if (!find)
				return push_captures(&ms, s1, e);
			lua_pushinteger(L, (lua_Integer)(s1 - s) + 1);
			lua_pushinteger(L, (lua_Integer)(e - s));
			return push_captures(&ms, NULL, NULL) + 2;
		}
	} while (s1++ < ms.s_end && !anchor);
	luaL_pushfail(L);
	return 1;
}

static int pat_find(lua_State *L) { return find_aux(L, 1); }
static int pat_match(lua_State *L) { return find_aux(L, 0); }

/* gmatch's iterator state: upvalue 3 of the iterator; upvalues 1 and 2
 * keep the subject and the pattern alive. */
typedef struct gmatch_state {
	pat_state ms;
	const char *src;        /* where the next search starts */
	const char *p;
	const char *last;       /* end of the last match: not matched empty */
} gmatch_state;

static int gmatch_next(lua_State *L)
{
	gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
	g->ms.L = L;
	g->ms.steps = 0;
	for (const char *src = g->src; src <= g->ms.s_end; src++) {
		pat_restart(&g->ms);
		const char *e = match(&g->ms, src, g->p);
		if (e != NULL && e != g->last) {
			g->src = g->last = e;
			return push_captures(&g->ms, src, e);
		}
	}
	return 0;
}

/* A '^' does not anchor gmatch: it is matched as a character. */
static int pat_gmatch(lua_State *L)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = start_pos(luaL_optinteger(L, 3, 1), ls) - 1;
	lua_settop(L, 2);
	gmatch_state *g = lua_newuserdatauv(L, sizeof *g, 0);
	if (init > ls)
		init = ls + 1;
	pat_init(&g->ms, L, s, ls, p, lp);
	g->src = s + init;
	g->p = p;
	g->last = NULL;
	lua_pushcclosure(L, gmatch_next, 3);
	return 1;
}

/* Appends the replacement string (argument 3) for the match [s, e). */
static void add_string(pat_state *ms, luaL_Buffer *b, const char *s,
                       const char *e)
{
	size_t l;
	const char *r = lua_tolstring(ms->L, 3, &l);
	const char *end = r + l, *esc;
	while ((esc = memchr(r, ESC, (size_t)(end - r))) != NULL) {
		luaL_addlstring(b, r, (size_t)(esc - r));
		int c = esc + 1 < end ? (unsigned char)esc[1] : '\0';
		if (c == ESC) {
			luaL_addchar(b, ESC);
		} else if (c == '0') {
			luaL_addlstring(b, s, (size_t)(e - s));
		} else if (isdigit(c)) {
			push_capture(ms, c - '1', s, e);
			luaL_addvalue(b);   /* a position becomes its digits */
		} else {
			luaL_error(ms->L, "invalid use of '%c' in replacement "
			           "string", ESC);
		}
		r = esc + 2;
	}
	luaL_addlstring(b, r, (size_t)(end - r));
}

/* Appends the replacement of the match [s, e); returns whether it
 * changed the text (false or nil from a table or function keeps it). */
static int add_value(pat_state *ms, luaL_Buffer *b, const char *s,
                     const char *e, int type)
{
	lua_State *L = ms->L;
	if (type == LUA_TFUNCTION) {
		lua_pushvalue(L, 3);
		int n = push_captures(ms, s, e);
		lua_call(L, n, 1);
	} else if (type == LUA_TTABLE) {
		push_capture(ms, 0, s, e);
		lua_gettable(L, 3);
	} else {
		add_string(ms, b, s, e);
		return 1;
	}
	if (!lua_toboolean(L, -1)) {
		lua_pop(L, 1);
		luaL_addlstring(b, s, (size_t)(e - s));
		return 0;
	}
	if (!lua_isstring(L, -1))
		return luaL_error(L, "invalid replacement value (a %s)",
		                  luaL_typename(L, -1));
	luaL_addvalue(b);
	return 1;
}

static int pat_gsub(lua_State *L)
{
	size_t ls, lp;
	const char *src = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	int type = lua_type(L, 3);
	lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
	luaL_argexpected(L, type == LUA_TNUMBER || type == LUA_TSTRING ||
	                 type == LUA_TFUNCTION || type == LUA_TTABLE, 3,
	                 "string/function/table");
	int anchor = lp > 0 && *p == '^';
	if (anchor) {
		p++;
		lp--;
	}
	pat_state ms;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	pat_init(&ms, L, src, ls, p, lp);
	const char *last = NULL;
	lua_Integer n = 0;
	int changed = 0;
	while (n < max) {
		pat_restart(&ms);
		const char *e = match(&ms, src, p);
		if (e != NULL && e != last) {
			n++;
			changed |= add_value(&ms, &b, src, e, type);
			src = last = e;
		} else if (src < ms.s_end) {
			luaL_addchar(&b, *src++);
		} else {
			break;
		}
		if (anchor)
			break;
	}
	if (!changed) {
		lua_pushvalue(L, 1);    /* the original value, even a number */
	} else {
		luaL_addlstring(&b, src, (size_t)(ms.s_end - src));
		luaL_pushresult(&b);
	}
	lua_pushinteger(L, n);
	return 2;
}

void rs_luapat_open(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{ "find", pat_find }, { "match", pat_match },
		{ "gmatch", pat_gmatch }, { "gsub", pat_gsub }, { NULL, NULL }
	};
	luaL_setfuncs(L, fns, 0);
}
