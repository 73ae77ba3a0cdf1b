/*
 * box/ — the box tree: which boxes the styled DOM generates.
 *
 * Takes the DOM with computed styles; hands on a dk_box tree (in the slide
 * arena) that layout/ fills with used geometry. One box per rendered
 * element, in document order, plus anonymous boxes:
 *
 *   - a block container whose children mix block-level and inline-level
 *     content gets its inline runs wrapped in anonymous DK_BOX_PARA boxes;
 *   - every run of inline content is one DK_BOX_PARA holding the paragraph
 *     for text/ (text with white space processed, attributed runs); the
 *     inline elements inside it stay in the tree as DK_BOX_INLINE children
 *     of the PARA (so the dump and link painting can find them), and atomic
 *     inlines (images, inline-blocks) as their own boxes there.
 *
 * Elements with display: none generate nothing; <br> becomes a line break
 * in the paragraph text. Absolutely positioned elements keep their place in
 * the tree but contribute nothing to a paragraph (layout/ skips them in
 * flow). Runs carry the deck offset and lang="" of their text, paragraphs
 * the nearest dir="" (for text/'s diagnostics and shaping).
 */
#ifndef DK_BOX_H
#define DK_BOX_H

#include "../base/base.h"
#include "../css/css.h"
#include "../dom/dom.h"
#include "../image/image.h"
#include "../text/text.h"

typedef enum {
    DK_BOX_BLOCK,   /* block container (block, list-item, inline-block, table parts for now) */
    DK_BOX_GRID,    /* grid container */
    DK_BOX_FLEX,    /* flex container */
    DK_BOX_IMAGE,   /* replaced element (block-level or, inside a PARA, atomic inline) */
    DK_BOX_PARA,    /* anonymous: one paragraph of inline content */
    DK_BOX_INLINE,  /* inline element inside a PARA; geometry derived from its runs */
    DK_BOX_TABLE,   /* table wrapper and grid; its rows, row groups and cells are BLOCKs */
} dk_box_kind;

typedef struct dk_box {
    dk_box_kind kind;
    const dk_node *node;        /* NULL for anonymous boxes */
    const dk_style *style;      /* anonymous boxes: the parent's */
    struct dk_box *parent, *first, *last, *next;
    int atomic_inline;          /* an IMAGE or BLOCK placed inside a PARA */

    /* PARA */
    dk_para para;
    int first_run, nruns_own;   /* INLINE and atomic boxes: their runs in the PARA [first, first+n) */
    const char *href;           /* INLINE <a href> */
    const char *marker;         /* list items: the marker text ("• ", "3. ") or NULL */
    int colspan;                /* table cells: columns spanned (>= 1) */
    int checkbox;               /* IMAGE from <input type=checkbox|radio>: 1 off, 2 on; +2 radio */
    int frame;                  /* IMAGE from <iframe> or <video>: nothing of its own to draw
                                   (an embedded page or film), 300x150 unless sized */
    const dk_image *bg_image;   /* background-image, when it names a url() */

    /* IMAGE */
    const dk_image *image;
    const char *alt;

    /* ---- written by layout/ only: used values in CSS px ---- */
    double x, y, w, h;          /* border box, relative to the slide */
    double margin[4], border[4], padding[4];
    int lines;                  /* line boxes holding the element's own text */
    int last_line1;             /* layout scratch: last line counted in `lines`, plus 1 */
    dk_textlayout *text;        /* PARA; IMAGE: the alt text of a missing image */
    int overflowed;             /* content taller than the box (slide fit) */
    int collapsed;              /* table part in the collapsing border model: border[] holds
                                   half the collapsed widths, cborder[] the full ones */
    double cborder[4];
    dk_rgba ccolor[4];
    unsigned char cstyle[4];
    struct dk_tgrid *tgrid;     /* TABLE: layout's grid of rows and cells (layout scratch) */
    dk_textlayout *marker_text; /* list items: the laid-out marker text (NULL for bullets) */
    dk_rect marker_box;         /* list items: where the marker is drawn (bullet or text) */
} dk_box;

/*
 * Build the box tree for <body> of `root` (styles from css/). Images are
 * looked up through `images` (missing ones warn there). The tree and the
 * paragraphs come from `a`. Fails only with DK_ENOMEM.
 */
dk_status dk_box_build(dk_ctx *ctx, dk_arena *a, dk_images *images, const dk_node *root,
                       dk_box **out);

/* Debug: check parent/child links and paragraph run coverage (aborts on corruption). */
void dk_box_check(const dk_box *root);

/* Human-readable dump of the tree (kinds, tags, paragraph text), one box a line. */
void dk_box_dump(const dk_box *root, dk_buf *out);

/* Content box edges of a laid-out box. */
static inline double dk_box_cx(const dk_box *b) { return b->x + b->border[3] + b->padding[3]; }
static inline double dk_box_cy(const dk_box *b) { return b->y + b->border[0] + b->padding[0]; }
static inline double dk_box_cw(const dk_box *b) {
    return b->w - b->border[1] - b->border[3] - b->padding[1] - b->padding[3];
}
static inline double dk_box_ch(const dk_box *b) {
    return b->h - b->border[0] - b->border[2] - b->padding[0] - b->padding[2];
}

#endif
