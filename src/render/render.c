/*
 * The deck pipeline and the writers.
 *
 * One dk_render_file call renders one deck. Outputs are written to a
 * temporary file beside the target and renamed when complete, so a failed
 * run never leaves a half-written PDF or PNG behind.
 */
#define _GNU_SOURCE
#include "render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../box/box.h"
#include "../canvas/canvas.h"
#include "../css/css.h"
#include "../deck/deck.h"
#include "../dom/dom.h"
#include "../image/image.h"
#include "../layout/layout.h"
#include "../md/md.h"
#include "../out/html.h"
#include "../out/pdffix.h"
#include "../paint/paint.h"
#include "../text/fonts.h"
#include "../text/text.h"

#ifndef DK_VERSION
#define DK_VERSION "0"
#endif

void dk_options_init(dk_options *o) {
    memset(o, 0, sizeof *o);
    o->format = DK_FMT_PDF;
    o->scale = 1;
    o->fix_text = 1;
    o->source_date_epoch = -1;
}

/* Everything that lives as long as the deck. */
typedef struct {
    dk_ctx ctx;
    const dk_options *o;
    const char *path;
    char *src;
    size_t n;
    dk_deck deck;
    char *deck_dir, *stem;  /* folder of the deck, file name without .md */
    double w, h;            /* slide size, CSS px */
    dk_sheet *sheets[2];    /* UA, theme */
    dk_buf theme_css;       /* the theme's text, for the HTML export */
    FcConfig *fc;
    dk_text *text;
    dk_images *images;
    /* writers */
    cairo_surface_t *pdf;
    char *pdf_tmp;
    dk_buf layout_json;
} deck_job;

/* One slide, laid out. */
typedef struct {
    dk_arena *a;
    dk_node *dom;
    dk_box *body;
} slide_out;

/* ---- small helpers -------------------------------------------------------------------- */

static char *xstrdup(const char *s) { return s ? strdup(s) : NULL; }

static char *path_join(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "", name);
    return p;
}

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Create a folder and its parents (like mkdir -p). */
static int mkdirs(const char *dir) {
    char *p = strdup(dir);
    if (!p) return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        mkdir(p, 0777);
        *s = '/';
    }
    int r = mkdir(p, 0777) == 0 || errno == EEXIST ? 0 : -1;
    free(p);
    return r;
}

static void node_text(const dk_node *n, dk_buf *out) {
    if (n->type == DK_NODE_TEXT) {
        for (size_t i = 0; i < n->text_len; i++) {
            char c = n->text[i];
            int sp = c == ' ' || c == '\n' || c == '\t' || c == '\r';
            if (sp && (out->n == 0 || out->p[out->n - 1] == ' ')) continue;
            dk_buf_addc(out, sp ? ' ' : c);
        }
        return;
    }
    for (const dk_node *k = n->first; k; k = k->next) node_text(k, out);
}

/* The slide's first heading, as plain text (malloc'd), or NULL. */
static char *slide_title(const dk_node *root) {
    static const char *const hs[] = {"h1", "h2", "h3", "h4", "h5", "h6"};
    const dk_node *best = NULL;
    /* the first heading in document order, whatever its level */
    const dk_node *n = root;
    while (n && !best) {
        if (n->type == DK_NODE_ELEMENT)
            for (int i = 0; i < 6; i++)
                if (dk_node_is(n, hs[i])) best = n;
        if (n->first) n = n->first;
        else {
            while (n && !n->next) n = n->parent;
            if (n) n = n->next;
        }
    }
    if (!best) return NULL;
    dk_buf b = {0};
    node_text(best, &b);
    while (b.n && b.p[b.n - 1] == ' ') b.p[--b.n] = 0;
    if (!b.n) {
        dk_buf_free(&b);
        return NULL;
    }
    return b.p;
}

/* ---- deck set-up --------------------------------------------------------------------- */

static dk_status load_sheet(deck_job *j, const char *css, size_t n, dk_sheet **out) {
    return dk_css_parse_sheet(&j->ctx, css, n, DK_NOPOS, out);
}

