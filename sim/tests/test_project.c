/* Unit tests of project: each of Rojo's sync rules on a small project
 * written into a temporary folder, then loaded (rs_project_load) or run
 * (a scenario whose server script prints what it sees); and bad
 * projects, each an error with file, line and field, never a crash. */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rsim/project.h"
#include "rsim/scenario.h"
#include "testutil.h"

static char root[] = "/tmp/rsim-project-XXXXXX";
static char dir[600];     /* this test's folder, under root */

/* Each test gets a fresh folder (tests run in forked children, so a
 * counter would not do). */
static void fresh_dir(void)
{
	snprintf(dir, sizeof dir, "%s/t-XXXXXX", root);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static const char *at(const char *rel)
{
	static char path[2][1200];
	static int k;
	k ^= 1;
	snprintf(path[k], sizeof path[k], "%s/%s", dir, rel);
	return path[k];
}

/* mkdir -p of the folders of rel. */
static void make_parents(const char *rel)
{
	char buf[1200];
	snprintf(buf, sizeof buf, "%s/%s", dir, rel);
	for (char *p = buf + strlen(dir) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) != 0)
				ck_assert_int_eq(errno, EEXIST);
			*p = '/';
		}
}

static void put_bytes(const char *rel, const char *text, size_t n)
{
	make_parents(rel);
	FILE *f = fopen(at(rel), "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, n, f), n);
	fclose(f);
}

static void put(const char *rel, const char *text)
{
	put_bytes(rel, text, strlen(text));
}

/* A project of one ReplicatedStorage entry X with the given $path. */
static void put_project_path(const char *path)
{
	char text[600];
	snprintf(text, sizeof text, "{\n  \"name\": \"t\",\n  \"tree\": {\n"
	         "    \"$className\": \"DataModel\",\n"
	         "    \"ReplicatedStorage\": { \"X\": { \"$path\": \"%s\" } }\n"
	         "  }\n}\n", path);
	put("default.project.json", text);
}

/* rs_project_load of rel expecting failure: "file:line: msg" with the
 * file relative to the test's folder. */
static const char *load_error(const char *rel)
{
	static char msg[1400];
	rs_project_error err;
	rs_project *p = rs_project_load(at(rel), &err);
	if (p != NULL)
		rs_project_free(p);
	ck_assert_msg(p == NULL, "%s loaded", rel);
	const char *file = err.file;
	size_t dl = strlen(dir);
	if (strncmp(file, dir, dl) == 0 && file[dl] == '/')
		file += dl + 1;
	if (err.line > 0)
		snprintf(msg, sizeof msg, "%s:%d: %s", file, err.line, err.msg);
	else
		snprintf(msg, sizeof msg, "%s: %s", file, err.msg);
	return msg;
}

static rs_project *load_ok(const char *rel)
{
	rs_project_error err;
	rs_project *p = rs_project_load(at(rel), &err);
	ck_assert_msg(p != NULL, "%s:%d: %s", err.file, err.line, err.msg);
	return p;
}

/* Prints a subtree, one "name class" line per instance, indented. */
#define DUMP \
	"local function dump(i, d)\n" \
	"  print(string.rep('.', d) .. i.Name .. ' ' .. i.ClassName)\n" \
	"  for _, c in ipairs(i:GetChildren()) do dump(c, d + 1) end\n" \
	"end\n"

/* Runs a scenario with the project of the test's folder, nclients
 * players, the server script and the client script (NULL for none);
 * returns the transcript (caller frees). */
static char *run_project(int nclients, const char *server,
                         const char *client)
{
	char *text = malloc(strlen(server) + (client ? strlen(client) : 0) +
	                    400);
	ck_assert_ptr_nonnull(text);
	sprintf(text, "return {\n  clients = %d,\n"
	        "  project = \"default.project.json\",\n"
	        "  server = [==[%s]==],\n%s%s%s}\n", nclients, server,
	        client ? "  client = [==[" : "", client ? client : "",
	        client ? "]==],\n" : "");
	put("s.lua", text);
	free(text);
	rs_scenario_error err;
	rs_scenario *sc = rs_scenario_load(at("s.lua"), &err);
	char msg[1400] = "";
	if (sc == NULL)
		rs_scenario_error_format(&err, msg, sizeof msg);
	ck_assert_msg(sc != NULL, "load failed: %s", msg);
	rs_result *r = rs_scenario_run(sc, sc->seed);
	ck_assert_ptr_nonnull(r);
	rs_scenario_free(sc);
	char *got = tu_transcript(r, 0);
	rs_result_free(r);
	return got;
}

#define expect_run(nclients, server, client, want) do { \
		char *got_ = run_project(nclients, server, client); \
		ck_assert_str_eq(got_, want); \
		free(got_); \
	} while (0)

/* ---- file kinds ---- */

