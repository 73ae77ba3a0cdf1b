/*
 * dom/ implementation: gumbo's tree copied into the slide arena.
 *
 * Gumbo allocates through a scratch heap we hand it in GumboOptions: every
 * block is malloc'd with a small header that links it into a list, so one
 * walk frees all of gumbo's memory once we have copied the tree (MuPDF's
 * source/fitz/xml.c does the same with its pool). Gumbo does not check its
 * allocations, so running out of memory inside it cannot unwind; we stop
 * the process with a message rather than let it write through NULL.
 *
 * The copy walks gumbo's tree without recursion (decks with 10,000 nested
 * quotes must not exhaust the stack), drops comments and <template>
 * contents, merges text nodes that end up adjacent (around a dropped
 * comment, say), and maps every position through the md/ source map.
 *
 * What the tree looks like: white space between tags is kept as text nodes
 * (gumbo's WHITESPACE nodes), exactly as a browser keeps them; <head> and
 * <body> always exist; a <style> at the top of a slide lands in <head>.
 */
#include "dom.h"

#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

/* ---- gumbo's scratch heap ----------------------------------------------- */

typedef union scratch_hdr {
    struct {
        union scratch_hdr *prev, *next;
    } l;
    max_align_t align;
} scratch_hdr;

static void *scratch_alloc(void *ud, size_t n) {
    scratch_hdr *list = ud, *h = malloc(sizeof *h + n);
    if (!h) {
        fputs("deckle: out of memory while parsing HTML\n", stderr);
        abort(); /* gumbo would dereference NULL */
    }
    h->l.prev = list;
    h->l.next = list->l.next;
    if (list->l.next) list->l.next->l.prev = h;
    list->l.next = h;
    return h + 1;
}

static void scratch_free(void *ud, void *p) {
    (void)ud;
    if (!p) return;
    scratch_hdr *h = (scratch_hdr *)p - 1;
    h->l.prev->l.next = h->l.next;
    if (h->l.next) h->l.next->l.prev = h->l.prev;
    free(h);
}

static void scratch_free_all(scratch_hdr *list) {
    for (scratch_hdr *h = list->l.next, *next; h; h = next) {
        next = h->l.next;
        free(h);
    }
    list->l.next = NULL;
}

/* ---- the copy ------------------------------------------------------------ */

typedef struct {
    dk_ctx *ctx;
    dk_arena *a;
    const dk_html *html;
    int fix_text;
    const GumboText *slide_notes[8]; /* `.slide:` comments met before <body> existed */
    int nslide_notes;
} builder;

/* The deck offset of a pointer into the HTML text, or DK_NOPOS. */
static size_t deck_pos(const builder *b, const char *p) {
    if (!p || p < b->html->html || p > b->html->html + b->html->n) return DK_NOPOS;
    return dk_html_deck_offset(b->html, (size_t)(p - b->html->html));
}

/*
 * Say once per deck what a mojibake repair changed: the differing middle
 * of the two strings (common prefix and suffix cut at character
 * boundaries), at the deck position of that middle.
 */
static void warn_mojibake(builder *b, const char *at, const char *was, size_t wn,
                          const char *now, size_t nn) {
    if (b->ctx->once & DK_ONCE_MOJIBAKE) return;
    b->ctx->once |= DK_ONCE_MOJIBAKE;
    size_t p = 0, s = 0, lim = DK_MIN(wn, nn);
    while (p < lim && was[p] == now[p]) p++;
    while (p > 0 && ((unsigned char)was[p] & 0xC0) == 0x80) p--;
    while (s < lim - p && was[wn - 1 - s] == now[nn - 1 - s]) s++;
    while (s > 0 && ((unsigned char)was[wn - s] & 0xC0) == 0x80) s--;
    size_t a = wn - s - p, c = nn - s - p;
    /* long differences are cut at a character boundary */
    if (a > 40) a = 40;
    while (a > 0 && p + a < wn && ((unsigned char)was[p + a] & 0xC0) == 0x80) a--;
    if (c > 40) c = 40;
    while (c > 0 && p + c < nn && ((unsigned char)now[p + c] & 0xC0) == 0x80) c--;
    size_t off = at ? deck_pos(b, at + p) : DK_NOPOS;
    dk_diag_warn_code(b->ctx, off, "mojibake",
                      "repaired mojibake (UTF-8 read as Windows-1252): \"%.*s\" -> \"%.*s\"",
                      (int)a, was + p, (int)c, now + p);
}

