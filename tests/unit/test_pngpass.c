/*
 * image/pngpass + writer/pdffix: an opaque PNG reaches the PDF as its own
 * IDAT bytes, once however many pages show it, with a dictionary that
 * reads back the exact samples; PNGs that cannot pass through (alpha,
 * tRNS, interlaced) are embedded by cairo as before. The decoder for
 * raster outputs gives cairo's own reader's pixels, and the box filter
 * keeps flat colour flat.
 */
#define _GNU_SOURCE
#include <cairo-pdf.h>
#include <cairo.h>
#include <png.h>
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canvas/canvas.h"
#include "image/image.h"
#include "image/pngpass.h"
#include "writer/pdffix.h"
#include "test.h"

static char dir[256];

typedef struct {
    const char *name;
    int ctype, depth, interlace, trns;
    int pass; /* expected to pass through */
} kind;

static const kind kinds[] = {
    {"rgb8", PNG_COLOR_TYPE_RGB, 8, 0, 0, 1},
    {"rgb16", PNG_COLOR_TYPE_RGB, 16, 0, 0, 1},
    {"gray1", PNG_COLOR_TYPE_GRAY, 1, 0, 0, 1},
    {"gray4", PNG_COLOR_TYPE_GRAY, 4, 0, 0, 1},
    {"gray8", PNG_COLOR_TYPE_GRAY, 8, 0, 0, 1},
    {"gray16", PNG_COLOR_TYPE_GRAY, 16, 0, 0, 1},
    {"pal2", PNG_COLOR_TYPE_PALETTE, 2, 0, 0, 1},
    {"pal8", PNG_COLOR_TYPE_PALETTE, 8, 0, 0, 1},
    {"rgba8", PNG_COLOR_TYPE_RGB_ALPHA, 8, 0, 0, 0},
    {"graya8", PNG_COLOR_TYPE_GRAY_ALPHA, 8, 0, 0, 0},
    {"rgb8-interlaced", PNG_COLOR_TYPE_RGB, 8, 1, 0, 0},
    {"pal8-trns", PNG_COLOR_TYPE_PALETTE, 8, 0, 1, 0},
};

enum { W = 37, H = 23 }; /* odd sizes: rows that do not end on a byte for 1-4 bits */

static int channels(int ctype) {
    return ctype == PNG_COLOR_TYPE_RGB ? 3 : ctype == PNG_COLOR_TYPE_RGB_ALPHA ? 4
           : ctype == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
}

/* The packed sample rows of a test image (what a PDF decoder must give back). */
static unsigned char *samples(const kind *k, size_t *rowbytes) {
    int ch = channels(k->ctype), bits = ch * k->depth;
    *rowbytes = ((size_t)W * bits + 7) / 8;
    unsigned char *px = calloc(H, *rowbytes);
    unsigned seed = 12345;
    for (int y = 0; y < H; y++) {
        unsigned char *row = px + (size_t)y * *rowbytes;
        for (int x = 0; x < W; x++) {
            for (int c = 0; c < ch; c++) {
                seed = seed * 1103515245u + 12345u;
                /* smooth with noise, so the filters have something to do */
                unsigned v = (unsigned)(x * 7 + y * 5 + c * 40) + (seed >> 28);
                if (k->ctype == PNG_COLOR_TYPE_PALETTE) v %= k->depth == 2 ? 4 : 200;
                if (ch == 4 && c == 3) v = (x * 11) & 0xff; /* alpha: some transparent */
                if (ch == 2 && c == 1) v = (y * 13) & 0xff;
                if (k->depth < 8) {
                    v &= (1u << k->depth) - 1;
                    size_t bit = (size_t)x * k->depth;
                    row[bit / 8] |= (unsigned char)(v << (8 - k->depth - bit % 8));
                } else if (k->depth == 8) {
                    row[x * ch + c] = (unsigned char)v;
                } else {
                    unsigned v16 = (v * 257 + seed % 251) & 0xffff;
                    row[(x * ch + c) * 2] = (unsigned char)(v16 >> 8);
                    row[(x * ch + c) * 2 + 1] = (unsigned char)v16;
                }
            }
        }
    }
    return px;
}

static const char *path_of(const char *name, const char *ext) {
    static char buf[4][512];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s%s", dir, name, ext);
    return buf[i];
}

