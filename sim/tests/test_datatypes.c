/*
 * test_datatypes -- unit tests of the Roblox datatypes (suite "datatypes").
 *
 * Most checks are short Lua chunks run in a plain Lua state with only the
 * standard libraries and rs_datatypes_open: what a script sees is the
 * contract, so the tests speak the scripts' language.  The C API
 * (rs_datatype_get/push, rs_typeof) is tested directly at the end.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "rsim/core.h"
#include "rsim/datatypes.h"

static lua_State *L;

static lua_State *new_state(void)
{
	lua_State *s = luaL_newstate();
	ck_assert_ptr_nonnull(s);
	luaL_openlibs(s);
	rs_datatypes_open(s);
	return s;
}

static void setup(void) { L = new_state(); }

static void teardown(void)
{
	lua_close(L);
	L = NULL;
}

/* Runs a chunk that must succeed (its asserts are the test). */
static void ok(const char *code)
{
	int rc = luaL_dostring(L, code);
	ck_assert_msg(rc == LUA_OK, "chunk failed: %s\n--- %s",
	              lua_tostring(L, -1), code);
	lua_settop(L, 0);
}

/* Evaluates an expression and compares its text, with numbers printed the
 * way the peer VMs print them (rs_fmtnum: "5", not Lua's "5.0"). */
static void str_is(const char *expr, const char *want)
{
	char code[1024], num[RS_NUMBUF];
	const char *got;
	snprintf(code, sizeof code, "return %s", expr);
	ck_assert_msg(luaL_dostring(L, code) == LUA_OK, "%s: %s", expr,
	              lua_tostring(L, -1));
	if (lua_type(L, -1) == LUA_TNUMBER) {
		rs_fmtnum(lua_tonumber(L, -1), num);
		got = num;
	} else {
		got = luaL_tolstring(L, -1, NULL);
	}
	ck_assert_msg(strcmp(got, want) == 0, "%s gave \"%s\", want \"%s\"",
	              expr, got, want);
	lua_settop(L, 0);
}

/* Runs a chunk that must fail with a message containing `want`. */
static void err_has(const char *code, const char *want)
{
	int rc = luaL_dostring(L, code);
	ck_assert_msg(rc != LUA_OK, "chunk should fail: %s", code);
	ck_assert_msg(strstr(lua_tostring(L, -1), want) != NULL,
	              "error \"%s\" lacks \"%s\"", lua_tostring(L, -1), want);
	lua_settop(L, 0);
}

/* ---- Vector3 ---- */

START_TEST(test_vector3_constructs_with_missing_components_zero)
{
	str_is("Vector3.new(1, 2, 3)", "1, 2, 3");
	str_is("Vector3.new()", "0, 0, 0");
	str_is("Vector3.new(1)", "1, 0, 0");
	str_is("Vector3.new(0.5, -2.25, 1e20)", "0.5, -2.25, 1e+20");
	str_is("Vector3.zero", "0, 0, 0");
	str_is("Vector3.one", "1, 1, 1");
	str_is("Vector3.xAxis", "1, 0, 0");
	str_is("Vector3.yAxis", "0, 1, 0");
	str_is("Vector3.zAxis", "0, 0, 1");
	str_is("typeof(Vector3.new())", "Vector3");
	str_is("Vector3.FromNormalId(Enum.NormalId.Front)", "0, 0, -1");
	str_is("Vector3.FromNormalId('Top')", "0, 1, 0");
	str_is("Vector3.FromAxis(Enum.Axis.Z)", "0, 0, 1");
	err_has("Vector3.new('x')", "number expected, got string");
}
END_TEST

START_TEST(test_vector3_fields_and_unit)
{
	ok("local v = Vector3.new(3, 4, 12)\n"
	   "assert(v.X == 3 and v.Y == 4 and v.Z == 12)\n"
	   "assert(v.Magnitude == 13)\n"
	   "local u = v.Unit\n"
	   "assert(math.abs(u.Magnitude - 1) < 1e-12)\n"
	   "assert(math.abs(u.X - 3/13) < 1e-12)\n"
	   "assert(Vector3.zero.Unit.X ~= Vector3.zero.Unit.X) -- NaN\n");
	err_has("return Vector3.new().Foo", "Foo is not a valid member of Vector3");
	err_has("return Vector3.new().x", "x is not a valid member of Vector3");
}
END_TEST