/*
 * Copy text into the arena, repairing mojibake when asked. `at` is where
 * the text starts in the HTML (for the warning). NULL on OOM.
 */
static char *copy_text(builder *b, const char *s, size_t n, const char *at, size_t *outn) {
    char *t = dk_arena_alloc(b->a, n + 1);
    if (!t) return NULL;
    size_t m = b->fix_text ? dk_fix_mojibake(s, n, t) : (size_t)-1;
    if (m == (size_t)-1) {
        memcpy(t, s, n);
        t[n] = 0;
        m = n;
    } else {
        warn_mojibake(b, at, s, n, t, m);
    }
    if (outn) *outn = m;
    return t;
}

/* Append `n` as the last child of `parent`. */
static void append(dk_node *parent, dk_node *n) {
    n->parent = parent;
    n->prev = parent->last;
    if (parent->last) parent->last->next = n;
    else parent->first = n;
    parent->last = n;
}

/* Set nth and nth_of_type from the nearest earlier element siblings. */
static void number(dk_node *n) {
    int have_nth = 0;
    n->nth = n->nth_of_type = 1;
    for (dk_node *s = n->prev; s; s = s->prev) {
        if (s->type != DK_NODE_ELEMENT) continue;
        if (!have_nth) n->nth = s->nth + 1, have_nth = 1;
        if (strcmp(s->tag, n->tag) == 0) {
            n->nth_of_type = s->nth_of_type + 1;
            break;
        }
    }
}

