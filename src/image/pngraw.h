/*
 * image/pngraw — the PNGs screenshots are (8 bits a channel, RGB or RGBA,
 * not interlaced, no tRNS) decoded with libdeflate instead of libpng.
 *
 * Why: Debian's zlib copies a match byte by byte, and a screenshot is
 * mostly matches (the reference deck's four images inflate 40 to 130
 * times): that copy loop was half of libpng's time on them (perf).
 * libdeflate, a maintained library, inflates the same streams about three
 * times faster; decoding the four went from 50 to 21-27 ms. libpng has no
 * API to unfilter rows it did not inflate, so the five row filters of
 * PNG (ISO/IEC 15948 section 9: None, Sub, Up, Average, Paeth) are in
 * pngraw.c, some forty lines.
 *
 * The pixels are those of image.c's libpng path, bit for bit (cairo's
 * layout: RGB24 words 0xffRRGGBB; ARGB32 premultiplied, rounded as libpng's
 * path and cairo's reader round). Any other PNG, and any file this refuses
 * (a stream that is broken or of the wrong length, a bad filter type, a
 * wrong Adler-32), is left to libpng, which decodes or reports it.
 */
#ifndef DK_IMAGE_PNGRAW_H
#define DK_IMAGE_PNGRAW_H

#include <stddef.h>

#include "pngpass.h"

/* Is the PNG scanned into `info` one this decoder takes? */
int dk_pngraw_takes(const dk_pngpass_info *info);

/* The bytes of scratch memory decoding the PNG scanned into `info` needs (its rows inflated). */
size_t dk_pngraw_scratch(const dk_pngpass_info *info);

/*
 * Decode the PNG file `p` (n bytes; scanned into `info`, which it takes)
 * into `px`: info->h rows of `stride` bytes, info->w 32-bit words each
 * (RGB24 for RGB, ARGB32 for RGBA), inflating into `scratch`
 * (dk_pngraw_scratch bytes). 1 when done; 0 when the data is broken (px
 * is then partly written); -1 out of memory.
 */
int dk_pngraw_decode(const unsigned char *p, size_t n, const dk_pngpass_info *info,
                     unsigned char *scratch, unsigned char *px, int stride);

#endif