START_TEST(test_vector3_arithmetic)
{
	str_is("Vector3.new(1, 2, 3) + Vector3.new(10, 20, 30)", "11, 22, 33");
	str_is("Vector3.new(1, 2, 3) - Vector3.new(1, 1, 1)", "0, 1, 2");
	str_is("Vector3.new(1, 2, 3) * 2", "2, 4, 6");
	str_is("2 * Vector3.new(1, 2, 3)", "2, 4, 6");
	str_is("Vector3.new(1, 2, 3) * Vector3.new(2, 3, 4)", "2, 6, 12");
	str_is("Vector3.new(2, 4, 6) / 2", "1, 2, 3");
	str_is("Vector3.new(2, 4, 6) / Vector3.new(2, 4, 3)", "1, 1, 2");
	str_is("Vector3.new(7, 8, -1) // 2", "3, 4, -1");
	str_is("-Vector3.new(1, -2, 3)", "-1, 2, -3");
	err_has("return Vector3.new() + 1",
	        "invalid argument #2 (Vector3 expected, got number)");
	err_has("return Vector3.new() + Vector2.new()",
	        "invalid argument #2 (Vector3 expected, got Vector2)");
	err_has("return 'a' * Vector3.new()",
	        "invalid argument #1 (Vector3 expected, got string)");
}
END_TEST

START_TEST(test_vector3_methods)
{
	ok("local a, b = Vector3.new(1, 0, 0), Vector3.new(0, 1, 0)\n"
	   "assert(a:Dot(b) == 0 and a:Dot(a) == 1)\n"
	   "assert(a:Cross(b) == Vector3.new(0, 0, 1))\n"
	   "assert(a:Lerp(b, 0.5) == Vector3.new(0.5, 0.5, 0))\n"
	   "assert(Vector3.new(-1, 2, -3):Abs() == Vector3.new(1, 2, 3))\n"
	   "assert(Vector3.new(1.5, -1.5, 2):Floor() == Vector3.new(1, -2, 2))\n"
	   "assert(Vector3.new(1.5, -1.5, 2):Ceil() == Vector3.new(2, -1, 2))\n"
	   "assert(Vector3.new(-4, 0, 9):Sign() == Vector3.new(-1, 0, 1))\n"
	   "assert(Vector3.new(1, 5, 3):Min(Vector3.new(2, 2, 2), Vector3.new(3, 3, 0))"
	   " == Vector3.new(1, 2, 0))\n"
	   "assert(Vector3.new(1, 5, 3):Max(Vector3.new(2, 2, 2)) == Vector3.new(2, 5, 3))\n"
	   "assert(a:FuzzyEq(Vector3.new(1 + 1e-7, 0, 0)))\n"
	   "assert(not a:FuzzyEq(Vector3.new(1.1, 0, 0)))\n"
	   "assert(a:FuzzyEq(Vector3.new(1.1, 0, 0), 0.2))\n"
	   "assert(math.abs(a:Angle(b) - math.pi / 2) < 1e-12)\n"
	   "assert(math.abs(a:Angle(b, Vector3.zAxis) - math.pi / 2) < 1e-12)\n"
	   "assert(math.abs(b:Angle(a, Vector3.zAxis) + math.pi / 2) < 1e-12)\n");
	err_has("return Vector3.new():Dot(5)", "Vector3 expected, got number");
}
END_TEST

START_TEST(test_vector3_equality_and_immutability)
{
	ok("local a, b = Vector3.new(1, 2, 3), Vector3.new(1, 2, 3)\n"
	   "assert(a == b and rawequal(a, b) == false)\n"
	   "assert(a ~= Vector3.new(1, 2, 4))\n"
	   "assert(Vector3.new(1, 2, 0) ~= Vector2.new(1, 2))\n"
	   "assert(Vector3.new() ~= 0)\n"
	   "assert(getmetatable(a) == 'The metatable is locked')\n");
	err_has("local v = Vector3.new() v.X = 5", "X cannot be assigned to");
	err_has("local v = Vector3.new() v.Foo = 5",
	        "Foo is not a valid member of Vector3");
	err_has("setmetatable(Vector3.new(), {})", "table expected");
}
END_TEST

/* ---- Vector2 ---- */

START_TEST(test_vector2_behaves_like_a_2d_vector3)
{
	str_is("Vector2.new(1, 2)", "1, 2");
	str_is("Vector2.new()", "0, 0");
	str_is("Vector2.zero", "0, 0");
	str_is("Vector2.one", "1, 1");
	str_is("typeof(Vector2.one)", "Vector2");
	str_is("Vector2.new(1, 2) + Vector2.new(3, 4)", "4, 6");
	str_is("Vector2.new(1, 2) - Vector2.new(3, 4)", "-2, -2");
	str_is("Vector2.new(1, 2) * 3", "3, 6");
	str_is("Vector2.new(3, 6) / 3", "1, 2");
	str_is("-Vector2.new(1, 2)", "-1, -2");
	str_is("Vector2.new(3, 4).Magnitude", "5");
	str_is("Vector2.new(3, 4).Unit", "0.6, 0.8");
	str_is("Vector2.new(1, 0):Cross(Vector2.new(0, 1))", "1");
	str_is("Vector2.new(1, 2):Dot(Vector2.new(3, 4))", "11");
	str_is("Vector2.new(0, 0):Lerp(Vector2.new(10, 20), 0.25)", "2.5, 5");
	ok("assert(Vector2.new(1, 2) == Vector2.new(1, 2))\n"
	   "local a, b = Vector2.xAxis, Vector2.yAxis\n"
	   "assert(math.abs(b:Angle(a, true) + math.pi / 2) < 1e-12)\n"
	   "assert(math.abs(b:Angle(a) - math.pi / 2) < 1e-12)\n");
	err_has("return Vector2.new().Z", "Z is not a valid member of Vector2");
	err_has("local v = Vector2.new() v.Y = 1", "Y cannot be assigned to");
}
END_TEST

