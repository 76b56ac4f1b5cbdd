/*
 * test_marshal -- unit tests of the marshal module (suite "marshal").
 *
 * Two peer VMs play sender and receiver: a Lua expression list is
 * evaluated in the sender, encoded, decoded in the receiver into the
 * global `got` (a table.pack of the values, so got.n counts nils), and
 * Lua assertions then run in the receiver.  What a handler sees is the
 * contract, so the checks are written in the handlers' language.
 *
 * Instances are faked: Inst(name, id) makes a userdata whose metatable
 * has __type = "Instance" and a __tostring giving its name; id 0 means
 * "cannot replicate".  Each VM keeps its instances by id, and the test
 * context maps sender userdata -> id and id -> receiver userdata.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "rsim/core.h"
#include "rsim/datatypes.h"
#include "rsim/marshal.h"
#include "rsim/vm.h"

typedef struct fake_inst {
	uint64_t id;
} fake_inst;

static rs_sim sim;
static rs_vm *vm_a, *vm_b;
static lua_State *A, *B;     /* sender, receiver */
static rs_buf buf;

/* ---- fake instances ---- */

#define INST_META "test.Instance"
#define INST_REG  "test.instances"

static int inst_tostring(lua_State *L)
{
	lua_getiuservalue(L, 1, 1);
	return 1;
}

static int inst_new(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	lua_Integer id = luaL_checkinteger(L, 2);
	fake_inst *fi = lua_newuserdatauv(L, sizeof *fi, 1);
	fi->id = (uint64_t)id;
	lua_pushstring(L, name);
	lua_setiuservalue(L, -2, 1);
	luaL_setmetatable(L, INST_META);
	if (id != 0) {
		lua_getfield(L, LUA_REGISTRYINDEX, INST_REG);
		lua_pushvalue(L, -2);
		lua_rawseti(L, -2, id);
		lua_pop(L, 1);
	}
	return 1;
}

/* inst(id): this VM's instance with that id, or nil. */
static int inst_get(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, INST_REG);
	lua_rawgeti(L, -1, luaL_checkinteger(L, 1));
	return 1;
}

/* A userdata that is neither a datatype nor an Instance. */
static int plain_ud(lua_State *L)
{
	lua_newuserdatauv(L, 8, 0);
	return 1;
}

static uint64_t cx_instance_id(lua_State *L, int idx, void *ud)
{
	fake_inst *fi = luaL_testudata(L, idx, INST_META);
	return fi ? fi->id : 0;
}

static void cx_push_instance(lua_State *L, uint64_t id, void *ud)
{
	lua_getfield(L, LUA_REGISTRYINDEX, INST_REG);
	lua_rawgeti(L, -1, (lua_Integer)id);
	lua_remove(L, -2);
}

static const rs_marshal_ctx cx = { cx_instance_id, cx_push_instance, NULL,
                                   NULL, NULL, NULL };

/* subtype(x): Lua 5.4's math.type, which rsim's VM (Luau has one number
 * type) does not offer to scripts; the wire still keeps the subtype. */
static int subtype(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_pushstring(L, lua_type(L, 1) != LUA_TNUMBER ? "nil"
	               : lua_isinteger(L, 1) ? "integer" : "float");
	return 1;
}

static void open_test_globals(lua_State *L)
{
	lua_register(L, "subtype", subtype);
	rs_datatypes_open(L);
	luaL_newmetatable(L, INST_META);
	lua_pushliteral(L, "Instance");
	lua_setfield(L, -2, "__type");
	lua_pushcfunction(L, inst_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, INST_REG);
	lua_register(L, "Inst", inst_new);
	lua_register(L, "inst", inst_get);
	lua_register(L, "plain_ud", plain_ud);
}

static void setup(void)
{
	rs_sim_init(&sim, 11);
	vm_a = rs_vm_new(&sim, 0, "server", NULL);
	vm_b = rs_vm_new(&sim, 1, "Player1", NULL);
	ck_assert_ptr_nonnull(vm_a);
	ck_assert_ptr_nonnull(vm_b);
	A = rs_vm_state(vm_a);
	B = rs_vm_state(vm_b);
	open_test_globals(A);
	open_test_globals(B);
	rs_buf_init(&buf);
}

static void teardown(void)
{
	rs_buf_free(&buf);
	rs_vm_free(vm_a);
	rs_vm_free(vm_b);
	rs_sim_free(&sim);
}

/* ---- helpers ---- */

/* Runs a chunk in L that must succeed (its asserts are the test). */
static void ok_in(lua_State *L, const char *code)
{
	int top = lua_gettop(L);
	int rc = luaL_dostring(L, code);
	ck_assert_msg(rc == LUA_OK, "chunk failed: %s\n--- %s",
	              lua_tostring(L, -1), code);
	lua_settop(L, top);
}

