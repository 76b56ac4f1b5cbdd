/* Unit tests of luau: the Luau -> Lua 5.4 translator and the Luau library.
 * Translated code runs in a plain Lua state with a print of our own that
 * formats numbers the Luau way; the corpus in sim/tests/luau pairs each
 * NAME.luau with the output it must print (NAME.out). */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "rsim/luau.h"
#include "rsim/scenario.h"
#include "rsim/suite.h"

#ifndef RSIM_SOURCE_ROOT
#define RSIM_SOURCE_ROOT "."
#endif

/* ---- a tiny VM: captured print, Luau number formatting ---- */

static char captured[1 << 16];
static size_t ncaptured;

static void capture(const char *s, size_t n)
{
	if (n > sizeof captured - 1 - ncaptured)
		n = sizeof captured - 1 - ncaptured;
	memcpy(captured + ncaptured, s, n);
	ncaptured += n;
	captured[ncaptured] = '\0';
}

static int l_print(lua_State *L)
{
	int n = lua_gettop(L);
	for (int i = 1; i <= n; i++) {
		char b[48];
		size_t len;
		if (i > 1)
			capture("\t", 1);
		if (lua_type(L, i) == LUA_TNUMBER) {
			capture(b, (size_t)rs_luau_fmtnum(lua_tonumber(L, i), b));
		} else {
			const char *s = luaL_tolstring(L, i, &len);
			capture(s, len);
			lua_pop(L, 1);
		}
	}
	capture("\n", 1);
	return 0;
}

/* tostring with Luau's numbers, as the VM's */
static int l_tostring(lua_State *L)
{
	char b[RS_LUAU_NUMBUF];
	luaL_checkany(L, 1);
	if (lua_type(L, 1) == LUA_TNUMBER)
		lua_pushlstring(L, b, (size_t)rs_luau_fmtnum(lua_tonumber(L, 1), b));
	else
		luaL_tolstring(L, 1, NULL);
	return 1;
}

static lua_State *newvm(void)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	lua_register(L, "print", l_print);
	lua_register(L, "tostring", l_tostring);
	rs_luaulib_open(L);
	return L;
}

/* Runs Lua source; errors are captured as "ERROR: msg\n". */
static void runlua(const char *src, size_t len)
{
	lua_State *L = newvm();
	if (luaL_loadbuffer(L, src, len, "=chunk") != LUA_OK || lua_pcall(L, 0, 0, 0) != LUA_OK) {
		capture("ERROR: ", 7);
		capture(lua_tostring(L, -1), strlen(lua_tostring(L, -1)));
		capture("\n", 1);
	}
	lua_close(L);
}

static int count_newlines(const char *s, size_t n)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* Translates and runs src; returns the captured output.  The translation
 * must keep the number of lines. */
static const char *run(const char *src)
{
	rs_luau_error err;
	size_t n, len = strlen(src);
	ncaptured = 0;
	captured[0] = '\0';
	char *out = rs_luau_translate(src, len, &n, &err);
	if (out == NULL) {
		snprintf(captured, sizeof captured, "SYNTAX %d: %s\n", err.line, err.msg);
		return captured;
	}
	ck_assert_int_eq(count_newlines(out, n), count_newlines(src, len));
	ck_assert_uint_eq(strlen(out), n);
	runlua(out, n);
	free(out);
	return captured;
}

#define ck_run(src, expect) ck_assert_str_eq(run(src), expect)

/* ---- corpus ---- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	size_t got = fread(s, 1, (size_t)n, f);
	s[got] = '\0';
	fclose(f);
	if (len)
		*len = got;
	return s;
}

START_TEST(test_corpus_snippets_print_expected_output)
{
	const char *dir = RSIM_SOURCE_ROOT "/sim/tests/luau";
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "no corpus at %s", dir);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".luau") != 0)
			continue;
		char path[1024], outpath[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		snprintf(outpath, sizeof outpath, "%s/%.*s.out", dir, (int)(n - 5), e->d_name);
		char *src = slurp(path, NULL), *expect = slurp(outpath, NULL);
		ck_assert_msg(src && expect, "missing %s or its .out", path);
		const char *got = run(src);
		ck_assert_msg(strcmp(got, expect) == 0, "%s:\n--- got\n%s--- expected\n%s", e->d_name, got, expect);
		free(src);
		free(expect);
		files++;
	}
	closedir(d);
	ck_assert_int_ge(files, 8);
}
END_TEST

/* ---- translation features ---- */