START_TEST(test_files_become_scripts_values_and_models)
{
	fresh_dir();
	put_project_path("src");
	put("src/A.server.luau", "");
	put("src/B.client.lua", "");
	put("src/C.luau", "return 'c'");
	put("src/D.lua", "return 'd'");
	put("src/E.json", "{\"k\": [1, 2.5, \"s\", true, null]}");
	put("src/F.txt", "some text");
	put("src/G.model.json", "{ \"className\": \"IntValue\", "
	    "\"properties\": { \"Value\": 7 } }");
	put("src/H.plugin.lua", "");
	put("src/I.md", "not part of the game");
	put("src/J.server.lua", "");
	expect_run(0, DUMP
		"local x = game.ReplicatedStorage.X\n"
		"dump(x, 0)\n"
		"print(require(x.C), require(x.D))\n"
		"local e = require(x.E)\n"
		"print(#e.k, e.k[1], e.k[2], e.k[3], e.k[4], e.k[5])\n"
		"print(x.F.Value, x.G.Value)\n",
		NULL,
		"0 server: X Folder\n"
		"0 server: .A Script\n"
		"0 server: .B LocalScript\n"
		"0 server: .C ModuleScript\n"
		"0 server: .D ModuleScript\n"
		"0 server: .E ModuleScript\n"
		"0 server: .F StringValue\n"
		"0 server: .G IntValue\n"
		"0 server: .H Script\n"
		"0 server: .J Script\n"
		"0 server: c d\n"
		"0 server: 4 1 2.5 s true nil\n"
		"0 server: some text 7\n");
}
END_TEST

START_TEST(test_init_files_make_their_folder_that_script)
{
	fresh_dir();
	put("default.project.json", "{ \"name\": \"t\", \"tree\": {\n"
	    "  \"$className\": \"DataModel\",\n"
	    "  \"ReplicatedStorage\": { \"M\": { \"$path\": \"m\" } },\n"
	    "  \"ServerScriptService\": { \"S\": { \"$path\": \"s\" } },\n"
	    "  \"StarterPlayer\": { \"StarterPlayerScripts\": {\n"
	    "    \"L\": { \"$path\": \"l\" } } }\n"
	    "} }\n");
	put("m/init.luau", "return { child = require(script.Kid) }");
	put("m/Kid.luau", "return 'kid'");
	put("s/init.server.luau", "print('S runs with', #script:GetChildren(),"
	    " script:GetChildren()[1].Name, script.ClassName)\n"
	    "print(require(game.ReplicatedStorage.M).child)");
	put("s/Part.luau", "return 1");
	put("l/init.client.luau", "print('L runs', script.ClassName, "
	    "script.Sub.ClassName)");
	put("l/Sub.txt", "");
	expect_run(1, "", NULL,
		"0 server: S runs with 1 Part Script\n"
		"0 server: kid\n"
		"0 Player1: L runs LocalScript StringValue\n");
}
END_TEST

START_TEST(test_json_modules_return_any_value)
{
	fresh_dir();
	put_project_path("src");
	put("src/Null.json", "null");
	put("src/Num.json", " 42 \n");
	put("src/Str.json", "\"hi\"");
	put("src/Deep.json", "{\"a\": {\"b\": {\"c\": [[\"x\"]]}}}");
	expect_run(0,
		"local x = game.ReplicatedStorage.X\n"
		"print(require(x.Null), require(x.Num), require(x.Str))\n"
		"print(require(x.Deep).a.b.c[1][1])\n",
		NULL,
		"0 server: nil 42 hi\n"
		"0 server: x\n");
}
END_TEST

START_TEST(test_model_json_with_children_and_legacy_keys)
{
	fresh_dir();
	put_project_path("src");
	put("src/New.model.json", "{\n"
	    "  \"className\": \"Folder\",\n"
	    "  \"attributes\": { \"Level\": 3 },\n"
	    "  \"children\": [\n"
	    "    { \"name\": \"V\", \"className\": \"StringValue\",\n"
	    "      \"properties\": { \"Value\": \"v\" } },\n"
	    "    { \"className\": \"BoolValue\" }\n"
	    "  ]\n}\n");
	put("src/Old.model.json", "{\n"
	    "  \"Name\": \"Ignored\",\n"
	    "  \"ClassName\": \"Model\",\n"
	    "  \"Children\": [\n"
	    "    { \"Name\": \"N\", \"ClassName\": \"NumberValue\",\n"
	    "      \"Properties\": { \"Value\": 1.5 } }\n"
	    "  ]\n}\n");
	put("src/Blank.model.json", "  \n");
	expect_run(0, DUMP
		"local x = game.ReplicatedStorage.X\n"
		"dump(x, 0)\n"
		"print(x.New.V.Value, x.New:GetAttribute('Level'), x.Old.N.Value)\n",
		NULL,
		"0 server: X Folder\n"
		"0 server: .New Folder\n"
		"0 server: ..V StringValue\n"
		"0 server: ..BoolValue BoolValue\n"
		"0 server: .Old Model\n"
		"0 server: ..N NumberValue\n"
		"0 server: v 3 1.5\n");
}
END_TEST

