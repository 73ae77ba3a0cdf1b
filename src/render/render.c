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
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../box/box.h"
#include "../css/css.h"
#include "../deck/deck.h"
#include "../dom/dom.h"
#include "../image/image.h"
#include "../layout/layout.h"
#include "../marp/marp.h"
#include "../md/md.h"
#include "../writer/writer.h"
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
    o->threads = 1;
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

int dk_pages_parse(const char *s, int n, unsigned char *sel, int *past) {
    memset(sel, 0, (size_t)n);
    *past = 0;
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
        if (b > n && b > *past) *past = b > INT_MAX ? INT_MAX : (int)b;
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
    const char *data;       /* fonts/ and themes/ */
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
    dk_pool *pool;          /* threads for PNG's rows and images, or NULL */
    const char *stage;      /* the private folder {n} outputs are written in first, or NULL */
} deck_job;

/* One slide, laid out. */
typedef struct {
    dk_arena *a;
    dk_node *dom;
    dk_box *body;
    double text_scale; /* fit: 1, or how far the text was shrunk */
} slide_out;

/* ---- small helpers -------------------------------------------------------------------- */

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Do two paths name one existing file (links and symlinks included)? */
static int same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0) return 0;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
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

/* Tell the caller a file was read (for --watch). */
static void note_input(deck_job *j, const char *path) {
    const dk_render_hooks *h = j->o->hooks;
    if (h && h->input && path) h->input(h->ud, path);
}

/* Does the file exist? */
static int is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Is a theme name a path (`themes/x.css`, `x.css`) rather than a name? */
static int is_theme_path(const char *name) {
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 4 && strcmp(name + n - 4, ".css") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".scss") == 0);
}

static void note_input_cb(void *ud, const char *path) { note_input(ud, path); }

/*
 * Find the sheet of theme `name` (malloc'd path, or NULL when there is
 * none). A path is taken relative to the deck when the deck names it, as
 * given when the command line does. A name is a bundled theme, else a
 * project theme found by its @theme comment (marp/theme.c).
 */
static char *theme_path(deck_job *j, const dk_theme_env *env, const char *name, int from_deck,
                        const char **why) {
    char *p = NULL;
    *why = NULL;
    if (is_theme_path(name)) {
        /* a deck may name sheets only where it may read images (the project rule) */
        if (from_deck) return dk_images_resolve(j->images, name, why);
        return strdup(name);
    }
    if (asprintf(&p, "%s/themes/%s.css", j->data, name) < 0) return NULL;
    if (is_file(p)) return p;
    free(p);
    int by_file_name = 0;
    p = dk_marp_find_theme(env, name, &by_file_name);
    if (p && by_file_name)
        dk_diag_warn_code(&j->ctx, from_deck ? j->deck.theme_off : DK_NOPOS, "marp-theme-name",
                          "theme '%s': no sheet declares '@theme %s'; using %s by its file name "
                          "(Marp would not)",
                          name, name, p);
    return p;
}

/*
 * The theme sheet: the one --theme names, else the deck's `theme`, else
 * the default (marp-default for a Marp deck, also when --theme says
 * `default`, `gaia` or `uncover`). A theme that cannot be found is a
 * warning at the place the deck names it, and the default is used; a
 * project theme's folder becomes part of the project, so its url()s may
 * point beside it. Fails when the default itself cannot be read.
 */
