/*
 * instance.c -- instances: the tree, properties, and the Lua proxies
 * scripts hold.
 *
 * An instance is a C record (rs_inst) owned by its world; scripts see it
 * through one full userdata per instance (made on first use and kept in the
 * registry, so `==` and table keys behave).  Member look-up goes through a
 * per-VM table per class that maps a member name to a method (a function),
 * a property (its slot number) or an event (its name), inherited members
 * included, so `remote:FireServer` costs one table read.
 *
 * Records live until the world is torn down: a destroyed instance keeps
 * answering (Parent nil, locked), as in Roblox.
 */
#include "api_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INSTANCE_MT "Instance"
#define MEMBERS_KEY "rsim.members"
#define NAME_SLOT (-1)
#define PARENT_SLOT (-2)
#define CLASSNAME_SLOT (-3)
#define MAX_DEPTH 256

/* ---- the id map: open addressing, keys never 0 ---- */

static size_t id_hash(uint64_t id, size_t cap)
{
	return (size_t)(rs_mix64(id) & (cap - 1));
}

static void idmap_grow(rs_idmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	rs_idslot *ns = calloc(ncap, sizeof *ns);
	if (ns == NULL)
		abort();
	for (size_t i = 0; i < m->cap; i++) {
		if (m->slots[i].key == 0 || m->slots[i].val == NULL)
			continue;
		size_t j = id_hash(m->slots[i].key, ncap);
		while (ns[j].key)
			j = (j + 1) & (ncap - 1);
		ns[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
}

void rs_idmap_put(rs_idmap *m, uint64_t id, rs_inst *i)
{
	if (4 * (m->len + 1) > 3 * m->cap) /* load at most 3/4 */
		idmap_grow(m);
	size_t j = id_hash(id, m->cap);
	while (m->slots[j].key && m->slots[j].key != id)
		j = (j + 1) & (m->cap - 1);
	if (m->slots[j].key == 0)
		m->len++;
	m->slots[j].key = id;
	m->slots[j].val = i;
	if (m->last_id == id)
		m->last = i;
}

rs_inst *rs_idmap_get(const rs_idmap *m, uint64_t id)
{
	if (id == m->last_id && id != 0)
		return m->last;
	if (m->cap == 0 || id == 0)
		return NULL;
	for (size_t j = id_hash(id, m->cap); m->slots[j].key;
	     j = (j + 1) & (m->cap - 1))
		if (m->slots[j].key == id) {
			/* the cache is not part of the map's value */
			rs_idmap *mm = (rs_idmap *)m;
			mm->last_id = id;
			mm->last = m->slots[j].val;
			return m->slots[j].val;
		}
	return NULL;
}

/* Deleting leaves the key as a tombstone with no value. */
void rs_idmap_del(rs_idmap *m, uint64_t id)
{
	if (m->cap == 0 || id == 0)
		return;
	for (size_t j = id_hash(id, m->cap); m->slots[j].key;
	     j = (j + 1) & (m->cap - 1))
		if (m->slots[j].key == id) {
			m->slots[j].val = NULL;
			if (m->last_id == id)
				m->last_id = 0;
			return;
		}
}

void rs_idmap_free(rs_idmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}

/* ---- values ---- */

char rs_empty_string[1];

void rs_value_clear(rs_value *v)
{
	if (v->type == RS_V_STR && v->u.s != rs_empty_string)
		free(v->u.s);
	else if (v->type == RS_V_DT)
		free(v->u.dt);
	v->type = RS_V_NIL;
}

static void value_copy(rs_value *dst, const rs_value *src)
{
	rs_value_clear(dst);
	*dst = *src;
	if (src->type == RS_V_STR) {
		dst->u.s = strdup(src->u.s);
		if (dst->u.s == NULL)
			abort();
	} else if (src->type == RS_V_DT) {
		dst->u.dt = malloc(sizeof *dst->u.dt);
		if (dst->u.dt == NULL)
			abort();
		*dst->u.dt = *src->u.dt;
	}
}

void rs_value_push(lua_State *L, const rs_value *v)
{
	switch (v->type) {
	case RS_V_BOOL: lua_pushboolean(L, v->u.b); break;
	case RS_V_NUM: lua_pushnumber(L, v->u.n); break;
	case RS_V_STR: lua_pushstring(L, v->u.s); break;
	case RS_V_DT:
		if (!rs_datatype_push(L, v->u.dt))
			lua_pushnil(L);
		break;
	case RS_V_REF:
		if (v->u.ref && !v->u.ref->destroyed)
			rs_inst_push(L, v->u.ref);
		else
			lua_pushnil(L);
		break;
	default: lua_pushnil(L); break;
	}
}

/* The default value of a property, as a fresh instance has it. */
static void value_default(const rs_inst *i, const rs_prop *p, rs_value *v)
{
	memset(v, 0, sizeof *v);
	v->type = p->type;
	if (p->type == RS_V_STR) {
		v->u.s = rs_empty_string;
	} else if (p->type == RS_V_DT && p->get == NULL) {
		v->u.dt = calloc(1, sizeof *v->u.dt);
		if (v->u.dt == NULL)
			abort();
		rs_datatype *d = v->u.dt;
		d->kind = p->dtkind;
		switch (p->dtkind) {
		case RS_DT_CFRAME:
			d->n = 12;
			d->v[3] = d->v[7] = d->v[11] = 1;
			break;
		case RS_DT_VECTOR3:
			d->n = 3;
			if (strcmp(p->name, "Size") == 0)
				d->v[0] = 4, d->v[1] = 1, d->v[2] = 2;
			break;
		case RS_DT_COLOR3:
			d->n = 3;
			d->v[0] = d->v[1] = d->v[2] = 163.0 / 255;
			break;
		case RS_DT_ENUMITEM:
			/* Enum.Material.Plastic */
			d->n = 2;
			v->type = RS_V_NIL;
			free(v->u.dt);
			break;
		default:
			d->n = 1;
			break;
		}
	} else if (p->type == RS_V_DT) {
		v->type = RS_V_NIL; /* virtual */
	} else if (p->type == RS_V_BOOL) {
		v->u.b = strcmp(p->name, "Archivable") == 0 ||
		         strcmp(p->name, "CanCollide") == 0;
	} else if (p->type == RS_V_FN) {
		v->type = RS_V_NIL;
	}
	(void)i;
	if (p->type == RS_V_STR && v->u.s == NULL)
		abort();
}

/* ---- records ---- */

_Static_assert(sizeof(rs_inst) % _Alignof(rs_value) == 0,
               "property values follow the record in its block");

static void free_waiters(rs_world *w);

rs_inst *rs_inst_new(rs_world *w, const rs_class *cls, const char *name)
{
	if (name == NULL)
		name = cls->name;
	return rs_inst_new_n(w, cls, name, strlen(name));
}

rs_inst *rs_inst_new_n(rs_world *w, const rs_class *cls, const char *name,
                       size_t nlen)
{
	/* the property values and the first name share the record's block */
	size_t pbytes = (size_t)cls->nslots * sizeof(rs_value);
	rs_inst *i = calloc(1, sizeof *i + pbytes + nlen + 1);
	if (i == NULL)
		abort();
	i->cls = cls;
	i->w = w;
	i->props = (rs_value *)(i + 1);
	i->name = (char *)(i + 1) + pbytes;
	memcpy(i->name, name, nlen);
	i->name[nlen] = '\0';
	i->name_inline = 1;
	for (int s = 0; s < cls->nslots; s++)
		value_default(i, cls->slots[s], &i->props[s]);
	i->proxy = LUA_NOREF;
	i->attrs = LUA_NOREF;
	i->module_ref = LUA_NOREF;
	i->all_next = w->all;
	w->all = i;
	w->ninst++;
	if (rs_world_is_server(w)) {
		i->id = ++rs_world_game(w)->next_id;
		rs_idmap_put(&w->ids, i->id, i);
	}
	return i;
}

void rs_inst_free_all(rs_world *w)
{
	free_waiters(w);
	rs_inst *i = w->all;
	while (i) {
		rs_inst *next = i->all_next;
		for (int s = 0; s < i->cls->nslots; s++)
			rs_value_clear(&i->props[s]);
		rs_signal_free_all(i);
		free(i->kids);
		if (!i->name_inline)
			free(i->name);
		free(i->source);
		rs_tags_free(i);
		free(i);
		i = next;
	}
	w->all = NULL;
	rs_idmap_free(&w->ids);
}

void rs_inst_take_name(rs_inst *i, char *copy)
{
	if (!i->name_inline)
		free(i->name);
	i->name = copy;
	i->name_inline = 0;
}

uint64_t rs_inst_id(const rs_inst *i)
{
	if (rs_world_is_server(i->w))
		return rs_repl_visible(i) ? i->id : 0;
	return i->from_server && !i->destroyed ? i->id : 0;
}

const char *rs_inst_name(const rs_inst *i) { return i->name; }
const char *rs_inst_class(const rs_inst *i) { return i->cls->name; }
rs_world *rs_inst_world(const rs_inst *i) { return i->w; }
int rs_inst_player_client(const rs_inst *i) { return i->client; }

int rs_inst_isa(const rs_inst *i, const char *cls)
{
	return rs_class_isa(i->cls, cls);
}

const char *rs_inst_full_name(const rs_inst *i, char *buf, size_t n)
{
	/* collect the chain below the DataModel, then print it root first */
	const rs_inst *chain[MAX_DEPTH];
	int depth = 0;
	for (const rs_inst *k = i; k && k != i->w->root && depth < MAX_DEPTH;
	     k = k->parent)
		chain[depth++] = k;
	if (depth == 0)
		chain[depth++] = i;
	size_t used = 0;
	buf[0] = '\0';
	while (depth-- > 0 && used < n) {
		int w = snprintf(buf + used, n - used, "%s%s",
		                 used ? "." : "", chain[depth]->name);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

rs_inst *rs_inst_find_child(const rs_inst *i, const char *name)
{
	rs_world_touch(i);
	for (uint32_t k = 0; k < i->nkids; k++)
		if (strcmp(i->kids[k]->name, name) == 0)
			return i->kids[k];
	return NULL;
}

static void kids_add(rs_inst *p, rs_inst *c)
{
	if (p->nkids == p->kcap) {
		p->kcap = p->kcap ? p->kcap * 2 : 4;
		p->kids = realloc(p->kids, p->kcap * sizeof *p->kids);
		if (p->kids == NULL)
			abort();
	}
	p->kids[p->nkids++] = c;
}

static void kids_remove(rs_inst *p, rs_inst *c)
{
	for (uint32_t k = 0; k < p->nkids; k++)
		if (p->kids[k] == c) {
			memmove(&p->kids[k], &p->kids[k + 1],
			        (p->nkids - k - 1) * sizeof *p->kids);
			p->nkids--;
			return;
		}
}

/* ---- the Lua side: proxies ---- */

void rs_inst_push(lua_State *L, rs_inst *i)
{
	if (i == NULL) {
		lua_pushnil(L);
		return;
	}
	if (i->proxy != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, i->proxy);
		return;
	}
	if (i->ident)
		rs_vm_use_identity(i->w->vm, i->ident);
	rs_inst **box = lua_newuserdatauv(L, sizeof *box, 0);
	i->ident = 0;
	*box = i;
	luaL_setmetatable(L, INSTANCE_MT);
	lua_pushvalue(L, -1);
	i->proxy = luaL_ref(L, LUA_REGISTRYINDEX);
}

void rs_inst_reserve(rs_inst *i)
{
	if (i != NULL && i->proxy == LUA_NOREF && i->ident == 0)
		i->ident = rs_vm_reserve_identity(i->w->vm);
}

rs_inst *rs_inst_test(lua_State *L, int idx)
{
	rs_inst **box = luaL_testudata(L, idx, INSTANCE_MT);
	return box ? *box : NULL;
}

rs_inst *rs_inst_check(lua_State *L, int idx)
{
	rs_inst *i = rs_inst_test(L, idx);
	if (i == NULL)
		luaL_typeerror(L, idx, "Instance");
	return i;
}

/* A method called with '.' instead of ':' has no instance first. */
static rs_inst *self_of(lua_State *L, const char *method)
{
	rs_inst *i = rs_inst_test(L, 1);
	if (i == NULL)
		luaL_error(L, "Expected ':' not '.' calling member function %s",
		           method);
	return i;
}

static void world_error_not_member(lua_State *L, rs_inst *i, const char *k)
{
	char full[512];
	luaL_error(L, "%s is not a valid member of %s \"%s\"", k, i->cls->name,
	           rs_inst_full_name(i, full, sizeof full));
}

static void build_class_members(lua_State *L, const rs_class *c);

/* Pushes the members table of i's class, built on first use: a VM pays
 * only for the classes its scripts touch. */
static void push_members(lua_State *L, const rs_inst *i)
{
	lua_getfield(L, LUA_REGISTRYINDEX, MEMBERS_KEY);
	if (lua_rawgeti(L, -1, i->cls->index + 1) == LUA_TNIL) {
		lua_pop(L, 1);
		build_class_members(L, i->cls);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, i->cls->index + 1);
	}
	lua_remove(L, -2);
}

static int inst_index(lua_State *L)
{
	rs_inst *i = *(rs_inst **)lua_touserdata(L, 1);
	push_members(L, i);
	lua_pushvalue(L, 2);
	switch (lua_rawget(L, -2)) {
	case LUA_TFUNCTION:
		return 1;
	case LUA_TSTRING: /* an event */
		rs_signal_push(L, i, lua_tostring(L, -1));
		return 1;
	case LUA_TNUMBER: {
		int slot = (int)lua_tointeger(L, -1);
		if (slot == NAME_SLOT) {
			lua_pushstring(L, i->name);
		} else if (slot == PARENT_SLOT) {
			rs_inst_push(L, i->parent);
		} else if (slot == CLASSNAME_SLOT) {
			lua_pushstring(L, i->cls->name);
		} else {
			const rs_prop *p = i->cls->slots[slot];
			if (p->flags & RS_P_CALLBACK)
				return luaL_error(L, "%s is a callback member of %s; you "
				                  "can only set the callback value, get "
				                  "is not available", p->name,
				                  i->cls->name);
			if (p->get)
				p->get(L, i);
			else
				rs_value_push(L, &i->props[slot]);
		}
		return 1;
	}
	default:
		break;
	}
	const char *k = luaL_checkstring(L, 2);
	rs_inst *c = rs_inst_find_child(i, k);
	if (c == NULL)
		world_error_not_member(L, i, k);
	rs_inst_push(L, c);
	return 1;
}

static const char *lua_kind(lua_State *L, int idx)
{
	return rs_typeof(L, idx);
}

/* Converts the script's value at idx for property p into *v, or raises
 * Roblox's "Unable to assign property" error. */
static void value_from_lua(lua_State *L, int idx, const rs_prop *p,
                           rs_value *v, rs_datatype *scratch)
{
	static const char *const want[] = {
		"nil", "bool", "number", "string", "?", "Object", "function"
	};
	memset(v, 0, sizeof *v);
	int t = lua_type(L, idx);
	int ok = 0;
	switch (p->type) {
	case RS_V_BOOL:
		if ((ok = t == LUA_TBOOLEAN || t == LUA_TNIL))
			v->type = RS_V_BOOL, v->u.b = lua_toboolean(L, idx);
		break;
	case RS_V_NUM:
		if ((ok = t == LUA_TNUMBER || (t == LUA_TSTRING &&
		                               lua_isnumber(L, idx))))
			v->type = RS_V_NUM, v->u.n = lua_tonumber(L, idx);
		break;
	case RS_V_STR:
		if ((ok = t == LUA_TSTRING || t == LUA_TNUMBER)) {
			v->type = RS_V_STR;
			v->u.s = (char *)lua_tostring(L, idx); /* copied by store */
		}
		break;
	case RS_V_REF:
		if (t == LUA_TNIL) {
			ok = 1;
			v->type = RS_V_REF;
		} else if (rs_inst_test(L, idx)) {
			ok = 1;
			v->type = RS_V_REF;
			v->u.ref = rs_inst_test(L, idx);
		}
		break;
	case RS_V_FN:
		if ((ok = t == LUA_TFUNCTION || t == LUA_TNIL))
			v->type = t == LUA_TNIL ? RS_V_NIL : RS_V_FN;
		break;
	case RS_V_DT: {
		rs_datatype *d = scratch;
		if (p->dtkind == RS_DT_ENUMITEM && (t == LUA_TSTRING ||
		                                    t == LUA_TNUMBER)) {
			/* Material = "Neon" or a value, as Roblox coerces */
			lua_getglobal(L, "Enum");
			lua_getfield(L, -1, p->enum_name);
			lua_getfield(L, -1, t == LUA_TSTRING ? "FromName"
			                                     : "FromValue");
			lua_pushvalue(L, -2);
			lua_pushvalue(L, idx);
			lua_call(L, 2, 1);
			ok = rs_datatype_get(L, -1, d);
			lua_pop(L, 3);
		} else if (rs_datatype_get(L, idx, d) && d->kind == p->dtkind) {
			ok = 1;
			if (d->kind == RS_DT_ENUMITEM) {
				/* an item of the property's own enum */
				lua_getglobal(L, "tostring");
				lua_getfield(L, idx, "EnumType");
				lua_call(L, 1, 1);
				ok = strcmp(lua_tostring(L, -1), p->enum_name) == 0;
				lua_pop(L, 1);
			}
		}
		if (ok) {
			v->type = RS_V_DT;
			v->u.dt = d; /* copied by store */
		}
		break;
	}
	default:
		break;
	}
	if (!ok) {
		const char *exp = p->type == RS_V_DT
			? (p->dtkind == RS_DT_ENUMITEM ? "EnumItem"
			   : p->name) : want[p->type];
		if (p->type == RS_V_DT) {
			/* name the datatype, not the property */
			static const char *const dtn[] = {
				"?", "Vector3", "Vector2", "Color3", "CFrame", "UDim",
				"UDim2", "BrickColor", "NumberRange", "EnumItem"
			};
			exp = dtn[p->dtkind < 10 ? p->dtkind : 0];
		}
		luaL_error(L, "Unable to assign property %s. %s expected, got %s",
		           p->name, exp, lua_kind(L, idx));
	}
}

void rs_inst_store(rs_inst *i, int slot, const rs_value *v)
{
	value_copy(&i->props[slot], v);
	if (rs_world_is_server(i->w) && !(i->cls->slots[slot]->flags & RS_P_LOCAL))
		rs_repl_prop(i, slot);
	if (v->type == RS_V_BOOL && !v->u.b && i->w->scripts_live && !i->ran) {
		/* BaseScript.Disabled, found once: its row is every script's */
		static const rs_prop *disabled;
		if (disabled == NULL) {
			const rs_class *bs = rs_class_find("BaseScript");
			disabled = bs->slots[rs_class_slot(bs, "Disabled")];
		}
		if (i->cls->slots[slot] == disabled)
			rs_world_script_may_start(i->w, i);
	}
}

/* The scripts of a subtree that just entered the DataModel may start. */
static void scripts_entered(rs_world *w, rs_inst *i)
{
	static const rs_class *base;
	if (base == NULL)
		base = rs_class_find("BaseScript");
	if (!i->ran && rs_class_is(i->cls, base))
		rs_world_script_may_start(w, i);
	for (uint32_t k = 0; k < i->nkids; k++)
		scripts_entered(w, i->kids[k]);
}

static int inst_newindex(lua_State *L)
{
	rs_inst *i = *(rs_inst **)lua_touserdata(L, 1);
	push_members(L, i);
	lua_pushvalue(L, 2);
	int t = lua_rawget(L, -2);
	const char *k = luaL_checkstring(L, 2);
	if (t != LUA_TNUMBER) {
		if (t == LUA_TFUNCTION || t == LUA_TSTRING)
			return luaL_error(L, "Unable to assign property %s. Property "
			                  "is read only", k);
		world_error_not_member(L, i, k);
	}
	int slot = (int)lua_tointeger(L, -1);
	lua_settop(L, 3);
	if (slot == NAME_SLOT) {
		const char *name = luaL_checkstring(L, 3);
		if (strcmp(name, i->name) == 0)
			return 0;
		char *copy = strdup(name);
		if (copy == NULL)
			return luaL_error(L, "not enough memory");
		rs_inst_take_name(i, copy);
		if (rs_world_is_server(i->w))
			rs_repl_renamed(i);
		lua_pushliteral(L, "Name");
		rs_inst_fire(i, "Changed", L, 1);
		return 0;
	}
	if (slot == PARENT_SLOT) {
		rs_inst *np = NULL;
		if (!lua_isnil(L, 3)) {
			np = rs_inst_test(L, 3);
			if (np == NULL)
				return luaL_error(L, "Unable to assign property Parent. "
				                  "Object expected, got %s",
				                  lua_kind(L, 3));
		}
		char a[512], b[512];
		if (i->locked)
			return luaL_error(L, "The Parent property of %s is locked, "
			                  "current parent: %s, new parent %s",
			                  i->name, i->parent ? i->parent->name : "NULL",
			                  np ? np->name : "NULL");
		for (rs_inst *a_ = np; a_; a_ = a_->parent)
			if (a_ == i)
				return luaL_error(L, "Attempt to set parent of %s to %s "
				                  "would result in circular reference",
				                  rs_inst_full_name(i, a, sizeof a),
				                  rs_inst_full_name(np, b, sizeof b));
		if (np && np->destroyed)
			return luaL_error(L, "The Parent property of %s is locked, "
			                  "current parent: NULL, new parent %s",
			                  i->name, np->name);
		if (np != i->parent)
			rs_inst_set_parent(i, np);
		return 0;
	}
	if (slot == CLASSNAME_SLOT)
		return luaL_error(L, "Unable to assign property ClassName. "
		                  "Property is read only");
	const rs_prop *p = i->cls->slots[slot];
	if (p->flags & RS_P_READONLY)
		return luaL_error(L, "Unable to assign property %s. Property is "
		                  "read only", p->name);
	if (p->flags & RS_P_CALLBACK) {
		int server = rs_world_is_server(i->w);
		if (((p->flags & RS_P_SERVER) && !server) ||
		    ((p->flags & RS_P_CLIENT) && server))
			return luaL_error(L, "%s can only be set on the %s", p->name,
			                  server ? "client" : "server");
		if (!lua_isnil(L, 3) && !lua_isfunction(L, 3))
			return luaL_error(L, "Unable to assign property %s. function "
			                  "expected, got %s", p->name, lua_kind(L, 3));
		rs_value *cur = &i->props[slot];
		if (cur->type == RS_V_FN)
			luaL_unref(L, LUA_REGISTRYINDEX, cur->u.fn);
		cur->type = RS_V_NIL;
		if (lua_isfunction(L, 3)) {
			lua_pushvalue(L, 3);
			cur->u.fn = luaL_ref(L, LUA_REGISTRYINDEX);
			cur->type = RS_V_FN;
		}
		rs_game *g = rs_world_game(i->w);
		if (g->on_callback)
			g->on_callback(i, g->callback_ud);
		return 0;
	}
	rs_value v;
	rs_datatype scratch;
	value_from_lua(L, 3, p, &v, &scratch);
	if (p->set) {
		p->set(L, i, 3);
		return 0;
	}
	rs_inst_store(i, slot, &v);
	lua_pushstring(L, p->name);
	rs_inst_fire(i, "Changed", L, 1);
	return 0;
}

static int inst_tostring(lua_State *L)
{
	rs_inst *i = *(rs_inst **)lua_touserdata(L, 1);
	lua_pushstring(L, i->name);
	return 1;
}

void rs_inst_push_callback(lua_State *L, rs_inst *i, const char *prop)
{
	int slot = rs_class_slot(i->cls, prop);
	if (slot >= 0 && i->props[slot].type == RS_V_FN)
		lua_rawgeti(L, LUA_REGISTRYINDEX, i->props[slot].u.fn);
	else
		lua_pushnil(L);
}

/* ---- tree operations ---- */

static void fire_inst(rs_inst *target, const char *ev, rs_inst *arg)
{
	if (!rs_inst_listens(target, ev)) {
		rs_inst_reserve(arg); /* as if pushed: identities stay put */
		return;
	}
	lua_State *L = rs_vm_state(target->w->vm);
	rs_inst_push(L, arg);
	rs_inst_fire(target, ev, L, 1);
}

/* Wakes WaitForChild callers waiting on p for c's name. */
static void wake_child_waiters(rs_inst *p, rs_inst *c);

void rs_inst_set_parent(rs_inst *i, rs_inst *np)
{
	rs_inst *old = i->parent;
	int server = rs_world_is_server(i->w);
	int was = server && rs_repl_visible(i);
	const rs_inst *was_pr = was ? rs_repl_player_root(i) : NULL;
	int was_in_game = i->w->ntagged && rs_inst_in_game(i);
	if (i->client > 0 && old == i->w->players) /* a server Player */
		i->w->nplayer_kids--;
	if (i->client > 0 && np == i->w->players)
		i->w->nplayer_kids++;
	if (old) {
		kids_remove(old, i);
		i->parent = NULL;
		fire_inst(old, "ChildRemoved", i);
		for (rs_inst *a = old; a; a = a->parent)
			fire_inst(a, "DescendantRemoving", i);
	}
	i->parent = np;
	if (np)
		kids_add(np, i);
	if (server) {
		int now = rs_repl_visible(i);
		if (was && now)
			rs_repl_moved(i, was_pr);
		else if (was)
			rs_repl_removed(i, was_pr);
		else if (now)
			rs_repl_created(i);
	}
	lua_State *L = rs_vm_state(i->w->vm);
	lua_pushliteral(L, "Parent");
	rs_inst_fire(i, "Changed", L, 1);
	if (rs_inst_listens(i, "AncestryChanged")) {
		rs_inst_push(L, i);
		rs_inst_push(L, np);
		rs_inst_fire(i, "AncestryChanged", L, 2);
	} else {
		rs_inst_reserve(i);
		rs_inst_reserve(np);
	}
	if (np) {
		fire_inst(np, "ChildAdded", i);
		for (rs_inst *a = np; a; a = a->parent)
			fire_inst(a, "DescendantAdded", i);
		wake_child_waiters(np, i);
	}
	if (i->w->ntagged)
		rs_tags_moved(i, was_in_game);
	if (np && i->w->scripts_live && rs_inst_in_game(i))
		scripts_entered(i->w, i);
}

void rs_inst_destroy(rs_inst *i)
{
	if (i->destroyed)
		return;
	lua_State *L = rs_vm_state(i->w->vm);
	rs_inst_fire(i, "Destroying", L, 0);
	while (i->nkids > 0)
		rs_inst_destroy(i->kids[i->nkids - 1]);
	if (i->parent)
		rs_inst_set_parent(i, NULL);
	i->destroyed = 1;
	i->locked = 1;
	rs_signal_free_all(i);
}

/* ---- WaitForChild ---- */

typedef struct child_waiter {
	rs_inst *parent;
	char *name;
	rs_thread *t;
	uint32_t gen;
	struct child_waiter *next;
} child_waiter;

/* Waiters live in a list per world, freed with the world. */
static child_waiter **waiters_of(rs_world *w)
{
	return (child_waiter **)&w->child_waiters;
}

static void free_waiters(rs_world *w)
{
	child_waiter *cw = w->child_waiters;
	while (cw) {
		child_waiter *next = cw->next;
		free(cw->name);
		free(cw);
		cw = next;
	}
	w->child_waiters = NULL;
}

static void wake_child_waiters(rs_inst *p, rs_inst *c)
{
	child_waiter **pp = waiters_of(p->w);
	lua_State *L = rs_vm_state(p->w->vm);
	while (*pp) {
		child_waiter *cw = *pp;
		if (cw->parent == p && strcmp(cw->name, c->name) == 0) {
			*pp = cw->next;
			if (cw->t->gen == cw->gen) {
				/* resumed at the next resumption point, as signals are */
				rs_inst_push(L, c);
				if (rs_vm_config_of(p->w->vm)->signal_mode ==
				    RS_SIGNAL_IMMEDIATE)
					rs_vm_resume(cw->t, L, 1);
				else
					rs_vm_defer_resume(cw->t, L, 1);
			}
			free(cw->name);
			free(cw);
			continue;
		}
		pp = &cw->next;
	}
}

/* A timeout or the 5-second warning of a WaitForChild. */
static void child_wait_event(rs_sim *sim, const rs_event *ev)
{
	(void)sim;
	child_waiter *target = ev->ctx;
	rs_world *w = (rs_world *)(uintptr_t)ev->b;
	child_waiter **pp = waiters_of(w);
	while (*pp && *pp != target)
		pp = &(*pp)->next;
	if (*pp == NULL || target->t->gen != target->gen)
		return;
	if (ev->a == 0) { /* the warning */
		char full[512], msg[800];
		snprintf(msg, sizeof msg, "Infinite yield possible on '%s:"
		         "WaitForChild(\"%s\")'",
		         rs_inst_full_name(target->parent, full, sizeof full),
		         target->name);
		rs_vm_output(w->vm, RS_OUT_WARN, msg, strlen(msg));
		return;
	}
	*pp = target->next;
	lua_State *L = rs_vm_state(w->vm);
	lua_pushnil(L);
	rs_vm_resume(target->t, L, 1);
	free(target->name);
	free(target);
}

static int m_WaitForChild(lua_State *L)
{
	rs_inst *i = self_of(L, "WaitForChild");
	const char *name = luaL_checkstring(L, 2);
	rs_inst *c = rs_inst_find_child(i, name);
	if (c) {
		rs_inst_push(L, c);
		return 1;
	}
	double timeout = luaL_optnumber(L, 3, -1);
	/* a lazy client's Players learns of joins only once it listens */
	rs_world_listen(i, "ChildAdded");
	if ((c = rs_inst_find_child(i, name)) != NULL) {
		rs_inst_push(L, c);
		return 1;
	}
	child_waiter *cw = calloc(1, sizeof *cw);
	if (cw == NULL || (cw->name = strdup(name)) == NULL) {
		free(cw);
		return luaL_error(L, "not enough memory");
	}
	rs_thread *t = rs_vm_thread(L);
	cw->parent = i;
	cw->t = t;
	child_waiter **head = waiters_of(i->w);
	cw->next = *head;
	*head = cw;
	rs_sim *sim = rs_vm_sim(i->w->vm);
	/* the thread's generation after rs_vm_block is the one a resume
	 * must match: blocking does not change it */
	cw->gen = t->gen;
	if (timeout >= 0)
		rs_sim_at(sim, rs_time_after(sim->now, timeout),
		          child_wait_event, cw, 1, (uint64_t)(uintptr_t)i->w);
	else
		rs_sim_at(sim, sim->now + 5 * RS_USEC_PER_SEC, child_wait_event,
		          cw, 0, (uint64_t)(uintptr_t)i->w);
	char what[160];
	snprintf(what, sizeof what, "WaitForChild(\"%s\")", name);
	return rs_vm_block(L, what);
}

/* ---- Instance methods ---- */

static int m_FindFirstChild(lua_State *L)
{
	rs_inst *i = self_of(L, "FindFirstChild");
	const char *name = luaL_checkstring(L, 2);
	int recursive = lua_toboolean(L, 3);
	rs_inst *c = rs_inst_find_child(i, name);
	if (c == NULL && recursive) {
		/* breadth-first, as Roblox searches */
		rs_inst **q = NULL;
		size_t qn = 0, qh = 0, qcap = 0;
		for (uint32_t k = 0; k < i->nkids; k++) {
			if (qn == qcap)
				q = realloc(q, (qcap = qcap ? qcap * 2 : 16) * sizeof *q);
			q[qn++] = i->kids[k];
		}
		while (qh < qn && c == NULL) {
			rs_inst *x = q[qh++];
			c = rs_inst_find_child(x, name);
			for (uint32_t k = 0; k < x->nkids && c == NULL; k++) {
				if (qn == qcap)
					q = realloc(q, (qcap *= 2) * sizeof *q);
				q[qn++] = x->kids[k];
			}
		}
		free(q);
	}
	rs_inst_push(L, c);
	return 1;
}

static int find_kid_by(lua_State *L, const char *method, int isa)
{
	rs_inst *i = self_of(L, method);
	const char *cls = luaL_checkstring(L, 2);
	rs_world_touch(i);
	for (uint32_t k = 0; k < i->nkids; k++) {
		rs_inst *c = i->kids[k];
		if (isa ? rs_class_isa(c->cls, cls) : strcmp(c->cls->name, cls) == 0) {
			rs_inst_push(L, c);
			return 1;
		}
	}
	lua_pushnil(L);
	return 1;
}

static int m_FindFirstChildOfClass(lua_State *L)
{
	return find_kid_by(L, "FindFirstChildOfClass", 0);
}

static int m_FindFirstChildWhichIsA(lua_State *L)
{
	return find_kid_by(L, "FindFirstChildWhichIsA", 1);
}

static int find_ancestor(lua_State *L, const char *method, int mode)
{
	rs_inst *i = self_of(L, method);
	const char *key = luaL_checkstring(L, 2);
	for (rs_inst *a = i->parent; a; a = a->parent) {
		int hit = mode == 0 ? strcmp(a->name, key) == 0
		        : mode == 1 ? strcmp(a->cls->name, key) == 0
		                    : rs_class_isa(a->cls, key);
		if (hit) {
			rs_inst_push(L, a);
			return 1;
		}
	}
	lua_pushnil(L);
	return 1;
}

static int m_FindFirstAncestor(lua_State *L)
{
	return find_ancestor(L, "FindFirstAncestor", 0);
}

static int m_FindFirstAncestorOfClass(lua_State *L)
{
	return find_ancestor(L, "FindFirstAncestorOfClass", 1);
}

static int m_FindFirstAncestorWhichIsA(lua_State *L)
{
	return find_ancestor(L, "FindFirstAncestorWhichIsA", 2);
}

static int m_GetChildren(lua_State *L)
{
	rs_inst *i = self_of(L, "GetChildren");
	rs_world_touch(i);
	lua_createtable(L, (int)i->nkids, 0);
	for (uint32_t k = 0; k < i->nkids; k++) {
		rs_inst_push(L, i->kids[k]);
		lua_rawseti(L, -2, k + 1);
	}
	return 1;
}

static void add_descendants(lua_State *L, rs_inst *i, lua_Integer *n)
{
	rs_world_touch(i);
	for (uint32_t k = 0; k < i->nkids; k++) {
		rs_inst_push(L, i->kids[k]);
		lua_rawseti(L, -2, ++*n);
		add_descendants(L, i->kids[k], n);
	}
}

static int m_GetDescendants(lua_State *L)
{
	rs_inst *i = self_of(L, "GetDescendants");
	lua_newtable(L);
	lua_Integer n = 0;
	add_descendants(L, i, &n);
	return 1;
}

static int m_IsA(lua_State *L)
{
	rs_inst *i = self_of(L, "IsA");
	lua_pushboolean(L, rs_class_isa(i->cls, luaL_checkstring(L, 2)));
	return 1;
}

/* Is a a strict ancestor of d? */
static int is_ancestor(const rs_inst *a, const rs_inst *d)
{
	for (const rs_inst *k = d->parent; k; k = k->parent)
		if (k == a)
			return 1;
	return 0;
}

static int m_IsDescendantOf(lua_State *L)
{
	rs_inst *i = self_of(L, "IsDescendantOf");
	lua_pushboolean(L, is_ancestor(rs_inst_check(L, 2), i));
	return 1;
}

static int m_IsAncestorOf(lua_State *L)
{
	rs_inst *i = self_of(L, "IsAncestorOf");
	lua_pushboolean(L, is_ancestor(i, rs_inst_check(L, 2)));
	return 1;
}

static int m_Destroy(lua_State *L)
{
	rs_inst *i = self_of(L, "Destroy");
	/* the DataModel and the services are locked from the start; a
	 * destroyed instance is locked too, and destroying it again is a
	 * no-op */
	if (i->locked && !i->destroyed)
		return luaL_error(L, "The Parent property of %s is locked",
		                  i->name);
	rs_inst_destroy(i);
	return 0;
}

/* Refuses before destroying anything when a child is locked (the
 * DataModel's services), so that game:ClearAllChildren() leaves the
 * world whole. */
static int m_ClearAllChildren(lua_State *L)
{
	rs_inst *i = self_of(L, "ClearAllChildren");
	for (uint32_t k = 0; k < i->nkids; k++)
		if (i->kids[k]->locked && !i->kids[k]->destroyed)
			return luaL_error(L, "The Parent property of %s is locked",
			                  i->kids[k]->name);
	while (i->nkids > 0)
		rs_inst_destroy(i->kids[i->nkids - 1]);
	return 0;
}

static int m_GetFullName(lua_State *L)
{
	char full[1024];
	lua_pushstring(L, rs_inst_full_name(self_of(L, "GetFullName"), full,
	                                    sizeof full));
	return 1;
}

static rs_inst *clone_tree(rs_inst *src, rs_inst *parent)
{
	int archivable = rs_class_slot(src->cls, "Archivable");
	if (archivable >= 0 && !src->props[archivable].u.b)
		return NULL;
	rs_inst *c = rs_inst_new(src->w, src->cls, src->name);
	for (int s = 0; s < src->cls->nslots; s++)
		if (!(src->cls->slots[s]->flags & RS_P_CALLBACK))
			value_copy(&c->props[s], &src->props[s]);
	if (src->source)
		rs_inst_set_source(c, src->source, src->source_len);
	rs_tags_copy(c, src);
	if (src->attrs != LUA_NOREF) {
		/* values are strings, numbers, booleans and immutable datatypes:
		 * a shallow copy is Roblox's copy */
		lua_State *L = rs_vm_state(src->w->vm);
		lua_rawgeti(L, LUA_REGISTRYINDEX, src->attrs);
		lua_newtable(L);
		lua_pushnil(L);
		while (lua_next(L, -3)) {
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, -4);
		}
		c->attrs = luaL_ref(L, LUA_REGISTRYINDEX);
		lua_pop(L, 1);
	}
	for (uint32_t k = 0; k < src->nkids; k++) {
		rs_inst *kid = clone_tree(src->kids[k], c);
		(void)kid;
	}
	if (parent) {
		c->parent = parent;
		kids_add(parent, c);
	}
	return c;
}

/* How many instances clone_tree(src) makes, counting no further than
 * limit + 1 (the caller only asks whether it fits). */
static long clone_count(const rs_inst *src, long limit)
{
	int archivable = rs_class_slot(src->cls, "Archivable");
	if (archivable >= 0 && !src->props[archivable].u.b)
		return 0;
	long n = 1;
	for (uint32_t k = 0; k < src->nkids && n <= limit; k++)
		n += clone_count(src->kids[k], limit - n);
	return n;
}

/* Clone is bound by RS_MAX_INSTANCES as Instance.new is: a subtree that
 * would take the peer past it makes nothing and errors (otherwise a few
 * self-clones double their way to millions of instances). */
static int m_Clone(lua_State *L)
{
	rs_inst *i = self_of(L, "Clone");
	if (i->cls->service)
		return luaL_error(L, "Cannot clone a service");
	long room = (long)RS_MAX_INSTANCES - i->w->ninst;
	if (clone_count(i, room) > room)
		return luaL_error(L, "Unable to create an Instance of type \"%s\": "
		                  "this peer already has %d instances",
		                  i->cls->name, RS_MAX_INSTANCES);
	rs_inst_push(L, clone_tree(i, NULL));
	return 1;
}

/* ---- attributes ---- */

static void push_attrs(lua_State *L, rs_inst *i)
{
	if (i->attrs == LUA_NOREF) {
		lua_newtable(L);
		lua_pushvalue(L, -1);
		i->attrs = luaL_ref(L, LUA_REGISTRYINDEX);
		return;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, i->attrs);
}

static int m_SetAttribute(lua_State *L)
{
	rs_inst *i = self_of(L, "SetAttribute");
	luaL_checkstring(L, 2);
	int t = lua_type(L, 3);
	if (t != LUA_TNIL && t != LUA_TBOOLEAN && t != LUA_TNUMBER &&
	    t != LUA_TSTRING) {
		rs_datatype d;
		if (!rs_datatype_get(L, 3, &d))
			return luaL_error(L, "Instance:SetAttribute: %s is not a "
			                  "supported attribute type",
			                  rs_typeof(L, 3));
	}
	lua_settop(L, 3);
	push_attrs(L, i);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, 3);
	lua_rawset(L, -3);
	if (rs_world_is_server(i->w))
		rs_repl_attr(i, L, 2);
	lua_pushvalue(L, 2);
	rs_inst_fire(i, "AttributeChanged", L, 1);
	return 0;
}

