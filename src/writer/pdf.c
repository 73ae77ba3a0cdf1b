/*
 * The PDF writer: one page per slide at 1 CSS px = 0.75 pt, or handouts
 * (--handout N, handout.c) with N slides on each A4 or Letter page.
 *
 * Links: external ones as URI annotations; "#N" to slide N through the
 * name "slide-N" (outcanvas.c), which pdffix.c replaces by where that slide
 * landed, so a link finds the slide whatever page --pages or a handout put
 * it on (it may lead into another part). An outline entry leads straight to
 * its slide's page. Pages carry labels with their slide numbers. Metadata comes
 * from the front matter (title, author, subject or description, keywords,
 * lang) plus the creator; without a title, the first slide's heading names
 * the document. cairo writes to a temporary file; libqpdf rewrites it into
 * the output (pdffix.c): a valid xref, /Lang, dates pinned by
 * SOURCE_DATE_EPOCH, a deterministic /ID, no links to slides left out.
 *
 * Images: the image cache hands every use of a file the same cairo
 * surface, so cairo embeds each image once; JPEG surfaces carry their file
 * as MIME data, which cairo embeds unchanged (DCTDecode).
 *
 * Parts. A large deck (render/ decides: d->nparts > 1) is written as that
 * many cairo files, each a run of consecutive slides, and joined by qpdf
 * (dk_pdf_join), so that worker processes can write the parts side by
 * side (the CLI's -j): a part here is the same file whether this process
 * writes all of them or only one (d->part), and so is the joined PDF.
 * Each part carries the fonts and images its pages use; the join keeps one
 * copy of an image both parts have (pdffix.c), while each part keeps its
 * own font subsets.
 */
#define _GNU_SOURCE
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "handout.h"
#include "outcanvas.h"
#include "pdffix.h"
#include "writer.h"

#ifndef DK_VERSION
#define DK_VERSION "0"
#endif

typedef struct {
    dk_writer base;
    cairo_surface_t *surface;
    cairo_t *cr;          /* handouts: one context for all pages */
    dk_handout *handout;
    char *tmp;            /* cairo's file (of the current part) */
    char **parts;         /* the parts' files, when the deck is written in parts */
    int nparts;
    int part;             /* the part being written, -1 none yet */
    char *lang;
    int titled;           /* the document has a title */
    int k;                /* slides written */
    int first;            /* the first of them in the current file (part) */
    dk_pdf_dest *dests;   /* where each written slide landed */
    int *labels;          /* slide pages: each page's slide number */
} pdf_writer;

/* A front matter value by key (case-insensitive), or a NULL view. */
static dk_str meta(const dk_deck *deck, const char *key) {
    for (int i = 0; i < deck->nmeta; i++)
        if (dk_str_ieq(deck->meta[i].key, key) && deck->meta[i].value.n)
            return deck->meta[i].value;
    return (dk_str){NULL, 0};
}

static void set_meta(cairo_surface_t *s, cairo_pdf_metadata_t key, dk_str v) {
    /* a YAML flow list "[a, b]" reads as "a, b" */
    if (v.n >= 2 && v.p[0] == '[' && v.p[v.n - 1] == ']') v = dk_str_trim((dk_str){v.p + 1, v.n - 2});
    char *z = strndup(v.p, v.n);
    if (z) cairo_pdf_surface_set_metadata(s, key, z);
    free(z);
}

static dk_status open_surface(pdf_writer *p, const dk_deck_info *d, double pw, double ph);

static dk_status pdf_begin(dk_writer *w, const dk_deck_info *d) {
    pdf_writer *p = (pdf_writer *)w;
    const dk_deck *deck = d->deck;
    size_t n = strlen(d->output) + 32;
    p->tmp = malloc(n);
    int m = d->nselected > 0 ? d->nselected : 1;
    p->dests = calloc((size_t)m, sizeof *p->dests);
    p->labels = calloc((size_t)m, sizeof *p->labels);
    if (!p->tmp || !p->dests || !p->labels) return DK_ENOMEM;
    snprintf(p->tmp, n, "%s.tmp-%d", d->output, (int)getpid());
    double pw = d->width * 0.75, ph = d->height * 0.75;
    if (d->handout) {
        char *t = deck->title.p ? strndup(deck->title.p, deck->title.n) : NULL;
        dk_status st = deck->title.p && !t ? DK_ENOMEM : dk_handout_new(d, t, &p->handout);
        free(t);
        if (st) return st;
        pw = dk_handout_get_plan(p->handout)->page_w;
        ph = dk_handout_get_plan(p->handout)->page_h;
    }
    p->part = -1;
    /* libqpdf loads while the slides are laid out, unless only a part is written here */
    if (d->part < 0) dk_pdf_preload();
    dk_str lang = meta(deck, "lang");
    if (!lang.p) lang = meta(deck, "language");
    if (lang.p && !(p->lang = strndup(lang.p, lang.n))) return DK_ENOMEM;
    if (d->nparts > 1) {
        if (!(p->parts = calloc((size_t)d->nparts, sizeof *p->parts))) return DK_ENOMEM;
        p->nparts = d->nparts;
        return DK_OK; /* each part's file is made by its first slide */
    }
    return open_surface(p, d, pw, ph);
}

