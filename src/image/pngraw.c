/*
 * image/pngraw.c — libdeflate inflates, PNG's row filters undo (see pngraw.h).
 */
#include "pngraw.h"

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

/* a, b, c: the bytes left, above and above-left; the one nearest a + b - c, ties in that order */
static inline int paeth(int a, int b, int c) {
    int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/*
 * Undo filter `type` on row `r` (len bytes, bpp bytes a pixel) whose unfiltered row above is
 * `up` (zeros above the first). 0 for a type PNG does not define.
 */
static int unfilter(unsigned char *r, const unsigned char *up, size_t len, size_t bpp, int type) {
    size_t i;
    switch (type) {
    case 0: /* None */
        return 1;
    case 1: /* Sub */
        for (i = bpp; i < len; i++) r[i] += r[i - bpp];
        return 1;
    case 2: /* Up */
        for (i = 0; i < len; i++) r[i] += up[i];
        return 1;
    case 3: /* Average */
        for (i = 0; i < bpp; i++) r[i] += up[i] >> 1;
        for (; i < len; i++) r[i] += (r[i - bpp] + up[i]) >> 1;
        return 1;
    case 4: /* Paeth; on the first pixel, with nothing to its left, it is Up */
        for (i = 0; i < bpp; i++) r[i] += up[i];
        for (; i < len; i++) r[i] += paeth(r[i - bpp], up[i], up[i - bpp]);
        return 1;
    }
    return 0;
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
        if (!unfilter(r + 1, up, len, bpp, r[0])) goto done;
        const unsigned char *s = up = r + 1;
        uint32_t *o = (uint32_t *)(px + (size_t)y * stride);
        if (bpp == 3) {
            for (int x = 0; x < w; x++, s += 3)
                o[x] = 0xff000000u | (uint32_t)s[0] << 16 | (uint32_t)s[1] << 8 | s[2];
            continue;
        }
        for (int x = 0; x < w; x++, s += 4) {
            uint32_t a = s[3], c[3] = {s[0], s[1], s[2]};
            if (a != 255) /* premultiplied, rounded to nearest as in image.c's libpng path */
                for (int k = 0; k < 3; k++) c[k] = (c[k] * a + 127) / 255;
            o[x] = a << 24 | c[0] << 16 | c[1] << 8 | c[2];
        }
    }
    ret = 1;
done:
    libdeflate_free_decompressor(d);
    free(z);
    free(zero);
    return ret;
}
