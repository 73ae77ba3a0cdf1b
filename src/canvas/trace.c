/*
 * The trace canvas: one text line per drawing call, so tests can check
 * what paint/ asked for without comparing pixels.
 */
#include "canvas.h"

#include <stdlib.h>

typedef struct {
    dk_canvas base;
    dk_buf *log;
} tcanvas;

static dk_buf *logof(dk_canvas *c) { return ((tcanvas *)c)->log; }

static void t_fill_rect(dk_canvas *c, dk_rect r, const float radius[4], dk_rgba k) {
    dk_buf_printf(logof(c), "fill %.2f %.2f %.2f %.2f #%02x%02x%02x%02x r%.1f\n", r.x, r.y, r.w,
                  r.h, k.r, k.g, k.b, k.a, radius ? radius[0] : 0.0);
}
static void t_stroke_border(dk_canvas *c, dk_rect r, const double w[4], const dk_rgba k[4],
                            const unsigned char style[4], const float radius[4]) {
    (void)radius;
    dk_buf_printf(logof(c), "border %.2f %.2f %.2f %.2f w%.1f,%.1f,%.1f,%.1f #%02x%02x%02x s%d\n",
                  r.x, r.y, r.w, r.h, w[0], w[1], w[2], w[3], k[0].r, k[0].g, k[0].b, style[0]);
}
static int t_image(dk_canvas *c, dk_rect r, const dk_image *img) {
    dk_buf_printf(logof(c), "image %.2f %.2f %.2f %.2f %dx%d\n", r.x, r.y, r.w, r.h, img->w, img->h);
    return 1;
}
static void t_placeholder(dk_canvas *c, dk_rect r, const dk_textlayout *alt) {
    dk_buf_printf(logof(c), "placeholder %.2f %.2f %.2f %.2f \"%s\"\n", r.x, r.y, r.w, r.h,
                  alt ? alt->para->text : "");
}
static void t_text(dk_canvas *c, const dk_textlayout *tl, double x, double y) {
    dk_buf_printf(logof(c), "text %.2f %.2f lines=%d \"%.*s\"\n", x, y, tl->nlines,
                  (int)DK_MIN(tl->para->len, 40), tl->para->text);
}
static void t_link(dk_canvas *c, dk_rect r, const char *href) {
    dk_buf_printf(logof(c), "link %.2f %.2f %.2f %.2f %s\n", r.x, r.y, r.w, r.h, href);
}
static void t_push_clip(dk_canvas *c, dk_rect r) {
    dk_buf_printf(logof(c), "clip %.2f %.2f %.2f %.2f\n", r.x, r.y, r.w, r.h);
}
static void t_push_opacity(dk_canvas *c, double a) { dk_buf_printf(logof(c), "opacity %.2f\n", a); }
static void t_pop(dk_canvas *c) { dk_buf_adds(logof(c), "pop\n"); }
static void t_push_clip_rounded(dk_canvas *c, dk_rect r, const float rad[4]) {
    dk_buf_printf(logof(c), "clip %.2f %.2f %.2f %.2f r%.1f,%.1f,%.1f,%.1f\n", r.x, r.y, r.w, r.h,
                  rad[0], rad[1], rad[2], rad[3]);
}
static void t_stroke_path(dk_canvas *c, const double *xy, int npts, double w, dk_rgba k) {
    dk_buf_printf(logof(c), "path w%.1f #%02x%02x%02x%02x", w, k.r, k.g, k.b, k.a);
    for (int i = 0; i < npts; i++) dk_buf_printf(logof(c), " %.2f,%.2f", xy[2 * i], xy[2 * i + 1]);
    dk_buf_addc(logof(c), '\n');
}

static const dk_canvas_ops trace_ops = {
    t_fill_rect, t_stroke_border, t_image, t_placeholder, t_text, t_link,
    t_push_clip, t_push_opacity, t_pop,
};
static const dk_canvas_ops2 trace_ops2 = {t_push_clip_rounded, t_stroke_path};

dk_status dk_canvas_trace_new(dk_buf *log, dk_canvas **out) {
    tcanvas *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c) return DK_ENOMEM;
    c->base.ops = &trace_ops;
    c->base.ops2 = &trace_ops2;
    c->log = log;
    *out = &c->base;
    return DK_OK;
}
