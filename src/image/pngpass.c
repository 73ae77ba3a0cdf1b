/*
 * image/pngpass.c — PNG chunks in, a stand-in for cairo out, and back
 * (the design is in pngpass.h).
 */
#define _GNU_SOURCE /* memmem */
#include "pngpass.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

/* The COM segment's text: what tells pdffix.c that the "JPEG" is ours. */
static const char magic[] = "deckle png pass-through 1";
#define MAGIC_N (sizeof magic) /* with its NUL */

static uint32_t be32(const unsigned char *b) {
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Colour type and bit depth that PDF can take as they are (no alpha). */
static int passable(int ctype, int depth) {
    switch (ctype) {
    case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 2: return depth == 8 || depth == 16;
    case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    default: return 0;
    }
}

int dk_pngpass_present(const void *p, size_t n) {
    return p && memmem(p, n, magic, MAGIC_N - 1) != NULL;
}

int dk_pngpass_colors(int ctype) { return ctype == 2 ? 3 : 1; }

void dk_pngpass_scan(const unsigned char *p, size_t n, dk_pngpass_info *info) {
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memset(info, 0, sizeof *info);
    if (n < 8 + 25 || memcmp(p, sig, 8) != 0) return;
    int interlace = 1, trns = 0, ended = 0, idat_state = 0; /* 0 none yet, 1 in, 2 after */
    const unsigned char *first_idat = NULL;
    size_t first_len = 0;
    for (size_t at = 8; !ended;) {
        if (n - at < 12) return; /* no IEND: truncated */
        uint32_t len = be32(p + at);
        if (len > n - at - 12) return;
        const unsigned char *type = p + at + 4, *data = p + at + 8;
        if (libdeflate_crc32(0, type, (size_t)len + 4) != be32(data + len)) return;
        if (at == 8 && (memcmp(type, "IHDR", 4) != 0 || len != 13)) return;
        int is_idat = memcmp(type, "IDAT", 4) == 0;
        if (is_idat && idat_state == 2) return; /* IDATs must be consecutive */
        if (!is_idat && idat_state == 1) idat_state = 2;
        if (memcmp(type, "IHDR", 4) == 0 && at == 8) {
            info->w = (int)(be32(data) & 0x7fffffff);
            info->h = (int)(be32(data + 4) & 0x7fffffff);
            info->depth = data[8];
            info->ctype = data[9];
            if (data[10] != 0 || data[11] != 0) return; /* compression, filter method */
            interlace = data[12];
        } else if (memcmp(type, "PLTE", 4) == 0) {
            if (len == 0 || len % 3 || len > 768) return;
            info->plte = data;
            info->nplte = (int)(len / 3);
        } else if (memcmp(type, "tRNS", 4) == 0) {
            trns = 1;
        } else if (is_idat) {
            if (!first_idat) {
                first_idat = data;
                first_len = len;
            }
            idat_state = 1;
            info->idat_bytes += len;
        } else if (memcmp(type, "IEND", 4) == 0) {
            ended = 1;
        }
        at += 12 + (size_t)len;
    }
    /* a zlib stream (deflate, no preset dictionary) must open the data */
    if (!first_idat || first_len < 2 || (first_idat[0] & 0x0f) != 8 || (first_idat[1] & 0x20) ||
        ((unsigned)first_idat[0] << 8 | first_idat[1]) % 31)
        return;
    info->interlaced = interlace != 0;
    info->trns = trns;
    info->valid = 1;
    info->ok = interlace == 0 && !trns && passable(info->ctype, info->depth) &&
               (info->ctype != 3 || info->plte) && info->w > 0 && info->h > 0 &&
               info->w <= 65535 && info->h <= 65535;
}

unsigned char *dk_pngpass_standin(const unsigned char *p, size_t n, const dk_pngpass_info *info,
                                  size_t *len) {
    int nc = dk_pngpass_colors(info->ctype) == 3 ? 3 : 1; /* what the SOF claims */
    int nplte = info->ctype == 3 ? info->nplte : 0;
    size_t sof = 8 + 3 * (size_t)nc, com = 2 + MAGIC_N + 4 + 3 * (size_t)nplte;
    size_t head = 2 + 2 + sof + 2 + com;
    unsigned char *out = malloc(head + info->idat_bytes), *o = out;
    if (!out) return NULL;
    *o++ = 0xff, *o++ = 0xd8;                             /* SOI */
    *o++ = 0xff, *o++ = 0xc0;                             /* SOF0 */
    *o++ = (unsigned char)(sof >> 8), *o++ = (unsigned char)sof;
    *o++ = 8;                                             /* precision */
    *o++ = (unsigned char)(info->h >> 8), *o++ = (unsigned char)info->h;
    *o++ = (unsigned char)(info->w >> 8), *o++ = (unsigned char)info->w;
    *o++ = (unsigned char)nc;
    for (int i = 0; i < nc; i++) *o++ = (unsigned char)(i + 1), *o++ = 0x11, *o++ = 0;
    *o++ = 0xff, *o++ = 0xfe;                             /* COM */
    *o++ = (unsigned char)(com >> 8), *o++ = (unsigned char)com;
    memcpy(o, magic, MAGIC_N);
    o += MAGIC_N;
    *o++ = (unsigned char)info->ctype, *o++ = (unsigned char)info->depth;
    *o++ = (unsigned char)(nplte >> 8), *o++ = (unsigned char)nplte;
    if (nplte) memcpy(o, info->plte, 3 * (size_t)nplte);
    o += 3 * (size_t)nplte;
    o += dk_pngpass_idat(p, n, o);
    *len = (size_t)(o - out);
    return out;
}

size_t dk_pngpass_idat(const unsigned char *p, size_t n, unsigned char *out) {
    unsigned char *o = out;
    for (size_t at = 8; at + 12 <= n;) {
        uint32_t clen = be32(p + at);
        if (memcmp(p + at + 4, "IDAT", 4) == 0) {
            memcpy(o, p + at + 8, clen);
            o += clen;
        } else if (memcmp(p + at + 4, "IEND", 4) == 0) {
            break;
        }
        at += 12 + (size_t)clen;
    }
    return (size_t)(o - out);
}

int dk_pngpass_parse(const unsigned char *p, size_t n, dk_pngpass_standin_info *si) {
    memset(si, 0, sizeof *si);
    if (n < 4 + 2 + 8 || p[0] != 0xff || p[1] != 0xd8 || p[2] != 0xff || p[3] != 0xc0) return 0;
    size_t sof = (size_t)p[4] << 8 | p[5];
    int nc = p[11];
    if ((nc != 1 && nc != 3) || sof != 8 + 3 * (size_t)nc || n - 4 < sof + 4) return 0;
    si->h = p[7] << 8 | p[8];
    si->w = p[9] << 8 | p[10];
    const unsigned char *c = p + 4 + sof;
    size_t left = n - 4 - sof;
    if (c[0] != 0xff || c[1] != 0xfe) return 0;
    size_t com = (size_t)c[2] << 8 | c[3];
    if (com < 2 + MAGIC_N + 4 || left - 2 < com || memcmp(c + 4, magic, MAGIC_N) != 0) return 0;
    const unsigned char *q = c + 4 + MAGIC_N;
    si->ctype = q[0];
    si->depth = q[1];
    si->nplte = q[2] << 8 | q[3];
    if (!passable(si->ctype, si->depth) || si->nplte > 256 ||
        com != 2 + MAGIC_N + 4 + 3 * (size_t)si->nplte || (si->ctype == 3) != (si->nplte > 0) ||
        dk_pngpass_colors(si->ctype) != nc || si->w <= 0 || si->h <= 0)
        return 0;
    si->plte = si->nplte ? q + 4 : NULL;
    si->idat = c + 2 + com;
    si->nidat = left - 2 - com;
    return si->nidat > 0;
}