static dk_status load_theme(deck_job *j) {
    const char *cli = j->o->theme;
    int from_deck = !cli && j->deck.theme.p && j->deck.theme.n;
    const char *fallback = j->deck.marp ? "marp-default" : "default";
    char *want = NULL;
    if (from_deck) want = strndup(j->deck.theme.p, j->deck.theme.n);
    else if (cli && j->deck.marp &&
             (!strcmp(cli, "default") || !strcmp(cli, "gaia") || !strcmp(cli, "uncover"))) {
        if (asprintf(&want, "marp-%s", cli) < 0) want = NULL;
    } else {
        want = strdup(cli ? cli : fallback);
    }
    if (!want) return DK_ENOMEM;
    dk_theme_env env = {j->deck_dir, dk_images_root(j->images), j->data, note_input_cb, j};
    const char *why = NULL;
    char *path = theme_path(j, &env, want, from_deck, &why);
    dk_status st = DK_OK;
    if (path) {
        st = dk_marp_theme_read(&j->ctx, &env, path, &j->theme_css);
        if (st == DK_EIO) {
            free(path);
            path = NULL;
        }
    }
    if (!path && st != DK_ENOMEM) {
        dk_diag_warn_code(&j->ctx, from_deck ? j->deck.theme_off : DK_NOPOS, "theme-missing",
                          "theme '%s' %s (%s); using the %s theme", want,
                          why ? "cannot be used" : "not found",
                          why                 ? why
                          : is_theme_path(want) ? "no such file"
                                                : "not bundled, and no CSS file near the deck "
                                                  "declares it with @theme",
                          fallback);
        if (asprintf(&path, "%s/themes/%s.css", j->data, fallback) < 0) path = NULL;
        st = path ? dk_marp_theme_read(&j->ctx, &env, path, &j->theme_css) : DK_ENOMEM;
        if (st == DK_EIO)
            dk_diag_error_code(&j->ctx, DK_NOPOS, "theme-unreadable", "cannot read theme %s: %s",
                               path, strerror(errno));
    } else if (st == DK_OK && strncmp(path, j->data, strlen(j->data)) != 0) {
        /* a project theme: its own folder is part of the project */
        char *dir = strdup(path);
        if (!dir) st = DK_ENOMEM;
        else st = dk_images_allow(j->images, dirname(dir));
        free(dir);
        /* Marpit's structure (slide size, hidden notes) under a theme that does not import it */
        if (st == DK_OK && j->deck.marp) {
            dk_buf base = {0};
            char *bp = NULL;
            if (asprintf(&bp, "%s/themes/marp-base.css", j->data) < 0) bp = NULL;
            st = bp ? dk_marp_theme_read(&j->ctx, &env, bp, &base) : DK_ENOMEM;
            if (st == DK_OK) {
                dk_buf_add(&base, j->theme_css.p, j->theme_css.n);
                dk_buf_free(&j->theme_css);
                j->theme_css = base;
            } else {
                dk_buf_free(&base);
            }
            if (st == DK_EIO)
                dk_diag_error_code(&j->ctx, DK_NOPOS, "theme-unreadable",
                                   "cannot read theme %s: %s", bp, strerror(errno));
            free(bp);
        }
    }
    if (st == DK_OK && j->deck.marp && j->theme_css.n) {
        /* the theme's section::after page number styles go to div.deckle-pagination */
        dk_buf css = {0};
        dk_marp_pagination_css(j->theme_css.p, j->theme_css.n, &css);
        dk_buf_free(&j->theme_css);
        j->theme_css = css;
    }
    if (st == DK_OK && j->theme_css.oom) st = DK_ENOMEM;
    if (st == DK_OK)
        st = load_sheet(j, j->theme_css.p ? j->theme_css.p : "", j->theme_css.n, &j->sheets[1]);
    free(path);
    free(want);
    return st;
}

/* Split the (prepared) source into slides, at most DK_LIMIT_SLIDES of them. */
static dk_status parse_deck(dk_ctx *ctx, const char *src, size_t n, dk_deck *deck) {
    dk_status st = dk_deck_parse(ctx, src, n, deck);
    if (st == DK_OK && deck->nslides > DK_LIMIT_SLIDES) {
        dk_diag_warn_code(ctx, DK_NOPOS, "too-many-slides",
                          "the deck has %d slides; only the first %d are rendered", deck->nslides,
                          DK_LIMIT_SLIDES);
        deck->nslides = DK_LIMIT_SLIDES; /* dk_deck_free does not need the count */
    }
    return st;
}

static dk_status setup(deck_job *j) {
    dk_status st;
    if ((st = parse_deck(&j->ctx, j->src, j->n, &j->deck))) return st;
    j->w = j->o->width > 0 ? j->o->width : j->deck.width > 0 ? j->deck.width : 1280;
    j->h = j->o->height > 0 ? j->o->height : j->deck.height > 0 ? j->deck.height : 720;
    /* images first: the theme search stops at their project root */
    if ((st = dk_images_new(j->deck_dir, j->o->allow_outside, &j->images))) return st;
    /* PNG: rows deflated and images decoded on threads (out of memory: on this one) */
    if (j->o->format == DK_FMT_PNG && j->o->threads > 1 && (j->pool = dk_pool_new(j->o->threads)))
        dk_images_set_pool(j->images, j->pool);
    /* --assets folders, one a line */
    for (const char *p = j->o->assets; p && *p && st == DK_OK;) {
        size_t k = strcspn(p, "\n");
        char *dir = strndup(p, k);
        st = dir ? dk_images_allow(j->images, dir) : DK_ENOMEM;
        free(dir);
        p += k + (p[k] == '\n');
    }
    if (st) return st;
    if ((st = load_sheet(j, dk_css_ua_sheet, strlen(dk_css_ua_sheet), &j->sheets[0]))) return st;
    if ((st = load_theme(j))) return st;
    if ((st = dk_fonts_new(&j->ctx, j->data, &j->fc))) return st;
    /* before pango makes a font map, which would load the system's configuration */
    if (j->o->fonts_current) {
        if (!FcConfigSetCurrent(j->fc)) return DK_ENOMEM;
        dk_images_svg_system_fonts(); /* SVG images keep the system's fonts */
    }
    if ((st = dk_text_pango_new(&j->ctx, j->fc, &j->text))) return st;
    return DK_OK;
}