static int m_GetAttribute(lua_State *L)
{
	rs_inst *i = self_of(L, "GetAttribute");
	luaL_checkstring(L, 2);
	if (i->attrs == LUA_NOREF) {
		lua_pushnil(L);
		return 1;
	}
	push_attrs(L, i);
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);
	return 1;
}

static int m_GetAttributes(lua_State *L)
{
	rs_inst *i = self_of(L, "GetAttributes");
	lua_newtable(L);
	if (i->attrs == LUA_NOREF)
		return 1;
	push_attrs(L, i);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -5);
	}
	lua_pop(L, 1);
	return 1;
}

static int m_GetPropertyChangedSignal(lua_State *L)
{
	rs_inst *i = self_of(L, "GetPropertyChangedSignal");
	const char *prop = luaL_checkstring(L, 2);
	push_members(L, i);
	if (lua_getfield(L, -1, prop) != LUA_TNUMBER)
		return luaL_error(L, "%s is not a valid property name.", prop);
	lua_pushfstring(L, "Changed:%s", prop);
	rs_signal_push(L, i, lua_tostring(L, -1));
	return 1;
}

static int m_GetAttributeChangedSignal(lua_State *L)
{
	rs_inst *i = self_of(L, "GetAttributeChangedSignal");
	lua_pushfstring(L, "AttributeChanged:%s", luaL_checkstring(L, 2));
	rs_signal_push(L, i, lua_tostring(L, -1));
	return 1;
}

