/*
 * Layout internals shared by block flow (layout.c), grid.c, flex.c and table.c:
 * the layout state, used edges and sizes, and the entry points each part calls.
 */
#ifndef DK_LAYOUT_INTERNAL_H
#define DK_LAYOUT_INTERNAL_H

#include "layout.h"

#include <math.h>
#include <string.h>


typedef struct {
    dk_ctx *ctx;
    dk_arena *a;
    dk_text *text;
    dk_viewport vp;
    dk_status st; /* sticky: the first failure */
    int nest;     /* flex/grid containers being laid out (flex.c, grid.c) */
} L;

/*
 * Flex and grid items are laid out again at a flexed or stretched height,
 * which doubles the work per level of nesting: past this many levels they
 * just take the height (their content stays where it was laid out).
 */
enum { RELAYOUT_NEST = 6 };

/* A collapsed margin: the largest positive and the most negative of a set. */
typedef struct {
    double pos, neg;
} margin;

static inline margin mcombine(margin m, double v) {
    if (v > m.pos) m.pos = v;
    if (v < m.neg) m.neg = v;
    return m;
}
static inline margin mjoin(margin a, margin b) { return mcombine(mcombine(a, b.pos), b.neg); }
static inline double mval(margin m) { return m.pos + m.neg; }

static inline double len(dk_len l, double base) {
    switch (l.unit) {
    case DK_LEN_PX: return l.v;
    case DK_LEN_PCT: return base >= 0 ? l.v * base / 100 : 0;
    default: return 0;
    }
}

static inline int is_auto(dk_len l) { return l.unit == DK_LEN_AUTO; }
/* A size is definite for this containing block size (percentages need a definite base). */
static inline int definite(dk_len l, double base) {
    return l.unit == DK_LEN_PX || (l.unit == DK_LEN_PCT && base >= 0);
}

static inline void translate(dk_box *b, double dx, double dy) {
    b->x += dx;
    b->y += dy;
    b->marker_box.x += dx;
    b->marker_box.y += dy;
    for (dk_box *k = b->first; k; k = k->next) translate(k, dx, dy);
}

/* Rows, row groups and cells: margins do not apply; rows and groups have no padding either. */
static inline int table_part(const dk_style *s) {
    return s->display >= DK_DISPLAY_TABLE_ROW_GROUP && s->display <= DK_DISPLAY_TABLE_CELL;
}

/*
 * Used margins, borders, padding (percentages of the containing block
 * width). Table parts in the collapsing border model keep half their
 * collapsed borders (table_collapse()).
 */
static inline void edges(dk_box *b, double cbw) {
    const dk_style *s = b->style;
    int part = table_part(s), cell = s->display == DK_DISPLAY_TABLE_CELL;
    int nopad = (part && !cell) || (b->kind == DK_BOX_TABLE && b->collapsed);
    if (b->kind == DK_BOX_PARA) { /* anonymous: it shares its block's style, not its edges */
        memset(b->margin, 0, sizeof b->margin);
        memset(b->padding, 0, sizeof b->padding);
        memset(b->border, 0, sizeof b->border);
        return;
    }
    for (int i = 0; i < 4; i++) {
        b->margin[i] = part ? 0 : len(s->margin[i], cbw);
        b->padding[i] = nopad ? 0 : len(s->padding[i], cbw);
        if (b->collapsed) b->border[i] = b->cborder[i] / 2;
        else b->border[i] = s->border_style[i] != DK_BORDER_NONE && (!part || cell) ? s->border_width[i] : 0;
    }
}

static inline double hframe(const dk_box *b) {
    return b->border[1] + b->border[3] + b->padding[1] + b->padding[3];
}
static inline double vframe(const dk_box *b) {
    return b->border[0] + b->border[2] + b->padding[0] + b->padding[2];
}

/* Clamp a content-box size by min/max (given as content-box sizes). */
static inline double clamp_size(double v, dk_len mn, dk_len mx, double base, double frame, int border_box) {
    double adj = border_box ? frame : 0;
    if (mx.unit != DK_LEN_NONE && definite(mx, base)) v = DK_MIN(v, len(mx, base) - adj);
    if (definite(mn, base)) v = DK_MAX(v, len(mn, base) - adj);
    return DK_MAX(v, 0);
}

/* Is the box absolutely positioned (out of flow)? Anonymous paragraphs share their block's style. */
static inline int oof(const dk_box *b) { return b->kind != DK_BOX_PARA && dk_style_out_of_flow(b->style); }

