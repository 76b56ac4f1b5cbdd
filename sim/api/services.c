/*
 * services.c -- the services real libraries touch when they load:
 * CollectionService (tags), MessagingService, HttpService (GUIDs and
 * JSON), and the DataModel's IsLoaded and Loaded.
 *
 * Tags live on the instance record (rs_tags, in the order added).  The
 * signals of GetInstanceAddedSignal(tag) and GetInstanceRemovedSignal(tag)
 * are events of the CollectionService instance named "InstanceAdded:tag"
 * and "InstanceRemoved:tag", so they are made on first use and cost nothing
 * until a script connects.  They fire when a tag changes on an instance in
 * the game and when a tagged instance enters or leaves the game.  Tags
 * replicate as a whole set (OP_TAGS in game.c), as Roblox sends them.
 *
 * MessagingService has one server to talk to: a publication reaches that
 * server's own subscribers MESSAGE_DELAY later on the virtual clock, its
 * message copied by the remote-argument rules.  Subscriptions are events
 * "Message:topic" of the MessagingService instance, and SubscribeAsync's
 * connection is the event's own.
 *
 * Nothing here reads the wall clock: GUIDs come from a seeded stream per
 * peer.
 */
#include "api_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rsim/marshal.h"

#define TAG_MAX 100            /* bytes; the signal names must hold one */
#define TOPIC_MAX 80           /* Roblox's documented topic length */
#define MESSAGE_DELAY 0.2      /* seconds from PublishAsync to callbacks */
#define JSON_DEPTH_MAX 512
#define GUID_STREAM 0x4755494400000000ull   /* "GUID" << 32, + peer */

/* A method called with '.' has no instance first. */
static rs_inst *self_of(lua_State *L, const char *method)
{
	rs_inst *i = rs_inst_test(L, 1);
	if (i == NULL)
		luaL_error(L, "Expected ':' not '.' calling member function %s",
		           method);
	return i;
}

int rs_inst_in_game(const rs_inst *i)
{
	for (const rs_inst *k = i; k; k = k->parent)
		if (k == i->w->root)
			return 1;
	return 0;
}

/* ---- tags on a record ---- */

static int tag_at(const rs_inst *i, const char *tag)
{
	if (i->tags == NULL)
		return -1;
	for (uint32_t k = 0; k < i->tags->n; k++)
		if (strcmp(i->tags->v[k], tag) == 0)
			return (int)k;
	return -1;
}

static void tags_reserve(rs_inst *i, uint32_t n)
{
	if (i->tags && i->tags->cap >= n)
		return;
	uint32_t cap = i->tags && i->tags->cap ? i->tags->cap : 2;
	while (cap < n)
		cap *= 2;
	int fresh = i->tags == NULL;
	rs_tags *t = realloc(i->tags, sizeof *t + cap * sizeof *t->v);
	if (t == NULL)
		abort();
	if (fresh) {
		t->n = 0;
		i->w->ntagged++;
	}
	t->cap = cap;
	i->tags = t;
}

/* Adds tag (copied); returns 0 when i already has it. */
static int tag_add(rs_inst *i, const char *tag)
{
	if (tag_at(i, tag) >= 0)
		return 0;
	tags_reserve(i, i->tags ? i->tags->n + 1 : 1);
	char *copy = strdup(tag);
	if (copy == NULL)
		abort();
	i->tags->v[i->tags->n++] = copy;
	return 1;
}

static int tag_remove(rs_inst *i, const char *tag)
{
	int at = tag_at(i, tag);
	if (at < 0)
		return 0;
	rs_tags *t = i->tags;
	free(t->v[at]);
	memmove(&t->v[at], &t->v[at + 1], (t->n - (uint32_t)at - 1) * sizeof *t->v);
	t->n--;
	return 1;
}

void rs_tags_free(rs_inst *i)
{
	if (i->tags == NULL)
		return;
	for (uint32_t k = 0; k < i->tags->n; k++)
		free(i->tags->v[k]);
	free(i->tags);
	i->tags = NULL;
}

