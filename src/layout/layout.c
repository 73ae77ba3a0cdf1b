/*
 * Layout: used geometry for the box tree.
 *
 * Design. Every layout function places a box's *border box* with its top
 * left at the (x, y) it is given and returns through the box; containers
 * that align their children after measuring them (grid, flex) lay a child
 * out first and then move its whole subtree (translate()). Widths flow
 * down, heights flow up, as in CSS 2.1 §10.
 *
 * Block flow follows CSS 2.1 §8.3.1 for margin collapsing: adjacent
 * sibling margins collapse; a first child's top margin and a last child's
 * bottom margin escape through a parent with no border or padding on that
 * side that does not establish a formatting context. We compute the
 * escaping top margin before placing a box (top_margin()), so a box never
 * moves after its children are placed.
 *
 * Grid follows CSS Grid §11 for the cases slides use: explicit columns in
 * px, %, fr, auto, min/max-content and minmax(); auto placement row by
 * row with column spans; auto rows sized by their items; align/justify in
 * the grid area. Flex is single-line (wrapping starts a new line) with
 * grow, shrink, justify-content and align-items.
 *
 * Positioned boxes (relative, absolute, fixed) are placed after the flow,
 * top down (see "positioning" below): out-of-flow boxes only leave a static
 * position behind in the flow.
 *
 * Not supported: floats, writing modes, fragmentation.
 */
#include "layout.h"

#include <math.h>
#include <string.h>

typedef struct {
    dk_ctx *ctx;
    dk_arena *a;
    dk_text *text;
    dk_viewport vp;
    dk_status st; /* sticky: the first failure */
} L;

/* A collapsed margin: the largest positive and the most negative of a set. */
typedef struct {
    double pos, neg;
} margin;

static margin mcombine(margin m, double v) {
    if (v > m.pos) m.pos = v;
    if (v < m.neg) m.neg = v;
    return m;
}
static margin mjoin(margin a, margin b) { return mcombine(mcombine(a, b.pos), b.neg); }
static double mval(margin m) { return m.pos + m.neg; }

static double len(dk_len l, double base) {
    switch (l.unit) {
    case DK_LEN_PX: return l.v;
    case DK_LEN_PCT: return base >= 0 ? l.v * base / 100 : 0;
    default: return 0;
    }
}

static int is_auto(dk_len l) { return l.unit == DK_LEN_AUTO; }
/* A size is definite for this containing block size (percentages need a definite base). */
static int definite(dk_len l, double base) {
    return l.unit == DK_LEN_PX || (l.unit == DK_LEN_PCT && base >= 0);
}

static void translate(dk_box *b, double dx, double dy) {
    b->x += dx;
    b->y += dy;
    b->marker_box.x += dx;
    b->marker_box.y += dy;
    for (dk_box *k = b->first; k; k = k->next) translate(k, dx, dy);
}

/* Rows, row groups and cells: margins do not apply; rows and groups have no padding either. */
static int table_part(const dk_style *s) {
    return s->display >= DK_DISPLAY_TABLE_ROW_GROUP && s->display <= DK_DISPLAY_TABLE_CELL;
}

/*
 * Used margins, borders, padding (percentages of the containing block
 * width). Table parts in the collapsing border model keep half their
 * collapsed borders (table_collapse()).
 */
static void edges(dk_box *b, double cbw) {
    const dk_style *s = b->style;
    int part = table_part(s), cell = s->display == DK_DISPLAY_TABLE_CELL;
    int nopad = (part && !cell) || (b->kind == DK_BOX_TABLE && b->collapsed);
    for (int i = 0; i < 4; i++) {
        b->margin[i] = part ? 0 : len(s->margin[i], cbw);
        b->padding[i] = nopad ? 0 : len(s->padding[i], cbw);
        if (b->collapsed) b->border[i] = b->cborder[i] / 2;
        else b->border[i] = s->border_style[i] != DK_BORDER_NONE && (!part || cell) ? s->border_width[i] : 0;
    }
}

static double hframe(const dk_box *b) {
    return b->border[1] + b->border[3] + b->padding[1] + b->padding[3];
}
static double vframe(const dk_box *b) {
    return b->border[0] + b->border[2] + b->padding[0] + b->padding[2];
}

/* Clamp a content-box size by min/max (given as content-box sizes). */
static double clamp_size(double v, dk_len mn, dk_len mx, double base, double frame, int border_box) {
    double adj = border_box ? frame : 0;
    if (mx.unit != DK_LEN_NONE && definite(mx, base)) v = DK_MIN(v, len(mx, base) - adj);
    if (definite(mn, base)) v = DK_MAX(v, len(mn, base) - adj);
    return DK_MAX(v, 0);
}

/* Is the box absolutely positioned (out of flow)? Anonymous paragraphs share their block's style. */
static int oof(const dk_box *b) { return b->kind != DK_BOX_PARA && dk_style_out_of_flow(b->style); }

/* `k` or the first in-flow sibling after it. */
static dk_box *in_flow(const dk_box *k) {
    while (k && oof(k)) k = k->next;
    return (dk_box *)k;
}

/*
 * Park an out-of-flow box at its static position: its margin box's top
 * left in (x, y), no size yet. It moves with its ancestors (translate())
 * until position_pass() lays it out against its containing block.
 */
static void static_position(dk_box *k, double x, double y) {
    k->x = x;
    k->y = y;
    k->w = k->h = 0;
}

/* Static positions of a grid's, flex container's or table's out-of-flow children. */
static void static_children(dk_box *b, double cx, double cy) {
    for (dk_box *k = b->first; k; k = k->next)
        if (oof(k)) static_position(k, cx, cy);
}

static int is_item(const dk_box *b) {
    return b->parent && (b->parent->kind == DK_BOX_GRID || b->parent->kind == DK_BOX_FLEX) && !oof(b);
}

/* Does this box establish a block formatting context (so margins stay inside)? */
static int bfc_root(const dk_box *b) {
    return b->kind != DK_BOX_BLOCK || b->atomic_inline || is_item(b) || oof(b) || b->style->overflow_hidden ||
           !b->parent || table_part(b->style);
}

enum { MEASURE_MAX = -1, MEASURE_MIN = -2 };

/* A replaced element whose width depends on its container (CSS Sizing 3 §5.2.2). */
static int compressible(const dk_style *s) {
    return s->width.unit == DK_LEN_PCT || s->max_width.unit == DK_LEN_PCT;
}

static void layout_box(L *l, dk_box *b, double x, double y, double cbw, double cbh, double width);
static void table_intrinsic(L *l, dk_box *t, double *tmn, double *tmx);
static void size_atomics(L *l, dk_box *para, dk_box *parent, double width);

/* ---- intrinsic sizes ------------------------------------------------------ */

static void image_size(dk_box *b, double cbw, double cbh, double *w, double *h);

/*
 * Min-content and max-content widths of a box's margin box (CSS Sizing §5),
 * for grid tracks and shrink-to-fit. Percentages of the containing block
 * count as 0 (they are resolved later, CSS Sizing §5.2.1c).
 */
static void intrinsic(L *l, dk_box *b, double *mn, double *mx) {
    const dk_style *s = b->style;
    edges(b, 0);
    double frame = hframe(b), marg = b->margin[1] + b->margin[3];
    double cmin = 0, cmax = 0;
    if (b->kind == DK_BOX_IMAGE) {
        double w, h;
        image_size(b, -1, -1, &w, &h);
        *mn = *mx = w + frame + marg;
        if (compressible(s)) *mn = frame + marg;
        return;
    }
    if (s->width.unit == DK_LEN_PX) {
        double w = s->width.v - (s->box_sizing ? frame : 0);
        w = clamp_size(w, s->min_width, s->max_width, -1, frame, s->box_sizing);
        *mn = *mx = w + frame + marg;
        return;
    }
    if (b->kind == DK_BOX_PARA) {
        /* atomic inlines need their sizes before the text is measured; a percentage-sized
           image is compressible: nothing in min-content, its natural width in max-content
           (CSS Sizing 3 §5.2.2) */
        double unused;
        size_atomics(l, b, b, MEASURE_MIN);
        if (l->text->measure(l->text, l->a, &b->para, &cmin, &unused) != DK_OK) l->st = DK_ENOMEM;
        size_atomics(l, b, b, MEASURE_MAX);
        if (l->text->measure(l->text, l->a, &b->para, &unused, &cmax) != DK_OK) l->st = DK_ENOMEM;
        *mn = cmin;
        *mx = cmax;
        return;
    }
    if (b->kind == DK_BOX_TABLE) {
        table_intrinsic(l, b, &cmin, &cmax);
        edges(b, 0);
        frame = hframe(b);
        if (definite(s->width, -1)) cmin = cmax = DK_MAX(cmin, len(s->width, -1) - (s->box_sizing ? frame : 0));
        *mn = cmin + frame + marg;
        *mx = cmax + frame + marg;
        return;
    }
    if (b->kind == DK_BOX_FLEX && !s->flex_direction_column) {
        int n = 0;
        for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next), n++) {
            double kmn, kmx;
            intrinsic(l, k, &kmn, &kmx);
            cmin = DK_MAX(cmin, kmn);
            cmax += kmx;
        }
        if (n > 1) cmax += s->column_gap * (n - 1);
    } else if (b->kind == DK_BOX_GRID && s->ngrid_cols > 0) {
        /* columns side by side: fixed tracks as given, the rest by their widest item */
        int nc = s->ngrid_cols, i = 0;
        for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next), i++) {
            double kmn, kmx;
            intrinsic(l, k, &kmn, &kmx);
            cmin = DK_MAX(cmin, kmn);
            cmax = DK_MAX(cmax, kmx);
        }
        cmin *= nc;
        cmax *= nc;
        cmin += s->column_gap * (nc - 1);
        cmax += s->column_gap * (nc - 1);
    } else {
        for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next)) {
            double kmn, kmx;
            intrinsic(l, k, &kmn, &kmx);
            cmin = DK_MAX(cmin, kmn);
            cmax = DK_MAX(cmax, kmx);
        }
    }
    cmin = clamp_size(cmin, s->min_width, s->max_width, -1, frame, s->box_sizing);
    cmax = clamp_size(cmax, s->min_width, s->max_width, -1, frame, s->box_sizing);
    *mn = cmin + frame + marg;
    *mx = cmax + frame + marg;
}

