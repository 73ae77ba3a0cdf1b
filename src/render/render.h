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

typedef enum { DK_FMT_PDF, DK_FMT_PNG, DK_FMT_LAYOUT, DK_FMT_HTML } dk_format;

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
} dk_options;

void dk_options_init(dk_options *o);

/*
 * Render the deck at `path` ("-" for standard input) as `o` says. Warnings
 * and errors go to stderr as file:line:col; *nwarn gets their count.
 * DK_EIO when the deck cannot be read or an output cannot be written,
 * DK_ENOMEM, DK_EINPUT for a deck that cannot be rendered at all.
 */
dk_status dk_render_file(const char *path, const dk_options *o, int *nwarn);

#endif
