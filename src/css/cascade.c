/*
 * The cascade: which declaration wins for each element and property.
 *
 * Model (css-cascade-4, without layers and scoping):
 *   1. origin and importance: UA normal < author normal < author !important
 *      < UA !important. Theme sheets, <style> elements and style=""
 *      are all author origin, as they are in a browser page.
 *   2. specificity, with style="" above every selector;
 *   3. order of appearance: theme sheets in the order given, then <style>
 *      elements in tree order, then style="".
 * These fold into one 64-bit key per matched declaration; sorting the keys
 * and letting later ones overwrite earlier ones per longhand gives the
 * winners. values.c then computes the style.
 *
 * Speed: rules are indexed by the subject compound's id, else its first
 * class, else its tag, else "universal"; an element only tries the buckets
 * of its own id, classes and tag. Computed styles are interned (hash of the
 * bytes), so the thousands of identical <li> or <span> styles are one
 * allocation. A display:none subtree is not matched: its elements share the
 * display:none ancestor's style.
 *
 * Pseudo-elements (CSS 2.1 §12.1): selectors ending in ::before / ::after
 * are filed with the others but only tried when an element's pseudo-element
 * is styled, a second (and third) cascade per element run only when the
 * sheets have such selectors. The pseudo-element inherits from its element.
 */
#include "css-internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { K_ID, K_CLASS, K_TAG, K_ANY };

typedef struct {
    const css_selector *sel;
    const char *name;
    unsigned char kind;
    unsigned char ua;
    unsigned char sheet;
} entry;

typedef struct {
    uint32_t hash;
    int start, end; /* range in the sorted entries; end 0: empty slot */
} bucket;

typedef struct {
    entry *e;
    int ne;
    bucket *b;
    size_t nb; /* power of two */
} rindex;

typedef struct {
    uint64_t key;
    const css_decl *d;
} match;

typedef struct {
    dk_ctx *ctx;
    dk_arena *a;
    const dk_media *media;
    rindex ix;
    match *m;
    int nm, capm;
    const dk_style **pool; /* interned styles (open addressing) */
    size_t npool, cappool;
    dk_style *tmp;
    float root_fs;
    int oom;
    int want;       /* which selectors apply: 0 the element's, DK_PSEUDO_* a pseudo-element's */
    int has_pseudo; /* some selector styles a pseudo-element */
    /* the last var() substitution (see substitute) */
    const char *sub_text;
    const struct dk_cvars *sub_vars;
    css_decl *sub;
    int sub_n;
    /* the counters in scope (CSS 2.1 §12.4.1), innermost last: one made by element E
       lives until the walk leaves E's parent (`scope`) */
    struct counter {
        const char *name;
        size_t n;
        int value;
        const dk_node *scope;
    } *ctr;
    int nctr, capctr;
} cascade;

