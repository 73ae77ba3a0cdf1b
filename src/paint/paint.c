/*
 * Painting: CSS 2.1 Appendix E order, simplified to what we lay out — for
 * each box its background and border, then its content (text, images),
 * then its in-flow children in tree order. The root's background paints the
 * whole canvas (CSS 2.1 §14.2: body's background propagates to the canvas).
 *
 * Positioned boxes are layers of their stacking context (the root, a
 * positioned box with an integer z-index, a box with opacity): negative
 * z-indexes paint right after the context's own background, z-index auto
 * and 0 after all in-flow content in tree order, positive ones last, by
 * increasing z-index. A layer painted out of tree order re-applies the
 * overflow clips of the ancestors that contain it. Simplified: in-flow
 * content is painted box by box (backgrounds, then content, per box), not
 * in the separate block / inline phases of Appendix E; floats do not exist.
 */
#include "paint.h"

#include <math.h>
#include <stdlib.h>

static int visible(dk_rgba c) { return c.a > 0; }

static dk_rect border_box(const dk_box *b) { return (dk_rect){b->x, b->y, b->w, b->h}; }

/* Used corner radii (TL TR BR BL): percentages of the border box, scaled down to fit (§5.5). */
static void radii(const dk_box *b, float out[4]) {
    const dk_style *s = b->style;
    for (int k = 0; k < 4; k++)
        out[k] = s->border_radius_pct & (1u << k) ? (float)(s->border_radius[k] * DK_MIN(b->w, b->h) / 100)
                                                   : s->border_radius[k];
    double f = 1;
    double sides[4] = {b->w, b->h, b->w, b->h};
    for (int k = 0; k < 4; k++) {
        double sum = out[k] + out[(k + 1) % 4];
        if (sum > sides[k] && sum > 0) f = DK_MIN(f, sides[k] / sum);
    }
    for (int k = 0; k < 4; k++) out[k] = (float)(out[k] * f);
}

static int rounded_any(const float r[4]) { return r[0] > 0 || r[1] > 0 || r[2] > 0 || r[3] > 0; }

/* Clip to `r` with corner radii `rad` (a plain rectangle when the canvas cannot round). */
static void clip_to(dk_canvas *c, dk_rect r, const float rad[4]) {
    if (rounded_any(rad) && c->ops2 && c->ops2->push_clip_rounded) c->ops2->push_clip_rounded(c, r, rad);
    else c->ops->push_clip(c, r);
}

static double bg_len(dk_len l, double base) {
    return l.unit == DK_LEN_PCT ? l.v * base / 100 : l.unit == DK_LEN_PX ? l.v : 0;
}

/*
 * background-image (CSS Backgrounds 3 §3): sized in the padding box
 * (cover, contain, auto or lengths, keeping the ratio for an auto side),
 * positioned there by background-position, tiled as background-repeat
 * says, clipped to the border box with its rounded corners.
 */
