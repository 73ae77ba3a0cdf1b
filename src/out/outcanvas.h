/*
 * out/outcanvas — the writers' view of the cairo canvas.
 *
 * Every writer paints a slide through paint/ onto canvas/cairo.c. A few
 * things depend on the output rather than the slide, so the writers wrap
 * that canvas in this one, which forwards every call except:
 *
 *  - links: PDF only. An internal link "#N" (slide N) becomes a link to the
 *    named destination "slide-N"; the PDF writer records where each slide
 *    landed and pdffix.c turns the names into explicit destinations (cairo
 *    1.16 leaves its name tree empty), so a link may point forwards, and to
 *    whatever page the slide ended up on (--pages, handouts); links to
 *    slides that were not written are removed there. External links go to
 *    the cairo canvas. Other formats get no links.
 *  - images, with DK_OUT_VECTOR (PDF, SVG): drawn with EXTEND_NONE. The
 *    cairo canvas pads image edges (right for bitmaps), but cairo's PDF
 *    writer then re-renders a padded copy of a bitmap (losing a JPEG's
 *    original bytes) and rasterises a vector source (an SVG image) outright.
 *  - with `transparent`, the page fill paint/ makes first (the root
 *    background over the whole slide) is left out, so a PNG keeps its alpha.
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
