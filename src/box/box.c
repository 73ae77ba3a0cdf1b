/*
 * Box generation (CSS 2.1 §9.2).
 *
 * A block container holds either only block-level boxes or only inline
 * content; where its children mix, each maximal run of inline-level
 * children is wrapped in an anonymous block, which for us is a DK_BOX_PARA
 * carrying the paragraph text/ will break into lines. White space is
 * processed here (CSS Text §4.1): collapsible runs become one space, and a
 * space at the start of a paragraph or after another space is dropped, so
 * text/ receives exactly the characters a browser would lay out.
 *
 * List items get their marker text here (counters, CSS Lists §3 with the
 * counter styles slides use); layout places it, paint draws it. Tables
 * become a DK_BOX_TABLE whose row groups, rows and cells are BLOCK boxes
 * (layout/ reads their display); a task-list checkbox is a replaced box.
 *
 * Row groups, rows and captions outside a table (a table restyled
 * `display: block`) get an anonymous table around each run of them
 * (CSS 2.1 §17.2.1); cells outside rows get no anonymous row (gumbo's
 * tree building already repairs HTML tables). Not supported: floats.
 *
 * Absolutely positioned elements (position: absolute | fixed) stay in the
 * tree where the document has them, so paths and painting find them, but
 * take no part in the paragraph around them: layout/ skips them in flow
 * and places them afterwards against their containing block.
 */
#include "box.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    dk_ctx *ctx;
    dk_arena *a;
    dk_images *images;
    int atomic_depth, atomic_warned; /* inline-blocks inside inline-blocks (DK_LIMIT_ATOMIC_DEPTH) */
} builder;

/* The paragraph being collected: text and runs grow in malloc'd buffers. */
typedef struct {
    dk_box *para;
    dk_buf text;
    dk_run *runs;
    int nruns, cap;
    int oom;
    const char *lang;
    unsigned char dir; /* dk_text_dir of the block */
} collector;

static dk_box *new_box(builder *b, dk_box_kind kind, const dk_node *n, const dk_style *s,
                       dk_box *parent) {
    dk_box *x = dk_arena_alloc(b->a, sizeof *x);
    if (!x) return NULL;
    x->kind = kind;
    x->node = n;
    x->style = s;
    x->parent = parent;
    if (parent) {
        if (parent->last) parent->last->next = x;
        else parent->first = x;
        parent->last = x;
    }
    return x;
}

static int is_block_level(const dk_style *s) {
    switch (s->display) {
    case DK_DISPLAY_INLINE:
    case DK_DISPLAY_INLINE_BLOCK:
    case DK_DISPLAY_INLINE_GRID:
    case DK_DISPLAY_INLINE_FLEX:
    case DK_DISPLAY_NONE:
    case DK_DISPLAY_CONTENTS: return 0;
    default: return 1;
    }
}

/* n's children in box order: its ::before, its DOM children, its ::after (CSS 2.1 §12.1). */
static const dk_node *kid_first(const dk_node *n) {
    return n->before ? n->before : n->first ? n->first : n->after;
}

static const dk_node *kid_next(const dk_node *n, const dk_node *k) {
    if (k == n->after) return NULL;
    if (k == n->before) return n->first ? n->first : n->after;
    return k->next ? k->next : n->after;
}

/*
 * Does inline element `n` hold an in-flow block-level box (through inline
 * elements only)? CSS 2.1 §9.2.1.1 breaks such an inline around the block
 * and wraps the pieces in anonymous blocks; we build the inline as a block
 * box instead, which places the same lines and blocks, and reports the
 * inline's box as the union of its pieces, as browsers do. (Slidev's
 * components such as <v-clicks> around a Markdown list are the usual case.)
 */
static int inline_holds_block(const dk_node *n) {
    for (const dk_node *k = kid_first(n); k; k = kid_next(n, k)) {
        if (k->type != DK_NODE_ELEMENT || !k->style || dk_node_is(k, "br")) continue;
        const dk_style *s = k->style;
        if (s->display == DK_DISPLAY_NONE || dk_style_out_of_flow(s)) continue;
        if (is_block_level(s)) return 1;
        if ((s->display == DK_DISPLAY_INLINE || s->display == DK_DISPLAY_CONTENTS) &&
            inline_holds_block(k))
            return 1;
    }
    return 0;
}