static void paint_bg_image(dk_canvas *c, const dk_box *b, const float rad[4]) {
    const dk_image *img = b->bg_image;
    const dk_style *s = b->style;
    if (!img || img->missing || img->w <= 0 || img->h <= 0 || b->w <= 0 || b->h <= 0) return;
    dk_rect area = {b->x + b->border[3], b->y + b->border[0], b->w - b->border[1] - b->border[3],
                    b->h - b->border[0] - b->border[2]};
    if (area.w <= 0 || area.h <= 0) return;
    double iw = img->w, ih = img->h, w = iw, h = ih;
    if (s->bg_size == DK_BG_COVER || s->bg_size == DK_BG_CONTAIN) {
        double sx = area.w / iw, sy = area.h / ih;
        double k = s->bg_size == DK_BG_COVER ? DK_MAX(sx, sy) : DK_MIN(sx, sy);
        w = iw * k;
        h = ih * k;
    } else if (s->bg_size == DK_BG_LENGTHS) {
        int wa = s->bg_size_len[0].unit == DK_LEN_AUTO, ha = s->bg_size_len[1].unit == DK_LEN_AUTO;
        w = wa ? 0 : bg_len(s->bg_size_len[0], area.w);
        h = ha ? 0 : bg_len(s->bg_size_len[1], area.h);
        if (wa && ha) w = iw, h = ih;
        else if (wa) w = h * iw / ih;
        else if (ha) h = w * ih / iw;
    }
    if (w <= 0.01 || h <= 0.01) return;
    double x = area.x + (s->bg_pos[0].unit == DK_LEN_PCT ? (area.w - w) * s->bg_pos[0].v / 100 : s->bg_pos[0].v);
    double y = area.y + (s->bg_pos[1].unit == DK_LEN_PCT ? (area.h - h) * s->bg_pos[1].v / 100 : s->bg_pos[1].v);
    double x0 = x, y0 = y, x1 = x + w, y1 = y + h;
    if (s->bg_repeat & 1) {
        x0 = x - ceil((x - b->x) / w) * w;
        x1 = b->x + b->w;
    }
    if (s->bg_repeat & 2) {
        y0 = y - ceil((y - b->y) / h) * h;
        y1 = b->y + b->h;
    }
    clip_to(c, (dk_rect){b->x, b->y, b->w, b->h}, rad);
    int tiles = 0;
    for (double ty = y0; ty < y1 - 0.01 && tiles < 4096; ty += h)
        for (double tx = x0; tx < x1 - 0.01 && tiles < 4096; tx += w, tiles++)
            c->ops->image(c, (dk_rect){tx, ty, w, h}, img);
    c->ops->pop(c);
}

static void paint_frame(dk_canvas *c, const dk_box *b, int skip_bg) {
    const dk_style *s = b->style;
    float rad[4];
    radii(b, rad);
    if (!skip_bg && visible(s->background_color))
        c->ops->fill_rect(c, border_box(b), rad, s->background_color);
    paint_bg_image(c, b, rad);
    if (b->collapsed) return; /* the table paints collapsed borders after its cells */
    if (b->border[0] > 0 || b->border[1] > 0 || b->border[2] > 0 || b->border[3] > 0)
        c->ops->stroke_border(c, border_box(b), b->border, s->border_color, s->border_style, rad);
}

/*
 * The collapsed borders of a table's cells (CSS 2.1 §17.6.2): each grid
 * line's winning border is drawn centred on the line, over all the cell
 * backgrounds, so no later cell paints over an earlier cell's border.
 */
static void paint_collapsed(dk_canvas *c, const dk_box *b) {
    static const float no_radius[4] = {0, 0, 0, 0};
    for (const dk_box *k = b->first; k; k = k->next) {
        if (k->kind == DK_BOX_TABLE) continue; /* a nested table paints its own */
        if (k->collapsed && k->kind != DK_BOX_TABLE) {
            const double *w = k->cborder;
            dk_rect side[4] = {
                {k->x - w[3] / 2, k->y - w[0] / 2, k->w + (w[1] + w[3]) / 2, w[0]},
                {k->x + k->w - w[1] / 2, k->y - w[0] / 2, w[1], k->h + (w[0] + w[2]) / 2},
                {k->x - w[3] / 2, k->y + k->h - w[2] / 2, k->w + (w[1] + w[3]) / 2, w[2]},
                {k->x - w[3] / 2, k->y - w[0] / 2, w[3], k->h + (w[0] + w[2]) / 2},
            };
            for (int i = 0; i < 4; i++)
                if (w[i] > 0 && k->cstyle[i] != DK_BORDER_NONE && visible(k->ccolor[i]))
                    c->ops->fill_rect(c, side[i], no_radius, k->ccolor[i]);
        }
        paint_collapsed(c, k);
    }
}

