/*
 * writer/pngenc on base's pool: a picture's rows deflated in bands make one zlib stream
 * that inflates (Adler-32 checked) to exactly the filtered rows PNG wants,
 * RGB or un-premultiplied RGBA; 1, 2 and 5 threads give the same bytes, for
 * pictures of one band, many bands, a last band cut short, rows longer than
 * a band, and several jobs in flight at once, finished in any order.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "writer/pngenc.h"
#include "test.h"

/* cairo-style words: flat runs, a gradient, noise; alpha 0, 255 and between when `alpha` */
static uint32_t *picture(int w, int h, int alpha, unsigned seed) {
    uint32_t *px = malloc((size_t)w * h * 4);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = x < w / 2 ? 40 : (unsigned)(x + y) & 0xff, g = (seed >> 24) & 0xff,
                     b = y % 7 == 0 ? 200 : 10, a = alpha ? (unsigned)(x * 7 + y) & 0xff : 255;
            if (alpha) { /* premultiplied, as cairo keeps them */
                r = r * a / 255, g = g * a / 255, b = b * a / 255;
            }
            px[(size_t)y * w + x] = a << 24 | r << 16 | g << 8 | b;
        }
    return px;
}

/* The filtered rows PNG wants for the picture: filter byte 0, then R G B (A) un-premultiplied. */
static unsigned char *rows(const uint32_t *px, int w, int h, int alpha, size_t *n) {
    int ch = alpha ? 4 : 3;
    *n = (size_t)h * (1 + (size_t)w * ch);
    unsigned char *o = malloc(*n), *p = o;
    for (int y = 0; y < h; y++) {
        *p++ = 0;
        for (int x = 0; x < w; x++) {
            uint32_t v = px[(size_t)y * w + x];
            unsigned a = v >> 24, c[3] = {v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff};
            for (int k = 0; k < 3; k++)
                *p++ = (unsigned char)(alpha && a != 255 ? (a ? (c[k] * 255 + a / 2) / a : 0) : c[k]);
            if (alpha) *p++ = (unsigned char)a;
        }
    }
    return o;
}

static void put(void *ud, const unsigned char *p, size_t n) { dk_buf_add(ud, p, n); }

/* The stream for the picture with `threads`, into out (emptied). */
static dk_status encode(int threads, const uint32_t *px, int w, int h, int alpha, int level,
                        dk_buf *out) {
    dk_buf_free(out);
    dk_pool *pool = dk_pool_new(threads);
    CHECK(dk_pool_threads(pool) == threads);
    dk_pngenc *e = dk_pngenc_new(pool);
    dk_pngjob *j = e ? dk_pngenc_submit(e, (const unsigned char *)px, w, h, w * 4, alpha, level) : NULL;
    dk_status st = j ? dk_pngenc_finish(e, j, put, out) : DK_ENOMEM;
    dk_pngenc_free(e);
    dk_pool_free(pool);
    return st;
}

/* Does the stream inflate, checked, to the rows? */
static int inflates_to(const dk_buf *z, const unsigned char *want, size_t n) {
    unsigned char *got = malloc(n + 1);
    uLongf gn = (uLongf)n + 1;
    int ok = uncompress(got, &gn, (const Bytef *)z->p, (uLong)z->n) == Z_OK && gn == n &&
             memcmp(got, want, n) == 0;
    free(got);
    return ok;
}

static void case_(int w, int h, int alpha, int level) {
    uint32_t *px = picture(w, h, alpha, (unsigned)(w * 31 + h));
    size_t n;
    unsigned char *want = rows(px, w, h, alpha, &n);
    dk_buf one = {0}, two = {0}, five = {0};
    CHECK(encode(1, px, w, h, alpha, level, &one) == DK_OK);
    CHECK(encode(2, px, w, h, alpha, level, &two) == DK_OK);
    CHECK(encode(5, px, w, h, alpha, level, &five) == DK_OK);
    CHECK(one.n > 6 && inflates_to(&one, want, n));
    CHECK(two.n == one.n && memcmp(two.p, one.p, one.n) == 0);
    CHECK(five.n == one.n && memcmp(five.p, one.p, one.n) == 0);
    /* the header names deflate, a 32 KB window, and passes its check */
    CHECK(one.n >= 2 && ((unsigned char)one.p[0] & 0x0f) == 8 &&
          ((unsigned char)one.p[0] << 8 | (unsigned char)one.p[1]) % 31 == 0);
    /* cut in bands, the stream is about as small as zlib's one stream of the rows */
    uLongf zn = compressBound((uLong)n);
    unsigned char *z = malloc(zn);
    CHECK(compress2(z, &zn, want, (uLong)n, level) == Z_OK && one.n <= zn + zn / 50 + 64);
    free(z);
    dk_buf_free(&one);
    dk_buf_free(&two);
    dk_buf_free(&five);
    free(want);
    free(px);
}

int main(void) {
    case_(1, 1, 0, 3);        /* one pixel */
    case_(17, 5, 1, 3);       /* one band, alpha */
    case_(1920, 1080, 0, 3);  /* a slide at 1.5x: 24 bands, the last cut short */
    case_(1280, 720, 1, 6);   /* transparent, another level */
    case_(1280, 720, 0, 0);   /* stored blocks only */
    case_(90000, 3, 0, 1);    /* a row longer than a band: a row a band */

    /* jobs in flight at once, finished out of order, on 3 threads: each still its own stream */
    dk_pool *pool = dk_pool_new(3);
    dk_pngenc *e = dk_pngenc_new(pool);
    uint32_t *pa = picture(800, 600, 0, 1), *pb = picture(640, 480, 1, 2), *pc = picture(300, 900, 0, 3);
    dk_pngjob *ja = dk_pngenc_submit(e, (const unsigned char *)pa, 800, 600, 800 * 4, 0, 3);
    dk_pngjob *jb = dk_pngenc_submit(e, (const unsigned char *)pb, 640, 480, 640 * 4, 1, 3);
    dk_pngjob *jc = dk_pngenc_submit(e, (const unsigned char *)pc, 300, 900, 300 * 4, 0, 3);
    CHECK(ja && jb && jc);
    dk_buf zb = {0}, zc = {0}, ref = {0};
    CHECK(dk_pngenc_finish(e, jb, put, &zb) == DK_OK);
    CHECK(dk_pngenc_finish(e, jc, put, &zc) == DK_OK);
    CHECK(dk_pngenc_finish(e, ja, NULL, NULL) == DK_OK); /* dropped */
    dk_pngenc_free(e);
    dk_pool_free(pool);
    size_t nb, nc;
    unsigned char *wb = rows(pb, 640, 480, 1, &nb), *wc = rows(pc, 300, 900, 0, &nc);
    CHECK(inflates_to(&zb, wb, nb));
    CHECK(inflates_to(&zc, wc, nc));
    CHECK(encode(1, pb, 640, 480, 1, 3, &ref) == DK_OK && ref.n == zb.n &&
          memcmp(ref.p, zb.p, zb.n) == 0);
    dk_buf_free(&zb);
    dk_buf_free(&zc);
    dk_buf_free(&ref);
    free(wb);
    free(wc);
    free(pa);
    free(pb);
    free(pc);
    return dk_test_done();
}