/* cairo's file at p->tmp, with the document's metadata. */
static dk_status open_surface(pdf_writer *p, const dk_deck_info *d, double pw, double ph) {
    const dk_deck *deck = d->deck;
    dk_tmp_track(p->tmp); /* first: a signal after cairo makes the file removes it */
    p->surface = cairo_pdf_surface_create(p->tmp, pw, ph);
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
        dk_diag_error(d->ctx, DK_NOPOS, "cannot write %s: %s", d->output,
                      cairo_status_to_string(cairo_surface_status(p->surface)));
        return DK_EIO;
    }
    if (p->handout) p->cr = cairo_create(p->surface);
    p->titled = 0;
    if (deck->title.p) {
        set_meta(p->surface, CAIRO_PDF_METADATA_TITLE, deck->title);
        p->titled = 1;
    }
    if (deck->author.p) set_meta(p->surface, CAIRO_PDF_METADATA_AUTHOR, deck->author);
    dk_str subject = meta(deck, "subject");
    if (!subject.p) subject = meta(deck, "description");
    if (subject.p) set_meta(p->surface, CAIRO_PDF_METADATA_SUBJECT, subject);
    dk_str kw = meta(deck, "keywords");
    if (kw.p) set_meta(p->surface, CAIRO_PDF_METADATA_KEYWORDS, kw);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "deckle " DK_VERSION);
    if (d->source_date_epoch >= 0) {
        char date[32];
        time_t t = (time_t)d->source_date_epoch;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
        cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
        cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_MOD_DATE, date);
    }
    return DK_OK;
}

/* One slide on its own page. */
static dk_status slide_page(pdf_writer *p, const dk_deck_info *d, const dk_slide_out *s) {
    cairo_t *cr = cairo_create(p->surface);
    cairo_scale(cr, 0.75, 0.75);
    dk_status st =
        dk_outcanvas_paint(cr, DK_OUT_LINKS | DK_OUT_VECTOR, s->body, d->width, d->height);
    cairo_show_page(cr);
    cairo_destroy(cr);
    return st;
}

/* Finish cairo's file of the current part (or the only one). */
static dk_status close_surface(pdf_writer *p, const dk_deck_info *d) {
    if (!p->surface) return DK_OK;
    cairo_surface_finish(p->surface);
    int bad = cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS;
    if (bad)
        dk_diag_error(d->ctx, DK_NOPOS, "PDF: %s",
                      cairo_status_to_string(cairo_surface_status(p->surface)));
    cairo_surface_destroy(p->surface);
    p->surface = NULL;
    return bad ? DK_EIO : DK_OK;
}

/* Start the file of the part slide `rank` belongs to, when that is a new one. */
static dk_status to_part(pdf_writer *p, const dk_deck_info *d, int rank) {
    int part = (int)((long)rank * d->nparts / d->nselected);
    if (part == p->part && p->surface) return DK_OK;
    dk_status st = close_surface(p, d);
    if (st) return st;
    p->part = part;
    p->first = p->k;
    snprintf(p->tmp, strlen(d->output) + 32, "%s.part%d-%d", d->output, part, (int)getpid());
    if (!p->parts[part] && !(p->parts[part] = strdup(p->tmp))) return DK_ENOMEM;
    return open_surface(p, d, d->width * 0.75, d->height * 0.75);
}