/* ---- one slide --------------------------------------------------------------------- */

static double bottom_of(const dk_box *b) {
    double y = b->y + b->h;
    for (const dk_box *k = b->first; k; k = k->next) {
        double ky = bottom_of(k); /* not inside DK_MAX: that would call it twice, 2^depth */
        y = DK_MAX(y, ky);
    }
    return y;
}

/*
 * Does anything stick out of its box or off the bottom of the slide? Not
 * counted: what overflows inside an out-of-flow box (`in_oof`), such as a
 * footer's text taller than its fixed height; smaller text seldom cures that.
 */
static int overflows(const dk_box *b, double height, int in_oof) {
    in_oof |= b->kind != DK_BOX_PARA && dk_style_out_of_flow(b->style);
    if ((b->overflowed && !in_oof) || b->y + b->h > height + 0.5) return 1;
    for (const dk_box *k = b->first; k; k = k->next)
        if (overflows(k, height, in_oof)) return 1;
    return 0;
}

enum { FIT_STEPS = 8 };        /* 100%, 95%, ... down to the floor */
#define FIT_FLOOR 0.6          /* the smallest text scale fit tries */

/*
 * Build and lay out one slide. If its content does not fit, it is laid out
 * again with smaller text in steps of 5% (as Marp's auto-scaling does) down
 * to 60%; what does not fit even then is reported and drawn at full size
 * (as a browser would), cut off at the slide's edge.
 */
static void mute_diag(void *ud, const dk_diag_rec *d) {
    (void)ud;
    (void)d;
}

/* Say diagnostics again as `said` did, uncounting those made while muted. */
static void unmute(dk_ctx *ctx, const dk_ctx *said) {
    ctx->on_diag = said->on_diag;
    ctx->diag_ud = said->diag_ud;
    ctx->log = said->log;
    ctx->nwarn = said->nwarn;
    ctx->nerr = said->nerr;
}

