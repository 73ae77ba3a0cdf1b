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
 * Jobs wait in a queue in the order they came, and a worker takes the next
 * band of the oldest job. The caller paints its next slide meanwhile, and
 * when it wants a job's bytes (dk_pngenc_finish) it deflates queued bands
 * itself until that job is done: `threads` - 1 workers, plus the caller.
 */
#define _GNU_SOURCE
#include <libdeflate.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pngenc.h"

enum {
    BAND_BYTES = 1 << 18, /* filtered bytes a band, about: 45 rows at 1920 px RGB */
};

typedef struct {
    unsigned char *out; /* deflated, malloc'd */
    size_t n;
    uint32_t adler;     /* of the band's filtered bytes */
    size_t len;         /* how many */
    int failed;         /* out of memory */
} band;

struct dk_pngjob {
    const unsigned char *px;
    int w, h, stride, alpha, level;
    size_t rowbytes;
    int band_rows, nbands;
    int next;              /* the first band no thread has taken */
    int left;              /* bands not done */
    dk_pngjob *queue_next; /* the next job with bands to take */
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
    pthread_mutex_t lock;
    pthread_cond_t work; /* a job was queued, or quit */
    pthread_cond_t done; /* a job's last band was done */
    dk_pngjob *head, *tail;
    int quit;
    int nworkers;
    pthread_t *workers;
    scratch *scratch;    /* [0] the caller's, [1 + i] worker i's */
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

/* Deflate band b of j with s: its rows filtered, then deflated on a stream of their own. */
static void run_band(dk_pngjob *j, int b, scratch *s) {
    band *bd = &j->bands[b];
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

/* With the lock held: the next band to deflate (*b of *j), or 0 when none is queued. */
static int take(dk_pngenc *e, dk_pngjob **j, int *b) {
    if (!e->head) return 0;
    *j = e->head;
    *b = e->head->next++;
    if (e->head->next == e->head->nbands && !(e->head = e->head->queue_next)) e->tail = NULL;
    return 1;
}

/* Deflate band b of j with s, the lock released meanwhile; then count it done. */
static void run_unlocked(dk_pngenc *e, dk_pngjob *j, int b, scratch *s) {
    pthread_mutex_unlock(&e->lock);
    run_band(j, b, s);
    pthread_mutex_lock(&e->lock);
    if (--j->left == 0) pthread_cond_broadcast(&e->done);
}

static void *worker(void *arg) {
    dk_pngenc *e = ((void **)arg)[0];
    scratch *s = ((void **)arg)[1];
    free(arg);
    pthread_mutex_lock(&e->lock);
    for (;;) {
        dk_pngjob *j;
        int b;
        if (take(e, &j, &b)) run_unlocked(e, j, b, s);
        else if (e->quit) break;
        else pthread_cond_wait(&e->work, &e->lock);
    }
    pthread_mutex_unlock(&e->lock);
    return NULL;
}

dk_pngenc *dk_pngenc_new(int threads) {
    threads = DK_MAX(1, threads);
    dk_pngenc *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->scratch = calloc((size_t)threads, sizeof *e->scratch);
    e->workers = calloc((size_t)threads, sizeof *e->workers);
    if (!e->scratch || !e->workers) {
        free(e->scratch);
        free(e->workers);
        free(e);
        return NULL;
    }
    for (int i = 0; i < threads; i++) e->scratch[i].level = -1;
    pthread_mutex_init(&e->lock, NULL);
    pthread_cond_init(&e->work, NULL);
    pthread_cond_init(&e->done, NULL);
    /* the workers take no signals: the caller's thread handles them (base.c: tmp files) */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    for (int i = 1; i < threads; i++) {
        void **arg = malloc(2 * sizeof *arg);
        if (!arg) break;
        arg[0] = e;
        arg[1] = &e->scratch[i];
        if (pthread_create(&e->workers[e->nworkers], NULL, worker, arg) != 0) {
            free(arg); /* fewer workers: the caller does their share */
            break;
        }
        e->nworkers++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return e;
}

void dk_pngenc_free(dk_pngenc *e) {
    if (!e) return;
    pthread_mutex_lock(&e->lock);
    e->quit = 1;
    pthread_cond_broadcast(&e->work);
    pthread_mutex_unlock(&e->lock);
    for (int i = 0; i < e->nworkers; i++) pthread_join(e->workers[i], NULL);
    for (int i = 0; i <= e->nworkers; i++) {
        scratch *s = &e->scratch[i];
        if (s->level >= 0) deflateEnd(&s->z);
        free(s->rows);
        free(s->out);
    }
    pthread_mutex_destroy(&e->lock);
    pthread_cond_destroy(&e->work);
    pthread_cond_destroy(&e->done);
    free(e->scratch);
    free(e->workers);
    free(e);
}

dk_pngjob *dk_pngenc_submit(dk_pngenc *e, const unsigned char *px, int w, int h, int stride,
                            int alpha, int level) {
    size_t rowbytes = 1 + (size_t)w * (alpha ? 4 : 3);
    int band_rows = (int)DK_MAX(1, BAND_BYTES / rowbytes);
    int nbands = h > 0 ? (h + band_rows - 1) / band_rows : 0;
    dk_pngjob *j = calloc(1, sizeof *j + (size_t)nbands * sizeof(band));
    if (!j) return NULL;
    *j = (dk_pngjob){px, w, h, stride, alpha, level, rowbytes, band_rows, nbands, 0, nbands, NULL};
    if (!nbands) return j;
    pthread_mutex_lock(&e->lock);
    if (e->tail) e->tail->queue_next = j;
    else e->head = j;
    e->tail = j;
    pthread_cond_broadcast(&e->work);
    pthread_mutex_unlock(&e->lock);
    return j;
}

dk_status dk_pngenc_finish(dk_pngenc *e, dk_pngjob *j,
                           void (*put)(void *ud, const unsigned char *p, size_t n), void *ud) {
    pthread_mutex_lock(&e->lock);
    while (j->left > 0) {
        dk_pngjob *jb;
        int b;
        if (take(e, &jb, &b)) run_unlocked(e, jb, b, &e->scratch[0]);
        else pthread_cond_wait(&e->done, &e->lock);
    }
    pthread_mutex_unlock(&e->lock);
    dk_status st = DK_OK;
    for (int b = 0; b < j->nbands; b++)
        if (j->bands[b].failed) st = DK_ENOMEM;
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
