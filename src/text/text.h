/*
 * text/ — paragraphs of inline content in, lines out.
 *
 * Layout never calls pango: it hands a whole paragraph (the block's inline
 * content, flattened into text plus attributed runs) to a dk_text backend
 * and gets lines back, with where each run landed. Line breaking, bidi
 * reordering and shaping across runs are the backend's job, because a
 * word-by-word measuring loop gets Arabic, Thai and CJK wrong.
 *
 * Backends: pango.c (real, pango + harfbuzz through a private fontconfig),
 * fake.c (every glyph 10 px wide, 20 px tall: numbers checkable by hand).
 *
 * Line geometry follows CSS, not pango: every line box contains the
 * paragraph's strut (the block's font and line-height), each text run
 * contributes its line-height split into half-leadings around its font's
 * ascent + descent, and atomic inline boxes (images) sit on the baseline.
 */
#ifndef DK_TEXT_H
#define DK_TEXT_H

#include "../base/base.h"
#include "../css/css.h"

/* One attributed run of a paragraph's text. */
typedef struct {
    size_t start, end;      /* bytes [start, end) of dk_para.text */
    const dk_style *style;  /* font, colour, decoration, line-height */
    const char *href;       /* the enclosing link's target, or NULL */
    int atomic;             /* DK_RUN_ATOMIC: an atomic inline (image, inline-block): text is
                               U+FFFC; DK_RUN_EDGE: an inline box's start or end margin +
                               border + padding (owner): box_w wide, its font's height, text
                               DK_EDGE_START or DK_EDGE_END */
    double box_w, box_h;    /* atomic: margin-box size in px */
    double box_baseline;    /* atomic: baseline distance from the box top (box_h for images) */
    const void *owner;      /* whose own text this is (the caller's element box), for line counts */
    /* added for issue 4 (zero means "not known": a zeroed run behaves as before) */
    const char *lang;       /* BCP 47 tag from the run's nearest lang="", or NULL: dk_para.lang */
    size_t src;             /* deck offset of the run's text, for diagnostics; 0 or DK_NOPOS:
                               unknown (then dk_para.src is used) */
    double shift;           /* px the run's baseline is raised (vertical-align sub/super) */
} dk_run;

enum { DK_RUN_ATOMIC = 1, DK_RUN_EDGE = 2 };

/* The one character of an edge run (box/ says why these two). */
#define DK_EDGE_START "\xE2\x81\xA4" /* U+2064 */
#define DK_EDGE_END "\x01"

/* Base direction of a paragraph, from the nearest dir="" attribute. */
typedef enum {
    DK_DIR_UNSET = 0,       /* no dir="": style->direction_rtl, else the first strong character */
    DK_DIR_LTR,
    DK_DIR_RTL,
    DK_DIR_AUTO,            /* dir="auto": the first strong character (UAX #9 P2, P3) */
} dk_text_dir;

typedef struct {
    const char *text;       /* UTF-8, white space already processed */
    size_t len;
    dk_run *runs;           /* cover text in order, without gaps */
    int nruns;
    const dk_style *style;  /* the block: strut, text-align, direction */
    const char *lang;       /* BCP 47 tag from the nearest lang="", or NULL */
    /* added for issue 4 */
    unsigned char dir;      /* dk_text_dir, from the nearest dir="" (box/ fills it) */
    size_t src;             /* deck offset of the paragraph's first text; 0 or DK_NOPOS: unknown */
} dk_para;

/* Does edge run `r` of `p` hold its box's inline-end side (else its start side)? */
static inline int dk_edge_is_end(const dk_para *p, const dk_run *r) {
    return p->text[r->start] == DK_EDGE_END[0];
}

typedef struct {
    double x, y, w, h;
} dk_rect;

typedef struct {
    double y, h;            /* line box, from the paragraph top */
    double baseline;        /* from the paragraph top */
    double x, w;            /* horizontal extent of the line's content after alignment */
    size_t start, end;      /* text bytes on this line */
} dk_line;

/* One run's piece on one line. */
typedef struct {
    int run, line;
    dk_rect r;              /* from the paragraph top-left */
} dk_frag;

typedef struct dk_textlayout {
    double w, h;            /* widest line; sum of line heights */
    double width;           /* the width it was broken at (< 0: unbounded) */
    dk_line *lines;
    int nlines;
    dk_rect *run_rect;      /* per run: union of its fragments (font content area, as a
                               browser's getBoundingClientRect of an inline) */
    int *run_first_line, *run_last_line; /* per run; -1 when it is not on any line */
    dk_frag *frags;         /* every run's pieces, line by line (link areas) */
    int nfrags;
    const dk_para *para;
    void *impl;             /* backend data (a PangoLayout for pango.c) */
    int missing;            /* characters drawn as missing-glyph boxes (each is warned about
                               once per deck position) */
    int rtl;                /* the paragraph's resolved base direction is right-to-left */
} dk_textlayout;

typedef struct dk_text dk_text;

struct dk_text {
    /*
     * Break `p` into lines `width` px wide (< 0: no wrapping) and measure
     * them. The result and its arrays come from `a` (backend objects are
     * released when `a` is freed). Fails only with DK_ENOMEM.
     */
    dk_status (*layout)(dk_text *t, dk_arena *a, const dk_para *p, double width,
                        dk_textlayout **out);
    /*
     * Widest unbreakable piece (min-content) and unwrapped width (max-content);
     * either pointer may be NULL when that width is not wanted (it is not computed).
     */
    dk_status (*measure)(dk_text *t, dk_arena *a, const dk_para *p, double *min_w,
                         double *max_w);
    void (*destroy)(dk_text *t);
};

/* The pango backend over a private fontconfig configuration (takes no ownership). */
struct _FcConfig;
dk_status dk_text_pango_new(dk_ctx *ctx, struct _FcConfig *fc, dk_text **out);
/* The fake backend: glyph advance 10 px, ascent 16, descent 4 (per 20 px of font-size). */
dk_status dk_text_fake_new(dk_text **out);

/*
 * The Debian package whose fonts draw `cp` (by Unicode block), e.g.
 * "fonts-noto-cjk" for U+4E2D, or NULL when none is known (private use,
 * unassigned). Static string.
 */
const char *dk_text_font_package(uint32_t cp);

/* Paint one laid-out paragraph at (x, y) (its top-left) on a cairo context (pango.c only). */
struct _cairo;
void dk_text_pango_paint(struct _cairo *cr, const dk_textlayout *tl, double x, double y);

#endif
