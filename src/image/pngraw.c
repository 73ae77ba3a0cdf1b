/*
 * image/pngraw.c — libdeflate inflates, PNG's row filters undo (see pngraw.h).
 */
#include "pngraw.h"

#include "../base/base.h"

#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>

/* The most bytes inflated at once (~21 M pixels RGB); larger images stream through libpng. */
#define RAW_MAX (64.0 * 1024 * 1024)

static size_t channels(const dk_pngpass_info *info) { return info->ctype == 6 ? 4 : 3; }

int dk_pngraw_takes(const dk_pngpass_info *info) {
    return info->valid && info->depth == 8 && (info->ctype == 2 || info->ctype == 6) &&
           !info->interlaced && !info->trns && info->w > 0 && info->h > 0 &&
           ((double)info->w * (double)channels(info) + 1) * info->h <= RAW_MAX;
}

/*
 * a, b, c: the bytes left, above and above-left; the one nearest a + b - c, ties in that
 * order. Written for conditional moves: on noisy rows a branch here mispredicts often.
 */
static inline int paeth(int a, int b, int c) {
    int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
    int near = pb <= pc ? b : c, dist = pb <= pc ? pb : pc;
    return pa <= dist ? a : near;
}

/*
 * Undo filter `type` on row `r` (w pixels of `bpp` bytes) whose unfiltered row above is
 * `up` (zeros above the first). 0 for a type PNG does not define. Called with bpp a
 * constant (inlined twice): the left pixel's bytes then stay in registers instead of
 * being read back from the row just written.
 */
static inline int unfilter(unsigned char *r, const unsigned char *up, size_t w, int type,
                           const int bpp) {
    size_t len = w * (size_t)bpp;
    int left[4] = {0, 0, 0, 0}, upleft[4] = {0, 0, 0, 0}; /* zeros left of the first pixel */
    switch (type) {
    case 0: /* None */
        return 1;
    case 1: /* Sub */
        for (size_t i = 0; i < len; i += (size_t)bpp)
            for (int k = 0; k < bpp; k++) left[k] = r[i + k] = (unsigned char)(r[i + k] + left[k]);
        return 1;
    case 2: /* Up */
        for (size_t i = 0; i < len; i++) r[i] += up[i];
        return 1;
    case 3: /* Average */
        for (size_t i = 0; i < len; i += (size_t)bpp)
            for (int k = 0; k < bpp; k++)
                left[k] = r[i + k] = (unsigned char)(r[i + k] + ((left[k] + up[i + k]) >> 1));
        return 1;
    case 4: /* Paeth */
        for (size_t i = 0; i < len; i += (size_t)bpp)
            for (int k = 0; k < bpp; k++) {
                int above = up[i + k];
                left[k] = r[i + k] = (unsigned char)(r[i + k] + paeth(left[k], above, upleft[k]));
                upleft[k] = above;
            }
        return 1;
    }
    return 0;
}

/* A row of RGB bytes as cairo's RGB24 words. */
DK_PIXEL_LOOP
static void rgb_words(const unsigned char *restrict s, uint32_t *restrict o, int w) {
    for (int x = 0; x < w; x++)
        o[x] = 0xff000000u | (uint32_t)s[3 * x] << 16 | (uint32_t)s[3 * x + 1] << 8 | s[3 * x + 2];
}

/* A row of RGBA bytes as cairo's ARGB32 words: premultiplied, rounded to nearest as in
   image.c's libpng path. */
static void rgba_words(const unsigned char *restrict s, uint32_t *restrict o, int w) {
    for (int x = 0; x < w; x++, s += 4) {
        uint32_t a = s[3], c[3] = {s[0], s[1], s[2]};
        if (a != 255)
            for (int k = 0; k < 3; k++) c[k] = (c[k] * a + 127) / 255;
        o[x] = a << 24 | c[0] << 16 | c[1] << 8 | c[2];
    }
}

size_t dk_pngraw_scratch(const dk_pngpass_info *info) {
    return ((size_t)info->w * channels(info) + 1) * (size_t)info->h;
}

int dk_pngraw_decode(const unsigned char *p, size_t n, const dk_pngpass_info *info,
                     unsigned char *raw, unsigned char *px, int stride) {
    int w = info->w, h = info->h;
    size_t bpp = channels(info), len = (size_t)w * bpp, raw_n = dk_pngraw_scratch(info);
    unsigned char *z = malloc(info->idat_bytes ? info->idat_bytes : 1), *zero = calloc(1, len);
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    int ret = -1;
    if (!z || !zero || !d) goto done;
    ret = 0;
    size_t zn = dk_pngpass_idat(p, n, z);
    /* the rows, exactly: a stream that ends early or goes on is libpng's to judge */
    if (libdeflate_zlib_decompress(d, z, zn, raw, raw_n, NULL) != LIBDEFLATE_SUCCESS) goto done;
    const unsigned char *up = zero;
    for (int y = 0; y < h; y++) {
        unsigned char *r = raw + (size_t)y * (len + 1);
        if (!(bpp == 3 ? unfilter(r + 1, up, (size_t)w, r[0], 3)
                       : unfilter(r + 1, up, (size_t)w, r[0], 4)))
            goto done;
        up = r + 1;
        uint32_t *o = (uint32_t *)(px + (size_t)y * stride);
        if (bpp == 3) rgb_words(r + 1, o, w);
        else rgba_words(r + 1, o, w);
    }
    ret = 1;
done:
    libdeflate_free_decompressor(d);
    free(z);
    free(zero);
    return ret;
}
