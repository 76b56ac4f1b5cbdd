/*
 * luau.c -- Luau source to Lua 5.4 source.
 *
 * A tokenizer turns the whole chunk into an array of tokens (comments
 * dropped, interpolated strings split into segments), then a recursive-
 * descent parser shaped like Lua's lparser.c walks it and writes Lua 5.4
 * text as it goes.  Every source token is written on its own source line:
 * the writer pads newlines up to the token's line before writing it, and
 * synthetic text (helper calls, labels, erased types) never contains a
 * newline.  Rewrites that need text before an already written operand
 * (`a .. b` -> `__rsim_cat(a, b)`) insert at a remembered offset of the
 * output; an insertion point is always at or after every offset an open
 * enclosing construct still holds, so no remembered offset goes stale.
 *
 * Syntax errors longjmp out of the parser with a Luau-like sentence; the
 * token array and output buffer are freed by rs_luau_translate.  Recursion
 * is bounded, so hostile input cannot overflow the C stack.
 */
#include "rsim/luau.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokens ---- */

enum {
	TK_EOF = 256, TK_NAME, TK_NUMBER, TK_STRING,
	TK_ISIMPLE, TK_IBEGIN, TK_IMID, TK_IEND, TK_ATTR,
	/* reserved words, in the order of kwnames[] */
	TK_AND, TK_BREAK, TK_DO, TK_ELSE, TK_ELSEIF, TK_END, TK_FALSE, TK_FOR,
	TK_FUNCTION, TK_IF, TK_IN, TK_LOCAL, TK_NIL, TK_NOT, TK_OR, TK_REPEAT,
	TK_RETURN, TK_THEN, TK_TRUE, TK_UNTIL, TK_WHILE,
	/* multi-character symbols */
	TK_CONCAT, TK_DOTS, TK_EQ, TK_GE, TK_LE, TK_NE, TK_IDIV, TK_DBCOLON,
	TK_ARROW, TK_ADDEQ, TK_SUBEQ, TK_MULEQ, TK_DIVEQ, TK_IDIVEQ, TK_MODEQ,
	TK_POWEQ, TK_CATEQ
};

static const char *const kwnames[] = {
	"and", "break", "do", "else", "elseif", "end", "false", "for",
	"function", "if", "in", "local", "nil", "not", "or", "repeat",
	"return", "then", "true", "until", "while"
};

typedef struct Token {
	int kind;
	int line, col;
	const char *s;     /* source text of the token */
	size_t len;
} Token;

/* ---- translator state ---- */

#define MAXDEPTH 180       /* parser recursion bound (C stack safety) */
#define MAXINTERP 32       /* nesting of interpolated strings */
#define MAXLOCALS 64       /* names remembered for the repeat check */

enum { H_ITER = 1, H_CAT = 2, H_INTERP = 4, H_IDIV = 8 };

typedef struct Loop {
	int id;             /* label __rsim_c<id> */
	int ncont;          /* continue statements seen for this loop */
	int wrapped;        /* `do ` inserted before the first of them */
	size_t wrap_at;
	int cont_line;      /* line of the first continue */
	int nafter;         /* top-level locals declared after wrap_at */
	const Token *after[MAXLOCALS];
	struct Loop *prev;
} Loop;

typedef struct Parser {
	const char *src;
	size_t srclen;
	Token *tk;
	size_t ntk, captk;
	size_t pos;             /* current token */
	char *out;
	size_t n, cap;
	int outline;            /* line the writer is on */
	int mute;               /* >0 while erasing types */
	int depth;
	int helpers;            /* H_* used */
	int nextid;             /* hidden names and labels */
	int vararg;             /* current function accepts ... */
	int fornum;             /* parsing a numeric for's start (1) or
	                         * step (2), where integer literals stay */
	Loop *loop;             /* innermost loop of the current function */
	size_t *marks;          /* if-expression branch offsets, a stack */
	size_t nmarks, capmarks;
	const Token *lastlocals[MAXLOCALS];
	int nlastlocals;
	rs_luau_error *err;
	jmp_buf jb;
} Parser;

static void fail(Parser *P, int line, const char *fmt, ...)
{
	va_list ap;
	P->err->line = line;
	va_start(ap, fmt);
	vsnprintf(P->err->msg, sizeof P->err->msg, fmt, ap);
	va_end(ap);
	longjmp(P->jb, 1);
}

static void *grow(Parser *P, void *p, size_t *cap, size_t need, size_t elt)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(p, c * elt);
	if (q == NULL)
		fail(P, 0, "out of memory");
	*cap = c;
	return q;
}

/* ---- tokenizer ---- */

typedef struct Lexer {
	Parser *P;
	const char *s, *e;
	const char *p;
	const char *linestart;
	int line;
	int ibraces[MAXINTERP];   /* open `{` inside each interpolation */
	int ilevel;
} Lexer;

static int isname0(int c) { return isalpha(c) || c == '_'; }
static int isname1(int c) { return isalnum(c) || c == '_'; }

static void addtoken(Lexer *X, int kind, const char *s, int line, int col)
{
	Parser *P = X->P;
	P->tk = grow(P, P->tk, &P->captk, P->ntk + 1, sizeof *P->tk);
	Token *t = &P->tk[P->ntk++];
	t->kind = kind;
	t->line = line;
	t->col = col;
	t->s = s;
	t->len = (size_t)(X->p - s);
}

static void newline(Lexer *X)
{
	/* \r\n and \n\r count as one line break, like Lua's inclinenumber */
	char c = *X->p++;
	if (X->p < X->e && (*X->p == '\n' || *X->p == '\r') && *X->p != c)
		X->p++;
	X->line++;
	X->linestart = X->p;
}

/* Length of the long bracket opening at p ("[==[" -> level 2), or -1. */
static int longlevel(Lexer *X, const char *p)
{
	int lvl = 0;
	if (p >= X->e || *p != '[')
		return -1;
	for (p++; p < X->e && *p == '='; p++)
		lvl++;
	return (p < X->e && *p == '[') ? lvl : -1;
}

static void longbracket(Lexer *X, int lvl, const char *what)
{
	int line = X->line;
	X->p += lvl + 2;
	while (X->p < X->e) {
		if (*X->p == ']') {
			const char *q = X->p + 1;
			int n = 0;
			while (q < X->e && *q == '=')
				q++, n++;
			if (n == lvl && q < X->e && *q == ']') {
				X->p = q + 1;
				return;
			}
			X->p++;
		} else if (*X->p == '\n' || *X->p == '\r') {
			newline(X);
		} else {
			X->p++;
		}
	}
	fail(X->P, line, "Unfinished long %s", what);
}

/* Checks the escape after a backslash (Lua 5.4 accepts the same set,
 * plus \{ and \` in interpolated strings which we rewrite). */