/* ---- Color3 ---- */

START_TEST(test_color3_constructors)
{
	str_is("Color3.new(1, 0, 0)", "1, 0, 0");
	str_is("Color3.new()", "0, 0, 0");
	str_is("Color3.fromRGB(255, 0, 51)", "1, 0, 0.2");
	str_is("Color3.fromHex('#FF0000')", "1, 0, 0");
	str_is("Color3.fromHex('00ff00')", "0, 1, 0");
	str_is("Color3.fromHex('#00f')", "0, 0, 1");
	str_is("Color3.fromHSV(0, 1, 1)", "1, 0, 0");
	str_is("Color3.fromHSV(1/3, 1, 1)", "0, 1, 0");
	str_is("typeof(Color3.new())", "Color3");
	ok("local c = Color3.new(0.25, 0.5, 0.75)\n"
	   "assert(c.R == 0.25 and c.G == 0.5 and c.B == 0.75)\n"
	   "assert(c == Color3.new(0.25, 0.5, 0.75))\n"
	   "assert(c:Lerp(Color3.new(0.75, 0.5, 0.25), 0.5) == Color3.new(0.5, 0.5, 0.5))\n");
	err_has("Color3.fromHex('#GG0000')", "Unable to convert characters to hex value");
	err_has("Color3.fromHex('1234')", "Unable to convert characters to hex value");
	err_has("local c = Color3.new() c.R = 1", "R cannot be assigned to");
	err_has("return Color3.new().X", "X is not a valid member of Color3");
}
END_TEST

START_TEST(test_color3_tohex_is_lowercase_and_rounded)
{
	str_is("Color3.new(1, 0, 0):ToHex()", "ff0000");
	str_is("Color3.fromRGB(18, 52, 171):ToHex()", "1234ab");
	str_is("Color3.new(0.5, 0.5, 0.5):ToHex()", "808080");
	str_is("Color3.new(0.9999, 0.001, 0):ToHex()", "ff0000");
	str_is("Color3.new(2, -1, 0/0):ToHex()", "ff0000");
	str_is("Color3.fromHex(Color3.fromRGB(1, 2, 3):ToHex()) == Color3.fromRGB(1, 2, 3)",
	       "true");
}
END_TEST

START_TEST(test_color3_hsv_round_trip)
{
	ok("for _, c in ipairs({ {0.2, 0.4, 0.6}, {1, 0.5, 0}, {0.1, 0.9, 0.3},"
	   " {0.7, 0.2, 0.9}, {0.5, 0.5, 0.5}, {0, 0, 0} }) do\n"
	   "  local col = Color3.new(c[1], c[2], c[3])\n"
	   "  local h, s, v = col:ToHSV()\n"
	   "  local back = Color3.fromHSV(h, s, v)\n"
	   "  assert(math.abs(back.R - col.R) < 1e-12, tostring(col))\n"
	   "  assert(math.abs(back.G - col.G) < 1e-12, tostring(col))\n"
	   "  assert(math.abs(back.B - col.B) < 1e-12, tostring(col))\n"
	   "end\n"
	   "local h, s, v = Color3.new(0, 0, 1):ToHSV()\n"
	   "assert(math.abs(h - 2/3) < 1e-12 and s == 1 and v == 1)\n");
}
END_TEST

/* ---- CFrame ---- */

START_TEST(test_cframe_constructors)
{
	str_is("CFrame.new()", "0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1");
	str_is("CFrame.identity", "0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1");
	str_is("CFrame.new(1, 2, 3)", "1, 2, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1");
	str_is("CFrame.new(Vector3.new(1, 2, 3))", "1, 2, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1");
	str_is("CFrame.new(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)",
	       "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12");
	str_is("CFrame.new(1, 2, 3, 0, 0, 0, 1)", "1, 2, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1");
	str_is("typeof(CFrame.new())", "CFrame");
	ok("local c = CFrame.new(1, 2, 3)\n"
	   "assert(c.Position == Vector3.new(1, 2, 3) and c.p == c.Position)\n"
	   "assert(c.X == 1 and c.Y == 2 and c.Z == 3)\n"
	   "assert(c.LookVector == Vector3.new(0, 0, -1))\n"
	   "assert(c.RightVector == Vector3.new(1, 0, 0))\n"
	   "assert(c.UpVector == Vector3.new(0, 1, 0))\n"
	   "assert(c.ZVector == Vector3.new(0, 0, 1))\n"
	   "assert(c.Rotation == CFrame.new())\n"
	   "local t = {c:GetComponents()}\n"
	   "assert(#t == 12 and t[1] == 1 and t[4] == 1 and t[12] == 1)\n");
	err_has("CFrame.new(1, 2, 3, 4)", "Invalid number of arguments: 4");
	err_has("CFrame.new('a')", "Vector3 expected, got string");
	err_has("local c = CFrame.new() c.Position = Vector3.new()",
	        "Position cannot be assigned to");
}
END_TEST