void rs_tags_copy(rs_inst *dst, const rs_inst *src)
{
	if (src->tags == NULL || src->tags->n == 0)
		return;
	for (uint32_t k = 0; k < src->tags->n; k++)
		tag_add(dst, src->tags->v[k]);
}

/* Fires CollectionService's added or removed signal of tag with i, if a
 * script ever made it. */
static void tag_fire(rs_inst *i, const char *tag, int added)
{
	rs_inst *cs = rs_world_service(i->w, "CollectionService");
	char key[128];
	snprintf(key, sizeof key, "%s:%s",
	         added ? "InstanceAdded" : "InstanceRemoved", tag);
	if (cs == NULL || !rs_inst_listens(cs, key))
		return;
	lua_State *L = rs_vm_state(i->w->vm);
	rs_inst_push(L, i);
	rs_inst_fire(cs, key, L, 1);
}

/* Fires for every tag of i; a handler that runs inside (Immediate mode)
 * may change the tags, so each is copied and the count read again. */
static void fire_all_tags(rs_inst *i, int added)
{
	for (uint32_t k = 0; i->tags && k < i->tags->n; k++) {
		char tag[TAG_MAX + 1];
		snprintf(tag, sizeof tag, "%s", i->tags->v[k]);
		tag_fire(i, tag, added);
	}
}

static void collect_tagged(rs_inst *i, rs_inst ***list, size_t *n,
                           size_t *cap)
{
	if (i->tags && i->tags->n) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*list = realloc(*list, *cap * sizeof **list);
			if (*list == NULL)
				abort();
		}
		(*list)[(*n)++] = i;
	}
	for (uint32_t k = 0; k < i->nkids; k++)
		collect_tagged(i->kids[k], list, n, cap);
}

void rs_tags_moved(rs_inst *i, int was_in_game)
{
	int now = rs_inst_in_game(i);
	if (now == was_in_game)
		return;
	/* the subtree is listed first: handlers may move it while firing */
	rs_inst **list = NULL;
	size_t n = 0, cap = 0;
	collect_tagged(i, &list, &n, &cap);
	for (size_t k = 0; k < n; k++)
		fire_all_tags(list[k], now);
	free(list);
}

void rs_tags_set(rs_inst *i, char **v, uint32_t n)
{
	rs_tags *old = i->tags;
	int in_game = rs_inst_in_game(i);
	i->tags = NULL;
	if (old)
		i->w->ntagged--; /* tags_reserve counts it again */
	if (n || old) {
		tags_reserve(i, n ? n : 1);
		for (uint32_t k = 0; k < n; k++)
			tag_add(i, v[k]);
	}
	if (in_game) {
		for (uint32_t k = 0; old && k < old->n; k++)
			if (tag_at(i, old->v[k]) < 0)
				tag_fire(i, old->v[k], 0);
		for (uint32_t k = 0; k < n; k++) {
			int had = 0;
			for (uint32_t j = 0; old && j < old->n && !had; j++)
				had = strcmp(old->v[j], v[k]) == 0;
			if (!had)
				tag_fire(i, v[k], 1);
		}
	}
	if (old) {
		for (uint32_t k = 0; k < old->n; k++)
			free(old->v[k]);
		free(old);
	}
}

/* ---- tag methods: CollectionService:X(inst, tag) and inst:X(tag) ---- */

static const char *check_tag(lua_State *L, int idx)
{
	size_t n;
	const char *tag = luaL_checklstring(L, idx, &n);
	if (n > TAG_MAX)
		luaL_error(L, "rsim does not model tags longer than %d bytes",
		           TAG_MAX);
	if (strlen(tag) != n)
		luaL_error(L, "rsim does not model tags with a zero byte");
	return tag;
}

static int do_add_tag(lua_State *L, rs_inst *i, int tag_idx)
{
	const char *tag = check_tag(L, tag_idx);
	if (!tag_add(i, tag))
		return 0;
	rs_repl_tags(i);
	if (rs_inst_in_game(i))
		tag_fire(i, tag, 1);
	return 0;
}