static dk_status load_theme(deck_job *j) {
    const char *data = dk_data_dir();
    const char *name = j->o->theme;
    char *want = NULL;
    if (!name && j->deck.theme.p) want = strndup(j->deck.theme.p, j->deck.theme.n);
    else want = xstrdup(name ? name : "default");
    if (!want) return DK_ENOMEM;
    char *path = NULL;
    if (strchr(want, '/') || (strlen(want) > 4 && strcmp(want + strlen(want) - 4, ".css") == 0)) {
        path = xstrdup(want);
    } else {
        size_t n = strlen(data) + strlen(want) + 16;
        path = malloc(n);
        if (path) snprintf(path, n, "%s/themes/%s.css", data, want);
    }
    char *css = NULL;
    size_t n = 0;
    dk_status st = path ? dk_file_read(path, &css, &n) : DK_ENOMEM;
    if (st == DK_EIO && strcmp(want, "default") != 0) {
        dk_diag_warn(&j->ctx, DK_NOPOS, "theme '%s' not found (%s); using the default theme",
                     want, path);
        free(path);
        size_t m = strlen(data) + 32;
        path = malloc(m);
        if (path) snprintf(path, m, "%s/themes/default.css", data);
        st = path ? dk_file_read(path, &css, &n) : DK_ENOMEM;
    }
    if (st == DK_EIO) dk_diag_error(&j->ctx, DK_NOPOS, "cannot read theme %s: %s", path, strerror(errno));
    if (st == DK_OK) {
        dk_buf_add(&j->theme_css, css, n);
        st = load_sheet(j, css, n, &j->sheets[1]);
    }
    free(css);
    free(path);
    free(want);
    return st;
}

static dk_status setup(deck_job *j) {
    dk_status st;
    if ((st = dk_deck_parse(&j->ctx, j->src, j->n, &j->deck))) return st;
    j->w = j->o->width > 0 ? j->o->width : j->deck.width > 0 ? j->deck.width : 1280;
    j->h = j->o->height > 0 ? j->o->height : j->deck.height > 0 ? j->deck.height : 720;
    if ((st = load_sheet(j, dk_css_ua_sheet, strlen(dk_css_ua_sheet), &j->sheets[0]))) return st;
    if ((st = load_theme(j))) return st;
    if ((st = dk_fonts_new(&j->ctx, dk_data_dir(), &j->fc))) return st;
    if ((st = dk_text_pango_new(&j->ctx, j->fc, &j->text))) return st;
    if ((st = dk_images_new(j->deck_dir, j->o->allow_outside, &j->images))) return st;
    return DK_OK;
}

/* ---- one slide --------------------------------------------------------------------- */

static dk_status build_slide(deck_job *j, const dk_slide *s, slide_out *out) {
    dk_status st;
    dk_html html;
    out->a = dk_arena_new();
    if (!out->a) return DK_ENOMEM;
    if ((st = dk_md_render(&j->ctx, out->a, j->src, s, &html))) return st;
    if ((st = dk_dom_parse(&j->ctx, out->a, &html, j->o->fix_text, &out->dom))) return st;
    dk_media media = {j->w, j->h};
    const dk_sheet *sheets[2] = {j->sheets[0], j->sheets[1]};
    if ((st = dk_css_cascade(&j->ctx, out->a, sheets, 2, &media, out->dom))) return st;
    if ((st = dk_box_build(&j->ctx, out->a, j->images, out->dom, &out->body))) return st;
    dk_viewport vp = {j->w, j->h};
    if ((st = dk_layout(&j->ctx, out->a, j->text, &vp, out->body))) return st;
    return DK_OK;
}

static double bottom_of(const dk_box *b) {
    double y = b->y + b->h;
    for (const dk_box *k = b->first; k; k = k->next) y = DK_MAX(y, bottom_of(k));
    return y;
}

/* ---- writers ------------------------------------------------------------------------ */

