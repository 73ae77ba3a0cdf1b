/*
 * The PNG writer: one image per slide, the slide size times the scale,
 * written with libpng directly (cairo's PNG writer has no say over colour
 * type, compression or chunks), the rows deflated by pngenc.c in bands, on
 * the render's pool of threads while the next slide is painted:
 *
 *  - RGB (8 bits a channel) when the slide is opaque, which it is unless
 *    --transparent: then the page background is not painted and the image
 *    is RGBA (un-premultiplied from cairo's ARGB32), or RGB after all when
 *    every pixel came out opaque;
 *  - the zlib level from --compression, else 3, and no row filter: slides
 *    are flat colour and text, where filtering only adds noise for zlib; on
 *    the seed deck at 1920x1080 the files come out 13% smaller and encode
 *    2.7x faster than with libpng's adaptive choice of all five filters
 *    (which tries each on every row). Level 3 (zlib's fast matcher)
 *    encodes those slides in 40% of the instructions of the default level
 *    6, for files 20% larger; deflate was 2/3 of the time of a PNG slide.
 *    libdeflate (measured at levels 1-6) was no faster, only smaller;
 *  - sRGB (with the gAMA and cHRM that go with it, for old readers), and
 *    pHYs: one CSS px is 1/96 inch, so the image's density is 96 x scale
 *    pixels per inch — it prints at the slide's size;
 *  - tEXt Title (the slide's first heading, else the deck's title) and
 *    Software; no tIME, so the same deck gives the same bytes.
 */
#define _GNU_SOURCE
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "../image/image.h"
#include "outcanvas.h"
#include "pngenc.h"
#include "writer.h"

#ifndef DK_VERSION
#define DK_VERSION "0"
#endif

/* libpng's output: the file's bytes (out of memory: dk_buf's sticky oom, seen at the end) */
static void write_buf(png_structp png, png_bytep data, png_size_t n) {
    dk_buf_add(png_get_io_ptr(png), data, n);
}

static void flush_buf(png_structp png) { (void)png; }

/* Does any pixel of an ARGB32 surface have alpha below 255? */
static int has_alpha(const unsigned char *px, int w, int h, int stride) {
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(px + (size_t)y * stride);
        for (int x = 0; x < w; x++)
            if ((row[x] >> 24) != 0xff) return 1;
    }
    return 0;
}

/* A slide painted, its rows being deflated (pngenc.h). */
typedef struct {
    dk_pngjob *job;
    cairo_surface_t *surf; /* the pixels, until the job is finished */
    int index;             /* the slide's number */
    int alpha;
    char *title;           /* for tEXt, or NULL */
} pending;

/*
 * The writer keeps what every slide needs, so that each slide after the
 * first reuses memory already faulted in (a fault cost ~15 us on a 2-core
 * VM): the file's bytes, and the encoder's buffers. Up to
 * `limit` slides wait for their rows to be deflated while the next is
 * painted; they are written in order.
 */
typedef struct {
    dk_writer base;
    dk_buf file;
    dk_pngenc *enc;
    pending *wait; /* [0, nwait): oldest first */
    int nwait, limit;
    int width, height; /* the slides' size in pixels */
    dk_prewarm warm;   /* the first surfaces' memory, readied on the pool (image.h) */
} png_writer;

/* The IDAT chunks, cut from the zlib stream as it is put: 64 KB each. */
typedef struct {
    png_structp png;
    size_t n;
    unsigned char buf[1 << 16];
} idat_out;

static void idat_put(void *ud, const unsigned char *p, size_t n) {
    idat_out *o = ud;
    while (n) {
        size_t k = DK_MIN(n, sizeof o->buf - o->n);
        memcpy(o->buf + o->n, p, k);
        o->n += k, p += k, n -= k;
        if (o->n == sizeof o->buf) {
            png_write_chunk(o->png, (png_const_bytep) "IDAT", o->buf, o->n);
            o->n = 0;
        }
    }
}

/*
 * Encode slide `p` as PNG into pw->file, emptied first: the chunks before
 * IDAT from libpng, then the deflated rows once the job is done (taken from
 * p: finished here whatever happens). DK_ENOMEM or DK_EIO (libpng failure).
 */