static int do_remove_tag(lua_State *L, rs_inst *i, int tag_idx)
{
	const char *tag = check_tag(L, tag_idx);
	char copy[TAG_MAX + 1];
	snprintf(copy, sizeof copy, "%s", tag);
	if (!tag_remove(i, copy))
		return 0;
	rs_repl_tags(i);
	if (rs_inst_in_game(i))
		tag_fire(i, copy, 0);
	return 0;
}

static int do_has_tag(lua_State *L, rs_inst *i, int tag_idx)
{
	lua_pushboolean(L, tag_at(i, luaL_checkstring(L, tag_idx)) >= 0);
	return 1;
}

static int do_get_tags(lua_State *L, rs_inst *i)
{
	uint32_t n = i->tags ? i->tags->n : 0;
	lua_createtable(L, (int)n, 0);
	for (uint32_t k = 0; k < n; k++) {
		lua_pushstring(L, i->tags->v[k]);
		lua_rawseti(L, -2, k + 1);
	}
	return 1;
}

static int cs_AddTag(lua_State *L)
{
	self_of(L, "AddTag");
	return do_add_tag(L, rs_inst_check(L, 2), 3);
}

static int cs_RemoveTag(lua_State *L)
{
	self_of(L, "RemoveTag");
	return do_remove_tag(L, rs_inst_check(L, 2), 3);
}

static int cs_HasTag(lua_State *L)
{
	self_of(L, "HasTag");
	return do_has_tag(L, rs_inst_check(L, 2), 3);
}

static int cs_GetTags(lua_State *L)
{
	self_of(L, "GetTags");
	return do_get_tags(L, rs_inst_check(L, 2));
}

static int in_AddTag(lua_State *L)
{
	return do_add_tag(L, self_of(L, "AddTag"), 2);
}

static int in_RemoveTag(lua_State *L)
{
	return do_remove_tag(L, self_of(L, "RemoveTag"), 2);
}

static int in_HasTag(lua_State *L)
{
	return do_has_tag(L, self_of(L, "HasTag"), 2);
}

static int in_GetTags(lua_State *L)
{
	return do_get_tags(L, self_of(L, "GetTags"));
}

/* Tree order (the order of GetDescendants), from the DataModel: Roblox
 * promises no order, and this one is deterministic. */
static void push_tagged(lua_State *L, rs_inst *i, const char *tag,
                        lua_Integer *n)
{
	if (tag_at(i, tag) >= 0) {
		rs_inst_push(L, i);
		lua_rawseti(L, -2, ++*n);
	}
	rs_world_touch(i);
	for (uint32_t k = 0; k < i->nkids; k++)
		push_tagged(L, i->kids[k], tag, n);
}

static int cs_GetTagged(lua_State *L)
{
	rs_inst *cs = self_of(L, "GetTagged");
	const char *tag = luaL_checkstring(L, 2);
	lua_newtable(L);
	lua_Integer n = 0;
	push_tagged(L, cs->w->root, tag, &n);
	return 1;
}

/* Every tag some instance of this peer has, sorted by bytes. */
static int cs_GetAllTags(lua_State *L)
{
	rs_inst *cs = self_of(L, "GetAllTags");
	lua_newtable(L);
	for (rs_inst *i = cs->w->all; i; i = i->all_next) {
		if (i->destroyed || i->tags == NULL)
			continue;
		for (uint32_t k = 0; k < i->tags->n; k++) {
			lua_pushboolean(L, 1);
			lua_setfield(L, -2, i->tags->v[k]);
		}
	}
	rs_vm_sorted_keys(L, -1);
	return 1;
}

static int tag_signal(lua_State *L, const char *method, const char *event)
{
	rs_inst *cs = self_of(L, method);
	const char *tag = check_tag(L, 2);
	char key[128];
	snprintf(key, sizeof key, "%s:%s", event, tag);
	rs_signal_push(L, cs, key);
	return 1;
}

static int cs_GetInstanceAddedSignal(lua_State *L)
{
	return tag_signal(L, "GetInstanceAddedSignal", "InstanceAdded");
}

