/*
 * Custom properties and var() (css-variables-1).
 *
 * A declaration `--name: value` keeps its value as text (parse.c/values.c
 * emit it as SV_CUSTOM under P_CUSTOM). Custom properties cascade like any
 * property and always inherit, so each element gets a table: its parent's,
 * with the winners of its own declarations on top (§2). Their values are
 * computed by substituting var() at once, so a child inherits values, not
 * references; a cycle or a missing variable without fallback makes the
 * value guaranteed-invalid (NULL).
 *
 * A declaration of an ordinary property whose value contains var() cannot
 * be parsed with the sheet; it is kept as "property:value" text (SV_VAR)
 * and the cascade calls dk_css_vars_subst for each element where it wins,
 * then parses the result (§3). An invalid result is "invalid at
 * computed-value time": the property behaves as `unset` (§3.1).
 *
 * Substitution works on text, not tokens: it skips strings and comments and
 * replaces each `var(--name [, fallback])` by the variable's value, or the
 * fallback with its own var() substituted.
 */
#include "css-internal.h"

#include <string.h>

enum { MAX_DEPTH = 24 }; /* deeper is a reference cycle (or absurd): invalid */

static int ident_char(unsigned char c) {
    return c == '-' || c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') ||
           c >= 0x80;
}

/* Index just past the string that starts at p[i] (a quote). */
static size_t skip_string(const char *p, size_t n, size_t i) {
    char q = p[i++];
    while (i < n && p[i] != q) i += p[i] == '\\' && i + 1 < n ? 2 : 1;
    return i < n ? i + 1 : n;
}

/* Is there a var( in p[0, n)? (A cheap test before substituting.) */
static int has_var(const char *p, size_t n) {
    for (size_t i = 0; i + 4 <= n; i++)
        if ((p[i] | 32) == 'v' && (p[i + 1] | 32) == 'a' && (p[i + 2] | 32) == 'r' && p[i + 3] == '(' &&
            (i == 0 || !ident_char((unsigned char)p[i - 1])))
            return 1;
    return 0;
}

static int lookup(const struct dk_cvars *v, const char *name, size_t n) {
    if (!v) return -1;
    for (int i = v->n - 1; i >= 0; i--)
        if (strlen(v->name[i]) == n && memcmp(v->name[i], name, n) == 0) return i;
    return -1;
}

static void trim(const char **p, size_t *n) {
    while (*n && strchr(" \t\r\n\f", (*p)[0])) (*p)++, (*n)--;
    while (*n && strchr(" \t\r\n\f", (*p)[*n - 1])) (*n)--;
}

/* Append p[0, n) to out with var() substituted; 0 if the result is invalid. */
static int subst(const struct dk_cvars *v, const char *p, size_t n, dk_buf *out, int depth) {
    if (depth > MAX_DEPTH) return 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\'') {
            size_t j = skip_string(p, n, i);
            dk_buf_add(out, p + i, j - i);
            i = j;
        } else if (c == '/' && i + 1 < n && p[i + 1] == '*') {
            const char *end = NULL;
            for (size_t j = i + 2; j + 1 < n && !end; j++)
                if (p[j] == '*' && p[j + 1] == '/') end = p + j + 2;
            i = end ? (size_t)(end - p) : n;
            dk_buf_addc(out, ' ');
        } else if ((c | 32) == 'v' && i + 4 <= n && (p[i + 1] | 32) == 'a' && (p[i + 2] | 32) == 'r' &&
                   p[i + 3] == '(' && (i == 0 || !ident_char((unsigned char)p[i - 1]))) {
            /* var( name [, fallback] ): find the closing parenthesis and the first comma */
            size_t a = i + 4, j = a, comma = 0;
            int level = 0;
            while (j < n && (level > 0 || p[j] != ')')) {
                if (p[j] == '"' || p[j] == '\'') {
                    j = skip_string(p, n, j);
                    continue;
                }
                if (p[j] == '(') level++;
                else if (p[j] == ')') level--;
                else if (p[j] == ',' && level == 0 && !comma) comma = j;
                j++;
            }
            const char *name = p + a;
            size_t nn = (comma ? comma : j) - a;
            trim(&name, &nn);
            int k = lookup(v, name, nn);
            const char *val = k >= 0 ? v->val[k] : NULL;
            if (val) {
                size_t vn = strlen(val);
                if (has_var(val, vn)) {
                    if (!subst(v, val, vn, out, depth + 1)) return 0;
                } else {
                    dk_buf_add(out, val, vn);
                }
            } else if (comma) {
                const char *fb = p + comma + 1;
                size_t fn = (j < n ? j : n) - comma - 1;
                trim(&fb, &fn);
                if (!subst(v, fb, fn, out, depth + 1)) return 0;
            } else {
                return 0;
            }
            i = j < n ? j + 1 : n;
        } else {
            dk_buf_addc(out, (char)c);
            i++;
        }
    }
    return 1;
}

