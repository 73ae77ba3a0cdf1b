/*
 * libdeckle's public face (include/deckle.h) over render/: options by name,
 * callbacks, status codes. Everything here is a thin translation; the
 * pipeline is render.c's.
 */
#define _GNU_SOURCE
#include "../../include/deckle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render.h"
#include "../text/fonts.h"

#ifndef DK_VERSION
#define DK_VERSION "0"
#endif

struct deckle_options {
    dk_options o;
    double size_scale; /* a --size preset's scale, used unless scale was set */
    int scale_set;
    deckle_callbacks cb;
    int has_cb;
    dk_render_hooks hooks;
    char *strings[8];  /* copies of string options, by slot */
    char error[256];
};

enum { S_OUTPUT, S_THEME, S_PAGES, S_DATA, S_ASSETS };

deckle_options *deckle_options_new(void) {
    deckle_options *o = calloc(1, sizeof *o);
    if (o) dk_options_init(&o->o);
    return o;
}

void deckle_options_free(deckle_options *o) {
    if (!o) return;
    for (size_t i = 0; i < sizeof o->strings / sizeof *o->strings; i++) free(o->strings[i]);
    free(o);
}

static deckle_status keep(deckle_options *o, int slot, const char *v, const char **field) {
    char *c = v ? strdup(v) : NULL;
    if (v && !c) return DECKLE_ENOMEM;
    free(o->strings[slot]);
    o->strings[slot] = c;
    *field = c;
    return DECKLE_OK;
}

static int parse_long(const char *v, long lo, long hi, long *out) {
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || *end || n < lo || n > hi) return 0;
    *out = n;
    return 1;
}

static int parse_bool(const char *v, int *out) {
    if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes")) *out = 1;
    else if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no")) *out = 0;
    else return 0;
    return 1;
}

static deckle_status bad(deckle_options *o, const char *fmt, const char *v) {
    snprintf(o->error, sizeof o->error, fmt, v);
    return DECKLE_EUSAGE;
}