static uint32_t hash_key(int kind, const char *p, size_t n) {
    uint32_t h = 2166136261u ^ (uint32_t)kind;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

static int entry_cmp(const void *x, const void *y) {
    const entry *a = x, *b = y;
    if (a->kind != b->kind) return a->kind - b->kind;
    return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

/* The key a selector is filed under. */
static void subject_key(const css_selector *s, entry *e) {
    const css_compound *c = &s->c[0];
    e->kind = K_ANY;
    e->name = NULL;
    for (int i = 0; i < c->ns; i++) {
        const css_simple *x = &c->s[i];
        int k = x->type == S_ID ? K_ID : x->type == S_CLASS ? K_CLASS : x->type == S_TYPE ? K_TAG : K_ANY;
        if (k < e->kind) e->kind = (unsigned char)k, e->name = x->name;
    }
}

static void index_free(rindex *ix) {
    free(ix->e);
    free(ix->b);
}

/* Index the rules of all sheets whose media conditions hold. 0 on OOM. */
static int index_build(cascade *cx, const dk_sheet *const *sheets, int nsheets) {
    rindex *ix = &cx->ix;
    int n = 0;
    for (int s = 0; s < nsheets; s++)
        for (int r = 0; r < sheets[s]->nrules; r++) n += sheets[s]->rules[r].nsel;
    ix->e = malloc((size_t)(n ? n : 1) * sizeof *ix->e);
    if (!ix->e) return 0;
    for (int s = 0; s < nsheets; s++)
        for (int r = 0; r < sheets[s]->nrules; r++) {
            const css_rule *rule = &sheets[s]->rules[r];
            if (rule->media && !dk_css_media_match(rule->media, cx->media)) continue;
            for (int k = 0; k < rule->nsel; k++) {
                entry *e = &ix->e[ix->ne++];
                e->sel = &rule->sel[k];
                e->ua = (unsigned char)sheets[s]->ua;
                e->sheet = (unsigned char)DK_MIN(s, 126);
                subject_key(e->sel, e);
                if (e->sel->pseudo) cx->has_pseudo = 1;
            }
        }
    qsort(ix->e, (size_t)ix->ne, sizeof *ix->e, entry_cmp);
    ix->nb = 16;
    while (ix->nb < (size_t)ix->ne * 2) ix->nb *= 2;
    ix->b = calloc(ix->nb, sizeof *ix->b);
    if (!ix->b) return 0;
    for (int i = 0; i < ix->ne;) {
        int j = i + 1;
        while (j < ix->ne && entry_cmp(&ix->e[i], &ix->e[j]) == 0) j++;
        const char *nm = ix->e[i].name ? ix->e[i].name : "";
        uint32_t h = hash_key(ix->e[i].kind, nm, strlen(nm));
        size_t slot = h & (ix->nb - 1);
        while (ix->b[slot].end) slot = (slot + 1) & (ix->nb - 1);
        ix->b[slot] = (bucket){h, i, j};
        i = j;
    }
    return 1;
}

static const bucket *lookup(const rindex *ix, int kind, const char *p, size_t n) {
    uint32_t h = hash_key(kind, p, n);
    for (size_t slot = h & (ix->nb - 1);; slot = (slot + 1) & (ix->nb - 1)) {
        const bucket *b = &ix->b[slot];
        if (!b->end) return NULL;
        const entry *e = &ix->e[b->start];
        const char *nm = e->name ? e->name : "";
        if (b->hash == h && e->kind == kind && strlen(nm) == n && memcmp(nm, p, n) == 0) return b;
    }
}

static void add_match(cascade *cx, uint64_t key, const css_decl *d) {
    if (cx->nm == cx->capm) {
        int cap = cx->capm ? cx->capm * 2 : 64;
        match *m = realloc(cx->m, (size_t)cap * sizeof *m);
        if (!m) {
            cx->oom = 1;
            return;
        }
        cx->m = m;
        cx->capm = cap;
    }
    cx->m[cx->nm++] = (match){key, d};
}

static uint64_t make_key(int important, int ua, unsigned spec, unsigned sheet, unsigned seq) {
    uint64_t band = important ? (ua ? 3 : 2) : (ua ? 0 : 1);
    return band << 62 | (uint64_t)(spec & 0x1FFFFFF) << 37 | (uint64_t)(sheet & 127) << 30 |
           (seq & 0x3FFFFFFF);
}

static void try_bucket(cascade *cx, const bucket *b, const dk_node *e) {
    if (!b) return;
    for (int i = b->start; i < b->end; i++) {
        const entry *en = &cx->ix.e[i];
        if (en->sel->pseudo != cx->want || !dk_css_match_selector(en->sel, e)) continue;
        const css_rule *r = en->sel->rule;
        for (int d = 0; d < r->ndecls; d++)
            add_match(cx, make_key(r->decls[d].important, en->ua, en->sel->spec, en->sheet, r->decls[d].seq),
                      &r->decls[d]);
    }
}

static int match_cmp(const void *x, const void *y) {
    uint64_t a = ((const match *)x)->key, b = ((const match *)y)->key;
    return a < b ? -1 : a > b;
}

/*
 * A hash of the style's bytes, eight at a time: a style is 2.5 KB, and
 * hashing it a byte at a time was 4% of rendering a long deck.
 */
static uint32_t style_hash(const dk_style *s) {
    _Static_assert(sizeof *s % sizeof(uint64_t) == 0, "dk_style is a whole number of words");
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < sizeof *s; i += sizeof(uint64_t)) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w);
        h = (h ^ w) * 0x9e3779b97f4a7c15u;
        h ^= h >> 32;
    }
    return (uint32_t)h ? (uint32_t)h : 1;
}