/* Shrink-to-fit width of the margin box (CSS 2.1 §10.3.5). */
static double fit_content(L *l, dk_box *b, double avail) {
    double mn, mx;
    intrinsic(l, b, &mn, &mx);
    return DK_MIN(DK_MAX(mn, avail), mx);
}

/* ---- replaced elements ------------------------------------------------------- */

/*
 * Used content size of an image (CSS 2.1 §10.3.2, §10.6.2 and the min/max
 * table of §10.4). A missing image has no intrinsic size: like a browser's
 * broken image it gets the size the style gives, else a small box.
 */
static void image_size(dk_box *b, double cbw, double cbh, double *w, double *h) {
    const dk_style *s = b->style;
    edges(b, cbw);
    double frame_w = hframe(b), frame_h = vframe(b);
    int have = b->image && !b->image->missing && b->image->w > 0 && b->image->h > 0;
    double iw = have ? b->image->w : 0, ih = have ? b->image->h : 0;
    double ratio = have ? iw / ih : 0;
    int wdef = definite(s->width, cbw), hdef = definite(s->height, cbh);
    double bw = s->box_sizing ? frame_w : 0, bh = s->box_sizing ? frame_h : 0;
    double W = wdef ? len(s->width, cbw) - bw : 0, H = hdef ? len(s->height, cbh) - bh : 0;
    double minw = definite(s->min_width, cbw) ? len(s->min_width, cbw) - bw : 0;
    double maxw = s->max_width.unit != DK_LEN_NONE && definite(s->max_width, cbw)
                      ? len(s->max_width, cbw) - bw : INFINITY;
    double minh = definite(s->min_height, cbh) ? len(s->min_height, cbh) - bh : 0;
    double maxh = s->max_height.unit != DK_LEN_NONE && definite(s->max_height, cbh)
                      ? len(s->max_height, cbh) - bh : INFINITY;
    if (!have) {
        /* broken image: sized by the style, else the alt text's box */
        *w = wdef ? W : (hdef ? H : 100);
        *h = hdef ? H : (wdef ? DK_MIN(W * 0.75, 150) : 75);
        *w = DK_MIN(DK_MAX(*w, minw), maxw);
        *h = DK_MIN(DK_MAX(*h, minh), maxh);
        return;
    }
    if (wdef && hdef) {
        *w = W;
        *h = H;
    } else if (wdef) {
        *w = DK_MIN(DK_MAX(W, minw), maxw);
        *h = *w / ratio;
        *h = DK_MIN(DK_MAX(*h, minh), maxh); /* the width stays: the image is squashed, as in browsers */
        return;
    } else if (hdef) {
        *h = DK_MIN(DK_MAX(H, minh), maxh);
        *w = *h * ratio;
        *w = DK_MIN(DK_MAX(*w, minw), maxw);
        return;
    } else {
        /* both auto: the §10.4 table keeps the ratio within min/max */
        double w0 = iw, h0 = ih;
        if (maxw < minw) maxw = minw;
        if (maxh < minh) maxh = minh;
        double rw = w0, rh = h0;
        if (w0 > maxw && h0 > maxh) {
            if (maxw / w0 <= maxh / h0) rw = maxw, rh = DK_MAX(minh, maxw * h0 / w0);
            else rw = DK_MAX(minw, maxh * w0 / h0), rh = maxh;
        } else if (w0 < minw && h0 < minh) {
            if (minw / w0 <= minh / h0) rw = DK_MIN(maxw, minh * w0 / h0), rh = minh;
            else rw = minw, rh = DK_MIN(maxh, minw * h0 / w0);
        } else if (w0 > maxw) {
            rw = maxw, rh = DK_MAX(maxw * h0 / w0, minh);
        } else if (w0 < minw) {
            rw = minw, rh = DK_MIN(minw * h0 / w0, maxh);
        } else if (h0 > maxh) {
            rw = DK_MAX(maxh * w0 / h0, minw), rh = maxh;
        } else if (h0 < minh) {
            rw = DK_MIN(minh * w0 / h0, maxw), rh = minh;
        }
        *w = rw;
        *h = rh;
        return;
    }
    *w = DK_MIN(DK_MAX(*w, minw), maxw);
    *h = DK_MIN(DK_MAX(*h, minh), maxh);
}

/* The alt text of a missing image, laid out to be drawn in its placeholder. */
static void alt_text(L *l, dk_box *b, double w) {
    const char *alt = b->alt && *b->alt ? b->alt : dk_node_attr(b->node, "src");
    dk_run *run = dk_arena_alloc(l->a, sizeof *run);
    dk_style *st = dk_arena_alloc(l->a, sizeof *st);
    b->text = NULL;
    if (!alt || !*alt || !run || !st) {
        if (!run || !st) l->st = DK_ENOMEM;
        return;
    }
    *st = *b->style;
    st->text_align = DK_ALIGN_CENTER;
    st->white_space = DK_WS_NORMAL;
    st->color = (dk_rgba){80, 80, 80, 255};
    st->font_size = DK_MIN(st->font_size, 16);
    st->line_height = st->font_size * 1.25f;
    st->text_decoration = 0;
    size_t n = strlen(alt);
    *run = (dk_run){.start = 0, .end = n, .style = st};
    dk_para *p = dk_arena_alloc(l->a, sizeof *p);
    if (!p) {
        l->st = DK_ENOMEM;
        return;
    }
    *p = (dk_para){.text = alt, .len = n, .runs = run, .nruns = 1, .style = st};
    if (l->text->layout(l->text, l->a, p, DK_MAX(w - 8, 10), &b->text) != DK_OK) l->st = DK_ENOMEM;
}

static void layout_image(L *l, dk_box *b, double x, double y, double cbw, double cbh) {
    double w, h;
    image_size(b, cbw, cbh, &w, &h);
    b->x = x;
    b->y = y;
    b->w = w + hframe(b);
    b->h = h + vframe(b);
    if (b->image && !b->image->missing) return;
    const dk_style *s = b->style;
    if (!definite(s->width, cbw) && !definite(s->height, cbh)) {
        /* unsized and broken: as large as its alt text, like a browser's broken image */
        b->text = NULL;
        alt_text(l, b, cbw >= 0 ? cbw - 8 : 100000);
        if (b->text) {
            w = DK_MIN(b->text->w + 16, cbw >= 0 ? DK_MAX(cbw - hframe(b), 0) : INFINITY);
            h = b->text->h + 16;
            b->w = w + hframe(b);
            b->h = h + vframe(b);
        }
    }
    alt_text(l, b, w);
}

/* ---- paragraphs ------------------------------------------------------------ */

/* Count, for each element owning runs, the distinct lines holding its text. */
static void count_lines(dk_box *para) {
    const dk_textlayout *tl = para->text;
    for (int i = 0; i < para->para.nruns; i++) {
        dk_box *owner = (dk_box *)para->para.runs[i].owner;
        if (!owner || para->para.runs[i].atomic || tl->run_first_line[i] < 0) continue;
        for (int ln = tl->run_first_line[i]; ln <= tl->run_last_line[i]; ln++) {
            if (owner->last_line1 > ln) continue; /* counted already (lines only grow) */
            owner->lines++;
            owner->last_line1 = ln + 1;
        }
    }
}

/* Place inline boxes from the runs they cover. */
static void place_inlines(dk_box *para, dk_box *parent, double cx, double cy) {
    const dk_textlayout *tl = para->text;
    for (dk_box *k = parent->first; k; k = k->next) {
        if (oof(k)) {
            /* static position: where the run after it starts (or the paragraph ends) */
            int r = k->first_run, n = para->para.nruns;
            if (r < n && tl->run_first_line[r] >= 0)
                static_position(k, cx + tl->run_rect[r].x, cy + tl->lines[tl->run_first_line[r]].y);
            else if (r > 0 && r <= n && tl->run_last_line[r - 1] >= 0)
                static_position(k, cx + tl->run_rect[r - 1].x + tl->run_rect[r - 1].w,
                                cy + tl->lines[tl->run_last_line[r - 1]].y);
            else
                static_position(k, cx, cy);
            continue;
        }
        if (k->atomic_inline) {
            /* the run's box is the margin box; geometry below is the border box */
            dk_rect r = tl->run_rect[k->first_run];
            translate(k, cx + r.x + k->margin[3] - k->x, cy + r.y + k->margin[0] - k->y);
            continue;
        }
        if (k->kind != DK_BOX_INLINE) continue;
        double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
        /* a run of only a trailing space is dropped from the paragraph after the box counted it */
        int end = DK_MIN(k->first_run + k->nruns_own, para->para.nruns);
        for (int i = k->first_run; i < end; i++) {
            dk_rect r = tl->run_rect[i];
            if (r.w <= 0 && r.h <= 0) continue;
            x0 = DK_MIN(x0, r.x);
            y0 = DK_MIN(y0, r.y);
            x1 = DK_MAX(x1, r.x + r.w);
            y1 = DK_MAX(y1, r.y + r.h);
        }
        edges(k, 0);
        if (x0 <= x1) {
            /* the runs cover the content area; the border box adds padding and borders
               (text/ does not advance the pen by them, so the lines do not move) */
            k->x = cx + x0 - k->padding[3] - k->border[3];
            k->y = cy + y0 - k->padding[0] - k->border[0];
            k->w = x1 - x0 + hframe(k);
            k->h = y1 - y0 + vframe(k);
        } else {
            k->x = cx;
            k->y = cy;
        }
        place_inlines(para, k, cx, cy);
    }
}