START_TEST(test_continue_is_contextual)
{
	ck_run("local continue = 1\nprint(continue)\n", "1\n");
	ck_run("local function continue() return 'c' end\nprint(continue())\n", "c\n");
	ck_run("local t = {continue = 2}\nt.continue += 1\nprint(t.continue)\n", "3\n");
	ck_run("for i = 1, 3 do\n  if i == 2 then continue end\n  print(i)\nend\n", "1\n3\n");
	ck_run("continue = 5 print(continue)", "5\n");
}
END_TEST

START_TEST(test_continue_in_repeat_keeps_until_locals)
{
	ck_run("local i = 0\n"
	       "repeat\n"
	       "  i += 1\n"
	       "  local done = i >= 4\n"
	       "  if i == 2 then continue end\n"
	       "  local after = i * 10\n"
	       "  print(after)\n"
	       "until done\n", "10\n30\n40\n");
	/* Luau refuses a condition reading a local the continue skipped */
	ck_run("repeat\n  if x then continue end\n  local stop = true\nuntil stop\n",
	       "SYNTAX 4: Local stop used in the repeat..until condition is undefined because continue statement on line 2 jumps over it\n");
}
END_TEST

START_TEST(test_continue_before_return_and_nested_loops)
{
	ck_run("local function f()\n"
	       "  for i = 1, 3 do\n"
	       "    if i < 3 then continue end\n"
	       "    return i\n"
	       "  end\n"
	       "end\nprint(f())\n", "3\n");
	ck_run("for i = 1, 2 do\n"
	       "  for j = 1, 3 do\n"
	       "    if j == 2 then continue end\n"
	       "    print(i, j)\n"
	       "  end\n"
	       "  if i == 1 then continue end\n"
	       "  print('end', i)\n"
	       "end\n", "1\t1\n1\t3\n2\t1\n2\t3\nend\t2\n");
	ck_run("while true do\n  break\nend\nprint('ok')\n", "ok\n");
}
END_TEST

START_TEST(test_type_is_contextual)
{
	ck_run("print(type(1))\nlocal type = 'x'\nprint(type)\n", "number\nx\n");
	ck_run("local t = {type = 'a'}\nprint(t.type, type 'x')\n", "a\tstring\n");
	ck_run("type = function() return 9 end\nprint(type())\n", "9\n");
	ck_run("local export = 1\nexport = export + 1\nprint(export)\n", "2\n");
}
END_TEST

START_TEST(test_multiline_type_declarations_are_erased)
{
	const char *src =
		"export type Tree<T> = {\n"
		"  value: T,\n"
		"  children: { Tree<T> },\n"
		"  visit: ((T) -> boolean)?,\n"
		"  [string]: \"a\" | 'b' | typeof(print),\n"
		"}\n"
		"type Pair = (number, string) -> ...any\n"
		"print(debug.getinfo(1, 'l').currentline)\n";
	ck_run(src, "8\n");
}
END_TEST

START_TEST(test_casts_next_to_labels)
{
	/* a cast ending the statement right before the continue label */
	ck_run("for i = 1, 2 do\n"
	       "  if i == 1 then continue end\n"
	       "  local v = i :: number\n"
	       "end\nprint('ok')\n", "ok\n");
	ck_run("local x = (1 :: any) :: number\nprint(x)\n", "1\n");
	ck_run("local function two() return 1, 2 end\nprint(two() :: any)\n", "1\n");
	ck_run("::lbl::", "SYNTAX 1: Expected identifier when parsing expression, got '::'\n");
}
END_TEST

START_TEST(test_interpolation_nested_and_escaped)
{
	ck_run("local a = 'x'\nprint(`{a}-{`<{a}{`[{1 + 1}]`}>`}`)\n", "x-<x[2]>\n");
	ck_run("print(`\\{not} \\` {\"}\"}`)\n", "{not} ` }\n");
	ck_run("print(`{1.0} {0.1} {nil}`)\n", "1 0.1 nil\n");
	ck_run("print(`a{{1}}`)", "SYNTAX 1: Double braces are not permitted within interpolated strings; did you mean '\\{'?\n");
}
END_TEST