static dk_status pdf_slide(dk_writer *w, const dk_deck_info *d, const dk_slide_out *s) {
    pdf_writer *p = (pdf_writer *)w;
    if (p->k >= d->nselected) return DK_EINPUT; /* the driver promised nselected slides */
    if (d->nparts > 1) {
        dk_status st = to_part(p, d, s->rank);
        if (st) return st;
    }
    dk_status st = p->handout ? dk_handout_slide(p->handout, p->cr, d, p->k, s)
                              : slide_page(p, d, s);
    /* where the slide is: for links to it (pdffix.c) and, in this file, for its outline
       entry (a page of a part comes over with its outline entry when the parts are joined) */
    dk_pdf_dest *dest = &p->dests[p->k];
    dest->slide = s->index;
    int page;              /* in this file, from 1 */
    double top = 0, left = 0; /* on that page, in cairo's user space (y down) */
    if (p->handout) {
        const dk_handout_plan *plan = dk_handout_get_plan(p->handout);
        left = plan->slide[p->k % plan->per_page].x;
        top = plan->slide[p->k % plan->per_page].y;
        dest->page = p->k / plan->per_page;
        dest->x = left;
        dest->y = plan->page_h - top;
        page = dest->page + 1;
    } else {
        /* the page is labelled with its slide number ("3" in viewers, with --pages 3-) */
        p->labels[s->rank] = s->index;
        dest->page = s->rank;
        dest->y = d->height * 0.75;
        page = p->k - p->first + 1;
    }
    p->k++;
    char fallback[32], link[96];
    snprintf(fallback, sizeof fallback, "Slide %d", s->index);
    snprintf(link, sizeof link, "page=%d pos=[%.6f %.6f]", page, left, top);
    cairo_pdf_surface_add_outline(p->surface, CAIRO_PDF_OUTLINE_ROOT,
                                  s->title ? s->title : fallback, link, 0);
    /* without a title in the front matter, the first slide's heading names the document */
    if (!p->titled && s->title) {
        cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, s->title);
        p->titled = 1;
    }
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
        dk_diag_error(d->ctx, DK_NOPOS, "PDF: %s",
                      cairo_status_to_string(cairo_surface_status(p->surface)));
        return DK_EIO;
    }
    return st;
}

/* "PART.info", malloc'd (NULL on OOM): the file beside a part that says what it holds. */
static char *info_path(const char *part) {
    dk_buf b = {0};
    dk_buf_printf(&b, "%s.info", part);
    return b.oom ? NULL : b.p;
}

/*
 * A part left for the caller to join (d->part): beside it, PART.info says
 * where the joined PDF goes, its language, and where this part's slides
 * are: "slide RANK INDEX Y" (read_part_info reads it back).
 */
static dk_status part_info(pdf_writer *p, const dk_deck_info *d, const char *part) {
    dk_buf b = {0};
    dk_buf_printf(&b, "deckle pdf part\noutput %s\n", d->output);
    if (p->lang) dk_buf_printf(&b, "lang %s\n", p->lang);
    for (int i = 0; i < p->k; i++)
        dk_buf_printf(&b, "slide %d %d %.17g\n", p->dests[i].page, p->dests[i].slide, p->dests[i].y);
    char *info = info_path(part);
    /* tracked as the part is, until the joining process has both; tracked first, so that a
       signal right after the rename removes it too */
    if (info) dk_tmp_track(info);
    dk_status st = b.oom || !info ? DK_ENOMEM : dk_file_write_atomic(info, b.p, b.n);
    if (st != DK_OK && info) dk_tmp_untrack(info);
    if (st == DK_EIO) dk_diag_error(d->ctx, DK_NOPOS, "cannot write %s: %s", info, strerror(errno));
    dk_buf_free(&b);
    free(info);
    return st;
}

static dk_status pdf_end(dk_writer *w, const dk_deck_info *d, int ok) {
    pdf_writer *p = (pdf_writer *)w;
    if (p->cr) {
        if (ok) dk_handout_finish(p->handout, p->cr);
        cairo_destroy(p->cr);
        p->cr = NULL;
    }
    if (!p->surface && !p->parts) return DK_OK;
    dk_status st = close_surface(p, d);
    if (!ok && st == DK_OK) st = DK_EINPUT; /* no output: nothing is joined or finished */
    dk_pdf_fix fix = {.source_date_epoch = d->source_date_epoch, .lang = p->lang,
                      .dests = p->dests, .ndests = p->k,
                      .labels = p->handout ? NULL : p->labels, .nlabels = p->k};
    if (!p->parts) {
        if (st == DK_OK) st = dk_pdf_finish_with(d->ctx, p->tmp, d->output, &fix);
        dk_tmp_unlink(p->tmp);
        return ok ? st : DK_OK;
    }
    if (d->part >= 0 && p->parts[d->part]) {
        /* only this part: it stays for the caller, who joins it with the others */
        if (st == DK_OK) st = part_info(p, d, p->parts[d->part]);
        if (st == DK_OK && d->part_written) {
            d->part_written(d, p->parts[d->part]);
            return DK_OK;
        }
    } else if (st == DK_OK) {
        st = dk_pdf_join(d->ctx, (const char *const *)p->parts, d->nparts, d->output, &fix);
    }
    for (int i = 0; i < d->nparts; i++)
        if (p->parts[i]) dk_tmp_unlink(p->parts[i]);
    return ok ? st : DK_OK;
}

/* ---- parts written by slices, joined by the caller ---------------------------------- */

