/*
 * Fuzz target: image bytes through the loaders (sniffing, PNG via cairo and
 * libpng, JPEG via libjpeg, SVG via librsvg, GIF/BMP/TIFF/WebP via
 * gdk-pixbuf), by way of a file in a private temporary folder, as a deck's
 * image would be read; a decoded image is then drawn scaled onto a small
 * surface, which makes recording (SVG) surfaces replay.
 *
 * First byte (options):
 *   bit 0     the file is named img.png (else img.svg): names must not matter
 *   bit 1     draw the decoded image
 */
#define _GNU_SOURCE
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/image/image.h"
#include "fuzz.h"

static void no_diag(void *ud, const dk_diag_rec *d) {
    (void)ud;
    (void)d;
}

static char dir[64];

static void cleanup(void) {
    char p[128];
    snprintf(p, sizeof p, "%s/img.png", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/img.svg", dir);
    unlink(p);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/dkfuzz-XXXXXX", t && *t && strlen(t) < 40 ? t : "/tmp");
        if (!mkdtemp(dir)) {
            dir[0] = 0;
            return 0;
        }
        atexit(cleanup);
    }
    const char *name = data[0] & 1 ? "img.png" : "img.svg";
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (dk_file_write_atomic(path, data + 1, size - 1) != DK_OK) return 0;
    dk_ctx ctx;
    dk_ctx_init(&ctx, "fuzz.md", "", 0);
    ctx.on_diag = no_diag;
    dk_images *c = NULL;
    if (dk_images_new(dir, 0, &c) != DK_OK) return 0;
    const dk_image *img = dk_images_get(&ctx, c, name, DK_NOPOS);
    if (img && !img->missing && (data[0] & 2) && img->w > 0 && img->h > 0) {
        cairo_surface_t *dst = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 32, 32);
        cairo_t *cr = cairo_create(dst);
        double sw, sh;
        cairo_surface_t *src = dk_image_source(img, DK_IMAGE_RASTER, &sw, &sh);
        if (src) {
            cairo_scale(cr, 32.0 / sw, 32.0 / sh);
            cairo_set_source_surface(cr, src, 0, 0);
            cairo_paint(cr);
        }
        cairo_surface_t *small = dk_image_source_scaled(img, 7, 5);
        if (small) {
            cairo_set_source_surface(cr, small, 0, 0);
            cairo_paint(cr);
        }
        cairo_destroy(cr);
        cairo_surface_destroy(dst);
    }
    dk_images_free(c);
    unlink(path);
    return 0;
}
