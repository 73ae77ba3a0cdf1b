/*
 * image/pngraw: 8-bit RGB and RGBA PNGs decoded with libdeflate give cairo's
 * own reader's pixels for every row filter and odd widths; broken data is
 * refused (and libpng then reports it, or shows the picture when only the
 * Adler-32 is wrong, as before); other PNGs are not taken. Pixel memory
 * from the pool is cleared, memory readied on a pool thread is resident
 * before a surface takes it, and an image whose reduction gave its
 * full-size pixels back decodes them again.
 */
#define _GNU_SOURCE
#include <cairo.h>
#include <libdeflate.h>
#include <png.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image/image.h"
#include "image/pngpass.h"
#include "image/pngraw.h"
#include "test.h"

/* ---- PNG files in memory ------------------------------------------------------------------ */

static void put(png_structp png, png_bytep data, size_t n) {
    dk_buf_add(png_get_io_ptr(png), data, n);
}
static void flush(png_structp png) { (void)png; }

/* Pixels with flat runs, gradients and noisy rows, so that every filter changes bytes. */
static unsigned char *pixels(int w, int h, int ch) {
    unsigned char *px = malloc((size_t)w * h * ch);
    unsigned seed = 99;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < ch; c++) {
                seed = seed * 1103515245u + 12345u;
                unsigned v = x < w / 3 ? 200u + (unsigned)c : (unsigned)(x * 9 + y * 7 + c * 60) + (seed >> 27);
                if (y % 3 == 2) v = seed >> 24; /* noise: ties in Paeth's choice */
                if (c == 3) v = (x * 37 + y * 11) & 0xff; /* alpha: 0, 255 and between */
                px[((size_t)y * w + x) * ch + c] = (unsigned char)v;
            }
    return px;
}

/* `rows` written by libpng into `b` with the given filters (PNG_FILTER_* flags); 0 on error. */
static int png_encode(dk_buf *b, png_bytep *rows, int w, int h, int ctype, int depth,
                      int filters, int interlace) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return 0;
    }
    png_set_write_fn(png, b, put, flush);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, ctype,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, 0, 0);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 1;
}

/* A PNG of pixels() written by libpng with the given filters; empty on error. */
static dk_buf png_file(int w, int h, int ctype, int depth, int filters, int interlace) {
    dk_buf b = {0};
    int ch = ctype == PNG_COLOR_TYPE_RGB_ALPHA ? 4 : 3;
    unsigned char *px = pixels(w, h, ch * (depth / 8));
    png_bytep *rows = malloc((size_t)h * sizeof *rows);
    for (int y = 0; y < h; y++) rows[y] = px + (size_t)y * w * ch * (depth / 8);
    if (!png_encode(&b, rows, w, h, ctype, depth, filters, interlace)) dk_buf_free(&b);
    free(rows);
    free(px);
    return b;
}

static void chunk(dk_buf *b, const char *type, const unsigned char *data, size_t n) {
    unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                            (unsigned char)(n >> 8), (unsigned char)n};
    dk_buf_add(b, len, 4);
    size_t at = b->n;
    dk_buf_add(b, type, 4);
    if (n) dk_buf_add(b, data, n);
    uint32_t crc = libdeflate_crc32(0, b->p + at, n + 4);
    unsigned char c[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                          (unsigned char)(crc >> 8), (unsigned char)crc};
    dk_buf_add(b, c, 4);
}

/* An RGB PNG made by hand from raw rows (filter byte included), its CRCs right. */
static dk_buf png_raw(int w, int h, const unsigned char *raw, size_t n) {
    dk_buf b = {0};
    dk_buf_add(&b, "\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[13] = {0, 0, 0, (unsigned char)w, 0, 0, 0, (unsigned char)h, 8, 2, 0, 0, 0};
    chunk(&b, "IHDR", ihdr, sizeof ihdr);
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
    size_t cap = libdeflate_zlib_compress_bound(c, n);
    unsigned char *z = malloc(cap);
    size_t zn = libdeflate_zlib_compress(c, raw, n, z, cap);
    libdeflate_free_compressor(c);
    chunk(&b, "IDAT", z, zn);
    free(z);
    chunk(&b, "IEND", NULL, 0);
    return b;
}

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int n) {
    dk_buf *r = closure; /* p advances, n shrinks */
    if (r->n < n) return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p, n);
    r->p += n;
    r->n -= n;
    return CAIRO_STATUS_SUCCESS;
}