START_TEST(test_meta_files_set_properties_and_classes)
{
	fresh_dir();
	put("default.project.json", "{ \"name\": \"t\", \"tree\": {\n"
	    "  \"$className\": \"DataModel\",\n"
	    "  \"ServerScriptService\": { \"S\": { \"$path\": \"s\" } }\n"
	    "} }\n");
	put("s/Off.server.luau", "print('Off runs')");
	put("s/Off.meta.json", "{ \"properties\": { \"Disabled\": true } }");
	put("s/On.server.luau", "print('On runs', script:GetAttribute('A'))");
	put("s/On.meta.json", "{ \"attributes\": { \"A\": \"yes\" } }");
	put("s/Cfg/init.meta.json", "{ \"className\": \"Configuration\",\n"
	    "  \"attributes\": { \"Speed\": 16 } }");
	put("s/Cfg/Max.model.json", "{ \"className\": \"IntValue\" }");
	put("s/Txt.txt", "t");
	put("s/Txt.meta.json", "{ \"properties\": { \"Value\": \"from meta\" } }");
	put("s/Scr/init.server.luau", "print('Scr', script.Disabled)");
	put("s/Scr/init.meta.json", "{ \"properties\": { \"Disabled\": true } }");
	expect_run(0, DUMP
		"local s = game.ServerScriptService.S\n"
		"dump(s, 0)\n"
		"print(s.Cfg:GetAttribute('Speed'), s.Txt.Value, s.Off.Disabled)\n",
		NULL,
		"0 server: On runs yes\n"
		"0 server: S Folder\n"
		"0 server: .Cfg Configuration\n"
		"0 server: ..Max IntValue\n"
		"0 server: .Off Script\n"
		"0 server: .On Script\n"
		"0 server: .Scr Script\n"
		"0 server: .Txt StringValue\n"
		"0 server: 16 from meta true\n");
}
END_TEST

START_TEST(test_nested_projects_name_their_instance)
{
	fresh_dir();
	put("default.project.json", "{ \"name\": \"t\", \"tree\": {\n"
	    "  \"$className\": \"DataModel\",\n"
	    "  \"ReplicatedStorage\": {\n"
	    "    \"Pkgs\": { \"$path\": \"pkgs\" },\n"
	    "    \"Lib\": { \"$path\": \"lib.project.json\" }\n"
	    "  }\n"
	    "} }\n");
	put("pkgs/inner/default.project.json", "{ \"name\": \"Inner\",\n"
	    "  \"tree\": { \"$className\": \"Folder\",\n"
	    "    \"K\": { \"$className\": \"IntValue\" },\n"
	    "    \"Src\": { \"$path\": \"src\" } } }");
	put("pkgs/inner/src/M.luau", "return 'm'");
	put("pkgs/inner/ignored.luau", "return 'not read'");
	put("pkgs/Other.project.json", "{ \"name\": \"Named\",\n"
	    "  \"tree\": { \"$className\": \"Model\" } }");
	put("pkgs/NoName.project.json", "{ \"tree\": { \"$className\": "
	    "\"Folder\" } }");
	put("lib.project.json", "{ \"name\": \"LibName\",\n"
	    "  \"tree\": { \"$path\": \"libsrc\" } }");
	put("libsrc/init.luau", "return 'lib'");
	expect_run(0, DUMP
		"dump(game.ReplicatedStorage.Pkgs, 0)\n"
		"dump(game.ReplicatedStorage.Lib, 0)\n"
		"print(require(game.ReplicatedStorage.Lib))\n",
		NULL,
		"0 server: Pkgs Folder\n"
		"0 server: .NoName Folder\n"
		"0 server: .Named Model\n"
		"0 server: .Inner Folder\n"
		"0 server: ..K IntValue\n"
		"0 server: ..Src Folder\n"
		"0 server: ...M ModuleScript\n"
		"0 server: Lib ModuleScript\n"
		"0 server: lib\n");
}
END_TEST

/* Wally's layout: Packages holds one thunk per dependency that requires
 * the package in _Index by its folder name; each package is a nested
 * project (its default.project.json names it) beside its wally.toml,
 * which Rojo never reads because the project says what to read. */
