/*
 * The deck pipeline and the writers.
 *
 * One dk_render_file call renders one deck. Outputs are written to a
 * temporary file beside the target and renamed when complete, so a failed
 * run never leaves a half-written PDF or PNG behind.
 */
#define _GNU_SOURCE
#include "render.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../box/box.h"
#include "../css/css.h"
#include "../deck/deck.h"
#include "../dom/dom.h"
#include "../image/image.h"
#include "../layout/layout.h"
#include "../md/md.h"
#include "../out/writer.h"
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
    o->compression = -1;
}

int dk_size_parse(const char *s, double *css_w, double *css_h, double *scale) {
    static const struct {
        const char *name;
        double w, h; /* pixels */
    } presets[] = {{"16:9", 1920, 1080}, {"4:3", 1440, 1080}, {"square", 1080, 1080},
                   {"portrait", 1080, 1350}, {"og", 1200, 630}};
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
        if (strcmp(s, presets[i].name) != 0) continue;
        double k = DK_MIN(presets[i].w, presets[i].h) / 720;
        *css_w = presets[i].w / k;
        *css_h = presets[i].h / k;
        *scale = k;
        return 1;
    }
    char *end;
    double w = strtod(s, &end), h;
    if (end == s || (*end != 'x' && *end != 'X')) return 0;
    const char *hs = end + 1;
    h = strtod(hs, &end);
    if (end == hs || *end || !(w >= 16 && w <= 16384 && h >= 16 && h <= 16384)) return 0;
    *css_w = w;
    *css_h = h;
    return 1;
}

int dk_pages_parse(const char *s, int n, unsigned char *sel) {
    memset(sel, 0, (size_t)n);
    const char *p = s;
    if (!*p) return 0;
    while (*p) {
        char *end;
        long a = strtol(p, &end, 10), b;
        if (end == p || a < 1) return 0;
        p = end;
        if (*p == '-') {
            p++;
            if (*p == ',' || *p == 0) b = n;
            else {
                b = strtol(p, &end, 10);
                if (end == p || b < a) return 0;
                p = end;
            }
        } else {
            b = a;
        }
        for (long i = a; i <= b && i <= n; i++) sel[i - 1] = 1;
        if (*p == ',') p++;
        else if (*p) return 0;
    }
    return 1;
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
} deck_job;

/* One slide, laid out. */
typedef struct {
    dk_arena *a;
    dk_node *dom;
    dk_box *body;
    double text_scale; /* fit: 1, or how far the text was shrunk */
} slide_out;

/* ---- small helpers -------------------------------------------------------------------- */

static char *xstrdup(const char *s) { return s ? strdup(s) : NULL; }

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

static int has_class(const dk_node *n, const char *cls) {
    const char *v = dk_node_attr(n, "class");
    size_t m = strlen(cls);
    for (const char *p = v; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n') p++;
        size_t k = strcspn(p, " \t\n");
        if (k == m && strncmp(p, cls, m) == 0) return 1;
        p += k;
    }
    return 0;
}

static void collect_notes(const dk_node *n, dk_buf *out) {
    for (const dk_node *k = n->first; k; k = k->next) {
        if (k->type != DK_NODE_ELEMENT) continue;
        if (has_class(k, "notes")) {
            if (out->n) dk_buf_addc(out, '\n');
            node_text(k, out);
        } else {
            collect_notes(k, out);
        }
    }
}