/* A new folder under TMPDIR (or /tmp) for files the images cache reads. */
static void temp_dir(char *dir, size_t n) {
    snprintf(dir, n, "%s/dk-pngraw-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    CHECK(mkdtemp(dir) != NULL);
}

/* `b` written to dir/name, its path in `path`. */
static void save(const char *dir, const char *name, dk_buf b, char *path, size_t n) {
    snprintf(path, n, "%s/%s", dir, name);
    FILE *o = fopen(path, "wb");
    CHECK(o && fwrite(b.p, 1, b.n, o) == b.n);
    if (o) fclose(o);
}

/* An images cache on `dir`, its diagnostics counted (quietly) in `ctx`. */
static dk_images *open_cache(const char *dir, dk_ctx *ctx) {
    dk_ctx_init(ctx, "test.md", "", 0);
    ctx->quiet = 1;
    dk_images *c = NULL;
    CHECK(dk_images_new(dir, 0, &c) == DK_OK);
    return c;
}

/* ---- checks ------------------------------------------------------------------------------- */

/* pngraw's pixels of `f` are cairo's reader's, every byte (RGB24's unused byte aside). */
static void check_same(const char *what, dk_buf f) {
    dk_pngpass_info info;
    dk_pngpass_scan((const unsigned char *)f.p, f.n, &info);
    CHECK(info.valid && dk_pngraw_takes(&info));
    dk_buf r = f;
    cairo_surface_t *ref = cairo_image_surface_create_from_png_stream(read_mem, &r);
    CHECK(cairo_surface_status(ref) == CAIRO_STATUS_SUCCESS);
    int w = info.w, h = info.h, stride = w * 4, alpha = info.ctype == 6;
    CHECK(cairo_image_surface_get_format(ref) == (alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24));
    unsigned char *px = malloc((size_t)stride * h), *scratch = malloc(dk_pngraw_scratch(&info));
    CHECK(dk_pngraw_decode((const unsigned char *)f.p, f.n, &info, scratch, px, stride) == 1);
    const unsigned char *want = cairo_image_surface_get_data(ref);
    int ws = cairo_image_surface_get_stride(ref), bad = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t a = ((const uint32_t *)(px + (size_t)y * stride))[x];
            uint32_t b = ((const uint32_t *)(want + (size_t)y * ws))[x];
            if (!alpha) a &= 0xffffff, b &= 0xffffff;
            bad += a != b;
        }
    if (bad) fprintf(stderr, "%s: %d pixels differ from cairo's reader\n", what, bad);
    CHECK(bad == 0);
    free(px);
    free(scratch);
    cairo_surface_destroy(ref);
}

static void check_filters(void) {
    static const struct {
        const char *name;
        int flags;
    } filters[] = {{"none", PNG_FILTER_NONE}, {"sub", PNG_FILTER_SUB},     {"up", PNG_FILTER_UP},
                   {"avg", PNG_FILTER_AVG},   {"paeth", PNG_FILTER_PAETH}, {"all", PNG_ALL_FILTERS}};
    static const int widths[] = {1, 2, 3, 37, 300};
    for (size_t f = 0; f < sizeof filters / sizeof *filters; f++)
        for (size_t i = 0; i < sizeof widths / sizeof *widths; i++)
            for (int alpha = 0; alpha < 2; alpha++) {
                char what[64];
                snprintf(what, sizeof what, "%s %s w=%d", alpha ? "rgba" : "rgb", filters[f].name,
                         widths[i]);
                dk_buf b = png_file(widths[i], 19,
                                    alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, 8,
                                    filters[f].flags, 0);
                CHECK(b.n > 0);
                if (b.n) check_same(what, b);
                dk_buf_free(&b);
            }
}

/* Only 8-bit RGB and RGBA, not interlaced, no tRNS. */
static void check_takes(void) {
    dk_pngpass_info info;
    dk_buf b = png_file(5, 4, PNG_COLOR_TYPE_RGB, 16, PNG_FILTER_NONE, 0);
    dk_pngpass_scan((const unsigned char *)b.p, b.n, &info);
    CHECK(info.valid && !dk_pngraw_takes(&info));
    dk_buf_free(&b);
    b = png_file(5, 4, PNG_COLOR_TYPE_RGB, 8, PNG_FILTER_NONE, 1);
    dk_pngpass_scan((const unsigned char *)b.p, b.n, &info);
    CHECK(info.valid && info.interlaced && !dk_pngraw_takes(&info));
    dk_buf_free(&b);
    b = png_file(5, 4, PNG_COLOR_TYPE_RGB, 8, PNG_FILTER_NONE, 0);
    dk_pngpass_scan((const unsigned char *)b.p, b.n - 1, &info); /* truncated: no IEND */
    CHECK(!info.valid && !dk_pngraw_takes(&info));
    dk_buf_free(&b);
}

