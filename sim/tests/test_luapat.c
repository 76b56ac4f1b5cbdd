/* Unit tests of luapat: the pattern functions give exactly what stock Lua
 * 5.4 gives (a differential test over hand-written and generated cases),
 * and hostile or too deep patterns fail with a catchable error. */
#include <check.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rsim/vm.h"
#include "../vm/luapat.h"

/* case(s, p, init): every function on (s, p), with string, table and
 * function replacements, the results of each pcall as "type:value"
 * lists, one line per call.  Run the same in both states. */
static const char DRIVER[] =
	"local function ser(...)\n"
	"  local t = {}\n"
	"  for i = 1, select('#', ...) do\n"
	"    local v = select(i, ...)\n"
	"    t[#t + 1] = type(v) .. ':' .. tostring(v)\n"
	"  end\n"
	"  return table.concat(t, ',')\n"
	"end\n"
	"local function try(f, ...) return ser(pcall(f, ...)) end\n"
	"local function gm(s, p, init)\n"
	"  local out = {}\n"
	"  for a, b, c in string.gmatch(s, p, init) do\n"
	"    out[#out + 1] = ser(a, b, c)\n"
	"    if #out > 100 then break end\n"
	"  end\n"
	"  return table.concat(out, ';')\n"
	"end\n"
	"local rt = { a = 'X', b = false, ab = 1.5, [''] = 'E', [1] = 'one',\n"
	"             ['('] = {} }\n"
	"local function rf(a, b)\n"
	"  if a == 'b' then return nil end\n"
	"  if a == 'a' then return 7 end\n"
	"  if a == ')' then return true end\n"
	"  return '<' .. tostring(a) .. '|' .. tostring(b) .. '>'\n"
	"end\n"
	"function case(s, p, init)\n"
	"  return table.concat({\n"
	"    try(string.find, s, p), try(string.find, s, p, init),\n"
	"    try(string.find, s, p, init, true),\n"
	"    try(string.match, s, p), try(string.match, s, p, init),\n"
	"    try(gm, s, p), try(gm, s, p, init),\n"
	"    try(string.gsub, s, p, '[%0|%1]'), try(string.gsub, s, p, 'x%%', 2),\n"
	"    try(string.gsub, s, p, '%2'), try(string.gsub, s, p, 'y%'),\n"
	"    try(string.gsub, s, p, '%x'), try(string.gsub, s, p, 5),\n"
	"    try(string.gsub, s, p, rt), try(string.gsub, s, p, rf),\n"
	"    try(string.gsub, s, p, rf, init),\n"
	"  }, '\\n')\n"
	"end\n"
	"function extras()\n"
	"  local t = {}\n"
	"  local function add(...) t[#t + 1] = ser(...) end\n"
	"  add(pcall(string.gsub, 123, 'x', 'y'))\n"
	"  add(pcall(string.gsub, 123, '2', 'y'))\n"
	"  add(pcall(string.gsub, 'abc', 'b', 'x', 0))\n"
	"  add(pcall(string.gsub, 'abc', 'b', 'x', -1))\n"
	"  add(pcall(string.gsub, 'abc', 'b'))\n"
	"  add(pcall(string.gsub, 'abc', 'b', true))\n"
	"  add(pcall(string.gsub, 'abc', 'b', 'x', 'n'))\n"
	"  add(pcall(string.gsub, 'abc', 'b', 'x', 1.5))\n"
	"  add(pcall(string.find))\n"
	"  add(pcall(string.find, 'abc'))\n"
	"  add(pcall(string.find, 'abc', {}))\n"
	"  add(pcall(string.match, 'abc', 'b', 'x'))\n"
	"  add(pcall(string.gmatch, 'abc'))\n"
	"  add(pcall(string.find, 12.5, 2.5))\n"
	"  add(pcall(string.find, 'abc', 'b', math.maxinteger))\n"
	"  add(pcall(string.find, 'abc', 'b', math.mininteger))\n"
	"  add(pcall(string.find, 'abc', '', 4))\n"
	"  add(pcall(string.find, 'abc', '', 5))\n"
	"  add(pcall(string.find, 'abc', '', 4, true))\n"
	"  add(pcall(string.match, 'abc', '()', 4))\n"
	"  add(pcall(string.find, ('a'):rep(250), ('a?'):rep(250)))\n"
	"  add(pcall(string.find, 'x', ('('):rep(40)))\n"
	"  add(pcall(string.find, 'x', ('()'):rep(32)))\n"
	"  add(pcall(string.find, ('x'):rep(40), ('(x)'):rep(33)))\n"
	"  add(pcall(string.gsub, 'hello world', '(o)', '%1%1', 1))\n"
	"  add(pcall(string.gsub, 'abc', '%w', '%0%0'))\n"
	"  add(pcall(string.gsub, 'abc', '', '-'))\n"
	"  add(pcall(string.gsub, 'abc', '()', '%1'))\n"
	"  add(pcall(string.gsub, 'abc', '.', { a = 1, b = true }))\n"
	"  local it = string.gmatch('a1b2c3', '%a(%d)')\n"
	"  add(it(), it(), it(), it())\n"
	"  local s = ''\n"
	"  for k, v in string.gmatch('k=v, a=b', '(%w+)=(%w+)') do\n"
	"    s = s .. k .. v\n"
	"  end\n"
	"  add(s, ('x'):find('x'), ('a.b'):find('.', 1, true))\n"
	"  add(pcall(string.gsub, 'a\\0b', '%z', 'Z'))\n"
	"  add(pcall(string.find, 'a\\0b', '[\\0]'))\n"
	"  add(pcall(string.find, 'a\\0b', '\\0', 1, true))\n"
	"  add(pcall(string.find, 'THE (quick) fox', '%f[%a]%a+%f[%A]', 5))\n"
	"  return table.concat(t, '\\n')\n"
	"end\n";