/* Write the test image with libpng's adaptive filters (so every filter type occurs). */
static int write_png(const kind *k) {
    size_t rb;
    unsigned char *px = samples(k, &rb);
    FILE *f = fopen(path_of(k->name, ".png"), "wb");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (!f || !png || !info || setjmp(png_jmpbuf(png))) return 0;
    png_init_io(png, f);
    png_set_IHDR(png, info, W, H, k->depth, k->ctype,
                 k->interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, 0, 0);
    if (k->ctype == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[256];
        for (int i = 0; i < 256; i++)
            pal[i] = (png_color){(png_byte)i, (png_byte)(255 - i), (png_byte)(i * 3)};
        png_set_PLTE(png, info, pal, 1 << (k->depth < 8 ? k->depth : 8));
        if (k->trns) {
            png_byte t[4] = {0, 128, 255, 10};
            png_set_tRNS(png, info, t, 4, NULL);
        }
    }
    png_write_info(png, info);
    png_bytep rows[H];
    for (int y = 0; y < H; y++) rows[y] = px + (size_t)y * rb;
    png_write_image(png, rows);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    fclose(f);
    free(px);
    return 1;
}

/* The file's IDAT data, concatenated (malloc'd). */
static unsigned char *idat_of(const char *file, size_t *n) {
    char *data = NULL;
    size_t len = 0;
    *n = 0;
    if (dk_file_read(file, &data, &len) != DK_OK) return NULL;
    unsigned char *out = malloc(len), *p = (unsigned char *)data;
    for (size_t at = 8; out && at + 12 <= len;) {
        size_t clen = (size_t)p[at] << 24 | (size_t)p[at + 1] << 16 | p[at + 2] << 8 | p[at + 3];
        if (memcmp(p + at + 4, "IDAT", 4) == 0) {
            memcpy(out + *n, p + at + 8, clen);
            *n += clen;
        }
        at += 12 + clen;
    }
    free(data);
    return out;
}

static cairo_status_t read_file(void *closure, unsigned char *data, unsigned int n) {
    return fread(data, 1, n, closure) == n ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_READ_ERROR;
}

/* Our decoder against cairo's own reader: the same pixels (16 bits may round differently). */
static void check_decoded(const kind *k, const dk_image *img) {
    double sw, sh;
    cairo_surface_t *ours = dk_image_source(img, DK_IMAGE_RASTER, &sw, &sh);
    FILE *f = fopen(path_of(k->name, ".png"), "rb");
    cairo_surface_t *ref = f ? cairo_image_surface_create_from_png_stream(read_file, f) : NULL;
    if (f) fclose(f);
    CHECK(ours && ref && sw == W && sh == H);
    if (!ours || !ref) return;
    CHECK(cairo_image_surface_get_format(ours) == cairo_image_surface_get_format(ref));
    int worst = 0;
    const unsigned char *a = cairo_image_surface_get_data(ours), *b = cairo_image_surface_get_data(ref);
    int sa = cairo_image_surface_get_stride(ours), sb = cairo_image_surface_get_stride(ref);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W * 4; x++) {
            if (cairo_image_surface_get_format(ours) == CAIRO_FORMAT_RGB24 && x % 4 == 3) continue;
            int d = abs(a[(size_t)y * sa + x] - b[(size_t)y * sb + x]);
            if (d > worst) worst = d;
        }
    if (worst > (k->depth == 16 ? 1 : 0)) fprintf(stderr, "%s: decoded pixels differ by %d\n", k->name, worst);
    CHECK(worst <= (k->depth == 16 ? 1 : 0));
    cairo_surface_destroy(ref);
}

/* Draw every image on two pages through the cairo canvas, then finish the PDF as deckle does. */
static int make_pdf(const dk_image *const *imgs, int n, const char *out) {
    const char *tmp = path_of("raw", ".pdf");
    cairo_surface_t *s = cairo_pdf_surface_create(tmp, 400, 300);
    cairo_t *cr = cairo_create(s);
    dk_canvas *c = NULL;
    if (dk_canvas_cairo_new(cr, DK_CANVAS_VECTOR, &c) != DK_OK) return 0;
    for (int page = 0; page < 2; page++) {
        for (int i = 0; i < n; i++) {
            dk_rect r = {10 + (i % 6) * 60, 10 + (i / 6) * 60 + page * 5, 50 + page * 7, 40};
            c->ops->image(c, r, imgs[i]);
        }
        cairo_show_page(cr);
    }
    dk_canvas_free(c);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    int ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    dk_ctx ctx;
    dk_ctx_init(&ctx, "test.md", "", 0);
    ctx.quiet = 1;
    ok = ok && dk_pdf_finish(&ctx, tmp, out, 1700000000) == DK_OK;
    unlink(tmp);
    return ok;
}

