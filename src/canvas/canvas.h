/*
 * canvas/ — where paint/ draws: an abstract device.
 *
 * paint/ makes no decisions about formats; it calls these operations in
 * CSS px. cairo.c draws on a cairo surface (PDF, PNG, SVG); trace.c logs
 * each call as a text line, for tests.
 */
#ifndef DK_CANVAS_H
#define DK_CANVAS_H

#include "../base/base.h"
#include "../css/css.h"
#include "../image/image.h"
#include "../text/text.h"

typedef struct dk_canvas dk_canvas;

typedef struct {
    void (*fill_rect)(dk_canvas *c, dk_rect r, const float radius[4], dk_rgba color);
    void (*stroke_border)(dk_canvas *c, dk_rect r, const double width[4], const dk_rgba color[4],
                          const unsigned char style[4], const float radius[4]);
    /* An image in r; 0 when it had nothing to draw (its pixels failed to decode, warned). */
    int (*image)(dk_canvas *c, dk_rect r, const dk_image *img);
    /* A missing image: its box marked, with the alt text (laid out, may be NULL) inside. */
    void (*placeholder)(dk_canvas *c, dk_rect r, const dk_textlayout *alt);
    void (*text)(dk_canvas *c, const dk_textlayout *tl, double x, double y);
    void (*link)(dk_canvas *c, dk_rect r, const char *href);
    void (*push_clip)(dk_canvas *c, dk_rect r);
    void (*push_opacity)(dk_canvas *c, double opacity);
    void (*pop)(dk_canvas *c);
} dk_canvas_ops;

/*
 * Later operations, in their own table so canvases written before them
 * (which set only `ops`) keep compiling; paint/ falls back when `ops2` or
 * an entry is NULL. A wrapping canvas should forward them.
 */
typedef struct {
    /* Clip to a rectangle with rounded corners (radii TL TR BR BL, px); undone by pop. */
    void (*push_clip_rounded)(dk_canvas *c, dk_rect r, const float radius[4]);
    /* An open polyline through npts points (x0 y0 x1 y1 ...), round joins and caps. */
    void (*stroke_path)(dk_canvas *c, const double *xy, int npts, double width, dk_rgba color);
} dk_canvas_ops2;

struct dk_canvas {
    const dk_canvas_ops *ops;
    const dk_canvas_ops2 *ops2; /* NULL: none of the later operations */
};

/* What the surface under a cairo canvas wants (see cairo.c). */
enum {
    DK_CANVAS_LINKS = 1,  /* emit link tags (PDF); "#N" links to the destination "slide-N" */
    DK_CANVAS_VECTOR = 2, /* a vector surface (PDF, SVG): images without edge padding */
};

/*
 * A canvas over a cairo context (drawing in CSS px: scale it before);
 * `flags` are DK_CANVAS_*. Free with dk_canvas_free. DK_ENOMEM only.
 */
struct _cairo;
dk_status dk_canvas_cairo_new(struct _cairo *cr, int flags, dk_canvas **out);
/* A canvas that appends one line per call to `log`. */
dk_status dk_canvas_trace_new(dk_buf *log, dk_canvas **out);
void dk_canvas_free(dk_canvas *c);

#endif