/* The interned copy of cx->tmp; NULL on OOM. */
static const dk_style *intern(cascade *cx) {
    if (cx->npool * 2 >= cx->cappool) {
        size_t cap = cx->cappool ? cx->cappool * 2 : 256;
        const dk_style **p = calloc(cap, sizeof *p);
        if (!p) return NULL;
        for (size_t i = 0; i < cx->cappool; i++) {
            if (!cx->pool[i]) continue;
            size_t slot = style_hash(cx->pool[i]) & (cap - 1);
            while (p[slot]) slot = (slot + 1) & (cap - 1);
            p[slot] = cx->pool[i];
        }
        free(cx->pool);
        cx->pool = p;
        cx->cappool = cap;
    }
    size_t slot = style_hash(cx->tmp) & (cx->cappool - 1);
    for (; cx->pool[slot]; slot = (slot + 1) & (cx->cappool - 1))
        if (memcmp(cx->pool[slot], cx->tmp, sizeof *cx->tmp) == 0) return cx->pool[slot];
    dk_style *s = dk_arena_alloc(cx->a, sizeof *s);
    if (!s) return NULL;
    memcpy(s, cx->tmp, sizeof *s);
    cx->pool[slot] = s;
    cx->npool++;
    return s;
}

/* The element's custom-property table from its matched `--name` declarations. 0 on OOM. */
static int own_vars(cascade *cx, const struct dk_cvars *parent, int n, const struct dk_cvars **out) {
    const sval **own = malloc((size_t)n * sizeof *own);
    if (!own) return 0;
    int k = 0;
    for (int i = 0; i < cx->nm; i++)
        if (cx->m[i].d->prop == P_CUSTOM) own[k++] = &cx->m[i].d->v;
    dk_status st = dk_css_vars_element(cx->a, parent, own, n, out);
    free(own);
    return st == DK_OK;
}

/*
 * Replace the winning value *win of longhand `p`, which uses var(), by the
 * value parsed after substitution; `unset` when that is invalid
 * (css-variables-1 §3.1). The longhands of one shorthand share the text,
 * so the last parse is reused. 0 on OOM.
 */
static int substitute(cascade *cx, const struct dk_cvars *vars, int p, const sval **win) {
    static const sval unset = {.kind = SV_UNSET};
    const char *text = (*win)->s;
    if (text != cx->sub_text || vars != cx->sub_vars) {
        char *r;
        cx->sub_text = text;
        cx->sub_vars = vars;
        cx->sub_n = 0;
        if (dk_css_vars_subst(cx->a, vars, text, &r) != DK_OK) return 0;
        if (r && dk_css_parse_substituted(cx->ctx, cx->a, r, strlen(r), &cx->sub, &cx->sub_n) != DK_OK)
            return 0;
    }
    *win = &unset;
    for (int i = 0; i < cx->sub_n; i++)
        if (cx->sub[i].prop == p) *win = &cx->sub[i].v;
    return 1;
}

/*
 * An HTML dimension attribute value ("560", "65%", "100px" read as 100;
 * HTML §2.3.4.4) as CSS into out; nothing when it is not one.
 */
static void dimension(dk_buf *out, const char *prop, const char *v) {
    if (!v) return;
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r' || *v == '\f') v++;
    const char *d = v;
    while (*d >= '0' && *d <= '9') d++;
    if (d == v) return;
    if (*d == '.' && d[1] >= '0' && d[1] <= '9')
        for (d++; *d >= '0' && *d <= '9';) d++;
    dk_buf_printf(out, "%s:%.*s%s;", prop, (int)(d - v), v, *d == '%' ? "%" : "px");
}

/*
 * The presentational hints of element e (HTML §15, as Chromium maps them)
 * as CSS declarations into out: width / height of replaced elements,
 * tables and cells; align on paragraphs and headings; an iframe's
 * frameborder="0".
 */
static void hints(const dk_node *e, dk_buf *out) {
    static const char *const sized[] = {"img", "iframe", "video", "embed", "object", "table",
                                        "td", "th", NULL};
    for (int i = 0; sized[i]; i++)
        if (dk_node_is(e, sized[i])) {
            dimension(out, "width", dk_node_attr(e, "width"));
            dimension(out, "height", dk_node_attr(e, "height"));
        }
    const char *align = dk_node_attr(e, "align");
    int para = dk_node_is(e, "p") || (e->tag[0] == 'h' && e->tag[1] >= '1' && e->tag[1] <= '6' && !e->tag[2]);
    if (para && align) {
        static const char *const values[] = {"left", "right", "center", "justify", NULL};
        dk_str a = {align, strlen(align)};
        if (dk_str_ieq(a, "middle")) a = (dk_str){"center", 6};
        for (int i = 0; values[i]; i++)
            if (dk_str_ieq(a, values[i])) dk_buf_printf(out, "text-align:%s;", values[i]);
    }
    const char *fb = dk_node_is(e, "iframe") ? dk_node_attr(e, "frameborder") : NULL;
    if (fb && atoi(fb) == 0) dk_buf_adds(out, "border-width:0;");
}

