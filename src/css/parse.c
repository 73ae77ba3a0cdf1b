/*
 * CSS parser: style sheets, at-rules, declaration lists, selectors, media
 * queries (css-syntax-3 §5, selectors-4, mediaqueries-4, the parts we use).
 *
 * Works on the token array from tokenize.c, where every opener knows its
 * closer, so "consume a component value" is a jump. Error recovery is the
 * spec's: a bad declaration is skipped up to the next `;` of its block; a
 * rule whose selector does not parse is dropped whole; an unknown at-rule is
 * skipped up to its `;` or past its block. Every drop is a warning at the
 * offending token, except at-rules that are legitimately of no use to us
 * (@font-face, @import, @page, @keyframes, @charset), which go silently.
 *
 * A selector may end in ::before / ::after (or the CSS 2 :before / :after):
 * it then styles that pseudo-element of its subject (css_selector.pseudo).
 * Selectors that are valid CSS but can never match in a static slide
 * (:hover, ::first-line, ...) are dropped from their list without a warning;
 * with ctx->verbose a note says so, once per deck for each selector.
 */
#include "css-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Report at a byte offset of the CSS text: deck offset, or "name:line:col"
 * in the message. Warnings carry `code` (css-unknown-property, ...) for
 * machine-readable reports; notes are never counted.
 */
static void vreport(css_parser *ps, dk_diag_level lv, const char *code, size_t off, const char *fmt,
                    va_list ap) {
    if (ps->quiet) return;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t at = DK_NOPOS;
    char pos[64] = "";
    if (ps->base_off != DK_NOPOS) {
        at = ps->base_off + off;
    } else {
        int line = 1, col = 1;
        for (size_t i = 0; i < off && i < ps->n; i++) {
            if (ps->src[i] == '\n') line++, col = 1;
            else if (((unsigned char)ps->src[i] & 0xC0) != 0x80) col++;
        }
        snprintf(pos, sizeof pos, "%d:%d: ", line, col);
    }
    const char *name = at != DK_NOPOS ? "" : ps->name ? ps->name : "<css>";
    const char *colon = at != DK_NOPOS ? "" : ":";
    if (lv == DK_DIAG_WARN)
        dk_diag_warn_code(ps->ctx, at, code, "%s%s%s%s", name, colon, pos, msg);
    else
        dk_diag(ps->ctx, lv, at, "%s%s%s%s", name, colon, pos, msg);
}

/* Warn about the CSS at byte `off` of the text being parsed, with a report code. */
void dk_css_warn(css_parser *ps, const char *code, size_t off, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vreport(ps, DK_DIAG_WARN, code, off, fmt, ap);
    va_end(ap);
}

/* A note, shown only with ctx->verbose (and not counted as a warning). */
void dk_css_note(css_parser *ps, size_t off, const char *fmt, ...) {
    if (!ps->ctx->verbose) return;
    va_list ap;
    va_start(ap, fmt);
    vreport(ps, DK_DIAG_NOTE, NULL, off, fmt, ap);
    va_end(ap);
}

/*
 * A note about something valid we do not support, given once per deck for
 * each `key` (dk_ctx_once), so --verbose lists every ignored property or
 * value once instead of at each use.
 */
void dk_css_note_once(css_parser *ps, const char *key, size_t off, const char *fmt, ...) {
    if (ps->quiet || !ps->ctx->verbose || !dk_ctx_once(ps->ctx, key)) return;
    va_list ap;
    va_start(ap, fmt);
    vreport(ps, DK_DIAG_NOTE, NULL, off, fmt, ap);
    va_end(ap);
}

static int skip_ws(const css_parser *ps, int i, int e) {
    while (i < e && ps->t[i].type == T_WS) i++;
    return i;
}

/* Index after the component value at i (a block or function is one value). */
static int next_cv(const css_parser *ps, int i) {
    int m = ps->t[i].match;
    return m >= 0 ? (ps->t[m].type == T_EOF ? m : m + 1) : i + 1;
}

static int is_delim(const tok *t, unsigned c) { return t->type == T_DELIM && t->delim == c; }

static char *lowdup(css_parser *ps, dk_str s) {
    char *p = dk_arena_strndup(ps->mem, s.p, s.n);
    if (!p) {
        ps->oom = 1;
        return NULL;
    }
    for (char *q = p; *q; q++)
        if (*q >= 'A' && *q <= 'Z') *q += 32;
    return p;
}

/* ---- declarations ------------------------------------------------------- */

/*
 * Parse a declaration list (css-syntax-3 §5.4.5) in tokens [b, e). Nested
 * rules (CSS nesting) and at-rules inside are skipped with a warning.
 */