static const luaL_Reg instance_methods[] = {
	{ "FindFirstChild", m_FindFirstChild },
	{ "FindFirstChildOfClass", m_FindFirstChildOfClass },
	{ "FindFirstChildWhichIsA", m_FindFirstChildWhichIsA },
	{ "FindFirstAncestor", m_FindFirstAncestor },
	{ "FindFirstAncestorOfClass", m_FindFirstAncestorOfClass },
	{ "FindFirstAncestorWhichIsA", m_FindFirstAncestorWhichIsA },
	{ "WaitForChild", m_WaitForChild },
	{ "GetChildren", m_GetChildren },
	{ "GetDescendants", m_GetDescendants },
	{ "IsA", m_IsA },
	{ "IsDescendantOf", m_IsDescendantOf },
	{ "IsAncestorOf", m_IsAncestorOf },
	{ "Destroy", m_Destroy },
	{ "ClearAllChildren", m_ClearAllChildren },
	{ "Clone", m_Clone },
	{ "GetFullName", m_GetFullName },
	{ "SetAttribute", m_SetAttribute },
	{ "GetAttribute", m_GetAttribute },
	{ "GetAttributes", m_GetAttributes },
	{ "GetPropertyChangedSignal", m_GetPropertyChangedSignal },
	{ "GetAttributeChangedSignal", m_GetAttributeChangedSignal },
	{ NULL, NULL }
};