START_TEST(test_compound_assignment_evaluates_target_once)
{
	ck_run("local n = 0\n"
	       "local a = { b = {} }\n"
	       "local function c() n += 1; return 'k' end\n"
	       "a.b[c()] = 1\n"
	       "a.b[c()] += 1\n"
	       "a.b[c()] ..= 'z'\n"
	       "print(a.b.k, n)\n", "2z\t3\n");
	ck_run("local t = {1}\nt[1] ^= 2 t[1] //= 3\nprint(t[1])\n", "0\n");
}
END_TEST

START_TEST(test_if_expression_with_nil_and_false)
{
	ck_run("print(if true then nil else 1)\n", "nil\n");
	ck_run("print(if false then 1 elseif true then false else 2)\n", "false\n");
	ck_run("local n = 0\nlocal function f() n += 1 return n end\n"
	       "local v = if n == 0 then f() else f() + 100\nprint(v, n)\n", "1\t1\n");
}
END_TEST

START_TEST(test_tricky_strings_and_comments)
{
	ck_run("print('--', \"[[\", '`', '{}')\n", "--\t[[\t`\t{}\n");
	ck_run("print([==[\n]]`{x}`--]==])\n", "]]`{x}`--\n");
	ck_run("--[[ print(1)\n]] print(2) -- print(3)\n", "2\n");
	ck_run("print(\"a\\z\n   b\", 'c\\\nd')\n", "ab\tc\nd\n");
}
END_TEST

START_TEST(test_float_concat_uses_luau_format)
{
	ck_run("print('x' .. 5.0, 2.5 .. '', 1 / 0 .. '', 10 .. 20)\n", "x5\t2.5\tinf\t1020\n");
	ck_run("print('a' .. 1 .. 2 .. 'b')\n", "a12b\n");
	ck_run("print(pcall(function() return 'a' .. {} end))\n",
	       "false\tchunk:1: attempt to concatenate a table value\n");
	ck_run("local s = 'v'\ns ..= 3.0\nprint(s)\n", "v3\n");
}
END_TEST

START_TEST(test_generalized_iteration)
{
	ck_run("for i, v in {7, 8} do print(i, v) end\n", "1\t7\n2\t8\n");
	ck_run("for _, v in pairs({5}) do print(v) end\n", "5\n");
	ck_run("for i in next, {3} do print(i) end\n", "1\n");
	ck_run("print(pcall(function() for _ in nil do end end))\n",
	       "false\tchunk:1: attempt to iterate over a nil value\n");
	ck_run("local o = setmetatable({}, {__call = function(_, _, i) i = (i or 0) + 1 if i < 3 then return i end end})\n"
	       "for i in o do print(i) end\n", "1\n2\n");
}
END_TEST

/* ---- syntax errors ---- */

static const struct { const char *src; int line; const char *msg; } bad[] = {
	{ "local x = 1\nfunction f()\n  print(x)\n", 4, "Expected 'end' (to close 'function' at line 2), got <eof>" },
	{ "x = 1\ny\n", 2, "Incomplete statement: expected assignment or a function call" },
	{ "local t = {\n1,\n2\n", 4, "Expected '}' (to close '{' at line 1), got <eof>" },
	{ "if x then\nelse\nend end", 3, "Expected <eof>, got 'end'" },
	{ "local s = 'abc\nprint(s)", 1, "Malformed string; did you forget to finish it?" },
	{ "\n\nlocal x = `a{b`", 3, "Malformed interpolated string" },
	{ "print(1)\ncontinue\n", 2, "continue statement must be inside a loop" },
	{ "local x: = 1", 1, "Expected type, got '='" },
	{ "local x = 0b12", 1, "Malformed number" },
	{ "f()\n(g)()", 2, "Ambiguous syntax" },
	{ "while true do\nbreak\nprint(1)\nend", 3, "Expected 'end' (to close 'while' at line 1), got 'print'" },
	{ "print('\\q')", 1, "String literal contains malformed escape sequence" },
	{ "x = if a then b", 1, "Expected 'else' when parsing if then else expression, got <eof>" },
	{ "\n\n\n(a).b() += 1", 4, "Assigned expression must be a variable or a field" },
};

