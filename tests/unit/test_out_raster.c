/*
 * out/: the PDF as poppler and MuPDF rasterise it agrees with deckle's own
 * PNG of the same slides. The seed deck goes to PDF and to PNG at scale
 * 0.75 (960x540 px, the PDF page in pt); pdftoppm and mutool draw render
 * the PDF at 72 dpi, the same 960x540. Prints the mean and maximum channel
 * difference per slide and the largest difference of 8x8 block means;
 * fails if a tool complains or the differences pass the bounds below.
 * Skipped (passes with a note) without the tools.
 */
#define _GNU_SOURCE
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/render.h"
#include "test.h"

static char dir[256];

/*
 * Mean and max absolute difference over RGB of two same-size PNGs, and the
 * largest difference of 8x8 block means; -1 on a size mismatch.
 */
static double diff(const char *a, const char *b, double *max, double *block) {
    cairo_surface_t *sa = cairo_image_surface_create_from_png(a);
    cairo_surface_t *sb = cairo_image_surface_create_from_png(b);
    double mean = -1;
    *max = 0;
    if (cairo_surface_status(sa) || cairo_surface_status(sb)) goto done;
    int w = cairo_image_surface_get_width(sa), h = cairo_image_surface_get_height(sa);
    if (w != cairo_image_surface_get_width(sb) || h != cairo_image_surface_get_height(sb)) goto done;
    const unsigned char *pa = cairo_image_surface_get_data(sa), *pb = cairo_image_surface_get_data(sb);
    int ra = cairo_image_surface_get_stride(sa), rb = cairo_image_surface_get_stride(sb);
    double sum = 0;
    /* 8x8 blocks: antialiasing noise averages out, a misplaced element does not */
    *block = 0;
    for (int by = 0; by + 8 <= h; by += 8)
        for (int bx = 0; bx + 8 <= w; bx += 8)
            for (int c = 0; c < 3; c++) {
                double d = 0;
                for (int y = by; y < by + 8; y++)
                    for (int x = bx; x < bx + 8; x++)
                        d += (double)pa[y * ra + 4 * x + c] - pb[y * rb + 4 * x + c];
                d = fabs(d) / 64;
                if (d > *block) *block = d;
            }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                double d = fabs((double)pa[y * ra + 4 * x + c] - pb[y * rb + 4 * x + c]);
                sum += d;
                if (d > *max) *max = d;
            }
    mean = sum / ((double)w * h * 3);
done:
    cairo_surface_destroy(sa);
    cairo_surface_destroy(sb);
    return mean;
}

static int have(const char *tool) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

static int run(const char *cmd) {
    char full[1024];
    snprintf(full, sizeof full, "%s 2>%s/tool.err", cmd, dir);
    int rc = system(full);
    /* MuPDF as Debian builds it says it has no ICC support: about the tool, not the file */
    snprintf(full, sizeof full, "grep -v '^warning: ICC support is not available$' %s/tool.err", dir);
    int noisy = system(full) == 0;
    return rc == 0 && !noisy;
}

int main(void) {
    if (!have("pdftoppm") || !have("mutool")) {
        printf("skipped: pdftoppm and mutool (poppler-utils, mupdf-tools) are needed\n");
        return 0;
    }
    snprintf(dir, sizeof dir, "%s/deckle-raster-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    CHECK(mkdtemp(dir) != NULL);
    char deck[512], pdf[512], pngdir[512], cmd[1024];
    snprintf(deck, sizeof deck, "%s/../samples/seed/deck.md", DK_TEST_DATA);
    snprintf(pdf, sizeof pdf, "%s/deck.pdf", dir);
    snprintf(pngdir, sizeof pngdir, "%s/png/", dir);
    dk_options o;
    dk_options_init(&o);
    o.quiet = 1;
    o.output = pdf;
    CHECK(dk_render_file(deck, &o, NULL) == DK_OK);
    o.format = DK_FMT_PNG;
    o.output = pngdir;
    o.scale = 0.75;
    CHECK(dk_render_file(deck, &o, NULL) == DK_OK);
    snprintf(cmd, sizeof cmd, "pdftoppm -r 72 -png %s %s/pp", pdf, dir);
    CHECK(run(cmd));
    snprintf(cmd, sizeof cmd, "mutool draw -q -r 72 -o %s/mu-%%d.png %s", dir, pdf);
    CHECK(run(cmd));
    for (int i = 1; i <= 6; i++) {
        char own[600], pp[600], mu[600];
        snprintf(own, sizeof own, "%sdeck.%03d.png", pngdir, i);
        snprintf(pp, sizeof pp, "%s/pp-%d.png", dir, i);
        snprintf(mu, sizeof mu, "%s/mu-%d.png", dir, i);
        double mp, mm, mpm, bp, bm, bpm;
        double dp = diff(own, pp, &mp, &bp), dm = diff(own, mu, &mm, &bm);
        double dpm = diff(pp, mu, &mpm, &bpm);
        printf("slide %d: deckle vs poppler mean %.2f max %.0f block %.1f; vs MuPDF mean %.2f "
               "max %.0f block %.1f; poppler vs MuPDF mean %.2f block %.1f\n",
               i, dp, mp, bp, dm, mm, bm, dpm, bpm);
        /*
         * Glyph edges differ between any two rasterisers at 72 dpi (poppler and MuPDF
         * differ from each other by as much), so single pixels may differ fully; the
         * means and the block means show whether the pictures agree.
         */
        CHECK(dp >= 0 && dp < 8);
        CHECK(dm >= 0 && dm < 4);
        CHECK(bp < 64 && bm < 64);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (!getenv("DK_KEEP")) CHECK(system(cmd) == 0);
    return dk_test_done();
}