/* ---- services and special classes ---- */

static int m_GetService(lua_State *L)
{
	rs_inst *i = self_of(L, "GetService");
	const char *name = luaL_checkstring(L, 2);
	rs_inst *s = rs_world_service(i->w, name);
	if (s == NULL)
		return luaL_error(L, "'%s' is not a valid Service name", name);
	rs_inst_push(L, s);
	return 1;
}

static int m_FindService(lua_State *L)
{
	rs_inst *i = self_of(L, "FindService");
	rs_inst_push(L, rs_world_service(i->w, luaL_checkstring(L, 2)));
	return 1;
}

static int m_GetPlayers(lua_State *L)
{
	rs_inst *i = self_of(L, "GetPlayers");
	rs_world_touch(i);
	lua_newtable(L);
	lua_Integer n = 0;
	for (uint32_t k = 0; k < i->nkids; k++)
		if (rs_class_isa(i->kids[k]->cls, "Player")) {
			rs_inst_push(L, i->kids[k]);
			lua_rawseti(L, -2, ++n);
		}
	return 1;
}

static int m_GetPlayerByUserId(lua_State *L)
{
	rs_inst *i = self_of(L, "GetPlayerByUserId");
	double id = luaL_checknumber(L, 2);
	int slot = rs_class_slot(rs_class_find("Player"), "UserId");
	rs_world_touch(i);
	for (uint32_t k = 0; k < i->nkids; k++) {
		rs_inst *p = i->kids[k];
		if (rs_class_isa(p->cls, "Player") && p->props[slot].u.n == id) {
			rs_inst_push(L, p);
			return 1;
		}
	}
	lua_pushnil(L);
	return 1;
}