/* Evaluates `return <exprs>` in L, leaving the values; returns how many. */
static int eval(lua_State *L, const char *exprs)
{
	char code[4096];
	int top = lua_gettop(L);
	snprintf(code, sizeof code, "return %s", exprs);
	ck_assert_msg(luaL_dostring(L, code) == LUA_OK, "%s: %s", exprs,
	              lua_tostring(L, -1));
	return lua_gettop(L) - top;
}

/* Encodes the values of `exprs` (evaluated in `from`) into buf, which is
 * reset first.  Returns rs_marshal_encode's result; err gets its message. */
static int encode_in(lua_State *from, const char *exprs, char *err,
                     size_t errlen)
{
	int top = lua_gettop(from);
	int n = eval(from, exprs);
	buf.len = 0;
	int rc = rs_marshal_encode(from, top + 1, n, &buf, &cx, err, errlen);
	ck_assert_int_eq(lua_gettop(from), top + n);
	lua_settop(from, top);
	return rc;
}

/* Decodes buf into `to` as the global `got` = table.pack(values). */
static void decode_into(lua_State *to)
{
	int top = lua_gettop(to);
	int n = rs_marshal_decode(to, buf.p, buf.len, &cx);
	ck_assert_int_ge(n, 0);
	ck_assert_int_eq(lua_gettop(to), top + n);
	lua_createtable(to, n, 1);
	lua_insert(to, top + 1);
	for (int i = n; i >= 1; i--)
		lua_rawseti(to, top + 1, i);
	lua_pushinteger(to, n);
	lua_setfield(to, -2, "n");
	lua_setglobal(to, "got");
	ck_assert_int_eq(lua_gettop(to), top);
}

/* Sends the values of `exprs` from A to B, then runs `check` in B. */
static void send(const char *exprs, const char *check)
{
	char err[256];
	ck_assert_msg(encode_in(A, exprs, err, sizeof err), "%s: %s", exprs,
	              err);
	decode_into(B);
	ok_in(B, check);
}

/* Copies buf (callers compare encodings). */
static unsigned char *buf_copy(size_t *len)
{
	unsigned char *p = malloc(buf.len ? buf.len : 1);
	memcpy(p, buf.p, buf.len);
	*len = buf.len;
	return p;
}

/* Counts keys, in the receiver's Lua. */
#define COUNT_FN "local function count(t) local n = 0 " \
	"for _ in pairs(t) do n = n + 1 end return n end "

/* ---- scalars ---- */

START_TEST(test_integer_and_float_subtypes_survive)
{
	send("1, 2.0, -7, 9223372036854775807, (-9223372036854775807 - 1), 0.1, -0.0, 1/0,"
	     " -1/0, 0/0, 1e300, 2^53",
	     "assert(got.n == 12)"
	     "assert(subtype(got[1]) == 'integer' and got[1] == 1)"
	     "assert(subtype(got[2]) == 'float' and got[2] == 2)"
	     "assert(subtype(got[3]) == 'integer' and got[3] == -7)"
	     "assert(got[4] == 9223372036854775807 and got[5] == (-9223372036854775807 - 1))"
	     "assert(subtype(got[5]) == 'integer')"
	     "assert(got[6] == 0.1)"
	     "assert(got[7] == 0 and 1/got[7] == -1/0)"
	     "assert(got[8] == 1/0 and got[9] == -1/0)"
	     "assert(got[10] ~= got[10])"
	     "assert(got[11] == 1e300 and subtype(got[12]) == 'float')");
	send("true, false, nil, nil",
	     "assert(got.n == 4 and got[1] == true and got[2] == false)"
	     "assert(got[3] == nil and got[4] == nil)");
	send("", "assert(got.n == 0)");
}
END_TEST

START_TEST(test_strings_with_nul_bytes)
{
	send("'a\\0b', '', '\\0', string.rep('\\0\\255', 300)",
	     "assert(got[1] == 'a\\0b' and #got[1] == 3)"
	     "assert(got[2] == '' and got[3] == '\\0')"
	     "assert(got[4] == string.rep('\\0\\255', 300))");
	/* every byte value, as a value and as a key */
	send("(function() local s = {} for i = 0, 255 do"
	     " s[#s + 1] = string.char(i) end s = table.concat(s)"
	     " return s, {[s] = 1} end)()",
	     "local s = {} for i = 0, 255 do s[#s + 1] = string.char(i) end"
	     " s = table.concat(s)"
	     " assert(got[1] == s and got[2][s] == 1)");
}
END_TEST