static int cs_GetInstanceRemovedSignal(lua_State *L)
{
	return tag_signal(L, "GetInstanceRemovedSignal", "InstanceRemoved");
}

/* ---- MessagingService ---- */

typedef struct publication {
	struct publication *next;
	char topic[TOPIC_MAX + 1];
	double sent;
	size_t len;
	unsigned char data[];
} publication;

typedef struct pub_queue {
	publication *head, *tail;
} pub_queue;

void rs_services_free(rs_world *w)
{
	pub_queue *q = w->messages;
	if (q == NULL)
		return;
	while (q->head) {
		publication *p = q->head;
		q->head = p->next;
		free(p);
	}
	free(q);
	w->messages = NULL;
}

static const char *check_topic(lua_State *L, int idx)
{
	size_t n;
	const char *topic = luaL_checklstring(L, idx, &n);
	if (n == 0 || n > TOPIC_MAX || strlen(topic) != n)
		luaL_error(L, "MessagingService topics are 1 to %d characters, "
		           "got %d", TOPIC_MAX, (int)n);
	return topic;
}

static void server_only(lua_State *L, rs_inst *ms, const char *method)
{
	if (!rs_world_is_server(ms->w))
		luaL_error(L, "%s can only be called from the server", method);
}

/* Another server sees none of this one's instances: they arrive as nil. */
static uint64_t no_instance_id(lua_State *L, int idx, void *ud)
{
	(void)L;
	(void)idx;
	(void)ud;
	return 0;
}

static void push_no_instance(lua_State *L, uint64_t id, void *ud)
{
	(void)id;
	(void)ud;
	lua_pushnil(L);
}

static const rs_marshal_ctx no_instances = {
	.instance_id = no_instance_id, .push_instance = push_no_instance,
};

/* MESSAGE_DELAY after a PublishAsync: its subscribers' callbacks get
 * { Data = copy, Sent = time }.  Publications leave in the order made. */
static void message_arrives(rs_sim *sim, const rs_event *ev)
{
	(void)sim;
	rs_world *w = ev->ctx;
	pub_queue *q = w->messages;
	publication *p = q ? q->head : NULL;
	if (p == NULL)
		return;
	q->head = p->next;
	if (q->head == NULL)
		q->tail = NULL;
	rs_inst *ms = rs_world_service(w, "MessagingService");
	char key[128];
	snprintf(key, sizeof key, "Message:%s", p->topic);
	if (!rs_vm_halted(w->vm) && ms && rs_inst_listens(ms, key)) {
		lua_State *L = rs_vm_state(w->vm);
		lua_createtable(L, 0, 2);
		int got = rs_marshal_decode(L, p->data, p->len, &no_instances);
		if (got < 0)
			lua_pushnil(L);
		else if (got > 1)
			lua_pop(L, got - 1);
		lua_setfield(L, -2, "Data");
		lua_pushnumber(L, p->sent);
		lua_setfield(L, -2, "Sent");
		rs_inst_fire(ms, key, L, 1);
	}
	free(p);
}

static int ms_PublishAsync(lua_State *L)
{
	rs_inst *ms = self_of(L, "PublishAsync");
	server_only(L, ms, "PublishAsync");
	const char *topic = check_topic(L, 2);
	lua_settop(L, 3);
	rs_buf b;
	rs_buf_init(&b);
	char err[256];
	if (!rs_marshal_encode(L, 3, 1, &b, &no_instances, err, sizeof err)) {
		rs_buf_free(&b);
		return luaL_error(L, "%s", err);
	}
	publication *p = malloc(sizeof *p + b.len);
	if (p == NULL)
		abort();
	p->next = NULL;
	snprintf(p->topic, sizeof p->topic, "%s", topic);
	p->len = b.len;
	memcpy(p->data, b.p, b.len);
	rs_buf_free(&b);
	/* Sent is Unix time, as tick() reads the virtual clock */
	lua_getglobal(L, "tick");
	lua_call(L, 0, 1);
	p->sent = lua_tonumber(L, -1);
	lua_pop(L, 1);
	rs_world *w = ms->w;
	pub_queue *q = w->messages;
	if (q == NULL) {
		q = calloc(1, sizeof *q);
		if (q == NULL)
			abort();
		w->messages = q;
	}
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	rs_sim *sim = rs_vm_sim(w->vm);
	rs_sim_at(sim, sim->now + rs_time_from_sec(MESSAGE_DELAY),
	          message_arrives, w, 0, 0);
	return 0;
}