static dk_status build_slide(deck_job *j, const dk_slide *s, slide_out *out) {
    dk_status st;
    dk_html html;
    out->a = dk_arena_new();
    if (!out->a) return DK_ENOMEM;
    if ((st = dk_md_render(&j->ctx, out->a, j->src, s, &html))) return st;
    if ((st = dk_dom_parse(&j->ctx, out->a, &html, j->o->fix_text, &out->dom))) return st;
    /* Marp / Obsidian / reveal.js conventions: <section>, backgrounds, embeds, notes */
    dk_marp_in mi = {j->src, &j->deck, s->index - 1, j->deck_dir, dk_images_root(j->images)};
    if ((st = dk_marp_transform(&j->ctx, out->a, &mi, out->dom))) return st;
    const dk_sheet *sheets[2] = {j->sheets[0], j->sheets[1]};
    dk_viewport vp = {j->w, j->h};
    double scale = 1;
    /* a fit pass repeats the first pass's warnings: those are said once (muted below) */
    dk_ctx said = j->ctx;
    int muted = 0, given_up = 0;
    for (int step = 0;; step++) {
        if (step == 1) {
            said = j->ctx;
            muted = 1;
            j->ctx.on_diag = mute_diag;
            j->ctx.log = NULL;
        }
        dk_media media = {j->w, j->h, scale};
        if ((st = dk_css_cascade(&j->ctx, out->a, sheets, 2, &media, out->dom))) break;
        if ((st = dk_box_build(&j->ctx, out->a, j->images, out->dom, &out->body))) break;
        if ((st = dk_layout(&j->ctx, out->a, j->text, &vp, out->body))) break;
        if (!overflows(out->body, j->h, 0)) break;
        if (given_up) break; /* the full-size layout again, after a fit that failed */
        if (scale <= FIT_FLOOR + 1e-9 || step == FIT_STEPS) {
            if (muted) unmute(&j->ctx, &said), muted = 0;
            dk_diag_warn_code(&j->ctx, s->start, "overflow",
                              "slide %d: content does not fit even with text at %.0f%% "
                              "(%.0f px too tall); drawn at full size, what does not fit is cut off",
                              s->index, scale * 100, DK_MAX(bottom_of(out->body) - j->h, 0));
            /* Smaller text did not cure it (often a fixed-size box or a grid whose rows
               add up to more than the slide, which text size cannot change): keep the
               author's sizes, as a browser shows the slide, rather than shrunken text
               that is cut off all the same. */
            given_up = 1;
            scale = 1;
            said = j->ctx; /* the full-size pass repeats the first pass's warnings */
            muted = 1;
            j->ctx.on_diag = mute_diag;
            j->ctx.log = NULL;
            continue;
        }
        scale = DK_MAX(FIT_FLOOR, scale - 0.05);
    }
    if (muted) unmute(&j->ctx, &said);
    if (st) return st;
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

/* Per-slide formats write one file per slide; the others one file per deck. */
static int per_slide(dk_format f) {
    return f == DK_FMT_PNG || f == DK_FMT_HTML || f == DK_FMT_SVG;
}

static const char *slide_ext(dk_format f) {
    return f == DK_FMT_PNG ? "png" : f == DK_FMT_SVG ? "svg" : "html";
}

int dk_output_has_n(const char *s) { return s && strstr(s, "{n}") != NULL; }

char *dk_output_expand(const char *tmpl, const char *deck_path, int n) {
    int in = strcmp(deck_path, "-") == 0;
    char *d = strdup(in ? "./stdin.md" : deck_path), *b = strdup(in ? "./stdin.md" : deck_path);
    dk_buf out = {0};
    if (!d || !b) goto done;
    const char *dir = dirname(d);
    char *name = basename(b), *dot = strrchr(name, '.');
    if (dot && dot != name) *dot = 0;
    for (const char *p = tmpl; *p; p++) {
        if (strncmp(p, "{name}", 6) == 0) {
            dk_buf_adds(&out, name);
            p += 5;
        } else if (strncmp(p, "{dir}", 5) == 0) {
            dk_buf_adds(&out, dir);
            p += 4;
        } else if (n > 0 && strncmp(p, "{n}", 3) == 0) {
            dk_buf_printf(&out, "%03d", n);
            p += 2;
        } else {
            dk_buf_addc(&out, *p);
        }
    }
    if (!out.p) dk_buf_adds(&out, "");
done:
    free(d);
    free(b);
    if (!d || !b || out.oom) {
        dk_buf_free(&out);
        return NULL;
    }
    return out.p;
}

/* Make the folder the outputs go into. */
static dk_status make_out_dir(deck_job *j, const char *out) {
    const dk_options *o = j->o;
    if (strcmp(out, "-") == 0) return DK_OK;
    size_t ol = strlen(out);
    int folder = per_slide(o->format) && ((ol && out[ol - 1] == '/') || is_dir(out) || !strchr(out, '.'));
    char *copy = strdup(out);
    if (!copy) return DK_ENOMEM;
    const char *dir = folder ? copy : dirname(copy);
    dk_status st = DK_OK;
    if (mkdirs(dir) != 0 || (!is_dir(dir) && (errno = ENOTDIR))) {
        dk_diag_error_code(&j->ctx, DK_NOPOS, "output-unwritable", "cannot create folder %s: %s",
                           dir, strerror(errno));
        st = DK_EIO;
    }
    free(copy);
    return st;
}

/*
 * Where the files of one render go. A {n} template cannot be handed to a
 * writer, which names slides <stem>.NNN.<ext>: they are written into a
 * private folder beside the first target and renamed to their own names
 * (rename keeps each file atomic). A PDF for "-" goes to a temporary file
 * that is copied to standard output only once it is complete.
 */
typedef struct {
    char *output;  /* what the writer gets */
    char *stage;   /* the private folder for {n}, or NULL */
    char *tmpfile; /* the temporary PDF for "-", or NULL */
} out_plan;

static void plan_free(out_plan *p) {
    if (p->stage) {
        DIR *d = opendir(p->stage);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            dk_buf f = {0};
            dk_buf_printf(&f, "%s/%s", p->stage, e->d_name);
            if (f.p) unlink(f.p);
            dk_buf_free(&f);
        }
        if (d) closedir(d);
        rmdir(p->stage);
        dk_tmp_untrack(p->stage);
    }
    if (p->tmpfile) dk_tmp_unlink(p->tmpfile);
    free(p->stage);
    free(p->tmpfile);
    free(p->output);
}