static int m_GetPlayerFromCharacter(lua_State *L)
{
	self_of(L, "GetPlayerFromCharacter");
	lua_pushnil(L);
	return 1;
}

static int m_Kick(lua_State *L)
{
	rs_inst *i = self_of(L, "Kick");
	const char *msg = luaL_optstring(L, 2, "");
	rs_world *w = i->w;
	if (rs_world_is_server(w)) {
		if (i->client > 0)
			rs_game_leave(w->game, i->client, msg);
	} else if (i == w->local_player) {
		rs_game_leave(w->game, w->peer, msg);
	} else {
		return luaL_error(L, "Cannot kick a non-local Player from a "
		                  "LocalScript");
	}
	return 0;
}

static int rs_is(lua_State *L, int want_server)
{
	rs_inst *i = self_of(L, want_server ? "IsServer" : "IsClient");
	lua_pushboolean(L, rs_world_is_server(i->w) == want_server);
	return 1;
}

static int m_IsServer(lua_State *L) { return rs_is(L, 1); }
static int m_IsClient(lua_State *L) { return rs_is(L, 0); }

static int m_false(lua_State *L)
{
	lua_pushboolean(L, 0);
	return 1;
}

static int m_true(lua_State *L)
{
	lua_pushboolean(L, 1);
	return 1;
}

