/*
 * The PNG writer: one image per slide, the slide size times the scale,
 * written with libpng directly (cairo's PNG writer has no say over colour
 * type, compression or chunks), the IDAT stream deflated here (see
 * idat_stream):
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
#include <libdeflate.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../image/image.h"
#include "outcanvas.h"
#include "writer.h"

#ifndef DK_VERSION
#define DK_VERSION "0"
#endif

static void write_buf(png_structp png, png_bytep data, png_size_t n) {
    dk_buf *b = png_get_io_ptr(png);
    dk_buf_add(b, data, n);
    if (b->oom) png_error(png, "out of memory");
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

/*
 * The IDAT stream. libpng would deflate the rows itself, but then zlib
 * also sums the stream's Adler-32, a byte at a time: 6% of a slide at
 * 1920x1080. So zlib deflates raw here (no zlib framing), the framing of
 * RFC 1950 is added by hand (a two-byte header; libdeflate's vectorised
 * Adler-32 at the end, ~6x faster), and the chunks go out through libpng's
 * png_write_chunk, 64 KB each. zlib's output is the same as under libpng.
 */
typedef struct {
    png_structp png;
    z_stream z;
    uint32_t adler;
    unsigned char buf[1 << 16];
} idat_stream;

static void idat_flush(idat_stream *o) {
    size_t n = sizeof o->buf - o->z.avail_out;
    if (n) png_write_chunk(o->png, (png_const_bytep) "IDAT", o->buf, n);
    o->z.next_out = o->buf;
    o->z.avail_out = sizeof o->buf;
}

/* Deflate n bytes of filtered rows; with Z_FINISH, end the stream too (and send it all). */
static void idat_add(idat_stream *o, const unsigned char *p, size_t n, int flush) {
    o->adler = libdeflate_adler32(o->adler, p, n);
    o->z.next_in = (unsigned char *)p;
    o->z.avail_in = (uInt)n;
    for (;;) {
        int r = deflate(&o->z, flush);
        if (r == Z_STREAM_ERROR) png_error(o->png, "deflate failed");
        if (o->z.avail_out == 0) idat_flush(o);
        else if (flush == Z_FINISH ? r == Z_STREAM_END : o->z.avail_in == 0) break;
    }
    if (flush != Z_FINISH) return;
    if (o->z.avail_out < 4) idat_flush(o);
    for (int k = 3; k >= 0; k--) *o->z.next_out++ = (unsigned char)(o->adler >> (8 * k));
    o->z.avail_out -= 4;
    idat_flush(o);
}

enum { BLOCK_ROWS = 16 }; /* rows deflated at a time (92 KB at 1920 px RGB) */

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

/*
 * The writer keeps what every slide needs, so that each slide after the first
 * reuses memory already faulted in (a fault cost ~15 us on a 2-core VM; keeping
 * them saved ~190 of the seed's 1,440 faults at 1.5x): the file's bytes, and the
 * IDAT stream, reset rather than ended.
 */
typedef struct {
    dk_writer base;
    dk_buf file;
    idat_stream *idat;
    int zlevel; /* of idat's deflate stream; -1 while there is none */
} png_writer;

