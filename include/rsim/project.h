/*
 * project -- a Rojo project (default.project.json and the files it names)
 * as a tree of instances, and where a game's scripts run.
 *
 * rs_project_load reads the project file and every file below its $path
 * entries by Rojo's sync rules (*.server.lua(u) -> Script, *.client.lua(u)
 * -> LocalScript, other *.lua(u) -> ModuleScript, init files, *.json,
 * *.txt, *.model.json, *.meta.json, nested default.project.json) into an
 * rs_project that holds copies of everything: no file is read again when
 * it runs, and every mistake is found at load time (file, line, field).
 * rs_project_build makes the instances in the server's world before any
 * script runs.
 *
 * The rs_place_* functions start scripts where Roblox runs them, for
 * projects and scenario trees alike: Scripts on the server by their
 * RunContext and container, LocalScripts on each client once it has
 * loaded, after the Starter containers are copied to the player.
 *
 * Knows the api layer and the file system; knows nothing of remotes or
 * scenarios.
 */
#ifndef RSIM_PROJECT_H
#define RSIM_PROJECT_H

#include <stddef.h>

#include "rsim/api.h"

typedef struct rs_project rs_project;

/* A bad project: the file at fault, the line (0 if none) and a sentence
 * that names the field. */
typedef struct rs_project_error {
	char file[512];
	int line;
	char msg[512];
} rs_project_error;

/* Reads the project at path (a *.project.json file).  Returns NULL and
 * fills *err on any problem.  Free with rs_project_free. */
rs_project *rs_project_load(const char *path, rs_project_error *err);
void rs_project_free(rs_project *p);
/* The project's name, and how many instances it makes. */
const char *rs_project_name(const rs_project *p);
size_t rs_project_size(const rs_project *p);

/* Makes the project's instances in world w (the server's), filling the
 * services.  A property value that does not apply is a script error in
 * the transcript; the rest is still built. */
void rs_project_build(const rs_project *p, rs_world *w);

/* The file a script of the project was read from, by the full name an
 * error gives it ("Players.Player1.PlayerScripts.Client.Main": a player's
 * copies of the Starter containers lead back to them), or NULL. */
const char *rs_project_file_of(const rs_project *p, const char *name);

/* The child of parent that a tree entry `name` of class `cls` stands for:
 * the fixed ones (StarterPlayer's StarterPlayerScripts and
 * StarterCharacterScripts) are filled, not made twice; anything else is a
 * new instance (NULL when cls is unknown). */
rs_inst *rs_place_child(rs_world *w, rs_inst *parent, const char *cls,
                        const char *name);

/* From the first start of each world on, a script that enters a place
 * where it runs (a Script parented into Workspace, a LocalScript put in
 * the player's Backpack or PlayerGui) or is enabled there starts, once. */
void rs_place_open(rs_game *g);

/* Starts, in tree order, every Script of the server's world that runs on
 * the server: RunContext Legacy under Workspace or ServerScriptService,
 * RunContext Server anywhere but ServerStorage. */
void rs_place_start_server(rs_world *w);
/* A client has loaded its world: starts the LocalScripts (and Scripts of
 * RunContext Client) of ReplicatedFirst, copies StarterPlayerScripts to
 * the player's PlayerScripts, StarterGui to PlayerGui and StarterPack to
 * Backpack, then starts the rest in tree order.  Returns the
 * PlayerScripts (NULL if the client has no player). */
rs_inst *rs_place_start_client(rs_world *w);

#endif