/* <input type=checkbox|radio>: 0 when `n` is not one, else dk_box.checkbox. */
static int checkbox_kind(const dk_node *n) {
    if (!dk_node_is(n, "input")) return 0;
    const char *type = dk_node_attr(n, "type");
    if (!type || (g_ascii_strcasecmp(type, "checkbox") && g_ascii_strcasecmp(type, "radio"))) return 0;
    int on = dk_node_attr_find(n, "checked") != NULL;
    return (on ? 2 : 1) + (g_ascii_strcasecmp(type, "radio") ? 0 : 2);
}

/* <iframe> and <video>: replaced elements whose content we never load. */
static int is_frame(const dk_node *n) { return dk_node_is(n, "iframe") || dk_node_is(n, "video"); }

static int is_replaced(const dk_node *n) {
    return dk_node_is(n, "img") || dk_node_is(n, "svg") || checkbox_kind(n) || is_frame(n);
}

static dk_box_kind container_kind(const dk_style *s) {
    switch (s->display) {
    case DK_DISPLAY_GRID:
    case DK_DISPLAY_INLINE_GRID: return DK_BOX_GRID;
    case DK_DISPLAY_FLEX:
    case DK_DISPLAY_INLINE_FLEX: return DK_BOX_FLEX;
    case DK_DISPLAY_TABLE: return DK_BOX_TABLE;
    default: return DK_BOX_BLOCK;
    }
}

static int add_run(collector *c, const dk_run *r) {
    if (c->nruns == c->cap) {
        int cap = c->cap ? c->cap * 2 : 8;
        dk_run *p = realloc(c->runs, sizeof *p * (size_t)cap);
        if (!p) return c->oom = 1, 0;
        c->runs = p;
        c->cap = cap;
    }
    c->runs[c->nruns++] = *r;
    return 1;
}

/* Does the text end in a space? White space collapses across inline box edges. */
static int last_is_space(const collector *c) {
    size_t n = c->text.n;
    for (int i = c->nruns - 1; i >= 0 && c->runs[i].atomic == DK_RUN_EDGE && c->runs[i].end == n; i--)
        n = c->runs[i].start;
    return n == 0 || c->text.p[n - 1] == ' ' || c->text.p[n - 1] == '\n';
}

/* The nearest lang="" at or above `n` (BCP 47, as written), or NULL. */
static const char *find_lang(const dk_node *n) {
    for (; n; n = n->parent) {
        const char *l = n->type == DK_NODE_ELEMENT ? dk_node_attr(n, "lang") : NULL;
        if (l && *l) return l;
    }
    return NULL;
}

/* The base direction from the nearest valid dir="" at or above `n` (HTML §3.2.6.4). */
static unsigned char find_dir(const dk_node *n) {
    for (; n; n = n->parent) {
        const char *d = n->type == DK_NODE_ELEMENT ? dk_node_attr(n, "dir") : NULL;
        if (!d) continue;
        if (!g_ascii_strcasecmp(d, "ltr")) return DK_DIR_LTR;
        if (!g_ascii_strcasecmp(d, "rtl")) return DK_DIR_RTL;
        if (!g_ascii_strcasecmp(d, "auto")) return DK_DIR_AUTO;
        /* an invalid value is as if there were none: look further up */
    }
    return DK_DIR_UNSET;
}

/*
 * How far vertical-align: super / sub raise the text inside element `el`,
 * summed over its inline ancestors below the block `stop` (CSS 2.1 §10.8.1
 * leaves the amount to the UA; Blink's: a third of the parent's font size
 * plus 1 px up, a fifth plus 1 px down).
 */