deckle_status deckle_options_set(deckle_options *opts, const char *name, const char *v) {
    dk_options *o = &opts->o;
    long n;
    if (!name || !v) return bad(opts, "%s", "option name and value wanted");
    opts->error[0] = 0;
    if (!strcmp(name, "format")) {
        if (!strcmp(v, "pdf")) o->format = DK_FMT_PDF;
        else if (!strcmp(v, "png")) o->format = DK_FMT_PNG;
        else if (!strcmp(v, "layout") || !strcmp(v, "json")) o->format = DK_FMT_LAYOUT;
        else if (!strcmp(v, "html")) o->format = DK_FMT_HTML;
        else if (!strcmp(v, "svg")) o->format = DK_FMT_SVG;
        else return bad(opts, "unknown format '%s' (pdf, png, svg, layout, html)", v);
    } else if (!strcmp(name, "output")) {
        return keep(opts, S_OUTPUT, v, &o->output);
    } else if (!strcmp(name, "theme")) {
        return keep(opts, S_THEME, v, &o->theme);
    } else if (!strcmp(name, "pages")) {
        return keep(opts, S_PAGES, v, &o->pages);
    } else if (!strcmp(name, "data-dir")) {
        return keep(opts, S_DATA, v, &o->data_dir);
    } else if (!strcmp(name, "assets")) {
        /* each call adds a folder; "" clears the list */
        if (!*v) return keep(opts, S_ASSETS, NULL, &o->assets);
        if (strchr(v, '\n')) return bad(opts, "--assets: a folder name with a line break: '%s'", v);
        const char *old = opts->strings[S_ASSETS];
        size_t on = old ? strlen(old) : 0, vn = strlen(v);
        char *c = malloc(on + vn + 2);
        if (!c) return DECKLE_ENOMEM;
        if (old) memcpy(c, old, on), c[on++] = '\n';
        memcpy(c + on, v, vn + 1);
        free(opts->strings[S_ASSETS]);
        opts->strings[S_ASSETS] = c;
        o->assets = c;
    } else if (!strcmp(name, "scale")) {
        char *end;
        double s = strtod(v, &end);
        if (end == v || *end || !(s > 0 && s <= 16))
            return bad(opts, "--scale wants a number in (0, 16], not '%s'", v);
        o->scale = s;
        opts->scale_set = 1;
    } else if (!strcmp(name, "size")) {
        double scale = 0;
        if (!dk_size_parse(v, &o->width, &o->height, &scale))
            return bad(opts, "--size wants WxH in CSS px (16..16384) or one of 16:9, 4:3, square, "
                             "portrait, og; not '%s'", v);
        opts->size_scale = scale;
    } else if (!strcmp(name, "handout")) {
        if (!parse_long(v, 1, 9, &n) || n == 5 || n == 7 || n == 8)
            return bad(opts, "--handout wants 1, 2, 3, 4, 6 or 9, not '%s'", v);
        o->handout = (int)n;
    } else if (!strcmp(name, "paper")) {
        if (!strcasecmp(v, "a4")) o->paper_letter = 0;
        else if (!strcasecmp(v, "letter")) o->paper_letter = 1;
        else return bad(opts, "--paper wants a4 or letter, not '%s'", v);
    } else if (!strcmp(name, "compression")) {
        if (!parse_long(v, 0, 9, &n)) return bad(opts, "--compression wants 0-9, not '%s'", v);
        o->compression = (int)n;
    } else if (!strcmp(name, "threads")) {
        if (!parse_long(v, 1, 1024, &n)) return bad(opts, "threads wants 1-1024, not '%s'", v);
        o->threads = (int)n;
    } else if (!strcmp(name, "source-date-epoch")) {
        if (!parse_long(v, 0, 0x7fffffffffffL, &n))
            return bad(opts, "source-date-epoch wants seconds, not '%s'", v);
        o->source_date_epoch = n;
    } else if (!strcmp(name, "slice")) {
        long k, m;
        char *end;
        k = strtol(v, &end, 10);
        if (end == v || *end != '/' || !parse_long(end + 1, 1, 1000000, &m) || k < 0 || k >= m)
            return bad(opts, "slice wants K/N with 0 <= K < N, not '%s'", v);
        o->slice_k = (int)k;
        o->slice_n = (int)m;
    } else {
        int *flag = !strcmp(name, "notes")           ? &o->notes
                    : !strcmp(name, "transparent")   ? &o->transparent
                    : !strcmp(name, "fix-text")      ? &o->fix_text
                    : !strcmp(name, "fonts-current") ? &o->fonts_current
                    : !strcmp(name, "allow-outside") ? &o->allow_outside
                    : !strcmp(name, "allow-any-path") ? &o->allow_outside
                    : !strcmp(name, "quiet")         ? &o->quiet
                    : !strcmp(name, "verbose")       ? &o->verbose
                                                     : NULL;
        if (!flag) return bad(opts, "unknown option '%s'", name);
        if (!parse_bool(v, flag)) return bad(opts, "a flag wants 1 or 0, not '%s'", v);
    }
    return DECKLE_OK;
}

const char *deckle_options_error(const deckle_options *o) { return o->error; }

void deckle_options_set_callbacks(deckle_options *o, const deckle_callbacks *cb) {
    o->has_cb = cb != NULL;
    if (cb) o->cb = *cb;
}

/* ---- callbacks: render/ hooks -> the public ones ------------------------------------ */