void dk_css_parse_decls(css_parser *ps, int b, int e) {
    int i = b;
    while (i < e && !ps->oom) {
        const tok *t = &ps->t[i];
        if (t->type == T_WS || t->type == T_SEMI) {
            i++;
            continue;
        }
        /* the extent: "name :" runs to the next `;` at this level; anything
           else is a nested rule if a {} block comes before that `;` */
        int j = i, block = 0;
        int decl = t->type == T_IDENT && skip_ws(ps, i + 1, e) < e && ps->t[skip_ws(ps, i + 1, e)].type == T_COLON;
        while (j < e && ps->t[j].type != T_SEMI) {
            if (!decl && ps->t[j].type == T_LBRACE) block = 1;
            j = next_cv(ps, j);
            if (block) break;
        }
        if (j > e) j = e;
        if (t->type == T_AT) {
            dk_css_warn(ps, "css-syntax", t->off, "at-rule '@%.*s' not allowed here; ignored", (int)t->s.n, t->s.p);
        } else if (t->type != T_IDENT || block) {
            dk_css_warn(ps, "css-syntax", t->off, block ? "nested rule not supported; ignored"
                                       : "expected a declaration; skipped to the next ';'");
        } else {
            int k = skip_ws(ps, i + 1, j);
            if (k >= j || ps->t[k].type != T_COLON) {
                dk_css_warn(ps, "css-syntax", t->off, "expected ':' after '%.*s'; declaration dropped",
                         (int)t->s.n, t->s.p);
            } else {
                int vb = k + 1, ve = j;
                while (ve > vb && ps->t[ve - 1].type == T_WS) ve--;
                int important = 0;
                /* "! important" at the end, white space allowed around the '!' */
                int q = ve - 1;
                if (q > vb && ps->t[q].type == T_IDENT && dk_str_ieq(ps->t[q].s, "important")) {
                    int r = q - 1;
                    while (r >= vb && ps->t[r].type == T_WS) r--;
                    if (r >= vb && is_delim(&ps->t[r], '!')) {
                        important = 1;
                        ve = r;
                        while (ve > vb && ps->t[ve - 1].type == T_WS) ve--;
                    }
                }
                dk_css_parse_property(ps, t->s, t->off, vb, ve, important);
            }
        }
        i = j;
    }
}

static int flush_decls(css_parser *ps, css_decl **out, int *n) {
    *out = NULL;
    *n = ps->nd;
    if (ps->nd) {
        *out = dk_arena_alloc(ps->mem, (size_t)ps->nd * sizeof **out);
        if (!*out) return 0;
        memcpy(*out, ps->d, (size_t)ps->nd * sizeof **out);
    }
    ps->nd = 0;
    return 1;
}

/* ---- selectors ------------------------------------------------------------ */