START_TEST(test_wally_packages_load_through_their_thunks)
{
	fresh_dir();
	put("default.project.json", "{ \"name\": \"game\", \"tree\": {\n"
	    "  \"$className\": \"DataModel\",\n"
	    "  \"ReplicatedStorage\": { \"Packages\": { \"$path\": \"Packages\" } }\n"
	    "} }\n");
	put("Packages/Promise.lua", "return require(script.Parent._Index"
	    "[\"evaera_promise@4.0.0\"][\"promise\"])\n");
	put("Packages/Signal.lua", "return require(script.Parent._Index"
	    "[\"sleitnick_signal@2.0.1\"][\"signal\"])\n");
	put("Packages/_Index/evaera_promise@4.0.0/promise/default.project.json",
	    "{ \"name\": \"promise\", \"tree\": { \"$path\": \"lib\" } }");
	put("Packages/_Index/evaera_promise@4.0.0/promise/wally.toml",
	    "[package]\nname = \"evaera/promise\"\n");
	put("Packages/_Index/evaera_promise@4.0.0/promise/lib/init.lua",
	    "local Util = require(script.Util)\n"
	    "return { name = 'promise ' .. Util.version }\n");
	put("Packages/_Index/evaera_promise@4.0.0/promise/lib/Util.lua",
	    "return { version = '4.0.0' }\n");
	put("Packages/_Index/sleitnick_signal@2.0.1/signal/default.project.json",
	    "{ \"name\": \"signal\", \"tree\": { \"$path\": \"src\" } }");
	/* a package's own dependency: a thunk beside it in its _Index entry */
	put("Packages/_Index/sleitnick_signal@2.0.1/Promise.lua",
	    "return require(script.Parent.Parent[\"evaera_promise@4.0.0\"]"
	    "[\"promise\"])\n");
	put("Packages/_Index/sleitnick_signal@2.0.1/signal/src/init.luau",
	    "local Promise = require(script.Parent.Promise)\n"
	    "return { name = 'signal with ' .. Promise.name }\n");
	expect_run(1,
		"local P = game.ReplicatedStorage.Packages\n"
		"print(require(P.Promise).name, require(P.Signal).name)\n"
		"print(P._Index['evaera_promise@4.0.0'].promise.ClassName)\n",
		"local P = game.ReplicatedStorage:WaitForChild('Packages')\n"
		"print(require(P.Signal).name)\n",
		"0 server: promise 4.0.0 signal with promise 4.0.0\n"
		"0 server: ModuleScript\n"
		"0 Player1: signal with promise 4.0.0\n");
}
END_TEST

START_TEST(test_run_context_scripts_run_on_their_side)
{
	fresh_dir();
	put("default.project.json", "{ \"name\": \"t\",\n"
	    "  \"emitLegacyScripts\": false,\n"
	    "  \"tree\": { \"$className\": \"DataModel\",\n"
	    "    \"ReplicatedStorage\": { \"Src\": { \"$path\": \"src\" } },\n"
	    "    \"ServerStorage\": { \"Kept\": { \"$path\": \"kept\" } }\n"
	    "  } }");
	put("src/S.server.luau", "print('S on', game:GetService('RunService')"
	    ":IsServer() and 'server' or 'client', script.ClassName, "
	    "script.RunContext.Name)");
	put("src/C.client.luau", "print('C on', game:GetService('RunService')"
	    ":IsServer() and 'server' or 'client', script.ClassName, "
	    "script.RunContext.Name)");
	put("kept/K.server.luau", "print('never: ServerStorage')");
	expect_run(1, "", NULL,
		"0 server: S on server Script Server\n"
		"0 Player1: C on client Script Client\n");
}
END_TEST

START_TEST(test_class_name_with_path_needs_a_folder)
{
	fresh_dir();
	put("default.project.json", "{ \"name\": \"t\", \"tree\": {\n"
	    "  \"$className\": \"DataModel\",\n"
	    "  \"Workspace\": { \"M\": { \"$className\": \"Model\",\n"
	    "    \"$path\": \"m\" } },\n"
	    "  \"ReplicatedStorage\": { \"$path\": \"rs\" }\n"
	    "} }\n");
	put("m/P.model.json", "{ \"className\": \"Part\" }");
	put("rs/Thing.luau", "return 1");
	expect_run(0, DUMP
		"dump(workspace.M, 0)\n"
		"print(game.ReplicatedStorage.ClassName, "
		"game.ReplicatedStorage.Thing.ClassName)\n",
		NULL,
		"0 server: M Model\n"
		"0 server: .P Part\n"
		"0 server: ReplicatedStorage ModuleScript\n");
	put("default.project.json", "{ \"name\": \"t\", \"tree\": {\n"
	    "  \"$className\": \"DataModel\",\n"
	    "  \"Workspace\": { \"M\": { \"$className\": \"Model\",\n"
	    "    \"$path\": \"m/P.model.json\" } }\n"
	    "} }\n");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:3: tree.Workspace.M.$className: the class is "
		"Model here but Part from $path; with both, $path must be a "
		"folder");
}
END_TEST

START_TEST(test_services_are_inferred_and_fixed_children_filled)
{
	fresh_dir();
	put("default.project.json", "{ \"name\": \"t\", \"tree\": {\n"
	    "  \"$className\": \"DataModel\",\n"
	    "  \"ReplicatedStorage\": {},\n"
	    "  \"StarterPlayer\": {\n"
	    "    \"StarterPlayerScripts\": { \"$path\": \"sps\" },\n"
	    "    \"StarterCharacterScripts\": {}\n"
	    "  }\n"
	    "} }\n");
	put("sps/Hi.client.luau", "print('hi from', script.Parent.Name, "
	    "script.Parent.ClassName)");
	expect_run(1,
		"local names = {}\n"
		"for _, c in ipairs(game.StarterPlayer:GetChildren()) do\n"
		"  table.insert(names, c.Name .. ':' .. c.ClassName)\n"
		"end\n"
		"print(table.concat(names, ' '))\n"
		"print(#game.StarterPlayer.StarterPlayerScripts:GetChildren())\n",
		NULL,
		"0 server: StarterPlayerScripts:StarterPlayerScripts "
		"StarterCharacterScripts:StarterCharacterScripts\n"
		"0 server: 1\n"
		"0 Player1: hi from PlayerScripts PlayerScripts\n");
}
END_TEST