static double baseline_shift(const dk_node *el, const dk_node *stop) {
    double sh = 0;
    for (; el && el != stop && el->type == DK_NODE_ELEMENT && el->style; el = el->parent) {
        const dk_style *s = el->style;
        const dk_style *ps = el->parent && el->parent->style ? el->parent->style : s;
        if (s->vertical_align == DK_VALIGN_SUPER) sh += ps->font_size / 3 + 1;
        else if (s->vertical_align == DK_VALIGN_SUB) sh -= ps->font_size / 5 + 1;
    }
    return sh;
}

/* The block whose paragraph the collector fills (where baseline shifts stop). */
static const dk_node *para_block(const collector *c) {
    return c->para && c->para->parent ? c->para->parent->node : NULL;
}

static void add_text(collector *c, const dk_node *t, const dk_style *s, const char *href,
                     const void *owner) {
    size_t start = c->text.n;
    int ws = s->white_space;
    int keep_spaces = ws == DK_WS_PRE || ws == DK_WS_PRE_WRAP;
    int keep_newlines = keep_spaces || ws == DK_WS_PRE_LINE;
    for (size_t i = 0; i < t->text_len; i++) {
        char ch = t->text[i];
        int space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
        if (ch == '\r') continue;
        if (ch == '\n' && keep_newlines) {
            /* a space before a preserved newline is removed in pre-line */
            if (!keep_spaces && c->text.n > start && c->text.p[c->text.n - 1] == ' ') c->text.n--;
            dk_buf_addc(&c->text, '\n');
        } else if (space && !keep_spaces) {
            if (!last_is_space(c)) dk_buf_addc(&c->text, ' ');
        } else if (ch == '\t') {
            dk_buf_addc(&c->text, '\t'); /* pango keeps tab stops */
        } else {
            dk_buf_addc(&c->text, ch);
        }
    }
    if (c->text.oom) {
        c->oom = 1;
        return;
    }
    if (c->text.n == start) return;
    if (s->text_transform != DK_TT_NONE) {
        char *seg = c->text.p + start;
        gchar *x = s->text_transform == DK_TT_UPPER   ? g_utf8_strup(seg, (gssize)(c->text.n - start))
                   : s->text_transform == DK_TT_LOWER ? g_utf8_strdown(seg, (gssize)(c->text.n - start))
                                                      : NULL;
        if (s->text_transform == DK_TT_CAPITALIZE) {
            int at_word = start == 0 || c->text.p[start - 1] == ' ';
            for (size_t i = start; i < c->text.n; i++) {
                char ch = c->text.p[i];
                if (at_word && ch >= 'a' && ch <= 'z') c->text.p[i] = (char)(ch - 32);
                at_word = ch == ' ' || ch == '\n' || ch == '-';
            }
        }
        if (x) {
            c->text.n = start;
            dk_buf_adds(&c->text, x);
            g_free(x);
        }
    }
    dk_run r = {.start = start, .end = c->text.n, .style = s, .href = href, .owner = owner,
                .lang = t->parent ? find_lang(t->parent) : NULL, .src = t->src,
                .shift = baseline_shift(t->parent, para_block(c))};
    add_run(c, &r);
}

static void add_atomic(collector *c, dk_box *box, const char *href) {
    box->first_run = c->nruns;
    box->nruns_own = 1;
    size_t start = c->text.n;
    dk_buf_adds(&c->text, "\xEF\xBF\xBC"); /* U+FFFC OBJECT REPLACEMENT CHARACTER */
    if (c->text.oom) {
        c->oom = 1;
        return;
    }
    dk_run r = {.start = start, .end = c->text.n, .style = box->style, .href = href, .atomic = DK_RUN_ATOMIC,
                .owner = box, .src = box->node ? box->node->src : DK_NOPOS,
                .shift = baseline_shift(box->node, para_block(c))};
    add_run(c, &r);
}

/*
 * The inline-start (end = 0) or inline-end edge of inline box `in`, when it
 * has margin, border or padding there: a run that text/ lays out as an
 * empty box (layout/ sets its width), so the text beside it moves over.
 * Its character sets the line breaks around it: the start is U+2064 (class
 * AL: a break may come before it after a space, not after it), the end
 * U+0001 (class CM: it stays with the text it follows; a control, not a
 * combining mark, so it is a cluster of its own that pango can measure).
 */