static dk_status encode(png_writer *pw, pending *p, const dk_deck_info *d) {
    dk_buf *out = &pw->file;
    out->n = 0;
    out->oom = 0;
    int w = cairo_image_surface_get_width(p->surf), h = cairo_image_surface_get_height(p->surf);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    idat_out *volatile idat = malloc(sizeof *idat);
    dk_pngjob *volatile job = p->job;
    dk_status st = DK_OK;
    p->job = NULL;
    if (!png || !info || !idat) {
        st = DK_ENOMEM;
        goto done;
    }
    if (setjmp(png_jmpbuf(png))) {
        st = out->oom ? DK_ENOMEM : DK_EIO;
        goto done;
    }
    png_set_write_fn(png, out, write_buf, flush_buf);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 p->alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_sRGB_gAMA_and_cHRM(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
    double ppm = 96.0 * d->scale / 0.0254; /* 1 CSS px = 1/96 in */
    png_set_pHYs(png, info, (png_uint_32)lround(ppm), (png_uint_32)lround(ppm),
                 PNG_RESOLUTION_METER);
    png_text text[2];
    int nt = 0;
    memset(text, 0, sizeof text);
    if (p->title && *p->title) {
        /* tEXt is Latin-1: a title with other characters goes as iTXt (UTF-8) */
        int ascii = 1;
        for (const char *c = p->title; *c; c++) ascii &= (unsigned char)*c < 0x80;
        text[nt].compression = ascii ? PNG_TEXT_COMPRESSION_NONE : PNG_ITXT_COMPRESSION_NONE;
        text[nt].key = (png_charp) "Title";
        text[nt].text = (png_charp)p->title;
        nt++;
    }
    text[nt].compression = PNG_TEXT_COMPRESSION_NONE;
    text[nt].key = (png_charp) "Software";
    text[nt].text = (png_charp) "deckle " DK_VERSION;
    nt++;
    png_set_text(png, info, text, nt);
    png_write_info(png, info);
    idat->png = png;
    idat->n = 0;
    dk_pngjob *jb = job;
    job = NULL; /* finished below, whatever it returns */
    if ((st = dk_pngenc_finish(pw->enc, jb, idat_put, idat)) != DK_OK) goto done;
    if (idat->n) png_write_chunk(png, (png_const_bytep) "IDAT", idat->buf, idat->n);
    png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
    if (out->oom) st = DK_ENOMEM;
done:
    if (job) dk_pngenc_finish(pw->enc, job, NULL, NULL); /* dropped */
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(idat);
    return st;
}

/* The oldest waiting slide: written (ok), or dropped once its rows are deflated. */
static dk_status complete(png_writer *pw, const dk_deck_info *d, int ok) {
    pending p = pw->wait[0];
    memmove(pw->wait, pw->wait + 1, (size_t)--pw->nwait * sizeof *pw->wait);
    dk_status st = DK_OK;
    if (ok) {
        int slide = d->ctx->slide;
        d->ctx->slide = p.index; /* what goes wrong is this slide's */
        st = encode(pw, &p, d);
        char *file = st == DK_OK ? dk_slide_file(d, p.index, "png") : NULL;
        if (st == DK_OK && !file) st = DK_ENOMEM;
        if (st == DK_OK && (st = dk_file_write_atomic(file, pw->file.p, pw->file.n)))
            dk_diag_error(d->ctx, DK_NOPOS, "cannot write %s: %s", file, strerror(errno));
        free(file);
        if (st == DK_OK) st = d->slide_written(d, p.index);
        d->ctx->slide = slide;
    }
    if (p.job) dk_pngenc_finish(pw->enc, p.job, NULL, NULL);
    cairo_surface_destroy(p.surf);
    free(p.title);
    return st;
}

static dk_status png_begin(dk_writer *w, const dk_deck_info *d) {
    png_writer *pw = (png_writer *)w;
    pw->limit = dk_pool_threads(d->pool);
    pw->wait = calloc((size_t)pw->limit, sizeof *pw->wait);
    pw->enc = pw->wait ? dk_pngenc_new(d->pool) : NULL;
    if (!pw->enc) return DK_ENOMEM;
    /* as many surfaces as are alive at once: the one painted and `limit` waiting (seed
       deck at 1.5x with -j 2: 81 ms instead of 83, median of 31 interleaved runs) */
    pw->width = (int)lround(d->width * d->scale);
    pw->height = (int)lround(d->height * d->scale);
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, pw->width);
    if (stride > 0)
        dk_images_prewarm(d->pool, &pw->warm, (size_t)stride * (size_t)pw->height,
                          DK_MIN(d->nselected, pw->limit + 1));
    return DK_OK;
}

