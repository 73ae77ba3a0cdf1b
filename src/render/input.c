/*
 * Checking and normalising a deck's bytes before anything parses them.
 *
 * Every later stage takes the deck as UTF-8 text with no NUL bytes (C
 * strings are made from its pieces), so this is the one gate:
 *
 *   too large       more than DK_LIMIT_DECK_BYTES: an error, nothing rendered
 *   binary          a known binary signature (PDF, PNG, ZIP, ELF, ...) or many
 *                   control characters in the first 8 KB: an error
 *   UTF-16          (a byte-order mark says so) decoded, with a warning
 *   UTF-8 BOM       dropped silently (editors on Windows write one)
 *   Latin-1         not UTF-8 at all (high bytes, not one valid multi-byte
 *                   sequence): decoded as Windows-1252, one warning
 *   invalid UTF-8   in otherwise UTF-8 text: each bad sequence becomes U+FFFD,
 *                   a warning at the first few places (line:col) and a count
 *   NUL             becomes U+FFFD, one warning at the first
 *   CR alone        (old Mac line ends) becomes LF; CRLF is left to deck/
 *
 * The warnings point into the normalised text, which is what every later
 * message points into as well; replacements keep lines and (character)
 * columns where they were.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* Windows-1252's 0x80-0x9F; undefined bytes map to their Latin-1 C1 control. */
static const unsigned short cp1252[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static void put_cp(dk_buf *b, unsigned cp) {
    char u[4];
    size_t k;
    if (cp < 0x80) u[0] = (char)cp, k = 1;
    else if (cp < 0x800) u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), k = 2;
    else if (cp < 0x10000)
        u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3F)),
        u[2] = (char)(0x80 | (cp & 0x3F)), k = 3;
    else
        u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3F)),
        u[2] = (char)(0x80 | (cp >> 6 & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), k = 4;
    dk_buf_add(b, u, k);
}

/*
 * Length of the valid UTF-8 sequence at p (at most n bytes), or 0 when it is
 * not one (overlong forms, surrogates and code points past U+10FFFF are not).
 */
static size_t utf8_len(const unsigned char *p, size_t n) {
    unsigned c = p[0];
    if (c < 0x80) return 1;
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (!k || c > 0xF4 || n < k) return 0;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;  /* overlong */
    if (c == 0xED && p[1] >= 0xA0) return 0; /* surrogate */
    if (c == 0xF0 && p[1] < 0x90) return 0;  /* overlong */
    if (c == 0xF4 && p[1] >= 0x90) return 0; /* past U+10FFFF */
    return k;
}

/* Does the start of the file look like something other than text? */
static const char *binary_kind(const unsigned char *p, size_t n) {
    static const struct {
        const char *sig;
        size_t n;
        const char *kind;
    } sigs[] = {
        {"%PDF-", 5, "a PDF file"},     {"\x89PNG", 4, "a PNG image"},
        {"\xFF\xD8\xFF", 3, "a JPEG image"}, {"GIF8", 4, "a GIF image"},
        {"PK\x03\x04", 4, "a ZIP archive (.docx, .pptx, .odp?)"},
        {"\x7F" "ELF", 4, "a program"},  {"\x1F\x8B", 2, "a gzip archive"},
        {"\xD0\xCF\x11\xE0", 4, "an old Office document"},
        {"RIFF", 4, "a RIFF file (WebP, WAV, AVI)"},
    };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (n >= sigs[i].n && memcmp(p, sigs[i].sig, sigs[i].n) == 0) return sigs[i].kind;
    /* text has few control characters; binary data has many (NUL above all) */
    size_t m = n < 8192 ? n : 8192, ctl = 0, nul = 0;
    for (size_t i = 0; i < m; i++) {
        if (p[i] == 0) nul++;
        else if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r' && p[i] != '\f')
            ctl++;
    }
    if ((nul >= 8 && nul * 100 > m) || (nul + ctl >= 32 && (nul + ctl) * 20 > m))
        return "binary data"; /* a stray NUL or two in a text is replaced, below */
    return NULL;
}

