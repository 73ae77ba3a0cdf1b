/*
 * writer/pdffix — the last step of writing a PDF: rewrite cairo's file through
 * libqpdf.
 *
 * cairo 1.16.0 (Debian 12) writes a wrong cross-reference table into PDFs
 * that use tags for links and outlines (`qpdf --check`: "expected N 0 obj").
 * Viewers repair it silently, checkers do not. Rewriting the file through
 * qpdf gives a valid xref, object streams (smaller files), compressed
 * streams and an /ID computed from the content, so the same deck gives the
 * same bytes every time.
 */
#ifndef DK_OUT_PDFFIX_H
#define DK_OUT_PDFFIX_H

#include "../base/base.h"

/*
 * Read the PDF at `in_path` and write the repaired file to `out_path`
 * (atomically: a temporary file beside it, then rename; `out_path` may be
 * `in_path`). When `source_date_epoch` >= 0, the document information's
 * /CreationDate and /ModDate are set to that time (seconds since 1970, UTC),
 * as SOURCE_DATE_EPOCH asks; otherwise they are kept, with the "D:" prefix
 * added where cairo 1.16 left it out (dates set by
 * cairo_pdf_surface_set_metadata).
 *
 * cairo's wrong cross-reference table is put right before qpdf reads the
 * file (qpdf would rebuild it by scanning the whole file). What qpdf warns
 * about while reading and writing is logged on ctx as notes, shown only
 * when ctx->verbose.
 * DK_EIO, with an error on ctx, when the file cannot be read, parsed or
 * written; DK_ENOMEM on allocation failure.
 */
dk_status dk_pdf_finish(dk_ctx *ctx, const char *in_path, const char *out_path,
                        long source_date_epoch);

/* Where slide `slide` landed: page (0-based), and its top-left in PDF user space. */
typedef struct {
    int slide, page;
    double x, y;
} dk_pdf_dest;

/* What the PDF writer asks of the rewrite beyond the repair. */
typedef struct {
    long source_date_epoch;  /* -1: not set; else as for dk_pdf_finish */
    const char *lang;        /* BCP 47 tag for the catalog's /Lang, or NULL */
    const dk_pdf_dest *dests;/* where each written slide is */
    int ndests;
    const int *labels;       /* page i is labelled labels[i] (decimal), or NULL */
    int nlabels;
} dk_pdf_fix;

/*
 * dk_pdf_finish with options. Also sets /Lang when `fix->lang` is given;
 * replaces every named destination "slide-N" in a link annotation by an
 * explicit destination from `fix->dests` — cairo 1.16 writes the /Dests
 * name tree empty, so named destinations would lead nowhere — and removes
 * links to slides that are not in the document (--pages left them out);
 * writes /PageLabels from `fix->labels`.
 */
dk_status dk_pdf_finish_with(dk_ctx *ctx, const char *in_path, const char *out_path,
                             const dk_pdf_fix *fix);


/*
 * dk_pdf_finish_with over the pages of several of cairo's files in turn
 * (a large deck written in parts, pdf.c): the first part's document gets
 * the others' pages and outline items appended, then the same fixes, with
 * `fix` describing the joined pages. The parts are left as they are.
 */
dk_status dk_pdf_join(dk_ctx *ctx, const char *const *parts, int n, const char *out_path,
                      const dk_pdf_fix *fix);

#endif