/*
 * Match, cascade and compute the style of element e (cx->want 0) or of its
 * pseudo-element cx->want into *out; a pseudo-element no rule matches gets
 * NULL. 0 on OOM.
 */
static int compute(cascade *cx, dk_node *e, const dk_style *parent, int is_root, const dk_style **out) {
    cx->nm = 0;
    *out = NULL;
    const char *id = NULL, *cls = NULL;
    const dk_attr *style_attr = NULL;
    for (const dk_attr *at = e->attrs; at; at = at->next) {
        if (!strcmp(at->name, "id")) id = at->value;
        else if (!strcmp(at->name, "class")) cls = at->value;
        else if (!strcmp(at->name, "style")) style_attr = at;
    }
    if (id) try_bucket(cx, lookup(&cx->ix, K_ID, id, strlen(id)), e);
    if (cls) {
        /* each distinct class once: a repeated class must not match twice */
        for (const char *p = cls; *p;) {
            while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') p++;
            const char *s = p;
            while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\f') p++;
            if (p == s) continue;
            int seen = 0;
            for (const char *q = cls; q < s && !seen; q++)
                seen = (q == cls || strchr(" \t\n\r\f", q[-1])) && strncmp(q, s, (size_t)(p - s)) == 0 &&
                       (q[p - s] == 0 || strchr(" \t\n\r\f", q[p - s]));
            if (!seen) try_bucket(cx, lookup(&cx->ix, K_CLASS, s, (size_t)(p - s)), e);
        }
    }
    try_bucket(cx, lookup(&cx->ix, K_TAG, e->tag, strlen(e->tag)), e);
    try_bucket(cx, lookup(&cx->ix, K_ANY, "", 0), e);
    if (cx->want && !cx->nm) return !cx->oom;
    if (!cx->want) {
        /* presentational hints: author level, below every author rule (HTML §15.1) */
        dk_buf h = {0};
        hints(e, &h);
        css_decl *d;
        int nd = 0;
        dk_status st = h.oom ? DK_ENOMEM
                       : h.n ? dk_css_parse_inline(cx->ctx, cx->a, h.p, h.n, DK_NOPOS, &d, &nd) : DK_OK;
        dk_buf_free(&h);
        if (st != DK_OK) return 0;
        for (int i = 0; i < nd; i++) add_match(cx, make_key(0, 0, 0, 0, (unsigned)i), &d[i]);
    }
    if (style_attr && !cx->want) {
        css_decl *d;
        int nd;
        if (dk_css_parse_inline(cx->ctx, cx->a, style_attr->value, strlen(style_attr->value),
                             style_attr->src, &d, &nd) != DK_OK)
            return 0;
        for (int i = 0; i < nd; i++)
            add_match(cx, make_key(d[i].important, 0, 1u << 24, 127, (unsigned)i), &d[i]);
    }
    if (cx->oom) return 0;
    qsort(cx->m, (size_t)cx->nm, sizeof *cx->m, match_cmp);
    css_compute comp = {.s = cx->tmp, .parent = parent, .media = cx->media, .is_root = is_root};
    comp.root_fs = is_root ? dk_style_initial()->font_size : cx->root_fs;
    int ncustom = 0;
    for (int i = 0; i < cx->nm; i++) {
        if (cx->m[i].d->prop == P_CUSTOM) ncustom++;
        else comp.win[cx->m[i].d->prop] = &cx->m[i].d->v;
    }
    const struct dk_cvars *vars = parent->cvars;
    if (ncustom && !own_vars(cx, parent->cvars, ncustom, &vars)) return 0;
    for (int p = 0; p < P_COUNT; p++)
        if (comp.win[p] && comp.win[p]->kind == SV_VAR && !substitute(cx, vars, p, &comp.win[p])) return 0;
    dk_css_compute_style(&comp);
    cx->tmp->cvars = vars;
    if (is_root && !cx->want) cx->root_fs = cx->tmp->font_size;
    *out = intern(cx);
    return *out != NULL;
}