/* A task-list checkbox or radio button, drawn as Chromium draws an unstyled one. */
static void paint_checkbox(dk_canvas *c, const dk_box *b) {
    dk_rect r = {dk_box_cx(b), dk_box_cy(b), dk_box_cw(b), dk_box_ch(b)};
    int on = b->checkbox == 2 || b->checkbox == 4, radio = b->checkbox > 2;
    double m = DK_MIN(r.w, r.h);
    float rr = radio ? (float)(m / 2) : (float)DK_MIN(2, m / 4);
    float rad[4] = {rr, rr, rr, rr};
    const dk_rgba accent = {0, 117, 255, 255}, grey = {118, 118, 118, 255}, white = {255, 255, 255, 255};
    const double w[4] = {1, 1, 1, 1};
    const dk_rgba cols[4] = {grey, grey, grey, grey};
    const unsigned char st[4] = {DK_BORDER_SOLID, DK_BORDER_SOLID, DK_BORDER_SOLID, DK_BORDER_SOLID};
    if (!on) {
        c->ops->fill_rect(c, r, rad, white);
        c->ops->stroke_border(c, r, w, cols, st, rad);
        return;
    }
    c->ops->fill_rect(c, r, rad, accent);
    if (radio) {
        float ri = (float)(m * 0.2);
        float rin[4] = {ri, ri, ri, ri};
        c->ops->fill_rect(c, (dk_rect){r.x + r.w / 2 - ri, r.y + r.h / 2 - ri, 2 * ri, 2 * ri}, rin, white);
    } else {
        double tick[6] = {r.x + r.w * 0.22, r.y + r.h * 0.52, r.x + r.w * 0.42, r.y + r.h * 0.72,
                          r.x + r.w * 0.78, r.y + r.h * 0.3};
        double lw = m * 0.14;
        if (c->ops2 && c->ops2->stroke_path) {
            c->ops2->stroke_path(c, tick, 3, lw, white);
            return;
        }
        /* no path operation: the tick as a row of dots */
        float dot[4] = {(float)lw / 2, (float)lw / 2, (float)lw / 2, (float)lw / 2};
        for (int seg = 0; seg < 2; seg++)
            for (int i = 0; i <= 8; i++) {
                double t = i / 8.0, x = tick[2 * seg] + (tick[2 * seg + 2] - tick[2 * seg]) * t,
                       y = tick[2 * seg + 1] + (tick[2 * seg + 3] - tick[2 * seg + 1]) * t;
                c->ops->fill_rect(c, (dk_rect){x - lw / 2, y - lw / 2, lw, lw}, dot, white);
            }
    }
}

/* Backgrounds of inline elements, fragment by fragment, under the text. */
static void paint_inline_backgrounds(dk_canvas *c, const dk_box *para, const dk_box *parent) {
    static const float no_radius[4] = {0, 0, 0, 0};
    for (const dk_box *k = parent->first; k; k = k->next) {
        if (k->kind != DK_BOX_INLINE) continue;
        if (visible(k->style->background_color)) {
            const dk_textlayout *tl = para->text;
            for (int f = 0; f < tl->nfrags; f++) {
                const dk_frag *fr = &tl->frags[f];
                if (fr->run < k->first_run || fr->run >= k->first_run + k->nruns_own) continue;
                /* k's edge runs hold its margins, borders and padding on the line */
                const dk_run *run = &para->para.runs[fr->run];
                int edge = run->atomic == DK_RUN_EDGE && run->owner == k;
                int end = edge && dk_edge_is_end(&para->para, run);
                double ml = edge && !end ? k->margin[3] : 0;
                double mr = end ? k->margin[1] : 0;
                dk_rect r = {para->x + fr->r.x + ml, para->y + fr->r.y - k->padding[0],
                             fr->r.w - ml - mr, fr->r.h + k->padding[0] + k->padding[2]};
                c->ops->fill_rect(c, r, no_radius, k->style->background_color);
            }
        }
        paint_inline_backgrounds(c, para, k);
    }
}