/* Broken streams are refused; through image/, libpng then warns, or shows the picture. */
static void check_broken(void) {
    enum { W = 4, H = 3, ROW = 1 + 3 * W };
    unsigned char raw[ROW * H];
    for (int i = 0; i < ROW * H; i++) raw[i] = (unsigned char)(i * 13);
    for (int y = 0; y < H; y++) raw[y * ROW] = 1; /* Sub */
    dk_pngpass_info info;
    unsigned char px[W * 4 * H], scratch[ROW * H];

    dk_buf good = png_raw(W, H, raw, sizeof raw);
    dk_pngpass_scan((const unsigned char *)good.p, good.n, &info);
    CHECK(info.valid && dk_pngraw_takes(&info));
    CHECK(dk_pngraw_decode((const unsigned char *)good.p, good.n, &info, scratch, px, W * 4) == 1);
    check_same("hand-made", good);

    raw[ROW] = 5; /* no such filter */
    dk_buf bad = png_raw(W, H, raw, sizeof raw);
    dk_pngpass_scan((const unsigned char *)bad.p, bad.n, &info);
    CHECK(info.valid && dk_pngraw_decode((const unsigned char *)bad.p, bad.n, &info, scratch, px, W * 4) == 0);
    dk_buf_free(&bad);
    raw[ROW] = 1;

    dk_buf shrt = png_raw(W, H, raw, sizeof raw - 1); /* a byte short */
    dk_pngpass_scan((const unsigned char *)shrt.p, shrt.n, &info);
    CHECK(info.valid && dk_pngraw_decode((const unsigned char *)shrt.p, shrt.n, &info, scratch, px, W * 4) == 0);

    /* the Adler-32 (the stream's last four bytes, before the IDAT CRC) made wrong, the CRC right */
    dk_buf adler = {0};
    dk_buf_add(&adler, good.p, good.n);
    size_t idat_end = adler.n - 12 - 4; /* IEND is 12 bytes; the CRC 4 */
    uint32_t len = (uint32_t)((unsigned char)adler.p[33] << 24 | (unsigned char)adler.p[34] << 16 |
                              (unsigned char)adler.p[35] << 8 | (unsigned char)adler.p[36]);
    CHECK(33 + 12 + len == idat_end + 4); /* IDAT right after IHDR */
    adler.p[idat_end - 1] ^= 0x55;
    uint32_t crc = libdeflate_crc32(0, adler.p + 37, len + 4);
    for (int k = 0; k < 4; k++) adler.p[idat_end + k] = (char)(crc >> (24 - 8 * k));
    dk_pngpass_scan((const unsigned char *)adler.p, adler.n, &info);
    CHECK(info.valid && dk_pngraw_decode((const unsigned char *)adler.p, adler.n, &info, scratch, px, W * 4) == 0);

    /* through image/: the short stream warns, the wrong Adler-32 is shown (libpng ignores it) */
    char dir[256], f1[300], f2[300];
    temp_dir(dir, sizeof dir);
    save(dir, "short.png", shrt, f1, sizeof f1);
    save(dir, "adler.png", adler, f2, sizeof f2);
    dk_ctx ctx;
    dk_images *c = open_cache(dir, &ctx);
    double sw, sh;
    const dk_image *a = dk_images_get(&ctx, c, "short.png", 0);
    CHECK(a && dk_image_source(a, DK_IMAGE_RASTER, &sw, &sh) == NULL && ctx.nwarn == 1);
    const dk_image *b = dk_images_get(&ctx, c, "adler.png", 0);
    cairo_surface_t *s = b ? dk_image_source(b, DK_IMAGE_RASTER, &sw, &sh) : NULL;
    CHECK(s && sw == W && sh == H && ctx.nwarn == 1);
    if (s) { /* the same pixels as the good file's */
        CHECK(dk_pngraw_decode((const unsigned char *)good.p, good.n, &info, scratch, px, W * 4) == 1);
        int same = 1;
        for (int y = 0; y < H; y++)
            same &= memcmp(cairo_image_surface_get_data(s) + (size_t)y * cairo_image_surface_get_stride(s),
                           px + y * W * 4, W * 4) == 0;
        CHECK(same);
    }
    dk_images_free(c);
    unlink(f1);
    unlink(f2);
    rmdir(dir);
    dk_buf_free(&good);
    dk_buf_free(&shrt);
    dk_buf_free(&adler);
}