START_TEST(test_syntax_errors_report_line)
{
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		rs_luau_error err;
		size_t n;
		char *out = rs_luau_translate(bad[i].src, strlen(bad[i].src), &n, &err);
		ck_assert_msg(out == NULL, "accepted: %s", bad[i].src);
		ck_assert_msg(err.line == bad[i].line, "%s: line %d, want %d (%s)", bad[i].src, err.line, bad[i].line, err.msg);
		ck_assert_msg(strstr(err.msg, bad[i].msg) != NULL, "%s: got \"%s\"", bad[i].src, err.msg);
	}
}
END_TEST

/* ---- line placement property ---- */

/* Lua 5.4 sources that are also valid Luau. */
static const char *const plain[] = {
	"local a, b = 1, 2\nprint(a + b,\n  a * b)\n",
	"local function fib(n)\n  if n < 2 then return n end\n  return fib(n - 1)\n    + fib(n - 2)\nend\nprint(fib(15))\n",
	"local t = {}\nfor i = 1, 5 do\n  t[#t + 1] = i * i\nend\nprint(table.concat(t, ' '))\n",
	"local s = 'a' ..\n  'b' ..\n  'c'\nprint(s, #s)\n",
	"local n = 0\nwhile n < 3 do\n  n = n + 1\nend\nrepeat n = n - 1 until n == 0\nprint(n)\n",
	"local t = setmetatable({}, {\n  __index = function(_, k)\n    return k .. '!'\n  end,\n})\nprint(t.hi)\n",
	"local function va(...)\n  local n = select('#', ...)\n  return n, ...\nend\nprint(va(1, nil, 3))\n",
	"local x = [[\nlong\nstring]]\nprint(x)\n",
	"-- comment\n--[[ long\ncomment ]]\nprint(debug.getinfo(1, 'l').currentline)\n",
	"local ok, err = pcall(error, 'boom')\nprint(ok, err)\n",
	"local co = coroutine.wrap(function(a)\n  local b = coroutine.yield(a + 1)\n  return b * 2\nend)\nprint(co(1), co(10))\n",
	"local t = {3, 1, 2}\ntable.sort(t, function(a, b)\n  return a > b\nend)\nprint(t[1], t[2], t[3])\n",
	"local s = ('%d-%s'):format(5,\n  'x')\nprint(s, s:upper(), #s)\n",
	"local a = {x = {y = {z = 1}}}\nprint(a.x.y.z, a['x']['y'].z)\n",
	"local f = function(x) return function(y) return x + y end end\nprint(f(1)(2))\n",
	"for k, v in ipairs({'a', 'b'}) do\n  print(k, v)\nend\n",
	"for k, v in next, {'z'} do print(k, v) end\n",
	"local x = not nil and 1 or 2\nprint(x, -x, #'abc', 2^3^2)\n",
	"do\n  local x <const> = 5\n  print(x)\nend\n",
	"print(1 == 1.0, 'a' < 'b', 10 // 3, 7 % -3)\n",
	"local t = {\n  [1] = 'a';\n  b = 'c',\n  'd'\n}\nprint(t[1], t.b)\n",
	"print(string.rep('ab', 3, ','))\nprint(math.max(3, 9, 1))\n",
};

/* Each line's words (names, numbers, string contents) appear on the same
 * line of the translation, in the same order. */
static void assert_words_stay_on_their_line(const char *src, const char *out)
{
	const char *s = src, *o = out;
	int line = 1;
	while (*s) {
		const char *se = strchr(s, '\n'), *oe = strchr(o, '\n');
		size_t sl = se ? (size_t)(se - s) : strlen(s);
		size_t ol = oe ? (size_t)(oe - o) : strlen(o);
		size_t j = 0;
		for (size_t i = 0; i < sl; ) {
			if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) {
				i++;
				continue;
			}
			size_t k = i;
			while (k < sl && (isalnum((unsigned char)s[k]) || s[k] == '_'))
				k++;
			int found = 0;
			for (; j + (k - i) <= ol; j++)
				if (memcmp(o + j, s + i, k - i) == 0) {
					j += k - i;
					found = 1;
					break;
				}
			ck_assert_msg(found, "line %d: '%.*s' moved\nsrc: %.*s\nout: %.*s",
			              line, (int)(k - i), s + i, (int)sl, s, (int)ol, o);
			i = k;
		}
		if (!se)
			break;
		ck_assert_msg(oe != NULL, "translation lost line %d", line);
		s = se + 1;
		o = oe + 1;
		line++;
	}
}

