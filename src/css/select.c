/*
 * Selector matching, right to left (the subject compound first, then its
 * combinators walk up or back through the tree), as browsers do: most
 * candidate rules fail on the subject, before any walking.
 *
 * The cascade only tries selectors whose subject's id, first class or tag
 * already fits the element (see the index in cascade.c), so the per-element
 * cost is proportional to the rules that might match, not to the sheet.
 */
#include "css-internal.h"

#include <string.h>

static const dk_node *prev_elem(const dk_node *n) {
    for (n = n->prev; n && n->type != DK_NODE_ELEMENT; n = n->prev) {}
    return n;
}

static const dk_node *next_elem(const dk_node *n) {
    for (n = n->next; n && n->type != DK_NODE_ELEMENT; n = n->next) {}
    return n;
}

static const char *attr(const dk_node *e, const char *name) {
    for (const dk_attr *a = e->attrs; a; a = a->next)
        if (strcmp(a->name, name) == 0) return a->value;
    return NULL;
}

static int ch_eq(char a, char b, int icase) {
    if (icase) {
        if (a >= 'A' && a <= 'Z') a += 32;
        if (b >= 'A' && b <= 'Z') b += 32;
    }
    return a == b;
}

static int mem_eq(const char *a, const char *b, size_t n, int icase) {
    for (size_t i = 0; i < n; i++)
        if (!ch_eq(a[i], b[i], icase)) return 0;
    return 1;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* Is `word` one of the white-space separated words of `list`? */
static int has_word(const char *list, const char *word, int icase) {
    size_t wn = strlen(word);
    if (!wn) return 0;
    for (const char *p = list; *p;) {
        while (is_space(*p)) p++;
        const char *s = p;
        while (*p && !is_space(*p)) p++;
        if ((size_t)(p - s) == wn && mem_eq(s, word, wn, icase)) return 1;
    }
    return 0;
}

static int match_attr(const css_simple *s, const dk_node *e) {
    const char *v = attr(e, s->name);
    if (!v) return 0;
    if (!s->op) return 1;
    size_t vn = strlen(v), wn = strlen(s->val);
    switch (s->op) {
    case '=': return vn == wn && mem_eq(v, s->val, vn, s->icase);
    case '~': return !strpbrk(s->val, " \t\n\r\f") && has_word(v, s->val, s->icase);
    case '^': return wn && vn >= wn && mem_eq(v, s->val, wn, s->icase);
    case '$': return wn && vn >= wn && mem_eq(v + vn - wn, s->val, wn, s->icase);
    case '*':
        if (!wn) return 0;
        for (size_t i = 0; i + wn <= vn; i++)
            if (mem_eq(v + i, s->val, wn, s->icase)) return 1;
        return 0;
    case '|': return vn >= wn && mem_eq(v, s->val, wn, s->icase) && (vn == wn || v[wn] == '-');
    }
    return 0;
}

/* Does position `pos` (1-based) fit an+b? */
static int nth_fits(int a, int b, int pos) {
    if (a == 0) return pos == b;
    int d = pos - b;
    return d % a == 0 && d / a >= 0;
}

/* 1-based position among element siblings (of the same tag if `same`), from the end if `last`. */
static int position(const dk_node *e, int same, int last) {
    if (!last && !same && e->nth > 0) return e->nth;
    if (!last && same && e->nth_of_type > 0) return e->nth_of_type;
    int pos = 1;
    for (const dk_node *n = last ? next_elem(e) : prev_elem(e); n; n = last ? next_elem(n) : prev_elem(n))
        if (!same || strcmp(n->tag, e->tag) == 0) pos++;
    return pos;
}

static int match_compound(const css_compound *c, const dk_node *e);

static int match_simple(const css_simple *s, const dk_node *e) {
    switch (s->type) {
    case S_TYPE: return strcmp(e->tag, s->name) == 0;
    case S_UNIVERSAL: return 1;
    case S_ID: {
        const char *id = attr(e, "id");
        return id && strcmp(id, s->name) == 0;
    }
    case S_CLASS: {
        const char *cl = attr(e, "class");
        return cl && has_word(cl, s->name, 0);
    }
    case S_ATTR: return match_attr(s, e);
    case S_FIRST_CHILD: return !prev_elem(e);
    case S_LAST_CHILD: return !next_elem(e);
    case S_ONLY_CHILD: return !prev_elem(e) && !next_elem(e);
    case S_FIRST_OF_TYPE: return position(e, 1, 0) == 1;
    case S_LAST_OF_TYPE: return position(e, 1, 1) == 1;
    case S_ONLY_OF_TYPE: return position(e, 1, 0) == 1 && position(e, 1, 1) == 1;
    case S_NTH_CHILD: return nth_fits(s->a, s->b, position(e, 0, 0));
    case S_NTH_LAST_CHILD: return nth_fits(s->a, s->b, position(e, 0, 1));
    case S_NTH_OF_TYPE: return nth_fits(s->a, s->b, position(e, 1, 0));
    case S_NTH_LAST_OF_TYPE: return nth_fits(s->a, s->b, position(e, 1, 1));
    case S_ROOT: return e->parent == NULL;
    case S_EMPTY:
        for (const dk_node *n = e->first; n; n = n->next)
            if (n->type == DK_NODE_ELEMENT || n->text_len) return 0;
        return 1;
    case S_LINK: return (strcmp(e->tag, "a") == 0 || strcmp(e->tag, "area") == 0) && attr(e, "href");
    case S_NOT: return !match_compound(s->arg, e);
    case S_NEVER: return 0;
    }
    return 0;
}

static int match_compound(const css_compound *c, const dk_node *e) {
    for (int i = 0; i < c->ns; i++)
        if (!match_simple(&c->s[i], e)) return 0;
    return 1;
}

/* Match compounds ci.. of s, with compound ci against element e. */
static int match_from(const css_selector *s, int ci, const dk_node *e) {
    if (!match_compound(&s->c[ci], e)) return 0;
    if (ci + 1 == s->nc) return 1;
    const dk_node *n;
    switch (s->c[ci].comb) {
    case C_CHILD:
        n = e->parent;
        return n && n->type == DK_NODE_ELEMENT && match_from(s, ci + 1, n);
    case C_DESC: {
        /* when only descendant combinators remain, the nearest matching
           ancestor is as good as any: no backtracking (deep trees stay linear) */
        int greedy = 1;
        for (int k = ci + 1; k + 1 < s->nc && greedy; k++) greedy = s->c[k].comb == C_DESC;
        for (n = e->parent; n && n->type == DK_NODE_ELEMENT; n = n->parent) {
            if (greedy && !match_compound(&s->c[ci + 1], n)) continue;
            if (match_from(s, ci + 1, n)) return 1;
            if (greedy) return 0;
        }
        return 0;
    }
    case C_NEXT:
        n = prev_elem(e);
        return n && match_from(s, ci + 1, n);
    case C_SUBSEQ:
        for (n = prev_elem(e); n; n = prev_elem(n))
            if (match_from(s, ci + 1, n)) return 1;
        return 0;
    }
    return 0;
}

/* Does selector s match element e? */
int dk_css_match_selector(const css_selector *s, const dk_node *e) {
    return e->type == DK_NODE_ELEMENT && s->nc > 0 && match_from(s, 0, e);
}