START_TEST(test_cframe_compose_inverse_round_trip)
{
	ok("local function near(a, b)\n"
	   "  local x, y = {a:GetComponents()}, {b:GetComponents()}\n"
	   "  for i = 1, 12 do if math.abs(x[i] - y[i]) > 1e-9 then return false end end\n"
	   "  return true\n"
	   "end\n"
	   "local a = CFrame.new(1, 2, 3) * CFrame.Angles(0.3, -1.1, 2.0)\n"
	   "local b = CFrame.new(-4, 5, 0.5) * CFrame.fromOrientation(1.2, 0.4, -0.7)\n"
	   "assert(near(a * a:Inverse(), CFrame.new()))\n"
	   "assert(near(a:Inverse() * a, CFrame.new()))\n"
	   "assert(near(a:Inverse():Inverse(), a))\n"
	   "assert(near((a * b):Inverse(), b:Inverse() * a:Inverse()))\n"
	   "assert(near(a:ToObjectSpace(a * b), b))\n"
	   "assert(near(a:ToWorldSpace(b), a * b))\n"
	   "local p = Vector3.new(7, -8, 9)\n"
	   "assert((a:PointToObjectSpace(a * p) - p).Magnitude < 1e-9)\n"
	   "assert((a:PointToWorldSpace(p) - a * p).Magnitude < 1e-12)\n"
	   "local w = a:VectorToWorldSpace(p)\n"
	   "assert((a:VectorToObjectSpace(w) - p).Magnitude < 1e-9)\n"
	   "assert(math.abs(w.Magnitude - p.Magnitude) < 1e-9)\n"
	   "local x, y = a:ToWorldSpace(b, a)\n"
	   "assert(near(x, a * b) and near(y, a * a))\n");
}
END_TEST

START_TEST(test_cframe_rotation_conventions)
{
	ok("local c = CFrame.Angles(0, math.pi / 2, 0)\n"
	   "assert((c.LookVector - Vector3.new(-1, 0, 0)).Magnitude < 1e-12)\n"
	   "assert((c * Vector3.new(0, 0, -1) - Vector3.new(-1, 0, 0)).Magnitude < 1e-12)\n"
	   "local rx, ry, rz = CFrame.Angles(0.1, 0.2, 0.3):ToEulerAnglesXYZ()\n"
	   "assert(math.abs(rx - 0.1) < 1e-12 and math.abs(ry - 0.2) < 1e-12"
	   " and math.abs(rz - 0.3) < 1e-12)\n"
	   "rx, ry, rz = CFrame.fromOrientation(0.4, -0.5, 0.6):ToOrientation()\n"
	   "assert(math.abs(rx - 0.4) < 1e-12 and math.abs(ry + 0.5) < 1e-12"
	   " and math.abs(rz - 0.6) < 1e-12)\n"
	   "assert(CFrame.fromEulerAnglesXYZ(0.1, 0.2, 0.3) == CFrame.Angles(0.1, 0.2, 0.3))\n"
	   "local axis, angle = CFrame.fromAxisAngle(Vector3.new(0, 2, 0), 0.5):ToAxisAngle()\n"
	   "assert((axis - Vector3.yAxis).Magnitude < 1e-12 and math.abs(angle - 0.5) < 1e-12)\n"
	   "assert(CFrame.fromAxisAngle(Vector3.yAxis, 0.7):FuzzyEq(CFrame.Angles(0, 0.7, 0), 1e-12))\n");
}
END_TEST

START_TEST(test_cframe_lookat)
{
	ok("local eye, target = Vector3.new(1, 2, 3), Vector3.new(4, 6, 3)\n"
	   "local c = CFrame.lookAt(eye, target)\n"
	   "assert(c.Position == eye)\n"
	   "assert((c.LookVector - (target - eye).Unit).Magnitude < 1e-12)\n"
	   "assert(math.abs(c.RightVector:Dot(c.UpVector)) < 1e-12)\n"
	   "assert(math.abs(c.RightVector.Y) < 1e-12) -- no roll\n"
	   "assert(c.UpVector.Y > 0)\n"
	   "assert(CFrame.new(eye, target) == c)\n"
	   "local down = CFrame.lookAt(Vector3.zero, Vector3.new(0, -5, 0))\n"
	   "assert((down.LookVector - Vector3.new(0, -1, 0)).Magnitude < 1e-12)\n"
	   "assert(math.abs(down.RightVector.Magnitude - 1) < 1e-12)\n"
	   "local same = CFrame.lookAt(eye, eye)\n"
	   "assert(same == CFrame.new(eye))\n"
	   "local tilted = CFrame.lookAt(Vector3.zero, Vector3.xAxis, Vector3.zAxis)\n"
	   "assert((tilted.UpVector - Vector3.zAxis).Magnitude < 1e-12)\n");
}
END_TEST

