/*
 * The cairo canvas: draws in CSS px on whatever surface the caller made
 * (PDF, PNG, SVG), links as PDF link tags when asked.
 *
 * Two things depend on the surface (flags of dk_canvas_cairo_new):
 *
 *  - links (DK_CANVAS_LINKS, PDF only). An internal link "#N" (slide N)
 *    becomes a link to the named destination "slide-N": the PDF writer
 *    records where each slide landed and writer/pdffix.c turns the names into
 *    explicit destinations (cairo 1.16 leaves its name tree empty), so a
 *    link may point forwards, and to whatever page the slide ended up on
 *    (--pages, handouts); links to slides that were not written are removed
 *    there.
 *  - image edges (DK_CANVAS_VECTOR, PDF and SVG). On a raster surface a
 *    bitmap is drawn with EXTEND_PAD, so its edges do not fade into the
 *    background when scaled. On a vector surface cairo's writer would then
 *    re-render a padded copy of the bitmap (losing a JPEG's original bytes),
 *    so images go with EXTEND_NONE there; an SVG image (a recording surface)
 *    always does, or it would be rasterised outright.
 *
 * Which surface an image hands out depends on the target (image.h): a PDF
 * gets an opaque PNG's pass-through stand-in, a 1x1 surface that stands
 * for the unit square, so images are scaled from the source's own size,
 * not from the intrinsic one.
 */
#include "canvas.h"

#include <cairo.h>
#include <math.h>

#define PI 3.14159265358979323846
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 64 };

typedef struct {
    dk_canvas base;
    cairo_t *cr;
    int flags; /* DK_CANVAS_* */
    int depth;
    double alpha[MAX_DEPTH]; /* < 0: a clip (restore); else a group to paint with alpha */
} ccanvas;

static void set_rgba(cairo_t *cr, dk_rgba c) {
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a / 255.0);
}

static void rounded(cairo_t *cr, dk_rect r, const float rad[4]) {
    if (!rad || (rad[0] <= 0 && rad[1] <= 0 && rad[2] <= 0 && rad[3] <= 0)) {
        cairo_rectangle(cr, r.x, r.y, r.w, r.h);
        return;
    }
    double lim = DK_MIN(r.w, r.h) / 2, tl = DK_MIN(rad[0], lim), tr = DK_MIN(rad[1], lim),
           br = DK_MIN(rad[2], lim), bl = DK_MIN(rad[3], lim);
    cairo_new_sub_path(cr);
    cairo_arc(cr, r.x + r.w - tr, r.y + tr, tr, -PI / 2, 0);
    cairo_arc(cr, r.x + r.w - br, r.y + r.h - br, br, 0, PI / 2);
    cairo_arc(cr, r.x + bl, r.y + r.h - bl, bl, PI / 2, PI);
    cairo_arc(cr, r.x + tl, r.y + tl, tl, PI, 3 * PI / 2);
    cairo_close_path(cr);
}

static void c_fill_rect(dk_canvas *c, dk_rect r, const float radius[4], dk_rgba color) {
    cairo_t *cr = ((ccanvas *)c)->cr;
    set_rgba(cr, color);
    rounded(cr, r, radius);
    cairo_fill(cr);
}

static void c_stroke_border(dk_canvas *c, dk_rect r, const double w[4], const dk_rgba color[4],
                            const unsigned char style[4], const float radius[4]) {
    cairo_t *cr = ((ccanvas *)c)->cr;
    int uniform = 1;
    for (int i = 1; i < 4; i++)
        uniform &= w[i] == w[0] && memcmp(&color[i], &color[0], sizeof color[0]) == 0 &&
                   style[i] == style[0];
    cairo_save(cr);
    if (uniform) {
        /* one path along the middle of the border */
        double h = w[0] / 2;
        float rad[4];
        for (int i = 0; i < 4; i++) rad[i] = radius ? (float)DK_MAX(radius[i] - h, 0) : 0;
        rounded(cr, (dk_rect){r.x + h, r.y + h, r.w - w[0], r.h - w[0]}, rad);
        set_rgba(cr, color[0]);
        cairo_set_line_width(cr, w[0]);
        if (style[0] == DK_BORDER_DASHED || style[0] == DK_BORDER_DOTTED) {
            double d = style[0] == DK_BORDER_DASHED ? 3 * w[0] : w[0];
            cairo_set_dash(cr, &d, 1, 0);
        }
        cairo_stroke(cr);
    } else {
        /* each side as a trapezoid so corners meet on the diagonal */
        double x0 = r.x, y0 = r.y, x1 = r.x + r.w, y1 = r.y + r.h;
        double pts[4][8] = {
            {x0, y0, x1, y0, x1 - w[1], y0 + w[0], x0 + w[3], y0 + w[0]},
            {x1, y0, x1, y1, x1 - w[1], y1 - w[2], x1 - w[1], y0 + w[0]},
            {x1, y1, x0, y1, x0 + w[3], y1 - w[2], x1 - w[1], y1 - w[2]},
            {x0, y1, x0, y0, x0 + w[3], y0 + w[0], x0 + w[3], y1 - w[2]},
        };
        for (int i = 0; i < 4; i++) {
            if (w[i] <= 0 || style[i] == DK_BORDER_NONE) continue;
            cairo_move_to(cr, pts[i][0], pts[i][1]);
            for (int k = 2; k < 8; k += 2) cairo_line_to(cr, pts[i][k], pts[i][k + 1]);
            cairo_close_path(cr);
            set_rgba(cr, color[i]);
            cairo_fill(cr);
        }
    }
    cairo_restore(cr);
}