static void escape(Lexer *X, int interp)
{
	const char *p = X->p;
	int c = (unsigned char)*p;
	if ((c && strchr("abfnrtv\\\"'", c)) || (interp && (c == '{' || c == '`'))) {
		X->p++;
		return;
	}
	if (isdigit(c)) {
		int v = 0, n = 0;
		while (n < 3 && p < X->e && isdigit((unsigned char)*p))
			v = v * 10 + (*p++ - '0'), n++;
		if (v <= 255) {
			X->p = p;
			return;
		}
	} else if (c == 'x') {
		if (X->e - p > 2 && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			X->p += 3;
			return;
		}
	} else if (c == 'u' && X->e - p > 2 && p[1] == '{') {
		unsigned long v = 0;
		int n = 0;
		for (p += 2; p < X->e && isxdigit((unsigned char)*p) && n < 9; p++, n++)
			v = v * 16 + (unsigned long)(isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10);
		if (n > 0 && n < 9 && p < X->e && *p == '}' && v <= 0x10ffff) {
			X->p = p + 1;
			return;
		}
	}
	fail(X->P, X->line, interp ? "Interpolated string literal contains malformed escape sequence"
	                           : "String literal contains malformed escape sequence");
}

/* Scans a quoted string body up to (not past) the closing quote; with
 * interp set, also stops at an unescaped `{`.  Returns the stop char. */
static int quoted(Lexer *X, int quote, int interp)
{
	while (X->p < X->e) {
		int c = (unsigned char)*X->p;
		if (c == quote || (interp && c == '{'))
			return c;
		if (c == '\n' || c == '\r')
			break;
		if (c == '\\') {
			X->p++;
			if (X->p >= X->e)
				break;
			if (*X->p == '\n' || *X->p == '\r') {
				newline(X);
			} else if (*X->p == 'z') {
				X->p++;
				while (X->p < X->e && isspace((unsigned char)*X->p)) {
					if (*X->p == '\n' || *X->p == '\r')
						newline(X);
					else
						X->p++;
				}
			} else {
				escape(X, interp);
			}
			continue;
		}
		X->p++;
	}
	fail(X->P, X->line, interp ? "Malformed interpolated string; did you forget to add a '`'?"
	                           : "Malformed string; did you forget to finish it?");
	return 0;
}

/* Continues an interpolated string after `` ` `` or a closing `}`. */
static void interpseg(Lexer *X, const char *start, int line, int col, int first)
{
	int c = quoted(X, '`', 1);
	X->p++;
	if (c == '{') {
		if (X->p < X->e && *X->p == '{')
			fail(X->P, X->line, "Double braces are not permitted within interpolated strings; did you mean '\\{'?");
		if (X->ilevel >= MAXINTERP)
			fail(X->P, X->line, "Exceeded allowed recursion depth; simplify your expression to make the code compile");
		X->ibraces[X->ilevel++] = 0;
		addtoken(X, first ? TK_IBEGIN : TK_IMID, start, line, col);
	} else {
		addtoken(X, first ? TK_ISIMPLE : TK_IEND, start, line, col);
	}
}

static void number(Lexer *X, const char *start, int line, int col)
{
	/* like Luau's readNumber: digits, letters, '_', '.', and a sign after
	 * a decimal exponent; validity is checked when the token is written */
	int hex = X->e - X->p > 1 && X->p[0] == '0' && (X->p[1] == 'x' || X->p[1] == 'X');
	while (X->p < X->e) {
		int c = (unsigned char)*X->p;
		if (isname1(c) || c == '.') {
			X->p++;
		} else if ((c == '+' || c == '-') && !hex &&
		           (X->p[-1] == 'e' || X->p[-1] == 'E')) {
			X->p++;
		} else {
			break;
		}
	}
	addtoken(X, TK_NUMBER, start, line, col);
}

static int keyword(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof kwnames / sizeof *kwnames; i++)
		if (strlen(kwnames[i]) == len && memcmp(kwnames[i], s, len) == 0)
			return TK_AND + (int)i;
	return TK_NAME;
}

/* Multi-character symbols, longest first within each first character. */
static const struct { const char *s; int kind; } symbols[] = {
	{ "...", TK_DOTS }, { "..=", TK_CATEQ }, { "..", TK_CONCAT },
	{ "==", TK_EQ }, { ">=", TK_GE }, { "<=", TK_LE }, { "~=", TK_NE },
	{ "//=", TK_IDIVEQ }, { "//", TK_IDIV }, { "::", TK_DBCOLON },
	{ "->", TK_ARROW }, { "+=", TK_ADDEQ }, { "-=", TK_SUBEQ },
	{ "*=", TK_MULEQ }, { "/=", TK_DIVEQ }, { "%=", TK_MODEQ },
	{ "^=", TK_POWEQ },
};

static int symbol(Lexer *X)
{
	size_t left = (size_t)(X->e - X->p);
	for (size_t i = 0; i < sizeof symbols / sizeof *symbols; i++) {
		size_t n = strlen(symbols[i].s);
		if (n <= left && memcmp(X->p, symbols[i].s, n) == 0) {
			X->p += n;
			return symbols[i].kind;
		}
	}
	if (strchr("+-*/%^#<>=(){}[];:,.?|&", *X->p) == NULL || *X->p == '\0')
		return -1;
	return (unsigned char)*X->p++;
}

static void tokenize(Parser *P)
{
	Lexer X;
	memset(&X, 0, sizeof X);
	X.P = P;
	X.s = X.p = X.linestart = P->src;
	X.e = P->src + P->srclen;
	X.line = 1;
	for (;;) {
		if (X.p >= X.e) {
			addtoken(&X, TK_EOF, X.p, X.line, (int)(X.p - X.linestart) + 1);
			return;
		}
		const char *start = X.p;
		int line = X.line, col = (int)(X.p - X.linestart) + 1;
		int c = (unsigned char)*X.p;
		if (c == '\n' || c == '\r') {
			newline(&X);
		} else if (isspace(c)) {
			X.p++;
		} else if (c == '-' && X.e - X.p > 1 && X.p[1] == '-') {
			int lvl = longlevel(&X, X.p + 2);
			if (lvl >= 0) {
				X.p += 2;
				longbracket(&X, lvl, "comment");
			} else {
				while (X.p < X.e && *X.p != '\n' && *X.p != '\r')
					X.p++;
			}
		} else if (isname0(c)) {
			while (X.p < X.e && isname1((unsigned char)*X.p))
				X.p++;
			addtoken(&X, keyword(start, (size_t)(X.p - start)), start, line, col);
		} else if (isdigit(c) || (c == '.' && X.e - X.p > 1 && isdigit((unsigned char)X.p[1]))) {
			number(&X, start, line, col);
		} else if (c == '"' || c == '\'') {
			X.p++;
			quoted(&X, c, 0);
			X.p++;
			addtoken(&X, TK_STRING, start, line, col);
		} else if (c == '[' && longlevel(&X, X.p) >= 0) {
			longbracket(&X, longlevel(&X, X.p), "string");
			addtoken(&X, TK_STRING, start, line, col);
		} else if (c == '`') {
			X.p++;
			interpseg(&X, start, line, col, 1);
		} else if (c == '@' && X.e - X.p > 1 && isname0((unsigned char)X.p[1])) {
			X.p++;
			while (X.p < X.e && isname1((unsigned char)*X.p))
				X.p++;
			addtoken(&X, TK_ATTR, start, line, col);
		} else if (c == '}' && X.ilevel > 0 && X.ibraces[X.ilevel - 1] == 0) {
			X.ilevel--;
			X.p++;
			interpseg(&X, start, line, col, 0);
		} else {
			int k = symbol(&X);
			if (k < 0) {
				if (isprint(c))
					fail(P, line, "Unexpected symbol '%c'", c);
				fail(P, line, "Unexpected symbol (char %d)", c);
			}
			if (X.ilevel > 0 && k == '{')
				X.ibraces[X.ilevel - 1]++;
			else if (X.ilevel > 0 && k == '}')
				X.ibraces[X.ilevel - 1]--;
			addtoken(&X, k, start, line, col);
		}
	}
}