START_TEST(test_properties_and_attributes_of_every_kind)
{
	fresh_dir();
	put("default.project.json", "{ \"name\": \"t\", \"tree\": {\n"
	    "  \"$className\": \"DataModel\",\n"
	    "  \"Workspace\": {\n"
	    "    \"P\": { \"$className\": \"Part\", \"$properties\": {\n"
	    "      \"Anchored\": true, \"Transparency\": 0.25,\n"
	    "      \"Size\": [4, 1, 2], \"Color\": [1, 0.5, 0],\n"
	    "      \"Material\": \"Slate\",\n"
	    "      \"Position\": { \"Vector3\": [1, 2, 3] },\n"
	    "      \"Tags\": [\"Lava\", \"Hot\"]\n"
	    "    }, \"$attributes\": { \"S\": \"str\", \"N\": 2, \"B\": false,\n"
	    "      \"V\": { \"Vector3\": [0, 1, 0] } } },\n"
	    "    \"V\": { \"$className\": \"StringValue\",\n"
	    "      \"$properties\": { \"Value\": \"quote\\\" \\u00e9\" } },\n"
	    "    \"B\": { \"$className\": \"BoolValue\",\n"
	    "      \"$properties\": { \"Value\": { \"Bool\": true } } }\n"
	    "  }\n"
	    "} }\n");
	expect_run(0,
		"local p = workspace.P\n"
		"print(p.Anchored, p.Transparency, p.Size, p.Color)\n"
		"print(p.Material, p.Position)\n"
		"print(p:GetAttribute('S'), p:GetAttribute('N'), "
		"p:GetAttribute('B'), p:GetAttribute('V'))\n"
		"print(workspace.V.Value, workspace.B.Value)\n"
		"local CS = game:GetService('CollectionService')\n"
		"print(#CS:GetTagged('Lava'), table.concat(p:GetTags(), ','))\n",
		NULL,
		"0 server: true 0.25 4, 1, 2 1, 0.5, 0\n"
		"0 server: Enum.Material.Slate 1, 2, 3\n"
		"0 server: str 2 false 0, 1, 0\n"
		"0 server: quote\" \xc3\xa9 true\n"
		"0 server: 1 Lava,Hot\n");
}
END_TEST

START_TEST(test_optional_paths_and_ignored_globs)
{
	fresh_dir();
	put("default.project.json", "{ \"name\": \"t\",\n"
	    "  \"globIgnorePaths\": [\"src/**/*.spec.luau\", \"src/*.rbxm\"],\n"
	    "  \"tree\": { \"$className\": \"DataModel\",\n"
	    "    \"ReplicatedStorage\": {\n"
	    "      \"Gone\": { \"$path\": { \"optional\": \"missing\" } },\n"
	    "      \"Here\": { \"$path\": { \"optional\": \"src\" } }\n"
	    "    } } }");
	put("src/A.luau", "return 1");
	put("src/A.spec.luau", "return 2");
	put("src/deep/B.spec.luau", "return 3");
	put("src/model.rbxm", "\x3croblox!binary");
	expect_run(0, DUMP "dump(game.ReplicatedStorage.Here, 0)\n"
		"print(game.ReplicatedStorage:FindFirstChild('Gone'))\n",
		NULL,
		"0 server: Here Folder\n"
		"0 server: .A ModuleScript\n"
		"0 server: .deep Folder\n"
		"0 server: nil\n");
}
END_TEST

START_TEST(test_children_in_byte_order_then_project_keys)
{
	fresh_dir();
	put("default.project.json", "{ \"name\": \"t\", \"tree\": {\n"
	    "  \"$className\": \"DataModel\",\n"
	    "  \"ReplicatedStorage\": { \"X\": { \"$path\": \"src\",\n"
	    "    \"Zed\": { \"$className\": \"Folder\" },\n"
	    "    \"Alpha\": { \"$className\": \"Folder\" } } }\n"
	    "} }\n");
	put("src/b.luau", "");
	put("src/B.luau", "");
	put("src/a.luau", "");
	put("src/_z.luau", "");
	put("src/~.luau", "");
	expect_run(0, DUMP "dump(game.ReplicatedStorage.X, 0)\n", NULL,
		"0 server: X Folder\n"
		"0 server: .B ModuleScript\n"
		"0 server: ._z ModuleScript\n"
		"0 server: .a ModuleScript\n"
		"0 server: .b ModuleScript\n"
		"0 server: .~ ModuleScript\n"
		"0 server: .Alpha Folder\n"
		"0 server: .Zed Folder\n");
}
END_TEST

