/*
 * CSS tokenizer, after css-syntax-3 §4 ("Tokenization").
 *
 * Why our own: no maintained C CSS library is packaged for Debian 12
 * (NetSurf's libcss is not packaged and wants its own DOM model), and the
 * part of CSS a slide renderer needs is small. The tokenizer is the one
 * piece that must be exact, because error recovery in the parser depends on
 * where blocks and strings end; so it follows the spec's algorithms step by
 * step, in bytes:
 *
 *  - Input is not preprocessed: CR, CRLF and FF count as newlines where the
 *    spec cares, and offsets stay byte offsets of the caller's text, so
 *    diagnostics can point back into the deck.
 *  - Non-ASCII bytes (and NUL) are name code points, as U+0080 and up are.
 *  - Numbers are parsed by hand: strtod would follow the C locale, and the
 *    CLI may set one with a decimal comma.
 *  - Escapes are decoded into the scratch arena; a token without escapes
 *    points straight into the input.
 *
 * After tokenizing, one pass pairs every ( [ { and function token with its
 * closer, so the parser can skip a block in O(1).
 */
#define _GNU_SOURCE /* memmem */
#include "css-internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p;
    size_t n, i;
    dk_arena *a;
    tok *t;
    int nt, cap;
    int oom;
} tz;