static lua_State *new_state(int ours)
{
	lua_State *L = luaL_newstate();
	ck_assert_ptr_nonnull(L);
	luaL_openlibs(L);
	if (ours) {
		lua_getglobal(L, "string");
		rs_luapat_open(L);
		lua_pop(L, 1);
	}
	if (luaL_dostring(L, DRIVER) != LUA_OK)
		ck_abort_msg("driver: %s", lua_tostring(L, -1));
	return L;
}

/* Calls case(s, p, init) (or extras() when p is NULL); the result is
 * copied, caller frees. */
static char *run_case(lua_State *L, const char *s, size_t ls, const char *p,
                      size_t lp, lua_Integer init)
{
	if (p == NULL) {
		lua_getglobal(L, "extras");
		lua_call(L, 0, 1);
	} else {
		lua_getglobal(L, "case");
		lua_pushlstring(L, s, ls);
		lua_pushlstring(L, p, lp);
		lua_pushinteger(L, init);
		lua_call(L, 3, 1);
	}
	char *out = strdup(lua_tostring(L, -1));
	lua_pop(L, 1);
	return out;
}

/* s as a C-escaped string in a static buffer (for failure messages). */
static const char *shown(const char *s, size_t n, int which)
{
	static char bufs[2][512];
	char *b = bufs[which];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 5 < sizeof bufs[0]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 32 || c > 126 || c == '\\')
			k += (size_t)snprintf(b + k, 5, "\\%o", c);
		else
			b[k++] = (char)c;
	}
	b[k] = '\0';
	return b;
}

typedef struct diff_ctx {
	lua_State *stock, *ours;
	long cases;
} diff_ctx;

static void check_case(diff_ctx *d, const char *s, size_t ls, const char *p,
                       size_t lp, lua_Integer init)
{
	char *want = run_case(d->stock, s, ls, p, lp, init);
	char *got = run_case(d->ours, s, ls, p, lp, init);
	d->cases++;
	if (strcmp(want, got) != 0)
		ck_abort_msg("pattern \"%s\" subject \"%s\" init %lld:\n"
		             "stock:\n%s\nours:\n%s", shown(p, lp, 0),
		             shown(s, ls, 1), (long long)init, want, got);
	free(want);
	free(got);
}

static void check_str(diff_ctx *d, const char *s, const char *p,
                      lua_Integer init)
{
	check_case(d, s, strlen(s), p, strlen(p), init);
}

static const char *const hand_patterns[] = {
	"", "^", "$", "^$", "a", "^a", "a$", "^a$", "$a", "a$b", "^^a", "a^",
	".", ".*", ".-", ".+", ".?", "a*", "a-", "a+", "a?", "a*b", "a-b",
	"(a*)", "(a-)", "(a+)(b)", "()", "()a()", "(()a)", "((a)(b))",
	"(a)%1", "(a*)%1", "%1", "(a%1)", "()%1", "(a)%2", "%0", "(a)%0",
	"%", "a%", "[", "[a", "[^", "[]", "[]]", "[^]]", "[^]", "[a-]",
	"[-a]", "[a-c]+", "[c-a]", "[%a]", "[%]", "[%]]", "[%a-z]", "[a%-z]",
	"[%w_]+", "[^%s]+", "%a+", "%A+", "%c", "%d+", "%D", "%g", "%l+",
	"%L", "%p", "%P+", "%s*", "%S+", "%u", "%U", "%w+", "%W", "%x+",
	"%X", "%z", "%Z", "%.", "%%", "%-", "%]", "%b()", "%b(", "%b",
	"%bab", "%baa", "%b((", "%b)(", "%f[%w]%w+", "%f[%W]", "%f[a]",
	"%f", "%fa", "%f[", "%f[^a]", "%f[%z]", "%f[\\0]", "(", ")", "a)",
	"(a", "((a)", "(a))", "(()", "a(b", "%", "a-?", "a**", "a+?",
	"*", "+a", "?", "-", "a.-b", "^(.-)$", "(.-)%s*$", "^%s*(.-)%s*$",
	"(%w+)=(%w+)", "%((.-)%)", "[%(%)]", "(h)(e)(l)(l)(o)", ".-$",
	"[a-", "[a-%", "[a%", "[%", "[^%a%d]", "x*$", "()$", "^()",
};