static dk_status plan_outputs(deck_job *j, out_plan *p) {
    const dk_options *o = j->o;
    dk_status st = DK_OK;
    memset(p, 0, sizeof *p);
    if (dk_output_has_n(o->output)) {
        if (o->format != DK_FMT_PNG && o->format != DK_FMT_SVG) {
            dk_diag_error_code(&j->ctx, DK_NOPOS, "usage",
                               "-o %s: {n} names one file per slide (PNG and SVG only)", o->output);
            return DK_EUSAGE;
        }
        char *first = dk_output_expand(o->output, j->path, 1);
        if (!first) return DK_ENOMEM;
        st = make_out_dir(j, first);
        if (st == DK_OK) {
            size_t n = strlen(first) + 32;
            p->stage = malloc(n);
            if (!p->stage) st = DK_ENOMEM;
            else {
                char *copy = strdup(first);
                snprintf(p->stage, n, "%s/.deckle-XXXXXX", copy ? dirname(copy) : ".");
                free(copy);
                if (!dk_tmp_mkdtemp(p->stage)) {
                    dk_diag_error_code(&j->ctx, DK_NOPOS, "output-unwritable",
                                       "cannot create a folder beside %s: %s", first,
                                       strerror(errno));
                    free(p->stage);
                    p->stage = NULL;
                    st = DK_EIO;
                }
            }
        }
        free(first);
        if (st == DK_OK) p->output = strdup(p->stage);
    } else if (strcmp(o->output, "-") == 0 && o->format == DK_FMT_PDF) {
        const char *tmpdir = getenv("TMPDIR");
        size_t n = (tmpdir && *tmpdir ? strlen(tmpdir) : 4) + 32;
        p->tmpfile = malloc(n);
        if (!p->tmpfile) return DK_ENOMEM;
        snprintf(p->tmpfile, n, "%s/deckle-XXXXXX.pdf", tmpdir && *tmpdir ? tmpdir : "/tmp");
        int fd = dk_tmp_mkstemps(p->tmpfile, 4);
        if (fd < 0) {
            dk_diag_error_code(&j->ctx, DK_NOPOS, "output-unwritable",
                               "cannot create a temporary file %s: %s", p->tmpfile, strerror(errno));
            free(p->tmpfile);
            p->tmpfile = NULL;
            return DK_EIO;
        }
        close(fd);
        p->output = strdup(p->tmpfile);
    } else {
        p->output = dk_output_expand(o->output, j->path, 0);
        if (p->output) st = make_out_dir(j, p->output);
    }
    if (st == DK_OK && !p->output) st = DK_ENOMEM;
    return st;
}

/* Move a staged file to its name; across file systems, copy it atomically. */
static dk_status move_file(deck_job *j, const char *from, const char *to) {
    char *copy = strdup(to);
    if (!copy) return DK_ENOMEM;
    int r = mkdirs(dirname(copy));
    free(copy);
    if (r == 0 && rename(from, to) == 0) return DK_OK;
    if (r == 0 && errno == EXDEV) {
        char *buf;
        size_t n;
        dk_status st = dk_file_read(from, &buf, &n);
        if (st == DK_OK) st = dk_file_write_atomic(to, buf, n);
        free(buf);
        unlink(from);
        if (st == DK_OK) return DK_OK;
    }
    dk_diag_error_code(&j->ctx, DK_NOPOS, "output-unwritable", "cannot write %s: %s", to,
                       strerror(errno));
    return DK_EIO;
}

/* Copy a finished file to standard output. */
static dk_status copy_to_stdout(deck_job *j, const char *path) {
    char *buf;
    size_t n;
    dk_status st = dk_file_read(path, &buf, &n);
    if (st == DK_OK && (fwrite(buf, 1, n, stdout) != n || fflush(stdout) != 0)) st = DK_EIO;
    free(buf);
    if (st == DK_EIO)
        dk_diag_error_code(&j->ctx, DK_NOPOS, "output-unwritable", "cannot write to standard output: %s",
                           strerror(errno));
    return st;
}

/* Report the images a slide uses (for --watch): <img src> relative to the deck. */
static void note_images(deck_job *j, const dk_node *n) {
    const dk_render_hooks *h = j->o->hooks;
    if (!h || !h->input) return;
    for (; n; n = n->next) {
        if (n->type == DK_NODE_ELEMENT && dk_node_is(n, "img")) {
            const char *src = dk_node_attr(n, "src");
            if (src && *src && !strstr(src, "://") && strncmp(src, "data:", 5) != 0) {
                dk_buf b = {0};
                if (src[0] == '/') dk_buf_adds(&b, src);
                else dk_buf_printf(&b, "%s/%s", j->deck_dir, src);
                if (b.p && !b.oom) h->input(h->ud, b.p);
                dk_buf_free(&b);
            }
        }
        note_images(j, n->first);
    }
}