static void add_edge(collector *c, dk_box *in, int end, const char *href) {
    const dk_style *s = in->style;
    int side = end ? 1 : 3;
    if ((s->margin[side].unit == DK_LEN_AUTO || s->margin[side].v == 0) && s->padding[side].v == 0 &&
        (!s->border_style[side] || s->border_width[side] <= 0))
        return;
    size_t start = c->text.n;
    dk_buf_adds(&c->text, end ? DK_EDGE_END : DK_EDGE_START);
    if (c->text.oom) {
        c->oom = 1;
        return;
    }
    dk_run r = {.start = start, .end = c->text.n, .style = s, .href = href, .atomic = DK_RUN_EDGE,
                .owner = in, .src = in->node->src};
    add_run(c, &r);
}

static dk_status build_children(builder *b, dk_box *box, const dk_node *n);

/* Roman numerals for 1..3999 (CSS Counter Styles §6.1; outside the range: decimal). */
static void roman(dk_buf *out, long v, int upper) {
    static const struct {
        int v;
        const char *s;
    } t[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
             {50, "l"},   {40, "xl"},  {10, "x"},  {9, "ix"},   {5, "v"},   {4, "iv"}, {1, "i"}};
    if (v < 1 || v > 3999) {
        dk_buf_printf(out, "%ld", v);
        return;
    }
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        for (; v >= t[i].v; v -= t[i].v)
            for (const char *p = t[i].s; *p; p++) dk_buf_addc(out, upper ? (char)(*p - 32) : *p);
}

/* a, b, ..., z, aa, ab, ... (alphabetic system; below 1: decimal). */
static void alpha(dk_buf *out, long v, int upper) {
    char tmp[32];
    int n = 0;
    if (v < 1) {
        dk_buf_printf(out, "%ld", v);
        return;
    }
    for (; v > 0 && n < (int)sizeof tmp; v = (v - 1) / 26) tmp[n++] = (char)((upper ? 'A' : 'a') + (v - 1) % 26);
    while (n) dk_buf_addc(out, tmp[--n]);
}

/*
 * The ordinal of list item `n` (CSS Lists §4.4 for the list-item counter,
 * as HTML sets it up): <ol start>, <li value>, <ol reversed>.
 */
static long list_ordinal(const dk_node *n) {
    const dk_node *list = n->parent;
    int reversed = list && dk_node_is(list, "ol") && dk_node_attr_find(list, "reversed");
    long count = 0;
    if (reversed)
        for (const dk_node *k = list->first; k; k = k->next)
            count += k->type == DK_NODE_ELEMENT && k->style && k->style->display == DK_DISPLAY_LIST_ITEM;
    const char *start = list && dk_node_is(list, "ol") ? dk_node_attr(list, "start") : NULL;
    long v = start && *start ? strtol(start, NULL, 10) : (reversed ? count : 1);
    v += reversed ? 1 : -1;
    for (const dk_node *k = list ? list->first : n; k; k = k->next) {
        if (k->type != DK_NODE_ELEMENT || !k->style || k->style->display != DK_DISPLAY_LIST_ITEM)
            continue;
        const char *val = dk_node_attr(k, "value");
        v = val && *val ? strtol(val, NULL, 10) : v + (reversed ? -1 : 1);
        if (k == n) break;
    }
    return v;
}

/* The marker string of list item `n` (with its suffix), from the arena; NULL for none. */
static const char *marker_text(builder *b, const dk_node *n) {
    const dk_style *s = n->style;
    dk_buf t = {0};
    switch (s->list_style) {
    case DK_LIST_NONE: return NULL;
    case DK_LIST_DISC: dk_buf_adds(&t, "\xE2\x80\xA2 "); break;   /* • */
    case DK_LIST_CIRCLE: dk_buf_adds(&t, "\xE2\x97\xA6 "); break; /* ◦ */
    case DK_LIST_SQUARE: dk_buf_adds(&t, "\xE2\x96\xAA "); break; /* ▪ */
    case DK_LIST_LOWER_ALPHA: case DK_LIST_UPPER_ALPHA:
        alpha(&t, list_ordinal(n), s->list_style == DK_LIST_UPPER_ALPHA);
        dk_buf_adds(&t, ". ");
        break;
    case DK_LIST_LOWER_ROMAN: case DK_LIST_UPPER_ROMAN:
        roman(&t, list_ordinal(n), s->list_style == DK_LIST_UPPER_ROMAN);
        dk_buf_adds(&t, ". ");
        break;
    default: dk_buf_printf(&t, "%ld. ", list_ordinal(n)); break;
    }
    const char *r = t.oom ? NULL : dk_arena_strndup(b->a, t.p, t.n);
    dk_buf_free(&t);
    return r;
}

