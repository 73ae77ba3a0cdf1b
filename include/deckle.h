/*
 * libdeckle — render Markdown slide decks to PDF, PNG, SVG, HTML or a
 * layout dump, from a program.
 *
 *     deckle_options *o = deckle_options_new();
 *     deckle_options_set(o, "format", "png");
 *     deckle_options_set(o, "output", "out/{name}/{n}.png");
 *     deckle_status st = deckle_render_file("talk.md", o);
 *     deckle_options_free(o);
 *
 * Rendering is synchronous and needs no global set-up; every call builds
 * and frees its own fonts, text engine and image cache, so two renders
 * never notice each other. Do not run two renders in one process on
 * different threads at once: pango, fontconfig and cairo are not used in a
 * thread-safe way. Parallel drivers (the deckle command) fork a process
 * per deck. A render may start threads of its own ("threads": PNG
 * compression), which touch only pixels and end before it returns; the
 * callbacks are called on the caller's thread.
 *
 * Diagnostics (problems in the deck: an unknown CSS property, a missing
 * image, a slide that does not fit) never stop a render; they go to a
 * callback if one is set, else to stderr as "file:line:col: warning: ...".
 */
#ifndef DECKLE_H
#define DECKLE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define DECKLE_API __attribute__((visibility("default")))
#else
#define DECKLE_API
#endif

/* What a render came to; the values are the deckle command's exit codes. */
typedef enum {
    DECKLE_OK = 0,
    DECKLE_EUSAGE = 2,  /* an option is wrong, or does not fit the deck */
    DECKLE_EINPUT = 3,  /* the deck cannot be read or rendered */
    DECKLE_EOUTPUT = 4, /* an output could not be written */
    DECKLE_ENOMEM = 5,  /* out of memory */
} deckle_status;

typedef enum { DECKLE_NOTE, DECKLE_WARNING, DECKLE_ERROR } deckle_level;

/* One diagnostic; every pointer is valid during the callback only. */
typedef struct {
    deckle_level level;
    const char *file;    /* the deck, or the theme's CSS file */
    int line, column;    /* 1-based; 0 when the problem has no position */
    int slide;           /* 1-based slide number, 0 for the deck as a whole */
    const char *code;    /* short and stable: "image-missing", "overflow", ... */
    const char *message; /* human text without the position */
    const char *text;    /* the "file:line:col: warning: message" line */
} deckle_diagnostic;

/* Callbacks during a render (any may be NULL); `ud` is passed back. */
typedef struct {
    void *ud;
    void (*diagnostic)(void *ud, const deckle_diagnostic *d);
    void (*slides)(void *ud, int nslides, int nrender); /* deck size, slides this call renders */
    void (*slide_done)(void *ud, int slide);             /* one slide rendered and written */
    void (*output)(void *ud, const char *path);          /* a file written; "-" is stdout */
    void (*input)(void *ud, const char *path);           /* a file read: deck, theme, image */
    void (*pdf_part)(void *ud, const char *path);        /* a slice's part of a PDF: to join */
} deckle_callbacks;

typedef struct deckle_options deckle_options;

/* New options with the defaults (PDF beside the deck); NULL on OOM. */
DECKLE_API deckle_options *deckle_options_new(void);
DECKLE_API void deckle_options_free(deckle_options *o);

/*
 * Set an option by its command-line name, value as text:
 *   format       pdf, png, svg, html, layout
 *   output       a file, a folder, or a template with {name}, {dir}, {n};
 *                "-" is standard output (pdf, layout)
 *   theme        a theme name or a .css file
 *   scale        PNG pixels per CSS px
 *   size         WxH in CSS px or a preset (16:9, 4:3, square, portrait, og)
 *   pages        slide selection, e.g. 2-4,6
 *   handout      1, 2, 3, 4, 6 or 9 slides a PDF page; paper a4 or letter
 *   notes, transparent, fix-text, allow-any-path (alias allow-outside), quiet,
 *                verbose: 1 or 0
 *   assets       one more folder images may be read from (each call adds one; ""
 *                clears); images come only from the deck's project folder and these
 *                unless allow-any-path is 1
 *   compression  PNG zlib level 0-9
 *   threads      PNG: deflate each slide's rows on this many threads, the caller's
 *                one of them (default 1: no thread); the bytes are the same for any
 *                number
 *   data-dir     the folder holding fonts/ and themes/
 *   source-date-epoch  seconds; the PDF's dates (reproducible output)
 *   slice        "K/N": only the K-th (from 0) of N runs of consecutive slides
 *                (per-slide formats, and PDFs in DECKLE_PDF_PARTS; for parallel
 *                drivers, see deckle_pdf_join)
 *   fonts-current  1: make deckle's private font configuration fontconfig's current
 *                one (process-wide), so that pango never loads the system's; text
 *                in SVG images is still drawn with the system's fonts. For programs
 *                that do not use fontconfig themselves (the deckle command sets it)
 * Strings are copied. DECKLE_EUSAGE for an unknown name or a bad value.
 */