static const char *const hand_subjects[] = {
	"", "a", "b", "aaa", "ab", "aab", "abab", "ba", "(a)", "((a)b)c)",
	"hello world", "  trim me  ", "key=val, k2=v2", "a-b-c", "AbC123_!",
	"x(y(z))w", "%a%", "a]b", "\tline\n", "abcabc", "$^", "a.b",
};

START_TEST(test_results_and_errors_match_stock_lua)
{
	diff_ctx d = { new_state(0), new_state(1), 0 };
	static const lua_Integer inits[] = { 1, 2, -1, -3, 0, 4, 100, -100 };
	size_t np = sizeof hand_patterns / sizeof *hand_patterns;
	size_t ns = sizeof hand_subjects / sizeof *hand_subjects;
	for (size_t i = 0; i < np; i++)
		for (size_t j = 0; j < ns; j++)
			check_str(&d, hand_subjects[j], hand_patterns[i],
			          inits[(i + j) % 8]);
	check_case(&d, "a\0b\0", 4, "%z", 2, 1);
	check_case(&d, "a\0b\0", 4, "[\0]", 3, 1);
	check_case(&d, "a\0b\0", 4, "\0b", 2, 1);
	check_case(&d, "a\0b\0", 4, "%f[\0]", 5, 1);
	check_case(&d, "a\0b\0", 4, "%f[%z]", 6, 1);
	check_case(&d, "a\0b\0", 4, "(\0)%1", 5, 1);
	check_case(&d, "", 0, "", 0, 1);
	check_case(&d, "x", 1, NULL, 0, 1);
	fprintf(stderr, "luapat: %ld hand-written differential cases\n",
	        d.cases);
	lua_close(d.stock);
	lua_close(d.ours);
}
END_TEST

/* Pieces that random patterns are made of, malformed ones included. */
static const char *const pieces[] = {
	"a", "b", "%a", "%d", ".", "[ab]", "[^a]", "(", ")", "()", "*", "+",
	"-", "?", "^", "$", "%b()", "%f[%w]", "%1", "%2", "%", "[", "]",
	"[a-c]", "%z", "%W", "%s", "%S", "[%a-]", "[]", "[^]", "%b", "%f",
	"%0", "%.", "(", ")", "a", "b", "*", "-", "ab", "%b(", "[%d]",
};

/* Well-formed pieces, so that more generated patterns match. */
static const char *const tame_pieces[] = {
	"a", "b", ".", "%a", "%d", "[ab]", "[^a]", "a*", "b-", "a+", ".?",
	"%a*", "[ab]+", ".-", "(a)", "(.-)", "(a*)", "()", "%b()", "%f[%w]",
	"%f[%a]", "%f[%A]", "(%d+)", "%s*", "(b)%1", "1", "(", ")",
};

static uint64_t rnd_state;

static uint32_t rnd(uint32_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)((rnd_state >> 11) % n);
}

/* Appends `items` pieces drawn from set to the pattern p of length lp;
 * returns the new length. */
static size_t add_pieces(char *p, size_t lp, const char *const *set,
                         size_t nset, uint32_t items)
{
	for (uint32_t k = 0; k < items; k++) {
		const char *piece = set[rnd((uint32_t)nset)];
		size_t n = strlen(piece);
		memcpy(p + lp, piece, n);
		lp += n;
	}
	return lp;
}