START_TEST(test_cframe_arithmetic_and_lerp)
{
	str_is("CFrame.new(1, 2, 3) + Vector3.new(1, 1, 1)",
	       "2, 3, 4, 1, 0, 0, 0, 1, 0, 0, 0, 1");
	str_is("CFrame.new(1, 2, 3) - Vector3.new(1, 1, 1)",
	       "0, 1, 2, 1, 0, 0, 0, 1, 0, 0, 0, 1");
	str_is("CFrame.new(1, 2, 3) * CFrame.new(1, 1, 1)",
	       "2, 3, 4, 1, 0, 0, 0, 1, 0, 0, 0, 1");
	str_is("CFrame.new(1, 2, 3) * Vector3.new(1, 1, 1)", "2, 3, 4");
	ok("local a, b = CFrame.new(0, 0, 0), CFrame.new(10, 0, 0) * CFrame.Angles(0, 1, 0)\n"
	   "local m = a:Lerp(b, 0.5)\n"
	   "assert(m.Position == Vector3.new(5, 0, 0))\n"
	   "local _, ry = m:ToEulerAnglesXYZ()\n"
	   "assert(math.abs(ry - 0.5) < 1e-12)\n"
	   "assert(a:Lerp(b, 0) == a)\n"
	   "assert(a:Lerp(b, 1):FuzzyEq(b, 1e-12))\n");
	err_has("return CFrame.new() + 1", "invalid argument #2 (Vector3 expected, got number)");
	err_has("return 2 * CFrame.new()", "invalid argument #1 (CFrame expected, got number)");
	err_has("return Vector3.new() * CFrame.new()", "Vector3 expected, got CFrame");
}
END_TEST

/* ---- UDim and UDim2 ---- */

START_TEST(test_udim_and_udim2)
{
	str_is("UDim.new(0.5, 10)", "0.5, 10");
	str_is("UDim.new()", "0, 0");
	str_is("UDim.new(0.5, 10) + UDim.new(0.25, 5)", "0.75, 15");
	str_is("UDim.new(0.5, 10) - UDim.new(0.25, 5)", "0.25, 5");
	str_is("-UDim.new(0.5, 10)", "-0.5, -10");
	str_is("UDim2.new(0.5, 10, 0, 20)", "{0.5, 10}, {0, 20}");
	str_is("UDim2.new(UDim.new(1, 2), UDim.new(3, 4))", "{1, 2}, {3, 4}");
	str_is("UDim2.fromScale(0.5, 1)", "{0.5, 0}, {1, 0}");
	str_is("UDim2.fromOffset(10, 20)", "{0, 10}, {0, 20}");
	str_is("UDim2.new(1, 2, 3, 4) + UDim2.new(1, 1, 1, 1)", "{2, 3}, {4, 5}");
	str_is("UDim2.new(1, 2, 3, 4) - UDim2.new(1, 1, 1, 1)", "{0, 1}, {2, 3}");
	str_is("UDim2.new(0, 0, 0, 0):Lerp(UDim2.new(1, 10, 2, 20), 0.5)",
	       "{0.5, 5}, {1, 10}");
	str_is("typeof(UDim.new())", "UDim");
	str_is("typeof(UDim2.new())", "UDim2");
	ok("local u = UDim2.new(0.5, 10, 0.25, 20)\n"
	   "assert(u.X == UDim.new(0.5, 10) and u.Y == UDim.new(0.25, 20))\n"
	   "assert(u.Width == u.X and u.Height == u.Y)\n"
	   "assert(u.X.Scale == 0.5 and u.X.Offset == 10)\n"
	   "assert(u == UDim2.new(0.5, 10, 0.25, 20))\n");
	err_has("return UDim.new() + UDim2.new()", "UDim expected, got UDim2");
	err_has("return UDim.new() * 2", "attempt to perform arithmetic");
	err_has("local u = UDim2.new() u.X = UDim.new()", "X cannot be assigned to");
}
END_TEST

/* ---- BrickColor ---- */