/*
 * Size the atomic inlines under `parent` (through nested inline elements)
 * and write their margin boxes into the paragraph's runs. `width` is
 * MEASURE_MIN or MEASURE_MAX for intrinsic measurement only.
 */
static void size_atomics(L *l, dk_box *para, dk_box *parent, double width) {
    for (dk_box *k = parent->first; k; k = k->next) {
        if (k->kind == DK_BOX_INLINE) {
            size_atomics(l, para, k, width);
            continue;
        }
        if (!k->atomic_inline) continue;
        if (k->kind == DK_BOX_IMAGE) {
            layout_image(l, k, 0, 0, width, -1);
            if (width == MEASURE_MIN && compressible(k->style)) k->w = hframe(k);
        } else {
            double w = fit_content(l, k, width < 0 ? 0 : width);
            edges(k, width);
            layout_box(l, k, 0, 0, width, -1, w - k->margin[1] - k->margin[3] - hframe(k));
        }
        dk_run *r = &para->para.runs[k->first_run];
        r->box_w = k->w + k->margin[1] + k->margin[3];
        r->box_h = k->h + k->margin[0] + k->margin[2];
        /* images sit on the baseline with their bottom margin edge, form controls with their
           bottom border edge (as Chromium does); blocks on their last line */
        r->box_baseline = k->checkbox ? r->box_h - k->margin[2] : r->box_h;
        if (k->kind != DK_BOX_IMAGE) {
            const dk_box *p = k->last;
            while (p && p->kind != DK_BOX_PARA) p = p->last;
            if (p && p->text && p->text->nlines)
                r->box_baseline = p->y - k->y + k->margin[0] +
                                  p->text->lines[p->text->nlines - 1].baseline;
        }
    }
}

static void layout_para(L *l, dk_box *b, double x, double y, double width) {
    size_atomics(l, b, b, width);
    dk_textlayout *tl = NULL;
    if (l->text->layout(l->text, l->a, &b->para, width, &tl) != DK_OK) {
        l->st = DK_ENOMEM;
        return;
    }
    b->text = tl;
    b->x = x;
    b->y = y;
    b->w = width;
    b->h = tl->h;
    count_lines(b);
    place_inlines(b, b, x, y);
}

/* ---- block flow ------------------------------------------------------------------ */

static int collapses_top(const dk_box *b) {
    return !bfc_root(b) && b->border[0] == 0 && b->padding[0] == 0;
}

/*
 * The margin that collapses at the top of `b` (its own and, through it, its
 * first child's), for placing it. cbw resolves percentages.
 */
static margin top_margin(dk_box *b, double cbw) {
    edges(b, cbw);
    margin m = mcombine((margin){0, 0}, b->margin[0]);
    if (b->kind == DK_BOX_BLOCK && collapses_top(b)) {
        dk_box *k = b->first;
        if (k && k->kind != DK_BOX_PARA) {
            double inner = cbw - b->margin[1] - b->margin[3] - hframe(b);
            m = mjoin(m, top_margin(k, inner));
            edges(b, cbw);
        }
    }
    return m;
}

/*
 * Lay out the in-flow children of block container `b` from content top
 * (cx, cy) in width cw. Returns the content height; *escape gets the
 * margin that leaves through b's bottom (when b lets it).
 */
static double flow(L *l, dk_box *b, double cx, double cy, double cw, double ch, margin *escape) {
    double y = cy;
    margin pending = {0, 0};
    int first = 1;
    int top_through = b->kind == DK_BOX_BLOCK && collapses_top(b);
    for (dk_box *k = b->first; k; k = k->next) {
        if (oof(k)) {
            /* the static position: where its margin box would start in flow (§10.3.7) */
            static_position(k, cx, (first && top_through) ? y : y + mval(pending));
            continue;
        }
        if (k->kind == DK_BOX_PARA) {
            y += mval(pending);
            pending = (margin){0, 0};
            layout_para(l, k, cx, y, cw);
            y += k->h;
            first = 0;
            continue;
        }
        margin mt = top_margin(k, cw);
        pending = mjoin(pending, mt);
        double pos = (first && top_through) ? y : y + mval(pending);
        layout_box(l, k, cx, pos, cw, ch, -1);
        /* k's bottom margin already holds what escaped through it (layout_box) */
        margin kb = mcombine((margin){0, 0}, k->margin[2]);
        /* an empty box lets its margins collapse through it */
        int empty = k->h == 0 && k->kind == DK_BOX_BLOCK && !k->first;
        if (empty) {
            pending = mjoin(pending, kb);
            continue;
        }
        y = pos + k->h;
        pending = kb;
        first = 0;
    }
    int bottom_through = b->kind == DK_BOX_BLOCK && !bfc_root(b) && b->border[2] == 0 &&
                         b->padding[2] == 0 && is_auto(b->style->height);
    if (bottom_through && escape) {
        *escape = pending;
    } else {
        y += mval(pending);
        if (escape) *escape = (margin){0, 0};
    }
    return y - cy;
}

/* ---- grid -------------------------------------------------------------------------- */

typedef struct {
    dk_box *box;
    int col, span, row, rspan;
    double mn, mx; /* intrinsic contributions */
} gitem;

static double track_fixed(dk_len t, double avail, int *fixed) {
    *fixed = t.unit == DK_LEN_PX || (t.unit == DK_LEN_PCT && avail >= 0);
    return *fixed ? len(t, avail) : 0;
}

/*
 * Size grid columns (CSS Grid §11.4-11.7, single-span items, no baseline
 * alignment). `avail` is the grid's content width. Writes n sizes.
 * Exposed for unit tests.
 */
void dk_grid_size_tracks(const dk_track *tracks, int n, const double *item_min,
                         const double *item_max, double gap, double avail, double *size) {
    double base[DK_MAX_TRACKS], limit[DK_MAX_TRACKS], flex[DK_MAX_TRACKS];
    double used = gap * (n - 1);
    for (int i = 0; i < n; i++) {
        const dk_track *t = &tracks[i];
        int fixed;
        flex[i] = t->max.unit == DK_LEN_FR ? t->max.v : 0;
        /* min sizing function */
        double b = track_fixed(t->min, avail, &fixed);
        if (!fixed) b = t->min.unit == DK_LEN_MAX_CONTENT ? item_max[i] : item_min[i];
        /* max sizing function */
        double lim = track_fixed(t->max, avail, &fixed);
        if (!fixed) lim = t->max.unit == DK_LEN_MIN_CONTENT ? item_min[i] : item_max[i];
        if (flex[i] > 0) lim = b;
        base[i] = b;
        limit[i] = DK_MAX(lim, b);
    }
    /* maximize tracks: share free space up to the growth limits */
    double sum = used;
    for (int i = 0; i < n; i++) sum += base[i];
    double free_space = avail - sum;
    for (int iter = 0; iter < n && free_space > 0.001; iter++) {
        int growing = 0;
        for (int i = 0; i < n; i++) growing += flex[i] == 0 && base[i] < limit[i];
        if (!growing) break;
        double share = free_space / growing;
        for (int i = 0; i < n; i++) {
            if (flex[i] > 0 || base[i] >= limit[i]) continue;
            double g = DK_MIN(share, limit[i] - base[i]);
            base[i] += g;
            free_space -= g;
        }
    }
    /* flexible tracks: find the size of 1fr (§11.7.1), freezing tracks whose base is larger */
    double nonflex = used, flexsum = 0;
    int frozen[DK_MAX_TRACKS] = {0};
    for (int i = 0; i < n; i++) {
        if (flex[i] > 0) flexsum += flex[i];
        else nonflex += base[i];
    }
    if (flexsum > 0) {
        double fr = 0;
        for (int iter = 0; iter <= n; iter++) {
            double left = avail - nonflex, fs = 0;
            for (int i = 0; i < n; i++)
                if (flex[i] > 0 && frozen[i]) left -= base[i];
                else if (flex[i] > 0) fs += flex[i];
            fr = fs > 0 ? left / DK_MAX(fs, 1.0) : 0;
            if (fs > 0 && fs < 1) fr = left; /* a sum under 1 takes only its share */
            int again = 0;
            for (int i = 0; i < n; i++)
                if (flex[i] > 0 && !frozen[i] && flex[i] * fr < base[i]) frozen[i] = again = 1;
            if (!again) break;
        }
        for (int i = 0; i < n; i++)
            if (flex[i] > 0 && !frozen[i]) base[i] = DK_MAX(base[i], flex[i] * fr);
    } else {
        /* stretch auto tracks into what is left (justify-content: normal) */
        sum = used;
        int nauto = 0;
        for (int i = 0; i < n; i++) {
            sum += base[i];
            nauto += tracks[i].max.unit == DK_LEN_AUTO;
        }
        if (avail - sum > 0 && nauto)
            for (int i = 0; i < n; i++)
                if (tracks[i].max.unit == DK_LEN_AUTO) base[i] += (avail - sum) / nauto;
    }
    for (int i = 0; i < n; i++) size[i] = base[i];
}

static int align_of(int self, int parent_items) { return self != DK_AL_AUTO && self != DK_AL_NORMAL ? self : parent_items; }