/* ---- output ---- */

static void putraw(Parser *P, const char *s, size_t len)
{
	P->out = grow(P, P->out, &P->cap, P->n + len + 1, 1);
	memcpy(P->out + P->n, s, len);
	P->n += len;
}

static void sync(Parser *P, int line)
{
	if (P->mute)
		return;
	while (P->outline < line) {
		putraw(P, "\n", 1);
		P->outline++;
	}
}

/* A space keeps adjacent tokens from fusing into another token
 * (`- -x` is not a comment, `a [ [` is not a long string). */
static int needspace(int prev, int next)
{
	static const char fuse[] = "-[=.<>~/:+*%^#&|?";
	if (isname1(prev) && (isname1(next) || next == '.'))
		return 1;
	return strchr(fuse, prev) && strchr(fuse, next) && prev && next;
}

/* Appends text verbatim, counting the line breaks it holds. */
static void putlit(Parser *P, const char *s, size_t len)
{
	putraw(P, s, len);
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' || (s[i] == '\r' && !(i + 1 < len && s[i + 1] == '\n')))
			P->outline++;
}

static void put(Parser *P, const char *s, size_t len)
{
	if (P->mute || len == 0)
		return;
	if (P->n > 0 && needspace((unsigned char)P->out[P->n - 1], (unsigned char)s[0]))
		putraw(P, " ", 1);
	putlit(P, s, len);
}

static void puts_(Parser *P, const char *s) { put(P, s, strlen(s)); }

static void putf(Parser *P, const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	puts_(P, buf);
}

static void insert_raw(Parser *P, size_t at, const char *s, size_t len)
{
	P->out = grow(P, P->out, &P->cap, P->n + len + 1, 1);
	memmove(P->out + at + len, P->out + at, P->n - at);
	memcpy(P->out + at, s, len);
	P->n += len;
}

/* Writes synthetic text (no newlines) at an earlier offset, between
 * spaces so it cannot fuse with its neighbours; returns bytes added. */
static size_t insert(Parser *P, size_t at, const char *s)
{
	if (P->mute)
		return 0;
	size_t len = strlen(s);
	insert_raw(P, at, " ", 1);
	insert_raw(P, at + 1, s, len);
	insert_raw(P, at + 1 + len, " ", 1);
	return len + 2;
}

/* Replaces out[a..b) by s, keeping the newlines that were in it. */
static void replace(Parser *P, size_t a, size_t b, const char *s)
{
	int nl = 0;
	for (size_t i = a; i < b; i++)
		nl += P->out[i] == '\n';
	memmove(P->out + a, P->out + b, P->n - b);
	P->n -= b - a;
	size_t at = a + insert(P, a, s);
	for (; nl > 0; nl--)
		insert_raw(P, at, "\n", 1);
}

/* ---- token access ---- */

static const Token *cur(Parser *P) { return &P->tk[P->pos]; }
static const Token *peek(Parser *P, size_t k)
{
	size_t i = P->pos + k;
	return &P->tk[i < P->ntk ? i : P->ntk - 1];
}
static int tok(Parser *P) { return P->tk[P->pos].kind; }
static void next(Parser *P) { if (P->pos + 1 < P->ntk) P->pos++; }

static int isname(const Token *t, const char *s)
{
	return t->kind == TK_NAME && strlen(s) == t->len && memcmp(t->s, s, t->len) == 0;
}

/* Luau's way of naming a token in a message. */
static const char *tokdesc(const Token *t, char *buf, size_t size)
{
	if (t->kind == TK_EOF)
		return "<eof>";
	if (t->kind == TK_STRING || (t->kind >= TK_ISIMPLE && t->kind <= TK_IEND))
		return "string";
	size_t n = t->len < 40 ? t->len : 40;
	snprintf(buf, size, "'%.*s'", (int)n, t->s);
	return buf;
}

static const char *kindname(int kind, char *buf, size_t size)
{
	static const struct { int k; const char *s; } names[] = {
		{ TK_CONCAT, ".." }, { TK_DOTS, "..." }, { TK_EQ, "==" },
		{ TK_DBCOLON, "::" }, { TK_ARROW, "->" }, { TK_NAME, "identifier" },
	};
	if (kind >= TK_AND && kind <= TK_WHILE)
		snprintf(buf, size, "'%s'", kwnames[kind - TK_AND]);
	else if (kind < 256)
		snprintf(buf, size, "'%c'", kind);
	else
		for (size_t i = 0; i < sizeof names / sizeof *names; i++)
			if (names[i].k == kind)
				snprintf(buf, size, kind == TK_NAME ? "%s" : "'%s'", names[i].s);
	return buf;
}

static void expected(Parser *P, int kind, const char *context)
{
	char a[64] = "?", b[64];
	kindname(kind, a, sizeof a);
	fail(P, cur(P)->line, "Expected %s when parsing %s, got %s", a, context,
	     tokdesc(cur(P), b, sizeof b));
}

static void check(Parser *P, int kind, const char *context)
{
	if (tok(P) != kind)
		expected(P, kind, context);
}

/* Writes the current token verbatim and advances. */
static void emit(Parser *P)
{
	const Token *t = cur(P);
	sync(P, t->line);
	put(P, t->s, t->len);
	next(P);
}

static void emitcheck(Parser *P, int kind, const char *context)
{
	check(P, kind, context);
	emit(P);
}

/* Closing token of a construct opened by `who` at `line`/`col`. */
static void match(Parser *P, int what, int who, const Token *open)
{
	if (tok(P) == what) {
		emit(P);
		return;
	}
	char a[64] = "?", b[64] = "?", c[64];
	kindname(what, a, sizeof a);
	kindname(who, b, sizeof b);
	if (open->line == cur(P)->line)
		fail(P, cur(P)->line, "Expected %s (to close %s at column %d), got %s",
		     a, b, open->col, tokdesc(cur(P), c, sizeof c));
	fail(P, cur(P)->line, "Expected %s (to close %s at line %d), got %s",
	     a, b, open->line, tokdesc(cur(P), c, sizeof c));
}

static void enter(Parser *P)
{
	if (++P->depth > MAXDEPTH)
		fail(P, cur(P)->line, "Exceeded allowed recursion depth; simplify your expression to make the code compile");
}
static void leave(Parser *P) { P->depth--; }

/* Writes a name token; `goto` is a plain name in Luau only. */
static void emitname(Parser *P)
{
	check(P, TK_NAME, "expression");
	if (isname(cur(P), "goto")) {
		sync(P, cur(P)->line);
		puts_(P, "__rsim_goto");
		next(P);
	} else {
		emit(P);
	}
}

/* ---- types (parsed and erased) ---- */

static void type_(Parser *P);
static void expr(Parser *P);
static void block(Parser *P);

/* `>` closing a type argument list; splits `>=` as in `x: A<B>= v`. */
static void closeangle(Parser *P)
{
	if (tok(P) == TK_GE) {
		Token *t = &P->tk[P->pos];
		t->kind = '=';
		t->s++;
		t->len = 1;
		t->col++;
		return;
	}
	check(P, '>', "type parameter list");
	next(P);
}