START_TEST(test_generated_patterns_match_stock_lua)
{
	diff_ctx d = { new_state(0), new_state(1), 0 };
	static const char alphabet[] = "aab()1 Z.-%]";
	size_t npieces = sizeof pieces / sizeof *pieces;
	rnd_state = 0x9e3779b97f4a7c15u;
	for (int i = 0; i < 6000; i++) {
		char p[128], s[32];
		size_t lp = 0, ls = 0;
		lp = add_pieces(p, lp, pieces, npieces, 1 + rnd(8));
		uint32_t len = rnd(14);
		for (uint32_t k = 0; k < len; k++)
			s[ls++] = rnd(40) == 0 ? '\0'
			          : alphabet[rnd(sizeof alphabet - 1)];
		lua_Integer init = (lua_Integer)rnd(20) - 8;
		check_case(&d, s, ls, p, lp, init);
	}
	size_t ntame = sizeof tame_pieces / sizeof *tame_pieces;
	for (int i = 0; i < 4000; i++) {
		char p[128], s[32];
		size_t lp = 0, ls = 0;
		if (rnd(4) == 0)
			p[lp++] = '^';
		lp = add_pieces(p, lp, tame_pieces, ntame, 1 + rnd(6));
		if (rnd(4) == 0)
			p[lp++] = '$';
		uint32_t len = rnd(16);
		for (uint32_t k = 0; k < len; k++)
			s[ls++] = alphabet[rnd(sizeof alphabet - 1)];
		check_case(&d, s, ls, p, lp, (lua_Integer)rnd(12) - 4);
	}
	fprintf(stderr, "luapat: %ld generated differential cases\n", d.cases);
	lua_close(d.stock);
	lua_close(d.ours);
}
END_TEST

/* A simulation with one peer that runs src; returns the transcript. */
static char *run_script(const char *src)
{
	rs_sim sim;
	rs_sim_init(&sim, 7);
	rs_vm *vm = rs_vm_new(&sim, 0, "server", NULL);
	ck_assert_ptr_nonnull(vm);
	rs_vm_start_script(vm, "Script", src, strlen(src));
	rs_sim_run(&sim);
	size_t cap = 1, n = 0;
	for (size_t i = 0; i < sim.trace.len; i++)
		cap += strlen(sim.trace.entries[i].text) + 2;
	char *out = malloc(cap);
	out[0] = '\0';
	for (size_t i = 0; i < sim.trace.len; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s\n",
		                      sim.trace.entries[i].text);
	rs_vm_free(vm);
	rs_sim_free(&sim);
	return out;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(test_hostile_pattern_is_stopped_and_the_vm_goes_on)
{
	double t0 = now_s();
	char *out = run_script(
		"local s, p = ('a'):rep(40), ('a?'):rep(40) .. ('a'):rep(40)\n"
		"print(pcall(string.find, s, p))\n"
		"print(pcall(function() return s:match(p) end))\n"
		"print(pcall(string.gsub, s, p, 'x'))\n"
		"print(pcall(function() for _ in s:gmatch(p) do end end))\n"
		"-- find and gsub give one value each here: not last in the list\n"
		"print(('hello world'):find('o w'), ('k=v'):match('(%w)=(%w)'))\n"
		"print(string.gsub('a,b', ',', ';'), string.split('a,b')[2])\n");
	double took = now_s() - t0;
	/* 10000000 steps and 16 for each of the 40 subject bytes */
	const char *want = "pattern too complex (over 10000640 steps)";
	const char *at = out;
	for (int i = 0; i < 4; i++) {
		at = strstr(at, want);
		ck_assert_msg(at != NULL, "call %d not stopped:\n%s", i, out);
		at++;
	}
	ck_assert_msg(strstr(out, "5 k v\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "a;b b\n") != NULL, "%s", out);
	ck_assert_msg(took < 20.0, "took %.1f s", took);
	free(out);
}
END_TEST

START_TEST(test_deep_recursion_is_refused)
{
	char *out = run_script(
		"local s = ('a'):rep(100000)\n"
		"print(pcall(string.find, s, ('a?'):rep(5000)))\n"
		"print(pcall(string.match, s, ('(a?)'):rep(30) .. ('a?'):rep(500)))\n"
		"print(pcall(string.find, s, ('a-'):rep(3000) .. 'b'))\n"
		"print(#s:match('a*'), s:find('b'))\n");
	ck_assert_msg(strstr(out, "false pattern too complex\n") != NULL,
	              "%s", out);
	ck_assert_msg(strstr(out, "100000 nil\n") != NULL, "%s", out);
	free(out);
}
END_TEST

static Suite *luapat_suite(void)
{
	Suite *s = suite_create("luapat");
	TCase *tc = tcase_create("stock behaviour");
	tcase_add_test(tc, test_results_and_errors_match_stock_lua);
	tcase_add_test(tc, test_generated_patterns_match_stock_lua);
	tcase_set_timeout(tc, 100);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_hostile_pattern_is_stopped_and_the_vm_goes_on);
	tcase_add_test(tc, test_deep_recursion_is_refused);
	tcase_set_timeout(tc, 100);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(luapat_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