static void layout_grid(L *l, dk_box *b, double cx, double cy, double cw, double ch) {
    const dk_style *s = b->style;
    int nc = s->ngrid_cols > 0 ? s->ngrid_cols : 1;
    if (nc > DK_MAX_TRACKS) nc = DK_MAX_TRACKS;
    dk_track cols[DK_MAX_TRACKS];
    for (int i = 0; i < nc; i++)
        cols[i] = s->ngrid_cols > 0 ? s->grid_cols[i]
                                    : (dk_track){{0, DK_LEN_AUTO}, {0, DK_LEN_AUTO}};
    int n = 0;
    static_children(b, cx, cy);
    for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next)) n++;
    gitem *items = dk_arena_alloc(l->a, sizeof(gitem) * (size_t)(n ? n : 1));
    if (!items) {
        l->st = DK_ENOMEM;
        return;
    }
    /* auto placement, row by row (§8.5, "sparse") */
    int row = 0, col = 0, i = 0, nrows = 0;
    for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next), i++) {
        const dk_style *ks = k->style;
        int span = ks->grid_col_span > 0 ? DK_MIN(ks->grid_col_span, nc) : 1;
        if (ks->grid_col_start > 0) {
            int want = DK_MIN(ks->grid_col_start - 1, nc - span);
            if (want < col) row++;
            col = want;
        } else if (col + span > nc) {
            row++;
            col = 0;
        }
        items[i] = (gitem){k, col, span, row, 1, 0, 0};
        col += span;
        if (col >= nc) {
            col = 0;
            row++;
        }
        nrows = DK_MAX(nrows, items[i].row + 1);
    }
    double mn[DK_MAX_TRACKS] = {0}, mx[DK_MAX_TRACKS] = {0}, size[DK_MAX_TRACKS];
    int intrinsic_cols = 0;
    for (int c = 0; c < nc; c++)
        intrinsic_cols |= !(cols[c].min.unit == DK_LEN_PX || cols[c].min.unit == DK_LEN_PCT) ||
                          !(cols[c].max.unit == DK_LEN_PX || cols[c].max.unit == DK_LEN_PCT);
    for (i = 0; i < n && intrinsic_cols; i++) {
        if (items[i].span != 1) continue;
        intrinsic(l, items[i].box, &items[i].mn, &items[i].mx);
        mn[items[i].col] = DK_MAX(mn[items[i].col], items[i].mn);
        mx[items[i].col] = DK_MAX(mx[items[i].col], items[i].mx);
    }
    dk_grid_size_tracks(cols, nc, mn, mx, s->column_gap, cw, size);
    double colx[DK_MAX_TRACKS + 1];
    colx[0] = 0;
    for (int c = 0; c < nc; c++) colx[c + 1] = colx[c] + size[c] + s->column_gap;

    /* lay items out in their areas' widths, measure rows */
    double *rowh = dk_arena_alloc(l->a, sizeof(double) * (size_t)(nrows + 1));
    if (!rowh) {
        l->st = DK_ENOMEM;
        return;
    }
    for (i = 0; i < n; i++) {
        gitem *g = &items[i];
        dk_box *k = g->box;
        double aw = colx[g->col + g->span] - colx[g->col] - s->column_gap;
        int js = align_of(k->style->justify_self, s->justify_items);
        if (k->kind == DK_BOX_IMAGE) {
            layout_image(l, k, 0, 0, aw, -1);
        } else {
            edges(k, aw);
            double w = -1;
            if (is_auto(k->style->width) && js != DK_AL_NORMAL && js != DK_AL_STRETCH)
                w = fit_content(l, k, aw) - k->margin[1] - k->margin[3] - hframe(k);
            layout_box(l, k, 0, 0, aw, -1, w);
        }
        double mh = k->h + k->margin[0] + k->margin[2];
        if (g->row < nrows) rowh[g->row] = DK_MAX(rowh[g->row], mh);
    }
    for (int r = 0; r < nrows && r < s->ngrid_rows; r++) {
        int fixed;
        double v = track_fixed(s->grid_rows[r].max, ch, &fixed);
        if (fixed) rowh[r] = v;
    }
    /* place */
    double y = 0;
    double *rowy = dk_arena_alloc(l->a, sizeof(double) * (size_t)(nrows + 1));
    if (!rowy) {
        l->st = DK_ENOMEM;
        return;
    }
    for (int r = 0; r < nrows; r++) {
        rowy[r] = y;
        y += rowh[r] + (r + 1 < nrows ? s->row_gap : 0);
    }
    for (i = 0; i < n; i++) {
        gitem *g = &items[i];
        dk_box *k = g->box;
        double ax = colx[g->col], aw = colx[g->col + g->span] - colx[g->col] - s->column_gap;
        double ay = rowy[g->row], ah = rowh[g->row];
        int as = align_of(k->style->align_self, s->align_items);
        int js = align_of(k->style->justify_self, s->justify_items);
        int replaced = k->kind == DK_BOX_IMAGE;
        if ((as == DK_AL_NORMAL && !replaced) || as == DK_AL_STRETCH) {
            if (is_auto(k->style->height) && !replaced)
                k->h = DK_MAX(k->h, ah - k->margin[0] - k->margin[2]);
            as = DK_AL_START;
        }
        double mw = k->w + k->margin[1] + k->margin[3], mh = k->h + k->margin[0] + k->margin[2];
        double dx = 0, dy = 0;
        if (as == DK_AL_CENTER) dy = (ah - mh) / 2;
        else if (as == DK_AL_END) dy = ah - mh;
        if (js == DK_AL_CENTER) dx = (aw - mw) / 2;
        else if (js == DK_AL_END) dx = aw - mw;
        translate(k, cx + ax + dx + k->margin[3] - k->x, cy + ay + dy + k->margin[0] - k->y);
    }
    b->h = y; /* content height, the caller adds the frame */
}

/* ---- flex ---------------------------------------------------------------------------- */

/*
 * Flexbox (CSS Flexbox 1 §9) for what slides use: row and column
 * directions (and their reverses), wrapping into lines, gaps, flex-basis /
 * grow / shrink with the automatic minimum size (§4.5: an item does not
 * shrink below its min-content width, or in a column below its content
 * height, unless it clips its overflow or sets a minimum), auto margins
 * (they take free space before justify-content, and centre an item on the
 * cross axis), justify-content, align-items / align-self and stretched
 * lines (align-content: normal). Baseline alignment is treated as start;
 * images are not stretched on the cross axis.
 */

typedef struct {
    dk_box *box;
    double base;   /* hypothetical main size of the border box */
    double target; /* flexed main size of the border box */
    double floor_, ceil_;
    double mmain;  /* main-axis margins */
    int frozen;
} fitem;

static int cross_auto_margins(const dk_box *k, int column, int *before, int *after) {
    *before = is_auto(k->style->margin[column ? DK_LEFT : DK_TOP]);
    *after = is_auto(k->style->margin[column ? DK_RIGHT : DK_BOTTOM]);
    return *before || *after;
}

/* Grow or shrink the items [a, e) to fill `avail` (§9.7, with freezing). */
static void flex_resolve(fitem *it, int a, int e, double avail, double gap) {
    double sum = gap * (e - a - 1);
    for (int i = a; i < e; i++) sum += it[i].base + it[i].mmain;
    int grow = avail - sum > 0;
    for (int i = a; i < e; i++) {
        it[i].target = it[i].base;
        const dk_style *s = it[i].box->style;
        double f = grow ? s->flex_grow : s->flex_shrink;
        it[i].frozen = f <= 0 || (grow && it[i].base > it[i].ceil_) || (!grow && it[i].base < it[i].floor_) ||
                       it[i].box->kind == DK_BOX_IMAGE;
    }
    for (int iter = 0; iter <= e - a; iter++) {
        double used = gap * (e - a - 1), factors = 0;
        for (int i = a; i < e; i++) {
            const dk_style *s = it[i].box->style;
            used += (it[i].frozen ? it[i].target : it[i].base) + it[i].mmain;
            if (!it[i].frozen) factors += grow ? s->flex_grow : s->flex_shrink * it[i].base;
        }
        double free_space = avail - used;
        if (factors <= 0) break;
        /* fewer than 1 in total grows only by that fraction (§9.7 step 4b) */
        if (grow && factors < 1) free_space *= factors;
        double violation = 0;
        for (int i = a; i < e; i++) {
            if (it[i].frozen) continue;
            const dk_style *s = it[i].box->style;
            double share = grow ? s->flex_grow / factors : s->flex_shrink * it[i].base / factors;
            double t = it[i].base + free_space * share;
            double c = DK_MIN(DK_MAX(t, it[i].floor_), it[i].ceil_);
            violation += c - t;
            it[i].target = c;
        }
        int again = 0;
        for (int i = a; i < e; i++) {
            if (it[i].frozen) continue;
            double t = it[i].target;
            if (violation == 0 || (violation > 0 && t <= it[i].floor_) || (violation < 0 && t >= it[i].ceil_))
                it[i].frozen = 1;
            else
                again = 1;
        }
        if (!again || violation == 0) break;
    }
}

