/*
 * render/ — the pipeline for one deck: read, split, and for every slide
 * md -> dom -> css -> box -> layout -> paint, into the chosen writer.
 *
 * Deck-lifetime things (theme sheets, fonts, the text backend, decoded
 * images) live here; each slide gets an arena that dies after the slide.
 */
#ifndef DK_RENDER_H
#define DK_RENDER_H

#include "../base/base.h"

typedef enum { DK_FMT_PDF, DK_FMT_PNG, DK_FMT_LAYOUT, DK_FMT_HTML, DK_FMT_SVG } dk_format;

typedef struct {
    dk_format format;
    const char *output;      /* file, or folder for per-slide formats; NULL: beside the deck */
    const char *theme;       /* a theme name or a .css path; NULL: front matter, else "default" */
    double scale;            /* PNG pixels per CSS px (1 gives 1280x720) */
    double width, height;    /* slide size in CSS px; 0: from the deck, else 1280x720 */
    int fix_text;            /* repair mojibake */
    int allow_outside;       /* images outside the project folder */
    int quiet, verbose;
    long source_date_epoch;  /* -1: not set */
    const char *pages;       /* slide selection "2-4,6", NULL: all */
    int handout;             /* PDF: slides per page (1, 2, 3, 4, 6, 9), 0: one slide a page */
    int paper_letter;        /* handouts on US Letter instead of A4 */
    int notes;               /* handouts: print speaker notes beside the slides */
    int transparent;         /* PNG: alpha background */
    int compression;         /* PNG: zlib level 0-9, -1: default */
} dk_options;

void dk_options_init(dk_options *o);

/*
 * A --size value: "WxH" in CSS px (scale untouched), or a preset for where
 * images are posted — "16:9" (1920x1080 px), "4:3" (1440x1080), "square"
 * (1080x1080), "portrait" (1080x1350), "og" (1200x630) — laid out with the
 * short side 720 CSS px and scaled to the pixel size. Returns 0 if `s` is
 * neither.
 */
int dk_size_parse(const char *s, double *css_w, double *css_h, double *scale);

/*
 * Parse a slide selection "2-4,6" (1-based, ranges inclusive, "3-" to the
 * end) into sel[0..n) (1 = selected). Returns 0 on a malformed selection.
 */
int dk_pages_parse(const char *s, int n, unsigned char *sel);

/*
 * Render the deck at `path` ("-" for standard input) as `o` says. Warnings
 * and errors go to stderr as file:line:col; *nwarn gets their count.
 * DK_EIO when the deck cannot be read or an output cannot be written,
 * DK_ENOMEM, DK_EINPUT for a deck that cannot be rendered at all.
 */
dk_status dk_render_file(const char *path, const dk_options *o, int *nwarn);

#endif
