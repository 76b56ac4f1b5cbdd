/*
 * scenario -- loads a scenario file, builds the simulation, runs it and
 * returns what happened.
 *
 * A scenario is a Lua file that returns a table; it is read in a sandbox of
 * its own (no io, os, require) with an instruction and memory budget, and
 * every field is checked: a mistake is reported as "file:line: field: what
 * is wrong", never a crash.  The loaded rs_scenario owns copies of all it
 * needs; it holds no Lua state.
 */
#ifndef RSIM_SCENARIO_H
#define RSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "rsim/core.h"
#include "rsim/vm.h"

typedef struct rs_script {
	char *name;       /* "Script", "LocalScript", or the file's base name */
	char *source;
	size_t len;
} rs_script;

typedef struct rs_scripts {
	rs_script *v;
	size_t n;
} rs_scripts;

typedef struct rs_scenario {
	char *path;
	char *section;
	char *title;
	uint64_t seed;
	int nclients;
	rs_time duration;
	int frame_hz;
	rs_signal_mode signal_mode;
	rs_scripts server;
	rs_scripts client;
} rs_scenario;

/* A malformed file's error: file, line (0 if unknown) and a sentence. */
typedef struct rs_scenario_error {
	char file[512];
	int line;
	char msg[512];
} rs_scenario_error;

/* Loads and checks a scenario file.  Returns NULL and fills *err on any
 * problem.  Free with rs_scenario_free. */
rs_scenario *rs_scenario_load(const char *path, rs_scenario_error *err);
void rs_scenario_free(rs_scenario *sc);
/* "file:line: msg" or "file: msg". */
void rs_scenario_error_format(const rs_scenario_error *err, char *buf,
                              size_t n);

typedef struct rs_blocked {
	int peer;
	char *on;         /* what it waits on */
	char *where;      /* "Script:12" */
	rs_time since;
} rs_blocked;

typedef struct rs_result {
	uint64_t seed;
	rs_time end;          /* virtual time the run stopped */
	int npeers;
	char **peer_names;    /* [0] = "server", then clients */
	rs_trace trace;       /* moved out of the simulation */
	rs_blocked *blocked;
	size_t nblocked;
	size_t nerrors;       /* script errors in the transcript */
	int passed;
} rs_result;

/* Runs the scenario with the given seed.  Returns a result to free with
 * rs_result_free, or NULL when out of memory. */
rs_result *rs_scenario_run(const rs_scenario *sc, uint64_t seed);
void rs_result_free(rs_result *r);

#endif