static void check_plain(const char *src)
{
	static char expect[sizeof captured];
	size_t n;
	rs_luau_error err;
	/* the reference: the source run as Lua 5.4 */
	ncaptured = 0;
	runlua(src, strlen(src));
	memcpy(expect, captured, ncaptured + 1);
	char *out = rs_luau_translate(src, strlen(src), &n, &err);
	if (strstr(src, "<const>")) {      /* Lua-only: Luau rejects attribs */
		ck_assert_ptr_null(out);
		return;
	}
	ck_assert_msg(out != NULL, "%s\nline %d: %s", src, err.line, err.msg);
	ck_assert_int_eq(count_newlines(out, n), count_newlines(src, strlen(src)));
	if (strstr(src, "--") == NULL)    /* comments are dropped */
		assert_words_stay_on_their_line(src, out);
	ncaptured = 0;
	runlua(out, n);
	ck_assert_msg(strcmp(captured, expect) == 0, "%s\n--- got\n%s--- expected\n%s", src, captured, expect);
	free(out);
}

START_TEST(test_plain_lua_keeps_lines_and_behaviour)
{
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
		check_plain(plain[i]);
}
END_TEST

static unsigned long long rng = 0x9E3779B97F4A7C15ull;
static unsigned rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)rng;
}

/* A random integer/string expression, operators and newlines sprinkled. */
static void genexpr(char *b, size_t cap, int depth)
{
	static const char *const ops[] = { " + ", " - ", " * ", " .. ", " .. ", " == ", " and ", " or " };
	size_t n = strlen(b);
	if (n > cap - 64)
		return;
	if (depth > 3 || rnd() % 3 == 0) {
		switch (rnd() % 4) {
		case 0: snprintf(b + n, cap - n, "%u", rnd() % 100); break;
		case 1: snprintf(b + n, cap - n, "'s%u'", rnd() % 10); break;
		case 2: snprintf(b + n, cap - n, "x"); break;
		default: snprintf(b + n, cap - n, "(#'ab')"); break;
		}
		return;
	}
	int paren = rnd() % 2;
	if (paren)
		strcat(b, "(");
	genexpr(b, cap, depth + 1);
	strcat(b, rnd() % 4 == 0 ? "\n" : "");
	const char *op = ops[rnd() % 8];
	strcat(b, op);
	genexpr(b, cap, depth + 1);
	if (paren)
		strcat(b, ")");
}

START_TEST(test_generated_expressions_match_plain_lua)
{
	for (int i = 0; i < 300; i++) {
		/* error positions differ by design (Luau reports the line where
		 * the expression starts), so only the message is compared */
		char src[4096] = "local x = 7\nlocal ok, e = pcall(function() return ";
		genexpr(src, sizeof src - 128, 0);
		strcat(src, "\nend)\nprint(ok, ok and e or (tostring(e):gsub('^.-:%d+: ', '')))\n");
		check_plain(src);
	}
}
END_TEST

/* ---- robustness ---- */