/* ---- functions, threads, foreign userdata ---- */

START_TEST(test_functions_arrive_as_nil_at_top_level_and_in_tables)
{
	send("print, 1, coroutine.create(print), plain_ud(),"
	     " {a = print, b = 1, c = coroutine.create(print), d = plain_ud()},"
	     " {1, print, 3}, {print}",
	     COUNT_FN
	     "assert(got.n == 7)"
	     "assert(got[1] == nil and got[2] == 1)"
	     "assert(got[3] == nil and got[4] == nil)"
	     "assert(got[5].b == 1 and count(got[5]) == 1)"
	     "assert(got[6][1] == 1 and got[6][2] == nil and got[6][3] == 3)"
	     "assert(count(got[6]) == 2)"
	     "assert(type(got[7]) == 'table' and next(got[7]) == nil)");
}
END_TEST

/* A same-VM context as bindables use: functions kept in a registry
 * list, the id their slot. */
#define REFS_REG "test.refs"

static uint64_t ref_value(lua_State *L, int idx, void *ud)
{
	(void)ud;
	lua_getfield(L, LUA_REGISTRYINDEX, REFS_REG);
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1) + 1;
	lua_pushvalue(L, idx < 0 ? idx - 1 : idx);
	lua_rawseti(L, -2, n);
	lua_pop(L, 1);
	return (uint64_t)n;
}

static void ref_push(lua_State *L, uint64_t id, void *ud)
{
	(void)ud;
	lua_getfield(L, LUA_REGISTRYINDEX, REFS_REG);
	lua_rawgeti(L, -1, (lua_Integer)id);
	lua_remove(L, -2);
}

START_TEST(test_a_same_vm_context_passes_functions_unchanged)
{
	static const rs_marshal_ctx local = { cx_instance_id, cx_push_instance,
	                                      NULL, NULL, ref_value, ref_push };
	char err[128];
	lua_newtable(A);
	lua_setfield(A, LUA_REGISTRYINDEX, REFS_REG);
	ok_in(A, "up = 0 f = function() up = up + 1 return up end"
	         " th = coroutine.create(print)"
	         " orig = {f, 2, k = f}");
	int top = lua_gettop(A);
	int n = eval(A, "f, th, {f, 2, f}, {a = f, b = th, c = 1},"
	                " {[f] = 1}, orig");
	buf.len = 0;
	ck_assert(rs_marshal_encode(A, top + 1, n, &buf, &local, err,
	                            sizeof err));
	lua_settop(A, top);
	/* the functions are the sender's own; threads still become nil */
	ck_assert_int_eq(rs_marshal_decode(A, buf.p, buf.len, &local), 6);
	for (int i = 6; i >= 1; i--)
		lua_setglobal(A, (const char *[]){ "g1", "g2", "g3", "g4", "g5",
		                                   "g6" }[i - 1]);
	ok_in(A, COUNT_FN
	         "assert(g1 == f and g1() == 1 and f() == 2)"
	         "assert(g2 == nil)"
	         "assert(g3[1] == f and g3[2] == 2 and g3[3] == f)"
	         "assert(g4.a == f and g4.b == nil and g4.c == 1)"
	         "assert(count(g4) == 2)"
	         /* a function key still becomes a string */
	         "local k = next(g5) assert(type(k) == 'string')"
	         "assert(k:sub(1, 12) == '<Function> (')"
	         /* the table around them is still a copy (array rule) */
	         "assert(g6 ~= orig and g6[1] == f and g6.k == nil)");
	/* the bytes hold references: shape says not plain, and a link's
	 * context (no push_ref) rejects them */
	rs_marshal_shape sh;
	ck_assert(rs_marshal_shape_of(buf.p, buf.len, &sh));
	ck_assert(!sh.plain);
	top = lua_gettop(B);
	ck_assert_int_eq(rs_marshal_decode(B, buf.p, buf.len, &cx), -1);
	ck_assert_int_eq(lua_gettop(B), top);
	/* the same values through a link's context: functions are nil */
	ck_assert(encode_in(A, "f, {f, 2}", err, sizeof err));
	decode_into(B);
	ok_in(B, "assert(got.n == 2 and got[1] == nil)"
	         "assert(got[2][1] == nil and got[2][2] == 2)");
}
END_TEST

/* ---- tables ---- */

