/*
 * marshal -- Lua values to wire bytes and back, applying every argument
 * limitation of Roblox remotes.
 *
 * Encoding happens once per send; its byte length is what the link
 * charges.  The rules (see the README for the full list):
 *   - nil, booleans, numbers (integer or float kept), strings: as they are;
 *   - functions and threads become nil (at the top level and in tables),
 *     unless the context keeps functions (bindables: see value_ref);
 *   - tables are copied: a new identity on the other side, metatables
 *     dropped, non-string keys other than the array part become strings,
 *     mixed tables and nil holes follow the documented rule;
 *   - datatypes (Vector3, Color3, CFrame, EnumItem, ...) travel by value
 *     through rs_datatype_get / rs_datatype_push;
 *   - instances travel as network ids given by the context; an instance
 *     the receiver cannot see arrives as nil.
 * The decoder trusts nothing: malformed bytes give an error, never a crash.
 */
#ifndef RSIM_MARSHAL_H
#define RSIM_MARSHAL_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

typedef struct rs_buf {
	unsigned char *p;
	size_t len, cap;
} rs_buf;

void rs_buf_init(rs_buf *b);
void rs_buf_free(rs_buf *b);
/* Appends n bytes; appends a LEB128 varint.  Abort when out of memory
 * (a message header is a few bytes: nothing sane is left then). */
void rs_buf_put(rs_buf *b, const void *p, size_t n);
void rs_buf_put_uv(rs_buf *b, uint64_t v);
/* Reads a LEB128 varint at *p (before end), moving *p past it; 0 when
 * truncated or longer than 10 bytes. */
int rs_buf_get_uv(const unsigned char **p, const unsigned char *end,
                  uint64_t *out);

typedef struct rs_marshal_ctx {
	/* Sender: the network id of the Instance userdata at idx, or 0 when it
	 * cannot be replicated (it exists only on the sender's side). */
	uint64_t (*instance_id)(lua_State *L, int idx, void *ud);
	/* Receiver: pushes the receiver's own instance with that id, or nil
	 * when the receiver has none. */
	void (*push_instance)(lua_State *L, uint64_t id, void *ud);
	void *ud;
	/* Receiver, optional: called just before the decoder makes each
	 * table, in the order it makes them (a value's tables before the next
	 * value's, a table before the tables inside it). */
	void (*new_table)(lua_State *L, void *ud);
	/* Both or neither, for values that stay in one VM (bindables): the
	 * sender's value_ref is given each function met (top level, array
	 * slot or dictionary value) and returns a nonzero id for it; the
	 * receiver's push_ref pushes the value of that id, so the function
	 * arrives unchanged.  Without them functions arrive as nil, and a
	 * decoder without push_ref rejects bytes that hold a reference:
	 * references never travel on a link. */
	uint64_t (*value_ref)(lua_State *L, int idx, void *ud);
	void (*push_ref)(lua_State *L, uint64_t id, void *ud);
} rs_marshal_ctx;

/*
 * Appends the encoding of the n values at L[first..first+n-1] to out.
 * Returns 1, or 0 with a Roblox-worded message in err (e.g. a table that
 * contains itself, nesting too deep).  Never raises a Lua error except for
 * memory.
 */
int rs_marshal_encode(lua_State *L, int first, int n, rs_buf *out,
                      const rs_marshal_ctx *cx, char *err, size_t errlen);

/*
 * Pushes the values encoded in p[0..len) onto L and returns how many, or
 * -1 (pushing nothing) when the bytes are malformed.
 */
int rs_marshal_decode(lua_State *L, const unsigned char *p, size_t len,
                      const rs_marshal_ctx *cx);

/* What decoding p[0..len) would make, found without a Lua state. */
typedef struct rs_marshal_shape {
	uint32_t values;   /* top-level values */
	uint32_t tables;   /* tables made */
	int plain;         /* only nil, booleans, numbers, strings and tables
	                    * (no datatype, instance or function reference):
	                    * no context is consulted, no other object is made,
	                    * and decoding cannot fail but for memory */
} rs_marshal_shape;
/* Returns 1 and fills *out when rs_marshal_decode would accept the bytes
 * (stack space and memory aside); 0 when it would reject them. */
int rs_marshal_shape_of(const unsigned char *p, size_t len,
                        rs_marshal_shape *out);

#endif