static void typeargs(Parser *P)
{
	next(P);                        /* < */
	while (tok(P) != '>' && tok(P) != TK_GE) {
		type_(P);
		if (tok(P) != ',')
			break;
		next(P);
	}
	closeangle(P);
}

/* Generic declarations: <T, U..., V = number>. */
static void generics(Parser *P)
{
	next(P);
	while (tok(P) == TK_NAME) {
		next(P);
		if (tok(P) == TK_DOTS)
			next(P);
		if (tok(P) == '=') {
			next(P);
			type_(P);
		}
		if (tok(P) != ',')
			break;
		next(P);
	}
	closeangle(P);
}

/* ( [name:] T, ... ) [-> R]: a group, a type pack or a function type. */
static void typeparen(Parser *P)
{
	const Token *open = cur(P);
	next(P);
	while (tok(P) != ')') {
		if (tok(P) == TK_NAME && peek(P, 1)->kind == ':') {
			next(P);
			next(P);
		}
		type_(P);
		if (tok(P) != ',')
			break;
		next(P);
	}
	P->mute++;
	match(P, ')', '(', open);
	P->mute--;
	if (tok(P) == TK_ARROW) {
		next(P);
		type_(P);
	}
}

static void tabletype(Parser *P)
{
	const Token *open = cur(P);
	next(P);
	int isprop = tok(P) == '[' ||
	             (tok(P) == TK_NAME && peek(P, 1)->kind == ':') ||
	             ((isname(cur(P), "read") || isname(cur(P), "write")) &&
	              (peek(P, 1)->kind == TK_NAME || peek(P, 1)->kind == '['));
	if (tok(P) != '}' && !isprop) {
		type_(P);                       /* {T}: array */
	} else {
		while (tok(P) != '}') {
			if ((isname(cur(P), "read") || isname(cur(P), "write")) &&
			    (peek(P, 1)->kind == TK_NAME || peek(P, 1)->kind == '['))
				next(P);
			if (tok(P) == '[') {
				next(P);
				type_(P);
				check(P, ']', "table type");
				next(P);
			} else {
				check(P, TK_NAME, "table type");
				next(P);
			}
			check(P, ':', "table type");
			next(P);
			type_(P);
			if (tok(P) != ',' && tok(P) != ';')
				break;
			next(P);
		}
	}
	P->mute++;
	match(P, '}', '{', open);
	P->mute--;
}

static void simpletype(Parser *P)
{
	char b[64];
	switch (tok(P)) {
	case TK_NIL: case TK_TRUE: case TK_FALSE: case TK_STRING:
		next(P);
		return;
	case '{':
		tabletype(P);
		return;
	case '(':
		typeparen(P);
		return;
	case '<':
		generics(P);
		check(P, '(', "function type");
		typeparen(P);
		return;
	case TK_DOTS:                   /* ...T */
		next(P);
		type_(P);
		return;
	case TK_NAME:
		if (isname(cur(P), "typeof") && peek(P, 1)->kind == '(') {
			const Token *open = peek(P, 1);
			next(P);
			next(P);
			P->mute++;
			expr(P);
			match(P, ')', '(', open);
			P->mute--;
			return;
		}
		next(P);
		if (tok(P) == '.' && peek(P, 1)->kind == TK_NAME) {
			next(P);
			next(P);
		}
		if (tok(P) == '<')
			typeargs(P);
		if (tok(P) == TK_DOTS)  /* T... */
			next(P);
		return;
	default:
		fail(P, cur(P)->line, "Expected type, got %s", tokdesc(cur(P), b, sizeof b));
	}
}

/* Erases a type: unions, intersections, optionals, function types. */
static void type_(Parser *P)
{
	enter(P);
	if (tok(P) == '|' || tok(P) == '&')
		next(P);
	simpletype(P);
	for (;;) {
		if (tok(P) == '?') {
			next(P);
		} else if (tok(P) == '|' || tok(P) == '&') {
			next(P);
			simpletype(P);
		} else {
			break;
		}
	}
	leave(P);
}

/* `: T` after a name, parameter or parameter list: erased. */
static void optannot(Parser *P)
{
	if (tok(P) == ':') {
		next(P);
		type_(P);
	}
}

/* ---- expressions ---- */

static void subexpr(Parser *P, int limit, int *truthy);
static int explist(Parser *P);
static void funcbody(Parser *P, const Token *fntok, int ismethod);

static void expr(Parser *P)
{
	int t;
	subexpr(P, 0, &t);
}

/* Writes a numeral the way Lua 5.4 reads it: no `_`, binary as decimal,
 * hex beyond 64-bit integers as a float (Luau numbers are doubles). */
/*
 * Whether the number token at P->pos may stay a Lua integer: Luau has
 * only doubles, so a literal is written as a float (and integer results
 * of the library then turn float when they meet one), except where an
 * integer is what makes Lua fast and no arithmetic is done on the literal
 * itself: a table key `t[1]`, and the start and step of a numeric `for`
 * (an integer loop variable indexes arrays at integer speed).
 */
static int int_position(const Parser *P)
{
	if (P->pos < 2 || P->pos + 1 >= P->ntk)
		return 0;
	int before = P->tk[P->pos - 1].kind, after = P->tk[P->pos + 1].kind;
	if (before == '-' && P->fornum == 2)     /* a step of -1 */
		before = P->tk[P->pos - 2].kind;
	if (before == '[' && after == ']')
		return 1;
	if (P->fornum == 1)
		return before == '=' && after == ',';
	return P->fornum == 2 && before == ',' && after == TK_DO;
}

/* Writes the double v as Lua source of a float. */
static void floatlit(char *buf, size_t cap, double v)
{
	snprintf(buf, cap, "%.17g", v);
	if (strpbrk(buf, ".eEni") == NULL)
		strncat(buf, ".0", cap - strlen(buf) - 1);
}

static void numeral(Parser *P)
{
	const Token *t = cur(P);
	char buf[128], *q = buf;
	size_t i;
	int keep = int_position(P);
	if (t->len >= sizeof buf - 8)
		fail(P, t->line, "Malformed number");
	for (i = 0; i < t->len; i++)
		if (t->s[i] != '_')
			*q++ = t->s[i];
	*q = '\0';
	if (buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B' || buf[1] == 'x' || buf[1] == 'X')) {
		int base = (buf[1] == 'b' || buf[1] == 'B') ? 2 : 16;
		uint64_t v = 0;
		int overflow = 0;
		if (buf[2] == '\0')
			fail(P, t->line, "Malformed number");
		for (q = buf + 2; *q; q++) {
			int d = isdigit((unsigned char)*q) ? *q - '0' :
			        isxdigit((unsigned char)*q) ? tolower((unsigned char)*q) - 'a' + 10 : 99;
			if (d >= base)
				fail(P, t->line, "Malformed number");
			if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
				overflow = 1;
			v = v * (uint64_t)base + (uint64_t)d;
		}
		if (overflow)
			fail(P, t->line, "Integer number value is out of range");
		if (keep && v > 0 && v < (1u << 31))
			snprintf(buf, sizeof buf, "%" PRIu64, v);
		else
			floatlit(buf, sizeof buf, (double)v);
	} else {
		char *end;
		errno = 0;
		double v = strtod(buf, &end);
		if (*end != '\0' || strchr(buf, 'x') || strchr(buf, 'X') ||
		    strchr(buf, 'n') || strchr(buf, 'N'))
			fail(P, t->line, "Malformed number");
		int plain = strpbrk(buf, ".eE") == NULL;
		if (!(keep && plain && v > 0 && v < 2147483648.0) && plain)
			floatlit(buf, sizeof buf, v);
	}
	sync(P, t->line);
	puts_(P, buf);
	next(P);
}