static const luaL_Reg datamodel_methods[] = {
	{ "GetService", m_GetService }, { "FindService", m_FindService },
	{ NULL, NULL }
};
static const luaL_Reg players_methods[] = {
	{ "GetPlayers", m_GetPlayers },
	{ "GetPlayerByUserId", m_GetPlayerByUserId },
	{ "GetPlayerFromCharacter", m_GetPlayerFromCharacter },
	{ NULL, NULL }
};
static const luaL_Reg player_methods[] = {
	{ "Kick", m_Kick }, { NULL, NULL }
};
static const luaL_Reg runservice_methods[] = {
	{ "IsServer", m_IsServer }, { "IsClient", m_IsClient },
	{ "IsStudio", m_false }, { "IsRunning", m_true },
	{ "IsRunMode", m_false }, { NULL, NULL }
};

/* ---- Instance.new ---- */

static int instance_new(lua_State *L)
{
	const char *cls = luaL_checkstring(L, 1);
	const rs_class *c = rs_class_find(cls);
	if (c == NULL || !c->creatable)
		return luaL_error(L, "Unable to create an Instance of type \"%s\"",
		                  cls);
	rs_world *w = rs_world_of(L);
	rs_inst *parent = NULL;
	if (!lua_isnoneornil(L, 2))
		parent = rs_inst_check(L, 2);
	/* Instances live outside the VM's memory cap: bound them too. */
	if (w->ninst >= RS_MAX_INSTANCES)
		return luaL_error(L, "Unable to create an Instance of type \"%s\": "
		                  "this peer already has %d instances", cls,
		                  RS_MAX_INSTANCES);
	rs_inst *i = rs_inst_new(w, c, NULL);
	if (parent)
		rs_inst_set_parent(i, parent);
	rs_inst_push(L, i);
	return 1;
}

