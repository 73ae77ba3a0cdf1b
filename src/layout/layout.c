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
#include "layout-internal.h"

/* ---- intrinsic sizes ------------------------------------------------------ */

static void image_size(dk_box *b, double cbw, double cbh, double *w, double *h);
static void size_atomics(L *l, dk_box *para, dk_box *parent, double width);

/* Does paragraph `para` hold an atomic inline (image, inline-block) or an inline's edge? */
static int has_atomics(const dk_box *para) {
    for (int i = 0; i < para->para.nruns; i++)
        if (para->para.runs[i].atomic) return 1;
    return 0;
}

/*
 * Min-content and max-content widths of a box's margin box (CSS Sizing §5),
 * for grid tracks and shrink-to-fit. Percentages of the containing block
 * count as 0 (they are resolved later, CSS Sizing §5.2.1c).
 */
void dkl_intrinsic(L *l, dk_box *b, double *mn, double *mx) {
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
    if (s->width.unit == DK_LEN_PX && b->kind != DK_BOX_PARA) {
        double w = s->width.v - (s->box_sizing ? frame : 0);
        w = clamp_size(w, s->min_width, s->max_width, -1, frame, s->box_sizing);
        *mn = *mx = w + frame + marg;
        return;
    }
    if (b->kind == DK_BOX_PARA) {
        /* atomic inlines need their sizes before the text is measured; a percentage-sized
           image is compressible: nothing in min-content, its natural width in max-content
           (CSS Sizing 3 §5.2.2) */
        int atomics = has_atomics(b);
        size_atomics(l, b, b, MEASURE_MIN);
        if (l->text->measure(l->text, l->a, &b->para, &cmin, atomics ? NULL : &cmax) != DK_OK)
            l->st = DK_ENOMEM;
        if (atomics) {
            size_atomics(l, b, b, MEASURE_MAX);
            if (l->text->measure(l->text, l->a, &b->para, NULL, &cmax) != DK_OK) l->st = DK_ENOMEM;
        }
        *mn = cmin;
        *mx = cmax;
        return;
    }
    if (b->kind == DK_BOX_TABLE) {
        dkl_table_intrinsic(l, b, &cmin, &cmax);
        edges(b, 0);
        frame = hframe(b);
        if (definite(s->width, -1)) cmin = cmax = DK_MAX(cmin, len(s->width, -1) - (s->box_sizing ? frame : 0));
        *mn = cmin + frame + marg;
        *mx = cmax + frame + marg;
        return;
    }
    if (b->kind == DK_BOX_FLEX && !s->flex_direction_column) {
        dk_style gs;
        const dk_style *g = resolve_gaps(&gs, s, -1, -1);
        int n = 0;
        for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next), n++) {
            double kmn, kmx;
            dkl_intrinsic(l, k, &kmn, &kmx);
            /* one line holds them all side by side; wrapping, the widest (Flexbox §9.9.1) */
            cmin = s->flex_wrap ? DK_MAX(cmin, kmn) : cmin + kmn;
            cmax += kmx;
        }
        if (n > 1) cmax += g->column_gap * (n - 1);
        if (n > 1 && !s->flex_wrap) cmin += g->column_gap * (n - 1);
    } else if (b->kind == DK_BOX_GRID) {
        dkl_grid_intrinsic(l, b, &cmin, &cmax);
    } else {
        for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next)) {
            double kmn, kmx;
            dkl_intrinsic(l, k, &kmn, &kmx);
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
double dkl_fit_content(L *l, dk_box *b, double avail) {
    double mn, mx;
    dkl_intrinsic(l, b, &mn, &mx);
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
    if (b->frame) {
        /* no natural size or ratio: 300x150 where the style leaves it auto (§10.3.2, §10.6.2) */
        *w = DK_MIN(DK_MAX(wdef ? W : 300, minw), maxw);
        *h = DK_MIN(DK_MAX(hdef ? H : 150, minh), maxh);
        return;
    }
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

/* The alt text of a missing image in width w, laid out to be drawn in its placeholder. */
static void alt_text(L *l, dk_box *b, double w) {
    const char *alt = b->alt;
    dk_run *run = dk_arena_alloc(l->a, sizeof *run);
    dk_style *st = dk_arena_alloc(l->a, sizeof *st);
    b->text = NULL;
    if (!alt || !*alt || !run || !st) {
        if (!run || !st) l->st = DK_ENOMEM;
        return;
    }
    *st = *b->style;
    st->text_align = DK_ALIGN_START;
    st->white_space = DK_WS_NORMAL;
    st->color = (dk_rgba){80, 80, 80, 255};
    st->text_decoration = 0;
    size_t n = strlen(alt);
    *run = (dk_run){.start = 0, .end = n, .style = st};
    dk_para *p = dk_arena_alloc(l->a, sizeof *p);
    if (!p) {
        l->st = DK_ENOMEM;
        return;
    }
    *p = (dk_para){.text = alt, .len = n, .runs = run, .nruns = 1, .style = st};
    if (l->text->layout(l->text, l->a, p, DK_MAX(w, 10), &b->text) != DK_OK) l->st = DK_ENOMEM;
}

enum { BROKEN_ICON = 16 }; /* Chromium's broken-image icon, px */

/*
 * A missing image is drawn as a browser draws a broken one (HTML §15.4.1, as
 * Chromium does it): with both width and height given and no alt text it
 * stays a replaced box of that size; otherwise it is a non-replaced box
 * holding a 16x16 icon and the alt text in the element's font: as wide as
 * that content inline (an inline-block), as wide as its containing block
 * when block-level, and as tall as the text.
 */
void dkl_image(L *l, dk_box *b, double x, double y, double cbw, double cbh) {
    double w, h;
    image_size(b, cbw, cbh, &w, &h);
    b->x = x;
    b->y = y;
    b->w = w + hframe(b);
    b->h = h + vframe(b);
    b->text = NULL;
    if (b->frame || (b->image && !b->image->missing)) return;
    const dk_style *s = b->style;
    int alt = b->alt && *b->alt;
    if (!alt && definite(s->width, cbw) && definite(s->height, cbh)) return;
    double avail = cbw >= 0 ? DK_MAX(cbw - hframe(b) - b->margin[1] - b->margin[3], 0) : INFINITY;
    /* block-level it is a non-replaced block: a width or height the style gives holds
       (image_size() resolved them); inline, a non-replaced inline, where they do not apply */
    double sw = w, sh = h;
    int wdef = !b->atomic_inline && definite(s->width, cbw);
    int hdef = !b->atomic_inline && definite(s->height, cbh);
    if (wdef) avail = sw;
    /* alt="": it represents nothing (an empty inline); no alt at all: the icon alone */
    w = h = b->alt ? 0 : BROKEN_ICON;
    if (alt) {
        alt_text(l, b, isfinite(avail) ? avail - BROKEN_ICON : 100000);
        /* shrink-to-fit: text that had to wrap makes the box as wide as it may be */
        if (b->text)
            w = b->text->nlines > 1 ? avail : DK_MIN(b->text->w + BROKEN_ICON, avail), h = b->text->h;
    }
    /* block-level: a block's auto width, unless a flex row sizes it by its content */
    int row_item = b->parent && b->parent->kind == DK_BOX_FLEX && !b->parent->style->flex_direction_column;
    if ((!b->atomic_inline && !row_item && isfinite(avail)) || wdef) w = avail;
    if (hdef) h = sh;
    /* the placeholder centres its text: one line is laid out again at the box's width */
    if (b->text && b->text->nlines <= 1) alt_text(l, b, w);
    b->w = w + hframe(b);
    b->h = h + vframe(b);
}

/* ---- paragraphs ------------------------------------------------------------ */

/* Count, for each element owning runs, the distinct lines holding its text. */
static void count_lines(dk_box *para) {
    const dk_textlayout *tl = para->text;
    for (int i = 0; i < para->para.nruns; i++) {
        dk_box *owner = (dk_box *)para->para.runs[i].owner;
        if (!owner || para->para.runs[i].atomic || tl->run_first_line[i] < 0) continue;
        const dk_run *r = &para->para.runs[i];
        for (int ln = tl->run_first_line[i]; ln <= tl->run_last_line[i]; ln++) {
            if (owner->last_line1 > ln) continue; /* counted already (lines only grow) */
            /* an empty line of pre text holds no text to count (a browser's range rects
               on it are 0 px wide) */
            size_t a = DK_MAX(r->start, tl->lines[ln].start), e = DK_MIN(r->end, tl->lines[ln].end);
            while (a < e && para->para.text[a] == '\n') a++;
            if (a >= e) continue;
            owner->lines++;
            owner->last_line1 = ln + 1;
        }
    }
}

/* Does inline box `b` or an inline inside it have inline-axis margin, padding or border? */
static int inline_has_edges(const dk_box *b) {
    for (const dk_box *k = b->first; k; k = k->next) {
        const dk_style *s = k->style;
        if (k->kind != DK_BOX_INLINE) return 1; /* an atomic inline is content */
        if ((s->margin[1].unit != DK_LEN_AUTO && s->margin[1].v != 0) ||
            (s->margin[3].unit != DK_LEN_AUTO && s->margin[3].v != 0) || s->padding[1].v != 0 ||
            s->padding[3].v != 0 || (s->border_style[1] && s->border_width[1] > 0) ||
            (s->border_style[3] && s->border_width[3] > 0) || inline_has_edges(k))
            return 1;
    }
    return 0;
}

/*
 * Is paragraph `b` only collapsible white space and empty inlines? Its line
 * boxes are then zero-height and "treated as not existing for any other
 * purpose" (CSS 2.1 §9.4.2): `<div> <a> <x-icon></x-icon> </a> </div>` is 0 px tall.
 */
static int para_empty(const dk_box *b) {
    const dk_para *p = &b->para;
    for (int i = 0; i < p->nruns; i++) {
        const dk_run *r = &p->runs[i];
        int ws = r->style->white_space;
        if (r->atomic) return 0;
        for (size_t j = r->start; j < r->end; j++)
            if (p->text[j] != ' ' || ws == DK_WS_PRE || ws == DK_WS_PRE_WRAP) return 0;
    }
    return !inline_has_edges(b);
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
            /* the run's box is the margin box; geometry below is the border box. Negative
               margins can make it negative: the pen then goes back and the rect ends where
               the box starts */
            dk_rect r = tl->run_rect[k->first_run];
            if (para->para.runs[k->first_run].box_w < 0) r.x += r.w;
            translate(k, cx + r.x + k->margin[3] - k->x, cy + r.y + k->margin[0] - k->y);
            continue;
        }
        if (k->kind != DK_BOX_INLINE) continue;
        double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
        /* a run of only a trailing space is dropped from the paragraph after the box counted it */
        int end = DK_MIN(k->first_run + k->nruns_own, para->para.nruns), own = 0;
        for (int i = k->first_run; i < end; i++)
            own |= para->para.runs[i].owner == k && tl->run_rect[i].w > 0;
        edges(k, 0);
        /* x: the union of the line fragments' border boxes, whose start and end are where
           k's edge runs hold its padding and border; y: its content area and padding */
        double ex0 = INFINITY, ex1 = -INFINITY;
        for (int i = k->first_run; i < end; i++) {
            dk_rect r = tl->run_rect[i];
            if (r.w <= 0 && r.h <= 0) continue;
            if (para->para.runs[i].atomic == DK_RUN_EDGE && para->para.runs[i].owner == k) {
                int start = !dk_edge_is_end(&para->para, &para->para.runs[i]);
                ex0 = DK_MIN(ex0, r.x + (start ? k->margin[3] : 0));
                ex1 = DK_MAX(ex1, r.x + r.w - (start ? 0 : k->margin[1]));
            } else {
                x0 = DK_MIN(x0, r.x);
                x1 = DK_MAX(x1, r.x + r.w);
            }
            /* the box is as tall as its own text (its edge runs have its font): a raised or
               smaller child sticks out */
            if (own && para->para.runs[i].owner != k) continue;
            y0 = DK_MIN(y0, r.y);
            y1 = DK_MAX(y1, r.y + r.h);
        }
        if ((x0 <= x1 || ex0 <= ex1) && y0 <= y1) {
            x0 = DK_MIN(x0, ex0);
            x1 = DK_MAX(x1, ex1);
            k->x = cx + x0;
            k->y = cy + y0 - k->padding[0] - k->border[0];
            k->w = x1 - x0;
            k->h = y1 - y0 + vframe(k);
        } else if (!para_empty(para)) {
            /* an empty inline on a line with content: zero wide where the text goes on
               (or the text before it ends), as tall as that text's content area */
            int r = k->first_run, n = para->para.nruns;
            int at = r < n && tl->run_first_line[r] >= 0 && !para->para.runs[r].atomic ? r : -1;
            int before = r > 0 && r <= n && tl->run_last_line[r - 1] >= 0 &&
                         !para->para.runs[r - 1].atomic ? r - 1 : -1;
            dk_rect rr = at >= 0 ? tl->run_rect[at] : before >= 0 ? tl->run_rect[before] : (dk_rect){0, 0, 0, 0};
            k->x = cx + (at >= 0 ? rr.x : rr.x + rr.w) - k->padding[3] - k->border[3];
            k->y = cy + rr.y - k->padding[0] - k->border[0];
            k->w = hframe(k);
            k->h = rr.h + vframe(k);
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
            /* its edge runs: margin + border + padding (percentages of the line's width) */
            edges(k, width < 0 ? -1 : width);
            for (int i = k->first_run; i < k->first_run + k->nruns_own; i++) {
                dk_run *r = &para->para.runs[i];
                if (r->atomic != DK_RUN_EDGE || r->owner != k) continue;
                int side = dk_edge_is_end(&para->para, r) ? 1 : 3;
                r->box_w = k->margin[side] + k->border[side] + k->padding[side];
            }
            size_atomics(l, para, k, width);
            continue;
        }
        if (!k->atomic_inline) continue;
        if (k->kind == DK_BOX_IMAGE) {
            dkl_image(l, k, 0, 0, width, -1);
            if (width == MEASURE_MIN && compressible(k->style)) k->w = hframe(k);
        } else {
            /* shrink-to-fit: the intrinsic sizes count percentage margins as 0, the space
               available is what the margins resolved against the line leave */
            double mn, mx;
            dkl_intrinsic(l, k, &mn, &mx);
            double m0 = k->margin[1] + k->margin[3];
            edges(k, width);
            double avail = DK_MAX(width, 0) - k->margin[1] - k->margin[3];
            double w = DK_MIN(DK_MAX(mn - m0, avail), mx - m0);
            dkl_box(l, k, 0, 0, width, -1, w - hframe(k));
        }
        dk_run *r = &para->para.runs[k->first_run];
        r->box_w = k->w + k->margin[1] + k->margin[3];
        r->box_h = k->h + k->margin[0] + k->margin[2];
        /* images sit on the baseline with their bottom margin edge, form controls with their
           bottom border edge (as Chromium does); blocks on their last line */
        r->box_baseline = k->checkbox ? r->box_h - k->margin[2] : r->box_h;
        if (k->kind == DK_BOX_IMAGE && k->text && k->text->nlines) /* a broken image's alt text */
            r->box_baseline = k->margin[0] + k->border[0] + k->padding[0] +
                              k->text->lines[k->text->nlines - 1].baseline;
        /* a button with no line of text sits on its content box's bottom (Chromium) */
        if (k->node && dk_node_is(k->node, "button"))
            r->box_baseline = r->box_h - k->margin[2] - k->border[2] - k->padding[2];
        if (k->kind != DK_BOX_IMAGE) {
            const dk_box *p = k->last;
            while (p && p->kind != DK_BOX_PARA) p = p->last;
            if (p && p->text && p->text->nlines && !para_empty(p))
                r->box_baseline = p->y - k->y + k->margin[0] +
                                  p->text->lines[p->text->nlines - 1].baseline;
        }
    }
}