START_TEST(test_tables_arrive_as_copies_with_new_identity)
{
	/* the same table twice, and shared inside another table */
	ok_in(A, "shared = {x = 1, list = {1, 2}}");
	send("shared, shared, {shared, shared}, {a = shared, b = shared}",
	     "assert(got[1] ~= got[2] and got[1].x == 1 and got[2].x == 1)"
	     "assert(got[1].list ~= got[2].list and got[1].list[2] == 2)"
	     "assert(got[3][1] ~= got[3][2] and got[3][2].x == 1)"
	     "assert(got[4].a ~= got[4].b and got[4].b.list[1] == 1)");
	/* into the sender's own VM: a copy, not the original */
	char err[128];
	ck_assert(encode_in(A, "shared", err, sizeof err));
	decode_into(A);
	ok_in(A, "assert(got[1] ~= shared and got[1].x == 1)"
	         "got[1].x = 2 assert(shared.x == 1)");
}
END_TEST

START_TEST(test_metatables_are_dropped)
{
	send("setmetatable({own = 1}, {__index = {inherited = 2},"
	     "  __pairs = function() error('__pairs ran') end,"
	     "  __len = function() error('__len ran') end}),"
	     " setmetatable({}, {__index = function() error('__index ran') end}),"
	     " setmetatable({10, 20}, {__index = function(t, k) return k end})",
	     COUNT_FN
	     "assert(got[1].own == 1 and got[1].inherited == nil)"
	     "assert(getmetatable(got[1]) == nil and count(got[1]) == 1)"
	     "assert(next(got[2]) == nil and getmetatable(got[2]) == nil)"
	     "assert(#got[3] == 2 and got[3][3] == nil)");
}
END_TEST

START_TEST(test_non_string_keys_become_strings)
{
	ok_in(A, "key_t = {} key_f = print part = Inst('Part', 5)");
	send("{[true] = 1, [false] = 2, [2.5] = 3, [-1] = 4, [0] = 5,"
	     " [1e20] = 6, [part] = 7, [key_t] = 8, [key_f] = 9,"
	     " [Vector3.new(1, 2, 3)] = 10, [math.huge] = 11, [2^63] = 12}",
	     COUNT_FN
	     "local t = got[1]"
	     "for k in pairs(t) do assert(type(k) == 'string', k) end "
	     "assert(count(t) == 12)"
	     "assert(t['true'] == 1 and t['false'] == 2 and t['2.5'] == 3)"
	     "assert(t['-1'] == 4 and t['0'] == 5 and t['1e+20'] == 6)"
	     "assert(t['<Instance> (Part)'] == 7)"
	     "assert(t['inf'] == 11 and t['9.223372036854776e+18'] == 12)"
	     "local tk, fk, vk "
	     "for k, v in pairs(t) do "
	     "  if v == 8 then tk = k elseif v == 9 then fk = k"
	     "  elseif v == 10 then vk = k end end "
	     "assert(tk:match('^<Table> %(table: 0x%x+%)$'), tk)"
	     "assert(fk:match('^<Function> %(function: 0x%x+%)$'), fk)"
	     "assert(vk == '<Vector3> (1, 2, 3)', vk)");
	/* the key string is the receiver's, even for a non-replicable one */
	send("{[Inst('Secret', 0)] = true}",
	     "assert(got[1]['<Instance> (Secret)'] == true)");
}
END_TEST

START_TEST(test_key_collisions_keep_the_last_in_canonical_order)
{
	/* numbers sort before strings, so the string key "1.5" wins */
	send("{[1.5] = 'number', ['1.5'] = 'string'}",
	     "assert(got[1]['1.5'] == 'string')");
}
END_TEST

START_TEST(test_mixed_table_rule)
{
	/* key 1 present: an array, everything else dropped */
	send("{1, 2, x = 'y', [10] = 5, [2.5] = 1, [0] = 0, [-1] = 1}",
	     COUNT_FN
	     "local t = got[1] assert(count(t) == 2 and t[1] == 1 and t[2] == 2)"
	     "assert(subtype(next(t)) == 'integer')");
	/* no key 1: a dictionary, number keys as strings */
	send("{[2] = 'b', [3] = 'c', name = 'n'}",
	     COUNT_FN
	     "local t = got[1] assert(count(t) == 3)"
	     "assert(t['2'] == 'b' and t['3'] == 'c' and t.name == 'n')"
	     "assert(t[2] == nil)");
	/* each nested table is judged on its own */
	send("{inv = {'Sword', 'Bow'}, char = {Name = 'Diva', Class = 'Rogue'}}",
	     "local t = got[1] assert(t.inv[1] == 'Sword' and t.inv[2] == 'Bow')"
	     "assert(t.char.Name == 'Diva' and t.char.Class == 'Rogue')");
}
END_TEST