static void layout_flex(L *l, dk_box *b, double cx, double cy, double cw, double ch) {
    const dk_style *s = b->style;
    int column = s->flex_direction_column, reverse = s->flex_direction_reverse;
    double gap = column ? s->row_gap : s->column_gap, cgap = column ? s->column_gap : s->row_gap;
    double main_avail = column ? ch : cw;
    int n = 0;
    static_children(b, cx, cy);
    for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next)) n++;
    fitem *it = dk_arena_alloc(l->a, sizeof(fitem) * (size_t)(n + 1));
    int *line_end = dk_arena_alloc(l->a, sizeof(int) * (size_t)(n + 1));
    double *line_cross = dk_arena_alloc(l->a, sizeof(double) * (size_t)(n + 1));
    if (!it || !line_end || !line_cross) {
        l->st = DK_ENOMEM;
        return;
    }
    /* hypothetical main sizes (border boxes) */
    int i = 0;
    for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next), i++) {
        const dk_style *ks = k->style;
        fitem *f = &it[i];
        f->box = k;
        edges(k, cw);
        int before, after, cam = cross_auto_margins(k, column, &before, &after);
        int as = align_of(ks->align_self, s->align_items);
        int stretch = !cam && (as == DK_AL_NORMAL || as == DK_AL_STRETCH);
        if (column) {
            double w = -1;
            if (is_auto(ks->width) && !stretch)
                w = fit_content(l, k, cw) - k->margin[1] - k->margin[3] - hframe(k);
            if (k->kind == DK_BOX_IMAGE) layout_image(l, k, 0, 0, cw, ch);
            else layout_box(l, k, 0, 0, cw, -1, w);
            double content_h = k->h;
            f->mmain = k->margin[0] + k->margin[2];
            f->base = k->h;
            if (ks->flex_basis.unit == DK_LEN_PX || (ks->flex_basis.unit == DK_LEN_PCT && ch >= 0))
                f->base = len(ks->flex_basis, ch) + (ks->box_sizing ? 0 : vframe(k));
            int auto_min = is_auto(ks->min_height) && !ks->overflow_hidden && k->kind != DK_BOX_IMAGE;
            f->floor_ = auto_min ? DK_MIN(content_h, definite(ks->height, ch) ? k->h : content_h)
                                 : clamp_size(0, ks->min_height, ks->max_height, ch, vframe(k), ks->box_sizing) + vframe(k);
            f->ceil_ = ks->max_height.unit != DK_LEN_NONE && definite(ks->max_height, ch)
                           ? len(ks->max_height, ch) - (ks->box_sizing ? vframe(k) : 0) + vframe(k)
                           : INFINITY;
        } else {
            double w, mn = 0, mx = 0;
            f->mmain = k->margin[1] + k->margin[3];
            if (k->kind == DK_BOX_IMAGE) {
                layout_image(l, k, 0, 0, cw, ch);
                w = mn = k->w;
            } else {
                intrinsic(l, k, &mn, &mx);
                edges(k, cw);
                mn -= f->mmain;
                mx -= f->mmain;
                if (ks->flex_basis.unit == DK_LEN_PX || (ks->flex_basis.unit == DK_LEN_PCT && cw >= 0))
                    w = len(ks->flex_basis, cw) + (ks->box_sizing ? 0 : hframe(k));
                else if (definite(ks->width, cw))
                    w = len(ks->width, cw) + (ks->box_sizing ? 0 : hframe(k));
                else
                    w = mx;
            }
            double specified = definite(ks->width, cw) ? len(ks->width, cw) + (ks->box_sizing ? 0 : hframe(k)) : INFINITY;
            int auto_min = is_auto(ks->min_width) && !ks->overflow_hidden;
            f->floor_ = auto_min ? DK_MIN(mn, specified)
                                 : clamp_size(0, ks->min_width, ks->max_width, cw, hframe(k), ks->box_sizing) + hframe(k);
            f->ceil_ = ks->max_width.unit != DK_LEN_NONE && definite(ks->max_width, cw)
                           ? len(ks->max_width, cw) - (ks->box_sizing ? hframe(k) : 0) + hframe(k)
                           : INFINITY;
            f->base = w;
        }
    }
    /* lines */
    int nlines = 0;
    for (i = 0; i < n;) {
        int e = i + 1;
        double sum = it[i].base + it[i].mmain;
        if (s->flex_wrap && main_avail >= 0)
            while (e < n && sum + gap + it[e].base + it[e].mmain <= main_avail + 0.01)
                sum += gap + it[e].base + it[e].mmain, e++;
        else
            e = n;
        line_end[nlines++] = e;
        i = e;
    }
    /* flex each line; lay items out at their main sizes; line cross sizes */
    double avail = main_avail >= 0 ? main_avail : INFINITY;
    int a = 0;
    for (int ln = 0; ln < nlines; ln++) {
        int e = line_end[ln];
        if (avail < INFINITY) {
            flex_resolve(it, a, e, avail, gap);
        } else {
            for (i = a; i < e; i++) it[i].target = it[i].base;
        }
        double cross = 0;
        for (i = a; i < e; i++) {
            dk_box *k = it[i].box;
            if (column) {
                k->h = DK_MAX(it[i].target, 0);
                cross = DK_MAX(cross, k->w + k->margin[1] + k->margin[3]);
            } else {
                if (k->kind != DK_BOX_IMAGE)
                    layout_box(l, k, 0, 0, cw, ch, DK_MAX(it[i].target - hframe(k), 0));
                else
                    k->w = it[i].target;
                cross = DK_MAX(cross, k->h + k->margin[0] + k->margin[2]);
            }
        }
        line_cross[ln] = cross;
        a = e;
    }
    /* a single line fills a definite cross size; extra cross space stretches the lines */
    double cross_avail = column ? cw : (ch >= 0 && !is_auto(s->height) ? ch : -1);
    if (nlines == 1 && cross_avail >= 0) {
        line_cross[0] = cross_avail;
    } else if (cross_avail >= 0) {
        double used = cgap * (nlines - 1);
        for (int ln = 0; ln < nlines; ln++) used += line_cross[ln];
        if (cross_avail > used)
            for (int ln = 0; ln < nlines; ln++) line_cross[ln] += (cross_avail - used) / nlines;
    }
    /* place */
    double cpos = 0, main_used = 0;
    a = 0;
    for (int ln = 0; ln < nlines; ln++) {
        int e = line_end[ln], nauto = 0;
        double used = gap * (e - a - 1);
        for (i = a; i < e; i++) {
            dk_box *k = it[i].box;
            used += (column ? k->h : k->w) + it[i].mmain;
            nauto += is_auto(k->style->margin[column ? DK_TOP : DK_LEFT]) +
                     is_auto(k->style->margin[column ? DK_BOTTOM : DK_RIGHT]);
        }
        double free_space = main_avail >= 0 ? main_avail - used : 0;
        double lead = 0, between = gap, per_auto = 0;
        if (free_space > 0 && nauto) {
            per_auto = free_space / nauto;
        } else if (free_space > 0) {
            int cnt = e - a;
            switch (s->justify_content) {
            case DK_AL_CENTER: lead = free_space / 2; break;
            case DK_AL_END: lead = free_space; break;
            case DK_AL_SPACE_BETWEEN: if (cnt > 1) between += free_space / (cnt - 1); break;
            case DK_AL_SPACE_AROUND: lead = free_space / cnt / 2; between += free_space / cnt; break;
            case DK_AL_SPACE_EVENLY: lead = free_space / (cnt + 1); between += free_space / (cnt + 1); break;
            default: break;
            }
        } else if (free_space < 0 && (s->justify_content == DK_AL_CENTER)) {
            lead = free_space / 2; /* overflow spreads both ways when centred */
        }
        if (reverse && !nauto && free_space > 0 &&
            (s->justify_content == DK_AL_NORMAL || s->justify_content == DK_AL_START))
            lead = free_space; /* flex-start is the end of a reversed line */
        double pos = lead;
        for (i = a; i < e; i++) {
            dk_box *k = it[i].box;
            const dk_style *ks = k->style;
            if (is_auto(ks->margin[column ? DK_TOP : DK_LEFT])) pos += per_auto;
            int before, after, cam = cross_auto_margins(k, column, &before, &after);
            int as = align_of(ks->align_self, s->align_items);
            double lc = line_cross[ln];
            double csize = column ? k->w + k->margin[1] + k->margin[3] : k->h + k->margin[0] + k->margin[2];
            double off = 0;
            if (cam) {
                double room = lc - csize;
                if (room > 0) off = before && after ? room / 2 : before ? room : 0;
            } else if (as == DK_AL_NORMAL || as == DK_AL_STRETCH) {
                if (!column && is_auto(ks->height) && k->kind != DK_BOX_IMAGE)
                    k->h = DK_MAX(k->h, lc - k->margin[0] - k->margin[2]);
            } else if (as == DK_AL_CENTER) {
                off = (lc - csize) / 2;
            } else if (as == DK_AL_END) {
                off = lc - csize;
            }
            double msize = column ? k->h + k->margin[0] + k->margin[2] : k->w + k->margin[1] + k->margin[3];
            double mpos = reverse && main_avail >= 0 ? main_avail - pos - msize : pos;
            double tx = column ? cpos + off : mpos, ty = column ? mpos : cpos + off;
            translate(k, cx + tx + k->margin[3] - k->x, cy + ty + k->margin[0] - k->y);
            pos += msize + between;
            if (is_auto(ks->margin[column ? DK_BOTTOM : DK_RIGHT])) pos += per_auto;
        }
        main_used = DK_MAX(main_used, used);
        cpos += line_cross[ln] + cgap;
        a = e;
    }
    /* content height; a definite height wins in layout_box */
    b->h = column ? main_used : (nlines ? cpos - cgap : 0);
}

/* ---- tables ---------------------------------------------------------------------------- */

/*
 * Tables (CSS 2.1 §17, auto table layout as browsers do it). The grid is
 * read from the box tree once: rows in document order (inside row groups
 * or directly in the table), cells with their column spans. Column widths
 * come from the cells' min- and max-content widths (spanning cells spread
 * what they need beyond their columns evenly); the table is as wide as its
 * columns' max-content, or as its container when that is narrower (the
 * columns then sit between min and max in proportion to max - min) or when
 * the table is wider (a given width, or stretched as a flex item): the
 * extra goes to the columns in proportion to their max-content.
 * Rows are as tall as their tallest cell; cells stretch to the row and
 * move their content for vertical-align middle / bottom.
 *
 * Collapsing borders (§17.6.2): every grid line gets the widest border of
 * the table, rows, row groups and cells along it; a cell's used border is
 * half of each of its lines, the table's half of its outer lines, as
 * Chromium reports them. Not supported: rowspan (cells span one row),
 * captions (laid out as blocks above the rows), fixed table layout,
 * column elements, border conflict rules beyond "widest wins".
 */

typedef struct {
    dk_box *cell;
    int row, col, span;
} tcell;

typedef struct dk_tgrid {
    int nrows, ncols, ncells;
    dk_box **rows;
    tcell *cells;
} tgrid;

static int is_row_group(const dk_style *s) {
    return s->display == DK_DISPLAY_TABLE_ROW_GROUP || s->display == DK_DISPLAY_TABLE_HEADER_GROUP ||
           s->display == DK_DISPLAY_TABLE_FOOTER_GROUP;
}

