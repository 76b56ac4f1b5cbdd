/*
 * luau -- Luau source to Lua 5.4 source, and the Luau standard additions.
 *
 * Roblox scripts are Luau.  rs_luau_translate() tokenizes and parses a Luau
 * chunk with a recursive-descent parser and emits Lua 5.4 source that keeps
 * every token on its original line, so error messages and line numbers point
 * at the author's code.  It never executes anything and owns no Lua state.
 *
 * rs_luaulib_open() adds the Luau library functions that Lua 5.4 lacks
 * (table.find, string.split, math.clamp, bit32, buffer, ...) and the iteration
 * helper that translated generalized `for` loops call.
 */
#ifndef RSIM_LUAU_H
#define RSIM_LUAU_H

#include <stddef.h>

struct lua_State;

/* Name of the global the translator calls for `for k, v in EXPR do` with a
 * single expression: for k, v in __rsim_iter(EXPR) do. */
#define RS_LUAU_ITER "__rsim_iter"

typedef struct rs_luau_error {
	int line;          /* 1-based line of the error */
	char msg[256];     /* Luau-like wording, without the chunk name */
} rs_luau_error;

/*
 * Translates src[0..len) from Luau to Lua 5.4.  On success returns a
 * malloc'd NUL-terminated string (caller frees) and stores its length in
 * *outlen.  On a syntax error returns NULL and fills *err.
 */
char *rs_luau_translate(const char *src, size_t len, size_t *outlen,
                        rs_luau_error *err);

/* Writes x as Luau's tostring does (5, 0.1, 1e+22, 100000000000000000000,
 * -0, inf, nan) into buf, which holds RS_LUAU_NUMBUF bytes; returns the
 * length. */
#define RS_LUAU_NUMBUF 48
int rs_luau_fmtnum(double x, char *buf);

/*
 * Adds the Luau library to L's global table.  Call after the VM has
 * installed its canonical-order `pairs` and `next` globals: the iteration
 * helper captures them.
 */
void rs_luaulib_open(struct lua_State *L);

#endif