/* The connection is the one Connect gives on the topic's event. */
static int ms_SubscribeAsync(lua_State *L)
{
	rs_inst *ms = self_of(L, "SubscribeAsync");
	server_only(L, ms, "SubscribeAsync");
	const char *topic = check_topic(L, 2);
	luaL_checktype(L, 3, LUA_TFUNCTION);
	char key[128];
	snprintf(key, sizeof key, "Message:%s", topic);
	rs_signal_push(L, ms, key);
	lua_getfield(L, -1, "Connect");
	lua_insert(L, -2);
	lua_pushvalue(L, 3);
	lua_call(L, 2, 1);
	return 1;
}

/* ---- HttpService ---- */

/* A version 4, variant 1 UUID from the peer's seeded stream, in upper
 * case hex. */
static int hs_GenerateGUID(lua_State *L)
{
	rs_inst *hs = self_of(L, "GenerateGUID");
	int braces = lua_isnoneornil(L, 2) ? 1 : lua_toboolean(L, 2);
	rs_world *w = hs->w;
	if (!w->guid_seeded) {
		rs_rng_seed(&w->guid_rng, rs_vm_sim(w->vm)->seed,
		            GUID_STREAM + (uint64_t)w->peer);
		w->guid_seeded = 1;
	}
	uint64_t hi = rs_rng_next(&w->guid_rng), lo = rs_rng_next(&w->guid_rng);
	hi = (hi & ~0xf000ull) | 0x4000ull;                /* version 4 */
	lo = (lo & ~(3ull << 62)) | (2ull << 62);          /* variant 10 */
	char s[40];
	snprintf(s, sizeof s, "%s%08X-%04X-%04X-%04X-%012llX%s",
	         braces ? "{" : "", (unsigned)(hi >> 32),
	         (unsigned)(hi >> 16) & 0xffff, (unsigned)hi & 0xffff,
	         (unsigned)(lo >> 48), (unsigned long long)(lo & 0xffffffffffffull),
	         braces ? "}" : "");
	lua_pushstring(L, s);
	return 1;
}

/* JSON writing.  Strings are escaped by jansson; numbers print as Luau
 * prints them (so inf and nan come out as Roblox allows); a table whose
 * t[1] is not nil is an array up to its first nil (other keys ignored),
 * any other non-empty table an object of its string and number keys in
 * canonical order; an empty table is [].  Values JSON cannot hold
 * (functions, threads, userdata, instances) are written as null. */
typedef struct json_out {
	rs_buf b;
	int seen;              /* stack index of the set of open tables */
	char err[128];
} json_out;

static int put_json(lua_State *L, int idx, json_out *o, int depth);

static void put_raw(json_out *o, const char *s)
{
	rs_buf_put(&o->b, s, strlen(s));
}

static int put_json_string(json_out *o, const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);
	char *text = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	if (text == NULL) {
		snprintf(o->err, sizeof o->err, "Cannot convert a string that is "
		         "not valid UTF-8 to JSON");
		return 0;
	}
	put_raw(o, text);
	free(text);
	return 1;
}

