/*
 * writer/outcanvas — how the writers paint a slide: paint/ onto canvas/cairo.c,
 * with what depends on the output rather than the slide:
 *
 *  - DK_OUT_LINKS (PDF, handouts): link annotations; internal "#N" links go
 *    to the named destination "slide-N" (canvas/cairo.c, writer/pdffix.c).
 *  - DK_OUT_VECTOR (PDF, SVG): images drawn without edge padding, so a
 *    JPEG keeps its bytes and an SVG image stays vector (canvas/cairo.c).
 *  - DK_OUT_TRANSPARENT: no page background (paint/'s DK_PAINT_NO_PAGE_BG),
 *    so a PNG or SVG keeps its alpha.
 */
#ifndef DK_OUT_OUTCANVAS_H
#define DK_OUT_OUTCANVAS_H

#include "../box/box.h"
#include "../canvas/canvas.h"

struct _cairo;

enum { DK_OUT_LINKS = 1, DK_OUT_TRANSPARENT = 2, DK_OUT_VECTOR = 4 };

/*
 * Paint the laid-out slide `body` (width x height CSS px) onto `cr`, whose
 * user space must be CSS px, through the canvas described above.
 * DK_ENOMEM only; cairo's own errors stay on `cr` for the caller to check.
 */
dk_status dk_outcanvas_paint(struct _cairo *cr, int flags, const dk_box *body, double width,
                             double height);

#endif