START_TEST(test_nil_holes_rule)
{
	/* an array is cut at its first nil */
	send("{1, nil, 3}, (function() local t = {} t[1] = 1 t[2] = 2"
	     " t[4] = 4 return t end)(), {1, 2, 3, nil}",
	     COUNT_FN
	     "assert(count(got[1]) == 1 and got[1][1] == 1)"
	     "assert(count(got[2]) == 2 and got[2][2] == 2 and got[2][4] == nil)"
	     "assert(count(got[3]) == 3)");
	/* nil first: no key 1, so a dictionary with string keys */
	send("{nil, 2, 3}",
	     COUNT_FN
	     "assert(count(got[1]) == 2 and got[1]['2'] == 2"
	     " and got[1]['3'] == 3)");
	/* removing from the middle of an array cuts it there */
	send("(function() local t = {1, 2, 3, 4} t[3] = nil return t end)()",
	     COUNT_FN "assert(count(got[1]) == 2)");
}
END_TEST

/* ---- datatypes and instances ---- */

START_TEST(test_datatypes_round_trip_by_value)
{
	const char *values =
		"Vector3.new(1, -2.5, 3), "
		"CFrame.new(1, 2, 3) * CFrame.Angles(0.1, 0.2, 0.3), "
		"Enum.Material.Plastic, Color3.fromRGB(10, 20, 30), "
		"{pos = Vector3.new(0, 1, 0), list = {Enum.KeyCode.W}}";
	char err[128], check[1024];
	ck_assert(encode_in(A, values, err, sizeof err));
	decode_into(B);
	snprintf(check, sizeof check,
	         "local v = table.pack(%s)"
	         "assert(got[1] == v[1] and typeof(got[1]) == 'Vector3')"
	         "assert(typeof(got[2]) == 'CFrame')"
	         "assert(tostring(got[2]) == tostring(v[2]))"
	         "assert(got[2] == v[2])"
	         "assert(rawequal(got[3], Enum.Material.Plastic))"
	         "assert(got[4] == v[4])"
	         "assert(got[5].pos == Vector3.new(0, 1, 0))"
	         "assert(rawequal(got[5].list[1], Enum.KeyCode.W))", values);
	ok_in(B, check);
}
END_TEST

START_TEST(test_instances_use_receiver_ids_and_unknown_become_nil)
{
	ok_in(B, "Inst('Part', 5)");                  /* replicated: both */
	ok_in(A, "part = Inst('Part', 5) secret = Inst('Secret', 0)"
	         " server_only = Inst('Hidden', 9)");  /* 9: receiver lacks */
	send("part, secret, server_only, {a = part, b = secret},"
	     " {part, secret, part}",
	     COUNT_FN
	     "assert(got.n == 5)"
	     "assert(rawequal(got[1], inst(5)) and typeof(got[1]) == 'Instance')"
	     "assert(got[2] == nil and got[3] == nil)"
	     "assert(rawequal(got[4].a, inst(5)) and count(got[4]) == 1)"
	     "assert(rawequal(got[5][1], inst(5)) and got[5][2] == nil)"
	     "assert(rawequal(got[5][3], inst(5)))");
	/* no context: every instance arrives as nil */
	buf.len = 0;
	eval(A, "part");
	ck_assert(rs_marshal_encode(A, -1, 1, &buf, NULL, NULL, 0));
	lua_pop(A, 1);
	ck_assert_int_eq(rs_marshal_decode(B, buf.p, buf.len, NULL), 1);
	ck_assert(lua_isnil(B, -1));
	lua_pop(B, 1);
}
END_TEST

/* ---- errors ---- */

/* Encoding `exprs` fails with `want`, leaving buf and the stack as they
 * were. */
static void encode_fails(const char *exprs, const char *want)
{
	char err[256];
	ck_assert(encode_in(A, "true, false", err, sizeof err));
	ck_assert_uint_eq(buf.len, 3); /* a previous message must survive */
	int top = lua_gettop(A);
	int n = eval(A, exprs);
	ck_assert_int_eq(rs_marshal_encode(A, top + 1, n, &buf, &cx, err,
	                                   sizeof err), 0);
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(buf.len, 3);
	ck_assert_int_eq(lua_gettop(A), top + n);
	lua_settop(A, top);
}

START_TEST(test_cyclic_table_is_an_error)
{
	ok_in(A, "selfref = {} selfref.me = selfref "
	         "a = {} b = {a = a} a.b = b "
	         "arr = {1} arr[2] = arr");
	encode_fails("selfref", "tables cannot be cyclic");
	encode_fails("1, {x = a}", "tables cannot be cyclic");
	encode_fails("arr", "tables cannot be cyclic");
	/* shared but not cyclic is fine */
	send("(function() local t = {} return {t, {t}, k = t} end)()",
	     "assert(type(got[1][1]) == 'table')");
}
END_TEST