START_TEST(test_crlf_scripts_run_as_lf)
{
	fresh_dir();
	put("default.project.json", "{\r\n  \"name\": \"t\",\r\n  \"tree\": {"
	    "\r\n    \"$className\": \"DataModel\",\r\n"
	    "    \"ServerScriptService\": { \"S\": { \"$path\": \"s\" } }"
	    "\r\n  }\r\n}\r\n");
	put("s/Main.server.luau", "local s = [[a\r\nb]]\r\n"
	    "print(#s, s:find('\\r') == nil)\r\n"
	    "error('on line three')\r\n");
	put("s/Value.txt", "x\r\ny");
	expect_run(0, "print(#game.ServerScriptService.S.Value.Value)", NULL,
		"0 server: 3 true\n"
		"0 server error: ServerScriptService.S.Main:4: on line three\n"
		"0 server: 4\n");
}
END_TEST

START_TEST(test_project_reports_name_and_size)
{
	fresh_dir();
	put("default.project.json", "{ \"name\": \"game\", \"tree\": {\n"
	    "  \"$className\": \"DataModel\",\n"
	    "  \"ReplicatedStorage\": { \"A\": { \"$className\": \"Folder\",\n"
	    "    \"B\": { \"$className\": \"Folder\" } } }\n"
	    "} }\n");
	rs_project *p = load_ok("default.project.json");
	ck_assert_str_eq(rs_project_name(p), "game");
	ck_assert_uint_eq(rs_project_size(p), 3);
	rs_project_free(p);
}
END_TEST

/* ---- bad projects ---- */

/* The project file with a tree of one line at line 3. */
static void put_tree(const char *line3)
{
	char text[1200];
	snprintf(text, sizeof text, "{ \"name\": \"t\",\n"
	         "  \"tree\": { \"$className\": \"DataModel\",\n"
	         "    %s\n  }\n}\n", line3);
	put("default.project.json", text);
}

START_TEST(test_errors_name_file_line_and_field)
{
	fresh_dir();
	put_tree("\"ReplicatedStorage\": { \"X\": { \"$path\": \"nope\" } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:3: tree.ReplicatedStorage.X.$path: nope: No "
		"such file or directory");
	put_tree("\"ReplicatedStorage\": { \"X\": { \"$classname\": \"F\" } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:3: tree.ReplicatedStorage.X.$classname: "
		"unknown field (known: $className, $path, $properties, "
		"$attributes, $ignoreUnknownInstances, $id)");
	put_tree("\"Workspace\": { \"X\": { \"$className\": \"Spaceship\" } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:3: tree.Workspace.X.$className: rsim does "
		"not model the class Spaceship");
	put_tree("\"Workspace\": { \"X\": { \"$className\": \"Part\",\n"
	         "      \"$properties\": { \"Wings\": 2 } } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:4: tree.Workspace.X.$properties.Wings: rsim "
		"does not model the property Wings of Part");
	put_tree("\"Workspace\": { \"X\": { \"$className\": \"Part\",\n"
	         "      \"$properties\": { \"Anchored\": \"yes\" } } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:4: tree.Workspace.X.$properties.Anchored: "
		"expected true or false, got a string");
	put_tree("\"Workspace\": { \"X\": { \"$className\": \"Part\",\n"
	         "      \"$properties\": { \"Size\": [1, 2] } } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:4: tree.Workspace.X.$properties.Size: "
		"expected an array of 3 numbers (a Vector3), got an array");
	put_tree("\"Workspace\": { \"X\": { \"$className\": \"Part\",\n"
	         "      \"$properties\": { \"Anchored\": { \"Vector3\": "
	         "[1, 2, 3] } } } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:4: tree.Workspace.X.$properties.Anchored: "
		"expected true or false, got a Vector3");
	put_tree("\"Workspace\": { \"X\": { \"$className\": \"Part\",\n"
	         "      \"$properties\": { \"Material\": \"Slatee\" } } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:4: tree.Workspace.X.$properties.Material: "
		"Slatee is not an item of Enum.Material");
	put_tree("\"Workspace\": { \"X\": { \"$className\": \"Part\",\n"
	         "      \"$properties\": { \"Material\": 7 } } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:4: tree.Workspace.X.$properties.Material: "
		"no item of Enum.Material has the value 7");
	put_tree("\"Workspace\": { \"X\": { \"$className\": \"Part\",\n"
	         "      \"$properties\": { \"Tags\": \"a\" } } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:4: tree.Workspace.X.$properties.Tags: "
		"expected an array of tag names, got a string");
	put_tree("\"Workspace\": { \"X\": { \"$className\": \"Part\",\n"
	         "      \"$properties\": { \"Size\": { \"Font\": {} } } } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:4: tree.Workspace.X.$properties.Size: rsim "
		"does not model values of type Font");
	put_tree("\"Workspace\": { \"X\": { \"$className\": \"Part\" } },\n"
	         "    \"Nothing\": {}");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:4: tree.Nothing: needs $className or $path "
		"(or the name of a service)");
}
END_TEST