/* ---- per-VM set-up ---- */

#define EXTRA_KEY "rsim.extra"

/* Pushes members[c] = { name -> method | slot | event }, inherited members
 * included, then the methods added with rs_api_method in the order they
 * were added (a later one overrides), as if all had been built at once. */
static const rs_api_methods instance_own[] = {
	{ "Instance", instance_methods },
	{ "DataModel", datamodel_methods },
	{ "Players", players_methods },
	{ "Player", player_methods },
	{ "RunService", runservice_methods },
	{ NULL, NULL }
};
static const rs_api_methods *const own_methods[] = {
	instance_own, rs_services_methods
};

static void build_class_members(lua_State *L, const rs_class *c)
{
	lua_newtable(L);
	const rs_class *chain[16];
	int depth = 0;
	for (const rs_class *k = c; k && depth < 16; k = k->super)
		chain[depth++] = k;
	const rs_class *const *chain0 = chain;
	const int depth0 = depth;
	while (depth-- > 0) {
		const rs_class *k = chain[depth];
		for (const char *const *e = k->events; e && *e; e++) {
			lua_pushstring(L, *e);
			lua_setfield(L, -2, *e);
		}
		for (const luaL_Reg *m = k->methods; m && m->name; m++) {
			lua_pushcfunction(L, m->func);
			lua_setfield(L, -2, m->name);
		}
	}
	for (int s = 0; s < c->nslots; s++) {
		lua_pushinteger(L, s);
		lua_setfield(L, -2, c->slots[s]->name);
	}
	lua_pushinteger(L, NAME_SLOT);
	lua_setfield(L, -2, "Name");
	lua_pushinteger(L, PARENT_SLOT);
	lua_setfield(L, -2, "Parent");
	lua_pushinteger(L, CLASSNAME_SLOT);
	lua_setfield(L, -2, "ClassName");
	/* the api layer's own methods, from the base class down (a subclass's
	 * own overrides) */
	for (int d = 0; d < depth0; d++) {
		const rs_class *k = chain0[depth0 - 1 - d];
		for (size_t t = 0; t < sizeof own_methods / sizeof *own_methods; t++)
			for (const rs_api_methods *am = own_methods[t]; am->cls; am++)
				if (strcmp(am->cls, k->name) == 0)
					for (const luaL_Reg *m = am->m; m->name; m++) {
						lua_pushcfunction(L, m->func);
						lua_setfield(L, -2, m->name);
					}
	}
	/* extras of the layers above: triples class name, member name,
	 * function */
	lua_getfield(L, LUA_REGISTRYINDEX, EXTRA_KEY);
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	for (lua_Integer k = 1; k + 2 <= n; k += 3) {
		lua_rawgeti(L, -1, k);
		int isa = rs_class_isa(c, lua_tostring(L, -1));
		lua_pop(L, 1);
		if (!isa)
			continue;
		lua_rawgeti(L, -1, k + 1);
		lua_rawgeti(L, -2, k + 2);
		lua_rawset(L, -4);
	}
	lua_pop(L, 1);
}