START_TEST(test_nesting_deeper_than_the_limit_is_an_error)
{
	ok_in(A, "function nest(n) local t = {} for i = 2, n do t = {t} end"
	         " return t end");
	send("nest(100)", "local t, d = got[1], 1 "
	     "while t[1] do t, d = t[1], d + 1 end assert(d == 100)");
	encode_fails("nest(101)",
	             "tables cannot be nested more than 100 levels deep");
}
END_TEST

START_TEST(test_key_tostring_errors_are_reported)
{
	ok_in(A, "bad = setmetatable({}, {__tostring = function()"
	         " error('no name', 0) end})");
	encode_fails("{[bad] = 1}", "no name");
}
END_TEST

/* ---- bytes ---- */

START_TEST(test_same_values_same_bytes)
{
	/* built in opposite orders, in two VMs with different string hash
	 * seeds: the bytes must not depend on either */
	const char *fwd = "(function() local t = {} for i = 1, 200 do"
	                  " t['k' .. i] = i end t[-5] = true t[2.5] = 'x'"
	                  " t.sub = {z = 1, a = 2, [3] = 3} return t end)()";
	const char *rev = "(function() local t = {} t.sub = {[3] = 3, a = 2,"
	                  " z = 1} t[2.5] = 'x' t[-5] = true for i = 200, 1, -1"
	                  " do t['k' .. i] = i end return t end)()";
	char err[128];
	size_t n1, n2, n3;
	ck_assert(encode_in(A, fwd, err, sizeof err));
	unsigned char *b1 = buf_copy(&n1);
	ck_assert(encode_in(A, rev, err, sizeof err));
	unsigned char *b2 = buf_copy(&n2);
	ck_assert(encode_in(B, rev, err, sizeof err));
	unsigned char *b3 = buf_copy(&n3);
	ck_assert_uint_eq(n1, n2);
	ck_assert_uint_eq(n1, n3);
	ck_assert(memcmp(b1, b2, n1) == 0);
	ck_assert(memcmp(b1, b3, n1) == 0);
	/* and a round trip re-encodes to the same bytes */
	decode_into(B);
	ck_assert(encode_in(B, "got[1]", err, sizeof err));
	ck_assert_uint_eq(buf.len, n1);
	ck_assert(memcmp(buf.p, b1, n1) == 0);
	free(b1);
	free(b2);
	free(b3);
}
END_TEST

START_TEST(test_encoding_is_compact)
{
	char err[128];
	ck_assert(encode_in(A, "1, 'ab', true", err, sizeof err));
	/* count, INT 1, STRING len 'a' 'b', TRUE */
	ck_assert_uint_eq(buf.len, 1 + 2 + 4 + 1);
	ck_assert(encode_in(A, "{1, 2, 3}", err, sizeof err));
	ck_assert_uint_eq(buf.len, 1 + 2 + 3 * 2);
}
END_TEST

/* Decodes p[0..len) into B and checks the contract: -1 with the stack as
 * it was, or n >= 0 values pushed. */
static int decode_checked(const unsigned char *p, size_t len)
{
	int top = lua_gettop(B);
	int n = rs_marshal_decode(B, p, len, &cx);
	if (n < 0)
		ck_assert_int_eq(lua_gettop(B), top);
	else
		ck_assert_int_eq(lua_gettop(B), top + n);
	lua_settop(B, top);
	return n;
}

