/* luau.c -- placeholder until the translator lands: passes source through. */
#include "rsim/luau.h"

#include <lua.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

char *rs_luau_translate(const char *src, size_t len, size_t *outlen,
                        rs_luau_error *err)
{
	(void)err;
	char *out = malloc(len + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, src, len);
	out[len] = '\0';
	*outlen = len;
	return out;
}

static int iter(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TFUNCTION) {
		lua_settop(L, 1);
		return 1;
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushvalue(L, 1);
	lua_call(L, 1, 3);
	return 3;
}

void rs_luaulib_open(lua_State *L)
{
	lua_getglobal(L, "pairs");
	lua_pushcclosure(L, iter, 1);
	lua_setglobal(L, RS_LUAU_ITER);
}