static void on_diag(void *ud, const dk_diag_rec *r) {
    const deckle_options *o = ud;
    deckle_diagnostic d = {(deckle_level)r->level, r->file, r->line, r->col, r->slide,
                           r->code, r->message, r->text};
    o->cb.diagnostic(o->cb.ud, &d);
}
static void on_slides(void *ud, int n, int k) {
    const deckle_options *o = ud;
    o->cb.slides(o->cb.ud, n, k);
}
static void on_slide(void *ud, int i) {
    const deckle_options *o = ud;
    o->cb.slide_done(o->cb.ud, i);
}
static void on_output(void *ud, const char *p) {
    const deckle_options *o = ud;
    o->cb.output(o->cb.ud, p);
}
static void on_input(void *ud, const char *p) {
    const deckle_options *o = ud;
    o->cb.input(o->cb.ud, p);
}
static void on_pdf_part(void *ud, const char *p) {
    const deckle_options *o = ud;
    o->cb.pdf_part(o->cb.ud, p);
}

static deckle_status to_public(dk_status st) {
    switch (st) {
    case DK_OK: return DECKLE_OK;
    case DK_ENOMEM: return DECKLE_ENOMEM;
    case DK_EIO: return DECKLE_EOUTPUT;
    case DK_EINPUT: return DECKLE_EINPUT;
    case DK_EUSAGE: return DECKLE_EUSAGE;
    }
    return DECKLE_EINPUT;
}

/* The dk_options a render uses: the scale of a size preset, the hooks. */
static dk_options effective(const deckle_options *opts, dk_render_hooks *h) {
    dk_options o = opts->o;
    if (opts->size_scale > 0 && !opts->scale_set) o.scale = opts->size_scale;
    o.hooks = NULL;
    if (opts->has_cb) {
        const deckle_callbacks *cb = &opts->cb;
        *h = (dk_render_hooks){(void *)opts,
                               cb->diagnostic ? on_diag : NULL,
                               cb->slides ? on_slides : NULL,
                               cb->slide_done ? on_slide : NULL,
                               cb->output ? on_output : NULL,
                               cb->input ? on_input : NULL,
                               cb->pdf_part ? on_pdf_part : NULL};
        o.hooks = h;
    }
    return o;
}

deckle_status deckle_render_file(const char *path, const deckle_options *opts) {
    dk_render_hooks h;
    dk_options o = effective(opts, &h);
    return to_public(dk_render_file(path, &o, NULL));
}

int deckle_slices(const char *path, const deckle_options *opts) {
    dk_render_hooks h;
    dk_options o = effective(opts, &h);
    return dk_render_slices(path, &o);
}

deckle_status deckle_render_memory(const char *name, const void *buf, size_t n,
                                   const deckle_options *opts) {
    dk_render_hooks h;
    dk_options o = effective(opts, &h);
    return to_public(dk_render_memory(name ? name : "<memory>", buf, n, &o, NULL));
}

deckle_status deckle_pdf_join(const char *deck, const char *const *parts, int n,
                              const deckle_options *opts) {
    dk_render_hooks h;
    dk_options o = effective(opts, &h);
    return to_public(dk_render_join(deck ? deck : "<memory>", parts, n, &o));
}

void deckle_pdf_discard(const char *const *parts, int n) { dk_render_discard(parts, n); }

void deckle_pdf_track(const char *part) { dk_render_track(part); }

void deckle_remove_temporary_files(void) { dk_tmp_remove_all(); }

void deckle_ending(void) { dk_render_ending(); }

void deckle_pdf_join_prepare(void) { dk_render_join_prepare(); }

char *deckle_output_path(const char *tmpl, const char *deck_path, int n) {
    return dk_output_expand(tmpl, deck_path, n);
}

const char *deckle_status_string(deckle_status st) {
    switch (st) {
    case DECKLE_OK: return "ok";
    case DECKLE_EUSAGE: return "bad usage";
    case DECKLE_EINPUT: return "bad input";
    case DECKLE_EOUTPUT: return "output not written";
    case DECKLE_ENOMEM: return "out of memory";
    }
    return "unknown status";
}

const char *deckle_version(void) { return DK_VERSION; }

const char *deckle_default_data_dir(void) { return dk_data_dir(); }