static int int_key(qpdf_data q, qpdf_oh d, const char *key) {
    qpdf_oh v = qpdf_oh_get_key(q, d, key);
    return qpdf_oh_is_integer(q, v) ? qpdf_oh_get_int_value_as_int(q, v) : -1;
}

/* Look at every image XObject of the PDF: one per test image, each as expected. */
static void check_pdf(const char *file) {
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    CHECK(!(qpdf_read(q, file, NULL) & QPDF_ERRORS));
    int nimages = 0, npassed = 0;
    int size = int_key(q, qpdf_get_trailer(q), "/Size");
    /* the soft masks cairo writes beside images with alpha are not images of their own */
    char *smask = calloc((size_t)(size > 0 ? size : 1), 1);
    for (int id = 1; id < size; id++) {
        qpdf_oh o = qpdf_get_object_by_id(q, id, 0);
        if (!qpdf_oh_is_stream(q, o)) continue;
        qpdf_oh m = qpdf_oh_get_key(q, qpdf_oh_get_dict(q, o), "/SMask");
        int mid = qpdf_oh_get_object_id(q, m);
        if (mid > 0 && mid < size) smask[mid] = 1;
    }
    for (int id = 1; id < size; id++) {
        if (smask[id]) continue;
        qpdf_oh o = qpdf_get_object_by_id(q, id, 0);
        if (!qpdf_oh_is_stream(q, o)) continue;
        qpdf_oh d = qpdf_oh_get_dict(q, o);
        if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Subtype"), "/Image")) continue;
        int w = int_key(q, d, "/Width"), h = int_key(q, d, "/Height");
        if (w != W || h != H) continue; /* an SMask of a cairo-embedded image has the same size */
        qpdf_oh parms = qpdf_oh_get_key(q, d, "/DecodeParms");
        if (!qpdf_oh_is_dictionary(q, parms)) {
            nimages++;
            continue;
        }
        /* ours: which test image? the one whose IDAT data this is */
        unsigned char *raw = NULL, *dec = NULL;
        size_t nraw = 0, ndec = 0;
        qpdf_oh_get_stream_data(q, o, qpdf_dl_none, NULL, &raw, &nraw);
        const kind *found = NULL;
        for (size_t i = 0; i < sizeof kinds / sizeof *kinds && !found; i++) {
            size_t n;
            unsigned char *idat = idat_of(path_of(kinds[i].name, ".png"), &n);
            if (idat && n == nraw && memcmp(idat, raw, n) == 0) found = &kinds[i];
            free(idat);
        }
        CHECK(found != NULL); /* the stream is a PNG's IDAT data, byte for byte */
        if (found) {
            nimages++;
            npassed++;
            CHECK(found->pass);
            CHECK(qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Filter"), "/FlateDecode"));
            CHECK(int_key(q, parms, "/Predictor") == 15);
            CHECK(int_key(q, parms, "/Columns") == W);
            CHECK(int_key(q, parms, "/BitsPerComponent") == found->depth);
            CHECK(int_key(q, d, "/BitsPerComponent") == found->depth);
            CHECK(int_key(q, parms, "/Colors") == channels(found->ctype));
            qpdf_oh cs = qpdf_oh_get_key(q, d, "/ColorSpace");
            if (found->ctype == PNG_COLOR_TYPE_PALETTE)
                CHECK(qpdf_oh_is_array(q, cs) &&
                      qpdf_oh_is_name_and_equals(q, qpdf_oh_get_array_item(q, cs, 0), "/Indexed") &&
                      qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_array_item(q, cs, 2)) ==
                          (1 << found->depth) - 1);
            else
                CHECK(qpdf_oh_is_name_and_equals(
                    q, cs, found->ctype == PNG_COLOR_TYPE_RGB ? "/DeviceRGB" : "/DeviceGray"));
            /* qpdf undoes Flate and the PNG predictors: the samples we wrote, exactly */
            QPDF_BOOL filtered = 0;
            qpdf_oh_get_stream_data(q, o, qpdf_dl_generalized, &filtered, &dec, &ndec);
            size_t rb;
            unsigned char *want = samples(found, &rb);
            CHECK(filtered && ndec == rb * H && memcmp(dec, want, ndec) == 0);
            free(want);
        }
        free(raw);
        free(dec);
    }
    int npass = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) npass += kinds[i].pass;
    /* one XObject per image, although each is on both pages */
    CHECK(nimages == (int)(sizeof kinds / sizeof *kinds));
    CHECK(npassed == npass);
    free(smask);
    qpdf_cleanup(&q);
}

