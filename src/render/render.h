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

/*
 * What a caller hears while a deck renders (every member may be NULL).
 * Paths and records are borrowed for the duration of the call.
 */
typedef struct {
    void *ud;
    void (*diag)(void *ud, const dk_diag_rec *d);      /* instead of printing on stderr */
    void (*slides)(void *ud, int nslides, int nrender); /* the deck's size; slides to render here */
    void (*slide_done)(void *ud, int index);            /* 1-based slide number, written */
    void (*output)(void *ud, const char *path);         /* a file written ("-": stdout) */
    void (*input)(void *ud, const char *path);          /* a file read: deck, theme, image */
    void (*pdf_part)(void *ud, const char *path);       /* a slice's part of a PDF, to join */
} dk_render_hooks;

/*
 * A one-slide-a-page PDF of at least DK_PDF_PART_MIN selected slides is
 * written in DK_PDF_PARTS parts (runs of consecutive slides) and joined,
 * whether one process writes them all or slices (slice K/DK_PDF_PARTS) each
 * write one for dk_render_join: the same bytes either way.
 */
enum { DK_PDF_PARTS = 2, DK_PDF_PART_MIN = 128 };

typedef struct {
    dk_format format;
    const char *output;      /* file, or folder for per-slide formats; NULL: beside the deck */
    const char *theme;       /* a theme name or a .css path; NULL: front matter, else "default" */
    double scale;            /* PNG pixels per CSS px (1 gives 1280x720) */
    double width, height;    /* slide size in CSS px; 0: from the deck, else 1280x720 */
    int fix_text;            /* repair mojibake */
    int fonts_current;       /* make each deck's private font configuration fontconfig's
                                current one, so pango loads no system configuration (SVG
                                images still get the system's: dk_images_svg_system_fonts) */
    int allow_outside;       /* --allow-any-path: images from anywhere (no folder rule) */
    const char *assets;      /* --assets: more folders images may come from, one a line */
    int quiet, verbose;
    long source_date_epoch;  /* -1: not set */
    const char *pages;       /* slide selection "2-4,6", NULL: all */
    int handout;             /* PDF: slides per page (1, 2, 3, 4, 6, 9), 0: one slide a page */
    int paper_letter;        /* handouts on US Letter instead of A4 */
    int notes;               /* handouts: print speaker notes beside the slides */
    int transparent;         /* PNG: alpha background */
    int compression;         /* PNG: zlib level 0-9, -1: default */
    int threads;             /* PNG: rows deflated on this many threads (1: this one) */
    const char *data_dir;    /* fonts/ and themes/; NULL: dk_data_dir() */
    int slice_k, slice_n;    /* only the slice_k-th of slice_n runs of consecutive selected
                                slides (per-slide formats; PDFs: the parts) */
    const dk_render_hooks *hooks;
} dk_options;

void dk_options_init(dk_options *o);

/*
 * Join the parts a deck's slices wrote (each reported through pdf_part,
 * in any order) into the PDF they belong to, reported through `output`,
 * and remove them (also when the join fails). Messages name `deck`.
 */
dk_status dk_render_join(const char *deck, const char *const *parts, int n, const dk_options *o);
/*
 * Into how many slices the deck at `path` may usefully be cut (slice_k of
 * slice_n): per-slide formats, its number of selected slides; a PDF,
 * DK_PDF_PARTS when it is written in parts, else 1; anything else 1. Only
 * reads and splits the deck, and tells nothing: 1 when it cannot be read
 * or the selection is bad (the render then says why).
 */
int dk_render_slices(const char *path, const dk_options *o);
/* Remove parts that will not be joined (a slice failed). */
void dk_render_discard(const char *const *parts, int n);
/* The caller takes charge of a part another process wrote (dk_pdf_track_part). */
void dk_render_track(const char *part);
/* The process ends once the running render or join returns (dk_pdf_ending). */
void dk_render_ending(void);
/* Load what a join needs on a thread of its own (dk_pdf_preload). */
void dk_render_join_prepare(void);

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
 * *past gets the largest slide number `s` names beyond n (0: none).
 */
int dk_pages_parse(const char *s, int n, unsigned char *sel, int *past);

/*
 * Check and normalise a deck's bytes (render/input.c) before any stage
 * reads them: refuse a deck over DK_LIMIT_DECK_BYTES or a binary file
 * (error, DK_EINPUT); decode UTF-16 and Latin-1, replace invalid UTF-8 and
 * NUL bytes with U+FFFD, turn lone CRs into LFs (each with a warning).
 * `*src` (malloc'd, NUL-terminated) may be replaced by a new buffer; on
 * return ctx->src and ctx->src_len point at the text to render.
 */
dk_status dk_input_prepare(dk_ctx *ctx, char **src, size_t *n);

/*
 * Render the deck at `path` ("-" for standard input) as `o` says. Warnings
 * and errors go to stderr as file:line:col (or to o->hooks->diag); *nwarn
 * gets their count. DK_EINPUT when the deck cannot be read or rendered,
 * DK_EIO when an output cannot be written, DK_EUSAGE for options that do
 * not fit the deck (--pages, a template), DK_ENOMEM.
 *
 * o->output may be a template: {name} the deck's file name without .md,
 * {dir} its folder, {n} the slide number (001, 002, ...; PNG and SVG only).
 * "-" writes a PDF or layout dump to standard output; the PDF goes to a
 * temporary file first, so a failed render writes nothing.
 */
dk_status dk_render_file(const char *path, const dk_options *o, int *nwarn);

/*
 * The same for a deck held in memory (`n` bytes, not necessarily
 * NUL-terminated). `name` stands for its path: messages, the default output
 * and relative image paths use it.
 */
dk_status dk_render_memory(const char *name, const char *buf, size_t n, const dk_options *o,
                           int *nwarn);

/*
 * Expand an output template for the deck at `deck_path`: {name}, {dir}, and
 * {n} as slide number `n` (3 digits) when n > 0, left as is when n <= 0.
 * Returns a malloc'd string, NULL on OOM.
 */
char *dk_output_expand(const char *tmpl, const char *deck_path, int n);

/* Does `s` use {n}? (Per-slide output names.) */
int dk_output_has_n(const char *s);

#endif