/* Parse an+b (selectors-4 §14) from the raw text of tokens [b, e). */
static int parse_anb(const css_parser *ps, int b, int e, int *a, int *bb) {
    char buf[64];
    size_t k = 0;
    for (int i = b; i < e; i++) {
        const tok *t = &ps->t[i];
        size_t end = i + 1 < ps->nt ? ps->t[i + 1].off : ps->n;
        if (t->type == T_WS) continue;
        for (size_t j = t->off; j < end && k + 1 < sizeof buf; j++) {
            char c = ps->src[j];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') continue;
            buf[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
    }
    buf[k] = 0;
    if (!strcmp(buf, "odd")) return *a = 2, *bb = 1, 1;
    if (!strcmp(buf, "even")) return *a = 2, *bb = 0, 1;
    const char *p = buf;
    int sign = 1;
    long av = 0, bv = 0;
    if (*p == '+' || *p == '-') sign = *p++ == '-' ? -1 : 1;
    const char *digits = p;
    while (*p >= '0' && *p <= '9' && av < 100000) av = av * 10 + (*p++ - '0');
    if (*p == 'n') {
        if (p == digits) av = 1;
        *a = (int)(sign * av);
        p++;
        if (!*p) return *bb = 0, 1;
        if (*p != '+' && *p != '-') return 0;
        sign = *p++ == '-' ? -1 : 1;
        if (!(*p >= '0' && *p <= '9')) return 0;
        while (*p >= '0' && *p <= '9' && bv < 100000) bv = bv * 10 + (*p++ - '0');
        *bb = (int)(sign * bv);
        return *p == 0;
    }
    if (p == digits || *p) return 0;
    *a = 0;
    *bb = (int)(sign * av);
    return 1;
}

typedef struct {
    css_simple s[32];
    int n;
    int never;        /* an unsupported pseudo: the selector never matches */
    int pseudo;       /* ends in ::before / ::after: DK_PSEUDO_* */
    unsigned a, b, c; /* specificity */
} cbuild;

static css_compound *finish_compound(css_parser *ps, const cbuild *cb, css_compound *into) {
    css_compound *c = into ? into : dk_arena_alloc(ps->mem, sizeof *c);
    if (!c) return NULL;
    c->ns = cb->n;
    c->s = dk_arena_alloc(ps->mem, (size_t)(cb->n ? cb->n : 1) * sizeof *c->s);
    if (!c->s) return NULL;
    memcpy(c->s, cb->s, (size_t)cb->n * sizeof *c->s);
    return c;
}

static int compound(css_parser *ps, int *pi, int e, cbuild *cb, int in_not, size_t *bad);

/* A pseudo-class or pseudo-element at tokens[*pi] (just after the ':'). 0 if invalid. */
static int pseudo(css_parser *ps, int *pi, int e, cbuild *cb, int element, int in_not, size_t *bad) {
    int i = *pi;
    if (i >= e) return *bad = ps->t[i < ps->nt ? i : ps->nt - 1].off, 0;
    const tok *t = &ps->t[i];
    css_simple *s = &cb->s[cb->n];
    memset(s, 0, sizeof *s);
    if (element || (t->type == T_IDENT && (dk_str_ieq(t->s, "before") || dk_str_ieq(t->s, "after") ||
                                           dk_str_ieq(t->s, "first-line") ||
                                           dk_str_ieq(t->s, "first-letter")))) {
        if (t->type != T_IDENT && t->type != T_FUNCTION) return *bad = t->off, 0;
        *pi = next_cv(ps, i);
        cb->c++;
        /* CSS Pseudo-Elements 4 §3: ::before / ::after must come last; complex_sel checks
           that no combinator follows */
        if (t->type == T_IDENT && !cb->pseudo && !in_not && (dk_str_ieq(t->s, "before") || dk_str_ieq(t->s, "after")))
            cb->pseudo = dk_str_ieq(t->s, "before") ? DK_PSEUDO_BEFORE : DK_PSEUDO_AFTER;
        else
            cb->never = 1;
        return 1;
    }
    if (t->type == T_IDENT) {
        static const struct {
            const char *name;
            unsigned char type;
        } simple[] = {{"first-child", S_FIRST_CHILD}, {"last-child", S_LAST_CHILD},
                      {"only-child", S_ONLY_CHILD},   {"first-of-type", S_FIRST_OF_TYPE},
                      {"last-of-type", S_LAST_OF_TYPE}, {"only-of-type", S_ONLY_OF_TYPE},
                      {"root", S_ROOT},               {"empty", S_EMPTY},
                      {"link", S_LINK},               {"any-link", S_LINK}};
        *pi = i + 1;
        cb->b++;
        for (size_t k = 0; k < sizeof simple / sizeof *simple; k++)
            if (dk_str_ieq(t->s, simple[k].name)) {
                s->type = simple[k].type;
                cb->n++;
                return 1;
            }
        cb->never = 1; /* :hover, :focus, :visited, ... */
        return 1;
    }
    if (t->type != T_FUNCTION) return *bad = t->off, 0;
    int close = t->match, ab = i + 1;
    *pi = next_cv(ps, i);
    cb->b++;
    static const struct {
        const char *name;
        unsigned char type;
    } nth[] = {{"nth-child", S_NTH_CHILD}, {"nth-last-child", S_NTH_LAST_CHILD},
               {"nth-of-type", S_NTH_OF_TYPE}, {"nth-last-of-type", S_NTH_LAST_OF_TYPE}};
    for (size_t k = 0; k < sizeof nth / sizeof *nth; k++)
        if (dk_str_ieq(t->s, nth[k].name)) {
            s->type = nth[k].type;
            if (!parse_anb(ps, ab, close, &s->a, &s->b)) {
                cb->never = 1; /* "an+b of S" and friends: valid, unsupported */
                return 1;
            }
            cb->n++;
            return 1;
        }
    if (dk_str_ieq(t->s, "not") && !in_not) {
        cbuild *inner = calloc(1, sizeof *inner);
        if (!inner) return ps->oom = 1, 0;
        int j = skip_ws(ps, ab, close);
        int ok = compound(ps, &j, close, inner, 1, bad);
        j = skip_ws(ps, j, close);
        if (ok && j < close) {
            /* a selector list or a complex selector inside :not(): valid, unsupported */
            cb->never = 1;
            free(inner);
            return 1;
        }
        if (ok && inner->never) {
            /* :not(:hover) matches in a static slide; keep it simple: drop it */
            cb->never = 1;
        } else if (ok) {
            cb->b--; /* :not() counts as its argument */
            cb->a += inner->a, cb->b += inner->b, cb->c += inner->c;
            s->type = S_NOT;
            s->arg = finish_compound(ps, inner, NULL);
            if (!s->arg) ok = 0, ps->oom = 1;
            else cb->n++;
        }
        free(inner);
        return ok;
    }
    cb->never = 1; /* :is(), :where(), :has(), :lang(), :not() inside :not(), ... */
    return 1;
}

/*
 * A compound selector (type/universal first, then #id .class [attr] :pseudo)
 * starting at tokens[*pi]. Returns 0 (with *bad set) if it does not parse.
 */
static int compound(css_parser *ps, int *pi, int e, cbuild *cb, int in_not, size_t *bad) {
    int i = *pi, any = 0;
    if (i < e && ps->t[i].type == T_IDENT) {
        css_simple *s = &cb->s[cb->n++];
        memset(s, 0, sizeof *s);
        s->type = S_TYPE;
        s->name = lowdup(ps, ps->t[i].s);
        cb->c++;
        i++, any = 1;
    } else if (i < e && is_delim(&ps->t[i], '*')) {
        i++, any = 1;
    }
    if (i < e && is_delim(&ps->t[i], '|')) return *bad = ps->t[i].off, 0; /* namespaces */
    while (i < e && !ps->oom) {
        const tok *t = &ps->t[i];
        if (cb->n >= (int)(sizeof cb->s / sizeof *cb->s) - 1) return *bad = t->off, 0;
        css_simple *s = &cb->s[cb->n];
        memset(s, 0, sizeof *s);
        if (cb->pseudo && (t->type == T_HASH || t->type == T_LBRACKET || t->type == T_COLON || is_delim(t, '.')))
            cb->never = 1; /* something after ::before: (mostly) invalid or never matching */
        if (t->type == T_HASH && t->hash_id) {
            s->type = S_ID;
            s->name = dk_arena_strndup(ps->mem, t->s.p, t->s.n);
            cb->a++, cb->n++, i++;
        } else if (is_delim(t, '.') && i + 1 < e && ps->t[i + 1].type == T_IDENT) {
            s->type = S_CLASS;
            s->name = dk_arena_strndup(ps->mem, ps->t[i + 1].s.p, ps->t[i + 1].s.n);
            cb->b++, cb->n++, i += 2;
        } else if (t->type == T_LBRACKET) {
            int close = t->match, j = skip_ws(ps, i + 1, close);
            if (j >= close || ps->t[j].type != T_IDENT) return *bad = t->off, 0;
            s->type = S_ATTR;
            s->name = lowdup(ps, ps->t[j].s);
            j = skip_ws(ps, j + 1, close);
            if (j < close) {
                const tok *o = &ps->t[j];
                if (is_delim(o, '=')) {
                    s->op = '=';
                    j++;
                } else if (o->type == T_DELIM && strchr("~^$*|", (int)o->delim) && j + 1 < close &&
                           is_delim(&ps->t[j + 1], '=')) {
                    s->op = (unsigned char)o->delim;
                    j += 2;
                } else {
                    return *bad = o->off, 0;
                }
                j = skip_ws(ps, j, close);
                if (j >= close || (ps->t[j].type != T_IDENT && ps->t[j].type != T_STRING))
                    return *bad = t->off, 0;
                s->val = dk_arena_strndup(ps->mem, ps->t[j].s.p, ps->t[j].s.n);
                j = skip_ws(ps, j + 1, close);
                if (j < close && ps->t[j].type == T_IDENT &&
                    (dk_str_ieq(ps->t[j].s, "i") || dk_str_ieq(ps->t[j].s, "s"))) {
                    s->icase = dk_str_ieq(ps->t[j].s, "i");
                    j = skip_ws(ps, j + 1, close);
                }
                if (j < close) return *bad = ps->t[j].off, 0;
            }
            if (ps->t[close].type != T_RBRACKET) return *bad = t->off, 0;
            cb->b++, cb->n++;
            i = close + 1;
        } else if (t->type == T_COLON) {
            int element = i + 1 < e && ps->t[i + 1].type == T_COLON;
            i += element ? 2 : 1;
            if (in_not && element) return *bad = t->off, 0;
            if (!pseudo(ps, &i, e, cb, element, in_not, bad)) return 0;
        } else {
            break;
        }
        any = 1;
    }
    if (ps->oom) return 0;
    for (int k = 0; k < cb->n; k++)
        if (!cb->s[k].name && (cb->s[k].type == S_TYPE || cb->s[k].type == S_ID ||
                               cb->s[k].type == S_CLASS || cb->s[k].type == S_ATTR))
            return ps->oom = 1, 0;
    if (!any) return *bad = ps->t[i < ps->nt ? i : ps->nt - 1].off, 0;
    *pi = i;
    return 1;
}

/* One complex selector in tokens [b, e). 1 parsed, 0 invalid, sets *never. */
static int complex_sel(css_parser *ps, int b, int e, css_selector *out, int *never, size_t *bad) {
    css_compound parts[64];
    int np = 0;
    unsigned a = 0, bb = 0, c = 0;
    int i = skip_ws(ps, b, e);
    unsigned char comb = C_NONE;
    *never = 0;
    out->pseudo = 0;
    cbuild *cb = malloc(sizeof *cb);
    if (!cb) return ps->oom = 1, 0;
    int ok = 1;
    for (;;) {
        memset(cb, 0, sizeof *cb);
        if (np == 64 || !compound(ps, &i, e, cb, 0, bad)) {
            if (np == 64) *bad = ps->t[i].off;
            ok = 0;
            break;
        }
        if (cb->never || out->pseudo) *never = 1; /* a compound after a pseudo-element */
        out->pseudo = (unsigned char)cb->pseudo;
        a += cb->a, bb += cb->b, c += cb->c;
        if (!finish_compound(ps, cb, &parts[np])) {
            ps->oom = 1, ok = 0;
            break;
        }
        parts[np++].comb = comb;
        int j = skip_ws(ps, i, e);
        if (j >= e) break;
        const tok *t = &ps->t[j];
        if (is_delim(t, '>') || is_delim(t, '+') || is_delim(t, '~')) {
            comb = t->delim == '>' ? C_CHILD : t->delim == '+' ? C_NEXT : C_SUBSEQ;
            i = skip_ws(ps, j + 1, e);
            if (i >= e) {
                *bad = t->off, ok = 0;
                break;
            }
        } else if (j > i) {
            comb = C_DESC;
            i = j;
        } else {
            *bad = t->off, ok = 0;
            break;
        }
    }
    free(cb);
    if (!ok) return 0;
    /* store right to left: c[k].comb relates c[k] to c[k+1] (its left neighbour) */
    out->nc = np;
    out->c = dk_arena_alloc(ps->mem, (size_t)np * sizeof *out->c);
    if (!out->c) return ps->oom = 1, 0;
    for (int k = 0; k < np; k++) {
        out->c[k] = parts[np - 1 - k];
        out->c[k].comb = k + 1 < np ? parts[np - 1 - k].comb : C_NONE;
    }
    out->spec = DK_MIN(a, 255u) << 16 | DK_MIN(bb, 255u) << 8 | DK_MIN(c, 255u);
    return 1;
}

/*
 * Parse a selector list. Returns 0 if any selector is invalid (the rule is
 * dropped, with a warning); selectors that can never match are left out.
 */
int dk_css_parse_selectors(css_parser *ps, int b, int e, css_selector **out, int *n) {
    int count = 1, ok = 1;
    *out = NULL;
    *n = 0;
    for (int i = b; i < e; i = next_cv(ps, i))
        if (ps->t[i].type == T_COMMA) count++;
    css_selector *sel = dk_arena_alloc(ps->mem, (size_t)count * sizeof *sel);
    if (!sel) return ps->oom = 1, 0;
    int k = 0, start = b;
    for (int i = b;; i = next_cv(ps, i)) {
        if (i < e && ps->t[i].type != T_COMMA) continue;
        int never;
        size_t bad = ps->t[start < ps->nt ? start : ps->nt - 1].off;
        if (skip_ws(ps, start, i) >= i) {
            ok = 0;
        } else if (!complex_sel(ps, start, i, &sel[k], &never, &bad)) {
            ok = 0;
        } else if (never) {
            {
                size_t s0 = ps->t[skip_ws(ps, start, i)].off;
                size_t s1 = ps->t[i].off;
                while (s1 > s0 && (ps->src[s1 - 1] == ' ' || ps->src[s1 - 1] == '\n')) s1--;
                char key[160];
                snprintf(key, sizeof key, "css-sel:%.*s", (int)DK_MIN(s1 - s0, 140), ps->src + s0);
                dk_css_note_once(ps, key, s0, "selector '%.*s' can never match in a slide; ignored",
                                 (int)(s1 - s0), ps->src + s0);
            }
        } else {
            k++;
        }
        if (!ok) {
            if (!ps->oom) {
                size_t s0 = ps->t[skip_ws(ps, b, e)].off, s1 = ps->t[e].off;
                while (s1 > s0 && (ps->src[s1 - 1] == ' ' || ps->src[s1 - 1] == '\n')) s1--;
                dk_css_warn(ps, "css-invalid-selector", bad, "invalid selector '%.*s'; rule dropped", (int)(s1 - s0),
                         ps->src + s0);
            }
            return 0;
        }
        if (i >= e) break;
        start = i + 1;
    }
    *out = sel;
    *n = k;
    return 1;
}

/* ---- media queries ------------------------------------------------------ */

/* Does the media condition (and its enclosing ones) hold for `media`? */
int dk_css_media_match(const css_media *m, const dk_media *media) {
    for (; m; m = m->parent) {
        int any = 0;
        for (int q = 0; q < m->nq && !any; q++) {
            const css_mquery *mq = &m->q[q];
            int ok = !mq->never;
            for (int f = 0; f < mq->nf && ok; f++) {
                const css_mfeat *ft = &mq->f[f];
                double v = ft->feature == MF_WIDTH    ? media->width
                           : ft->feature == MF_HEIGHT ? media->height
                           : ft->feature == MF_ASPECT ? (media->height > 0 ? media->width / media->height : 0)
                                                      : (media->height >= media->width ? 0 : 1);
                double eps = 1e-9;
                switch (ft->op) {
                case MOP_EQ: ok = v > ft->v - 1e-6 && v < ft->v + 1e-6; break;
                case MOP_MIN: ok = v >= ft->v - eps; break;
                case MOP_MAX: ok = v <= ft->v + eps; break;
                case MOP_GT: ok = v > ft->v + eps; break;
                case MOP_LT: ok = v < ft->v - eps; break;
                }
            }
            if (mq->negate) ok = !ok;
            any = ok;
        }
        if (!any) return 0;
    }
    return 1;
}

/* A length or ratio value for a media feature at tokens [b, e). */
static int mf_value(const css_parser *ps, int b, int e, int feature, double *v) {
    b = skip_ws(ps, b, e);
    if (b >= e) return 0;
    const tok *t = &ps->t[b];
    if (feature == MF_ORIENTATION) {
        if (t->type != T_IDENT) return 0;
        if (dk_str_ieq(t->s, "portrait")) *v = 0;
        else if (dk_str_ieq(t->s, "landscape")) *v = 1;
        else return 0;
        return skip_ws(ps, b + 1, e) == e;
    }
    if (feature == MF_ASPECT) {
        if (t->type != T_NUMBER) return 0;
        double num = t->num, den = 1;
        int j = skip_ws(ps, b + 1, e);
        if (j < e && is_delim(&ps->t[j], '/')) {
            j = skip_ws(ps, j + 1, e);
            if (j >= e || ps->t[j].type != T_NUMBER) return 0;
            den = ps->t[j].num;
            j = skip_ws(ps, j + 1, e);
        }
        if (j != e || den <= 0) return 0;
        *v = num / den;
        return 1;
    }
    if (skip_ws(ps, b + 1, e) != e) return 0;
    if (t->type == T_NUMBER && t->num == 0) return *v = 0, 1;
    if (t->type != T_DIMENSION) return 0;
    static const struct {
        const char *u;
        double px;
    } units[] = {{"px", 1}, {"em", 16}, {"rem", 16}, {"pt", 4.0 / 3}, {"pc", 16},
                 {"in", 96}, {"cm", 96 / 2.54}, {"mm", 96 / 25.4}, {"q", 96 / 101.6}};
    for (size_t k = 0; k < sizeof units / sizeof *units; k++)
        if (dk_str_ieq(t->s, units[k].u)) return *v = t->num * units[k].px, 1;
    return 0;
}

/* One "(feature: value)" or "(feature op value)" in the block at tokens[i]. */
static int media_feature(const css_parser *ps, int i, css_mfeat *f) {
    int e = ps->t[i].match, b = skip_ws(ps, i + 1, e);
    if (b >= e || ps->t[b].type != T_IDENT) return 0;
    dk_str nm = ps->t[b].s;
    int op = MOP_EQ;
    if (nm.n > 4 && (dk_str_ieq((dk_str){nm.p, 4}, "min-") || dk_str_ieq((dk_str){nm.p, 4}, "max-"))) {
        op = (nm.p[1] | 32) == 'i' ? MOP_MIN : MOP_MAX;
        nm.p += 4, nm.n -= 4;
    }
    if (dk_str_ieq(nm, "width")) f->feature = MF_WIDTH;
    else if (dk_str_ieq(nm, "height")) f->feature = MF_HEIGHT;
    else if (dk_str_ieq(nm, "aspect-ratio")) f->feature = MF_ASPECT;
    else if (dk_str_ieq(nm, "orientation") && op == MOP_EQ) f->feature = MF_ORIENTATION;
    else return 0;
    int j = skip_ws(ps, b + 1, e);
    if (j < e && ps->t[j].type == T_COLON) {
        f->op = (unsigned char)op;
        return mf_value(ps, j + 1, e, f->feature, &f->v);
    }
    /* range syntax: (width >= 600px), (width < 50em) */
    if (op != MOP_EQ || j >= e || ps->t[j].type != T_DELIM) return 0;
    unsigned c = ps->t[j].delim;
    int eq = j + 1 < e && is_delim(&ps->t[j + 1], '=');
    if (c == '>') f->op = eq ? MOP_MIN : MOP_GT;
    else if (c == '<') f->op = eq ? MOP_MAX : MOP_LT;
    else if (c == '=') f->op = MOP_EQ;
    else return 0;
    return mf_value(ps, j + 1 + eq, e, f->feature, &f->v);
}

/* Parse an @media prelude in tokens [b, e). NULL on OOM. */
static css_media *parse_media(css_parser *ps, int b, int e, const css_media *parent) {
    css_media *m = dk_arena_alloc(ps->mem, sizeof *m);
    if (!m) return ps->oom = 1, NULL;
    m->parent = parent;
    int count = 1;
    for (int i = b; i < e; i = next_cv(ps, i))
        if (ps->t[i].type == T_COMMA) count++;
    m->q = dk_arena_alloc(ps->mem, (size_t)count * sizeof *m->q);
    if (!m->q) return ps->oom = 1, NULL;
    int start = b;
    for (int i = b;; i = next_cv(ps, i)) {
        if (i < e && ps->t[i].type != T_COMMA) continue;
        css_mquery *q = &m->q[m->nq++];
        int nf = 0;
        for (int j = start; j < i; j = next_cv(ps, j)) nf += ps->t[j].type == T_LPAREN;
        q->f = dk_arena_alloc(ps->mem, (size_t)(nf ? nf : 1) * sizeof *q->f);
        if (!q->f) return ps->oom = 1, NULL;
        int j = skip_ws(ps, start, i), first = 1, need_and = 0;
        if (j >= i) q->never = 1; /* an empty query in a list: "not all" */
        while (j < i) {
            const tok *t = &ps->t[j];
            if (t->type == T_IDENT && first && (dk_str_ieq(t->s, "not") || dk_str_ieq(t->s, "only"))) {
                q->negate = dk_str_ieq(t->s, "not");
            } else if (t->type == T_IDENT && !need_and && !dk_str_ieq(t->s, "and")) {
                if (!dk_str_ieq(t->s, "all") && !dk_str_ieq(t->s, "screen")) q->never = 1;
                need_and = 1;
            } else if (t->type == T_IDENT && dk_str_ieq(t->s, "and") && need_and) {
                need_and = 0;
            } else if (t->type == T_LPAREN && !need_and) {
                if (!media_feature(ps, j, &q->f[q->nf])) {
                    dk_css_warn(ps, "css-media", t->off, "unsupported media feature; query never matches");
                    q->never = 1, q->negate = 0;
                } else {
                    q->nf++;
                }
                need_and = 1;
            } else {
                dk_css_warn(ps, "css-media", t->off, "bad media query; it never matches");
                q->never = 1, q->negate = 0;
                break;
            }
            first = 0;
            j = skip_ws(ps, next_cv(ps, j), i);
        }
        if (i >= e) break;
        start = i + 1;
    }
    if (m->nq == 1 && m->q[0].never && skip_ws(ps, b, e) >= e) m->q[0].never = 0; /* "@media {" */
    return m;
}

/* ---- rules -------------------------------------------------------------- */

typedef struct {
    css_rule *r;
    int n, cap;
} rulevec;

static void add_rule(css_parser *ps, rulevec *rv, const css_rule *r) {
    if (rv->n == rv->cap) {
        int cap = rv->cap ? rv->cap * 2 : 64;
        css_rule *p = realloc(rv->r, (size_t)cap * sizeof *p);
        if (!p) {
            ps->oom = 1;
            return;
        }
        rv->r = p;
        rv->cap = cap;
    }
    rv->r[rv->n++] = *r;
}

/* A rule list in tokens [b, e) (top level, or inside @media). */
static void rule_list(css_parser *ps, int b, int e, const css_media *media, rulevec *rv, int depth) {
    int top = depth == 0;
    int i = b;
    while (i < e && !ps->oom) {
        const tok *t = &ps->t[i];
        if (t->type == T_WS || (top && (t->type == T_CDO || t->type == T_CDC))) {
            i++;
            continue;
        }
        if (t->type == T_AT) {
            /* prelude up to ';' or a {} block */
            int j = i + 1;
            while (j < e && ps->t[j].type != T_SEMI && ps->t[j].type != T_LBRACE) j = next_cv(ps, j);
            int has_block = j < e && ps->t[j].type == T_LBRACE;
            int end = has_block ? next_cv(ps, j) : (j < e ? j + 1 : e);
            dk_str nm = t->s;
            if (dk_str_ieq(nm, "media")) {
                if (!has_block) {
                    dk_css_warn(ps, "css-media", t->off, "@media without a block; ignored");
                } else if (depth >= 16) {
                    dk_css_warn(ps, "css-media", t->off, "@media nested too deeply; ignored");
                } else {
                    css_media *m = parse_media(ps, i + 1, j, media);
                    int close = ps->t[j].match;
                    if (m) rule_list(ps, j + 1, close < e ? close : e, m, rv, depth + 1);
                }
            } else if (!(dk_str_ieq(nm, "font-face") || dk_str_ieq(nm, "import") ||
                         dk_str_ieq(nm, "page") || dk_str_ieq(nm, "keyframes") ||
                         dk_str_ieq(nm, "-webkit-keyframes") || dk_str_ieq(nm, "charset") ||
                         dk_str_ieq(nm, "namespace"))) {
                dk_css_warn(ps, "css-unsupported-at-rule", t->off, "unsupported at-rule '@%.*s'; ignored", (int)nm.n, nm.p);
            }
            i = end;
            continue;
        }
        /* qualified rule: prelude up to a {} block */
        int j = i;
        while (j < e && ps->t[j].type != T_LBRACE) j = next_cv(ps, j);
        if (j >= e) {
            dk_css_warn(ps, "css-syntax", t->off, "rule without a {} block; ignored");
            break;
        }
        int close = ps->t[j].match;
        if (close > e) close = e;
        css_rule r = {.media = media};
        if (dk_css_parse_selectors(ps, i, j, &r.sel, &r.nsel)) {
            dk_css_parse_decls(ps, j + 1, close);
            if (!flush_decls(ps, &r.decls, &r.ndecls)) ps->oom = 1;
            if (r.nsel && r.ndecls) add_rule(ps, rv, &r);
        }
        i = next_cv(ps, j);
    }
}

/*
 * Parse a sheet: see css.h. `name` (may be NULL) names the sheet in
 * messages when it is not part of the deck. With `mem` the sheet's data
 * lives in that arena (a <style> element's sheet lives with the slide);
 * without, the sheet gets an arena of its own.
 */
dk_status dk_css_parse_sheet_mem(dk_ctx *ctx, const char *name, const char *css, size_t n,
                              size_t base_off, dk_arena *mem, dk_sheet **out) {
    dk_status st = DK_ENOMEM;
    dk_arena *scratch = dk_arena_new();
    dk_sheet *sh = calloc(1, sizeof *sh);
    css_parser ps = {.ctx = ctx, .src = css, .n = n, .base_off = base_off, .name = name};
    rulevec rv = {0};
    tok *t = NULL;
    int nt = 0;
    *out = NULL;
    if (!scratch || !sh) goto done;
    sh->own_mem = mem == NULL;
    sh->mem = mem ? mem : dk_arena_new();
    sh->ua = css == dk_css_ua_sheet;
    if (!sh->mem) goto done;
    ps.mem = sh->mem;
    if (dk_css_tokenize(scratch, css, n, &t, &nt) != DK_OK) goto done;
    ps.t = t;
    ps.nt = nt;
    rule_list(&ps, 0, nt - 1, NULL, &rv, 0);
    if (ps.oom) goto done;
    if (rv.n) {
        sh->rules = dk_arena_alloc(sh->mem, (size_t)rv.n * sizeof *sh->rules);
        if (!sh->rules) goto done;
        memcpy(sh->rules, rv.r, (size_t)rv.n * sizeof *sh->rules);
    }
    sh->nrules = rv.n;
    for (int r = 0; r < sh->nrules; r++)
        for (int s = 0; s < sh->rules[r].nsel; s++) sh->rules[r].sel[s].rule = &sh->rules[r];
    *out = sh;
    sh = NULL;
    st = DK_OK;
done:
    free(ps.d);
    free(rv.r);
    free(t);
    dk_arena_free(scratch);
    dk_sheet_free(sh);
    return st;
}

/*
 * Parse a sheet into its own arena (see css.h). A sheet parsed from
 * dk_css_ua_sheet itself has user-agent origin in the cascade.
 */
dk_status dk_css_parse_sheet(dk_ctx *ctx, const char *css, size_t n, size_t base_off,
                             dk_sheet **out) {
    return dk_css_parse_sheet_mem(ctx, NULL, css, n, base_off, NULL, out);
}

/* Parse a sheet with a name for messages (see css.h). */
dk_status dk_css_parse_sheet_named(dk_ctx *ctx, const char *name, const char *css, size_t n,
                                   size_t base_off, dk_sheet **out) {
    return dk_css_parse_sheet_mem(ctx, name, css, n, base_off, NULL, out);
}

/* Free a sheet (and its arena when it owns one). NULL is fine. */
void dk_sheet_free(dk_sheet *s) {
    if (!s) return;
    if (s->own_mem) dk_arena_free(s->mem);
    free(s);
}

/* A declaration list outside any sheet; diagnostics at `off` plus the offset in it. */
static dk_status parse_decl_list(dk_ctx *ctx, dk_arena *a, const char *p, size_t n, size_t off,
                                 int quiet, css_decl **out, int *nout) {
    dk_status st = DK_ENOMEM;
    dk_arena *scratch = dk_arena_new();
    css_parser ps = {.ctx = ctx, .mem = a, .src = p, .n = n, .base_off = off, .name = "style",
                     .quiet = quiet};
    tok *t = NULL;
    int nt = 0;
    *out = NULL;
    *nout = 0;
    if (!scratch) goto done;
    if (dk_css_tokenize(scratch, p, n, &t, &nt) != DK_OK) goto done;
    ps.t = t;
    ps.nt = nt;
    dk_css_parse_decls(&ps, 0, nt - 1);
    if (ps.oom || !flush_decls(&ps, out, nout)) goto done;
    st = DK_OK;
done:
    free(ps.d);
    free(t);
    dk_arena_free(scratch);
    return st;
}

/*
 * Parse the value of a `style` attribute as a declaration list; see
 * css-internal.h. Diagnostics point at `off` plus the offset in the value.
 */
dk_status dk_css_parse_inline(dk_ctx *ctx, dk_arena *a, const char *p, size_t n, size_t off,
                           css_decl **out, int *nout) {
    return parse_decl_list(ctx, a, p, n, off, 0, out, nout);
}

dk_status dk_css_parse_substituted(dk_ctx *ctx, dk_arena *a, const char *p, size_t n,
                                   css_decl **out, int *nout) {
    return parse_decl_list(ctx, a, p, n, DK_NOPOS, 1, out, nout);
}