/* What the image module should hand out for the surface under `cr`. */
static dk_image_target target_of(cairo_t *cr) {
    switch (cairo_surface_get_type(cairo_get_target(cr))) {
    case CAIRO_SURFACE_TYPE_PDF: return DK_IMAGE_PDF;
    case CAIRO_SURFACE_TYPE_SVG: return DK_IMAGE_SVG;
    default: return DK_IMAGE_RASTER;
    }
}

/*
 * A bitmap on a raster surface, reduced once to the box's size in device
 * pixels and drawn 1:1 at the nearest pixel: cairo's GOOD filter would
 * otherwise resample the full-size image on every paint (a third of the
 * time of a PNG slide with a photo). Only for a scale without rotation and
 * a reduction; returns 0 when it did not draw.
 */
static int image_reduced(cairo_t *cr, dk_rect r, const dk_image *img) {
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    if (m.xy != 0 || m.yx != 0 || m.xx <= 0 || m.yy <= 0) return 0;
    double x0 = r.x, y0 = r.y, x1 = r.x + r.w, y1 = r.y + r.h;
    cairo_user_to_device(cr, &x0, &y0);
    cairo_user_to_device(cr, &x1, &y1);
    double px = round(x0), py = round(y0);
    long w = lround(x1 - x0), h = lround(y1 - y0);
    if (w <= 0 || h <= 0 || w > 65535 || h > 65535) return 0;
    cairo_surface_t *s = dk_image_source_scaled(img, (int)w, (int)h);
    if (!s) return 0;
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_set_source_surface(cr, s, px, py);
    cairo_paint(cr);
    cairo_restore(cr);
    return 1;
}

static int c_image(dk_canvas *c, dk_rect r, const dk_image *img) {
    ccanvas *cc = (ccanvas *)c;
    cairo_t *cr = cc->cr;
    if (img->w <= 0 || img->h <= 0 || r.w <= 0 || r.h <= 0) return 1;
    dk_image_target t = target_of(cr);
    int raster = !(cc->flags & DK_CANVAS_VECTOR);
    cairo_save(cr);
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_clip(cr);
    /* first: a reduction made before needs no decoding (image.h) */
    if (raster && t == DK_IMAGE_RASTER && image_reduced(cr, r, img)) {
        cairo_restore(cr);
        return 1;
    }
    double sw, sh;
    cairo_surface_t *s = dk_image_source(img, t, &sw, &sh);
    if (!s || sw <= 0 || sh <= 0) {
        cairo_restore(cr);
        return 0;
    }
    int pad = raster && cairo_surface_get_type(s) != CAIRO_SURFACE_TYPE_RECORDING;
    cairo_translate(cr, r.x, r.y);
    cairo_scale(cr, r.w / sw, r.h / sh);
    cairo_set_source_surface(cr, s, 0, 0);
    if (pad) {
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    } else {
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_NONE);
    }
    cairo_paint(cr);
    cairo_restore(cr);
    return 1;
}

static void c_placeholder(dk_canvas *c, dk_rect r, const dk_textlayout *alt) {
    cairo_t *cr = ((ccanvas *)c)->cr;
    cairo_save(cr);
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_set_source_rgb(cr, 0.94, 0.94, 0.94);
    cairo_fill_preserve(cr);
    cairo_clip(cr);
    /* a crossed box, like a broken image in a browser but easier to spot on a slide */
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 2);
    double d = 6;
    cairo_set_dash(cr, &d, 1, 0);
    cairo_rectangle(cr, r.x + 1, r.y + 1, r.w - 2, r.h - 2);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, r.x, r.y);
    cairo_line_to(cr, r.x + r.w, r.y + r.h);
    cairo_move_to(cr, r.x + r.w, r.y);
    cairo_line_to(cr, r.x, r.y + r.h);
    cairo_stroke(cr);
    if (alt) {
        double tx = r.x + (r.w - alt->width) / 2, ty = r.y + (r.h - alt->h) / 2;
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_rectangle(cr, tx - 4, ty - 2, alt->width + 8, alt->h + 4);
        cairo_fill(cr);
        dk_text_pango_paint(cr, alt, tx, ty);
    }
    cairo_restore(cr);
}