/*
 * The text with var() substituted from `v`, allocated from `a`; *out NULL
 * when the result is invalid (a missing variable without fallback, a
 * cycle). DK_ENOMEM only.
 */
dk_status dk_css_vars_subst(dk_arena *a, const struct dk_cvars *v, const char *text, char **out) {
    dk_buf b = {0};
    *out = NULL;
    int ok = subst(v, text, strlen(text), &b, 0);
    if (b.oom) {
        dk_buf_free(&b);
        return DK_ENOMEM;
    }
    dk_status st = DK_OK;
    if (ok) {
        *out = dk_arena_strndup(a, b.n ? b.p : "", b.n);
        if (!*out) st = DK_ENOMEM;
    }
    dk_buf_free(&b);
    return st;
}

/*
 * The custom-property table of an element: `parent`'s (NULL: none) with the
 * element's own declarations `own` (SV_CUSTOM values, in cascade order, so a
 * later one wins) on top, their var() substituted. Allocated from `a`.
 * DK_ENOMEM only.
 */
dk_status dk_css_vars_element(dk_arena *a, const struct dk_cvars *parent, const sval *const *own,
                              int nown, const struct dk_cvars **out) {
    int cap = (parent ? parent->n : 0) + nown;
    struct dk_cvars *v = dk_arena_alloc(a, sizeof *v);
    unsigned char *mine = dk_arena_alloc(a, (size_t)cap + 1);
    if (!v || !mine) return DK_ENOMEM;
    v->name = dk_arena_alloc(a, (size_t)cap * sizeof *v->name + 1);
    v->val = dk_arena_alloc(a, (size_t)cap * sizeof *v->val + 1);
    if (!v->name || !v->val) return DK_ENOMEM;
    if (parent) {
        memcpy(v->name, parent->name, (size_t)parent->n * sizeof *v->name);
        memcpy(v->val, parent->val, (size_t)parent->n * sizeof *v->val);
        v->n = parent->n;
    }
    for (int i = 0; i < nown; i++) {
        const char *raw = own[i]->raw;
        int k = lookup(v, own[i]->s, strlen(own[i]->s));
        if (k < 0) k = v->n++, v->name[k] = own[i]->s;
        int pk = lookup(parent, own[i]->s, strlen(own[i]->s));
        /* the CSS-wide keywords (css-variables-1 §2.1): initial is the
           guaranteed-invalid value; inherit and unset take the parent's */
        if (!strcmp(raw, "initial")) raw = NULL;
        else if (!strcmp(raw, "inherit") || !strcmp(raw, "unset")) raw = pk >= 0 ? parent->val[pk] : NULL;
        else mine[k] = 1;
        v->val[k] = raw;
    }
    /* compute own values in place; a reference to a later one substitutes it recursively */
    for (int k = 0; k < v->n; k++) {
        if (!mine[k] || !v->val[k] || !has_var(v->val[k], strlen(v->val[k]))) continue;
        char *r;
        if (dk_css_vars_subst(a, v, v->val[k], &r) != DK_OK) return DK_ENOMEM;
        v->val[k] = r;
    }
    *out = v;
    return DK_OK;
}
