/*
 * luapat.h -- Lua 5.4's pattern functions (string.find, match, gmatch and
 * gsub, manual section 6.4.1) with bounded work, for untrusted scripts.
 *
 * The stock matcher backtracks in C, where the VM's instruction hook never
 * runs, so a hostile pattern could hang the simulator.  These replacements
 * behave as the stock ones but count their steps and their recursion, and
 * raise a catchable Lua error ("pattern too complex ...") past a fixed
 * budget.  The module owns no state outside the calls (gmatch keeps its
 * position in the iterator's userdata); it must never touch anything but
 * the table it is asked to fill.  Not installed.
 */
#ifndef RSIM_LUAPAT_H
#define RSIM_LUAPAT_H

#include <lua.h>

/* Steps one call may take (for gmatch: one call of the iterator): each
 * attempt of a pattern item at a subject position is a step, and so are
 * the characters scanned by %b, a sixteenth of those compared by a
 * back-reference and each candidate place of a plain find.  The budget is
 * RS_LUAPAT_MAX_STEPS plus RS_LUAPAT_STEPS_PER_BYTE per subject byte, so
 * that linear work on a long subject never trips it while exponential or
 * quadratic backtracking stops within a fraction of a second. */
#define RS_LUAPAT_MAX_STEPS 10000000
#define RS_LUAPAT_STEPS_PER_BYTE 16

/* Sets find, match, gmatch and gsub in the table on top of the stack. */
void rs_luapat_open(lua_State *L);

#endif