/* One part's PART.info (part_info) into the join's tables; 0 when it is not one. */
static int read_part_info(const char *part, char **output, char **lang, dk_pdf_dest **dests,
                          int *nd, int *first) {
    char *info = info_path(part), *text = NULL;
    size_t n = 0;
    int ok = info && dk_file_read(info, &text, &n) == DK_OK &&
             strncmp(text, "deckle pdf part\n", 16) == 0;
    *first = -1;
    for (char *line = ok ? text + 16 : NULL; ok && line && *line;) {
        char *end = strchr(line, '\n');
        if (end) *end = 0;
        int rank, index;
        double y;
        if (!strncmp(line, "output ", 7)) {
            ok = !*output ? (*output = strdup(line + 7)) != NULL : strcmp(*output, line + 7) == 0;
        } else if (!strncmp(line, "lang ", 5)) {
            if (!*lang) ok = (*lang = strdup(line + 5)) != NULL;
        } else if (sscanf(line, "slide %d %d %lg", &rank, &index, &y) == 3 && rank >= 0) {
            dk_pdf_dest *g = realloc(*dests, (size_t)(*nd + 1) * sizeof **dests);
            ok = g != NULL;
            if (g) {
                *dests = g;
                g[(*nd)++] = (dk_pdf_dest){index, rank, 0, y};
                if (*first < 0 || rank < *first) *first = rank;
            }
        } else {
            ok = 0;
        }
        line = end ? end + 1 : NULL;
    }
    free(text);
    free(info);
    return ok && *first >= 0;
}

void dk_pdf_track_part(const char *part) {
    char *info = info_path(part);
    dk_tmp_track(part);
    if (info) dk_tmp_track(info);
    free(info);
}

void dk_pdf_discard_parts(const char *const *parts, int n) {
    for (int i = 0; i < n; i++) {
        char *info = info_path(parts[i]);
        if (info) dk_tmp_unlink(info);
        free(info);
        dk_tmp_unlink(parts[i]);
    }
}

dk_status dk_pdf_join_parts(dk_ctx *ctx, const char *const *parts, int n, int complete,
                            long source_date_epoch, char **output) {
    char *lang = NULL;
    dk_pdf_dest *dests = NULL;
    int nd = 0, ok = complete && n > 0;
    const char **order = calloc((size_t)(n > 0 ? n : 1), sizeof *order);
    int *first = calloc((size_t)(n > 0 ? n : 1), sizeof *first);
    ok &= order && first;
    /* the parts in slide order (by their first slide) */
    for (int i = 0; ok && i < n; i++) {
        int f = -1, k = i;
        ok = read_part_info(parts[i], output, &lang, &dests, &nd, &f);
        for (; k > 0 && first[k - 1] > f; k--) order[k] = order[k - 1], first[k] = first[k - 1];
        order[k] = parts[i], first[k] = f;
    }
    /* every page of the PDF in one of them, once */
    int *labels = ok ? calloc((size_t)nd, sizeof *labels) : NULL;
    ok &= labels != NULL;
    for (int i = 0; ok && i < nd; i++) {
        ok = dests[i].page < nd && !labels[dests[i].page];
        if (ok) labels[dests[i].page] = dests[i].slide;
    }
    dk_status st = DK_EIO;
    if (!ok) {
        dk_diag_error_code(ctx, DK_NOPOS, "output-unwritable",
                           "the PDF's parts do not fit together (a part is missing or damaged)");
    } else {
        dk_pdf_fix fix = {.source_date_epoch = source_date_epoch, .lang = lang, .dests = dests,
                          .ndests = nd, .labels = labels, .nlabels = nd};
        st = dk_pdf_join(ctx, order, n, *output, &fix);
    }
    dk_pdf_discard_parts(parts, n);
    free(order);
    free(first);
    free(labels);
    free(dests);
    free(lang);
    return st;
}

static void pdf_destroy(dk_writer *w) {
    pdf_writer *p = (pdf_writer *)w;
    if (p->cr) cairo_destroy(p->cr);
    if (p->surface) {
        cairo_surface_destroy(p->surface);
        dk_tmp_unlink(p->tmp);
    }
    for (int i = 0; p->parts && i < p->nparts; i++) free(p->parts[i]);
    free(p->parts);
    dk_handout_free(p->handout);
    free(p->tmp);
    free(p->lang);
    free(p->dests);
    free(p->labels);
    free(p);
}

dk_status dk_writer_pdf_new(dk_writer **out) {
    pdf_writer *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p) return DK_ENOMEM;
    p->base = (dk_writer){pdf_begin, pdf_slide, pdf_end, pdf_destroy};
    *out = &p->base;
    return DK_OK;
}
