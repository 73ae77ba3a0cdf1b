/*
 * The PNG writer: one image per slide, the slide size times the scale.
 */
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../canvas/canvas.h"
#include "../paint/paint.h"
#include "writer.h"

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int n) {
    dk_buf *b = closure;
    dk_buf_add(b, data, n);
    return b->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static dk_status png_begin(dk_writer *w, const dk_deck_info *d) {
    (void)w;
    (void)d;
    return DK_OK;
}

static dk_status png_slide(dk_writer *w, const dk_deck_info *d, const dk_slide_out *s) {
    (void)w;
    int pw = (int)lround(d->width * d->scale), ph = (int)lround(d->height * d->scale);
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    cairo_t *cr = cairo_create(surf);
    cairo_scale(cr, d->scale, d->scale);
    dk_canvas *c;
    dk_status st = dk_canvas_cairo_new(cr, 0, &c);
    if (st == DK_OK) {
        dk_paint(c, s->body, d->width, d->height);
        dk_canvas_free(c);
    }
    cairo_destroy(cr);
    dk_buf png = {0};
    if (st == DK_OK && cairo_surface_write_to_png_stream(surf, to_buf, &png) != CAIRO_STATUS_SUCCESS)
        st = png.oom ? DK_ENOMEM : DK_EIO;
    cairo_surface_destroy(surf);
    char *file = st == DK_OK ? dk_slide_file(d, s->index, "png") : NULL;
    if (st == DK_OK && !file) st = DK_ENOMEM;
    if (st == DK_OK && (st = dk_file_write_atomic(file, png.p, png.n)))
        dk_diag_error(d->ctx, DK_NOPOS, "cannot write %s: %s", file, strerror(errno));
    free(file);
    dk_buf_free(&png);
    return st;
}

static dk_status png_end(dk_writer *w, const dk_deck_info *d, int ok) {
    (void)w;
    (void)d;
    (void)ok;
    return DK_OK;
}

static void png_destroy(dk_writer *w) { free(w); }

dk_status dk_writer_png_new(dk_writer **out) {
    dk_writer *w = calloc(1, sizeof *w);
    *out = w;
    if (!w) return DK_ENOMEM;
    *w = (dk_writer){png_begin, png_slide, png_end, png_destroy};
    return DK_OK;
}
