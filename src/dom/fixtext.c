/*
 * Mojibake repair: UTF-8 bytes that someone decoded as Windows-1252 (or
 * Latin-1) and saved again as UTF-8. "🔗" is F0 9F 94 97; read as cp1252
 * those bytes are "ð", "Ÿ", "”", "—", and the file ends up with "ðŸ”—".
 *
 * The algorithm. Mojibake of a multi-byte character is a run of non-ASCII
 * characters (every byte of a UTF-8 sequence is >= 0x80), so we look at
 * each maximal run of non-ASCII code points on its own. A run is repaired
 * when each of its code points is one cp1252 byte (U+0080..U+00FF as
 * themselves for Latin-1 misreads and cp1252's five undefined bytes, plus
 * cp1252's 27 specials such as U+20AC -> 0x80) and those bytes form valid
 * UTF-8 with at least one multi-byte sequence. Real text almost never
 * passes: "café" gives E9 alone, "Ðóññêèé" gives D0 F3 ..., neither valid
 * UTF-8. A repaired run always has fewer code points, so a repair is always
 * "better". Double mojibake ("ÃƒÂ©") is undone by a second round.
 *
 * Guards against false repairs: a run that decodes to a single character
 * in U+0200..U+036F but ș ț (rare Latin Extended-B, IPA, modifier letters,
 * combining marks) is genuine
 * text, a capital and a punctuation mark as in "CAFÉ”" or "ÉTÉ»". Runs that
 * mix genuine characters with mojibake ("«ðŸ”—»", "naïveâ€™s") are repaired
 * only where three or four characters spell one UTF-8 sequence, which
 * genuine text practically never does.
 *
 * What we do not handle: a 2-byte sequence glued to a genuine accented
 * letter ("«Ã©»" stays), and other code pages (cp1251, MacRoman).
 */
#include "dom.h"

#include <string.h>

/* cp1252 bytes 0x80..0x9F; 0 where the byte is undefined */
static const unsigned short cp1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/*
 * Decode one UTF-8 character at s[0..n) (n > 0) into *cp; returns its
 * length, or 0 when the bytes are not valid UTF-8 (overlong forms,
 * surrogates and values past U+10FFFF are invalid).
 */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp) {
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) len = 2, c &= 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, c &= 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, c &= 0x07, min = 0x10000;
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return len;
}

/* The byte a cp1252 (or Latin-1) reader turned into `cp`, or -1. */
static int to_byte(unsigned cp) {
    if (cp < 0x100) return (int)cp; /* Latin-1, C1 controls, cp1252's undefined bytes */
    for (int i = 0; i < 32; i++)
        if (cp1252[i] == cp) return 0x80 + i;
    return -1;
}

/*
 * Is the run s[0..n) (non-ASCII, valid UTF-8) mojibake? Each character must
 * be a cp1252 byte, and those bytes must be UTF-8 (checked as they stream
 * by, with the same rules as utf8_decode) with a multi-byte sequence.
 */
static int is_mojibake_run(const unsigned char *s, size_t n) {
    unsigned acc = 0, min = 0;
    int need = 0, seqs = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        i += utf8_decode(s + i, n - i, &cp);
        int b = to_byte(cp);
        if (b < 0) return 0;
        if (need == 0) {
            if (b >= 0xC2 && b <= 0xDF) need = 1, acc = b & 0x1F, min = 0x80;
            else if (b >= 0xE0 && b <= 0xEF) need = 2, acc = b & 0x0F, min = 0x800;
            else if (b >= 0xF0 && b <= 0xF4) need = 3, acc = b & 0x07, min = 0x10000;
            else return 0; /* a continuation byte (or C0/C1, F5..FF) cannot start */
            continue;
        }
        if ((b & 0xC0) != 0x80) return 0;
        acc = acc << 6 | (b & 0x3F);
        if (--need == 0) {
            if (acc < min || acc > 0x10FFFF || (acc >= 0xD800 && acc <= 0xDFFF)) return 0;
            seqs++;
        }
    }
    /* one capital letter and a punctuation mark ("CAFÉ”", "ÉTÉ»", "È…") also form a 2-byte
       sequence, of rare Latin Extended-B letters (all but Romanian ș ț), IPA letters,
       modifiers or combining marks, which text hardly ever holds */
    if (seqs == 1 && acc >= 0x200 && acc <= 0x36F && !(acc >= 0x218 && acc <= 0x21B)) return 0;
    return need == 0 && seqs > 0;
}