/*
 * Extras of an element's box: a list item's marker, a background image
 * (loaded through the image cache like <img>). 0 on OOM.
 */
static int decorate(builder *b, dk_box *x) {
    const dk_style *s = x->style;
    if (s->display == DK_DISPLAY_LIST_ITEM && s->list_style != DK_LIST_NONE) {
        x->marker = marker_text(b, x->node);
        if (!x->marker) return 0;
    }
    if (s->background_image && *s->background_image && b->images) {
        x->bg_image = dk_images_get(b->ctx, b->images, s->background_image, x->node->src);
        if (!x->bg_image) return 0;
    }
    return 1;
}

static dk_status build_inline(builder *b, collector *c, dk_box *parent, const dk_node *n,
                              const char *href);

static dk_status make_image(builder *b, dk_box *img) {
    if ((img->checkbox = checkbox_kind(img->node)) || (img->frame = is_frame(img->node))) return DK_OK;
    const dk_attr *src = dk_node_attr_find(img->node, "src");
    img->alt = dk_node_attr(img->node, "alt");
    if (src && src->value[0]) {
        img->image = dk_images_get(b->ctx, b->images, src->value,
                                   src->src != DK_NOPOS ? src->src : img->node->src);
        if (!img->image) return DK_ENOMEM;
    } else {
        dk_diag_warn_code(b->ctx, img->node->src, "image-no-src", "<img> without a src");
    }
    return DK_OK;
}