/* Writes one interpolated-string segment as a "..." Lua literal. */
static void segment(Parser *P, const Token *t)
{
	size_t a = 1, b = t->len - 1;   /* skip ` or } and the ` or { */
	if (P->mute)
		return;
	if (a >= b)
		return;                 /* empty segment: nothing to add */
	sync(P, t->line);
	put(P, "\"", 1);
	for (size_t i = a; i < b; i++) {
		char c = t->s[i];
		if (c == '\\' && i + 1 < b) {
			char d = t->s[i + 1];
			if (d == '{' || d == '`')
				putlit(P, &d, 1);
			else
				putlit(P, t->s + i, 2);
			i++;
		} else if (c == '"') {
			putlit(P, "\\\"", 2);
		} else {
			putlit(P, &c, 1);
		}
	}
	putlit(P, "\"", 1);
}

/* `a{b}c` -> __rsim_interp("a", (b), "c"): tostring for each value. */
static void interp(Parser *P)
{
	const Token *t = cur(P);
	if (t->kind == TK_ISIMPLE) {
		sync(P, t->line);
		if (t->len > 2)
			segment(P, t);
		else
			puts_(P, "\"\"");
		next(P);
		return;
	}
	if (!P->mute)
		P->helpers |= H_INTERP;
	sync(P, t->line);
	puts_(P, "__rsim_interp(");
	int first = 1;
	for (;;) {
		t = cur(P);
		if (t->len > 2) {
			if (!first)
				puts_(P, ",");
			segment(P, t);
			first = 0;
		}
		next(P);
		if (t->kind == TK_IEND)
			break;
		if (tok(P) == TK_IMID || tok(P) == TK_IEND)
			fail(P, cur(P)->line, "Malformed interpolated string, expected expression inside '{}'");
		if (!first)
			puts_(P, ",");
		puts_(P, "(");
		first = 0;
		expr(P);
		puts_(P, ")");
		if (tok(P) != TK_IMID && tok(P) != TK_IEND)
			fail(P, cur(P)->line, "Malformed interpolated string; did you forget to add a '}'?");
	}
	puts_(P, ")");
}

static void constructor(Parser *P)
{
	const Token *open = cur(P);
	emit(P);
	while (tok(P) != '}') {
		if (tok(P) == '[') {
			emit(P);
			expr(P);
			emitcheck(P, ']', "table constructor");
			emitcheck(P, '=', "table constructor");
		} else if (tok(P) == TK_NAME && peek(P, 1)->kind == '=') {
			if (isname(cur(P), "goto")) {
				sync(P, cur(P)->line);
				puts_(P, "[\"goto\"]");
				next(P);
			} else {
				emit(P);
			}
			emit(P);
		}
		expr(P);
		if (tok(P) != ',' && tok(P) != ';')
			break;
		emit(P);
	}
	match(P, '}', '{', open);
}

static void callargs(Parser *P)
{
	char b[64];
	switch (tok(P)) {
	case '(': {
		const Token *open = cur(P);
		emit(P);
		if (tok(P) != ')')
			explist(P);
		match(P, ')', '(', open);
		break;
	}
	case '{':
		constructor(P);
		break;
	case TK_STRING:
		emit(P);
		break;
	default:
		fail(P, cur(P)->line, "Expected '(', '{' or <string> when parsing function call, got %s",
		     tokdesc(cur(P), b, sizeof b));
	}
}

/* What a suffixed expression ended with; offsets into the output. */
enum { SX_NAME, SX_FIELD, SX_INDEX, SX_CALL, SX_PAREN };
typedef struct Suffixed {
	int kind;
	size_t start, objend, keystart, keyend, end;
	const Token *name;      /* SX_NAME: the name; SX_FIELD: the field */
} Suffixed;

static void primaryexp(Parser *P, Suffixed *sx)
{
	char b[64];
	sync(P, cur(P)->line);
	sx->start = P->n;
	if (tok(P) == TK_NAME) {
		sx->kind = SX_NAME;
		sx->name = cur(P);
		emitname(P);
	} else if (tok(P) == '(') {
		const Token *open = cur(P);
		sx->kind = SX_PAREN;
		emit(P);
		expr(P);
		match(P, ')', '(', open);
	} else {
		fail(P, cur(P)->line, "Expected identifier when parsing expression, got %s",
		     tokdesc(cur(P), b, sizeof b));
	}
}

static void suffixedexp(Parser *P, Suffixed *sx)
{
	const Token *prev;
	primaryexp(P, sx);
	for (;;) {
		prev = &P->tk[P->pos - 1];
		switch (tok(P)) {
		case '.':
			sx->objend = P->n;
			if (peek(P, 1)->kind == TK_NAME && isname(peek(P, 1), "goto")) {
				next(P);
				sync(P, cur(P)->line);
				puts_(P, "[\"goto\"]");
				sx->name = cur(P);
				next(P);
			} else {
				emit(P);
				check(P, TK_NAME, "field access");
				sx->name = cur(P);
				emit(P);
			}
			sx->kind = SX_FIELD;
			break;
		case '[': {
			const Token *open = cur(P);
			sx->objend = P->n;
			emit(P);
			sx->keystart = P->n;
			expr(P);
			sx->keyend = P->n;
			match(P, ']', '[', open);
			sx->kind = SX_INDEX;
			break;
		}
		case ':':
			emit(P);
			check(P, TK_NAME, "method call");
			emit(P);
			callargs(P);
			sx->kind = SX_CALL;
			break;
		case '(':
			if (cur(P)->line != prev->line)
				fail(P, cur(P)->line, "Ambiguous syntax: this looks like an argument list for a function call, but could also be a start of new statement; use ';' to separate statements");
			/* fallthrough */
		case '{': case TK_STRING:
			callargs(P);
			sx->kind = SX_CALL;
			break;
		default:
			sx->end = P->n;
			return;
		}
	}
}

static void mark(Parser *P)
{
	P->marks = grow(P, P->marks, &P->capmarks, P->nmarks + 1, sizeof *P->marks);
	P->marks[P->nmarks++] = P->n;
}

/* Known to be truthy without evaluating anything: a literal. */
static int literal_truthy(int kind)
{
	return kind == TK_NUMBER || kind == TK_STRING || kind == TK_TRUE ||
	       kind == '{' || kind == TK_FUNCTION || kind == TK_ISIMPLE ||
	       kind == TK_IBEGIN;
}

/*
 * if c then a elseif d then b else e
 *   -> ((c) and a or (d) and b or (e))          when a, b are truthy literals
 *   -> ((c) and {a} or (d) and {b} or {e})[1]   otherwise
 * Only the chosen branch is evaluated; nil and false results survive the
 * table wrap.
 */
