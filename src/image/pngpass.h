/*
 * image/pngpass — PNG files into a PDF without decoding them.
 *
 * A PDF can hold a PNG's compressed pixels as they are: the IDAT chunks
 * concatenated are a zlib stream, which is what /FlateDecode reads, and
 * PNG's per-row filters are PDF's /Predictor 15 (PDF 32000-1, 7.4.4.4).
 * So an opaque PNG goes into the PDF without inflating, unfiltering or
 * deflating a single pixel again; that was 3/4 of the time to write the
 * reference deck's PDF (cairo re-compressing pixels 51%, decoding 27%).
 *
 * cairo 1.16 cannot embed PNG data in a PDF (it does so only for JPEG,
 * JPEG 2000, JBIG2 and CCITT MIME data), hence a stand-in:
 *
 *  1. image/ gives the PDF canvas a 1x1 surface carrying CAIRO_MIME_TYPE_JPEG
 *     data that cairo parses as a JPEG of the PNG's width and height
 *     (SOI, then an SOF0 segment); a COM segment follows with a magic
 *     string, the PNG's colour type, bit depth and palette, and after it
 *     the IDAT data. cairo writes those bytes unchanged as one image
 *     XObject (/DCTDecode), shared by every page that shows the image,
 *     and draws it into the unit square that the 1x1 surface maps to.
 *  2. writer/pdffix.c finds each /DCTDecode image whose data starts with
 *     the stand-in header and puts the IDAT data in its place: /FlateDecode,
 *     /DecodeParms << /Predictor 15 /Colors /BitsPerComponent /Columns >>,
 *     /DeviceGray, /DeviceRGB or [/Indexed /DeviceRGB hival <palette>].
 *     qpdf writes Flate streams as they are (no re-compression).
 *
 * Which PNGs: not interlaced (Adam7 rows are not PDF rows), no alpha and no
 * tRNS (that would need an /SMask, i.e. decoding), gray at 1-16 bits, RGB at
 * 8 or 16, palette at 1-8 bits. Every chunk's CRC is checked and the file
 * must end in IEND, so truncated and damaged files still take the decoder's
 * way and get its warning; the zlib data itself is not inflated, so a file
 * whose CRCs are right but whose deflate stream is broken shows as a broken
 * image in the viewer. Everything else (alpha, interlaced) is decoded and
 * embedded by cairo as before. A JPEG file that starts like a stand-in is
 * embedded re-encoded (image.c), so pdffix never mistakes one for ours.
 * Colour: PNG gAMA/iCCP are ignored here as by cairo's decoder, so PDF and
 * PNG output agree. Limit: if cairo ever rasterised a region of a page
 * holding a stand-in (a fallback image, for an operator PDF cannot express;
 * deckle uses none), the image would show as one black pixel there.
 */
#ifndef DK_IMAGE_PNGPASS_H
#define DK_IMAGE_PNGPASS_H

#include <stddef.h>
#include <stdint.h>

/* What a PNG's chunks say, as far as pass-through needs. */
typedef struct {
    int w, h, depth, ctype; /* IHDR: bit depth, colour type (0 gray, 2 RGB, 3 palette) */
    int interlaced, trns;   /* Adam7; a tRNS chunk */
    int valid;              /* chunks and CRCs right, IEND there, IDATs in one run opening a zlib stream */
    int ok;                 /* valid and can pass through (see above) */
    const unsigned char *plte; /* palette entries (RGB triples) in the file, or NULL */
    int nplte;
    size_t idat_bytes;      /* IDAT data, all chunks together */
} dk_pngpass_info;

/*
 * Read the chunk structure of the PNG file `p` (n bytes): IHDR, CRCs, IEND.
 * Fills `info`; info->ok says whether the file can pass through.
 */
void dk_pngpass_scan(const unsigned char *p, size_t n, dk_pngpass_info *info);

/*
 * The stand-in MIME data for the PNG file `p` (scanned `info`, ok): the
 * forged JPEG header, then the IDAT data. Malloc'd (*len bytes); NULL on OOM.
 */
unsigned char *dk_pngpass_standin(const unsigned char *p, size_t n, const dk_pngpass_info *info,
                                  size_t *len);

/*
 * Copy the IDAT chunks' data of the PNG file `p` (n bytes, scanned valid) to `out`, in order:
 * the zlib stream, info->idat_bytes long. Returns the bytes copied.
 */
size_t dk_pngpass_idat(const unsigned char *p, size_t n, unsigned char *out);

/* A stand-in parsed back (by writer/pdffix.c). */
typedef struct {
    int w, h, depth, ctype;
    const unsigned char *plte; /* points into the data */
    int nplte;
    const unsigned char *idat; /* the zlib stream, points into the data */
    size_t nidat;
} dk_pngpass_standin_info;

/* Is `p` (n bytes) a stand-in? Fills `si` when it is (1), 0 otherwise. */
int dk_pngpass_parse(const unsigned char *p, size_t n, dk_pngpass_standin_info *si);

/* Might the file `p` (n bytes, cairo's PDF) hold a stand-in? (A quick scan for the magic.) */
int dk_pngpass_present(const void *p, size_t n);

/* PDF's /Colors for a PNG colour type: 1 gray, 3 RGB, 1 palette. */
int dk_pngpass_colors(int ctype);

#endif