/* A per-slide format's file for slide `index` is written (dk_deck_info.slide_written). */
static dk_status slide_written(const dk_deck_info *d, int index) {
    deck_job *j = d->ud;
    const dk_options *o = j->o;
    const dk_render_hooks *h = o->hooks;
    const char *stage = j->stage;
    char *file = dk_slide_file(d, index, slide_ext(o->format));
    char *to = stage ? dk_output_expand(o->output, j->path, index) : NULL;
    dk_status st = DK_OK;
    if (!file || (stage && !to)) {
        st = DK_ENOMEM;
    } else if (stage) {
        dk_tmp_track(file); /* in the private folder until it has its name */
        st = move_file(j, file, to);
        dk_tmp_untrack(file);
    }
    if (st == DK_OK && h && h->output) h->output(h->ud, to ? to : file);
    if (st == DK_OK && h && h->slide_done) h->slide_done(h->ud, index);
    free(file);
    free(to);
    return st;
}

/* A slice's part of the PDF is written (dk_deck_info.part_written): the caller joins it. */
static void part_written(const dk_deck_info *d, const char *path) {
    const deck_job *j = d->ud;
    const dk_render_hooks *h = j->o->hooks;
    if (h && h->pdf_part) h->pdf_part(h->ud, path);
}

/* How many parts a PDF of `nsel` slides is written in (render.h): 1 for anything else. */
static int pdf_parts(const dk_options *o, int nsel) {
    int to_stdout = o->output && strcmp(o->output, "-") == 0;
    return o->format == DK_FMT_PDF && !o->handout && !to_stdout && nsel >= DK_PDF_PART_MIN
               ? DK_PDF_PARTS : 1;
}

/*
 * The slides --pages selects of `nslides` (all without it): sel[i] = 1 for
 * each. Returns how many, or -1 for a selection that does not parse.
 */
static int select_slides(const dk_options *o, int nslides, unsigned char *sel, int *past) {
    memset(sel, 1, (size_t)nslides + 1);
    *past = 0;
    if (o->pages && !dk_pages_parse(o->pages, nslides, sel, past)) return -1;
    int nsel = 0;
    for (int i = 0; i < nslides; i++) nsel += sel[i];
    return nsel;
}