/* The slide's speaker notes (elements of class "notes"), as plain text (malloc'd), or NULL. */
static char *slide_notes(const dk_node *root) {
    dk_buf b = {0};
    collect_notes(root, &b);
    while (b.n && b.p[b.n - 1] == ' ') b.p[--b.n] = 0;
    if (!b.n || b.oom) {
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

static double bottom_of(const dk_box *b) {
    double y = b->y + b->h;
    for (const dk_box *k = b->first; k; k = k->next) y = DK_MAX(y, bottom_of(k));
    return y;
}

/* Does anything stick out of its box or off the bottom of the slide? */
static int overflows(const dk_box *b, double height) {
    if (b->overflowed || b->y + b->h > height + 0.5) return 1;
    for (const dk_box *k = b->first; k; k = k->next)
        if (overflows(k, height)) return 1;
    return 0;
}

enum { FIT_STEPS = 8 };        /* 100%, 95%, ... down to the floor */
#define FIT_FLOOR 0.6          /* the smallest text scale fit tries */

/*
 * Build and lay out one slide. If its content does not fit, it is laid out
 * again with smaller text in steps of 5% (as Marp's auto-scaling does) down
 * to 60%; what still does not fit is drawn as far as it fits and reported.
 */
static dk_status build_slide(deck_job *j, const dk_slide *s, slide_out *out) {
    dk_status st;
    dk_html html;
    out->a = dk_arena_new();
    if (!out->a) return DK_ENOMEM;
    if ((st = dk_md_render(&j->ctx, out->a, j->src, s, &html))) return st;
    if ((st = dk_dom_parse(&j->ctx, out->a, &html, j->o->fix_text, &out->dom))) return st;
    const dk_sheet *sheets[2] = {j->sheets[0], j->sheets[1]};
    dk_viewport vp = {j->w, j->h};
    double scale = 1;
    for (int step = 0;; step++) {
        dk_media media = {j->w, j->h, scale};
        if ((st = dk_css_cascade(&j->ctx, out->a, sheets, 2, &media, out->dom))) return st;
        if ((st = dk_box_build(&j->ctx, out->a, j->images, out->dom, &out->body))) return st;
        if ((st = dk_layout(&j->ctx, out->a, j->text, &vp, out->body))) return st;
        if (!overflows(out->body, j->h)) break;
        if (scale <= FIT_FLOOR + 1e-9 || step == FIT_STEPS) {
            dk_diag_warn(&j->ctx, s->start,
                         "slide %d: content does not fit even with text at %.0f%% "
                         "(%.0f px too tall); what does not fit is cut off",
                         s->index, scale * 100, DK_MAX(bottom_of(out->body) - j->h, 0));
            break;
        }
        scale = DK_MAX(FIT_FLOOR, scale - 0.05);
    }
    out->text_scale = scale;
    if (scale < 1 && j->ctx.verbose)
        dk_diag(&j->ctx, DK_DIAG_NOTE, s->start, "slide %d: text shrunk to %.0f%% to fit",
                s->index, scale * 100);
    return DK_OK;
}

/* ---- the deck ------------------------------------------------------------------------ */

static dk_status make_writer(dk_format f, dk_writer **out) {
    switch (f) {
    case DK_FMT_PDF: return dk_writer_pdf_new(out);
    case DK_FMT_PNG: return dk_writer_png_new(out);
    case DK_FMT_LAYOUT: return dk_writer_layout_new(out);
    case DK_FMT_HTML: return dk_writer_html_new(out);
    case DK_FMT_SVG: return dk_writer_svg_new(out);
    }
    return DK_EUSAGE;
}

/* Make the folder the outputs go into. */
static dk_status make_out_dir(deck_job *j) {
    const dk_options *o = j->o;
    const char *out = o->output;
    if (strcmp(out, "-") == 0) return DK_OK;
    size_t ol = strlen(out);
    int per_slide = o->format == DK_FMT_PNG || o->format == DK_FMT_HTML || o->format == DK_FMT_SVG;
    int folder = per_slide && ((ol && out[ol - 1] == '/') || is_dir(out) || !strchr(out, '.'));
    char *copy = strdup(out);
    if (!copy) return DK_ENOMEM;
    const char *dir = folder ? copy : dirname(copy);
    dk_status st = DK_OK;
    if (mkdirs(dir) != 0) {
        dk_diag_error(&j->ctx, DK_NOPOS, "cannot create folder %s: %s", dir, strerror(errno));
        st = DK_EIO;
    }
    free(copy);
    return st;
}

static dk_status render_deck(deck_job *j) {
    const dk_options *o = j->o;
    dk_writer *w = NULL;
    unsigned char *sel = NULL;
    dk_status st = setup(j);
    if (st == DK_OK) st = make_out_dir(j);
    if (st == DK_OK) st = make_writer(o->format, &w);
    if (st) goto done;
    sel = malloc((size_t)j->deck.nslides + 1);
    if (!sel) {
        st = DK_ENOMEM;
        goto done;
    }
    memset(sel, 1, (size_t)j->deck.nslides + 1);
    if (o->pages && !dk_pages_parse(o->pages, j->deck.nslides, sel)) {
        dk_diag_error(&j->ctx, DK_NOPOS, "--pages '%s': want slide numbers like 2-4,6", o->pages);
        st = DK_EUSAGE;
        goto done;
    }
    int nsel = 0;
    for (int i = 0; i < j->deck.nslides; i++) nsel += sel[i];
    dk_deck_info info = {
        .ctx = &j->ctx, .deck = &j->deck, .output = o->output, .stem = j->stem,
        .deck_dir = j->deck_dir, .data_dir = dk_data_dir(), .theme_css = j->theme_css.p,
        .width = j->w, .height = j->h, .scale = o->scale,
        .source_date_epoch = o->source_date_epoch, .nslides = j->deck.nslides,
        .nselected = nsel, .handout = o->handout, .paper_letter = o->paper_letter,
        .notes = o->notes, .transparent = o->transparent, .compression = o->compression,
    };
    st = w->begin(w, &info);
    for (int i = 0; i < j->deck.nslides && st == DK_OK; i++) {
        const dk_slide *s = &j->deck.slides[i];
        slide_out so = {0};
        if (!sel[i]) continue;
        st = build_slide(j, s, &so);
        if (st == DK_OK) {
            char *title = slide_title(so.dom), *notes = slide_notes(so.dom);
            dk_slide_out out = {s->index, s->start, so.dom, so.body, title, notes};
            st = w->slide(w, &info, &out);
            free(title);
            free(notes);
        }
        dk_arena_free(so.a);
    }
    dk_status st2 = w->end(w, &info, st == DK_OK);
    if (st == DK_OK) st = st2;
done:
    if (w) w->destroy(w);
    free(sel);
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
    if (j.text) j.text->destroy(j.text);
    dk_fonts_free(j.fc);
    dk_images_free(j.images);
    dk_sheet_free(j.sheets[0]);
    dk_sheet_free(j.sheets[1]);
    dk_buf_free(&j.theme_css);
    dk_deck_free(&j.deck);
    free(j.deck_dir);
    free(j.stem);
    free(j.src);
    free(out_default);
    if (nwarn) *nwarn = j.ctx.nwarn;
    return st;
}