/* Paint the slide and queue its rows; write the oldest waiting slide when `limit` wait. */
static dk_status png_slide(dk_writer *w, const dk_deck_info *d, const dk_slide_out *s) {
    png_writer *pw = (png_writer *)w;
    int width = pw->width, height = pw->height;
    cairo_surface_t *surf = dk_image_surface_new(
        d->transparent ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, width, height);
    cairo_t *cr = cairo_create(surf);
    cairo_scale(cr, d->scale, d->scale);
    dk_status st = dk_outcanvas_paint(cr, d->transparent ? DK_OUT_TRANSPARENT : 0, s->body,
                                      d->width, d->height);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    if (st == DK_OK && cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        dk_diag_error(d->ctx, DK_NOPOS, "PNG: %s",
                      cairo_status_to_string(cairo_surface_status(surf)));
        st = DK_ENOMEM; /* an image surface fails only for want of memory */
    }
    pending p = {NULL, surf, s->index, 0, NULL};
    if (st == DK_OK) {
        const unsigned char *px = cairo_image_surface_get_data(surf);
        int stride = cairo_image_surface_get_stride(surf);
        p.alpha = cairo_image_surface_get_format(surf) == CAIRO_FORMAT_ARGB32 &&
                  has_alpha(px, width, height, stride);
        const char *title = s->title;
        if (!title && d->deck->title.p) p.title = strndup(d->deck->title.p, d->deck->title.n);
        else if (title) p.title = strdup(title);
        p.job = dk_pngenc_submit(pw->enc, px, width, height, stride, p.alpha,
                                 d->compression >= 0 ? d->compression : 3);
        if (!p.job || (title && !p.title)) st = DK_ENOMEM;
    }
    if (st != DK_OK) {
        if (p.job) dk_pngenc_finish(pw->enc, p.job, NULL, NULL);
        cairo_surface_destroy(surf);
        free(p.title);
        return st;
    }
    pw->wait[pw->nwait++] = p;
    while (st == DK_OK && pw->nwait >= pw->limit) st = complete(pw, d, 1);
    return st;
}

/* The slides still waiting: written when the render went well, else dropped. */
static dk_status png_end(dk_writer *w, const dk_deck_info *d, int ok) {
    png_writer *pw = (png_writer *)w;
    dk_status st = DK_OK;
    while (pw->nwait) {
        dk_status s1 = complete(pw, d, ok && st == DK_OK);
        if (st == DK_OK) st = s1;
    }
    return st;
}

static void png_destroy(dk_writer *w) {
    png_writer *pw = (png_writer *)w;
    dk_images_prewarm_wait(&pw->warm);
    while (pw->nwait) {
        pending *p = &pw->wait[--pw->nwait];
        if (p->job) dk_pngenc_finish(pw->enc, p->job, NULL, NULL);
        cairo_surface_destroy(p->surf);
        free(p->title);
    }
    dk_pngenc_free(pw->enc);
    free(pw->wait);
    dk_buf_free(&pw->file);
    free(pw);
}

dk_status dk_writer_png_new(dk_writer **out) {
    png_writer *w = calloc(1, sizeof *w);
    *out = w ? &w->base : NULL;
    if (!w) return DK_ENOMEM;
    w->base = (dk_writer){png_begin, png_slide, png_end, png_destroy};
    return DK_OK;
}
