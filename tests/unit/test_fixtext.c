/*
 * dom/fixtext.c: mojibake repair, both ways. Broken samples must come back;
 * genuine text in the same characters must stay untouched; and mangling
 * good text ourselves (UTF-8 bytes read as cp1252) must round-trip.
 */
#include "base/base.h"
#include "dom/dom.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

/* Repair `s`; the result, or NULL when nothing was repaired. Static buffer. */
static const char *fix(const char *s) {
    static char out[1024];
    size_t n = strlen(s);
    memset(out, 'Z', sizeof out);
    size_t m = dk_fix_mojibake(s, n, out);
    if (m == (size_t)-1) {
        CHECK(out[0] == 'Z'); /* untouched */
        return NULL;
    }
    CHECK(m <= n && out[m] == 0);
    return out;
}

/* UTF-8 -> "read as cp1252" -> UTF-8, the way the damage is done. */
static void mangle(const char *s, char *out) {
    static const unsigned short hi[32] = {
        0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178,
    };
    char *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned cp = *p >= 0x80 && *p < 0xA0 ? hi[*p - 0x80] : *p;
        if (cp < 0x80) *o++ = (char)cp;
        else if (cp < 0x800) *o++ = (char)(0xC0 | cp >> 6), *o++ = (char)(0x80 | (cp & 0x3F));
        else {
            *o++ = (char)(0xE0 | cp >> 12);
            *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
            *o++ = (char)(0x80 | (cp & 0x3F));
        }
    }
    *o = 0;
}

int main(void) {
    /* the samples */
    CHECK_STR(fix("ðŸ”—"), "🔗");
    CHECK_STR(fix("cafÃ©"), "café");
    CHECK_STR(fix("â€™"), "’");
    CHECK_STR(fix("Ã¼ber"), "über");
    CHECK_STR(fix("æ—¥æœ¬"), "日本");
    CHECK_STR(fix("ÃƒÂ©"), "é"); /* double */
    CHECK_STR(fix("café ðŸ”—"), "café 🔗"); /* run by run */
    CHECK_STR(fix("\n                ðŸ”— "), "\n                🔗 ");
    CHECK_STR(fix("Itâ€™s â€œquotedâ€\xC2\x9D"), "It’s “quoted”"); /* U+009D for 0x9D: undefined in cp1252 */
    CHECK_STR(fix("Ã\xC2\x81"), "Á"); /* C3 81, with 0x81 read as U+0081 (Latin-1) */

    /* real mojibake, as found in pasted text (cp1252 unless noted) */
    CHECK_STR(fix("Ð¡Ð»Ð°Ð²Ð° Ð£ÐºÑ€Ð°Ñ—Ð½Ñ–"), "Слава Україні");
    CHECK_STR(fix("×¢×‘×¨×™×ª"), "עברית");
    CHECK_STR(fix("Î•Î»Î»Î·Î½Î¹ÎºÎ¬"), "Ελληνικά");
    CHECK_STR(fix("Ù…Ø±Ø­Ø¨Ø§"), "مرحبا");
    CHECK_STR(fix("æ—¥æœ¬èªž"), "日本語");
    CHECK_STR(fix("ZÃ¼rich â€“ â€œGrÃ¼eziâ€\xC2\x9D"), "Zürich – “Grüezi”");
    CHECK_STR(fix("ðŸ˜€ ðŸ‘\xC2\x8DðŸ\xC2\x8F½"), "😀 👍🏽");
    CHECK_STR(fix("Itâ\xC2\x80\xC2\x99s"), "It’s");                    /* Latin-1 */
    CHECK_STR(fix("naÃ\xC2\x83Â¯ve cafÃ\xC2\x83Â©"), "naïve café"); /* Latin-1, twice */
    CHECK_STR(fix("ï»¿Title"), "\xEF\xBB\xBFTitle");                  /* a byte-order mark */
    /* glued to genuine characters: long sequences only */
    CHECK_STR(fix("«ðŸ”—»"), "«🔗»");
    CHECK_STR(fix("naïveâ€™s"), "naïve’s");
    CHECK_STR(fix("“â€””"), "“—”");
    CHECK_STR(fix("RomÃ¢nia, È™i È›arÄƒ"), "România, și țară"); /* ș ț are not rare */

    /* genuine text is never touched */
    static const char *const good[] = {
        "café", "naïve", "Ærøskøbing", "Größe", "¿Qué?", "£5 – €6", "Ðóññêèé", "Ελληνικά",
        "Русский", "日本語", "🔗 emoji 🎉", "plain ASCII", "", "€", "ÄÖÜ äöü ß", "Œuvre “quoted”",
        "© 2025 ™", "½ ¼ ¾", "naïve café résumé",
        /* a capital and punctuation also spell UTF-8 (U+0254, U+025B, U+0260, U+0245) */
        "“CAFÉ”", "L’ÉTÉ»", "L’ÉTÉ\xC2\xA0»", "CAFÉ…", "«Ça va?»", "São Paulo", "Dvořák",
        "ÀÉÎÕÜ", "PERCHÈ…", "Ångström", "Þórr", "¡Olé!", "«Ã©»",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        const char *r = fix(good[i]);
        CHECK(r == NULL);
        if (r) fprintf(stderr, "  changed: \"%s\" -> \"%s\"\n", good[i], r);
    }
    /* invalid UTF-8 is not ours to fix */
    CHECK(fix("caf\xE9") == NULL);
    CHECK(fix("\xF0\x9F\x94") == NULL);

    /* round trips: mangle once and twice, repair */
    static const char *const texts[] = {
        "🔗", "café", "naïve café résumé", "Größe", "日本語のテキスト", "’“”–—…", "Ærøskøbing",
        "Ðóññêèé", "¿Qué?", "£5 – €6", "Ελληνικά", "x 🎉 y 👍🏽 z", "Á Í Ï Ð Ý",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        char once[512], twice[1024];
        mangle(texts[i], once);
        mangle(once, twice);
        CHECK_STR(fix(once), texts[i]);
        CHECK_STR(fix(twice), texts[i]);
    }
    return dk_test_done();
}