/*
 * The lines of `b` at `width`. A paragraph broken at this width already in
 * this layout (dkl_min_fits) keeps those lines: boxes are built afresh for
 * every layout, and what else its lines depend on, the sizes of its atomic
 * inlines and inline edges, is sized again here for the same width.
 */
static dk_textlayout *para_lines(L *l, dk_box *b, double width) {
    size_atomics(l, b, b, width);
    if (b->text && b->text->width == width) return b->text;
    dk_textlayout *tl = NULL;
    if (l->text->layout(l->text, l->a, &b->para, width, &tl) != DK_OK) {
        l->st = DK_ENOMEM;
        return NULL;
    }
    return b->text = tl;
}

/*
 * Is the min-content contribution of `b` (its margin box, as dkl_intrinsic
 * gives it) at most `avail`? Where that is cheap to be sure of it is not
 * measured: a block of auto width asks its in-flow children in its content
 * width, and a paragraph is broken into lines at the width it will get —
 * it fits when its widest line does, since pango wraps only at break
 * opportunities, so every unbreakable piece sits on some line. Those lines
 * are kept for the paragraph's layout (para_lines). Anything else is
 * measured.
 */
int dkl_min_fits(L *l, dk_box *b, double avail) {
    const dk_style *s = b->style;
    if (b->kind == DK_BOX_PARA && !has_atomics(b) && avail >= 0) {
        const dk_textlayout *tl = para_lines(l, b, avail);
        if (tl && tl->w <= avail - 0.5) return 1;
    } else if (b->kind == DK_BOX_BLOCK && !b->marker && is_auto(s->width) && avail >= 0 &&
               (s->min_width.unit == DK_LEN_AUTO || (s->min_width.unit == DK_LEN_PX && s->min_width.v == 0)) &&
               s->max_width.unit == DK_LEN_NONE) {
        edges(b, avail);
        double inner = avail - b->margin[1] - b->margin[3] - hframe(b);
        for (dk_box *k = in_flow(b->first); k; k = in_flow(k->next))
            if (!dkl_min_fits(l, k, inner)) return 0;
        return 1;
    }
    double mn, mx;
    dkl_intrinsic(l, b, &mn, &mx);
    return mn <= avail;
}