/* A fresh raw deflate stream at `level` in w->idat: the last slide's reset, else a new one. */
static int idat_begin(png_writer *w, int level) {
    if (w->idat && w->zlevel == level) return deflateReset(&w->idat->z) == Z_OK;
    if (w->idat && w->zlevel >= 0) deflateEnd(&w->idat->z);
    w->zlevel = -1;
    if (!w->idat && !(w->idat = malloc(sizeof *w->idat))) return 0;
    memset(&w->idat->z, 0, sizeof w->idat->z);
    if (deflateInit2(&w->idat->z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    w->zlevel = level;
    return 1;
}

/*
 * Encode cairo's pixels (RGB24 or ARGB32, native-endian words) as PNG into
 * pw->file, appended. `title` may be NULL. DK_ENOMEM or DK_EIO (libpng failure).
 */
static dk_status encode(png_writer *pw, cairo_surface_t *surf, const dk_deck_info *d,
                        const char *title) {
    dk_buf *out = &pw->file;
    int w = cairo_image_surface_get_width(surf), h = cairo_image_surface_get_height(surf);
    int stride = cairo_image_surface_get_stride(surf);
    const unsigned char *px = cairo_image_surface_get_data(surf);
    int alpha = cairo_image_surface_get_format(surf) == CAIRO_FORMAT_ARGB32 &&
                has_alpha(px, w, h, stride);
    int ch = alpha ? 4 : 3, level = d->compression >= 0 ? d->compression : 3;
    size_t rowbytes = 1 + (size_t)w * ch;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *volatile block = malloc(rowbytes * BLOCK_ROWS);
    dk_status st = DK_OK;
    if (!png || !info || !block) {
        st = DK_ENOMEM;
        goto done;
    }
    if (setjmp(png_jmpbuf(png))) {
        st = out->oom ? DK_ENOMEM : DK_EIO;
        goto done;
    }
    png_set_write_fn(png, out, write_buf, flush_buf);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_sRGB_gAMA_and_cHRM(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
    double ppm = 96.0 * d->scale / 0.0254; /* 1 CSS px = 1/96 in */
    png_set_pHYs(png, info, (png_uint_32)lround(ppm), (png_uint_32)lround(ppm),
                 PNG_RESOLUTION_METER);
    png_text text[2];
    int nt = 0;
    memset(text, 0, sizeof text);
    if (title && *title) {
        /* tEXt is Latin-1: a title with other characters goes as iTXt (UTF-8) */
        int ascii = 1;
        for (const char *c = title; *c; c++) ascii &= (unsigned char)*c < 0x80;
        text[nt].compression = ascii ? PNG_TEXT_COMPRESSION_NONE : PNG_ITXT_COMPRESSION_NONE;
        text[nt].key = (png_charp) "Title";
        text[nt].text = (png_charp)title;
        nt++;
    }
    text[nt].compression = PNG_TEXT_COMPRESSION_NONE;
    text[nt].key = (png_charp) "Software";
    text[nt].text = (png_charp) "deckle " DK_VERSION;
    nt++;
    png_set_text(png, info, text, nt);
    png_write_info(png, info);

    if (!idat_begin(pw, level)) png_error(png, "out of memory");
    idat_stream *idat = pw->idat;
    idat->png = png;
    idat->adler = 1;
    /* the zlib header: deflate with a 32 KB window, the level's FLEVEL, a check on both */
    unsigned head = 0x7800 | (level < 2 ? 0u : level < 6 ? 1u : level == 6 ? 2u : 3u) << 6;
    head += 31 - head % 31;
    idat->buf[0] = (unsigned char)(head >> 8);
    idat->buf[1] = (unsigned char)head;
    idat->z.next_out = idat->buf + 2;
    idat->z.avail_out = sizeof idat->buf - 2;
    for (int y0 = 0; y0 < h; y0 += BLOCK_ROWS) {
        int rows = DK_MIN(BLOCK_ROWS, h - y0);
        for (int y = y0; y < y0 + rows; y++) {
            const uint32_t *src = (const uint32_t *)(px + (size_t)y * stride);
            unsigned char *o = block + (size_t)(y - y0) * rowbytes;
            *o++ = 0; /* filter: None; slides are flat colour and text (see the top) */
            if (!alpha) {
                rgb_bytes(src, o, w);
                continue;
            }
            for (int x = 0; x < w; x++) {
                uint32_t p = src[x];
                unsigned a = p >> 24, r = p >> 16 & 0xff, g = p >> 8 & 0xff, b = p & 0xff;
                if (a != 255) { /* un-premultiply, rounding */
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
        idat_add(idat, block, rowbytes * (size_t)rows, y0 + rows < h ? Z_NO_FLUSH : Z_FINISH);
    }
    png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
done:
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(block);
    return st;
}

static dk_status png_begin(dk_writer *w, const dk_deck_info *d) {
    (void)w;
    (void)d;
    return DK_OK;
}

static dk_status png_slide(dk_writer *w, const dk_deck_info *d, const dk_slide_out *s) {
    png_writer *pw = (png_writer *)w;
    int width = (int)lround(d->width * d->scale), height = (int)lround(d->height * d->scale);
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
    dk_buf *png = &pw->file;
    png->n = 0;
    png->oom = 0;
    char *title = NULL;
    if (!s->title && d->deck->title.p) title = strndup(d->deck->title.p, d->deck->title.n);
    if (st == DK_OK) st = encode(pw, surf, d, s->title ? s->title : title);
    free(title);
    cairo_surface_destroy(surf);
    char *file = st == DK_OK ? dk_slide_file(d, s->index, "png") : NULL;
    if (st == DK_OK && !file) st = DK_ENOMEM;
    if (st == DK_OK && (st = dk_file_write_atomic(file, png->p, png->n)))
        dk_diag_error(d->ctx, DK_NOPOS, "cannot write %s: %s", file, strerror(errno));
    free(file);
    return st;
}

static dk_status png_end(dk_writer *w, const dk_deck_info *d, int ok) {
    (void)w;
    (void)d;
    (void)ok;
    return DK_OK;
}

static void png_destroy(dk_writer *w) {
    png_writer *pw = (png_writer *)w;
    if (pw->idat && pw->zlevel >= 0) deflateEnd(&pw->idat->z);
    free(pw->idat);
    dk_buf_free(&pw->file);
    free(pw);
}

dk_status dk_writer_png_new(dk_writer **out) {
    png_writer *w = calloc(1, sizeof *w);
    *out = w ? &w->base : NULL;
    if (!w) return DK_ENOMEM;
    w->base = (dk_writer){png_begin, png_slide, png_end, png_destroy};
    w->zlevel = -1;
    return DK_OK;
}