static dk_status render_deck(deck_job *j) {
    const dk_options *o = j->o;
    const dk_render_hooks *h = o->hooks;
    dk_writer *w = NULL;
    unsigned char *sel = NULL;
    out_plan plan = {0};
    int wrote = 0;
    dk_status st = setup(j);
    /* a deck that cannot be set up is bad input (its theme, its front matter) */
    if (st == DK_EIO) st = DK_EINPUT;
    int pdf_slice = o->format == DK_FMT_PDF && !o->handout && o->slice_n == DK_PDF_PARTS;
    if (st == DK_OK && o->slice_n > 1 && !per_slide(o->format) && !pdf_slice) {
        dk_diag_error_code(&j->ctx, DK_NOPOS, "usage",
                           "slides are split only for per-slide formats and in %d for a PDF "
                           "(not handouts)", DK_PDF_PARTS);
        st = DK_EUSAGE;
    }
    /* the selection before anything is made on disk: a bad one writes nothing */
    int nsel = 0, past = 0;
    if (st == DK_OK && !(sel = malloc((size_t)j->deck.nslides + 1))) st = DK_ENOMEM;
    if (st == DK_OK && (nsel = select_slides(o, j->deck.nslides, sel, &past)) < 0) {
        dk_diag_error_code(&j->ctx, DK_NOPOS, "usage", "--pages '%s': want slide numbers like 2-4,6",
                           o->pages);
        st = DK_EUSAGE;
    }
    /* a selection past the deck's end is a mistake: nothing (not a blank page), or a warning */
    if (st == DK_OK && o->pages && nsel == 0) {
        dk_diag_error_code(&j->ctx, DK_NOPOS, "usage",
                           "--pages '%s' selects none of the deck's %d slides", o->pages,
                           j->deck.nslides);
        st = DK_EUSAGE;
    }
    if (st == DK_OK && past)
        dk_diag_warn_code(&j->ctx, DK_NOPOS, "pages-past-end",
                          "--pages '%s': the deck has %d slides, not %d; the others are rendered",
                          o->pages, j->deck.nslides, past);
    if (st == DK_OK) st = plan_outputs(j, &plan);
    j->stage = plan.stage;
    struct stat ost;
    if (st == DK_OK && !plan.stage && !plan.tmpfile && !per_slide(o->format) &&
        stat(plan.output, &ost) == 0 && !S_ISREG(ost.st_mode)) {
        /* rename would replace a device or FIFO (as root, /dev/null itself) with a file */
        dk_diag_error_code(&j->ctx, DK_NOPOS, "output-unwritable",
                           "cannot write %s: not a regular file", plan.output);
        st = DK_EIO;
    }
    if (st == DK_OK && !plan.stage && !plan.tmpfile && !per_slide(o->format) &&
        same_file(plan.output, j->path)) {
        dk_diag_error_code(&j->ctx, DK_NOPOS, "output-is-input",
                           "the output %s is the deck itself; not overwriting it", plan.output);
        st = DK_EUSAGE;
    }
    if (st == DK_OK) st = make_writer(o->format, &w);
    if (st) goto done;
    int nhere = 0, rank = 0;
    int nparts = pdf_parts(o, nsel);
    /* slice K of N: the K-th of N runs of consecutive selected slides (2: in this task); a PDF
       too small for parts is all slice 0's */
    for (int i = 0; i < j->deck.nslides; i++) {
        if (!sel[i]) continue;
        int here = o->slice_n <= 1 || (pdf_slice && nparts == 1)
                       ? o->slice_k == 0
                       : (long)rank * o->slice_n / nsel == o->slice_k;
        if (here) sel[i] = 2, nhere++;
        rank++;
    }
    if (h && h->slides) h->slides(h->ud, j->deck.nslides, nhere);
    dk_deck_info info = {
        .ctx = &j->ctx, .deck = &j->deck, .output = plan.output, .stem = j->stem,
        .deck_dir = j->deck_dir, .data_dir = j->data, .theme_css = j->theme_css.p,
        .width = j->w, .height = j->h, .scale = o->scale,
        .source_date_epoch = o->source_date_epoch, .nslides = j->deck.nslides,
        .nselected = nsel, .handout = o->handout, .paper_letter = o->paper_letter,
        .notes = o->notes, .transparent = o->transparent, .compression = o->compression,
        .nparts = nparts, .part = pdf_slice && nparts > 1 ? o->slice_k : -1,
        .pool = j->pool, .part_written = part_written, .slide_written = slide_written,
        .ud = j,
    };
    if (pdf_slice && nhere == 0) goto done; /* the whole (small) PDF is another slice's */
    st = w->begin(w, &info);
    rank = -1;
    for (int i = 0; i < j->deck.nslides && st == DK_OK; i++) {
        const dk_slide *s = &j->deck.slides[i];
        slide_out so = {0};
        rank += sel[i] != 0;
        if (sel[i] != 2) continue;
        j->ctx.slide = s->index;
        st = build_slide(j, s, &so);
        if (st == DK_EIO) st = DK_EINPUT; /* the slide's own inputs, not an output */
        if (st == DK_OK) {
            note_images(j, so.dom);
            char *title = slide_title(so.dom), *notes = slide_notes(so.dom);
            dk_slide_out out = {s->index, s->start, so.dom, so.body, title, notes, so.text_scale, rank};
            st = w->slide(w, &info, &out);
            free(title);
            free(notes);
        }
        dk_arena_free(so.a);
        /* a per-slide format's slide is done once its file is (slide_written) */
        if (st == DK_OK && !per_slide(o->format) && h && h->slide_done)
            h->slide_done(h->ud, s->index);
    }
    j->ctx.slide = 0;
    dk_status st2 = w->end(w, &info, st == DK_OK);
    if (st == DK_OK) st = st2;
    if (st == DK_OK && plan.tmpfile) st = copy_to_stdout(j, plan.tmpfile);
    wrote = st == DK_OK && !per_slide(o->format) && info.part < 0;
done:
    if (wrote && h && h->output) h->output(h->ud, plan.tmpfile ? "-" : plan.output);
    if (w) w->destroy(w);
    free(sel);
    plan_free(&plan);
    j->stage = NULL;
    return st;
}

/*
 * The last render of a process that ends when it returns (dk_render_ending)
 * leaves its font configuration, text engine, images and pool of threads to
 * exit: pango's font map and fonts freed one by one, and the pool's threads
 * woken and joined, took 0.6-1.3 ms at the end of the seed deck's render on
 * a 2-core VM. They are kept here, where leak checkers still reach them.
 */
static atomic_int ending;
static struct {
    dk_text *text;
    FcConfig *fc;
    dk_images *images;
    dk_pool *pool;
} kept __attribute__((used)); /* never read: the stores keep them reachable */