START_TEST(test_brickcolor)
{
	str_is("BrickColor.new('Bright red')", "Bright red");
	str_is("BrickColor.new('Bright red').Number", "21");
	str_is("BrickColor.new(194)", "Medium stone grey");
	str_is("BrickColor.new(1003).Name", "Really black");
	str_is("BrickColor.new('Really red').Color", "1, 0, 0");
	str_is("BrickColor.new(1020).Color:ToHex()", "00ff00");
	str_is("BrickColor.new('no such colour')", "Medium stone grey");
	str_is("BrickColor.new(424242)", "Medium stone grey");
	str_is("BrickColor.new(Color3.new(1, 0, 0))", "Really red");
	str_is("BrickColor.new(0, 0, 1)", "Really blue");
	str_is("BrickColor.Red()", "Bright red");
	str_is("BrickColor.White()", "White");
	str_is("BrickColor.Black()", "Black");
	str_is("BrickColor.Blue().Number", "23");
	str_is("BrickColor.new('Lilac').Number", "219");
	str_is("BrickColor.new(1009).r", "1");
	str_is("BrickColor.new(1009).b", "0");
	str_is("typeof(BrickColor.new(1))", "BrickColor");
	ok("assert(BrickColor.new(21) == BrickColor.new('Bright red'))\n"
	   "assert(BrickColor.new(21) ~= BrickColor.new(23))\n"
	   "for _, n in ipairs({1, 21, 23, 24, 37, 194, 1001, 1003, 1004, 1009, 1010, 1020}) do\n"
	   "  local b = BrickColor.new(n)\n"
	   "  assert(b.Number == n and BrickColor.new(b.Name) == b, n)\n"
	   "end\n");
	err_has("local b = BrickColor.new(1) b.Name = 'x'", "Name cannot be assigned to");
}
END_TEST

/* ---- NumberRange ---- */

START_TEST(test_numberrange)
{
	str_is("NumberRange.new(1, 5)", "1 5");
	str_is("NumberRange.new(2)", "2 2");
	str_is("NumberRange.new(1, 5).Min", "1");
	str_is("NumberRange.new(1, 5).Max", "5");
	str_is("typeof(NumberRange.new(0))", "NumberRange");
	ok("assert(NumberRange.new(1, 2) == NumberRange.new(1, 2))\n"
	   "assert(NumberRange.new(1, 2) ~= NumberRange.new(1, 3))\n");
	err_has("NumberRange.new(5, 1)", "invalid range");
	err_has("NumberRange.new()", "number expected, got no value");
	err_has("local r = NumberRange.new(1) r.Min = 0", "Min cannot be assigned to");
}
END_TEST

/* ---- Enum ---- */

START_TEST(test_enum_lookups_and_types)
{
	str_is("Enum", "Enums");
	str_is("typeof(Enum)", "Enums");
	str_is("Enum.Material", "Material");
	str_is("typeof(Enum.Material)", "Enum");
	str_is("Enum.Material.Plastic", "Enum.Material.Plastic");
	str_is("typeof(Enum.Material.Plastic)", "EnumItem");
	str_is("Enum.Material.Plastic.Name", "Plastic");
	str_is("Enum.Material.Plastic.Value", "256");
	str_is("Enum.Material.Neon.Value", "288");
	str_is("Enum.Material.Glass.Value", "1568");
	str_is("Enum.KeyCode.E.Value", "101");
	str_is("Enum.KeyCode.Space.Value", "32");
	str_is("Enum.KeyCode.LeftShift.Value", "304");
	str_is("Enum.KeyCode.Zero.Value", "48");
	str_is("Enum.HumanoidStateType.Dead.Value", "15");
	str_is("Enum.HumanoidStateType.None.Value", "18");
	str_is("Enum.PartType.Cylinder.Value", "2");
	str_is("Enum.UserInputType.Keyboard.Value", "8");
	str_is("Enum.EasingStyle.Quad", "Enum.EasingStyle.Quad");
	str_is("Enum.Material.Plastic.EnumType", "Material");
	str_is("Enum.Material:FromName('Wood')", "Enum.Material.Wood");
	str_is("Enum.Material:FromValue(816)", "Enum.Material.Concrete");
	str_is("Enum.Material:FromName('Nope')", "nil");
	str_is("Enum.Material:FromValue(1)", "nil");
	str_is("#Enum.PartType:GetEnumItems()", "5");
	str_is("Enum.PartType:GetEnumItems()[1]", "Enum.PartType.Ball");
	str_is("Enum.KeyCode.A:IsA('KeyCode')", "true");
	str_is("Enum.KeyCode.A:IsA('Material')", "false");
	ok("local letters = 0\n"
	   "for c = string.byte('A'), string.byte('Z') do\n"
	   "  local item = Enum.KeyCode[string.char(c)]\n"
	   "  assert(item.Value == c + 32, item.Name)\n"
	   "  letters = letters + 1\n"
	   "end\n"
	   "assert(letters == 26)\n"
	   "local enums = Enum:GetEnums()\n"
	   "assert(#enums >= 9)\n"
	   "for i = 2, #enums do assert(tostring(enums[i - 1]) < tostring(enums[i])) end\n"
	   "for _, e in ipairs(enums) do\n"
	   "  assert(typeof(e) == 'Enum')\n"
	   "  for _, item in ipairs(e:GetEnumItems()) do\n"
	   "    assert(item.EnumType == e and e[item.Name] == item)\n"
	   "    assert(e:FromValue(item.Value) == item)\n"
	   "  end\n"
	   "end\n");
}
END_TEST