/* UTF-16 (with its byte-order mark) to UTF-8; lone surrogates become U+FFFD. */
static void from_utf16(const unsigned char *p, size_t n, int be, dk_buf *out) {
    for (size_t i = 2; i + 1 < n; i += 2) {
        unsigned u = be ? (unsigned)p[i] << 8 | p[i + 1] : (unsigned)p[i + 1] << 8 | p[i];
        if (u >= 0xD800 && u < 0xDC00 && i + 3 < n) {
            unsigned v = be ? (unsigned)p[i + 2] << 8 | p[i + 3] : (unsigned)p[i + 3] << 8 | p[i + 2];
            if (v >= 0xDC00 && v < 0xE000) {
                put_cp(out, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
                i += 2;
                continue;
            }
        }
        put_cp(out, u == 0 || (u >= 0xD800 && u < 0xE000) ? 0xFFFD : u);
    }
}

enum { MAX_PLACES = 5 }; /* invalid UTF-8 warned about one by one, then counted */

dk_status dk_input_prepare(dk_ctx *ctx, char **src, size_t *n) {
    const unsigned char *p = (const unsigned char *)*src;
    size_t len = *n;
    if (len > DK_LIMIT_DECK_BYTES) {
        dk_diag_error_code(ctx, DK_NOPOS, "input-too-large",
                           "the deck is larger than %u MB, the limit for a deck; nothing "
                           "rendered", DK_LIMIT_DECK_BYTES >> 20);
        return DK_EINPUT;
    }
    int utf16 = len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF));
    const char *kind = utf16 ? NULL : binary_kind(p, len);
    if (kind) {
        dk_diag_error_code(ctx, DK_NOPOS, "input-binary",
                           "this is %s, not a Markdown deck; nothing rendered", kind);
        return DK_EINPUT;
    }
    dk_buf out = {0};
    const char *decoded = NULL;
    size_t bad[MAX_PLACES], nbad = 0, nul_at = DK_NOPOS;
    if (utf16) {
        from_utf16(p, len, p[0] == 0xFE, &out);
        decoded = p[0] == 0xFE ? "UTF-16BE" : "UTF-16LE";
    } else {
        /* UTF-8 with mistakes, or no UTF-8 at all (then Latin-1 / Windows-1252)? */
        size_t valid_multi = 0, invalid = 0;
        for (size_t i = 0; i < len;) {
            if (len - i >= 8) {
                uint64_t w8;
                memcpy(&w8, p + i, 8);
                if (!(w8 & 0x8080808080808080u)) { /* eight ASCII bytes */
                    i += 8;
                    continue;
                }
            }
            size_t k = utf8_len(p + i, len - i);
            if (k > 1) valid_multi++;
            if (!k) invalid++;
            i += k ? k : 1;
        }
        if (!invalid && !memchr(p, 0, len) && !memchr(p, '\r', len)) return DK_OK; /* the usual */
        int latin1 = invalid && !valid_multi;
        if (latin1) decoded = "Windows-1252 (Latin-1)";
        size_t i = len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        if (i) dk_buf_add(&out, p, 3); /* deck/ drops the BOM; offsets stay as they were */
        while (i < len) {
            unsigned c = p[i];
            if (latin1 && c >= 0x80) {
                put_cp(&out, c < 0xA0 ? cp1252[c - 0x80] : c);
                i++;
                continue;
            }
            if (c == 0) {
                if (nul_at == DK_NOPOS) nul_at = out.n;
                put_cp(&out, 0xFFFD);
                i++;
                continue;
            }
            if (c == '\r' && (i + 1 >= len || p[i + 1] != '\n')) {
                dk_buf_addc(&out, '\n');
                i++;
                continue;
            }
            size_t k = utf8_len(p + i, len - i);
            if (!k) {
                if (nbad < MAX_PLACES) bad[nbad] = out.n;
                nbad++;
                put_cp(&out, 0xFFFD);
                i++;
                continue;
            }
            dk_buf_add(&out, p + i, k);
            i += k;
        }
    }
    if (!out.p) dk_buf_adds(&out, "");
    if (out.oom) {
        dk_buf_free(&out);
        return DK_ENOMEM;
    }
    if (out.n > DK_LIMIT_DECK_BYTES) { /* UTF-16 and Latin-1 grow when decoded */
        dk_buf_free(&out);
        dk_diag_error_code(ctx, DK_NOPOS, "input-too-large",
                           "the deck is over %u MB once decoded; decks are limited to %u MB",
                           DK_LIMIT_DECK_BYTES >> 20, DK_LIMIT_DECK_BYTES >> 20);
        return DK_EINPUT;
    }
    free(*src);
    *src = out.p;
    *n = out.n;
    ctx->src = out.p;
    ctx->src_len = out.n;
    if (decoded)
        dk_diag_warn_code(ctx, DK_NOPOS, "input-encoding",
                          "the deck is not UTF-8; read as %s (save it as UTF-8 to be sure)",
                          decoded);
    for (size_t k = 0; k < nbad && k < MAX_PLACES; k++)
        dk_diag_warn_code(ctx, bad[k], "input-invalid-utf8",
                          "invalid UTF-8 byte replaced with U+FFFD");
    if (nbad > MAX_PLACES)
        dk_diag_warn_code(ctx, DK_NOPOS, "input-invalid-utf8",
                          "%zu more invalid UTF-8 bytes replaced with U+FFFD", nbad - MAX_PLACES);
    if (nul_at != DK_NOPOS)
        dk_diag_warn_code(ctx, nul_at, "input-nul", "NUL byte in the deck replaced with U+FFFD");
    return DK_OK;
}
