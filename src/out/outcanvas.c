/*
 * The writers' canvas: forwards to canvas/cairo.c, with PDF links by named
 * destination, SVG images kept vector and an optional transparent page (see
 * outcanvas.h for why each exists).
 */
#include "outcanvas.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>

#include "../paint/paint.h"

typedef struct {
    dk_canvas base;
    dk_canvas *inner;
    cairo_t *cr;
    int flags;
    int fills; /* fill_rect calls so far: the first is the page */
} ocanvas;

static dk_canvas *in(dk_canvas *c) { return ((ocanvas *)c)->inner; }

static void o_fill_rect(dk_canvas *c, dk_rect r, const float radius[4], dk_rgba color) {
    ocanvas *o = (ocanvas *)c;
    if (o->fills++ == 0 && (o->flags & DK_OUT_TRANSPARENT)) return;
    in(c)->ops->fill_rect(in(c), r, radius, color);
}

static void o_stroke_border(dk_canvas *c, dk_rect r, const double w[4], const dk_rgba color[4],
                            const unsigned char style[4], const float radius[4]) {
    in(c)->ops->stroke_border(in(c), r, w, color, style, radius);
}

static void o_image(dk_canvas *c, dk_rect r, const dk_image *img) {
    ocanvas *o = (ocanvas *)c;
    cairo_surface_t *s = img->surface;
    if (!s || !((o->flags & DK_OUT_VECTOR) ||
                cairo_surface_get_type(s) == CAIRO_SURFACE_TYPE_RECORDING)) {
        in(c)->ops->image(in(c), r, img);
        return;
    }
    if (img->w <= 0 || img->h <= 0 || r.w <= 0 || r.h <= 0) return;
    cairo_t *cr = o->cr;
    cairo_save(cr);
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_clip(cr);
    cairo_translate(cr, r.x, r.y);
    cairo_scale(cr, r.w / img->w, r.h / img->h);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_NONE);
    cairo_paint(cr);
    cairo_restore(cr);
}

static void o_placeholder(dk_canvas *c, dk_rect r, const dk_textlayout *alt) {
    in(c)->ops->placeholder(in(c), r, alt);
}

static void o_text(dk_canvas *c, const dk_textlayout *tl, double x, double y) {
    in(c)->ops->text(in(c), tl, x, y);
}

static void o_link(dk_canvas *c, dk_rect r, const char *href) {
    ocanvas *o = (ocanvas *)c;
    if (!(o->flags & DK_OUT_LINKS) || !href || !*href) return;
    if (href[0] != '#') {
        in(c)->ops->link(in(c), r, href);
        return;
    }
    char *end;
    long n = strtol(href + 1, &end, 10);
    if (*end || n < 1 || n > 1000000) return; /* only slide numbers are targets */
    double x0 = r.x, y0 = r.y, x1 = r.x + r.w, y1 = r.y + r.h;
    cairo_user_to_device(o->cr, &x0, &y0);
    cairo_user_to_device(o->cr, &x1, &y1);
    char attrs[160];
    snprintf(attrs, sizeof attrs, "rect=[%.2f %.2f %.2f %.2f] dest='slide-%ld'", x0, y0, x1 - x0,
             y1 - y0, n);
    cairo_tag_begin(o->cr, CAIRO_TAG_LINK, attrs);
    cairo_tag_end(o->cr, CAIRO_TAG_LINK);
}

static void o_push_clip(dk_canvas *c, dk_rect r) { in(c)->ops->push_clip(in(c), r); }
static void o_push_opacity(dk_canvas *c, double a) { in(c)->ops->push_opacity(in(c), a); }
static void o_pop(dk_canvas *c) { in(c)->ops->pop(in(c)); }

static const dk_canvas_ops out_ops = {
    o_fill_rect, o_stroke_border, o_image, o_placeholder, o_text, o_link,
    o_push_clip, o_push_opacity, o_pop,
};

dk_status dk_outcanvas_paint(cairo_t *cr, int flags, const dk_box *body, double width,
                             double height) {
    ocanvas o = {.base = {&out_ops}, .cr = cr, .flags = flags};
    dk_status st = dk_canvas_cairo_new(cr, (flags & DK_OUT_LINKS) != 0, &o.inner);
    if (st) return st;
    dk_paint(&o.base, body, width, height);
    dk_canvas_free(o.inner);
    return DK_OK;
}