/* Is `a` a proper ancestor of `x`? (NULL, above the root, is everyone's.) */
static int is_ancestor(const dk_node *a, const dk_node *x) {
    if (!a) return 1;
    for (x = x->parent; x; x = x->parent)
        if (x == a) return 1;
    return 0;
}

/* The innermost counter `name` in scope, or NULL. */
static struct counter *find_counter(cascade *cx, const char *name, size_t n) {
    for (int i = cx->nctr - 1; i >= 0; i--)
        if (cx->ctr[i].n == n && memcmp(cx->ctr[i].name, name, n) == 0) return &cx->ctr[i];
    return NULL;
}

/*
 * Apply the "name value" pairs of counter-reset (`reset`) or counter-increment
 * to element e (CSS 2.1 §12.4): a reset makes a new counter, unless a previous
 * sibling made one of that name, which it sets; an increment adds to the
 * innermost one, made on e at 0 when there is none. 0 on OOM.
 */
static int apply_counters(cascade *cx, const dk_node *e, const char *list, int reset) {
    while (list && *list) {
        const char *sp = strchr(list, ' ');
        size_t n = (size_t)(sp - list);
        int v = (int)strtol(sp + 1, NULL, 10);
        struct counter *c = find_counter(cx, list, n);
        if (!c || (reset && c->scope != e->parent)) {
            if (cx->nctr == cx->capctr) {
                int cap = cx->capctr ? cx->capctr * 2 : 8;
                struct counter *p = realloc(cx->ctr, (size_t)cap * sizeof *p);
                if (!p) return 0;
                cx->ctr = p;
                cx->capctr = cap;
            }
            c = &cx->ctr[cx->nctr++];
            *c = (struct counter){list, n, 0, e->parent};
        }
        c->value = reset ? v : c->value + v;
        list = strchr(sp + 1, ' ');
        if (list) list++;
    }
    return 1;
}

/* `content` with each counter name between marks replaced by its value, in `a` (NULL: OOM). */
static const char *counter_text(cascade *cx, const char *content) {
    if (!strchr(content, DK_COUNTER_MARK)) return content;
    dk_buf b = {0};
    for (const char *p = content; *p;) {
        const char *m = strchr(p, DK_COUNTER_MARK);
        if (!m) {
            dk_buf_adds(&b, p);
            break;
        }
        dk_buf_add(&b, p, (size_t)(m - p));
        const char *e = strchr(m + 1, DK_COUNTER_MARK);
        struct counter *c = find_counter(cx, m + 1, (size_t)(e - m - 1));
        dk_buf_printf(&b, "%d", c ? c->value : 0);
        p = e + 1;
    }
    const char *t = b.oom ? NULL : dk_arena_strndup(cx->a, b.p ? b.p : "", b.n);
    dk_buf_free(&b);
    return t;
}

/* e's style, then its ::before / ::after nodes when their content generates a box. 0 on OOM. */
static int style_element(cascade *cx, dk_node *e, const dk_style *parent, int is_root) {
    if (!compute(cx, e, parent, is_root, &e->style)) return 0;
    while (cx->nctr && !is_ancestor(cx->ctr[cx->nctr - 1].scope, e)) cx->nctr--; /* out of scope */
    if (e->style->display != DK_DISPLAY_NONE &&
        (!apply_counters(cx, e, e->style->counter_reset, 1) ||
         !apply_counters(cx, e, e->style->counter_increment, 0)))
        return 0;
    int gen = cx->has_pseudo && e->style->display != DK_DISPLAY_NONE;
    for (int which = DK_PSEUDO_BEFORE; gen && which <= DK_PSEUDO_AFTER; which++) {
        const dk_style *s;
        cx->want = which;
        int ok = compute(cx, e, e->style, 0, &s);
        cx->want = 0;
        if (!ok) return 0;
        if (!s || !s->content || s->display == DK_DISPLAY_NONE) continue;
        dk_node *g = dk_node_new_element(cx->a, which == DK_PSEUDO_BEFORE ? "::before" : "::after", e->src);
        const char *text = counter_text(cx, s->content);
        if (!text) return 0;
        dk_node *t = dk_node_new_text(cx->a, text, strlen(text), e->src);
        if (!g || !t) return 0;
        g->parent = e;
        g->first = g->last = t;
        g->style = t->style = s;
        t->parent = g;
        *(which == DK_PSEUDO_BEFORE ? &e->before : &e->after) = g;
    }
    return 1;
}