START_TEST(test_enum_identity)
{
	ok("assert(rawequal(Enum.Material.Plastic, Enum.Material.Plastic))\n"
	   "assert(rawequal(Enum.Material, Enum.Material))\n"
	   "assert(Enum.Material.Plastic ~= Enum.Material.Wood)\n"
	   "local t = { [Enum.KeyCode.W] = 'forward' }\n"
	   "collectgarbage() collectgarbage()\n"
	   "assert(t[Enum.KeyCode.W] == 'forward')\n"
	   "assert(rawequal(Enum.Material:GetEnumItems()[1], Enum.Material.Plastic))\n"
	   "assert(rawequal(Enum.Material:FromName('Plastic'), Enum.Material.Plastic))\n");
}
END_TEST

START_TEST(test_enum_errors)
{
	err_has("return Enum.Material.Foo",
	        "Foo is not a valid member of \"Enum.Material\"");
	err_has("return Enum.KeyCode.Backslash",
	        "Backslash is not a valid member of \"Enum.KeyCode\"");
	err_has("return Enum.NoSuchEnum", "NoSuchEnum is not a valid member");
	err_has("return Enum.Material.Plastic.Foo",
	        "Foo is not a valid member of EnumItem");
	err_has("Enum.Material.Plastic.Name = 'x'", "Name cannot be assigned to");
	err_has("Enum.Material.Plastic = 1", "Plastic cannot be assigned to");
	err_has("Enum.Material = 1", "Material cannot be assigned to");
	err_has("return Vector3.FromNormalId(Enum.Material.Plastic)",
	        "Enum.NormalId expected, got EnumItem");
	ok("assert(getmetatable(Enum) == 'The metatable is locked')\n"
	   "assert(getmetatable(Enum.Material) == 'The metatable is locked')\n"
	   "assert(getmetatable(Enum.Material.Plastic) == 'The metatable is locked')\n");
}
END_TEST

/* ---- typeof ---- */

START_TEST(test_typeof_of_plain_values)
{
	str_is("typeof(1)", "number");
	str_is("typeof('s')", "string");
	str_is("typeof({})", "table");
	str_is("typeof(nil)", "nil");
	str_is("typeof(true)", "boolean");
	str_is("typeof(print)", "function");
	str_is("typeof(coroutine.create(print))", "thread");
	str_is("typeof(io.stdout)", "userdata");
	err_has("return typeof()", "bad argument #1 to 'typeof'");
}
END_TEST

START_TEST(test_typeof_reads___type_of_foreign_userdata)
{
	luaL_newmetatable(L, "Foreign");
	lua_pushliteral(L, "Instance");
	lua_setfield(L, -2, "__type");
	lua_pop(L, 1);
	lua_newuserdatauv(L, 1, 0);
	luaL_setmetatable(L, "Foreign");
	lua_setglobal(L, "foreign");
	str_is("typeof(foreign)", "Instance");
	lua_getglobal(L, "foreign");
	ck_assert_str_eq(rs_typeof(L, -1), "Instance");
	lua_pushnumber(L, 1);
	ck_assert_str_eq(rs_typeof(L, -1), "number");
	ck_assert_str_eq(rs_typeof(L, -2), "Instance");
	lua_settop(L, 0);
	ck_assert_str_eq(rs_typeof(L, 1), "no value");
}
END_TEST

/* ---- rs_datatype_get / rs_datatype_push ---- */

static const char *const samples[] = {
	"Vector3.new(1, -2.5, 1e300)",
	"Vector2.new(0.1, -0)",
	"Color3.fromRGB(10, 20, 30)",
	"CFrame.new(1, 2, 3) * CFrame.Angles(0.1, 0.2, 0.3)",
	"UDim.new(0.5, -7)",
	"UDim2.new(0.1, 2, 0.3, 4)",
	"BrickColor.new('New Yeller')",
	"NumberRange.new(-1, 1)",
	"Enum.KeyCode.LeftShift",
	"Enum.Material.Rubber",
};

static const int sample_kinds[] = {
	RS_DT_VECTOR3, RS_DT_VECTOR2, RS_DT_COLOR3, RS_DT_CFRAME, RS_DT_UDIM,
	RS_DT_UDIM2, RS_DT_BRICKCOLOR, RS_DT_NUMBERRANGE, RS_DT_ENUMITEM,
	RS_DT_ENUMITEM,
};

static void eval(lua_State *s, const char *expr)
{
	char code[256];
	snprintf(code, sizeof code, "return %s", expr);
	ck_assert_msg(luaL_dostring(s, code) == LUA_OK, "%s", lua_tostring(s, -1));
}