/* The rows and cells of table `t`, built once (NULL on OOM). */
static tgrid *table_grid(L *l, dk_box *t) {
    if (t->tgrid) return t->tgrid;
    tgrid *g = dk_arena_alloc(l->a, sizeof *g);
    int nrows = 0, ncells = 0;
    for (dk_box *k = in_flow(t->first); k; k = in_flow(k->next)) {
        if (is_row_group(k->style)) {
            for (dk_box *r = in_flow(k->first); r; r = in_flow(r->next), nrows++)
                for (dk_box *c = in_flow(r->first); c; c = in_flow(c->next)) ncells++;
        } else if (k->style->display == DK_DISPLAY_TABLE_ROW) {
            nrows++;
            for (dk_box *c = k->first; c; c = c->next) ncells++;
        }
    }
    if (g) {
        g->rows = dk_arena_alloc(l->a, sizeof(dk_box *) * (size_t)(nrows + 1));
        g->cells = dk_arena_alloc(l->a, sizeof(tcell) * (size_t)(ncells + 1));
    }
    if (!g || !g->rows || !g->cells) {
        l->st = DK_ENOMEM;
        return NULL;
    }
    for (dk_box *k = in_flow(t->first); k; k = in_flow(k->next)) {
        dk_box *r = is_row_group(k->style) ? in_flow(k->first) : k->style->display == DK_DISPLAY_TABLE_ROW ? k : NULL;
        for (; r; r = r == k ? NULL : in_flow(r->next)) {
            int col = 0;
            for (dk_box *c = in_flow(r->first); c; c = in_flow(c->next)) {
                int span = c->colspan > 1 ? DK_MIN(c->colspan, 1000) : 1;
                g->cells[g->ncells++] = (tcell){c, g->nrows, col, span};
                col += span;
            }
            g->ncols = DK_MAX(g->ncols, col);
            g->rows[g->nrows++] = r;
        }
    }
    t->tgrid = g;
    return g;
}

typedef struct {
    double w;
    dk_rgba c;
    unsigned char st;
} cedge;

/* One border onto a grid line: the wider wins (ties: the earlier, as tables, rows, cells go). */
static void cmerge(cedge *e, const dk_style *s, int side) {
    if (s->border_style[side] == DK_BORDER_NONE) return;
    double w = s->border_width[side];
    if (w > e->w) *e = (cedge){w, s->border_color[side], s->border_style[side]};
}

/* Resolve collapsed borders into cborder/ccolor/cstyle of the table and its cells. */
static void table_collapse(L *l, dk_box *t, tgrid *g) {
    int R = g->nrows, C = g->ncols > 0 ? g->ncols : 1;
    /* h[r*C + c]: line above row r at column c; v[r*(C+1) + c]: line left of column c */
    cedge *h = dk_arena_alloc(l->a, sizeof(cedge) * (size_t)((R + 1) * C));
    cedge *v = dk_arena_alloc(l->a, sizeof(cedge) * (size_t)(R * (C + 1) + 1));
    if (!h || !v) {
        l->st = DK_ENOMEM;
        return;
    }
    memset(h, 0, sizeof(cedge) * (size_t)((R + 1) * C));
    memset(v, 0, sizeof(cedge) * (size_t)(R * (C + 1) + 1));
    for (int c = 0; c < C; c++) {
        cmerge(&h[c], t->style, DK_TOP);
        cmerge(&h[R * C + c], t->style, DK_BOTTOM);
    }
    for (int r = 0; r < R; r++) {
        cmerge(&v[r * (C + 1)], t->style, DK_LEFT);
        cmerge(&v[r * (C + 1) + C], t->style, DK_RIGHT);
        const dk_box *row = g->rows[r], *grp = row->parent != t ? row->parent : NULL;
        for (int c = 0; c < C; c++) {
            cmerge(&h[r * C + c], row->style, DK_TOP);
            cmerge(&h[(r + 1) * C + c], row->style, DK_BOTTOM);
            if (grp && row == grp->first) cmerge(&h[r * C + c], grp->style, DK_TOP);
            if (grp && row == grp->last) cmerge(&h[(r + 1) * C + c], grp->style, DK_BOTTOM);
        }
    }
    for (int i = 0; i < g->ncells; i++) {
        const tcell *x = &g->cells[i];
        const dk_style *s = x->cell->style;
        for (int c = x->col; c < x->col + x->span && c < C; c++) {
            cmerge(&h[x->row * C + c], s, DK_TOP);
            cmerge(&h[(x->row + 1) * C + c], s, DK_BOTTOM);
        }
        cmerge(&v[x->row * (C + 1) + x->col], s, DK_LEFT);
        cmerge(&v[x->row * (C + 1) + DK_MIN(x->col + x->span, C)], s, DK_RIGHT);
    }
    for (int i = 0; i < g->ncells; i++) {
        const tcell *x = &g->cells[i];
        dk_box *b = x->cell;
        cedge e[4] = {h[x->row * C + x->col], v[x->row * (C + 1) + DK_MIN(x->col + x->span, C)],
                      h[(x->row + 1) * C + x->col], v[x->row * (C + 1) + x->col]};
        for (int c = x->col + 1; c < x->col + x->span && c < C; c++) {
            if (h[x->row * C + c].w > e[0].w) e[0] = h[x->row * C + c];
            if (h[(x->row + 1) * C + c].w > e[2].w) e[2] = h[(x->row + 1) * C + c];
        }
        b->collapsed = 1;
        for (int k = 0; k < 4; k++) {
            b->cborder[k] = e[k].w;
            b->ccolor[k] = e[k].c;
            b->cstyle[k] = e[k].st;
        }
    }
    /* the table: half its outer lines, the widest along each side (Chromium takes the first
       row's and column's; they agree for the tables slides hold) */
    t->collapsed = 1;
    memset(t->cborder, 0, sizeof t->cborder);
    for (int c = 0; c < C; c++) {
        t->cborder[DK_TOP] = DK_MAX(t->cborder[DK_TOP], h[c].w);
        t->cborder[DK_BOTTOM] = DK_MAX(t->cborder[DK_BOTTOM], h[R * C + c].w);
    }
    for (int r = 0; r < R; r++) {
        t->cborder[DK_LEFT] = DK_MAX(t->cborder[DK_LEFT], v[r * (C + 1)].w);
        t->cborder[DK_RIGHT] = DK_MAX(t->cborder[DK_RIGHT], v[r * (C + 1) + C].w);
    }
    for (int k = 0; k < 4; k++) {
        t->ccolor[k] = t->style->border_color[k];
        t->cstyle[k] = t->style->border_style[k];
    }
}

/*
 * Column min- and max-content widths (border boxes of the cells) into
 * mn/mx (g->ncols each, from the arena); NULL grid on OOM.
 */
static tgrid *table_columns(L *l, dk_box *t, double **mn, double **mx) {
    tgrid *g = table_grid(l, t);
    if (!g) return NULL;
    if (t->style->border_collapse) table_collapse(l, t, g);
    int C = g->ncols > 0 ? g->ncols : 1;
    *mn = dk_arena_alloc(l->a, sizeof(double) * (size_t)C);
    *mx = dk_arena_alloc(l->a, sizeof(double) * (size_t)C);
    if (!*mn || !*mx) {
        l->st = DK_ENOMEM;
        return NULL;
    }
    memset(*mn, 0, sizeof(double) * (size_t)C);
    memset(*mx, 0, sizeof(double) * (size_t)C);
    double hsp = t->style->border_collapse ? 0 : t->style->border_spacing[0];
    /* single columns first, then spanning cells spread what they need beyond them */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < g->ncells; i++) {
            tcell *x = &g->cells[i];
            if ((x->span > 1) != pass || x->col >= C) continue;
            double a, b;
            intrinsic(l, x->cell, &a, &b);
            const dk_style *s = x->cell->style;
            if (s->width.unit == DK_LEN_PX) b = DK_MAX(a, b); /* a fixed width is its max */
            int end = DK_MIN(x->col + x->span, C);
            double have_mn = hsp * (end - x->col - 1), have_mx = have_mn;
            for (int c = x->col; c < end; c++) have_mn += (*mn)[c], have_mx += (*mx)[c];
            for (int c = x->col; c < end; c++) {
                if (a > have_mn) (*mn)[c] += (a - have_mn) / (end - x->col);
                if (b > have_mx) (*mx)[c] += (b - have_mx) / (end - x->col);
            }
        }
    for (int c = 0; c < C; c++) (*mx)[c] = DK_MAX((*mx)[c], (*mn)[c]);
    return g;
}

/* Min- and max-content width of a table's content box (columns plus spacing). */
static void table_intrinsic(L *l, dk_box *t, double *tmn, double *tmx) {
    double *mn, *mx;
    *tmn = *tmx = 0;
    tgrid *g = table_columns(l, t, &mn, &mx);
    if (!g) return;
    int C = g->ncols;
    double hsp = t->style->border_collapse ? 0 : t->style->border_spacing[0];
    for (int c = 0; c < C; c++) *tmn += mn[c], *tmx += mx[c];
    if (C) *tmn += hsp * (C + 1), *tmx += hsp * (C + 1);
}

/*
 * Lay out the rows and cells of table `t` in content width cw from content
 * top-left (cx, cy). Returns the content height.
 */