static int put_json_table(lua_State *L, int idx, json_out *o, int depth)
{
	lua_pushvalue(L, idx);
	if (lua_rawget(L, o->seen) != LUA_TNIL) {
		lua_pop(L, 1);
		snprintf(o->err, sizeof o->err, "tables cannot be cyclic");
		return 0;
	}
	lua_pop(L, 1);
	lua_pushvalue(L, idx);
	lua_pushboolean(L, 1);
	lua_rawset(L, o->seen);
	int ok = 1;
	if (lua_rawgeti(L, idx, 1) != LUA_TNIL) {
		lua_pop(L, 1);
		put_raw(o, "[");
		for (lua_Integer k = 1; ok; k++) {
			if (lua_rawgeti(L, idx, k) == LUA_TNIL) {
				lua_pop(L, 1);
				break;
			}
			if (k > 1)
				put_raw(o, ",");
			ok = put_json(L, lua_gettop(L), o, depth + 1);
			lua_pop(L, 1);
		}
		put_raw(o, "]");
	} else {
		lua_pop(L, 1);
		lua_Integer nk = rs_vm_sorted_keys(L, idx);
		int keys = lua_gettop(L);
		int first = 1;
		put_raw(o, nk ? "{" : "[");
		for (lua_Integer k = 1; k <= nk && ok; k++) {
			lua_rawgeti(L, keys, k);
			int kt = lua_type(L, -1);
			if (kt != LUA_TSTRING && kt != LUA_TNUMBER) {
				lua_pop(L, 1);
				continue;
			}
			char num[RS_NUMBUF];
			size_t kn;
			const char *ks;
			if (kt == LUA_TNUMBER) {
				kn = (size_t)rs_fmtnum(lua_tonumber(L, -1), num);
				ks = num;
			} else {
				ks = lua_tolstring(L, -1, &kn);
			}
			if (!first)
				put_raw(o, ",");
			first = 0;
			ok = put_json_string(o, ks, kn);
			put_raw(o, ":");
			lua_rawget(L, idx);
			if (ok)
				ok = put_json(L, lua_gettop(L), o, depth + 1);
			lua_pop(L, 1);
		}
		put_raw(o, nk ? "}" : "]");
		lua_pop(L, 1);
	}
	lua_pushvalue(L, idx);
	lua_pushnil(L);
	lua_rawset(L, o->seen);
	return ok;
}

static int put_json(lua_State *L, int idx, json_out *o, int depth)
{
	if (depth > JSON_DEPTH_MAX) {
		snprintf(o->err, sizeof o->err, "rsim does not model JSON nested "
		         "deeper than %d", JSON_DEPTH_MAX);
		return 0;
	}
	luaL_checkstack(L, 8, "JSONEncode");
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN:
		put_raw(o, lua_toboolean(L, idx) ? "true" : "false");
		return 1;
	case LUA_TNUMBER: {
		char num[RS_NUMBUF];
		rs_fmtnum(lua_tonumber(L, idx), num);
		put_raw(o, num);
		return 1;
	}
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		return put_json_string(o, s, n);
	}
	case LUA_TTABLE:
		return put_json_table(L, idx, o, depth);
	default:
		put_raw(o, "null");
		return 1;
	}
}

static int hs_JSONEncode(lua_State *L)
{
	self_of(L, "JSONEncode");
	lua_settop(L, 2);
	lua_newtable(L);
	json_out o = { .seen = 3 };
	rs_buf_init(&o.b);
	int ok = put_json(L, 2, &o, 0);
	if (ok)
		lua_pushlstring(L, (const char *)o.b.p, o.b.len);
	rs_buf_free(&o.b);
	if (!ok)
		return luaL_error(L, "%s", o.err);
	return 1;
}

/* JSON reading: objects and arrays become tables (null in an array
 * leaves a hole), numbers are Luau numbers, a top-level null is nil. */
static void push_json(lua_State *L, const json_t *j)
{
	luaL_checkstack(L, 4, "JSONDecode");
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *v;
		lua_createtable(L, 0, (int)json_object_size(j));
		json_object_foreach((json_t *)j, k, v) {
			push_json(L, v);
			lua_setfield(L, -2, k);
		}
		break;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(j);
		lua_createtable(L, (int)n, 0);
		for (size_t k = 0; k < n; k++) {
			push_json(L, json_array_get(j, k));
			lua_rawseti(L, -2, (lua_Integer)k + 1);
		}
		break;
	}
	case JSON_STRING:
		lua_pushlstring(L, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		lua_pushnumber(L, (lua_Number)json_integer_value(j));
		break;
	case JSON_REAL:
		lua_pushnumber(L, json_real_value(j));
		break;
	case JSON_TRUE:
		lua_pushboolean(L, 1);
		break;
	case JSON_FALSE:
		lua_pushboolean(L, 0);
		break;
	default:
		lua_pushnil(L);
		break;
	}
}