static dk_status render_source(const char *path, char *src, size_t n, dk_status read_st,
                               const dk_options *o, int *nwarn) {
    deck_job j = {0};
    dk_options opt = *o;
    j.o = &opt;
    j.path = path;
    j.src = src;
    j.n = n;
    j.data = o->data_dir && *o->data_dir ? o->data_dir : dk_data_dir();
    dk_status st = read_st;
    dk_ctx_init(&j.ctx, strcmp(path, "-") == 0 ? "<stdin>" : path, j.src, j.n);
    j.ctx.quiet = o->quiet;
    j.ctx.verbose = o->verbose;
    if (o->hooks && o->hooks->diag) {
        j.ctx.on_diag = o->hooks->diag;
        j.ctx.diag_ud = o->hooks->ud;
    }
    char *out_default = NULL;
    if (st == DK_EIO) {
        dk_diag_error_code(&j.ctx, DK_NOPOS, "input-unreadable", "cannot read deck: %s",
                           strerror(errno));
        st = DK_EINPUT;
        goto done;
    }
    if (st) goto done;
    if (strcmp(path, "-") != 0) note_input(&j, path);
    if ((st = dk_input_prepare(&j.ctx, &j.src, &j.n))) goto done;
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
        static const char *const ext[] = {".pdf", NULL, ".layout.json", NULL, NULL};
        if (ext[opt.format]) {
            size_t m = strlen(j.deck_dir) + strlen(j.stem) + 16;
            out_default = malloc(m);
            if (out_default) snprintf(out_default, m, "%s/%s%s", j.deck_dir, j.stem, ext[opt.format]);
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
    if (st == DK_ENOMEM) dk_diag_error_code(&j.ctx, DK_NOPOS, "out-of-memory", "out of memory");
done:
    if (atomic_exchange(&ending, 0)) { /* only once: the render that ends the process */
        kept.text = j.text;
        kept.fc = j.fc;
        kept.images = j.images;
        kept.pool = j.pool;
    } else {
        if (j.text) j.text->destroy(j.text);
        dk_fonts_free(j.fc);
        dk_images_free(j.images);
        dk_pool_free(j.pool);
    }
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

dk_status dk_render_file(const char *path, const dk_options *o, int *nwarn) {
    char *src = NULL;
    size_t n = 0;
    dk_status st = dk_file_read_max(path, DK_LIMIT_DECK_BYTES, &src, &n);
    return render_source(path, src, n, st, o, nwarn);
}

dk_status dk_render_memory(const char *name, const char *buf, size_t n, const dk_options *o,
                           int *nwarn) {
    char *src = malloc(n + 1);
    if (src) {
        memcpy(src, buf, n);
        src[n] = 0;
    }
    return render_source(name, src, n, src ? DK_OK : DK_ENOMEM, o, nwarn);
}

static void no_diag(void *ud, const dk_diag_rec *d) {
    (void)ud;
    (void)d;
}

int dk_render_slices(const char *path, const dk_options *o) {
    if (!per_slide(o->format) && pdf_parts(o, DK_PDF_PART_MIN) == 1) return 1;
    if (strcmp(path, "-") == 0) return 1; /* standard input is read once */
    char *src = NULL;
    size_t n = 0;
    if (dk_file_read_max(path, DK_LIMIT_DECK_BYTES, &src, &n) != DK_OK) return 1;
    dk_ctx ctx;
    dk_ctx_init(&ctx, path, src, n);
    ctx.on_diag = no_diag; /* the render tells what is wrong */
    dk_deck deck = {0};
    unsigned char *sel = NULL;
    int nsel = 0;
    if (dk_input_prepare(&ctx, &src, &n) == DK_OK && parse_deck(&ctx, src, n, &deck) == DK_OK) {
        int past;
        if ((sel = malloc((size_t)deck.nslides + 1)))
            nsel = DK_MAX(select_slides(o, deck.nslides, sel, &past), 0);
    }
    free(sel);
    dk_deck_free(&deck);
    free(src);
    return per_slide(o->format) ? DK_MAX(nsel, 1) : pdf_parts(o, nsel);
}

void dk_render_discard(const char *const *parts, int n) { dk_pdf_discard_parts(parts, n); }

void dk_render_track(const char *part) { dk_pdf_track_part(part); }

void dk_render_ending(void) {
    atomic_store(&ending, 1);
    dk_pdf_ending();
}

void dk_render_join_prepare(void) { dk_pdf_preload(); }

dk_status dk_render_join(const char *deck, const char *const *parts, int n, const dk_options *o) {
    dk_ctx ctx;
    dk_ctx_init(&ctx, deck, NULL, 0);
    ctx.quiet = o->quiet;
    ctx.verbose = o->verbose;
    if (o->hooks && o->hooks->diag) {
        ctx.on_diag = o->hooks->diag;
        ctx.diag_ud = o->hooks->ud;
    }
    char *output = NULL;
    dk_status st = dk_pdf_join_parts(&ctx, parts, n, n == DK_PDF_PARTS, o->source_date_epoch, &output);
    if (st == DK_OK && o->hooks && o->hooks->output) o->hooks->output(o->hooks->ud, output);
    free(output);
    return st;
}