static double layout_table(L *l, dk_box *t, double cx, double cy, double cw) {
    double *mn, *mx;
    tgrid *g = table_columns(l, t, &mn, &mx);
    if (!g) return 0;
    const dk_style *s = t->style;
    int C = g->ncols;
    double hsp = s->border_collapse ? 0 : s->border_spacing[0];
    double vsp = s->border_collapse ? 0 : s->border_spacing[1];
    double *colw = dk_arena_alloc(l->a, sizeof(double) * (size_t)(C + 1));
    double *colx = dk_arena_alloc(l->a, sizeof(double) * (size_t)(C + 1));
    if (!colw || !colx) {
        l->st = DK_ENOMEM;
        return 0;
    }
    /* column widths for the columns' share of cw */
    double avail = cw - (C ? hsp * (C + 1) : 0), smn = 0, smx = 0;
    for (int c = 0; c < C; c++) smn += mn[c], smx += mx[c];
    for (int c = 0; c < C; c++) {
        if (avail >= smx) colw[c] = smx > 0 ? mx[c] + (avail - smx) * mx[c] / smx : avail / C;
        else if (avail > smn && smx > smn) colw[c] = mn[c] + (mx[c] - mn[c]) * (avail - smn) / (smx - smn);
        else colw[c] = mn[c];
    }
    colx[0] = hsp;
    for (int c = 0; c < C; c++) colx[c + 1] = colx[c] + colw[c] + hsp;
    /* captions and stray boxes go above the rows, as blocks */
    double y = 0;
    static_children(t, cx, cy);
    for (dk_box *k = in_flow(t->first); k; k = in_flow(k->next)) {
        if (is_row_group(k->style) || k->style->display == DK_DISPLAY_TABLE_ROW) continue;
        layout_box(l, k, cx, cy + y, cw, -1, -1);
        y += k->h + k->margin[0] + k->margin[2];
    }
    y += g->nrows ? vsp : 0;
    int i = 0;
    for (int r = 0; r < g->nrows; r++) {
        dk_box *row = g->rows[r];
        edges(row, cw);
        int first = i;
        double rowh = 0;
        if (row->style->height.unit == DK_LEN_PX) rowh = row->style->height.v;
        for (; i < g->ncells && g->cells[i].row == r; i++) {
            tcell *x = &g->cells[i];
            int end = DK_MIN(x->col + x->span, C);
            double w = colx[end] - colx[x->col] - hsp;
            edges(x->cell, w);
            layout_box(l, x->cell, cx + colx[x->col], cy + y, w, -1, DK_MAX(w - hframe(x->cell), 0));
            rowh = DK_MAX(rowh, x->cell->h);
        }
        for (int j = first; j < i; j++) {
            dk_box *c = g->cells[j].cell;
            int va = c->style->vertical_align;
            double f = va == DK_VALIGN_MIDDLE ? 0.5 : va == DK_VALIGN_BOTTOM ? 1 : 0;
            double dy = (rowh - c->h) * f;
            if (dy != 0)
                for (dk_box *k = c->first; k; k = k->next) translate(k, 0, dy);
            c->h = rowh;
        }
        row->x = cx + hsp;
        row->y = cy + y;
        row->w = DK_MAX(cw - 2 * hsp, 0);
        row->h = rowh;
        y += rowh + vsp;
    }
    /* row groups cover their rows */
    for (dk_box *k = in_flow(t->first); k; k = in_flow(k->next)) {
        if (!is_row_group(k->style)) continue;
        edges(k, cw);
        k->x = cx + hsp;
        k->w = DK_MAX(cw - 2 * hsp, 0);
        k->y = k->first ? k->first->y : cy + y;
        k->h = k->last ? k->last->y + k->last->h - k->y : 0;
    }
    return y;
}


/* ---- list markers ---------------------------------------------------------------- */

/* The paragraph holding the first line box inside block `b`, if it comes before other content. */
static const dk_box *first_line(const dk_box *b) {
    for (const dk_box *k = in_flow(b->first); k; k = in_flow(k->next)) {
        if (k->kind == DK_BOX_PARA) return k->text && k->text->nlines ? k : NULL;
        if (k->kind != DK_BOX_BLOCK || k->atomic_inline || table_part(k->style)) return NULL;
        const dk_box *p = first_line(k);
        if (p || k->h > 0) return p;
    }
    return NULL;
}

/*
 * Lay out the marker of list item `b` (CSS Lists §3, outside markers): the
 * marker text with its suffix space, in the item's font, ends where the
 * item's content box starts (begins where it ends, right to left), on the
 * baseline of the item's first line; with no line, at the content top.
 */
static void layout_marker(L *l, dk_box *b) {
    dk_style *ms = dk_arena_alloc(l->a, sizeof *ms);
    dk_run *run = dk_arena_alloc(l->a, sizeof *run);
    dk_para *p = dk_arena_alloc(l->a, sizeof *p);
    if (!ms || !run || !p) {
        l->st = DK_ENOMEM;
        return;
    }
    *ms = *b->style;
    ms->white_space = DK_WS_PRE; /* the suffix space counts */
    ms->text_align = DK_ALIGN_LEFT;
    ms->text_decoration = 0;
    ms->text_indent = 0;
    ms->letter_spacing = 0;
    ms->text_transform = DK_TT_NONE;
    size_t n = strlen(b->marker);
    *run = (dk_run){.start = 0, .end = n, .style = ms};
    *p = (dk_para){.text = b->marker, .len = n, .runs = run, .nruns = 1, .style = ms};
    dk_textlayout *tl = NULL;
    if (l->text->layout(l->text, l->a, p, -1, &tl) != DK_OK) {
        l->st = DK_ENOMEM;
        return;
    }
    if (!tl->nlines) return;
    const dk_box *fl = first_line(b);
    double base = fl ? fl->y + fl->text->lines[0].baseline : dk_box_cy(b) + tl->lines[0].baseline;
    double x = b->style->direction_rtl ? dk_box_cx(b) + dk_box_cw(b) : dk_box_cx(b) - tl->w;
    b->marker_text = tl;
    b->marker_box = (dk_rect){x, base - tl->lines[0].baseline, tl->w, tl->h};
}

/* ---- one box ---------------------------------------------------------------------------- */

/*
 * Lay out block-level box `b` with its border box at (x, y) in a containing
 * block of width cbw (height cbh, < 0 when indefinite). `width`: a content
 * width imposed by a grid, flex or shrink-to-fit parent, else < 0;
 * `height`: a content height imposed the same way (an absolutely
 * positioned box between two insets), else < 0.
 */
static void layout_box_h(L *l, dk_box *b, double x, double y, double cbw, double cbh, double width,
                         double height) {
    const dk_style *s = b->style;
    if (b->kind == DK_BOX_IMAGE) {
        layout_image(l, b, x, y, cbw, cbh);
        return;
    }
    double tmn = 0, tmx = 0;
    if (b->kind == DK_BOX_TABLE) table_intrinsic(l, b, &tmn, &tmx); /* sets collapsed borders */
    edges(b, cbw);
    double frame = hframe(b);
    double cw;
    if (width >= 0) {
        cw = width;
    } else if (definite(s->width, cbw)) {
        cw = len(s->width, cbw) - (s->box_sizing ? frame : 0);
    } else if (b->kind == DK_BOX_TABLE && !is_item(b)) {
        /* an auto-width table shrinks to its columns (CSS 2.1 §17.5.2.2) */
        cw = DK_MIN(tmx, cbw - b->margin[1] - b->margin[3] - frame);
    } else {
        cw = cbw - b->margin[1] - b->margin[3] - frame;
    }
    cw = clamp_size(cw, s->min_width, s->max_width, cbw, frame, s->box_sizing);
    if (b->kind == DK_BOX_TABLE) cw = DK_MAX(cw, tmn); /* a table is never narrower than its columns */
    /* auto margins centre a box narrower than its containing block (§10.3.3) */
    if (width < 0 && !is_item(b)) {
        double rest = cbw - cw - frame - b->margin[1] - b->margin[3];
        int la = is_auto(s->margin[3]), ra = is_auto(s->margin[1]);
        if (la && ra) b->margin[3] += rest / 2, b->margin[1] += rest / 2;
        else if (la) b->margin[3] += rest;
        else if (ra) b->margin[1] += rest;
    }
    b->x = x + (is_item(b) ? 0 : b->margin[3]);
    b->y = y;
    b->w = cw + frame;
    double ch = -1;
    if (height >= 0) ch = height;
    else if (definite(s->height, cbh)) ch = len(s->height, cbh) - (s->box_sizing ? vframe(b) : 0);
    if (ch >= 0) ch = clamp_size(ch, s->min_height, s->max_height, cbh, vframe(b), s->box_sizing);
    double cx = b->x + b->border[3] + b->padding[3], cy = y + b->border[0] + b->padding[0];
    double content;
    if (b->kind == DK_BOX_GRID) {
        layout_grid(l, b, cx, cy, cw, ch);
        content = b->h;
    } else if (b->kind == DK_BOX_FLEX) {
        layout_flex(l, b, cx, cy, cw, ch);
        content = b->h;
    } else if (b->kind == DK_BOX_TABLE) {
        content = layout_table(l, b, cx, cy, cw);
    } else {
        margin esc;
        content = flow(l, b, cx, cy, cw, ch, &esc);
        /* the escaping bottom margin joins ours */
        if (mval(esc) != 0) b->margin[2] = mval(mcombine(esc, b->margin[2]));
    }
    double hh = ch >= 0 ? ch : clamp_size(content, s->min_height, s->max_height, cbh, vframe(b), s->box_sizing);
    b->h = hh + vframe(b);
    if (b->marker) layout_marker(l, b);
    /* an out-of-flow box's overflow pushes nothing (and smaller text seldom cures a fixed
       height): the fit pass watches in-flow content and the slide's bottom edge */
    if (content > hh + 0.5 && !oof(b)) b->overflowed = 1;
}

static void layout_box(L *l, dk_box *b, double x, double y, double cbw, double cbh, double width) {
    layout_box_h(l, b, x, y, cbw, cbh, width, -1);
}

/* ---- positioning ------------------------------------------------------------------------- */