/* The lower-case tag name: gumbo's static name, or the source text for unknown tags. */
static const char *tag_name(builder *b, const GumboElement *e) {
    if (e->tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(e->tag);
    GumboStringPiece t = e->original_tag;
    gumbo_tag_from_original_text(&t); /* "<my-tag a=1>" -> "my-tag" */
    char *s = dk_arena_strndup(b->a, t.data ? t.data : "", t.length);
    if (s)
        for (char *p = s; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p += 32;
    return s;
}

/* A dk_node for an element with its attributes; NULL on OOM. */
static dk_node *make_element(builder *b, const GumboElement *e) {
    dk_node *n = dk_arena_alloc(b->a, sizeof *n);
    if (!n || !(n->tag = tag_name(b, e))) return NULL;
    n->type = DK_NODE_ELEMENT;
    n->src = e->original_tag.length ? deck_pos(b, e->original_tag.data) : DK_NOPOS;
    dk_attr **tail = &n->attrs;
    for (unsigned i = 0; i < e->attributes.length; i++) {
        const GumboAttribute *ga = e->attributes.data[i];
        dk_attr *at = dk_arena_alloc(b->a, sizeof *at);
        char *name = at ? dk_arena_strndup(b->a, ga->name, strlen(ga->name)) : NULL;
        if (!name) return NULL;
        for (char *p = name; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p += 32; /* SVG's viewBox arrives camel-cased */
        const char *ov = ga->original_value.data; /* quotes included */
        if (ga->original_value.length && (*ov == '"' || *ov == '\'')) ov++;
        int prose = strcmp(name, "alt") == 0 || strcmp(name, "title") == 0;
        at->name = name;
        at->src = ga->original_value.length ? deck_pos(b, ov) : DK_NOPOS;
        at->value = prose ? copy_text(b, ga->value, strlen(ga->value), ov, NULL)
                          : dk_arena_strndup(b->a, ga->value, strlen(ga->value));
        if (!at->value) return NULL;
        *tail = at;
        tail = &at->next;
    }
    return n;
}

/*
 * Add a text node under `parent`, or extend the previous sibling when that
 * is text too. Returns 0 on OOM.
 */
static int add_text(builder *b, dk_node *parent, const GumboText *t) {
    size_t n;
    const char *at = t->original_text.length ? t->original_text.data : NULL;
    char *s = copy_text(b, t->text, strlen(t->text), at, &n);
    if (!s) return 0;
    dk_node *last = parent->last;
    if (last && last->type == DK_NODE_TEXT) {
        char *m = dk_arena_alloc(b->a, last->text_len + n + 1);
        if (!m) return 0;
        memcpy(m, last->text, last->text_len);
        memcpy(m + last->text_len, s, n + 1);
        last->text = m;
        last->text_len += n;
        return 1;
    }
    dk_node *node = dk_arena_alloc(b->a, sizeof *node);
    if (!node) return 0;
    node->type = DK_NODE_TEXT;
    node->text = s;
    node->text_len = n;
    node->src = at ? deck_pos(b, at) : DK_NOPOS;
    append(parent, node);
    return 1;
}

/* ---- annotation comments --------------------------------------------------- */

/*
 * Merge one attribute into `n`: class lists are joined, style declarations
 * appended, anything else replaced. Returns 0 on OOM.
 */
static int merge_attr(dk_arena *a, dk_node *n, const char *name, const char *v, size_t src) {
    const char *old = dk_node_attr(n, name);
    int join = old && (strcmp(name, "class") == 0 || strcmp(name, "style") == 0);
    if (!join) return dk_node_set_attr(a, n, name, v, src) == DK_OK;
    size_t on = strlen(old), vn = strlen(v);
    char *m = dk_arena_alloc(a, on + vn + 2);
    if (!m) return 0;
    memcpy(m, old, on);
    m[on] = strcmp(name, "class") == 0 ? ' ' : ';';
    memcpy(m + on + 1, v, vn + 1);
    return dk_node_set_attr(a, n, name, m, src) == DK_OK;
}

/*
 * If comment text `t` is an annotation (see dom.h), apply its `name="value"`
 * attributes: to <body> for slides, else to `parent` when it holds inline
 * content (the comment sits in a heading or paragraph) or to the last
 * element before the comment. Returns 0 on OOM.
 */
static int annotate(builder *b, dk_node *parent, const GumboText *c, dk_node *body) {
    const char *t = c->text;
    while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r') t++;
    int slide = 0;
    if (strncmp(t, ".slide:", 7) == 0) slide = 1, t += 7;
    else if (strncmp(t, "slide ", 6) == 0) slide = 1, t += 6;
    else if (strncmp(t, ".element:", 9) == 0) t += 9;
    else if (strncmp(t, "element ", 8) == 0) t += 8;
    else return 1;
    dk_node *target = NULL;
    if (slide) {
        target = body;
        for (dk_node *k = parent; k && !target; k = k->parent)
            if (dk_node_is(k, "body")) target = k;
        if (!target) { /* a comment before any content lands outside <body>: apply it later */
            if (b->nslide_notes < (int)(sizeof b->slide_notes / sizeof *b->slide_notes))
                b->slide_notes[b->nslide_notes++] = c;
            return 1;
        }
    } else {
        for (dk_node *k = parent->last; k && !target; k = k->prev)
            if (k->type == DK_NODE_ELEMENT) target = k;
            else if (k->text_len && strspn(k->text, " \t\r\n") < k->text_len) break;
        static const char *const inl[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th"};
        for (size_t i = 0; i < sizeof inl / sizeof *inl; i++)
            if (dk_node_is(parent, inl[i])) target = parent;
    }
    if (!target) return 1;
    size_t base = c->original_text.length ? deck_pos(b, c->original_text.data) : DK_NOPOS;
    /* name="value" | name='value' | name=value | name */
    for (const char *p = t; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        size_t nn = strcspn(p, " \t\r\n=");
        if (nn == 0) break;
        const char *name = p, *v = "";
        size_t vn = 0;
        p += nn;
        if (*p == '=') {
            p++;
            char q = (*p == '"' || *p == '\'') ? *p++ : 0;
            v = p;
            vn = q ? strcspn(p, q == '"' ? "\"" : "'") : strcspn(p, " \t\r\n");
            p += vn;
            if (q && *p) p++;
        }
        char *nm = dk_arena_strndup(b->a, name, nn), *val = dk_arena_strndup(b->a, v, vn);
        if (!nm || !val) return 0;
        for (char *s = nm; *s; s++)
            if (*s >= 'A' && *s <= 'Z') *s += 32;
        if (!merge_attr(b->a, target, nm, val, base)) return 0;
    }
    return 1;
}

/* Copy the tree under gumbo's <html> element, iteratively (see the note at the top). */
static dk_status copy_tree(builder *b, const GumboNode *groot, dk_node **out) {
    dk_node *root = make_element(b, &groot->v.element);
    if (!root) return DK_ENOMEM;
    root->nth = root->nth_of_type = 1;
    const GumboNode *g = groot;
    dk_node *d = root;
    size_t i = 0; /* the next child of g to copy */
    int depth = 0, warned = 0; /* elements below <html>; deeper ones are dropped */
    for (;;) {
        const GumboVector *kids = g->type == GUMBO_NODE_ELEMENT ? &g->v.element.children : NULL;
        if (kids && i < kids->length) {
            const GumboNode *c = kids->data[i++];
            switch (c->type) {
            case GUMBO_NODE_ELEMENT:
            case GUMBO_NODE_TEMPLATE: { /* a template's contents are inert: not copied */
                if (depth >= DK_LIMIT_DEPTH) {
                    /* every later stage walks the tree recursively: keep it shallow */
                    if (!warned++)
                        dk_diag_warn_code(b->ctx, deck_pos(b, c->v.element.original_tag.data),
                                          "nesting-too-deep",
                                          "HTML nested deeper than %d elements; the deeper "
                                          "content is left out", DK_LIMIT_DEPTH);
                    break;
                }
                dk_node *e = make_element(b, &c->v.element);
                if (!e) return DK_ENOMEM;
                append(d, e);
                number(e);
                if (c->type == GUMBO_NODE_ELEMENT && c->v.element.children.length) {
                    g = c, d = e, i = 0, depth++; /* descend */
                }
                break;
            }
            case GUMBO_NODE_TEXT:
            case GUMBO_NODE_WHITESPACE:
            case GUMBO_NODE_CDATA:
                if (!add_text(b, d, &c->v.text)) return DK_ENOMEM;
                break;
            case GUMBO_NODE_COMMENT:
                if (!annotate(b, d, &c->v.text, NULL)) return DK_ENOMEM;
                break;
            default: break; /* the document node, which is never a child */
            }
            continue;
        }
        if (g == groot) break;
        i = g->index_within_parent + 1; /* ascend */
        depth--;
        g = g->parent;
        d = d->parent;
    }
    dk_node *body = dk_node_find(root, "body");
    for (int k = 0; k < b->nslide_notes && body; k++)
        if (!annotate(b, body, b->slide_notes[k], body)) return DK_ENOMEM;
    *out = root;
    return DK_OK;
}

/*
 * Parse `html` with gumbo into a dk_node tree in `a`, rooted at <html>.
 * Gumbo's memory is gone when this returns. Fails only with DK_ENOMEM.
 */
dk_status dk_dom_parse(dk_ctx *ctx, dk_arena *a, const dk_html *html, int fix_text,
                       dk_node **root) {
    dk_status st = DK_OK;
    scratch_hdr list = {{NULL, NULL}};
    GumboOptions opt = kGumboDefaultOptions;
    opt.allocator = scratch_alloc;
    opt.deallocator = scratch_free;
    opt.userdata = &list;
    opt.max_errors = 0; /* we do not report HTML parse errors: browsers recover silently */
    builder b = {.ctx = ctx, .a = a, .html = html, .fix_text = fix_text};
    *root = NULL;
    GumboOutput *g = gumbo_parse_with_options(&opt, html->html ? html->html : "", html->n);
    st = copy_tree(&b, g->root, root);
    if (st) *root = NULL;
    scratch_free_all(&list); /* instead of gumbo_destroy_output: one walk frees it all */
    return st;
}

/* ---- queries --------------------------------------------------------------- */

const dk_attr *dk_node_attr_find(const dk_node *n, const char *name) {
    if (!n) return NULL;
    for (const dk_attr *at = n->attrs; at; at = at->next)
        if (strcmp(at->name, name) == 0) return at;
    return NULL;
}

const char *dk_node_attr(const dk_node *n, const char *name) {
    const dk_attr *at = dk_node_attr_find(n, name);
    return at ? at->value : NULL;
}

int dk_node_is(const dk_node *n, const char *tag) {
    return n && n->type == DK_NODE_ELEMENT && strcmp(n->tag, tag) == 0;
}

/* Pre-order walk of the descendants of `root` (not `root` itself). */
dk_node *dk_node_find(dk_node *root, const char *tag) {
    if (!root) return NULL;
    for (dk_node *n = root->first; n && n != root;) {
        if (dk_node_is(n, tag)) return n;
        if (n->first) {
            n = n->first;
            continue;
        }
        while (n != root && !n->next) n = n->parent;
        if (n == root) break;
        n = n->next;
    }
    return NULL;
}

/* ---- building and editing ------------------------------------------------------- */

dk_node *dk_node_new_element(dk_arena *a, const char *tag, size_t src) {
    dk_node *n = dk_arena_alloc(a, sizeof *n);
    if (!n || !(n->tag = dk_arena_strndup(a, tag, strlen(tag)))) return NULL;
    n->type = DK_NODE_ELEMENT;
    n->src = src;
    n->nth = n->nth_of_type = 1;
    return n;
}

dk_node *dk_node_new_text(dk_arena *a, const char *s, size_t len, size_t src) {
    dk_node *n = dk_arena_alloc(a, sizeof *n);
    if (!n || !(n->text = dk_arena_strndup(a, s, len))) return NULL;
    n->type = DK_NODE_TEXT;
    n->text_len = len;
    n->src = src;
    return n;
}

dk_status dk_node_set_attr(dk_arena *a, dk_node *n, const char *name, const char *value,
                           size_t src) {
    char *v = dk_arena_strndup(a, value, strlen(value));
    if (!v) return DK_ENOMEM;
    dk_attr **tail = &n->attrs;
    for (dk_attr *at = n->attrs; at; tail = &at->next, at = at->next) {
        if (strcmp(at->name, name) != 0) continue;
        at->value = v;
        at->src = src;
        return DK_OK;
    }
    dk_attr *at = dk_arena_alloc(a, sizeof *at);
    if (!at || !(at->name = dk_arena_strndup(a, name, strlen(name)))) return DK_ENOMEM;
    at->value = v;
    at->src = src;
    *tail = at;
    return DK_OK;
}

void dk_node_detach(dk_node *n) {
    dk_node *p = n->parent;
    if (!p) return;
    if (n->prev) n->prev->next = n->next;
    else p->first = n->next;
    if (n->next) n->next->prev = n->prev;
    else p->last = n->prev;
    n->parent = n->prev = n->next = NULL;
}

void dk_node_insert(dk_node *parent, dk_node *n, dk_node *ref) {
    dk_node_detach(n);
    if (!ref) {
        append(parent, n);
        return;
    }
    n->parent = parent;
    n->next = ref;
    n->prev = ref->prev;
    if (ref->prev) ref->prev->next = n;
    else parent->first = n;
    ref->prev = n;
}

void dk_node_renumber(dk_node *parent) {
    for (dk_node *k = parent->first; k; k = k->next)
        if (k->type == DK_NODE_ELEMENT) number(k);
}