static dk_status pdf_begin(deck_job *j) {
    const char *out = j->o->output;
    size_t n = strlen(out) + 16;
    j->pdf_tmp = malloc(n);
    if (!j->pdf_tmp) return DK_ENOMEM;
    snprintf(j->pdf_tmp, n, "%s.tmp-%d", out, (int)getpid());
    /* 1 CSS px = 0.75 pt */
    j->pdf = cairo_pdf_surface_create(j->pdf_tmp, j->w * 0.75, j->h * 0.75);
    if (cairo_surface_status(j->pdf) != CAIRO_STATUS_SUCCESS) {
        dk_diag_error(&j->ctx, DK_NOPOS, "cannot write %s: %s", out,
                      cairo_status_to_string(cairo_surface_status(j->pdf)));
        return DK_EIO;
    }
    char *title = NULL;
    if (j->deck.title.p) title = strndup(j->deck.title.p, j->deck.title.n);
    if (title) cairo_pdf_surface_set_metadata(j->pdf, CAIRO_PDF_METADATA_TITLE, title);
    free(title);
    if (j->deck.author.p) {
        char *author = strndup(j->deck.author.p, j->deck.author.n);
        if (author) cairo_pdf_surface_set_metadata(j->pdf, CAIRO_PDF_METADATA_AUTHOR, author);
        free(author);
    }
    cairo_pdf_surface_set_metadata(j->pdf, CAIRO_PDF_METADATA_CREATOR, "deckle " DK_VERSION);
    if (j->o->source_date_epoch >= 0) {
        char date[32];
        time_t t = (time_t)j->o->source_date_epoch;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
        cairo_pdf_surface_set_metadata(j->pdf, CAIRO_PDF_METADATA_CREATE_DATE, date);
        cairo_pdf_surface_set_metadata(j->pdf, CAIRO_PDF_METADATA_MOD_DATE, date);
    }
    return DK_OK;
}

