/*
 * writer/ — writers: where laid-out slides go.
 *
 * The render driver hands each writer the deck's facts once (begin), every
 * slide in order while its arena is alive (slide), and then end(ok). A
 * writer paints through paint/ onto its own surface, or dumps the boxes,
 * and writes its files atomically (temporary file, then rename); end()
 * with ok == 0 must leave no output behind.
 */
#ifndef DK_OUT_WRITER_H
#define DK_OUT_WRITER_H

#include "../base/base.h"
#include "../box/box.h"
#include "../deck/deck.h"
#include "../dom/dom.h"

/* What every writer may need about the deck. */
typedef struct dk_deck_info dk_deck_info;
struct dk_deck_info {
    dk_ctx *ctx;
    const dk_deck *deck;
    const char *output;      /* file, or folder for per-slide outputs */
    const char *stem;        /* deck file name without extension */
    const char *deck_dir;
    const char *data_dir;    /* fonts/ and themes/ */
    const char *theme_css;   /* the theme's text (HTML export) */
    double width, height;    /* slide size, CSS px */
    double scale;            /* PNG pixels per CSS px */
    long source_date_epoch;  /* -1: not set */
    int nslides;             /* slides in the deck */
    int nselected;           /* slides that will be written (--pages) */
    int handout;             /* PDF: slides per page, 0: one slide a page */
    int paper_letter;        /* handouts: US Letter, else A4 */
    int notes;               /* handouts: speaker notes beside the slides */
    int transparent;         /* PNG: alpha background */
    int compression;         /* PNG: zlib level, -1: default */
    dk_pool *pool;           /* threads for work without pango, fontconfig or cairo; or NULL */
    int nparts;              /* PDF: the deck is written in this many parts, then joined */
    int part;                /* PDF: -1 all of them (and the join); else only this one,
                                left for the caller: part_written(d, its path) */
    void (*part_written)(const dk_deck_info *d, const char *path);
    /* per-slide formats: slide `index`'s file is written (in slide order; during
       slide() or end(), not always the slide's own call) */
    dk_status (*slide_written)(const dk_deck_info *d, int index);
    void *ud;
};

/* One laid-out slide, valid during the slide() call only. */
typedef struct {
    int index;               /* 1-based slide number */
    size_t src;              /* deck offset of the slide's first byte */
    const dk_node *dom;      /* the <html> element */
    const dk_box *body;      /* laid out */
    const char *title;       /* first heading's text, or NULL */
    const char *notes;       /* speaker notes (<aside class="notes">), or NULL */
    double text_scale;       /* 1, or how far render/ shrank the text to fit */
    int rank;                /* 0-based among the selected slides (its page, one a page) */
} dk_slide_out;

typedef struct dk_writer dk_writer;
struct dk_writer {
    dk_status (*begin)(dk_writer *w, const dk_deck_info *d);
    dk_status (*slide)(dk_writer *w, const dk_deck_info *d, const dk_slide_out *s);
    dk_status (*end)(dk_writer *w, const dk_deck_info *d, int ok);
    void (*destroy)(dk_writer *w);
};

dk_status dk_writer_pdf_new(dk_writer **out);

/*
 * The parts of one PDF that slices wrote (d->part >= 0, each with its
 * PART.info), in any order: joined into the PDF their infos name (*output,
 * malloc'd). `complete`: the caller has every part; without it, or when
 * the parts do not fit together, an error and DK_EIO. The parts and their
 * infos are removed in every case.
 */
dk_status dk_pdf_join_parts(dk_ctx *ctx, const char *const *parts, int n, int complete,
                            long source_date_epoch, char **output);
/* Remove parts (and their infos) that will not be joined. */
void dk_pdf_discard_parts(const char *const *parts, int n);
/* Track a part reported by another process, and its info (dk_tmp_track): the join removes them. */
void dk_pdf_track_part(const char *part);
/*
 * The process ends once the running render or join returns: the documents
 * of a PDF rewrite or join are left to exit instead of freed (pdffix.c).
 */
void dk_pdf_ending(void);
/*
 * Start loading libqpdf on a thread of its own, for a process that will
 * rewrite a PDF: it is loaded when first needed otherwise (what it costs is
 * in pdffix.c). Once per process; a fork() waits for the load to end.
 */
void dk_pdf_preload(void);
dk_status dk_writer_png_new(dk_writer **out);
dk_status dk_writer_layout_new(dk_writer **out);
dk_status dk_writer_html_new(dk_writer **out);
dk_status dk_writer_svg_new(dk_writer **out);

/* The per-slide file name DIR/<stem>.NNN.<ext> (or FILE.NNN.<ext> for -o FILE.<ext>), malloc'd. */
char *dk_slide_file(const dk_deck_info *d, int index, const char *ext);

#endif