/* Gather <style> elements under root (tree order) and parse each into the slide arena. */
static dk_status style_sheets(cascade *cx, dk_node *root, dk_sheet ***out, int *nout) {
    dk_status st = DK_OK;
    dk_sheet **v = NULL;
    int n = 0, cap = 0;
    for (dk_node *x = root; x;) {
        if (x->type == DK_NODE_ELEMENT && x->tag && strcmp(x->tag, "style") == 0) {
            dk_buf text = {0};
            size_t off = DK_NOPOS;
            for (dk_node *t = x->first; t; t = t->next)
                if (t->type == DK_NODE_TEXT && t->text) {
                    if (off == DK_NOPOS && !text.n) off = t->src;
                    dk_buf_add(&text, t->text, t->text_len);
                }
            dk_sheet *sh = NULL;
            if (!text.oom && text.n)
                st = dk_css_parse_sheet_mem(cx->ctx, "<style>", text.p, text.n, off, cx->a, &sh);
            if (text.oom) st = DK_ENOMEM;
            dk_buf_free(&text);
            if (st != DK_OK) goto done;
            if (sh) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 4;
                    dk_sheet **p = realloc(v, (size_t)cap * sizeof *p);
                    if (!p) {
                        dk_sheet_free(sh);
                        st = DK_ENOMEM;
                        goto done;
                    }
                    v = p;
                }
                v[n++] = sh;
            }
        }
        /* pre-order walk, not leaving root */
        if (x->first) {
            x = x->first;
            continue;
        }
        while (x != root && !x->next) x = x->parent;
        x = x == root ? NULL : x->next;
    }
done:
    *out = v;
    *nout = n;
    return st;
}

/*
 * Run the cascade (see css.h). <style> sheets are parsed into `a`, so
 * strings they hand to styles live as long as the slide.
 */
dk_status dk_css_cascade(dk_ctx *ctx, dk_arena *a, const dk_sheet *const *sheets, int nsheets,
                         const dk_media *media, dk_node *root) {
    dk_status st = DK_ENOMEM;
    cascade cx = {.ctx = ctx, .a = a, .media = media, .root_fs = 16};
    dk_sheet **local = NULL;
    const dk_sheet **all = NULL;
    int nlocal = 0;
    if (!root) return DK_OK;
    cx.tmp = malloc(sizeof *cx.tmp);
    if (!cx.tmp) goto done;
    if ((st = style_sheets(&cx, root, &local, &nlocal)) != DK_OK) goto done;
    st = DK_ENOMEM;
    all = malloc((size_t)(nsheets + nlocal + 1) * sizeof *all);
    if (!all) goto done;
    for (int i = 0; i < nsheets; i++) all[i] = sheets[i];
    for (int i = 0; i < nlocal; i++) all[nsheets + i] = local[i];
    if (!index_build(&cx, all, nsheets + nlocal)) goto done;

    const dk_style *above = root->parent && root->parent->style ? root->parent->style : dk_style_initial();
    for (dk_node *x = root; x;) {
        const dk_style *ps = x == root ? above : x->parent->style;
        if (x->type == DK_NODE_ELEMENT) x->before = x->after = NULL; /* from an earlier run */
        if (x->type == DK_NODE_TEXT) {
            x->style = ps;
        } else if (x != root && ps->display == DK_DISPLAY_NONE) {
            x->style = ps; /* nothing under display:none is rendered */
        } else if (!style_element(&cx, x, ps, x == root)) {
            goto done;
        }
        if (x->first) {
            x = x->first;
            continue;
        }
        while (x != root && !x->next) x = x->parent;
        x = x == root ? NULL : x->next;
    }
    st = DK_OK;
done:
    for (int i = 0; i < nlocal; i++) dk_sheet_free(local[i]);
    free(local);
    free(all);
    index_free(&cx.ix);
    free(cx.m);
    free(cx.pool);
    free(cx.tmp);
    free(cx.ctr);
    return st;
}