/* Inline-level content of element `n` (or the text node `n`) into the paragraph. */
static dk_status build_inline(builder *b, collector *c, dk_box *parent, const dk_node *n,
                              const char *href) {
    if (n->type == DK_NODE_TEXT) {
        const dk_box *owner = parent->kind == DK_BOX_PARA ? parent->parent : parent;
        add_text(c, n, n->parent->style, href, owner);
        return c->oom ? DK_ENOMEM : DK_OK;
    }
    const dk_style *s = n->style;
    if (!s || s->display == DK_DISPLAY_NONE) return DK_OK;
    if (dk_node_is(n, "br")) {
        dk_node nl = {.type = DK_NODE_TEXT, .text = "\n", .text_len = 1, .parent = n->parent};
        dk_style pre = *n->parent->style;
        pre.white_space = DK_WS_PRE;
        /* a line break: the newline itself must survive collapsing */
        size_t before = c->text.n;
        add_text(c, &nl, &pre, href, NULL);
        if (c->nruns && c->text.n > before) c->runs[c->nruns - 1].style = n->parent->style;
        return c->oom ? DK_ENOMEM : DK_OK;
    }
    if (dk_style_out_of_flow(s)) {
        /* out of flow: a box of its own under the inline parent, no run in the paragraph;
           layout/ takes its static position from the run that follows (first_run) */
        dk_box *ab = new_box(b, is_replaced(n) ? DK_BOX_IMAGE : container_kind(s), n, s, parent);
        if (!ab) return DK_ENOMEM;
        ab->first_run = c->nruns;
        if (ab->kind == DK_BOX_IMAGE) return make_image(b, ab);
        if (!decorate(b, ab)) return DK_ENOMEM;
        return build_children(b, ab, n);
    }
    if (is_replaced(n)) {
        dk_box *img = new_box(b, DK_BOX_IMAGE, n, s, parent);
        if (!img) return DK_ENOMEM;
        img->atomic_inline = 1;
        dk_status st = make_image(b, img);
        if (st) return st;
        add_atomic(c, img, href);
        return c->oom ? DK_ENOMEM : DK_OK;
    }
    /* layout sizes an atomic box from its content several times over (min, max, final):
       nested ones cost that power of their depth, so the deepest are laid out inline */
    int atomic = s->display != DK_DISPLAY_INLINE && s->display != DK_DISPLAY_CONTENTS;
    if (atomic && b->atomic_depth >= DK_LIMIT_ATOMIC_DEPTH && !b->atomic_warned++)
        dk_diag_warn_code(b->ctx, n->src, "nesting-too-deep",
                          "inline blocks nested deeper than %d; the deeper ones are laid out as "
                          "inline text", DK_LIMIT_ATOMIC_DEPTH);
    if (atomic && b->atomic_depth < DK_LIMIT_ATOMIC_DEPTH) {
        /* inline-block, inline-grid, inline-flex: an atomic box with its own content */
        dk_box *ib = new_box(b, container_kind(s), n, s, parent);
        if (!ib || !decorate(b, ib)) return DK_ENOMEM;
        ib->atomic_inline = 1;
        b->atomic_depth++;
        dk_status st = build_children(b, ib, n);
        b->atomic_depth--;
        if (st) return st;
        add_atomic(c, ib, href);
        return c->oom ? DK_ENOMEM : DK_OK;
    }
    dk_box *in = new_box(b, DK_BOX_INLINE, n, s, parent);
    if (!in) return DK_ENOMEM;
    if (dk_node_is(n, "a") && dk_node_attr(n, "href")) href = in->href = dk_node_attr(n, "href");
    in->first_run = c->nruns;
    int edges = s->display != DK_DISPLAY_CONTENTS;
    if (edges) add_edge(c, in, 0, href);
    for (const dk_node *k = kid_first(n); k; k = kid_next(n, k)) {
        dk_status st = build_inline(b, c, in, k, href);
        if (st) return st;
    }
    if (edges) add_edge(c, in, 1, href);
    in->nruns_own = c->nruns - in->first_run;
    if (c->oom) return DK_ENOMEM;
    return DK_OK;
}


/* Close the paragraph being collected: trim, copy into the arena, or drop it if empty. */
static dk_status finish_para(builder *b, dk_box *box, collector *c) {
    dk_box *p = c->para;
    dk_status st = DK_OK;
    if (!p) return DK_OK;
    if (c->oom) {
        st = DK_ENOMEM;
        goto done;
    }
    /* a collapsible space at the end of the paragraph goes */
    if (c->text.n && c->text.p[c->text.n - 1] == ' ' && c->nruns &&
        c->runs[c->nruns - 1].style->white_space != DK_WS_PRE &&
        c->runs[c->nruns - 1].style->white_space != DK_WS_PRE_WRAP) {
        c->text.n--;
        dk_run *r = &c->runs[c->nruns - 1];
        r->end--;
        if (r->end == r->start && !r->atomic) c->nruns--;
    }
    /* a line feed ending the paragraph (pre text, a final <br>) opens no empty line */
    if (c->text.n > 1 && c->text.p[c->text.n - 1] == '\n' && c->nruns) {
        dk_run *r = &c->runs[c->nruns - 1];
        if (!r->atomic && r->end == c->text.n) {
            c->text.n--;
            r->end--;
            if (r->end == r->start) c->nruns--;
        }
    }
    if (c->text.n == 0 && !p->first) {
        /* nothing to lay out: unlink the anonymous box */
        dk_box **pp = &box->first, *prev = NULL;
        while (*pp != p) prev = *pp, pp = &(*pp)->next;
        *pp = p->next;
        if (box->last == p) box->last = prev;
        goto done;
    }
    p->para.text = dk_arena_strndup(b->a, c->text.p ? c->text.p : "", c->text.n);
    p->para.len = c->text.n;
    p->para.runs = dk_arena_alloc(b->a, sizeof(dk_run) * (size_t)(c->nruns ? c->nruns : 1));
    if (!p->para.text || !p->para.runs) {
        st = DK_ENOMEM;
        goto done;
    }
    if (c->nruns) memcpy(p->para.runs, c->runs, sizeof(dk_run) * (size_t)c->nruns);
    p->para.nruns = c->nruns;
    p->para.style = box->style;
    p->para.lang = c->lang;
    p->para.dir = c->dir;
    /* the paragraph's position for diagnostics: its first run that knows one */
    p->para.src = DK_NOPOS;
    for (int i = 0; i < c->nruns && p->para.src == DK_NOPOS; i++)
        if (c->runs[i].src && c->runs[i].src != DK_NOPOS) p->para.src = c->runs[i].src;
done:
    dk_buf_free(&c->text);
    free(c->runs);
    memset(c, 0, sizeof *c);
    return st;
}