/* One link area per line: the fragments of consecutive runs with the same target. */
static void paint_links(dk_canvas *c, const dk_box *para) {
    const dk_textlayout *tl = para->text;
    for (int f = 0; f < tl->nfrags;) {
        const char *href = para->para.runs[tl->frags[f].run].href;
        if (!href) {
            f++;
            continue;
        }
        dk_rect r = tl->frags[f].r;
        int g = f + 1;
        while (g < tl->nfrags && tl->frags[g].line == tl->frags[f].line &&
               para->para.runs[tl->frags[g].run].href == href) {
            dk_rect q = tl->frags[g].r;
            double x0 = DK_MIN(r.x, q.x), y0 = DK_MIN(r.y, q.y);
            double x1 = DK_MAX(r.x + r.w, q.x + q.w), y1 = DK_MAX(r.y + r.h, q.y + q.h);
            r = (dk_rect){x0, y0, x1 - x0, y1 - y0};
            g++;
        }
        r.x += para->x;
        r.y += para->y;
        c->ops->link(c, r, href);
        f = g;
    }
}

/* ---- stacking (CSS 2.1 Appendix E, simplified) ---- */

static int positioned(const dk_box *b) {
    return b->kind != DK_BOX_PARA && b->style->position != DK_POS_STATIC;
}

/*
 * Does `b` paint its positioned descendants itself? The root, positioned
 * boxes with an integer z-index, and boxes with opacity (an opacity group
 * must hold all its content) form stacking contexts.
 */
static int stacking_context(const dk_box *b, int is_root) {
    return is_root || (positioned(b) && !b->style->z_auto) || (b->node && b->style->opacity < 1);
}

typedef struct {
    const dk_box **v;
    int n, cap;
} layers;

/* The positioned descendants of a stacking context, in tree order (nested contexts keep theirs). */
static void collect(const dk_box *b, layers *out) {
    for (const dk_box *k = b->first; k; k = k->next) {
        if (positioned(k)) {
            if (out->n == out->cap) {
                int cap = out->cap ? out->cap * 2 : 16;
                const dk_box **v = realloc(out->v, sizeof *v * (size_t)cap);
                if (!v) continue; /* out of memory: this layer is not painted */
                out->v = v;
                out->cap = cap;
            }
            out->v[out->n++] = k;
        }
        if (!stacking_context(k, 0)) collect(k, out);
    }
}

static int zof(const dk_box *b) { return b->style->z_auto ? 0 : b->style->z_index; }

/* Order layers by z-index, tree order among equals (a stable insertion sort). */
static void sort_layers(layers *ls) {
    for (int i = 1; i < ls->n; i++) {
        const dk_box *x = ls->v[i];
        int j = i;
        for (; j > 0 && zof(ls->v[j - 1]) > zof(x); j--) ls->v[j] = ls->v[j - 1];
        ls->v[j] = x;
    }
}

/* The padding box clip of `b` (its corners the border radii less the border widths). */
static void push_overflow_clip(dk_canvas *c, const dk_box *b) {
    float rad[4];
    radii(b, rad);
    for (int k = 0; k < 4; k++)
        rad[k] = (float)DK_MAX(rad[k] - DK_MAX(b->border[k], b->border[(k + 3) % 4]), 0);
    clip_to(c, (dk_rect){b->x + b->border[3], b->y + b->border[0], b->w - b->border[1] - b->border[3],
                         b->h - b->border[0] - b->border[2]}, rad);
}

/*
 * The overflow clips a layer painted out of tree order still owes to the
 * ancestors between it and its stacking context `ctx`: every clipping
 * ancestor of an in-flow (relative) box; for an absolutely positioned one
 * only its containing block and the boxes around that (CSS 2.1 §11.1.1).
 * Returns the number of clips pushed.
 */