static void ifexpr(Parser *P)
{
	size_t base = P->nmarks;
	int alltruthy = 1, t;
	enter(P);
	sync(P, cur(P)->line);
	puts_(P, "((");
	next(P);
	for (;;) {
		expr(P);
		check(P, TK_THEN, "if then else expression");
		sync(P, cur(P)->line);
		puts_(P, ") and");
		next(P);
		mark(P);
		subexpr(P, 0, &t);
		mark(P);
		alltruthy &= t;
		sync(P, cur(P)->line);
		puts_(P, "or (");
		if (tok(P) == TK_ELSEIF) {
			next(P);
			continue;
		}
		check(P, TK_ELSE, "if then else expression");
		next(P);
		mark(P);
		expr(P);
		mark(P);
		puts_(P, "))");
		break;
	}
	if (!alltruthy) {
		puts_(P, "[1]");
		for (size_t i = P->nmarks; i-- > base; )
			insert(P, P->marks[i], ((i - base) % 2) ? "}" : "{");
	}
	P->nmarks = base;
	leave(P);
}

/* Returns 1 when the expression can yield several values. */
static int simpleexp(Parser *P, int *truthy)
{
	int kind = tok(P), multi = 0;
	*truthy = literal_truthy(kind);
	switch (kind) {
	case TK_NUMBER:
		numeral(P);
		break;
	case TK_STRING: case TK_NIL: case TK_TRUE: case TK_FALSE:
		emit(P);
		break;
	case TK_ISIMPLE: case TK_IBEGIN:
		interp(P);
		break;
	case TK_DOTS:
		if (!P->vararg)
			fail(P, cur(P)->line, "Cannot use '...' outside of a vararg function");
		emit(P);
		multi = 1;
		break;
	case '{':
		constructor(P);
		break;
	case TK_FUNCTION: {
		const Token *fn = cur(P);
		emit(P);
		funcbody(P, fn, 0);
		break;
	}
	case TK_IF:
		ifexpr(P);
		break;
	default: {
		Suffixed sx;
		suffixedexp(P, &sx);
		multi = sx.kind == SX_CALL;
		break;
	}
	}
	return multi;
}

/* simpleexp [:: T]: a cast truncates a call to one value. */
static void asexp(Parser *P, int *truthy)
{
	sync(P, cur(P)->line);
	size_t start = P->n;
	int multi = simpleexp(P, truthy);
	if (tok(P) != TK_DBCOLON)
		return;
	while (tok(P) == TK_DBCOLON) {
		next(P);
		type_(P);
	}
	if (multi) {
		insert(P, start, "(");
		puts_(P, ")");
	}
}

static const struct { int left, right; } prio[] = {
	/* + - * / % ^ .. // == ~= < <= > >= and or */
	{ 10, 10 }, { 10, 10 }, { 11, 11 }, { 11, 11 }, { 11, 11 },
	{ 14, 13 }, { 9, 8 }, { 11, 11 },
	{ 3, 3 }, { 3, 3 }, { 3, 3 }, { 3, 3 }, { 3, 3 }, { 3, 3 },
	{ 2, 2 }, { 1, 1 }
};
#define UNARY_PRIORITY 12

static int binop(int kind)
{
	switch (kind) {
	case '+': return 0;
	case '-': return 1;
	case '*': return 2;
	case '/': return 3;
	case '%': return 4;
	case '^': return 5;
	case TK_CONCAT: return 6;
	case TK_IDIV: return 7;
	case TK_EQ: return 8;
	case TK_NE: return 9;
	case '<': return 10;
	case TK_LE: return 11;
	case '>': return 12;
	case TK_GE: return 13;
	case TK_AND: return 14;
	case TK_OR: return 15;
	default: return -1;
	}
}

/* Lua's subexpr; `..` becomes __rsim_cat(left, right) so numbers are
 * formatted the Luau way, keeping right associativity. */
static void subexpr(Parser *P, int limit, int *truthy)
{
	enter(P);
	sync(P, cur(P)->line);
	size_t start = P->n;
	int t;
	if (tok(P) == TK_NOT || tok(P) == '-' || tok(P) == '#') {
		emit(P);
		subexpr(P, UNARY_PRIORITY, &t);
		*truthy = 0;
	} else {
		asexp(P, truthy);
	}
	int op;
	while ((op = binop(tok(P))) >= 0 && prio[op].left > limit) {
		*truthy = 0;
		if (op == 6) {
			if (!P->mute)
				P->helpers |= H_CAT;
			insert(P, start, "__rsim_cat(");
			sync(P, cur(P)->line);
			puts_(P, ",");
			next(P);
			subexpr(P, prio[op].right, &t);
			puts_(P, ")");
		} else if ((op == 4 || op == 7) && peek(P, 1)->kind != TK_NUMBER) {
			/* Luau's x % 0 is nan and x // 0 is inf; Lua raises when
			 * both are integers (#t, string.len, a loop variable).  A
			 * float right operand avoids it; `//` goes through a
			 * helper because its right operand may be a vector. */
			if (op == 4) {
				emit(P);
				puts_(P, "(");
				subexpr(P, prio[op].right, &t);
				puts_(P, " + 0.0)");
			} else {
				if (!P->mute)
					P->helpers |= H_IDIV;
				insert(P, start, "__rsim_idiv(");
				sync(P, cur(P)->line);
				puts_(P, ",");
				next(P);
				subexpr(P, prio[op].right, &t);
				puts_(P, ")");
			}
		} else {
			emit(P);
			subexpr(P, prio[op].right, &t);
		}
	}
	leave(P);
}

static int explist(Parser *P)
{
	int n = 1;
	expr(P);
	while (tok(P) == ',') {
		emit(P);
		expr(P);
		n++;
	}
	return n;
}

/* ---- functions ---- */

static void parlist(Parser *P)
{
	const Token *open = cur(P);
	emitcheck(P, '(', "function parameters");
	P->vararg = 0;
	while (tok(P) != ')') {
		if (tok(P) == TK_DOTS) {
			P->vararg = 1;
			emit(P);
			optannot(P);
			break;
		}
		check(P, TK_NAME, "function parameters");
		emitname(P);
		optannot(P);
		if (tok(P) != ',')
			break;
		emit(P);
	}
	match(P, ')', '(', open);
}

static void funcbody(Parser *P, const Token *fntok, int ismethod)
{
	int savevararg = P->vararg;
	Loop *saveloop = P->loop;
	(void)ismethod;
	enter(P);
	P->loop = NULL;
	if (tok(P) == '<')
		generics(P);
	parlist(P);
	optannot(P);
	block(P);
	match(P, TK_END, TK_FUNCTION, fntok);
	P->vararg = savevararg;
	P->loop = saveloop;
	leave(P);
}

/* ---- statements ---- */

static int block_follow(int kind)
{
	return kind == TK_ELSE || kind == TK_ELSEIF || kind == TK_END ||
	       kind == TK_EOF || kind == TK_UNTIL;
}

static int statement(Parser *P);

/* A block ends after return, break or continue, as in Luau. */
static void block(Parser *P)
{
	enter(P);
	while (!block_follow(tok(P)))
		if (statement(P))
			break;
	leave(P);
}

/*
 * A loop body.  When it holds `continue`, the statements from the first
 * one holding a continue to the end are wrapped in `do ... end` and the
 * label follows: `goto` then never jumps into the scope of a local (the
 * wrapped locals are out of scope at the label), a trailing `return`
 * stays last in its block, and `until` still sees the locals declared
 * before the first continue.
 */