static int push_json_protected(lua_State *L)
{
	push_json(L, lua_touserdata(L, 1));
	return 1;
}

static int hs_JSONDecode(lua_State *L)
{
	self_of(L, "JSONDecode");
	size_t n;
	const char *s = luaL_checklstring(L, 2, &n);
	json_error_t err;
	json_t *j = json_loadb(s, n, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL |
	                       JSON_ALLOW_NUL, &err);
	if (j == NULL)
		return luaL_error(L, "Can't parse JSON");
	/* the tables are made in a protected call, so that running out of
	 * memory there does not leak j */
	lua_pushcfunction(L, push_json_protected);
	lua_pushlightuserdata(L, j);
	int status = lua_pcall(L, 1, 1, 0);
	json_decref(j);
	if (status != LUA_OK)
		return lua_error(L);
	return 1;
}

static int not_modeled(lua_State *L, const char *what)
{
	return luaL_error(L, "rsim does not model %s", what);
}

static int hs_GetAsync(lua_State *L)
{
	return not_modeled(L, "HttpService:GetAsync");
}

static int hs_PostAsync(lua_State *L)
{
	return not_modeled(L, "HttpService:PostAsync");
}

static int hs_RequestAsync(lua_State *L)
{
	return not_modeled(L, "HttpService:RequestAsync");
}

static int hs_GetSecret(lua_State *L)
{
	return not_modeled(L, "HttpService:GetSecret");
}

/* ---- DataModel loading ---- */

/* The server is loaded from the start; a client once its snapshot came. */
static int dm_IsLoaded(lua_State *L)
{
	rs_inst *dm = self_of(L, "IsLoaded");
	lua_pushboolean(L, rs_world_is_server(dm->w) || dm->w->loaded);
	return 1;
}

void rs_world_fire_loaded(rs_world *w)
{
	lua_State *L = rs_vm_state(w->vm);
	rs_inst_fire(w->root, "Loaded", L, 0);
}

/* ---- registration ---- */

static const luaL_Reg tag_methods[] = {
	{ "AddTag", in_AddTag }, { "RemoveTag", in_RemoveTag },
	{ "HasTag", in_HasTag }, { "GetTags", in_GetTags }, { NULL, NULL }
};
static const luaL_Reg collection_methods[] = {
	{ "AddTag", cs_AddTag }, { "RemoveTag", cs_RemoveTag },
	{ "HasTag", cs_HasTag }, { "GetTags", cs_GetTags },
	{ "GetTagged", cs_GetTagged }, { "GetAllTags", cs_GetAllTags },
	{ "GetInstanceAddedSignal", cs_GetInstanceAddedSignal },
	{ "GetInstanceRemovedSignal", cs_GetInstanceRemovedSignal },
	{ NULL, NULL }
};
static const luaL_Reg messaging_methods[] = {
	{ "PublishAsync", ms_PublishAsync },
	{ "SubscribeAsync", ms_SubscribeAsync }, { NULL, NULL }
};
static const luaL_Reg http_methods[] = {
	{ "GenerateGUID", hs_GenerateGUID }, { "JSONEncode", hs_JSONEncode },
	{ "JSONDecode", hs_JSONDecode }, { "GetAsync", hs_GetAsync },
	{ "PostAsync", hs_PostAsync }, { "RequestAsync", hs_RequestAsync },
	{ "GetSecret", hs_GetSecret }, { NULL, NULL }
};
static const luaL_Reg datamodel_methods[] = {
	{ "IsLoaded", dm_IsLoaded }, { NULL, NULL }
};

const rs_api_methods rs_services_methods[] = {
	{ "Instance", tag_methods },
	{ "CollectionService", collection_methods },
	{ "MessagingService", messaging_methods },
	{ "HttpService", http_methods },
	{ "DataModel", datamodel_methods },
	{ NULL, NULL }
};