START_TEST(test_get_push_round_trip_every_kind)
{
	lua_State *other = new_state();
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		rs_datatype d;
		eval(L, samples[i]);
		ck_assert_int_eq(rs_datatype_get(L, -1, &d), 1);
		ck_assert_int_eq(d.kind, sample_kinds[i]);
		/* back into the same VM: equal, and the same object for items */
		ck_assert_int_eq(rs_datatype_push(L, &d), 1);
		ck_assert_msg(lua_compare(L, -1, -2, LUA_OPEQ), "%s", samples[i]);
		ck_assert_str_eq(rs_typeof(L, -1), rs_typeof(L, -2));
		if (d.kind == RS_DT_ENUMITEM)
			ck_assert(lua_rawequal(L, -1, -2));
		/* into another VM, as the network does: same text there */
		ck_assert_int_eq(rs_datatype_push(other, &d), 1);
		ck_assert_str_eq(luaL_tolstring(other, -1, NULL),
		                 luaL_tolstring(L, -2, NULL));
		lua_settop(other, 0);
		lua_settop(L, 0);
	}
	/* an item pushed from C is the one scripts see */
	{
		rs_datatype d;
		eval(L, "Enum.KeyCode.W");
		rs_datatype_get(L, -1, &d);
		rs_datatype_push(other, &d);
		lua_setglobal(other, "pushed");
		ck_assert_int_eq(luaL_dostring(other,
		        "assert(rawequal(pushed, Enum.KeyCode.W))"), LUA_OK);
	}
	lua_close(other);
}
END_TEST

START_TEST(test_get_refuses_non_datatypes)
{
	rs_datatype d;
	lua_pushnumber(L, 1);
	lua_newtable(L);
	lua_newuserdatauv(L, 8, 0);
	eval(L, "Enum.Material");
	eval(L, "Enum");
	for (int i = 1; i <= 5; i++)
		ck_assert_int_eq(rs_datatype_get(L, i, &d), 0);
	ck_assert_int_eq(rs_datatype_get(L, 6, &d), 0); /* none */
}
END_TEST

START_TEST(test_push_refuses_malformed_values)
{
	rs_datatype d;
	memset(&d, 0, sizeof d);
	ck_assert_int_eq(rs_datatype_push(L, NULL), 0);
	d.kind = RS_DT_NONE;
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.kind = RS_DT_KIND_MAX, d.n = 3;
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.kind = 200;
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.kind = RS_DT_VECTOR3, d.n = 2;          /* wrong count */
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.kind = RS_DT_CFRAME, d.n = 3;
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.kind = RS_DT_BRICKCOLOR, d.n = 1, d.v[0] = 4;  /* no such colour */
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.v[0] = 1e300;
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.v[0] = 21.5;
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.kind = RS_DT_NUMBERRANGE, d.n = 2, d.v[0] = 2, d.v[1] = 1;
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.kind = RS_DT_ENUMITEM, d.n = 2, d.v[0] = -1, d.v[1] = 0;
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.v[0] = 1e9;
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.v[0] = NAN;
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.v[0] = 0.5;
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	d.v[0] = 0, d.v[1] = 99999;               /* no such item */
	ck_assert_int_eq(rs_datatype_push(L, &d), 0);
	ck_assert_int_eq(lua_gettop(L), 0);       /* nothing was pushed */
	d.kind = RS_DT_VECTOR3, d.n = 3, d.v[0] = NAN, d.v[1] = INFINITY;
	ck_assert_int_eq(rs_datatype_push(L, &d), 1); /* odd but legal */
	ck_assert_int_eq(lua_gettop(L), 1);
}
END_TEST

static Suite *datatypes_suite(void)
{
	Suite *s = suite_create("datatypes");
	struct {
		const char *name;
		const TTest *tests[8];
	} cases[] = {
		{ "Vector3", { test_vector3_constructs_with_missing_components_zero,
		               test_vector3_fields_and_unit, test_vector3_arithmetic,
		               test_vector3_methods,
		               test_vector3_equality_and_immutability } },
		{ "Vector2", { test_vector2_behaves_like_a_2d_vector3 } },
		{ "Color3", { test_color3_constructors,
		              test_color3_tohex_is_lowercase_and_rounded,
		              test_color3_hsv_round_trip } },
		{ "CFrame", { test_cframe_constructors,
		              test_cframe_compose_inverse_round_trip,
		              test_cframe_rotation_conventions, test_cframe_lookat,
		              test_cframe_arithmetic_and_lerp } },
		{ "UDim", { test_udim_and_udim2 } },
		{ "BrickColor", { test_brickcolor } },
		{ "NumberRange", { test_numberrange } },
		{ "Enum", { test_enum_lookups_and_types, test_enum_identity,
		            test_enum_errors } },
		{ "typeof", { test_typeof_of_plain_values,
		              test_typeof_reads___type_of_foreign_userdata } },
		{ "wire", { test_get_push_round_trip_every_kind,
		            test_get_refuses_non_datatypes,
		            test_push_refuses_malformed_values } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		TCase *tc = tcase_create(cases[i].name);
		tcase_add_checked_fixture(tc, setup, teardown);
		for (int j = 0; j < 8 && cases[i].tests[j]; j++)
			tcase_add_test(tc, cases[i].tests[j]);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(datatypes_suite());
	int failed;
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