/*
 * Positioned boxes (CSS 2.1 §9.3, §10.3.7, §10.6.4), after the flow is
 * laid out. position_pass() walks the tree top down, so an ancestor has
 * its final place before its descendants are positioned against it:
 *
 *   - relative (and sticky, which never sticks on a slide: offset 0):
 *     the laid-out subtree moves by its insets; siblings do not notice.
 *   - absolute: the containing block is the padding box of the nearest
 *     positioned ancestor, else the initial containing block (the slide);
 *     fixed: always the slide. Widths and horizontal insets solve the
 *     §10.3.7 equation (shrink-to-fit when width and an inset are auto,
 *     the static position when both insets are auto); heights the §10.6.4
 *     one, with the content height when height is auto and an inset is.
 *     The box was parked at its static position by the flow
 *     (static_position()), which is where it stays on an axis whose insets
 *     are both auto.
 *
 * Not supported: the static position of a flex or grid container's
 * children honours no alignment (it is the content box's top left), an
 * inline containing block is its box's border box, right-to-left static
 * positions, and sticky offsets.
 */

static dk_rect padding_box(const dk_box *b) {
    return (dk_rect){b->x + b->border[3], b->y + b->border[0], b->w - b->border[1] - b->border[3],
                     b->h - b->border[0] - b->border[2]};
}

/* The containing block of out-of-flow box `k`: its nearest positioned ancestor's padding box. */
static dk_rect containing_block(const dk_box *k, dk_rect icb) {
    if (k->style->position == DK_POS_FIXED) return icb;
    for (const dk_box *a = k->parent; a; a = a->parent)
        if (a->kind != DK_BOX_PARA && a->style->position != DK_POS_STATIC)
            return a->kind == DK_BOX_INLINE ? (dk_rect){a->x, a->y, a->w, a->h} : padding_box(a);
    return icb;
}

/* Move relatively positioned `k` by its insets (percentages of its containing block). */
static void relative_offset(dk_box *k) {
    const dk_style *s = k->style;
    if (s->position != DK_POS_RELATIVE) return;
    const dk_box *p = k->parent;
    double cbw = -1, cbh = -1;
    if (p) {
        const dk_box *c = p;
        while (c && (c->kind == DK_BOX_INLINE || c->kind == DK_BOX_PARA)) c = c->parent;
        if (c) cbw = dk_box_cw(c), cbh = dk_box_ch(c);
    }
    const dk_len *in = s->inset;
    double dx = !is_auto(in[DK_LEFT]) ? len(in[DK_LEFT], cbw) : !is_auto(in[DK_RIGHT]) ? -len(in[DK_RIGHT], cbw) : 0;
    double dy = !is_auto(in[DK_TOP]) ? len(in[DK_TOP], cbh) : !is_auto(in[DK_BOTTOM]) ? -len(in[DK_BOTTOM], cbh) : 0;
    if (dx != 0 || dy != 0) translate(k, dx, dy);
}

/*
 * Lay out absolutely positioned `k` against containing block `cb`; its
 * static position is in k->x, k->y (margin box).
 */
static void layout_abs(L *l, dk_box *k, dk_rect cb) {
    const dk_style *s = k->style;
    const dk_len *in = s->inset;
    double sx = k->x - cb.x, sy = k->y - cb.y; /* static position within the containing block */
    int la = is_auto(in[DK_LEFT]), ra = is_auto(in[DK_RIGHT]);
    int ta = is_auto(in[DK_TOP]), ba = is_auto(in[DK_BOTTOM]);
    double il = la ? 0 : len(in[DK_LEFT], cb.w), ir = ra ? 0 : len(in[DK_RIGHT], cb.w);
    double it = ta ? 0 : len(in[DK_TOP], cb.h), ib = ba ? 0 : len(in[DK_BOTTOM], cb.h);
    if (la && ra) il = sx; /* both auto: the static position, right solves */
    if (ta && ba) it = sy;
    edges(k, cb.w);
    double fw = hframe(k), fh = vframe(k);
    double w, h = -1; /* content box */
    int wauto = 0, hauto = 0;
    if (k->kind == DK_BOX_IMAGE) {
        image_size(k, cb.w, cb.h, &w, &h); /* replaced: its used size, whatever the insets */
    } else if (definite(s->width, cb.w)) {
        w = clamp_size(len(s->width, cb.w) - (s->box_sizing ? fw : 0), s->min_width, s->max_width,
                       cb.w, fw, s->box_sizing);
    } else {
        wauto = 1;
        double room = cb.w - il - (ra ? 0 : ir);
        if (!la && !ra) w = room - k->margin[1] - k->margin[3] - fw; /* stretched between insets */
        else w = fit_content(l, k, DK_MAX(room, 0)) - k->margin[1] - k->margin[3] - fw;
        edges(k, cb.w); /* intrinsic() resolved percentages against 0 */
        w = clamp_size(w, s->min_width, s->max_width, cb.w, fw, s->box_sizing);
    }
    /* horizontal: auto margins share what the three given values leave (§10.3.7) */
    double ml = k->margin[3], mr = k->margin[1];
    if (!la && !ra && !wauto) {
        double rest = cb.w - il - ir - w - fw - ml - mr;
        int mla = is_auto(s->margin[DK_LEFT]), mra = is_auto(s->margin[DK_RIGHT]);
        if (mla && mra) {
            if (rest >= 0) ml += rest / 2, mr += rest / 2;
            else mr += rest;
        } else if (mla) {
            ml += rest;
        } else if (mra) {
            mr += rest;
        }
    }
    k->margin[3] = ml, k->margin[1] = mr;
    double x = !la || ra ? cb.x + il + ml : cb.x + cb.w - ir - mr - fw - w;
    /* vertical: a height between two insets, else the style's, else the content's */
    if (k->kind != DK_BOX_IMAGE) {
        if (definite(s->height, cb.h)) {
            h = -1; /* layout_box_h resolves it */
        } else if (!ta && !ba) {
            h = DK_MAX(cb.h - it - ib - k->margin[0] - k->margin[2] - fh, 0);
        } else {
            hauto = 1;
        }
        layout_box_h(l, k, 0, 0, cb.w, cb.h, DK_MAX(w, 0), hauto ? -1 : h);
        k->margin[3] = ml, k->margin[1] = mr; /* layout_box_h recomputed the edges */
        h = k->h - fh;
    } else {
        layout_image(l, k, 0, 0, cb.w, cb.h);
    }
    double mt = k->margin[0], mb = k->margin[2];
    if (!ta && !ba && !hauto && k->kind != DK_BOX_IMAGE && definite(s->height, cb.h)) {
        double rest = cb.h - it - ib - k->h - mt - mb;
        int mta = is_auto(s->margin[DK_TOP]), mba = is_auto(s->margin[DK_BOTTOM]);
        if (mta && mba) mt += rest / 2, mb += rest / 2;
        else if (mta) mt += rest;
        else if (mba) mb += rest;
    }
    k->margin[0] = mt, k->margin[2] = mb;
    double y = !ta || ba ? cb.y + it + mt : cb.y + cb.h - ib - mb - k->h;
    translate(k, x - k->x, y - k->y);
}

/* Position the boxes under `b` (see the note above); `icb` is the slide. */
static void position_pass(L *l, dk_box *b, dk_rect icb) {
    for (dk_box *k = b->first; k; k = k->next) {
        if (k->kind != DK_BOX_PARA) {
            if (oof(k)) layout_abs(l, k, containing_block(k, icb));
            else relative_offset(k);
        }
        position_pass(l, k, icb);
    }
}

dk_status dk_layout(dk_ctx *ctx, dk_arena *a, dk_text *text, const dk_viewport *vp, dk_box *root) {
    L l = {ctx, a, text, *vp, DK_OK};
    /* the root box (body) sits in the initial containing block; its own top margin and any
       that escapes through it are kept inside the viewport's html box */
    margin mt = top_margin(root, vp->width);
    layout_box(&l, root, 0, mval(mt), vp->width, vp->height, -1);
    relative_offset(root);
    position_pass(&l, root, (dk_rect){0, 0, vp->width, vp->height});
    return l.st;
}

/* ---- layout dump --------------------------------------------------------------------------- */

static void path_of(const dk_node *n, dk_buf *out) {
    if (!n || dk_node_is(n, "body") || !n->parent) {
        dk_buf_adds(out, "body");
        return;
    }
    path_of(n->parent, out);
    dk_buf_printf(out, ">%s:%d", n->tag, n->nth_of_type);
}

static void json_str(dk_buf *out, const char *s, size_t n) {
    dk_buf_addc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') dk_buf_printf(out, "\\%c", c);
        else if (c < 0x20) dk_buf_printf(out, "\\u%04x", c);
        else dk_buf_addc(out, (char)c);
    }
    dk_buf_addc(out, '"');
}

static double r2(double v) {
    double r = round(v * 100) / 100;
    return r == 0 ? 0 : r; /* no "-0" */
}

static void dump_box(const dk_box *b, dk_buf *out, int *first) {
    if (b->node && !dk_node_is(b->node, "br")) {
        if (!*first) dk_buf_adds(out, ",\n");
        *first = 0;
        dk_buf b2 = {0};
        path_of(b->node, &b2);
        dk_buf_adds(out, "    {\"path\":");
        json_str(out, b2.p ? b2.p : "body", b2.n);
        dk_buf_free(&b2);
        dk_buf_adds(out, ",\"tag\":");
        json_str(out, b->node->tag, strlen(b->node->tag));
        dk_buf_printf(out, ",\"x\":%.2f,\"y\":%.2f,\"w\":%.2f,\"h\":%.2f,\"lines\":%d}", r2(b->x),
                      r2(b->y), r2(b->w), r2(b->h), b->lines);
    }
    for (const dk_box *k = b->first; k; k = k->next) dump_box(k, out, first);
}

void dk_layout_dump_json(const dk_box *root, int index, const dk_viewport *vp, dk_buf *out) {
    dk_buf_printf(out, "  {\"index\":%d,\"width\":%g,\"height\":%g,\"boxes\":[\n", index, vp->width,
                  vp->height);
    int first = 1;
    dump_box(root, out, &first);
    dk_buf_adds(out, "\n  ]}");
}