/* `k` or the first in-flow sibling after it. */
static inline dk_box *in_flow(const dk_box *k) {
    while (k && oof(k)) k = k->next;
    return (dk_box *)k;
}

/*
 * Park an out-of-flow box at its static position: its margin box's top
 * left in (x, y), no size yet. It moves with its ancestors (translate())
 * until position_pass() lays it out against its containing block.
 */
static inline void static_position(dk_box *k, double x, double y) {
    k->x = x;
    k->y = y;
    k->w = k->h = 0;
}

/* Static positions of a grid's, flex container's or table's out-of-flow children. */
static inline void static_children(dk_box *b, double cx, double cy) {
    for (dk_box *k = b->first; k; k = k->next)
        if (oof(k)) static_position(k, cx, cy);
}

/*
 * The style that sizes and aligns flex/grid item `k`: an anonymous item
 * (text run straight in the container, CSS Flexbox §4, Grid §6) shares its
 * container's style for its text but has initial values for the rest.
 */
static inline const dk_style *item_style(const dk_box *k) {
    return k->kind == DK_BOX_PARA ? dk_style_initial() : k->style;
}

static inline int is_item(const dk_box *b) {
    return b->parent && (b->parent->kind == DK_BOX_GRID || b->parent->kind == DK_BOX_FLEX) && !oof(b);
}

/* Does this box establish a block formatting context (so margins stay inside)? */
static inline int bfc_root(const dk_box *b) {
    return b->kind != DK_BOX_BLOCK || b->atomic_inline || is_item(b) || oof(b) || b->style->overflow_hidden ||
           !b->parent || table_part(b->style);
}

enum { MEASURE_MAX = -1, MEASURE_MIN = -2 };

/* A replaced element whose width depends on its container (CSS Sizing 3 §5.2.2). */
static inline int compressible(const dk_style *s) {
    return s->width.unit == DK_LEN_PCT || s->max_width.unit == DK_LEN_PCT;
}

/*
 * `s` with its percentage gaps resolved against the content box cw x ch
 * (< 0: indefinite, where a percentage gap is 0; CSS Align §8.1), copied
 * into `tmp`; `s` itself when it has none.
 */
static inline const dk_style *resolve_gaps(dk_style *tmp, const dk_style *s, double cw, double ch) {
    if (!s->gap_pct) return s;
    *tmp = *s;
    if (s->gap_pct & 1) tmp->column_gap = (float)(cw >= 0 ? s->column_gap * cw / 100 : 0);
    if (s->gap_pct & 2) tmp->row_gap = (float)(ch >= 0 ? s->row_gap * ch / 100 : 0);
    tmp->gap_pct = 0;
    return tmp;
}

static inline int align_of(int self, int parent_items) {
    return self != DK_AL_AUTO && self != DK_AL_NORMAL ? self : parent_items;
}

/* ---- the parts: each lays out one kind of box (layout.c dispatches in dkl_box()) ---- */

/* Lay out `b`'s border box at (x, y) in a containing block cbw x cbh (-1: indefinite). */
void dkl_box(L *l, dk_box *b, double x, double y, double cbw, double cbh, double width);
/* The same with a used content height (>= 0), as flex and grid items get after flexing or stretching. */
void dkl_box_h(L *l, dk_box *b, double x, double y, double cbw, double cbh, double width, double height);
/* Min- and max-content widths of `b`'s margin box (CSS Sizing §5). */
void dkl_intrinsic(L *l, dk_box *b, double *mn, double *mx);
/* Is b's min-content contribution at most `avail`? (cheap where it can be; layout.c) */
int dkl_min_fits(L *l, dk_box *b, double avail);
/* Shrink-to-fit width: min(max(min-content, avail), max-content). */
double dkl_fit_content(L *l, dk_box *b, double avail);
/* A replaced element (image) at (x, y). */
void dkl_image(L *l, dk_box *b, double x, double y, double cbw, double cbh);
void dkl_grid(L *l, dk_box *b, double cx, double cy, double cw, double ch);   /* grid.c */
void dkl_grid_intrinsic(L *l, dk_box *b, double *cmin, double *cmax);          /* grid.c */
void dkl_flex(L *l, dk_box *b, double cx, double cy, double cw, double ch);   /* flex.c */
/* Static positions of a flex or grid container's out-of-flow children (flex.c). */
void dkl_abs_static(L *l, dk_box *b, double cx, double cy, double cw, double ch);
double dkl_table(L *l, dk_box *t, double cx, double cy, double cw);          /* table.c */
void dkl_table_intrinsic(L *l, dk_box *t, double *tmn, double *tmx);         /* table.c */


#endif