/* Stand-ins parse back; anything shorter or altered is not taken for one. */
static void check_standin(void) {
    const kind *k = &kinds[6]; /* a palette: the longest header */
    char *data = NULL;
    size_t n = 0;
    CHECK(dk_file_read(path_of(k->name, ".png"), &data, &n) == DK_OK);
    dk_pngpass_info info;
    dk_pngpass_scan((unsigned char *)data, n, &info);
    CHECK(info.ok && info.w == W && info.h == H && info.nplte == 4);
    size_t len = 0;
    unsigned char *s = dk_pngpass_standin((unsigned char *)data, n, &info, &len);
    dk_pngpass_standin_info si;
    CHECK(s && dk_pngpass_parse(s, len, &si) && si.w == W && si.h == H && si.nplte == 4 &&
          si.nidat == info.idat_bytes && si.depth == 2 && si.ctype == 3);
    size_t head = len - info.idat_bytes;
    int bad = 0;
    for (size_t cut = 0; cut <= head; cut++) {
        unsigned char *c = malloc(cut ? cut : 1); /* exact size: ASan catches overreads */
        memcpy(c, s, cut);
        bad += dk_pngpass_parse(c, cut, &si);
        free(c);
    }
    CHECK(bad == 0);
    s[20] ^= 1; /* the magic */
    CHECK(!dk_pngpass_parse(s, len, &si));
    free(s);
    /* truncated or damaged files do not pass (the decoder then warns) */
    dk_pngpass_scan((unsigned char *)data, n - 5, &info);
    CHECK(!info.ok);
    data[40] ^= 0x10;
    dk_pngpass_scan((unsigned char *)data, n, &info);
    CHECK(!info.ok);
    free(data);
}

/* The box filter: a flat image stays flat, sizes are exact, the cache hands back the same. */
static void check_reduce(dk_images *c, dk_ctx *ctx) {
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 301, 199);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.2, 0.4, 0.6);
    cairo_paint(cr);
    cairo_destroy(cr);
    CHECK(cairo_surface_write_to_png(s, path_of("flat", ".png")) == CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    const dk_image *img = dk_images_get(ctx, c, "flat.png", 0);
    CHECK(img && !img->missing);
    cairo_surface_t *r = dk_image_source_scaled(img, 97, 41);
    CHECK(r && cairo_image_surface_get_width(r) == 97 && cairo_image_surface_get_height(r) == 41);
    if (r) {
        const unsigned char *px = cairo_image_surface_get_data(r);
        int stride = cairo_image_surface_get_stride(r), same = 1;
        uint32_t first = *(const uint32_t *)px & 0xffffff;
        for (int y = 0; y < 41; y++)
            for (int x = 0; x < 97; x++)
                same &= (((const uint32_t *)(px + (size_t)y * stride))[x] & 0xffffff) == first;
        CHECK(same && first == (51u << 16 | 102u << 8 | 153u));
    }
    CHECK(dk_image_source_scaled(img, 97, 41) == r);
    CHECK(dk_image_source_scaled(img, 400, 41) == NULL); /* not a reduction */
}

int main(void) {
    snprintf(dir, sizeof dir, "%s/dk-pngpass-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 1;
    dk_ctx ctx;
    dk_ctx_init(&ctx, "test.md", "", 0);
    ctx.quiet = 1;
    dk_images *c = NULL;
    CHECK(dk_images_new(dir, 0, &c) == DK_OK);
    const dk_image *imgs[sizeof kinds / sizeof *kinds];
    int n = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        const kind *k = &kinds[i];
        CHECK(write_png(k));
        char name[64];
        snprintf(name, sizeof name, "%s.png", k->name);
        const dk_image *img = dk_images_get(&ctx, c, name, 0);
        CHECK(img && !img->missing && img->w == W && img->h == H);
        if (img && !img->missing) imgs[n++] = img;
    }
    CHECK(ctx.nwarn == 0);
    CHECK(make_pdf(imgs, n, path_of("out", ".pdf")));
    check_pdf(path_of("out", ".pdf"));
    for (int i = 0; i < n; i++) check_decoded(&kinds[i], imgs[i]); /* after the PDF: decoded now */
    check_standin();
    check_reduce(c, &ctx);
    dk_images_free(c);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) unlink(path_of(kinds[i].name, ".png"));
    unlink(path_of("flat", ".png"));
    unlink(path_of("out", ".pdf"));
    rmdir(dir);
    return dk_test_done();
}