DECKLE_API deckle_status deckle_options_set(deckle_options *o, const char *name, const char *value);

/*
 * A one-slide-a-page PDF of 128 slides or more is written in
 * DECKLE_PDF_PARTS parts, runs of consecutive slides, which are then
 * joined. A parallel driver may render such a deck as DECKLE_PDF_PARTS
 * slices ("slice" K/DECKLE_PDF_PARTS), side by side: each reports its part
 * through the pdf_part callback instead of writing the PDF, and when all
 * are done, deckle_pdf_join joins the parts (in any order) into the PDF,
 * reported through the output callback: the same bytes one call writes. A
 * smaller deck is written whole by slice 0, and the other slices do
 * nothing. The parts are removed, also when the join fails (DECKLE_EOUTPUT,
 * with a message naming `deck`). When a slice failed, deckle_pdf_discard
 * removes the parts the others reported.
 */
#define DECKLE_PDF_PARTS 2
/*
 * Into how many slices the deck at `path` may usefully be cut for `o`
 * ("slice" K/N), for a parallel driver that would rather not start slices
 * with nothing to do: a per-slide format, its number of selected slides; a
 * PDF, DECKLE_PDF_PARTS when it is written in parts, else 1; anything else
 * 1. Only reads and splits the deck, and tells nothing: 1 when it cannot
 * be read or `pages` is bad, and the render then says why.
 */
DECKLE_API int deckle_slices(const char *path, const deckle_options *o);
DECKLE_API deckle_status deckle_pdf_join(const char *deck, const char *const *parts, int n,
                                         const deckle_options *o);
DECKLE_API void deckle_pdf_discard(const char *const *parts, int n);
/*
 * The driver's process takes charge of a part a slice reported from another
 * process: deckle_remove_temporary_files removes it (and what goes with
 * it) until deckle_pdf_join or deckle_pdf_discard does.
 */
DECKLE_API void deckle_pdf_track(const char *part);
/*
 * Get ready for deckle_pdf_join in the background: what it needs is loaded
 * on a thread of its own (libqpdf: 4 ms), for a driver whose slices are
 * still rendering the parts. A fork() after this waits until it is done.
 */
DECKLE_API void deckle_pdf_join_prepare(void);

/*
 * Remove the files this process is writing under temporary names (a PDF
 * being written, parts not yet joined): for a handler of SIGTERM or SIGINT
 * that then ends the process, so that no half-written file is left beside
 * the output. Async-signal-safe. Finished outputs are not touched.
 */
DECKLE_API void deckle_remove_temporary_files(void);

/*
 * The process ends once the running (or next) render or join returns:
 * what exit gives back anyway is then left to it instead of freed object
 * by object (the documents of a PDF rewrite or join, a twentieth of a
 * 1000-slide join; the render's fonts, text engine, images and threads).
 * What is kept stays reachable, so leak checkers do not count it. For
 * drivers like the deckle command; never for a process that goes on
 * rendering.
 */
DECKLE_API void deckle_ending(void);

/* Why the last deckle_options_set failed, as a sentence ("" if it did not). */
DECKLE_API const char *deckle_options_error(const deckle_options *o);

/* Callbacks for the following renders (copied; NULL removes them). */
DECKLE_API void deckle_options_set_callbacks(deckle_options *o, const deckle_callbacks *cb);

/* Render the deck file at `path` ("-": standard input). */
DECKLE_API deckle_status deckle_render_file(const char *path, const deckle_options *o);

/*
 * Render a deck held in memory. `name` stands in for its path: it names
 * the deck in messages and outputs, and relative images are found beside it.
 */
DECKLE_API deckle_status deckle_render_memory(const char *name, const void *buf, size_t n,
                                              const deckle_options *o);

/* An output template expanded for a deck ({n} as slide `n` when n > 0); free() it. */
DECKLE_API char *deckle_output_path(const char *tmpl, const char *deck_path, int n);

/* "ok", "bad usage", "bad input", "output not written", "out of memory". */
DECKLE_API const char *deckle_status_string(deckle_status st);
DECKLE_API const char *deckle_version(void);
/* Where fonts/ and themes/ are found without a "data-dir" option: $DECKLE_DATA, else the
 * source tree deckle was built in, else <prefix>/share/deckle. */
DECKLE_API const char *deckle_default_data_dir(void);

#ifdef __cplusplus
}
#endif

#endif