static void layout_para(L *l, dk_box *b, double x, double y, double width) {
    dk_textlayout *tl = para_lines(l, b, width);
    if (!tl) return;
    b->x = x;
    b->y = y;
    b->w = width;
    b->h = para_empty(b) ? 0 : tl->h;
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
            if (para_empty(k)) {
                /* no line boxes: margins collapse through it (§9.4.2); it sits where its
                   top border edge would, below the margins before it (§8.3.1) */
                layout_para(l, k, cx, (first && top_through) ? y : y + mval(pending), cw);
                continue;
            }
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
        dkl_box(l, k, cx, pos, cw, ch, -1);
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
 * A marker reaching higher above its baseline than that first line pushes
 * the item's content down by the difference (as Chromium does).
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
    double push = fl ? tl->lines[0].baseline - (fl->y + fl->text->lines[0].baseline - dk_box_cy(b)) : 0;
    if (push > 0) {
        for (dk_box *k = b->first; k; k = k->next) translate(k, 0, push);
        if (is_auto(b->style->height)) b->h += push;
    }
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
        dkl_image(l, b, x, y, cbw, cbh);
        if (!b->atomic_inline && !is_item(b) && !oof(b) && width < 0) {
            /* block-level in flow: its left margin, and auto margins share what is left of the
               line, none when the image overflows it (§10.3.4, as Chromium clamps) */
            double rest = DK_MAX(cbw - b->w - b->margin[1] - b->margin[3], 0);
            int la = is_auto(s->margin[3]), ra = is_auto(s->margin[1]);
            if (la && ra) b->margin[3] += rest / 2, b->margin[1] += rest / 2;
            else if (la) b->margin[3] += rest;
            else if (ra) b->margin[1] += rest;
            b->x += b->margin[3];
        }
        return;
    }
    if (b->kind == DK_BOX_PARA) { /* an anonymous flex or grid item: its lines */
        edges(b, cbw);
        layout_para(l, b, x, y, width >= 0 ? width : DK_MAX(cbw, 0));
        if (height >= 0) b->h = height;
        return;
    }
    double tmn = 0, tmx = 0;
    if (b->kind == DK_BOX_TABLE) dkl_table_intrinsic(l, b, &tmn, &tmx); /* sets collapsed borders */
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
        dkl_grid(l, b, cx, cy, cw, ch);
        content = b->h;
    } else if (b->kind == DK_BOX_FLEX) {
        dkl_flex(l, b, cx, cy, cw, ch);
        content = b->h;
    } else if (b->kind == DK_BOX_TABLE) {
        content = dkl_table(l, b, cx, cy, cw);
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

void dkl_box(L *l, dk_box *b, double x, double y, double cbw, double cbh, double width) {
    layout_box_h(l, b, x, y, cbw, cbh, width, -1);
}

/* dkl_box() with a used content height (a flexed or stretched flex/grid item). */
void dkl_box_h(L *l, dk_box *b, double x, double y, double cbw, double cbh, double width,
               double height) {
    layout_box_h(l, b, x, y, cbw, cbh, width, height);
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
 * A flex or grid container's out-of-flow children get their static
 * positions from dkl_abs_static() (flex.c). Not supported: an inline
 * containing block is its box's border box, right-to-left static
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
        else w = dkl_fit_content(l, k, DK_MAX(room, 0)) - k->margin[1] - k->margin[3] - fw;
        edges(k, cb.w); /* dkl_intrinsic() resolved percentages against 0 */
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
        dkl_image(l, k, 0, 0, cb.w, cb.h);
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
    L l = {.ctx = ctx, .a = a, .text = text, .vp = *vp, .st = DK_OK};
    /* the root box (body) sits in the initial containing block; its own top margin and any
       that escapes through it are kept inside the viewport's html box */
    margin mt = top_margin(root, vp->width);
    dkl_box(&l, root, 0, mval(mt), vp->width, vp->height, -1);
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
    /* elements only: generated ::before / ::after boxes (tag "::...") are not listed */
    if (b->node && !dk_node_is(b->node, "br") && b->node->tag[0] != ':') {
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
