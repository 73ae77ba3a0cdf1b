/*
 * Painting: CSS 2.1 Appendix E order, simplified to what we lay out — for
 * each box its background and border, then its content (text, images),
 * then its children in tree order. The root's background paints the whole
 * canvas (CSS 2.1 §14.2: body's background propagates to the canvas).
 */
#include "paint.h"

static int visible(dk_rgba c) { return c.a > 0; }

static dk_rect border_box(const dk_box *b) { return (dk_rect){b->x, b->y, b->w, b->h}; }

static void paint_frame(dk_canvas *c, const dk_box *b, int skip_bg) {
    const dk_style *s = b->style;
    if (!skip_bg && visible(s->background_color))
        c->ops->fill_rect(c, border_box(b), s->border_radius, s->background_color);
    if (b->border[0] > 0 || b->border[1] > 0 || b->border[2] > 0 || b->border[3] > 0)
        c->ops->stroke_border(c, border_box(b), b->border, s->border_color, s->border_style,
                              s->border_radius);
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
                dk_rect r = {para->x + fr->r.x - k->padding[3], para->y + fr->r.y - k->padding[0],
                             fr->r.w + k->padding[1] + k->padding[3],
                             fr->r.h + k->padding[0] + k->padding[2]};
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

static void paint_box(dk_canvas *c, const dk_box *b, int is_root) {
    const dk_style *s = b->style;
    int pushed = 0;
    if (b->node && s->opacity < 1) {
        c->ops->push_opacity(c, s->opacity);
        pushed++;
    }
    if (b->node && b->kind != DK_BOX_INLINE) paint_frame(c, b, is_root);
    if (b->node && s->overflow_hidden) {
        c->ops->push_clip(c, (dk_rect){b->x + b->border[3], b->y + b->border[0],
                                       b->w - b->border[1] - b->border[3],
                                       b->h - b->border[0] - b->border[2]});
        pushed++;
    }
    if (b->kind == DK_BOX_IMAGE) {
        dk_rect r = {dk_box_cx(b), dk_box_cy(b), dk_box_cw(b), dk_box_ch(b)};
        if (b->image && !b->image->missing) c->ops->image(c, r, b->image);
        else c->ops->placeholder(c, r, b->text);
    } else if (b->kind == DK_BOX_PARA && b->text) {
        paint_inline_backgrounds(c, b, b);
        c->ops->text(c, b->text, b->x, b->y);
        paint_links(c, b);
    }
    for (const dk_box *k = b->first; k; k = k->next) {
        if (k->kind == DK_BOX_INLINE) {
            /* an inline's text is in the paragraph; only its atomic descendants paint here */
            for (const dk_box *g = k->first; g; g = g->next) paint_box(c, g, 0);
            continue;
        }
        paint_box(c, k, 0);
    }
    while (pushed--) c->ops->pop(c);
}

void dk_paint(dk_canvas *c, const dk_box *root, double width, double height) {
    static const float no_radius[4] = {0, 0, 0, 0};
    dk_rgba bg = root->style->background_color;
    if (!visible(bg)) bg = (dk_rgba){255, 255, 255, 255};
    c->ops->fill_rect(c, (dk_rect){0, 0, width, height}, no_radius, bg);
    paint_box(c, root, 1);
}