START_TEST(test_bad_json_and_fields_of_the_project_file)
{
	fresh_dir();
	put("default.project.json", "{\n  \"name\": \"t\",\n  \"tree\": {\n"
	    "    \"$className\": \"DataModel\",\n  }\n}\n");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:5: not valid JSON: string or '}' expected "
		"near '}'");
	put("default.project.json", "{\n  \"name\": \"t\",\n"
	    "  \"servePortt\": 3,\n  \"tree\": { \"$className\": "
	    "\"DataModel\" }\n}\n");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:3: servePortt: unknown field of a project "
		"file");
	put("default.project.json", "{ \"name\": \"t\", \"tree\": { "
	    "\"$className\": \"Folder\" } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json: tree: a game's project has a DataModel at "
		"its root (\"$className\": \"DataModel\"); this one makes a Folder");
	put("default.project.json", "null");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:1: a project file holds an object with "
		"\"name\" and \"tree\"");
	put("default.project.json", "");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json: the file is empty; it must hold a JSON "
		"value");
	put("default.project.json", "{ \"name\": \"t\" }");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json:1: tree: missing (a project names its tree "
		"of instances)");
}
END_TEST

START_TEST(test_bad_files_below_a_path)
{
	fresh_dir();
	put_project_path("src");
	put("src/Model.rbxm", "\x3croblox!");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/Model.rbxm: rsim does not read .rbxm files; leave it out "
		"with the project's globIgnorePaths");
	unlink(at("src/Model.rbxm"));
	/* a script that does not translate, or does not compile, is bad
	 * input when the project loads, with the file's line */
	put("src/Broken.client.luau", "print(1)\nlocal x = = 1\n");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/Broken.client.luau:2: Expected identifier when parsing "
		"expression, got '='");
	put("src/Broken.client.luau", "local t = {1, 2\nprint(t)\n");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/Broken.client.luau:2: Expected '}' (to close '{' at line 1), "
		"got 'print'");
	unlink(at("src/Broken.client.luau"));
	/* past the translator, Lua's own limits: 201 locals in one function */
	char many[4000] = "\n";
	for (int i = 0; i < 201; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many),
		         "local v%d = %d\n", i, i);
	put("src/Broken.luau", many);
	ck_assert_str_eq(load_error("default.project.json"),
		"src/Broken.luau:202: too many local variables (limit is 200) in "
		"main function near '='");
	unlink(at("src/Broken.luau"));
	put("src/Bad.json", "{\n\"a\": 1,\n\"a\": 2\n}");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/Bad.json:3: not valid JSON: duplicate object key near '\"a\"'");
	unlink(at("src/Bad.json"));
	put("src/Empty.json", "");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/Empty.json: the file is empty; it must hold a JSON value");
	unlink(at("src/Empty.json"));
	put("src/M.model.json", "5");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/M.model.json: an instance is an object");
	put("src/M.model.json", "{ \"className\": \"Workspace\" }");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/M.model.json:1: className: rsim does not model the class "
		"Workspace");
	put("src/M.model.json", "{ \"className\": \"Part\",\n"
	    "  \"properties\": { \"Size\": \"big\" } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/M.model.json:2: properties.Size: expected an array of 3 "
		"numbers (a Vector3), got a string");
	unlink(at("src/M.model.json"));
	put("src/S.server.luau", "");
	put("src/S.meta.json", "null");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/S.meta.json:1: a meta file holds an object");
	put("src/S.meta.json", "{ \"properties\": {\n"
	    "  \"Disabled\": 1 } }");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/S.meta.json:2: properties.Disabled: expected true or false, "
		"got a number");
	put("src/S.meta.json", "{ \"propertys\": {} }");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/S.meta.json:1: propertys: unknown field of a meta file");
	unlink(at("src/S.meta.json"));
	put("src/D/init.server.luau", "");
	put("src/D/init.meta.json", "{ \"className\": \"Model\" }");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/D/init.meta.json:1: className: className is for folders; "
		"this folder is a Script");
}
END_TEST

START_TEST(test_a_project_that_includes_itself)
{
	fresh_dir();
	put_project_path("default.project.json");
	ck_assert_str_eq(load_error("default.project.json"),
		"default.project.json: the project includes itself");
	put_project_path(".");
	ck_assert_str_eq(load_error("default.project.json"),
		"./default.project.json: the project includes itself");
	put("a/default.project.json", "{ \"name\": \"a\", \"tree\": { "
	    "\"$path\": \"../b\" } }");
	put("b/default.project.json", "{ \"name\": \"b\", \"tree\": { "
	    "\"$path\": \"../a\" } }");
	put_project_path("a");
	ck_assert_str_eq(load_error("default.project.json"),
		"a/../b/../a/default.project.json: the project includes itself");
}
END_TEST

