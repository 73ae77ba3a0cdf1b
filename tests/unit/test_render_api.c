/*
 * libdeckle's public API (include/deckle.h) and the machine-readable
 * diagnostics under it: codes derived from messages, positions split off a
 * theme's messages, slide numbers, output templates, option checking,
 * rendering from memory with callbacks, slices for parallel drivers, and
 * fonts-current (deckle's fonts current, SVG text still in the system's).
 */
#define _GNU_SOURCE
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../include/deckle.h"
#include "base/base.h"
#include "render/render.h"
#include "test.h"

typedef struct {
    int n;
    dk_diag_rec r[8];
    char text[8][256], code[8][64], file[8][128];
} diag_log;

static void log_diag(void *ud, const dk_diag_rec *r) {
    diag_log *l = ud;
    if (l->n >= 8) return;
    l->r[l->n] = *r;
    snprintf(l->text[l->n], 256, "%s", r->message);
    snprintf(l->code[l->n], 64, "%s", r->code);
    snprintf(l->file[l->n], 128, "%s", r->file);
    l->n++;
}

/*
 * Codes derived from the wording, for the callers that cannot pass one
 * (images, mojibake, overflow, themes and the CLI's errors pass their code
 * with dk_diag_*_code; tests/e2e/corpus.sh sees them in --json reports).
 */
static void test_codes(void) {
    CHECK_STR(dk_diag_code_of(DK_DIAG_WARN, "unknown property 'colr'; ignored"), "css-unknown-property");
    CHECK_STR(dk_diag_code_of(DK_DIAG_WARN, "something new"), "warning");
    CHECK_STR(dk_diag_code_of(DK_DIAG_WARN, "no installed font has U+0915; drawn as missing-glyph boxes"),
              "missing-glyph");
    CHECK_STR(dk_diag_code_of(DK_DIAG_NOTE, "2 fallback font files not installed (packages: x); text "
                                            "in those scripts may show missing-glyph boxes"),
              "fonts-missing");
    CHECK_STR(dk_diag_code_of(DK_DIAG_ERROR, "cannot write out.pdf: Permission denied"), "output-unwritable");
    /* wording that now always comes with its own code is no longer guessed */
    CHECK_STR(dk_diag_code_of(DK_DIAG_ERROR, "cannot read deck: No such file"), "error");
}

static void test_records(void) {
    const char *src = "# Title\n\nline two\n";
    dk_ctx ctx;
    diag_log l = {0};
    dk_ctx_init(&ctx, "talk.md", src, strlen(src));
    ctx.on_diag = log_diag;
    ctx.diag_ud = &l;
    ctx.slide = 2;
    dk_diag_warn(&ctx, 9, "unknown property '%s'; ignored", "colr");
    dk_diag_warn_code(&ctx, DK_NOPOS, "my-code", "a %s", "thing");
    ctx.slide = 0;
    dk_diag(&ctx, DK_DIAG_WARN, DK_NOPOS, "%s:%d:%d: %s", "themes/x.css", 3, 4, "invalid value 'q'");
    CHECK(l.n == 3);
    CHECK_STR(l.code[0], "css-unknown-property");
    CHECK(l.r[0].line == 3 && l.r[0].col == 1 && l.r[0].slide == 2);
    CHECK_STR(l.file[0], "talk.md");
    CHECK_STR(l.text[0], "unknown property 'colr'; ignored");
    CHECK_STR(l.code[1], "my-code");
    CHECK(l.r[1].line == 0 && l.r[1].col == 0);
    /* a theme's message names the theme file and its position */
    CHECK_STR(l.file[2], "themes/x.css");
    CHECK(l.r[2].line == 3 && l.r[2].col == 4 && l.r[2].slide == 0);
    CHECK_STR(l.text[2], "invalid value 'q'");
    CHECK_STR(l.code[2], "css-invalid-value");
    CHECK(ctx.nwarn == 3);
}

static void test_expand(void) {
    char *s = dk_output_expand("out/{name}/{n}.png", "talks/intro.md", 7);
    CHECK_STR(s, "out/intro/007.png");
    free(s);
    s = dk_output_expand("{dir}/{name}-{n}.svg", "talks/intro.md", 0);
    CHECK_STR(s, "talks/intro-{n}.svg");
    free(s);
    s = deckle_output_path("{name}.pdf", "-", 0);
    CHECK_STR(s, "stdin.pdf");
    free(s);
    CHECK(dk_output_has_n("a/{n}.png") && !dk_output_has_n("a/{name}.png"));
}