/*
 * A 3- or 4-byte UTF-8 sequence spelled in cp1252 characters at s[0..n)?
 * Returns how many bytes of `s` it takes (0: none) and its bytes in out[].
 * Used inside runs that mix mojibake with genuine characters ("«ðŸ”—»"):
 * a lone 2-byte sequence is too likely to be genuine there ("É»"), three
 * or four cp1252 characters forming UTF-8 practically never are.
 */
static size_t long_seq(const unsigned char *s, size_t n, unsigned char out[4], int *nout) {
    size_t i = 0;
    unsigned cp;
    size_t l = utf8_decode(s, n, &cp);
    int b = l ? to_byte(cp) : -1;
    int need;
    unsigned acc, min;
    if (b >= 0xE0 && b <= 0xEF) need = 2, acc = (unsigned)b & 0x0F, min = 0x800;
    else if (b >= 0xF0 && b <= 0xF4) need = 3, acc = (unsigned)b & 0x07, min = 0x10000;
    else return 0;
    out[0] = (unsigned char)b;
    *nout = 1;
    i = l;
    while (need > 0) {
        if (i >= n || s[i] < 0x80) return 0;
        l = utf8_decode(s + i, n - i, &cp);
        b = l ? to_byte(cp) : -1;
        if (b < 0 || (b & 0xC0) != 0x80) return 0;
        acc = acc << 6 | ((unsigned)b & 0x3F);
        out[(*nout)++] = (unsigned char)b;
        i += l;
        need--;
    }
    if (acc < min || acc > 0x10FFFF || (acc >= 0xD800 && acc <= 0xDFFF)) return 0;
    return i;
}

/*
 * One round over s[0..n): write the text with every mojibake run turned
 * back into its bytes to `out` (NULL: only count) and return how many runs
 * were repaired; *outn is the new length. `out` may equal `s`: a repaired
 * run shrinks (one byte per character of two or more), so writing never
 * overtakes reading.
 */
static int fix_round(const unsigned char *s, size_t n, unsigned char *out, size_t *outn) {
    int fixed = 0;
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            if (out) out[j] = s[i];
            i++, j++;
            continue;
        }
        size_t e = i;
        while (e < n && s[e] >= 0x80) e++; /* a maximal run of non-ASCII characters */
        if (!is_mojibake_run(s + i, e - i)) {
            /* genuine characters, perhaps with long mojibake sequences glued on */
            while (i < e) {
                unsigned char seq[4];
                int ns = 0;
                size_t used = long_seq(s + i, e - i, seq, &ns);
                if (used) {
                    fixed++;
                    if (out) memcpy(out + j, seq, (size_t)ns);
                    j += (size_t)ns;
                    i += used;
                    continue;
                }
                unsigned cp;
                size_t l = utf8_decode(s + i, e - i, &cp);
                if (out) memmove(out + j, s + i, l);
                j += l;
                i += l;
            }
            continue;
        }
        fixed++;
        while (i < e) {
            unsigned cp;
            i += utf8_decode(s + i, e - i, &cp);
            if (out) out[j] = (unsigned char)to_byte(cp);
            j++;
        }
    }
    *outn = j;
    return fixed;
}

/*
 * Repair mojibake in s[0..n) into `out` (n+1 bytes, NUL-terminated); see
 * the note at the top. Returns the new length, or (size_t)-1 when there is
 * nothing to repair (or `s` is not valid UTF-8); then `out` is untouched.
 */
size_t dk_fix_mojibake(const char *s, size_t n, char *out) {
    const unsigned char *u = (const unsigned char *)s;
    unsigned char *o = (unsigned char *)out;
    size_t len;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t l = utf8_decode(u + i, n - i, &cp);
        if (!l) return (size_t)-1;
        i += l;
    }
    if (!fix_round(u, n, NULL, &len)) return (size_t)-1; /* dry run: leave `out` alone */
    fix_round(u, n, o, &len);
    fix_round(o, len, o, &len); /* double mojibake: a second round, in place */
    o[len] = 0;
    return len;
}