START_TEST(test_decoder_rejects_truncated_and_random_bytes)
{
	char err[128];
	ok_in(A, "part = Inst('Part', 5)");
	ok_in(B, "Inst('Part', 5)");
	ck_assert(encode_in(A, "1, -2, 0.5, 'str\\0', true, false, nil,"
	          " {1, {2, {3}}, 'x'}, {a = {b = {c = 'd'}}, [7] = 'seven'},"
	          " Vector3.new(1, 2, 3), Enum.Material.Neon, part,"
	          " CFrame.new(4, 5, 6), (-9223372036854775807 - 1), 2^70", err, sizeof err));
	size_t len;
	unsigned char *good = buf_copy(&len);
	ck_assert_int_eq(decode_checked(good, len), 15);
	/* every truncation fails */
	for (size_t cut = 0; cut < len; cut++)
		ck_assert_int_eq(decode_checked(good, cut), -1);
	/* so do trailing bytes */
	unsigned char *longer = malloc(len + 1);
	memcpy(longer, good, len);
	longer[len] = 0;
	ck_assert_int_eq(decode_checked(longer, len + 1), -1);
	free(longer);
	/* hand-made bad messages */
	static const struct { unsigned char b[12]; size_t n; } bad[] = {
		{ { 1, 11 }, 2 },                           /* unknown tag */
		{ { 1, 10, 1 }, 3 },                        /* a reference */
		{ { 1, 0xff }, 2 },
		{ { 0x80, 0x00 }, 2 },                      /* overlong count */
		{ { 0xff, 0xff, 0xff, 0xff, 0x0f }, 5 },    /* huge count */
		{ { 1, 6, 0xff, 0xff, 0xff, 0x7f }, 6 },    /* huge array */
		{ { 1, 7, 0x10, 0, 0 }, 5 },                /* dict past end */
		{ { 1, 5, 9, 'a' }, 4 },                    /* string past end */
		{ { 1, 9, 0 }, 3 },                         /* instance id 0 */
		{ { 1, 8, 1, 13 }, 4 },                     /* datatype n > max */
		{ { 1, 8, 200, 0 }, 4 },                    /* unknown kind */
		{ { 1, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		    0xff, 0x7f }, 12 },                     /* int past 64 bits */
		{ { 1, 4, 0, 0, 0 }, 5 },                   /* short double */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(decode_checked(bad[i].b, bad[i].n) == -1,
		              "bad message %zu decoded", i);
	ck_assert_int_eq(decode_checked(NULL, 0), -1);
	/* 100,000 random messages, half of them mutations of a good one */
	rs_rng rng;
	rs_rng_seed(&rng, 20240601, 1);
	unsigned char junk[96];
	int decoded = 0;
	for (int i = 0; i < 100000; i++) {
		size_t n;
		if (i & 1) {
			n = rs_rng_next(&rng) % sizeof junk;
			for (size_t j = 0; j < n; j++)
				junk[j] = (unsigned char)rs_rng_next(&rng);
			if (n && (i & 2))
				junk[0] = (unsigned char)(junk[0] % 4);
		} else {
			n = len < sizeof junk ? len : sizeof junk;
			memcpy(junk, good, n);
			int flips = 1 + (int)(rs_rng_next(&rng) % 3);
			for (int f = 0; f < flips; f++)
				junk[rs_rng_next(&rng) % n] ^=
					(unsigned char)(1u << (rs_rng_next(&rng) % 8));
		}
		decoded += decode_checked(junk, n) >= 0;
	}
	ck_assert_int_gt(decoded, 0); /* the fuzz did reach valid paths */
	free(good);
}
END_TEST

/* The new_table hook of the tests: forces the next identity of vm_b. */
typedef struct ids_hook {
	uint64_t next;
	int calls;
} ids_hook;

static void hook_next_id(lua_State *L, void *ud)
{
	ids_hook *h = ud;
	h->calls++;
	rs_vm_use_identity(rs_vm_of(L), h->next++);
}

START_TEST(test_new_table_hook_runs_before_each_table_in_order)
{
	char err[128];
	ck_assert(encode_in(A, "{1, {2, {3}}, 'x'}, 5, {a = {b = {}}, c = {}}",
	                    err, sizeof err));
	ids_hook h = { 5000, 0 };
	rs_marshal_ctx hc = { NULL, NULL, &h, hook_next_id, NULL, NULL };
	int top = lua_gettop(B);
	ck_assert_int_eq(rs_marshal_decode(B, buf.p, buf.len, &hc), 3);
	ck_assert_int_eq(h.calls, 7);
	/* preorder: a value's tables before the next value's, a table before
	 * the ones inside it */
	lua_setglobal(B, "t3");
	lua_pop(B, 1);
	lua_setglobal(B, "t1");
	lua_settop(B, top);
	const char *order[] = { "t1", "t1[2]", "t1[2][2]", "t3", "t3.a",
	                        "t3.a.b", "t3.c" };
	for (int i = 0; i < 7; i++) {
		eval(B, order[i]);
		ck_assert_uint_eq(rs_vm_identity(B, -1), 5000 + (uint64_t)i);
		lua_pop(B, 1);
	}
	rs_marshal_shape sh;
	ck_assert(rs_marshal_shape_of(buf.p, buf.len, &sh));
	ck_assert_uint_eq(sh.values, 3);
	ck_assert_uint_eq(sh.tables, 7);
	ck_assert(sh.plain);
}
END_TEST

/* The shape accepts what the decoder accepts; for plain bytes it also
 * rejects what the decoder rejects, and counts the tables it makes. */
START_TEST(test_shape_agrees_with_the_decoder)
{
	char err[128];
	ok_in(A, "part = Inst('Part', 5)");
	ok_in(B, "Inst('Part', 5)");
	const char *msgs[] = {
		"1, -2, 0.5, 'str\\0', true, false, nil, {1, {2, {3}}, 'x'},"
		" {a = {b = {c = 'd'}}, [7] = 'seven'}, (-9223372036854775807 - 1), 2^70",
		"{x = 1}, Vector3.new(1, 2, 3), part, {Enum.Material.Neon}",
	};
	rs_rng rng;
	rs_rng_seed(&rng, 77, 2);
	for (int m = 0; m < 2; m++) {
		ck_assert(encode_in(A, msgs[m], err, sizeof err));
		size_t len;
		unsigned char *good = buf_copy(&len);
		unsigned char junk[160];
		ck_assert_uint_le(len, sizeof junk);
		for (int i = 0; i < 50000; i++) {
			size_t n = len;
			memcpy(junk, good, n);
			if (i > 0) {
				if (i % 5 == 0)
					n = rs_rng_next(&rng) % len;
				int flips = (int)(rs_rng_next(&rng) % 3);
				for (int f = 0; f < flips && n; f++)
					junk[rs_rng_next(&rng) % n] ^= (unsigned char)
						(1u << (rs_rng_next(&rng) % 8));
			}
			rs_marshal_shape sh;
			int shaped = rs_marshal_shape_of(junk, n, &sh);
			ids_hook h = { 0, 0 };
			rs_marshal_ctx hc = { cx_instance_id, cx_push_instance, &h,
			                      hook_next_id, NULL, NULL };
			int top = lua_gettop(B);
			int got = rs_marshal_decode(B, junk, n, &hc);
			lua_settop(B, top);
			if (got >= 0) {
				ck_assert(shaped);
				ck_assert_int_eq(got, (int)sh.values);
				ck_assert_int_eq(h.calls, (int)sh.tables);
			} else if (shaped) {
				ck_assert(!sh.plain);
			}
			if (i == 0)
				ck_assert_int_eq(sh.plain, m == 0);
		}
		free(good);
	}
}
END_TEST

START_TEST(test_buffer_grows_and_is_reused)
{
	char err[128];
	ck_assert(encode_in(A, "string.rep('x', 100000)", err, sizeof err));
	size_t cap = buf.cap;
	unsigned char *p = buf.p;
	ck_assert_uint_ge(cap, 100000);
	for (int i = 0; i < 100; i++)
		ck_assert(encode_in(A, "string.rep('y', 90000)", err, sizeof err));
	ck_assert(buf.p == p && buf.cap == cap);
	/* encode appends: two messages back to back */
	buf.len = 0;
	eval(A, "1");
	ck_assert(rs_marshal_encode(A, -1, 1, &buf, &cx, err, sizeof err));
	size_t one = buf.len;
	ck_assert(rs_marshal_encode(A, -1, 1, &buf, &cx, err, sizeof err));
	lua_pop(A, 1);
	ck_assert_uint_eq(buf.len, 2 * one);
	ck_assert_int_eq(rs_marshal_decode(B, buf.p + one, one, &cx), 1);
	lua_pop(B, 1);
}
END_TEST

static Suite *marshal_suite(void)
{
	Suite *s = suite_create("marshal");
	struct {
		const char *name;
		const TTest *tests[4];
	} cases[] = {
		{ "subtypes", { test_integer_and_float_subtypes_survive } },
		{ "strings", { test_strings_with_nul_bytes } },
		{ "functions",
		  { test_functions_arrive_as_nil_at_top_level_and_in_tables,
		    test_a_same_vm_context_passes_functions_unchanged } },
		{ "identity", { test_tables_arrive_as_copies_with_new_identity } },
		{ "metatables", { test_metatables_are_dropped } },
		{ "keys", { test_non_string_keys_become_strings,
		            test_key_collisions_keep_the_last_in_canonical_order,
		            test_key_tostring_errors_are_reported } },
		{ "mixed", { test_mixed_table_rule } },
		{ "holes", { test_nil_holes_rule } },
		{ "datatypes", { test_datatypes_round_trip_by_value } },
		{ "instances",
		  { test_instances_use_receiver_ids_and_unknown_become_nil } },
		{ "cycles", { test_cyclic_table_is_an_error,
		              test_nesting_deeper_than_the_limit_is_an_error } },
		{ "bytes", { test_same_values_same_bytes,
		             test_encoding_is_compact,
		             test_buffer_grows_and_is_reused } },
		{ "decoder", { test_decoder_rejects_truncated_and_random_bytes } },
		{ "shape", { test_new_table_hook_runs_before_each_table_in_order,
		             test_shape_agrees_with_the_decoder } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_set_timeout(tc, 60);
		for (int j = 0; j < 4 && cases[i].tests[j]; j++)
			tcase_add_test(tc, cases[i].tests[j]);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(marshal_suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
