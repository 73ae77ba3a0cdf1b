/*
 * text/fonts: the private fontconfig configuration finds our bundled fonts
 * (and only those, for the families the theme names), maps the CSS generic
 * families, and falls back to Noto Color Emoji for emoji when it is installed.
 */
#define _XOPEN_SOURCE 700
#include "text/fonts.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

#ifndef DK_TEST_DATA
#error "compile with -DDK_TEST_DATA=\"<source>/tests\""
#endif

#define EMOJI_FILE "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"

/* The best match for a fontconfig name as pango would ask for it; owned by the caller. */
static FcPattern *match(FcConfig *fc, const char *name) {
    FcPattern *p = FcNameParse((const FcChar8 *)name);
    if (!p) return NULL;
    FcConfigSubstitute(fc, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult r;
    FcPattern *m = FcFontMatch(fc, p, &r);
    FcPatternDestroy(p);
    return m;
}

static const char *get_str(FcPattern *m, const char *obj) {
    FcChar8 *s = NULL;
    if (!m || FcPatternGetString(m, obj, 0, &s) != FcResultMatch) return NULL;
    return (const char *)s;
}

/* 1 when both paths name the same existing file. */
static int same_file(const char *a, const char *b) {
    char ra[PATH_MAX], rb[PATH_MAX];
    if (!a || !b || !realpath(a, ra) || !realpath(b, rb)) return 0;
    return strcmp(ra, rb) == 0;
}

static void test_bundled(FcConfig *fc) {
    FcPattern *m = match(fc, "DejaVu Sans:bold");
    CHECK(same_file(get_str(m, FC_FILE), DK_TEST_DATA "/../fonts/DejaVuSans-Bold.ttf"));
    CHECK_STR(get_str(m, FC_FAMILY), "DejaVu Sans");
    FcPatternDestroy(m);

    m = match(fc, "DejaVu Sans:italic");
    CHECK(same_file(get_str(m, FC_FILE), DK_TEST_DATA "/../fonts/DejaVuSans-Oblique.ttf"));
    FcPatternDestroy(m);

    m = match(fc, "sans-serif");
    CHECK_STR(get_str(m, FC_FAMILY), "DejaVu Sans");
    CHECK(same_file(get_str(m, FC_FILE), DK_TEST_DATA "/../fonts/DejaVuSans.ttf"));
    FcPatternDestroy(m);

    m = match(fc, "serif");
    CHECK_STR(get_str(m, FC_FAMILY), "DejaVu Sans");
    FcPatternDestroy(m);

    m = match(fc, "system-ui:bold");
    CHECK(same_file(get_str(m, FC_FILE), DK_TEST_DATA "/../fonts/DejaVuSans-Bold.ttf"));
    FcPatternDestroy(m);

    m = match(fc, "monospace");
    CHECK_STR(get_str(m, FC_FAMILY), "DejaVu Sans Mono");
    CHECK(same_file(get_str(m, FC_FILE), DK_TEST_DATA "/../fonts/DejaVuSansMono.ttf"));
    FcPatternDestroy(m);

    /* a family we do not have falls back to sans-serif, not to whatever sorts first */
    m = match(fc, "Helvetica");
    CHECK_STR(get_str(m, FC_FAMILY), "DejaVu Sans");
    FcPatternDestroy(m);

    /* rendering settings are the same everywhere */
    m = match(fc, "sans-serif");
    FcBool b = FcTrue;
    CHECK(FcPatternGetBool(m, FC_HINTING, 0, &b) == FcResultMatch && b == FcFalse);
    CHECK(FcPatternGetBool(m, FC_ANTIALIAS, 0, &b) == FcResultMatch && b == FcTrue);
    int rgba = -1;
    CHECK(FcPatternGetInteger(m, FC_RGBA, 0, &rgba) == FcResultMatch && rgba == FC_RGBA_NONE);
    FcPatternDestroy(m);

    /* nothing from the system folders except the fixed fallback list */
    FcFontSet *sys = FcConfigGetFonts(fc, FcSetSystem);
    CHECK(!sys || sys->nfont == 0);
    FcFontSet *app = FcConfigGetFonts(fc, FcSetApplication);
    CHECK(app != NULL);
    /* (each names its file, or the cache's link to it) */
    for (int i = 0; app && i < app->nfont; i++) {
        const char *f = get_str(app->fonts[i], FC_FILE);
        char real[PATH_MAX];
        CHECK(f && realpath(f, real) &&
              (strstr(real, "/fonts/DejaVuSans") || strncmp(real, "/usr/share/fonts/", 17) == 0));
    }
}

/* As pango does it: sort the fonts for a family and take the first that has the character. */
static char *first_covering(FcConfig *fc, const char *name, FcChar32 ch) {
    char *file = NULL;
    FcPattern *p = FcNameParse((const FcChar8 *)name);
    FcConfigSubstitute(fc, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult r;
    FcFontSet *set = FcFontSort(fc, p, FcTrue, NULL, &r);
    for (int i = 0; set && i < set->nfont && !file; i++) {
        FcCharSet *cs = NULL;
        if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch &&
            FcCharSetHasChar(cs, ch)) {
            const char *f = get_str(set->fonts[i], FC_FILE);
            file = f ? strdup(f) : NULL;
        }
    }
    if (set) FcFontSetDestroy(set);
    FcPatternDestroy(p);
    return file;
}

static void test_emoji(FcConfig *fc) {
    if (access(EMOJI_FILE, R_OK) != 0) {
        printf("skip: emoji fallback (%s not installed: apt-get install fonts-noto-color-emoji)\n",
               EMOJI_FILE);
        return;
    }
    char *f = first_covering(fc, "sans-serif", 0x1F517); /* LINK SYMBOL, the seed's 🔗 */
    CHECK(same_file(f, EMOJI_FILE));
    free(f);
    f = first_covering(fc, "DejaVu Sans:bold", 0x1F517);
    CHECK(same_file(f, EMOJI_FILE));
    free(f);
    /* plain letters stay in DejaVu Sans */
    f = first_covering(fc, "sans-serif", 'A');
    CHECK(same_file(f, DK_TEST_DATA "/../fonts/DejaVuSans.ttf"));
    free(f);

    FcPattern *m = match(fc, "emoji");
    CHECK_STR(get_str(m, FC_FAMILY), "Noto Color Emoji");
    FcPatternDestroy(m);
}

static void test_errors(void) {
    /* a data folder without fonts/ is a broken installation: DK_EIO and a message */
    dk_ctx ctx;
    dk_buf log = {0};
    dk_ctx_init(&ctx, "t.md", NULL, 0);
    ctx.log = &log;
    ctx.quiet = 1;
    ctx.err = fopen("/dev/null", "w");
    FcConfig *fc = (FcConfig *)1;
    CHECK(dk_fonts_new(&ctx, DK_TEST_DATA "/no-such-folder", &fc) == DK_EIO);
    CHECK(fc == NULL);
    CHECK(ctx.nerr == 1);
    CHECK(log.p && strstr(log.p, "no-such-folder/fonts"));
    if (ctx.err) fclose(ctx.err);
    dk_buf_free(&log);
    dk_fonts_free(NULL);
}

static void test_data_dir(void) {
    const char *old = getenv("DECKLE_DATA");
    char *saved = old ? strdup(old) : NULL;
    setenv("DECKLE_DATA", "/opt/somewhere", 1);
    CHECK_STR(dk_data_dir(), "/opt/somewhere");
    setenv("DECKLE_DATA", "", 1); /* empty means unset */
    const char *d = dk_data_dir();
    CHECK(d && *d && strcmp(d, "/opt/somewhere") != 0);
    if (saved) setenv("DECKLE_DATA", saved, 1);
    else unsetenv("DECKLE_DATA");
    free(saved);
}

int main(void) {
    dk_ctx ctx;
    dk_ctx_init(&ctx, "test_fonts", NULL, 0);
    FcConfig *fc = NULL;
    dk_status st = dk_fonts_new(&ctx, DK_TEST_DATA "/..", &fc);
    CHECK(st == DK_OK);
    CHECK(fc != NULL);
    if (fc) {
        test_bundled(fc);
        test_emoji(fc);
    }
    dk_fonts_free(fc);

    /* two configurations side by side do not notice each other */
    FcConfig *a = NULL, *b = NULL;
    CHECK(dk_fonts_new(&ctx, DK_TEST_DATA "/..", &a) == DK_OK);
    CHECK(dk_fonts_new(&ctx, DK_TEST_DATA "/..", &b) == DK_OK);
    dk_fonts_free(a);
    if (b) {
        FcPattern *m = match(b, "DejaVu Sans:bold");
        CHECK(same_file(get_str(m, FC_FILE), DK_TEST_DATA "/../fonts/DejaVuSans-Bold.ttf"));
        FcPatternDestroy(m);
    }
    dk_fonts_free(b);

    test_errors();
    test_data_dir();
    FcFini(); /* release fontconfig's internal caches, so leak checkers stay quiet */
    return dk_test_done();
}