static int at(const tz *z, size_t k) { return z->i + k < z->n ? (unsigned char)z->p[z->i + k] : -1; }
static int is_nl(int c) { return c == '\n' || c == '\r' || c == '\f'; }
static int is_ws(int c) { return c == ' ' || c == '\t' || is_nl(c); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int hexval(int c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }
static int is_name_start(int c) {
    return c >= 0 && ((c | 32) >= 'a' && (c | 32) <= 'z' ? 1 : c == '_' || c >= 0x80 || c == 0);
}
static int is_name(int c) { return is_name_start(c) || is_digit(c) || c == '-'; }
static int valid_escape(int c0, int c1) { return c0 == '\\' && c1 != -1 && !is_nl(c1); }

/* §4.3.9: would these three code points start an ident sequence? */
static int starts_ident(int c0, int c1, int c2) {
    if (c0 == '-') return is_name_start(c1) || c1 == '-' || valid_escape(c1, c2);
    if (is_name_start(c0)) return 1;
    return valid_escape(c0, c1);
}

/* §4.3.10: would they start a number? */
static int starts_number(int c0, int c1, int c2) {
    if (c0 == '+' || c0 == '-') return is_digit(c1) || (c1 == '.' && is_digit(c2));
    if (c0 == '.') return is_digit(c1);
    return is_digit(c0);
}

static tok *push(tz *z, int type, size_t off) {
    if (z->nt == z->cap) {
        int cap = z->cap ? z->cap * 2 : 256;
        tok *t = realloc(z->t, (size_t)cap * sizeof *t);
        if (!t) {
            z->oom = 1;
            return NULL;
        }
        z->t = t;
        z->cap = cap;
    }
    tok *t = &z->t[z->nt++];
    memset(t, 0, sizeof *t);
    t->type = (unsigned char)type;
    t->off = off;
    t->match = -1;
    return t;
}

static void put_utf8(char *o, size_t *k, unsigned cp) {
    if (cp < 0x80) {
        o[(*k)++] = (char)cp;
    } else if (cp < 0x800) {
        o[(*k)++] = (char)(0xC0 | cp >> 6);
        o[(*k)++] = (char)(0x80 | (cp & 63));
    } else if (cp < 0x10000) {
        o[(*k)++] = (char)(0xE0 | cp >> 12);
        o[(*k)++] = (char)(0x80 | (cp >> 6 & 63));
        o[(*k)++] = (char)(0x80 | (cp & 63));
    } else {
        o[(*k)++] = (char)(0xF0 | cp >> 18);
        o[(*k)++] = (char)(0x80 | (cp >> 12 & 63));
        o[(*k)++] = (char)(0x80 | (cp >> 6 & 63));
        o[(*k)++] = (char)(0x80 | (cp & 63));
    }
}

/*
 * §4.3.7: consume an escape (the backslash already consumed) and append
 * its UTF-8 to o. An escape at EOF gives U+FFFD.
 */
static void escape(tz *z, char *o, size_t *k) {
    int c = at(z, 0);
    if (c == -1) {
        put_utf8(o, k, 0xFFFD);
        return;
    }
    if (is_hex(c)) {
        unsigned cp = 0;
        for (int j = 0; j < 6 && is_hex(at(z, 0)); j++) cp = cp * 16 + (unsigned)hexval(at(z, 0)), z->i++;
        if (at(z, 0) == '\r' && at(z, 1) == '\n') z->i++;
        if (is_ws(at(z, 0))) z->i++;
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
        put_utf8(o, k, cp);
        return;
    }
    o[(*k)++] = (char)c; /* a literal byte (UTF-8 continuation bytes follow as name bytes) */
    z->i++;
}

/*
 * §4.3.11: consume a name. Without escapes the result points into the
 * input; with escapes it is decoded into the arena (escapes never grow
 * the text beyond 4 bytes per source byte).
 */
static dk_str name(tz *z) {
    size_t start = z->i, j = z->i;
    int esc = 0;
    while (j < z->n) {
        int c = (unsigned char)z->p[j];
        if (is_name(c)) j++;
        else if (c == '\\' && j + 1 < z->n && !is_nl((unsigned char)z->p[j + 1])) {
            esc = 1;
            break;
        } else break;
    }
    if (!esc) {
        z->i = j;
        return (dk_str){z->p + start, j - start};
    }
    char *o = dk_arena_alloc(z->a, (z->n - start) * 4 + 4);
    if (!o) {
        z->oom = 1;
        z->i = z->n;
        return (dk_str){"", 0};
    }
    size_t k = 0;
    for (;;) {
        int c = at(z, 0);
        if (is_name(c)) {
            o[k++] = (char)c;
            z->i++;
        } else if (valid_escape(c, at(z, 1))) {
            z->i++;
            escape(z, o, &k);
        } else break;
    }
    return (dk_str){o, k};
}

/* Parse the number starting at z->i by hand (locale-proof), §4.3.12. */
static double number(tz *z, int *is_int) {
    double sign = 1, ip = 0, fp = 0, fdiv = 1;
    int esign = 1, e = 0;
    *is_int = 1;
    if (at(z, 0) == '+' || at(z, 0) == '-') sign = at(z, 0) == '-' ? -1 : 1, z->i++;
    while (is_digit(at(z, 0))) ip = ip * 10 + (at(z, 0) - '0'), z->i++;
    if (at(z, 0) == '.' && is_digit(at(z, 1))) {
        *is_int = 0;
        z->i++;
        while (is_digit(at(z, 0))) fp = fp * 10 + (at(z, 0) - '0'), fdiv *= 10, z->i++;
    }
    int c1 = at(z, 1);
    if ((at(z, 0) == 'e' || at(z, 0) == 'E') &&
        (is_digit(c1) || ((c1 == '+' || c1 == '-') && is_digit(at(z, 2))))) {
        *is_int = 0;
        z->i++;
        if (at(z, 0) == '+' || at(z, 0) == '-') esign = at(z, 0) == '-' ? -1 : 1, z->i++;
        while (is_digit(at(z, 0))) {
            if (e < 10000) e = e * 10 + (at(z, 0) - '0');
            z->i++;
        }
    }
    double v = sign * (ip + fp / fdiv);
    for (int k = 0; k < e && v != 0 && v < 1e300 && v > -1e300; k++) v = esign > 0 ? v * 10 : v / 10;
    return v;
}

/* §4.3.4 string token; the opening quote is consumed. */
static void string_tok(tz *z, int q, size_t off) {
    size_t start = z->i;
    char *o = dk_arena_alloc(z->a, (z->n - start) * 4 + 4);
    if (!o) {
        z->oom = 1;
        z->i = z->n;
        return;
    }
    size_t k = 0;
    int type = T_STRING;
    for (;;) {
        int c = at(z, 0);
        if (c == -1) break; /* parse error: EOF in string; still a string */
        if (c == q) {
            z->i++;
            break;
        }
        if (is_nl(c)) {
            type = T_BAD_STRING; /* the newline is not consumed */
            break;
        }
        z->i++;
        if (c == '\\') {
            int d = at(z, 0);
            if (d == -1) continue;
            if (is_nl(d)) {
                z->i += (d == '\r' && at(z, 1) == '\n') ? 2 : 1;
                continue;
            }
            escape(z, o, &k);
            continue;
        }
        o[k++] = (char)c;
    }
    tok *t = push(z, type, off);
    if (t) t->s = (dk_str){o, k};
}

/* §4.3.14: consume what is left of a bad url, up to and including ')'. */
static void bad_url_rest(tz *z) {
    for (;;) {
        int c = at(z, 0);
        if (c == -1) return;
        z->i++;
        if (c == ')') return;
        if (valid_escape(c, at(z, 0))) {
            char tmp[8];
            size_t k = 0;
            escape(z, tmp, &k);
        }
    }
}

/* §4.3.6 url token; "url(" and following white space are consumed. */
static void url_tok(tz *z, size_t off) {
    char *o = dk_arena_alloc(z->a, (z->n - z->i) * 4 + 4);
    if (!o) {
        z->oom = 1;
        z->i = z->n;
        return;
    }
    size_t k = 0;
    for (;;) {
        int c = at(z, 0);
        if (c == -1 || c == ')') {
            if (c == ')') z->i++;
            break;
        }
        if (is_ws(c)) {
            while (is_ws(at(z, 0))) z->i++;
            if (at(z, 0) == ')' || at(z, 0) == -1) {
                if (at(z, 0) == ')') z->i++;
                break;
            }
            bad_url_rest(z);
            push(z, T_BAD_URL, off);
            return;
        }
        if (c == '"' || c == '\'' || c == '(' || c == 0x7F || (c < 0x20 && c != '\t' && c != 0)) {
            bad_url_rest(z);
            push(z, T_BAD_URL, off);
            return;
        }
        z->i++;
        if (c == '\\') {
            if (!valid_escape(c, at(z, 0))) {
                bad_url_rest(z);
                push(z, T_BAD_URL, off);
                return;
            }
            escape(z, o, &k);
            continue;
        }
        o[k++] = (char)c;
    }
    tok *t = push(z, T_URL, off);
    if (t) t->s = (dk_str){o, k};
}

/* §4.3.4 ident-like token: ident, function, or url. */
static void ident_like(tz *z, size_t off) {
    dk_str s = name(z);
    if (dk_str_ieq(s, "url") && at(z, 0) == '(') {
        z->i++;
        while (is_ws(at(z, 0)) && is_ws(at(z, 1))) z->i++;
        int c0 = at(z, 0), c1 = at(z, 1);
        if (c0 == '"' || c0 == '\'' || (is_ws(c0) && (c1 == '"' || c1 == '\''))) {
            tok *t = push(z, T_FUNCTION, off);
            if (t) t->s = s;
            return;
        }
        while (is_ws(at(z, 0))) z->i++;
        url_tok(z, off);
        return;
    }
    tok *t;
    if (at(z, 0) == '(') {
        z->i++;
        t = push(z, T_FUNCTION, off);
    } else {
        t = push(z, T_IDENT, off);
    }
    if (t) t->s = s;
}

/* §4.3.3 numeric token. */
static void numeric(tz *z, size_t off) {
    int is_int;
    double v = number(z, &is_int);
    /* the supported range (CSS Values §4: clamp): no inf or NaN reaches the stages */
    if (v != v) v = 0; /* 0.000...1 with hundreds of digits: inf / inf */
    if (!(v >= -1e7)) v = -1e7;
    if (!(v <= 1e7)) v = 1e7;
    tok *t;
    if (starts_ident(at(z, 0), at(z, 1), at(z, 2))) {
        dk_str u = name(z);
        t = push(z, T_DIMENSION, off);
        if (t) t->s = u;
    } else if (at(z, 0) == '%') {
        z->i++;
        t = push(z, T_PERCENT, off);
    } else {
        t = push(z, T_NUMBER, off);
    }
    if (t) {
        t->num = v;
        t->is_int = (unsigned char)is_int;
    }
}

static void delim(tz *z, size_t off) {
    int c = at(z, 0);
    unsigned cp = (unsigned)c;
    int len = 1;
    if (c >= 0xC0) { /* cannot really happen: non-ASCII is a name code point */
        len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    }
    z->i += (size_t)len;
    if (z->i > z->n) z->i = z->n;
    tok *t = push(z, T_DELIM, off);
    if (t) t->delim = cp;
}

/* Pair openers with closers; an unclosed opener matches the EOF token. */
static int pair(tz *z) {
    int *stack = malloc((size_t)z->nt * sizeof *stack);
    if (!stack) return 0;
    int sp = 0;
    for (int i = 0; i < z->nt; i++) {
        int ty = z->t[i].type;
        if (ty == T_LPAREN || ty == T_FUNCTION || ty == T_LBRACKET || ty == T_LBRACE) {
            stack[sp++] = i;
        } else if (ty == T_RPAREN || ty == T_RBRACKET || ty == T_RBRACE) {
            if (sp == 0) continue;
            int o = z->t[stack[sp - 1]].type;
            int want = o == T_LBRACKET ? T_RBRACKET : o == T_LBRACE ? T_RBRACE : T_RPAREN;
            if (ty != want) continue; /* a stray closer inside a block is an ordinary token */
            z->t[stack[--sp]].match = i;
        }
    }
    while (sp) z->t[stack[--sp]].match = z->nt - 1;
    free(stack);
    return 1;
}

dk_status dk_css_tokenize(dk_arena *scratch, const char *p, size_t n, tok **out, int *ntok) {
    tz z = {.p = p, .n = n, .a = scratch};
    dk_status st = DK_OK;
    *out = NULL;
    *ntok = 0;
    while (!z.oom) {
        /* comments are not tokens (§4.3.2) */
        while (at(&z, 0) == '/' && at(&z, 1) == '*') {
            const char *end = NULL;
            for (size_t j = z.i + 2; j + 1 < z.n; j++)
                if (z.p[j] == '*' && z.p[j + 1] == '/') {
                    end = z.p + j;
                    break;
                }
            z.i = end ? (size_t)(end - z.p) + 2 : z.n;
        }
        size_t off = z.i;
        int c = at(&z, 0), c1 = at(&z, 1), c2 = at(&z, 2);
        if (c == -1) {
            push(&z, T_EOF, off);
            break;
        }
        if (is_ws(c)) {
            while (is_ws(at(&z, 0))) z.i++;
            push(&z, T_WS, off);
        } else if (c == '"' || c == '\'') {
            z.i++;
            string_tok(&z, c, off);
        } else if (c == '#') {
            if (is_name(c1) || valid_escape(c1, c2)) {
                z.i++;
                int id = starts_ident(at(&z, 0), at(&z, 1), at(&z, 2));
                dk_str s = name(&z);
                tok *t = push(&z, T_HASH, off);
                if (t) t->s = s, t->hash_id = (unsigned char)id;
            } else {
                delim(&z, off);
            }
        } else if (strchr("()[]{},:;", c) && c != 0) {
            static const char ch[] = "()[]{},:;";
            static const unsigned char ty[] = {T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET,
                                               T_LBRACE, T_RBRACE, T_COMMA, T_COLON, T_SEMI};
            z.i++;
            push(&z, ty[strchr(ch, c) - ch], off);
        } else if (c == '+' || c == '.') {
            if (starts_number(c, c1, c2)) numeric(&z, off);
            else delim(&z, off);
        } else if (c == '-') {
            if (starts_number(c, c1, c2)) numeric(&z, off);
            else if (c1 == '-' && c2 == '>') z.i += 3, push(&z, T_CDC, off);
            else if (starts_ident(c, c1, c2)) ident_like(&z, off);
            else delim(&z, off);
        } else if (c == '<') {
            if (c1 == '!' && c2 == '-' && at(&z, 3) == '-') z.i += 4, push(&z, T_CDO, off);
            else delim(&z, off);
        } else if (c == '@') {
            if (starts_ident(c1, c2, at(&z, 3))) {
                z.i++;
                dk_str s = name(&z);
                tok *t = push(&z, T_AT, off);
                if (t) t->s = s;
            } else {
                delim(&z, off);
            }
        } else if (c == '\\') {
            if (valid_escape(c, c1)) ident_like(&z, off);
            else delim(&z, off); /* parse error */
        } else if (is_digit(c)) {
            numeric(&z, off);
        } else if (is_name_start(c)) {
            ident_like(&z, off);
        } else {
            delim(&z, off);
        }
    }
    if (z.oom || !pair(&z)) {
        free(z.t);
        st = DK_ENOMEM;
        goto done;
    }
    *out = z.t;
    *ntok = z.nt;
done:
    return st;
}

/* Token type names, for test dumps. */
const char *dk_css_tok_name(int type) {
    static const char *const names[] = {
        "EOF", "WS", "IDENT", "FUNCTION", "AT", "HASH", "STRING", "BAD_STRING", "URL",
        "BAD_URL", "DELIM", "NUMBER", "PERCENT", "DIMENSION", "CDO", "CDC", "COLON", "SEMI",
        "COMMA", "[", "]", "(", ")", "{", "}"};
    return type >= 0 && type <= T_RBRACE ? names[type] : "?";
}

size_t dk_css_skip_opaque(const char *css, size_t n, size_t i) {
    char c = css[i];
    if (c == '/' && i + 1 < n && css[i + 1] == '*') {
        const char *e = memmem(css + i + 2, n - i - 2, "*/", 2);
        return e ? (size_t)(e - css) + 1 : n;
    }
    if (c == '"' || c == '\'') {
        for (i++; i < n && css[i] != c && css[i] != '\n'; i++)
            if (css[i] == '\\') i++;
    }
    return i;
}