static int push_ancestor_clips(dk_canvas *c, const dk_box *layer, const dk_box *ctx) {
    const dk_box *from = layer->parent;
    if (layer->style->position == DK_POS_FIXED) return 0;
    if (dk_style_out_of_flow(layer->style))
        while (from && from != ctx && !positioned(from)) from = from->parent;
    const dk_box *chain[64];
    int n = 0;
    for (const dk_box *a = from; a && a != ctx && n < 64; a = a->parent)
        if (a->node && a->style->overflow_hidden && a->kind != DK_BOX_INLINE) chain[n++] = a;
    for (int i = n - 1; i >= 0; i--) push_overflow_clip(c, chain[i]);
    return n;
}

static void paint_box(dk_canvas *c, const dk_box *b, int is_root);

/* In-flow children in tree order; positioned ones are their stacking context's layers. */
static void paint_children(dk_canvas *c, const dk_box *b) {
    for (const dk_box *k = b->first; k; k = k->next) {
        if (positioned(k)) continue;
        if (k->kind == DK_BOX_INLINE) {
            /* an inline's text is in the paragraph; only its atomic descendants paint here */
            paint_children(c, k);
            continue;
        }
        paint_box(c, k, 0);
    }
}

static void paint_layer(dk_canvas *c, const dk_box *k, const dk_box *ctx) {
    int clips = push_ancestor_clips(c, k, ctx);
    paint_box(c, k, 0);
    while (clips--) c->ops->pop(c);
}

static void paint_box(dk_canvas *c, const dk_box *b, int is_root) {
    const dk_style *s = b->style;
    int pushed = 0;
    if (b->node && s->opacity < 1) {
        c->ops->push_opacity(c, s->opacity);
        pushed++;
    }
    if (b->node && b->kind != DK_BOX_INLINE) paint_frame(c, b, is_root);
    if (b->node && s->overflow_hidden && b->kind != DK_BOX_INLINE) {
        push_overflow_clip(c, b);
        pushed++;
    }
    /* a stacking context paints its negative z-index layers over its own background */
    layers ls = {0};
    int ctx = stacking_context(b, is_root);
    if (ctx) {
        collect(b, &ls);
        sort_layers(&ls);
    }
    int li = 0;
    for (; li < ls.n && zof(ls.v[li]) < 0; li++) paint_layer(c, ls.v[li], b);
    if (b->marker_text && !s->visibility_hidden)
        c->ops->text(c, b->marker_text, b->marker_box.x, b->marker_box.y);
    if (b->kind == DK_BOX_IMAGE) {
        dk_rect r = {dk_box_cx(b), dk_box_cy(b), dk_box_cw(b), dk_box_ch(b)};
        if (b->checkbox) paint_checkbox(c, b);
        /* missing, or found but not decodable when drawn: a placeholder in its box */
        else if (!b->image || b->image->missing || !c->ops->image(c, r, b->image))
            c->ops->placeholder(c, r, b->text);
    } else if (b->kind == DK_BOX_PARA && b->text) {
        paint_inline_backgrounds(c, b, b);
        c->ops->text(c, b->text, b->x, b->y);
        paint_links(c, b);
    }
    paint_children(c, b);
    if (b->kind == DK_BOX_TABLE && b->collapsed) paint_collapsed(c, b);
    /* then z-index auto and 0 in tree order, then positive ones */
    for (; li < ls.n; li++) paint_layer(c, ls.v[li], b);
    free(ls.v);
    while (pushed--) c->ops->pop(c);
}

void dk_paint_page(dk_canvas *c, const dk_box *root, double width, double height, unsigned flags) {
    static const float no_radius[4] = {0, 0, 0, 0};
    dk_rgba bg = root->style->background_color;
    if (!visible(bg)) bg = (dk_rgba){255, 255, 255, 255};
    if (!(flags & DK_PAINT_NO_PAGE_BG))
        c->ops->fill_rect(c, (dk_rect){0, 0, width, height}, no_radius, bg);
    paint_box(c, root, 1);
}

void dk_paint(dk_canvas *c, const dk_box *root, double width, double height) {
    dk_paint_page(c, root, width, height, 0);
}