/*
 * Does a child displayed `d` need an anonymous table around it in `box`
 * (CSS 2.1 §17.2.1, "generate missing parents")? Row groups, rows and
 * captions outside a table do, as in `table { display: block }`.
 */
static int misparented(const dk_box *box, int d) {
    int pd = box->style->display;
    if (box->kind == DK_BOX_TABLE) return 0;
    if (d == DK_DISPLAY_TABLE_ROW)
        return pd != DK_DISPLAY_TABLE_ROW_GROUP && pd != DK_DISPLAY_TABLE_HEADER_GROUP &&
               pd != DK_DISPLAY_TABLE_FOOTER_GROUP;
    return d == DK_DISPLAY_TABLE_ROW_GROUP || d == DK_DISPLAY_TABLE_HEADER_GROUP ||
           d == DK_DISPLAY_TABLE_FOOTER_GROUP || d == DK_DISPLAY_TABLE_CAPTION;
}

static int only_space(const dk_node *t) {
    for (size_t i = 0; i < t->text_len; i++)
        if (!strchr(" \t\n\r\f", t->text[i])) return 0;
    return 1;
}

/* The children of element `n` into the container `box`. */
static dk_status build_children(builder *b, dk_box *box, const dk_node *n) {
    collector c = {0};
    dk_status st = DK_OK;
    dk_box *anon = NULL; /* the anonymous table taking misparented table parts, while open */
    /* flex and grid items are blockified (CSS Display §2.7): each child is its own item */
    int blockify = box->kind == DK_BOX_GRID || box->kind == DK_BOX_FLEX;
    for (const dk_node *k = kid_first(n); k; k = kid_next(n, k)) {
        const dk_style *s = k->type == DK_NODE_ELEMENT ? k->style : n->style;
        if (k->type == DK_NODE_ELEMENT && (!s || s->display == DK_DISPLAY_NONE)) continue;
        int block = k->type == DK_NODE_ELEMENT && !dk_node_is(k, "br") &&
                    ((s->display != DK_DISPLAY_CONTENTS && (is_block_level(s) || blockify)) ||
                     (s->display == DK_DISPLAY_INLINE && !is_replaced(k) && inline_holds_block(k)));
        /* text directly in a flex/grid container: an anonymous item, unless only space;
           space between table parts in an anonymous table is dropped (§17.2.1) */
        if ((blockify || anon) && k->type == DK_NODE_TEXT && only_space(k)) continue;
        if (!block || !misparented(box, s->display)) anon = NULL;
        if (block) {
            /* an absolutely positioned box leaves the flow: the paragraph around it goes on */
            if (!dk_style_out_of_flow(s) && (st = finish_para(b, box, &c))) goto done;
            if (is_replaced(k)) {
                dk_box *img = new_box(b, DK_BOX_IMAGE, k, s, box);
                if (!img || (st = make_image(b, img))) {
                    st = st ? st : DK_ENOMEM;
                    goto done;
                }
                continue;
            }
            if (misparented(box, s->display) && !anon) {
                const dk_style *ts = dk_style_anonymous(b->a, box->style, DK_DISPLAY_TABLE);
                if (!ts || !(anon = new_box(b, DK_BOX_TABLE, NULL, ts, box))) {
                    st = DK_ENOMEM;
                    goto done;
                }
            }
            dk_box *kid = new_box(b, container_kind(s), k, s, anon ? anon : box);
            if (!kid || !decorate(b, kid)) {
                st = DK_ENOMEM;
                goto done;
            }
            if (s->display == DK_DISPLAY_TABLE_CELL) {
                const char *span = dk_node_attr(k, "colspan");
                long v = span && *span ? strtol(span, NULL, 10) : 1;
                kid->colspan = v < 1 ? 1 : v > 1000 ? 1000 : (int)v;
            }
            if ((st = build_children(b, kid, k))) goto done;
            continue;
        }
        if (!c.para) {
            c.para = new_box(b, DK_BOX_PARA, NULL, box->style, box);
            if (!c.para) {
                st = DK_ENOMEM;
                goto done;
            }
            c.lang = find_lang(n);
            c.dir = find_dir(n);
        }
        /* text straight in a link made a block (it held a block) still links */
        const char *href = dk_node_is(n, "a") ? dk_node_attr(n, "href") : NULL;
        if ((st = build_inline(b, &c, c.para, k, href))) goto done;
        if (blockify) {
            if ((st = finish_para(b, box, &c))) goto done;
        }
    }
    st = finish_para(b, box, &c);
done:
    if (c.para) finish_para(b, box, &c);
    return st;
}