START_TEST(test_hostile_input_never_crashes)
{
	static const char *const frags[] = {
		"`", "{", "}", "[[", "]]", "--", "\"", "'", "\\", "\n", "::", "..",
		"if", "then", "else", "end", "continue", "type", "(", ")", "+=",
		":", "<", ">", "function", "repeat", "until", "local", "for", "in",
		"do", "0b", "_", "\\u{", "\\z", "[=[", "..=", "?", "|", "->", "`{",
	};
	char base[4096] = "";
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
		strncat(base, plain[i], sizeof base - strlen(base) - 1);
	size_t blen = strlen(base);
	for (int it = 0; it < 20000; it++) {
		char buf[8192];
		size_t m = 0;
		if (it % 3 == 0) {
			m = rnd() % 64;
			for (size_t i = 0; i < m; i++)
				buf[i] = (char)(rnd() % 256);
		} else {
			size_t a = rnd() % blen, b = a + rnd() % 300;
			if (b > blen)
				b = blen;
			memcpy(buf, base + a, b - a);
			m = b - a;
			for (int k = rnd() % 4; k > 0 && m > 0 && m < sizeof buf - 16; k--) {
				const char *f = frags[rnd() % (sizeof frags / sizeof *frags)];
				size_t p = rnd() % m, fl = strlen(f);
				memmove(buf + p + fl, buf + p, m - p);
				memcpy(buf + p, f, fl);
				m += fl;
			}
		}
		rs_luau_error err;
		size_t n;
		char *out = rs_luau_translate(buf, m, &n, &err);
		if (out != NULL) {
			if (memchr(buf, '\r', m) == NULL)
				ck_assert_int_eq(count_newlines(out, n), count_newlines(buf, m));
			free(out);
		} else {
			ck_assert(err.msg[0] != '\0');
		}
	}
	/* deep nesting is refused, not a stack overflow */
	char deep[20000];
	memset(deep, '(', 10000);
	strcpy(deep + 10000, "1");
	rs_luau_error err;
	size_t n;
	ck_assert_ptr_null(rs_luau_translate(deep, strlen(deep), &n, &err));
	ck_assert(strstr(err.msg, "recursion") != NULL);
}
END_TEST

/* ---- library ---- */

START_TEST(test_freeze_blocks_new_keys_and_api_writes)
{
	ck_run("local t = table.freeze({1, x = 1})\n"
	       "print(pcall(function() t.y = 1 end))\n"
	       "print(pcall(table.remove, t))\n"
	       "print(pcall(setmetatable, t, {}))\n"
	       "print(pcall(table.freeze, t))\n"
	       "local c = table.clone(t)\nc.y = 2\nprint(table.isfrozen(c), c.y, #c)\n",
	       "false\tchunk:2: attempt to modify a readonly table\n"
	       "false\tattempt to modify a readonly table\n"
	       "false\tattempt to modify a readonly table\n"
	       "false\tbad argument #1 to 'table.freeze' (table is already frozen)\n"
	       "false\t2\t1\n");
}
END_TEST

START_TEST(test_math_noise_is_zero_on_lattice_and_deterministic)
{
	ck_run("local z = 0\nfor x = -3, 3 do for y = -3, 3 do z += math.abs(math.noise(x, y, x + y)) end end\n"
	       "print(z, math.noise(0.25, 0.5) == math.noise(0.25, 0.5), math.noise(0.37, 0.11, 0.5) ~= 0)\n",
	       "0\ttrue\ttrue\n");
}
END_TEST

START_TEST(test_split_and_clamp_edges)
{
	ck_run("local p = ('abc'):split('')\nprint(#p, p[1], p[3])\n", "3\ta\tc\n");
	ck_run("print(#(''):split(''), #(''):split(), ('a--b'):split('--')[2])\n", "0\t1\tb\n");
	ck_run("print(math.clamp(2, 2, 2), math.round(-0.5), math.sign(-0.0))\n", "2\t-1\t0\n");
}
END_TEST

START_TEST(test_buffer_metatable_has_type)
{
	lua_State *L = newvm();
	ck_assert_int_eq(luaL_dostring(L, "return buffer.create(4)"), LUA_OK);
	ck_assert(lua_getmetatable(L, -1));
	lua_getfield(L, -1, "__type");
	ck_assert_str_eq(lua_tostring(L, -1), "buffer");
	lua_close(L);
	ck_run("local b = buffer.create(2)\nprint(pcall(buffer.writeu8, b, 2, 1))\n"
	       "buffer.writei16(b, 0, -2)\nprint(buffer.readi16(b, 0), buffer.readu16(b, 0))\n",
	       "false\tbuffer access out of bounds\n-2\t65534\n");
}
END_TEST

