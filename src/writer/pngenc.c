/*
 * Deflating a slide's rows in bands, on worker threads (pngenc.h).
 *
 * Deflate was 60% of the instructions of a slide written as PNG at
 * 1920x1080, and a zlib stream is one long chain. So, as pigz does, the
 * rows are cut into bands of about BAND_BYTES filtered bytes, each band is
 * deflated on a raw stream of its own and ended with a sync flush, which
 * leaves the output byte-aligned after an empty stored block; the last
 * band ends the stream. Concatenated, the bands are one valid deflate
 * stream. The zlib framing (RFC 1950) goes around it: a two-byte header,
 * and the Adler-32 of the filtered bytes, summed per band (libdeflate's
 * vectorised sum) and combined (adler32_combine).
 *
 * A band does not look back into the one before (pigz primes each with
 * the last 32 KB of input): on the seed deck at 1920x1080 priming made the
 * files 0.7% smaller and took 7% more time, as zlib hashes the whole
 * dictionary. Unprimed, the files are 0.1% larger than one stream's.
 * Where the cuts fall depends only on the row's length, never on the
 * number of threads, so every thread count writes the same bytes.
 *
 * The bands are tasks on the render's pool (base.h): its workers deflate
 * them while the caller paints the next slide, and when the caller wants a
 * job's bytes (dk_pngenc_finish) it deflates the bands no worker has taken.
 */
#define _GNU_SOURCE
#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pngenc.h"

enum {
    BAND_BYTES = 1 << 18, /* filtered bytes a band, about: 45 rows at 1920 px RGB */
};

typedef struct {
    dk_task task;       /* on the pool */
    dk_pngjob *job;
    unsigned char *out; /* deflated, malloc'd */
    size_t n;
    uint32_t adler;     /* of the band's filtered bytes */
    size_t len;         /* how many */
    int failed;         /* out of memory */
} band;

struct dk_pngjob {
    dk_pngenc *enc;
    const unsigned char *px;
    int w, h, stride, alpha, level;
    size_t rowbytes;
    int band_rows, nbands;
    band bands[];
};

/* What one thread deflates with. */
typedef struct {
    z_stream z;
    int level;            /* of z; -1: z not set up */
    unsigned char *rows;  /* the band's filtered rows */
    size_t rows_cap;
    unsigned char *out;   /* deflate's output, copied to the band's own */
    size_t out_cap;
} scratch;

struct dk_pngenc {
    dk_pool *pool;
    int nscratch;
    scratch *scratch; /* one for each of the pool's threads (dk_pool_slot) */
};

/* A row of cairo's RGB24 words as R G B bytes: the common case, vectorised (base.h). */
DK_PIXEL_LOOP
static void rgb_bytes(const uint32_t *restrict src, unsigned char *restrict o, int w) {
    for (int x = 0; x < w; x++) {
        uint32_t p = src[x];
        o[3 * x] = (unsigned char)(p >> 16);
        o[3 * x + 1] = (unsigned char)(p >> 8);
        o[3 * x + 2] = (unsigned char)p;
    }
}

/* A row of premultiplied ARGB32 as R G B A, un-premultiplied with rounding. */
static void rgba_bytes(const uint32_t *src, unsigned char *o, int w) {
    for (int x = 0; x < w; x++) {
        uint32_t p = src[x];
        unsigned a = p >> 24, r = p >> 16 & 0xff, g = p >> 8 & 0xff, b = p & 0xff;
        if (a != 255) {
            r = a ? (r * 255 + a / 2) / a : 0;
            g = a ? (g * 255 + a / 2) / a : 0;
            b = a ? (b * 255 + a / 2) / a : 0;
        }
        *o++ = (unsigned char)r;
        *o++ = (unsigned char)g;
        *o++ = (unsigned char)b;
        *o++ = (unsigned char)a;
    }
}

static int grow(unsigned char **p, size_t *cap, size_t n) {
    if (*cap >= n) return 1;
    unsigned char *q = realloc(*p, n);
    if (!q) return 0;
    *p = q;
    *cap = n;
    return 1;
}