dk_status dk_box_build(dk_ctx *ctx, dk_arena *a, dk_images *images, const dk_node *root,
                       dk_box **out) {
    builder b = {ctx, a, images, 0, 0};
    *out = NULL;
    const dk_node *body = dk_node_is(root, "body") ? root : dk_node_find((dk_node *)root, "body");
    if (!body || !body->style) return DK_EINPUT;
    dk_box *box = new_box(&b, container_kind(body->style), body, body->style, NULL);
    if (!box || !decorate(&b, box)) return DK_ENOMEM;
    dk_status st = build_children(&b, box, body);
    if (st) return st;
#ifndef NDEBUG
    dk_box_check(box);
#endif
    *out = box;
    return DK_OK;
}

void dk_box_check(const dk_box *root) {
    for (const dk_box *k = root->first; k; k = k->next) {
        DK_ASSERT(k->parent == root);
        if (!k->next) DK_ASSERT(root->last == k);
        dk_box_check(k);
    }
    if (root->kind == DK_BOX_PARA) {
        size_t at = 0;
        for (int i = 0; i < root->para.nruns; i++) {
            DK_ASSERT(root->para.runs[i].start == at);
            at = root->para.runs[i].end;
        }
        DK_ASSERT(at == root->para.len);
    }
}

static void dump(const dk_box *b, int depth, dk_buf *out) {
    static const char *const kinds[] = {"block", "grid", "flex", "image", "para", "inline", "table"};
    dk_buf_printf(out, "%*s%s", depth * 2, "", kinds[b->kind]);
    if (b->node) dk_buf_printf(out, " <%s>", b->node->tag);
    if (b->atomic_inline) dk_buf_adds(out, " atomic");
    if (b->marker) dk_buf_printf(out, " marker=\"%s\"", b->marker);
    if (b->colspan > 1) dk_buf_printf(out, " colspan=%d", b->colspan);
    if (b->checkbox) dk_buf_printf(out, " checkbox=%d", b->checkbox);
    if (b->frame) dk_buf_adds(out, " frame");
    if (b->kind == DK_BOX_PARA) {
        dk_buf_adds(out, " \"");
        for (size_t i = 0; i < b->para.len; i++) {
            char ch = b->para.text[i];
            if (ch == '\n') dk_buf_adds(out, "\\n");
            else dk_buf_addc(out, ch);
        }
        dk_buf_printf(out, "\" runs=%d", b->para.nruns);
    }
    if (b->kind == DK_BOX_IMAGE)
        dk_buf_printf(out, " %dx%d%s", b->image ? b->image->w : 0, b->image ? b->image->h : 0,
                      !b->image || b->image->missing ? " missing" : "");
    dk_buf_addc(out, '\n');
    for (const dk_box *k = b->first; k; k = k->next) dump(k, depth + 1, out);
}

void dk_box_dump(const dk_box *root, dk_buf *out) { dump(root, 0, out); }