/* The registry's members (one slot per class, filled on first use) and
 * the list of added methods. */
static void build_members(lua_State *L)
{
	lua_createtable(L, rs_class_count(), 0);
	lua_setfield(L, LUA_REGISTRYINDEX, MEMBERS_KEY);
	lua_newtable(L);
	lua_setfield(L, LUA_REGISTRYINDEX, EXTRA_KEY);
}

void rs_api_method(lua_State *L, const char *cls, const char *name,
                   lua_CFunction f)
{
	lua_getfield(L, LUA_REGISTRYINDEX, EXTRA_KEY);
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	lua_pushstring(L, cls);
	lua_rawseti(L, -2, n + 1);
	lua_pushstring(L, name);
	lua_rawseti(L, -2, n + 2);
	lua_pushcfunction(L, f);
	lua_rawseti(L, -2, n + 3);
	lua_pop(L, 1);
	/* tables already built get it now */
	const rs_class *base = rs_class_find(cls);
	lua_getfield(L, LUA_REGISTRYINDEX, MEMBERS_KEY);
	lua_pushnil(L);
	if (lua_next(L, -2) == 0) { /* none built yet: a new VM */
		lua_pop(L, 1);
		return;
	}
	lua_pop(L, 2);
	for (int ci = 0; ci < rs_class_count(); ci++) {
		if (!rs_class_is(rs_class_at(ci), base))
			continue;
		if (lua_rawgeti(L, -1, ci + 1) == LUA_TTABLE) {
			lua_pushcfunction(L, f);
			lua_setfield(L, -2, name);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

void rs_api_open(rs_world *w)
{
	lua_State *L = rs_vm_state(w->vm);
	rs_vm_set_user(w->vm, w);
	rs_datatypes_open(L);
	luaL_newmetatable(L, INSTANCE_MT);
	static const luaL_Reg mt[] = {
		{ "__index", inst_index }, { "__newindex", inst_newindex },
		{ "__tostring", inst_tostring }, { NULL, NULL }
	};
	luaL_setfuncs(L, mt, 0);
	lua_pushliteral(L, "Instance");
	lua_setfield(L, -2, "__type");
	lua_pushliteral(L, "The metatable is locked");
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
	rs_signal_open(L);
	build_members(L);
	lua_newtable(L);
	lua_pushcfunction(L, instance_new);
	lua_setfield(L, -2, "new");
	lua_setglobal(L, "Instance");
}