static void loopbody(Parser *P, Loop *L)
{
	memset(L, 0, sizeof *L);
	L->id = ++P->nextid;
	L->prev = P->loop;
	P->loop = L;
	enter(P);
	while (!block_follow(tok(P))) {
		size_t at = P->n;
		int before = L->ncont, islocal = tok(P) == TK_LOCAL, last;
		P->nlastlocals = 0;
		last = statement(P);
		if (L->ncont > before && !L->wrapped) {
			L->wrapped = 1;
			L->wrap_at = at;
		} else if (L->wrapped && islocal) {
			for (int i = 0; i < P->nlastlocals && L->nafter < MAXLOCALS; i++)
				L->after[L->nafter++] = P->lastlocals[i];
		}
		if (last)
			break;
	}
	leave(P);
	if (L->wrapped) {
		insert(P, L->wrap_at, " do");
		putf(P, "end ::__rsim_c%d::", L->id);
	}
	P->loop = L->prev;
}

static void whilestat(Parser *P)
{
	const Token *w = cur(P);
	Loop L;
	emit(P);
	expr(P);
	emitcheck(P, TK_DO, "while loop");
	loopbody(P, &L);
	match(P, TK_END, TK_WHILE, w);
}

/* Luau rejects an until-condition that reads a local the continue
 * skipped; in the translation that local would be out of scope. */
static void checkuntil(Parser *P, Loop *L, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const Token *t = &P->tk[i];
		if (t->kind != TK_NAME || (i > from && (t[-1].kind == '.' || t[-1].kind == ':')))
			continue;
		for (int j = 0; j < L->nafter; j++)
			if (L->after[j]->len == t->len && memcmp(L->after[j]->s, t->s, t->len) == 0)
				fail(P, t->line, "Local %.*s used in the repeat..until condition is undefined because continue statement on line %d jumps over it",
				     (int)t->len, t->s, L->cont_line);
	}
}

static void repeatstat(Parser *P)
{
	const Token *r = cur(P);
	Loop L;
	emit(P);
	loopbody(P, &L);
	match(P, TK_UNTIL, TK_REPEAT, r);
	size_t from = P->pos;
	expr(P);
	if (L.wrapped)
		checkuntil(P, &L, from, P->pos);
}

static void forstat(Parser *P)
{
	const Token *f = cur(P);
	Loop L;
	emit(P);
	check(P, TK_NAME, "for loop");
	emitname(P);
	optannot(P);
	if (tok(P) == '=') {
		int save = P->fornum;
		emit(P);
		P->fornum = 1;
		expr(P);
		P->fornum = 0;
		emitcheck(P, ',', "numeric for loop");
		expr(P);
		if (tok(P) == ',') {
			emit(P);
			P->fornum = 2;
			expr(P);
		}
		P->fornum = save;
	} else {
		while (tok(P) == ',') {
			emit(P);
			check(P, TK_NAME, "for loop");
			emitname(P);
			optannot(P);
		}
		emitcheck(P, TK_IN, "for loop");
		sync(P, cur(P)->line);
		size_t start = P->n;
		if (explist(P) == 1) {
			if (!P->mute)
				P->helpers |= H_ITER;
			insert(P, start, " " RS_LUAU_ITER "(");
			puts_(P, ")");
		}
	}
	emitcheck(P, TK_DO, "for loop");
	loopbody(P, &L);
	match(P, TK_END, TK_FOR, f);
}

static void ifstat(Parser *P)
{
	const Token *open = cur(P);
	emit(P);
	expr(P);
	emitcheck(P, TK_THEN, "if statement");
	block(P);
	while (tok(P) == TK_ELSEIF) {
		open = cur(P);
		emit(P);
		expr(P);
		emitcheck(P, TK_THEN, "if statement");
		block(P);
	}
	if (tok(P) == TK_ELSE) {
		open = cur(P);
		emit(P);
		block(P);
	}
	match(P, TK_END, open->kind, open);
}

static void funcstat(Parser *P)
{
	const Token *fn = cur(P);
	int method = 0;
	emit(P);
	check(P, TK_NAME, "function name");
	emitname(P);
	while (tok(P) == '.' || tok(P) == ':') {
		method = tok(P) == ':';
		emit(P);
		check(P, TK_NAME, "function name");
		emit(P);
		if (method)
			break;
	}
	funcbody(P, fn, method);
}

static void remember_local(Parser *P, const Token *t)
{
	if (P->nlastlocals < MAXLOCALS)
		P->lastlocals[P->nlastlocals++] = t;
}

static void localstat(Parser *P)
{
	emit(P);
	if (tok(P) == TK_FUNCTION) {
		const Token *fn = cur(P);
		emit(P);
		check(P, TK_NAME, "local function");
		remember_local(P, cur(P));
		emitname(P);
		funcbody(P, fn, 0);
		return;
	}
	for (;;) {
		check(P, TK_NAME, "local declaration");
		remember_local(P, cur(P));
		emitname(P);
		optannot(P);
		if (tok(P) != ',')
			break;
		emit(P);
	}
	if (tok(P) == '=') {
		emit(P);
		explist(P);
	}
}

static void retstat(Parser *P)
{
	emit(P);
	if (!block_follow(tok(P)) && tok(P) != ';')
		explist(P);
	if (tok(P) == ';')
		emit(P);
}

/* type Name<T> = T, or type function Name ... end: all erased. */
static void typealias(Parser *P)
{
	P->mute++;
	if (tok(P) == TK_FUNCTION) {
		const Token *fn = cur(P);
		next(P);
		check(P, TK_NAME, "type function");
		next(P);
		funcbody(P, fn, 0);
	} else {
		check(P, TK_NAME, "type alias");
		next(P);
		if (tok(P) == '<')
			generics(P);
		check(P, '=', "type alias");
		next(P);
		type_(P);
	}
	P->mute--;
}

static const struct { int kind; const char *op; } compound_ops[] = {
	{ TK_ADDEQ, "+" }, { TK_SUBEQ, "-" }, { TK_MULEQ, "*" },
	{ TK_DIVEQ, "/" }, { TK_IDIVEQ, "//" }, { TK_MODEQ, "%" },
	{ TK_POWEQ, "^" }, { TK_CATEQ, ".." },
};

static const char *compound_op(int kind)
{
	for (size_t i = 0; i < sizeof compound_ops / sizeof *compound_ops; i++)
		if (compound_ops[i].kind == kind)
			return compound_ops[i].op;
	return NULL;
}

/*
 * a op= e, with the target evaluated once:
 *   x op= e       -> x = x op (e)
 *   o.f op= e     -> do local __rsim_oN = o; __rsim_oN.f = __rsim_oN.f op (e) end
 *   o[k] op= e    -> do local __rsim_oN, __rsim_kN = o, k; ... end
 * `..=` uses __rsim_cat(target, (e)) instead of `op`.
 */