static void test_options(void) {
    deckle_options *o = deckle_options_new();
    CHECK(o != NULL);
    CHECK(deckle_options_set(o, "format", "png") == DECKLE_OK);
    CHECK(deckle_options_set(o, "format", "gif") == DECKLE_EUSAGE);
    CHECK(strstr(deckle_options_error(o), "gif") != NULL);
    CHECK(deckle_options_set(o, "scale", "0") == DECKLE_EUSAGE);
    CHECK(deckle_options_set(o, "handout", "5") == DECKLE_EUSAGE);
    CHECK(deckle_options_set(o, "handout", "6") == DECKLE_OK);
    CHECK(deckle_options_set(o, "slice", "2/2") == DECKLE_EUSAGE);
    CHECK(deckle_options_set(o, "slice", "1/2") == DECKLE_OK);
    CHECK(deckle_options_set(o, "notes", "maybe") == DECKLE_EUSAGE);
    CHECK(deckle_options_set(o, "no-such", "1") == DECKLE_EUSAGE);
    CHECK_STR(deckle_status_string(DECKLE_EOUTPUT), "output not written");
    deckle_options_free(o);
}

typedef struct {
    int nslides, nrender, done[8], ndone, noutputs, warnings;
    char codes[256];
} events;

static void ev_diag(void *ud, const deckle_diagnostic *d) {
    events *e = ud;
    if (d->level == DECKLE_WARNING) e->warnings++;
    strncat(e->codes, d->code, sizeof e->codes - strlen(e->codes) - 2);
    strcat(e->codes, ";");
}
static void ev_slides(void *ud, int n, int k) {
    events *e = ud;
    e->nslides = n;
    e->nrender = k;
}
static void ev_slide(void *ud, int i) {
    events *e = ud;
    if (e->ndone < 8) e->done[e->ndone++] = i;
}
static void ev_output(void *ud, const char *p) {
    (void)p;
    ((events *)ud)->noutputs++;
}

static void test_render_memory(void) {
    char dir[] = "/tmp/deckle-api-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    const char *deck = "# One\n\n---\n\n# Two\n\n![x](missing.png)\n\n---\n\n# Three\n";
    char out[128];
    snprintf(out, sizeof out, "%s/{name}-{n}.png", dir);
    events e = {0};
    deckle_callbacks cb = {&e, ev_diag, ev_slides, ev_slide, ev_output, NULL, NULL};
    deckle_options *o = deckle_options_new();
    deckle_options_set(o, "format", "png");
    deckle_options_set(o, "scale", "0.25");
    deckle_options_set(o, "output", out);
    deckle_options_set(o, "slice", "0/2"); /* the first run of slides: 1 and 2 */
    deckle_options_set(o, "quiet", "1");
    deckle_options_set_callbacks(o, &cb);
    CHECK(deckle_render_memory("mem.md", deck, strlen(deck), o) == DECKLE_OK);
    CHECK(e.nslides == 3 && e.nrender == 2);
    CHECK(e.ndone == 2 && e.done[0] == 1 && e.done[1] == 2);
    CHECK(e.noutputs == 2);
    CHECK(e.warnings == 1);
    CHECK(strstr(e.codes, "image-missing") != NULL);
    char f[160];
    snprintf(f, sizeof f, "%s/mem-002.png", dir);
    CHECK(access(f, F_OK) == 0);
    unlink(f);
    snprintf(f, sizeof f, "%s/mem-001.png", dir);
    CHECK(access(f, F_OK) == 0);
    unlink(f);
    /* {n} does not name a PDF: a usage error, nothing written */
    deckle_options_set(o, "format", "pdf");
    deckle_options_set(o, "slice", "0/1");
    CHECK(deckle_render_memory("mem.md", deck, strlen(deck), o) == DECKLE_EUSAGE);
    /* a folder that cannot be made: output error */
    deckle_options_set(o, "output", "/proc/deckle-no/x.pdf");
    CHECK(deckle_render_memory("mem.md", deck, strlen(deck), o) == DECKLE_EOUTPUT);
    /* a deck file that is not there: input error */
    CHECK(deckle_render_file("/nonexistent/deck.md", o) == DECKLE_EINPUT);
    deckle_options_free(o);
    CHECK(rmdir(dir) == 0); /* nothing else left behind, no staging folder */
}

static int same_file_bytes(const char *a, const char *b) {
    char *pa = NULL, *pb = NULL;
    size_t na = 0, nb = 0;
    int same = dk_file_read(a, &pa, &na) == DK_OK && dk_file_read(b, &pb, &nb) == DK_OK &&
               na == nb && memcmp(pa, pb, na) == 0;
    free(pa);
    free(pb);
    return same;
}

/*
 * fonts-current: deckle's private configuration becomes fontconfig's
 * current one (no system fonts in it), while text in an SVG image is drawn
 * with the system's fonts exactly as without the option.
 */