static void c_text(dk_canvas *c, const dk_textlayout *tl, double x, double y) {
    dk_text_pango_paint(((ccanvas *)c)->cr, tl, x, y);
}

/* cairo's tag attributes quote strings with '...': escape ' and \ */
static char *quote(const char *s) {
    size_t n = strlen(s);
    char *q = malloc(2 * n + 1), *w = q;
    if (!q) return NULL;
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\') *w++ = '\\';
        *w++ = *s;
    }
    *w = 0;
    return q;
}

static void c_link(dk_canvas *c, dk_rect r, const char *href) {
    ccanvas *cc = (ccanvas *)c;
    if (!(cc->flags & DK_CANVAS_LINKS) || !href || !*href) return;
    /* link rects are in user space before cairo applies the CTM; give device space */
    double x0 = r.x, y0 = r.y, x1 = r.x + r.w, y1 = r.y + r.h;
    cairo_user_to_device(cc->cr, &x0, &y0);
    cairo_user_to_device(cc->cr, &x1, &y1);
    char attrs[4096];
    if (href[0] == '#') {
        char *end;
        long page = strtol(href + 1, &end, 10);
        if (*end || page < 1 || page > 1000000) return; /* only slide numbers are targets */
        snprintf(attrs, sizeof attrs, "rect=[%.2f %.2f %.2f %.2f] dest='slide-%ld'", x0, y0,
                 x1 - x0, y1 - y0, page);
    } else {
        char *q = quote(href);
        if (!q) return;
        snprintf(attrs, sizeof attrs, "rect=[%.2f %.2f %.2f %.2f] uri='%s'", x0, y0, x1 - x0,
                 y1 - y0, q);
        free(q);
    }
    cairo_tag_begin(cc->cr, CAIRO_TAG_LINK, attrs);
    cairo_tag_end(cc->cr, CAIRO_TAG_LINK);
}

static void c_push_clip(dk_canvas *c, dk_rect r) {
    ccanvas *cc = (ccanvas *)c;
    cairo_save(cc->cr);
    cairo_rectangle(cc->cr, r.x, r.y, r.w, r.h);
    cairo_clip(cc->cr);
    if (cc->depth < MAX_DEPTH) cc->alpha[cc->depth] = -1;
    cc->depth++;
}

static void c_push_clip_rounded(dk_canvas *c, dk_rect r, const float radius[4]) {
    ccanvas *cc = (ccanvas *)c;
    cairo_save(cc->cr);
    rounded(cc->cr, r, radius);
    cairo_clip(cc->cr);
    if (cc->depth < MAX_DEPTH) cc->alpha[cc->depth] = -1;
    cc->depth++;
}

static void c_stroke_path(dk_canvas *c, const double *xy, int npts, double width, dk_rgba color) {
    cairo_t *cr = ((ccanvas *)c)->cr;
    if (npts < 2) return;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_move_to(cr, xy[0], xy[1]);
    for (int i = 1; i < npts; i++) cairo_line_to(cr, xy[2 * i], xy[2 * i + 1]);
    cairo_set_line_width(cr, width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    set_rgba(cr, color);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void c_push_opacity(dk_canvas *c, double opacity) {
    ccanvas *cc = (ccanvas *)c;
    cairo_push_group(cc->cr);
    if (cc->depth < MAX_DEPTH) cc->alpha[cc->depth] = opacity;
    cc->depth++;
}

static void c_pop(dk_canvas *c) {
    ccanvas *cc = (ccanvas *)c;
    if (cc->depth == 0) return;
    cc->depth--;
    double a = cc->depth < MAX_DEPTH ? cc->alpha[cc->depth] : -1;
    if (a < 0) {
        cairo_restore(cc->cr);
    } else {
        cairo_pop_group_to_source(cc->cr);
        cairo_paint_with_alpha(cc->cr, a);
    }
}

static const dk_canvas_ops cairo_ops = {
    c_fill_rect, c_stroke_border, c_image, c_placeholder, c_text, c_link,
    c_push_clip, c_push_opacity, c_pop,
};
static const dk_canvas_ops2 cairo_ops2 = {c_push_clip_rounded, c_stroke_path};

dk_status dk_canvas_cairo_new(struct _cairo *cr, int flags, dk_canvas **out) {
    ccanvas *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c) return DK_ENOMEM;
    c->base.ops = &cairo_ops;
    c->base.ops2 = &cairo_ops2;
    c->cr = cr;
    c->flags = flags;
    *out = &c->base;
    return DK_OK;
}

void dk_canvas_free(dk_canvas *c) { free(c); }