static void compound(Parser *P, Suffixed *sx, const char *op)
{
	char lhs[200], buf[600];
	int id = ++P->nextid, cat = strcmp(op, "..") == 0;
	if (sx->kind == SX_NAME) {
		if (isname(sx->name, "goto"))
			snprintf(lhs, sizeof lhs, "__rsim_goto");
		else
			snprintf(lhs, sizeof lhs, "%.*s", (int)sx->name->len, sx->name->s);
	} else {
		char pre[80];
		size_t shift;
		if (sx->kind == SX_FIELD) {
			snprintf(pre, sizeof pre, "do local __rsim_o%d =", id);
			snprintf(lhs, sizeof lhs, isname(sx->name, "goto") ?
			         "__rsim_o%d[\"goto\"]" : "__rsim_o%d.%.*s", id,
			         (int)sx->name->len, sx->name->s);
		} else {
			snprintf(pre, sizeof pre, "do local __rsim_o%d, __rsim_k%d =", id, id);
			snprintf(lhs, sizeof lhs, "__rsim_o%d[__rsim_k%d]", id, id);
		}
		shift = insert(P, sx->start, pre);
		if (sx->kind == SX_FIELD) {
			replace(P, sx->objend + shift, sx->end + shift, ";");
		} else {       /* `]` -> `;` then `[` -> `,`: right end first */
			replace(P, sx->keyend + shift, sx->end + shift, ";");
			replace(P, sx->objend + shift, sx->keystart + shift, ",");
		}
	}
	/* a plain name is already written: only `= x op (` follows it */
	const char *target = sx->kind == SX_NAME ? "" : lhs;
	int idiv = strcmp(op, "//") == 0, mod = strcmp(op, "%") == 0;
	if (cat) {
		if (!P->mute)
			P->helpers |= H_CAT;
		snprintf(buf, sizeof buf, "%s = __rsim_cat(%s, (", target, lhs);
	} else if (idiv) {
		if (!P->mute)
			P->helpers |= H_IDIV;
		snprintf(buf, sizeof buf, "%s = __rsim_idiv(%s, (", target, lhs);
	} else if (mod) {
		snprintf(buf, sizeof buf, "%s = %s %% ((", target, lhs);
	} else {
		snprintf(buf, sizeof buf, "%s = %s %s (", target, lhs, op);
	}
	sync(P, cur(P)->line);
	puts_(P, buf);
	next(P);
	expr(P);
	puts_(P, cat || idiv ? "))" : mod ? ") + 0.0)" : ")");
	if (sx->kind != SX_NAME)
		puts_(P, "end");
}

static void continuestat(Parser *P, const Token *t)
{
	if (P->loop == NULL)
		fail(P, t->line, "continue statement must be inside a loop");
	if (P->loop->ncont++ == 0)
		P->loop->cont_line = t->line;
	sync(P, t->line);
	putf(P, "goto __rsim_c%d", P->loop->id);
}

/* Expression statement; also the contextual keywords type, export and
 * continue, recognized like Luau does: a bare name that is neither
 * called nor assigned.  Returns 1 for continue (a last statement). */
static int exprstat(Parser *P)
{
	Suffixed sx;
	size_t first = P->pos;
	suffixedexp(P, &sx);
	const char *op = compound_op(tok(P));
	if (tok(P) == '=' || tok(P) == ',') {
		if (sx.kind == SX_CALL || sx.kind == SX_PAREN)
			fail(P, P->tk[first].line, "Assigned expression must be a variable or a field");
		while (tok(P) == ',') {
			emit(P);
			suffixedexp(P, &sx);
			if (sx.kind == SX_CALL || sx.kind == SX_PAREN)
				fail(P, P->tk[first].line, "Assigned expression must be a variable or a field");
		}
		emitcheck(P, '=', "assignment");
		explist(P);
		return 0;
	}
	if (op != NULL) {
		if (sx.kind == SX_CALL || sx.kind == SX_PAREN)
			fail(P, P->tk[first].line, "Assigned expression must be a variable or a field");
		compound(P, &sx, op);
		return 0;
	}
	if (sx.kind == SX_CALL)
		return 0;
	if (sx.kind == SX_NAME && P->pos == first + 1) {
		const Token *t = &P->tk[first];
		if (isname(t, "type") && (tok(P) == TK_NAME || tok(P) == TK_FUNCTION)) {
			P->n = sx.start;
			typealias(P);
			return 0;
		}
		if (isname(t, "export") && isname(cur(P), "type")) {
			P->n = sx.start;
			next(P);
			typealias(P);
			return 0;
		}
		if (isname(t, "continue")) {
			P->n = sx.start;
			continuestat(P, t);
			return 1;
		}
	}
	fail(P, P->tk[first].line, "Incomplete statement: expected assignment or a function call");
	return 0;
}

/* Returns 1 when the statement must be the last of its block. */
static int statement(Parser *P)
{
	int last = 0;
	enter(P);
	while (tok(P) == TK_ATTR)       /* @native, @checked: no Lua meaning */
		next(P);
	switch (tok(P)) {
	case ';':
		emit(P);
		break;
	case TK_IF:
		ifstat(P);
		break;
	case TK_WHILE:
		whilestat(P);
		break;
	case TK_DO: {
		const Token *d = cur(P);
		emit(P);
		block(P);
		match(P, TK_END, TK_DO, d);
		break;
	}
	case TK_FOR:
		forstat(P);
		break;
	case TK_REPEAT:
		repeatstat(P);
		break;
	case TK_FUNCTION:
		funcstat(P);
		break;
	case TK_LOCAL:
		localstat(P);
		break;
	case TK_RETURN:
		retstat(P);
		last = 1;
		break;
	case TK_BREAK:
		if (P->loop == NULL)
			fail(P, cur(P)->line, "break statement must be inside a loop");
		emit(P);
		last = 1;
		break;
	default:
		last = exprstat(P);
		break;
	}
	leave(P);
	return last;
}

static void chunk(Parser *P)
{
	char b[64];
	P->vararg = 1;
	block(P);
	if (tok(P) != TK_EOF)
		fail(P, cur(P)->line, "Expected <eof>, got %s", tokdesc(cur(P), b, sizeof b));
	sync(P, cur(P)->line);
	/* helpers as locals: faster than globals, and one line-1 prefix */
	char pre[256] = "";
	static const char *const names[] = { RS_LUAU_ITER, "__rsim_cat", "__rsim_interp", "__rsim_idiv" };
	char lhs[80] = "", rhs[80] = "";
	for (int i = 0; i < 4; i++) {
		if (!(P->helpers & (1 << i)))
			continue;
		if (lhs[0]) {
			strcat(lhs, ", ");
			strcat(rhs, ", ");
		}
		strcat(lhs, names[i]);
		strcat(rhs, names[i]);
	}
	if (lhs[0]) {
		snprintf(pre, sizeof pre, "local %s = %s; ", lhs, rhs);
		insert(P, 0, pre);
	}
}

char *rs_luau_translate(const char *src, size_t len, size_t *outlen,
                        rs_luau_error *err)
{
	Parser *P = calloc(1, sizeof *P);
	rs_luau_error dummy;
	char *out = NULL;
	if (err == NULL)
		err = &dummy;
	err->line = 0;
	err->msg[0] = '\0';
	if (P == NULL) {
		snprintf(err->msg, sizeof err->msg, "out of memory");
		return NULL;
	}
	P->src = src;
	P->srclen = len;
	P->err = err;
	P->outline = 1;
	if (setjmp(P->jb) == 0) {
		tokenize(P);
		chunk(P);
		P->out = grow(P, P->out, &P->cap, P->n + 1, 1);
		P->out[P->n] = '\0';
		out = P->out;
		P->out = NULL;
		if (outlen)
			*outlen = P->n;
	}
	free(P->out);
	free(P->tk);
	free(P->marks);
	free(P);
	return out;
}