/* Every script of the conformance suite translates, line for line. */
static int count_lines(const char *s, size_t n)
{
	int lines = 1;
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

static void check_translates(const char *file, const char *what,
                             const char *src, size_t len)
{
	rs_luau_error err;
	size_t outlen;
	char *out = rs_luau_translate(src, len, &outlen, &err);
	ck_assert_msg(out != NULL, "%s (%s): line %d: %s", file, what, err.line,
	              err.msg);
	ck_assert_msg(count_lines(out, outlen) == count_lines(src, len),
	              "%s (%s): the translation changed the line count", file,
	              what);
	free(out);
}

static void check_tree(const char *file, const rs_tree_node *n)
{
	if (n->source)
		check_translates(file, n->name, n->source, n->len);
	for (size_t k = 0; k < n->nkids; k++)
		check_tree(file, &n->kids[k]);
}

START_TEST(test_every_scenario_script_translates_line_for_line)
{
	char **files;
	size_t n;
	char err[256];
	ck_assert_int_eq(rs_suite_discover(RSIM_SOURCE_ROOT "/scenarios", &files,
	                                   &n, err, sizeof err), 0);
	ck_assert_uint_gt(n, 60);
	size_t scripts = 0;
	for (size_t i = 0; i < n; i++) {
		rs_scenario_error se;
		rs_scenario *sc = rs_scenario_load(files[i], &se);
		ck_assert_msg(sc != NULL, "%s does not load: %s", files[i], se.msg);
		const rs_scripts *lists[] = { &sc->server, &sc->client };
		for (size_t l = 0; l < 2; l++)
			for (size_t k = 0; k < lists[l]->n; k++, scripts++)
				check_translates(files[i], lists[l]->v[k].name,
				                 lists[l]->v[k].source, lists[l]->v[k].len);
		for (int c = 0; c < sc->nclients; c++)
			for (size_t k = 0; k < sc->client_specs[c].scripts.n; k++)
				check_translates(files[i], "client spec",
				                 sc->client_specs[c].scripts.v[k].source,
				                 sc->client_specs[c].scripts.v[k].len);
		check_tree(files[i], &sc->tree);
		rs_scenario_free(sc);
		free(files[i]);
	}
	free(files);
	ck_assert_uint_gt(scripts, 100);
}
END_TEST

static Suite *luau_suite(void)
{
	Suite *s = suite_create("luau");
	TCase *tc = tcase_create("translate");
	tcase_add_test(tc, test_corpus_snippets_print_expected_output);
	tcase_add_test(tc, test_continue_is_contextual);
	tcase_add_test(tc, test_continue_in_repeat_keeps_until_locals);
	tcase_add_test(tc, test_continue_before_return_and_nested_loops);
	tcase_add_test(tc, test_type_is_contextual);
	tcase_add_test(tc, test_multiline_type_declarations_are_erased);
	tcase_add_test(tc, test_casts_next_to_labels);
	tcase_add_test(tc, test_interpolation_nested_and_escaped);
	tcase_add_test(tc, test_compound_assignment_evaluates_target_once);
	tcase_add_test(tc, test_if_expression_with_nil_and_false);
	tcase_add_test(tc, test_tricky_strings_and_comments);
	tcase_add_test(tc, test_float_concat_uses_luau_format);
	tcase_add_test(tc, test_generalized_iteration);
	tcase_add_test(tc, test_syntax_errors_report_line);
	suite_add_tcase(s, tc);
	TCase *tsc = tcase_create("scenarios");
	tcase_add_test(tsc, test_every_scenario_script_translates_line_for_line);
	tcase_set_timeout(tsc, 60);
	suite_add_tcase(s, tsc);
	TCase *tp = tcase_create("properties");
	tcase_set_timeout(tp, 60);
	tcase_add_test(tp, test_plain_lua_keeps_lines_and_behaviour);
	tcase_add_test(tp, test_generated_expressions_match_plain_lua);
	tcase_add_test(tp, test_hostile_input_never_crashes);
	suite_add_tcase(s, tp);
	TCase *tl = tcase_create("library");
	tcase_add_test(tl, test_freeze_blocks_new_keys_and_api_writes);
	tcase_add_test(tl, test_math_noise_is_zero_on_lattice_and_deterministic);
	tcase_add_test(tl, test_split_and_clamp_edges);
	tcase_add_test(tl, test_buffer_metatable_has_type);
	suite_add_tcase(s, tl);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(luau_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