START_TEST(test_symlink_loops_are_errors)
{
	fresh_dir();
	put_project_path("src");
	put("src/A.luau", "return 1");
	ck_assert_int_eq(symlink(".", at("src/loop1")), 0);
	ck_assert_int_eq(symlink("..", at("src/loop2")), 0);
	ck_assert_int_eq(symlink("../src", at("src/loop3")), 0);
	const char *e = load_error("default.project.json");
	ck_assert_msg(strstr(e, "is inside itself") != NULL, "%s", e);
}
END_TEST

START_TEST(test_hostile_trees_fail_cleanly)
{
	fresh_dir();
	put_project_path("src");
	char rel[1200] = "src";
	for (int i = 0; i < 100; i++)
		strcat(rel, "/d");
	strcat(rel, "/M.luau");
	put(rel, "return 1");
	/* the project file is one level, src the next, then 62 d's: the
	 * 63rd is one too many */
	char want[1200] = "src";
	for (int i = 0; i < 63; i++)
		strcat(want, "/d");
	strcat(want, ": folders nested deeper than 64 levels");
	ck_assert_str_eq(load_error("default.project.json"), want);
}
END_TEST

START_TEST(test_huge_and_odd_files)
{
	fresh_dir();
	put_project_path("src");
	int fd = open(at("src/Huge.luau"), O_CREAT | O_WRONLY, 0644);
	if (fd < 0) {
		put("src/x", "");
		fd = open(at("src/Huge.luau"), O_CREAT | O_WRONLY, 0644);
	}
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)65 << 20), 0);
	close(fd);
	ck_assert_str_eq(load_error("default.project.json"),
		"src/Huge.luau: cannot read: the file is larger than 64 MiB");
	unlink(at("src/Huge.luau"));
	ck_assert_int_eq(mkfifo(at("src/Pipe.luau"), 0644), 0);
	ck_assert_str_eq(load_error("default.project.json"),
		"src/Pipe.luau: cannot read: not a regular file");
	unlink(at("src/Pipe.luau"));
	put("src/\xff\xfe.luau", "return 1");
	ck_assert_str_eq(load_error("default.project.json"),
		"src/\xff\xfe.luau: the file name is not valid UTF-8");
	unlink(at("src/\xff\xfe.luau"));
	put("src/Empty.luau", "");
	put("src/EmptyT.txt", "");
	put("src/Nul.luau", "");
	put_bytes("src/NulT.txt", "a\0b", 3);
	rs_project *p = load_ok("default.project.json");
	rs_project_free(p);
	expect_run(0, "local x = game.ReplicatedStorage.X\n"
		"print(x.Empty.ClassName, #x.EmptyT.Value, x.NulT.ClassName)\n"
		"print(pcall(require, x.Empty))\n", NULL,
		"0 server: ModuleScript 0 StringValue\n"
		"0 server: false Module code did not return exactly one value\n");
}
END_TEST

static Suite *project_suite(void)
{
	Suite *s = suite_create("project");
	TCase *t = tcase_create("rules");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, test_files_become_scripts_values_and_models);
	tcase_add_test(t, test_init_files_make_their_folder_that_script);
	tcase_add_test(t, test_json_modules_return_any_value);
	tcase_add_test(t, test_model_json_with_children_and_legacy_keys);
	tcase_add_test(t, test_meta_files_set_properties_and_classes);
	tcase_add_test(t, test_nested_projects_name_their_instance);
	tcase_add_test(t, test_wally_packages_load_through_their_thunks);
	tcase_add_test(t, test_run_context_scripts_run_on_their_side);
	tcase_add_test(t, test_class_name_with_path_needs_a_folder);
	tcase_add_test(t, test_services_are_inferred_and_fixed_children_filled);
	tcase_add_test(t, test_properties_and_attributes_of_every_kind);
	tcase_add_test(t, test_optional_paths_and_ignored_globs);
	tcase_add_test(t, test_children_in_byte_order_then_project_keys);
	tcase_add_test(t, test_crlf_scripts_run_as_lf);
	tcase_add_test(t, test_project_reports_name_and_size);
	suite_add_tcase(s, t);
	TCase *b = tcase_create("bad projects");
	tcase_set_timeout(b, 60);
	tcase_add_test(b, test_errors_name_file_line_and_field);
	tcase_add_test(b, test_bad_json_and_fields_of_the_project_file);
	tcase_add_test(b, test_bad_files_below_a_path);
	tcase_add_test(b, test_a_project_that_includes_itself);
	tcase_add_test(b, test_symlink_loops_are_errors);
	tcase_add_test(b, test_hostile_trees_fail_cleanly);
	tcase_add_test(b, test_huge_and_odd_files);
	suite_add_tcase(s, b);
	return s;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(void)
{
	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	int rc = tu_run_suite(project_suite());
	if (nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return rc;
}