static void test_fonts_current(void) {
    char dir[] = "/tmp/deckle-fonts-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char p[256], a[256], b[256];
    snprintf(p, sizeof p, "%s/t.svg", dir);
    FILE *f = fopen(p, "w");
    if (f) {
        fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"60\">"
              "<text x=\"4\" y=\"44\" font-family=\"Helvetica\" font-size=\"36\">Guest Ag</text></svg>\n", f);
        fclose(f);
    }
    const char *deck = "# SVG text\n\n![s](t.svg)\n";
    snprintf(p, sizeof p, "%s/deck.md", dir);
    f = fopen(p, "w");
    if (f) fputs(deck, f), fclose(f);
    deckle_options *o = deckle_options_new();
    deckle_options_set(o, "format", "png");
    deckle_options_set(o, "scale", "0.5");
    deckle_options_set(o, "quiet", "1");
    /* in a process of its own: the option changes fontconfig and pango for the process */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        deckle_options_set(o, "fonts-current", "1");
        snprintf(b, sizeof b, "%s/b.png", dir);
        deckle_options_set(o, "output", b);
        int ok = deckle_render_file(p, o) == DECKLE_OK;
        FcConfig *cur = FcConfigGetCurrent();
        FcFontSet *sys = FcConfigGetFonts(cur, FcSetSystem), *app = FcConfigGetFonts(cur, FcSetApplication);
        ok &= !sys || sys->nfont == 0; /* no system font in the current configuration */
        ok &= app && app->nfont > 0;   /* deckle's own */
        _exit(ok ? 0 : 1);
    }
    int wst = -1;
    CHECK(pid > 0 && waitpid(pid, &wst, 0) == pid && WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
    snprintf(a, sizeof a, "%s/a.png", dir);
    deckle_options_set(o, "output", a);
    CHECK(deckle_render_file(p, o) == DECKLE_OK);
    char a1[300], b1[300];
    snprintf(a1, sizeof a1, "%s/a.001.png", dir);
    snprintf(b1, sizeof b1, "%s/b.001.png", dir);
    CHECK(same_file_bytes(a1, b1)); /* the SVG's text in the same (system) fonts */
    deckle_options_free(o);
    unlink(a1);
    unlink(b1);
    snprintf(p, sizeof p, "%s/t.svg", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/deck.md", dir);
    unlink(p);
    CHECK(rmdir(dir) == 0);
}

/* Write `nslides` slides (the first one with front matter) to path. */
static void write_deck(const char *path, int nslides) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs("---\ntitle: T\n---\n\n", f);
    for (int i = 1; i <= nslides; i++) fprintf(f, "%s# Slide %d\n\n```\n---\n```\n\n", i > 1 ? "---\n\n" : "", i);
    fclose(f);
}

/* deckle_slices(path) with options set from name/value pairs (NULL-terminated). */
static int slices_with(const char *path, const char *const *kv) {
    deckle_options *o = deckle_options_new();
    for (; kv && kv[0]; kv += 2) CHECK(deckle_options_set(o, kv[0], kv[1]) == DECKLE_OK);
    int k = deckle_slices(path, o);
    deckle_options_free(o);
    return k;
}
#define SLICES(path, ...) slices_with(path, (const char *const[]){__VA_ARGS__, NULL})

/*
 * deckle_slices: the slices a parallel driver should start for a deck, as
 * the render cuts it (a --- inside a fenced block is not a slide break).
 */
static void test_slices(void) {
    char dir[] = "/tmp/deckle-slices-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char small[128], big[128], missing[128];
    snprintf(small, sizeof small, "%s/small.md", dir);
    snprintf(big, sizeof big, "%s/big.md", dir);
    snprintf(missing, sizeof missing, "%s/missing.md", dir);
    write_deck(small, 3);
    write_deck(big, 130); /* a PDF of 128 slides or more is written in parts */
    /* PDFs: parts for the large deck only; not for handouts, stdout or fewer selected slides */
    CHECK(slices_with(small, NULL) == 1);
    CHECK(slices_with(big, NULL) == DECKLE_PDF_PARTS);
    CHECK(SLICES(big, "pages", "1-128") == DECKLE_PDF_PARTS);
    CHECK(SLICES(big, "pages", "1-127") == 1);
    CHECK(SLICES(big, "pages", "4-") == 1);
    CHECK(SLICES(big, "output", "-") == 1);
    CHECK(SLICES(big, "handout", "4") == 1);
    CHECK(SLICES(big, "format", "layout") == 1);
    /* per-slide formats: one slice a selected slide */
    CHECK(SLICES(small, "format", "png") == 3);
    CHECK(SLICES(big, "format", "svg") == 130);
    CHECK(SLICES(small, "format", "png", "pages", "2") == 1);
    CHECK(SLICES(small, "format", "png", "pages", "1,3,9") == 2);
    CHECK(SLICES(small, "format", "png", "pages", "7-9") == 1); /* none: the render says so, once */
    /* what cannot be read is one slice, and nothing is told (nothing on stderr to check here) */
    CHECK(SLICES(missing, "format", "png") == 1);
    CHECK(SLICES("-", "format", "png") == 1);
    unlink(small);
    unlink(big);
    CHECK(rmdir(dir) == 0);
}

/* deckle_pdf_join_prepare loads in the background; a fork meanwhile waits for it, not forever. */
static void test_join_prepare(void) {
    deckle_pdf_join_prepare();
    deckle_pdf_join_prepare(); /* once a process */
    pid_t pid = fork();
    if (pid == 0) _exit(7);
    int st = 0;
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7);
}

int main(void) {
    test_codes();
    test_records();
    test_expand();
    test_options();
    test_render_memory();
    test_fonts_current();
    test_slices();
    test_join_prepare();
    return dk_test_done();
}
