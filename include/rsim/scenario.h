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
#include "rsim/net.h"
#include "rsim/project.h"
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

/* An instance of the scenario's `tree`, made on the server before any
 * script runs. */
typedef struct rs_tree_node {
	char *name;
	char *cls;
	char *source;             /* scripts; NULL otherwise */
	size_t len;
	struct rs_tree_node *kids;
	size_t nkids;
} rs_tree_node;

typedef enum rs_action {
	RS_ACT_JOIN, RS_ACT_DISCONNECT, RS_ACT_PARTITION, RS_ACT_HEAL,
	RS_ACT_LATENCY
} rs_action;

typedef struct rs_timeline_event {
	rs_time at;
	rs_action action;
	char *player;
	double latency;           /* RS_ACT_LATENCY: one-way seconds */
	rs_time heal_at;          /* RS_ACT_PARTITION: 0 = until a heal */
} rs_timeline_event;

/* A line the transcript must contain: "peer: text" exactly, or a Lua
 * pattern, optionally at a virtual time (one frame of tolerance). */
typedef struct rs_expect_line {
	char *text;               /* exact "peer: text" */
	char *match;              /* or a pattern over "peer: text" */
	rs_time at;               /* -1: any time */
	int line;                 /* where it is written in the file */
} rs_expect_line;

typedef struct rs_expect_error {
	char *peer;               /* NULL: any peer */
	char *match;              /* pattern over the error text */
	int line;
} rs_expect_error;

typedef struct rs_expect_blocked {
	char *peer;
	char *on;                 /* pattern over what it waits on */
	int line;
} rs_expect_blocked;

/* One client of `clients = { { name = ..., latency = ... }, ... }`:
 * what it overrides of `network`, when it joins, its own LocalScripts. */
typedef struct rs_client_spec {
	char *name;
	double latency_up, latency_down, jitter, loss, bandwidth; /* <0: net */
	rs_time join_at;
	rs_scripts scripts;       /* run on this client only */
} rs_client_spec;

typedef struct rs_scenario {
	char *path;
	char *section;
	char *title;
	uint64_t seed;
	int nclients;
	rs_client_spec *client_specs;  /* nclients of them */
	rs_time duration;
	int frame_hz;
	rs_signal_mode signal_mode;
	rs_link_config link;      /* every client's link */
	rs_project *project;      /* a Rojo game built first, or NULL */
	int play;                 /* `rsim play`: threads left waiting are
	                           * the live game's, not failures; an
	                           * infinite-yield warning is one */
	rs_scripts server;
	rs_scripts client;
	rs_tree_node tree;        /* root: children are services */
	rs_timeline_event *timeline;
	size_t ntimeline;
	rs_expect_line *output;
	size_t noutput;
	rs_expect_line *excludes;
	size_t nexcludes;
	rs_expect_error *errors;
	size_t nerrors;
	rs_expect_blocked *blocked;
	size_t nblocked;
} rs_scenario;

/* A malformed file's error: file, line (0 if unknown) and a sentence. */
typedef struct rs_scenario_error {
	char file[512];
	int line;
	char msg[512];
} rs_scenario_error;

/* The link of client spec k (0-based): `network` with its overrides. */
rs_link_config rs_scenario_link(const rs_scenario *sc, int k);

/* What `rsim play` runs: a project with idle players. */
typedef struct rs_play_options {
	int clients;              /* players joining at time 0 */
	double duration;          /* virtual seconds */
	uint64_t seed;
	rs_link_config link;      /* every player's link */
} rs_play_options;

/* The scenario of `rsim play`: the project at path, o->clients players
 * named Player1..N, no expectations but that no script errs and no
 * WaitForChild waits forever.  NULL with *err filled when the project is
 * bad.  Free with rs_scenario_free. */
rs_scenario *rs_scenario_play(const char *path, const rs_play_options *o,
                              rs_scenario_error *err);

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

/* One expectation that did not hold. */
typedef struct rs_failure {
	char *what;           /* "output line 3 not found", ... */
	char *expected;       /* the line or pattern */
	char *nearest;        /* the closest actual line, or NULL */
	int line;             /* of the expectation in the file, 0 if none */
} rs_failure;

typedef struct rs_result {
	uint64_t seed;
	rs_time end;          /* virtual time the run stopped */
	int npeers;
	char **peer_names;    /* [0] = "server", then clients */
	rs_trace trace;       /* moved out of the simulation */
	rs_blocked *blocked;
	size_t nblocked;
	size_t nerrors;       /* script errors in the transcript */
	rs_failure *failures;
	size_t nfailures;
	int passed;
} rs_result;

/* Runs the scenario with the given seed.  Returns a result to free with
 * rs_result_free, or NULL when out of memory. */
rs_result *rs_scenario_run(const rs_scenario *sc, uint64_t seed);
void rs_result_free(rs_result *r);

/*
 * Rewrites expect.output of the scenario file at path with the output
 * lines of r ("peer: text", prints and warnings), for a person to review:
 * the rest of the file is kept byte for byte.  Written atomically.
 * Returns 0, or -1 with a message in err.
 */
int rs_scenario_bless(const char *path, const rs_result *r, char *err,
                      size_t errlen);

#endif