/* A big surface made from pooled memory is cleared like a new one. */
static void check_pool(void) {
    dk_images *c = NULL;
    CHECK(dk_images_new(".", 0, &c) == DK_OK); /* the pool lives while a cache does */
    cairo_surface_t *a = dk_image_surface_new(CAIRO_FORMAT_ARGB32, 1000, 700); /* 2.8 MB */
    cairo_surface_flush(a);
    unsigned char *pa = cairo_image_surface_get_data(a);
    memset(pa, 0xab, (size_t)cairo_image_surface_get_stride(a) * 700);
    cairo_surface_mark_dirty(a);
    cairo_surface_destroy(a);
    cairo_surface_t *b = dk_image_surface_new(CAIRO_FORMAT_RGB24, 900, 700);
    const unsigned char *pb = cairo_image_surface_get_data(b);
    CHECK(pb == pa); /* the same memory, reused */
    size_t n = (size_t)cairo_image_surface_get_stride(b) * 700, nonzero = 0;
    for (size_t i = 0; i < n; i++) nonzero += pb[i] != 0;
    CHECK(nonzero == 0);
    cairo_surface_destroy(b);
    dk_images_free(c);
}

/* How many of the pages of [p, p + n) are resident, of how many (p page-aligned). */
static size_t resident(const void *p, size_t n, size_t *of) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE), np = (n + page - 1) / page, in = 0;
    unsigned char *vec = malloc(np);
    if (vec && mincore((void *)p, n, vec) == 0)
        for (size_t i = 0; i < np; i++) in += vec[i] & 1;
    free(vec);
    *of = np;
    return in;
}

/* Surfaces that take memory readied on a pool thread (dk_images_prewarm) find it resident
   before they are written, and zeros; without it, a new surface's memory is not resident. */
static void check_prewarm(void) {
    dk_images *c = NULL;
    CHECK(dk_images_new(".", 0, &c) == DK_OK);
    dk_pool *pool = dk_pool_new(2);
    int w = 1600, h = 900;
    size_t n = (size_t)cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w) * (size_t)h, np;
    cairo_surface_t *cold = dk_image_surface_new(CAIRO_FORMAT_RGB24, w, h); /* 5.8 MB */
    CHECK(resident(cairo_image_surface_get_data(cold), n, &np) < np / 2);
    if (pool && dk_pool_threads(pool) == 2) {
        dk_prewarm pw;
        dk_images_prewarm(pool, &pw, n, 2);
        dk_images_prewarm_wait(&pw);
        cairo_surface_t *s[2];
        for (int i = 0; i < 2; i++) s[i] = dk_image_surface_new(CAIRO_FORMAT_RGB24, w, h);
        for (int i = 0; i < 2; i++) {
            const unsigned char *p = cairo_image_surface_get_data(s[i]);
            CHECK(p != cairo_image_surface_get_data(cold));
            CHECK(resident(p, n, &np) == np);
            size_t nonzero = 0;
            for (size_t k = 0; k < n; k++) nonzero += p[k] != 0;
            CHECK(nonzero == 0);
        }
        CHECK(cairo_image_surface_get_data(s[0]) != cairo_image_surface_get_data(s[1]));
        for (int i = 0; i < 2; i++) cairo_surface_destroy(s[i]);
    } else {
        printf("skip: no worker thread for dk_images_prewarm\n");
    }
    cairo_surface_destroy(cold);
    dk_pool_free(pool);
    dk_images_free(c);
}

/* An image reduced gives its full-size pixels back; asked for again, they are decoded again. */
static void check_given_back(void) {
    char dir[256], f[300];
    temp_dir(dir, sizeof dir);
    dk_buf b = png_file(1100, 700, PNG_COLOR_TYPE_RGB, 8, PNG_ALL_FILTERS, 0);
    save(dir, "big.png", b, f, sizeof f);
    dk_ctx ctx;
    dk_images *c = open_cache(dir, &ctx);
    const dk_image *img = dk_images_get(&ctx, c, "big.png", 0);
    CHECK(img && !img->missing && img->w == 1100 && img->h == 700);
    double sw, sh;
    cairo_surface_t *full = img ? dk_image_source(img, DK_IMAGE_RASTER, &sw, &sh) : NULL;
    CHECK(full && sw == 1100 && sh == 700);
    uint32_t px0 = full ? ((const uint32_t *)cairo_image_surface_get_data(full))[1099] : 0;
    cairo_surface_t *r = img ? dk_image_source_scaled(img, 550, 350) : NULL;
    CHECK(r && cairo_image_surface_get_width(r) == 550);
    CHECK(dk_image_source_scaled(img, 550, 350) == r); /* cached */
    full = dk_image_source(img, DK_IMAGE_RASTER, &sw, &sh); /* decoded again */
    CHECK(full && sw == 1100 && sh == 700 &&
          ((const uint32_t *)cairo_image_surface_get_data(full))[1099] == px0);
    CHECK(ctx.nwarn == 0);
    dk_images_free(c);
    dk_buf_free(&b);
    unlink(f);
    rmdir(dir);
}

int main(void) {
    check_filters();
    check_takes();
    check_broken();
    check_pool();
    check_prewarm();
    check_given_back();
    return dk_test_done();
}