static dk_status pdf_page(deck_job *j, const dk_slide *s, slide_out *so) {
    cairo_t *cr = cairo_create(j->pdf);
    cairo_scale(cr, 0.75, 0.75);
    dk_canvas *c;
    dk_status st = dk_canvas_cairo_new(cr, 1, &c);
    if (st == DK_OK) {
        dk_paint(c, so->body, j->w, j->h);
        dk_canvas_free(c);
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
    /* the outline: one entry per slide, named by its first heading */
    char *title = slide_title(so->dom);
    char fallback[32], link[32];
    snprintf(fallback, sizeof fallback, "Slide %d", s->index);
    snprintf(link, sizeof link, "page=%d", s->index);
    cairo_pdf_surface_add_outline(j->pdf, CAIRO_PDF_OUTLINE_ROOT, title ? title : fallback, link, 0);
    if (s->index == 1 && !j->deck.title.p && title)
        cairo_pdf_surface_set_metadata(j->pdf, CAIRO_PDF_METADATA_TITLE, title);
    free(title);
    if (cairo_surface_status(j->pdf) != CAIRO_STATUS_SUCCESS) {
        dk_diag_error(&j->ctx, DK_NOPOS, "PDF: %s", cairo_status_to_string(cairo_surface_status(j->pdf)));
        return DK_EIO;
    }
    return st;
}

static dk_status pdf_end(deck_job *j, int ok) {
    cairo_surface_finish(j->pdf);
    int bad = cairo_surface_status(j->pdf) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(j->pdf);
    j->pdf = NULL;
    dk_status st = DK_OK;
    if (ok && !bad) st = dk_pdf_finish(&j->ctx, j->pdf_tmp, j->o->output, j->o->source_date_epoch);
    else if (bad) st = DK_EIO;
    unlink(j->pdf_tmp);
    return st;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int n) {
    dk_buf *b = closure;
    dk_buf_add(b, data, n);
    return b->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/* The per-slide output file name: DIR/<stem>.NNN.<ext>. */
static char *slide_file(deck_job *j, int index, const char *ext) {
    const char *out = j->o->output;
    char name[64];
    dk_buf b = {0};
    snprintf(name, sizeof name, ".%03d.%s", index, ext);
    size_t ol = strlen(out);
    if (ol > strlen(ext) + 1 && strcmp(out + ol - strlen(ext), ext) == 0 && out[ol - strlen(ext) - 1] == '.') {
        dk_buf_add(&b, out, ol - strlen(ext) - 1); /* deck.png -> deck.001.png */
    } else {
        dk_buf_adds(&b, out);
        if (ol && out[ol - 1] != '/') dk_buf_addc(&b, '/');
        dk_buf_adds(&b, j->stem);
    }
    dk_buf_adds(&b, name);
    return b.oom ? (dk_buf_free(&b), NULL) : b.p;
}

static dk_status png_page(deck_job *j, const dk_slide *s, slide_out *so) {
    int pw = (int)lround(j->w * j->o->scale), ph = (int)lround(j->h * j->o->scale);
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    cairo_t *cr = cairo_create(surf);
    cairo_scale(cr, j->o->scale, j->o->scale);
    dk_canvas *c;
    dk_status st = dk_canvas_cairo_new(cr, 0, &c);
    if (st == DK_OK) {
        dk_paint(c, so->body, j->w, j->h);
        dk_canvas_free(c);
    }
    cairo_destroy(cr);
    dk_buf png = {0};
    if (st == DK_OK && cairo_surface_write_to_png_stream(surf, to_buf, &png) != CAIRO_STATUS_SUCCESS)
        st = png.oom ? DK_ENOMEM : DK_EIO;
    cairo_surface_destroy(surf);
    char *file = st == DK_OK ? slide_file(j, s->index, "png") : NULL;
    if (st == DK_OK && !file) st = DK_ENOMEM;
    if (st == DK_OK && (st = dk_file_write_atomic(file, png.p, png.n)))
        dk_diag_error(&j->ctx, DK_NOPOS, "cannot write %s: %s", file, strerror(errno));
    free(file);
    dk_buf_free(&png);
    return st;
}

static dk_status html_page(deck_job *j, const dk_slide *s, slide_out *so) {
    char *file = slide_file(j, s->index, "html");
    if (!file) return DK_ENOMEM;
    char *dir = strdup(file), *fonts = path_join(dk_data_dir(), "fonts");
    dk_buf css = {0};
    if (dir && fonts) dk_export_font_faces(fonts, dirname(dir), &css);
    free(dir);
    free(fonts);
    dk_buf_adds(&css, "/* user-agent defaults deckle assumes */\n");
    dk_buf_adds(&css, dk_css_ua_sheet);
    dk_buf_adds(&css, "\n/* theme */\n");
    dk_buf_add(&css, j->theme_css.p ? j->theme_css.p : "", j->theme_css.n);
    dk_status st = css.oom ? DK_ENOMEM
                           : dk_export_html(&j->ctx, so->dom, css.p, css.n, j->deck_dir, file);
    if (st == DK_EIO) dk_diag_error(&j->ctx, DK_NOPOS, "cannot write %s: %s", file, strerror(errno));
    dk_buf_free(&css);
    free(file);
    return st;
}

/* ---- the deck ------------------------------------------------------------------------ */

static dk_status render_deck(deck_job *j) {
    dk_status st = setup(j);
    if (st) return st;
    const dk_options *o = j->o;
    /* the folder the outputs go into, made if missing */
    const char *out = o->output;
    if (strcmp(out, "-") != 0) {
        size_t ol = strlen(out);
        int per_slide = o->format == DK_FMT_PNG || o->format == DK_FMT_HTML;
        int folder = per_slide && ((ol && out[ol - 1] == '/') || is_dir(out) || !strchr(out, '.'));
        char *copy = strdup(out);
        if (!copy) return DK_ENOMEM;
        const char *dir = folder ? copy : dirname(copy);
        if (mkdirs(dir) != 0) {
            dk_diag_error(&j->ctx, DK_NOPOS, "cannot create folder %s: %s", dir, strerror(errno));
            free(copy);
            return DK_EIO;
        }
        free(copy);
    }
    if (o->format == DK_FMT_PDF && (st = pdf_begin(j))) return st;
    if (o->format == DK_FMT_LAYOUT) dk_buf_adds(&j->layout_json, "{\"slides\":[\n");
    for (int i = 0; i < j->deck.nslides && st == DK_OK; i++) {
        const dk_slide *s = &j->deck.slides[i];
        slide_out so = {0};
        st = build_slide(j, s, &so);
        if (st == DK_OK) {
            double bottom = bottom_of(so.body);
            if (bottom > j->h + 0.5)
                dk_diag_warn(&j->ctx, s->start, "slide %d: content overflows the slide by %.0f px",
                             s->index, bottom - j->h);
            switch (o->format) {
            case DK_FMT_PDF: st = pdf_page(j, s, &so); break;
            case DK_FMT_PNG: st = png_page(j, s, &so); break;
            case DK_FMT_HTML: st = html_page(j, s, &so); break;
            case DK_FMT_LAYOUT: {
                dk_viewport vp = {j->w, j->h};
                if (i) dk_buf_adds(&j->layout_json, ",\n");
                dk_layout_dump_json(so.body, s->index, &vp, &j->layout_json);
                break;
            }
            }
        }
        dk_arena_free(so.a);
    }
    if (o->format == DK_FMT_PDF) {
        dk_status st2 = pdf_end(j, st == DK_OK);
        if (st == DK_OK) st = st2;
    }
    if (o->format == DK_FMT_LAYOUT && st == DK_OK) {
        dk_buf_adds(&j->layout_json, "\n]}\n");
        if (j->layout_json.oom) return DK_ENOMEM;
        if (strcmp(o->output, "-") == 0) {
            fwrite(j->layout_json.p, 1, j->layout_json.n, stdout);
        } else if ((st = dk_file_write_atomic(o->output, j->layout_json.p, j->layout_json.n))) {
            dk_diag_error(&j->ctx, DK_NOPOS, "cannot write %s: %s", o->output, strerror(errno));
        }
    }
    return st;
}

dk_status dk_render_file(const char *path, const dk_options *o, int *nwarn) {
    deck_job j = {0};
    dk_options opt = *o;
    j.o = &opt;
    j.path = path;
    dk_status st = dk_file_read(path, &j.src, &j.n);
    dk_ctx_init(&j.ctx, strcmp(path, "-") == 0 ? "<stdin>" : path, j.src, j.n);
    j.ctx.quiet = o->quiet;
    j.ctx.verbose = o->verbose;
    char *out_default = NULL;
    if (st == DK_EIO) {
        dk_diag_error(&j.ctx, DK_NOPOS, "cannot read deck: %s", strerror(errno));
        goto done;
    }
    if (st) goto done;
    /* the deck's folder and name */
    char *tmp = strdup(strcmp(path, "-") == 0 ? "./stdin.md" : path);
    char *tmp2 = strdup(strcmp(path, "-") == 0 ? "./stdin.md" : path);
    if (!tmp || !tmp2) {
        free(tmp);
        free(tmp2);
        st = DK_ENOMEM;
        goto done;
    }
    j.deck_dir = strdup(dirname(tmp));
    char *base = basename(tmp2);
    char *dot = strrchr(base, '.');
    if (dot && dot != base) *dot = 0;
    j.stem = strdup(base);
    free(tmp);
    free(tmp2);
    if (!j.deck_dir || !j.stem) {
        st = DK_ENOMEM;
        goto done;
    }
    if (!opt.output) {
        /* beside the deck: DECK.pdf, DECK.json, or the deck's folder for per-slide files */
        static const char *const ext[] = {".pdf", NULL, ".layout.json", NULL};
        if (ext[opt.format]) {
            size_t n = strlen(j.deck_dir) + strlen(j.stem) + 16;
            out_default = malloc(n);
            if (out_default) snprintf(out_default, n, "%s/%s%s", j.deck_dir, j.stem, ext[opt.format]);
        } else {
            out_default = strdup(j.deck_dir);
        }
        if (!out_default) {
            st = DK_ENOMEM;
            goto done;
        }
        opt.output = out_default;
    }
    st = render_deck(&j);
    if (st == DK_ENOMEM) dk_diag_error(&j.ctx, DK_NOPOS, "out of memory");
done:
    if (j.pdf) {
        cairo_surface_destroy(j.pdf);
        if (j.pdf_tmp) unlink(j.pdf_tmp);
    }
    free(j.pdf_tmp);
    if (j.text) j.text->destroy(j.text);
    dk_fonts_free(j.fc);
    dk_images_free(j.images);
    dk_sheet_free(j.sheets[0]);
    dk_sheet_free(j.sheets[1]);
    dk_buf_free(&j.theme_css);
    dk_buf_free(&j.layout_json);
    dk_deck_free(&j.deck);
    free(j.deck_dir);
    free(j.stem);
    free(j.src);
    free(out_default);
    if (nwarn) *nwarn = j.ctx.nwarn;
    return st;
}