/* Deflate a band (a task): its rows filtered, then deflated on a stream of their own. */
static void run_band(dk_task *t) {
    band *bd = (band *)t;
    dk_pngjob *j = bd->job;
    int b = (int)(bd - j->bands);
    scratch *s = &j->enc->scratch[dk_pool_slot()];
    int y0 = b * j->band_rows, y1 = DK_MIN(j->h, y0 + j->band_rows), last = b == j->nbands - 1;
    size_t len = (size_t)(y1 - y0) * j->rowbytes;
    bd->failed = 1;
    if (!grow(&s->rows, &s->rows_cap, len)) return;
    for (int y = y0; y < y1; y++) {
        const uint32_t *src = (const uint32_t *)(j->px + (size_t)y * j->stride);
        unsigned char *o = s->rows + (size_t)(y - y0) * j->rowbytes;
        *o++ = 0; /* filter None: slides are flat colour and text (png.c) */
        if (j->alpha) rgba_bytes(src, o, j->w);
        else rgb_bytes(src, o, j->w);
    }
    if (s->level != j->level) {
        if (s->level >= 0) deflateEnd(&s->z);
        s->level = -1;
        memset(&s->z, 0, sizeof s->z);
        if (deflateInit2(&s->z, j->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return;
        s->level = j->level;
    } else if (deflateReset(&s->z) != Z_OK) {
        return;
    }
    /* deflateBound is for Z_FINISH; a sync flush adds an empty stored block */
    if (!grow(&s->out, &s->out_cap, deflateBound(&s->z, (uLong)len) + 16)) return;
    s->z.next_in = s->rows;
    s->z.avail_in = (uInt)len;
    s->z.next_out = s->out;
    s->z.avail_out = (uInt)s->out_cap;
    int r = deflate(&s->z, last ? Z_FINISH : Z_SYNC_FLUSH);
    if (r != (last ? Z_STREAM_END : Z_OK) || s->z.avail_in) return;
    bd->n = s->out_cap - s->z.avail_out;
    if (!(bd->out = malloc(bd->n ? bd->n : 1))) return;
    memcpy(bd->out, s->out, bd->n);
    bd->adler = libdeflate_adler32(1, s->rows, len);
    bd->len = len;
    bd->failed = 0;
}

dk_pngenc *dk_pngenc_new(dk_pool *pool) {
    dk_pngenc *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->pool = pool;
    e->nscratch = dk_pool_threads(pool);
    if (!(e->scratch = calloc((size_t)e->nscratch, sizeof *e->scratch))) {
        free(e);
        return NULL;
    }
    for (int i = 0; i < e->nscratch; i++) e->scratch[i].level = -1;
    return e;
}

void dk_pngenc_free(dk_pngenc *e) {
    if (!e) return;
    for (int i = 0; i < e->nscratch; i++) {
        scratch *s = &e->scratch[i];
        if (s->level >= 0) deflateEnd(&s->z);
        free(s->rows);
        free(s->out);
    }
    free(e->scratch);
    free(e);
}

dk_pngjob *dk_pngenc_submit(dk_pngenc *e, const unsigned char *px, int w, int h, int stride,
                            int alpha, int level) {
    size_t rowbytes = 1 + (size_t)w * (alpha ? 4 : 3);
    int band_rows = (int)DK_MAX(1, BAND_BYTES / rowbytes);
    int nbands = h > 0 ? (h + band_rows - 1) / band_rows : 0;
    dk_pngjob *j = calloc(1, sizeof *j + (size_t)nbands * sizeof(band));
    if (!j) return NULL;
    *j = (dk_pngjob){e, px, w, h, stride, alpha, level, rowbytes, band_rows, nbands};
    for (int b = 0; b < nbands; b++) {
        j->bands[b].task.run = run_band;
        j->bands[b].job = j;
        dk_pool_submit(e->pool, &j->bands[b].task, 0);
    }
    return j;
}

dk_status dk_pngenc_finish(dk_pngenc *e, dk_pngjob *j,
                           void (*put)(void *ud, const unsigned char *p, size_t n), void *ud) {
    dk_status st = DK_OK;
    for (int b = 0; b < j->nbands; b++) {
        dk_pool_wait(e->pool, &j->bands[b].task);
        if (j->bands[b].failed) st = DK_ENOMEM;
    }
    if (st == DK_OK && put && j->nbands) {
        /* the zlib header: deflate, a 32 KB window, the level's FLEVEL, and its check */
        unsigned lv = j->level, head = 0x7800 | (lv < 2 ? 0u : lv < 6 ? 1u : lv == 6 ? 2u : 3u) << 6;
        head += 31 - head % 31;
        unsigned char hd[2] = {(unsigned char)(head >> 8), (unsigned char)head};
        put(ud, hd, 2);
        uLong adler = 1;
        for (int b = 0; b < j->nbands; b++) {
            put(ud, j->bands[b].out, j->bands[b].n);
            adler = adler32_combine(adler, j->bands[b].adler, (z_off_t)j->bands[b].len);
        }
        unsigned char tail[4] = {(unsigned char)(adler >> 24), (unsigned char)(adler >> 16),
                                 (unsigned char)(adler >> 8), (unsigned char)adler};
        put(ud, tail, 4);
    }
    for (int b = 0; b < j->nbands; b++) free(j->bands[b].out);
    free(j);
    return st;
}
