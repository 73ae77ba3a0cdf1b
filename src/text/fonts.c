/*
 * text/fonts.c — deckle's private fontconfig configuration.
 *
 * Design note. fontconfig's usual entry points (FcInit, FcInitLoadConfig)
 * read /etc/fonts/fonts.conf, which pulls in conf.d/, local.conf and the
 * user's ~/.fonts.conf and scans every installed font. A slide laid out on
 * one machine would then break its lines differently on another. So we start
 * from FcConfigCreate(), an empty configuration, and put in only:
 *
 *   1. the rules below, parsed from memory (no file is ever read): the CSS
 *      generic families, "anything else falls back to sans-serif", and the
 *      rendering settings (no hinting, grey antialiasing), so that PNG and PDF
 *      output are identical wherever they are made;
 *   2. every font in `<data_dir>/fonts/` as an application font: the bundled
 *      DejaVu Sans and DejaVu Sans Mono, which the default theme uses;
 *   3. a fixed list of fallback font files that Debian packages install
 *      (fonts-noto-color-emoji, fonts-noto-core, fonts-noto-cjk), each added
 *      only if present: emoji, and scripts DejaVu Sans lacks. Pango asks
 *      fontconfig for a sorted list and takes, per character, the first font
 *      that covers it, so these are only used for what DejaVu cannot draw.
 *
 * We set no <cachedir>: nothing is written to disk, and the bundled files are
 * scanned at start-up (a few milliseconds for six files). They are added one
 * by one, in name order, because FcConfigAppFontAddDir would try to write a
 * cache and complain "No writable cache directories" on stderr. Rescanning
 * is switched off, since the font set never changes during a run.
 *
 * What we do not do: pick up fonts a user installed, or honour their
 * fontconfig tweaks. A theme that wants another font ships it in fonts/.
 */
#define _POSIX_C_SOURCE 200809L
#include "fonts.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef DK_SOURCE_DATA
#define DK_SOURCE_DATA ""
#endif
#ifndef DK_INSTALL_DATA
#define DK_INSTALL_DATA "/usr/local/share/deckle"
#endif

/*
 * Fallback fonts from Debian packages, in the order they are added. Each is
 * optional. The Noto Sans script fonts come as Regular and Bold in
 * fonts-noto-core (a few scripts as Regular only; fontconfig emboldens
 * them); fonts-noto-extra only adds further weights, which CSS bold/normal
 * never needs, so it is not listed. Noto Sans CJK is one collection per
 * weight holding the JP, KR, SC, TC and HK faces; pango.c picks the face
 * from the text's lang. Only scripts DejaVu Sans lacks are listed: Latin,
 * Greek and Cyrillic stay in the theme's font.
 */
#define NOTO "/usr/share/fonts/truetype/noto/"
#define NOTO_CJK "/usr/share/fonts/opentype/noto/"
static const struct {
    const char *package, *path;
} fallback_files[] = {
    {"fonts-noto-color-emoji", NOTO "NotoColorEmoji.ttf"},
    {"fonts-noto-core", NOTO "NotoSansArabic-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansArabic-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansHebrew-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansHebrew-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansDevanagari-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansDevanagari-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansBengali-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansBengali-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansGurmukhi-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansGurmukhi-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansGujarati-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansGujarati-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansOriya-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansOriya-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansTamil-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansTamil-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansTelugu-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansTelugu-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansKannada-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansKannada-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansMalayalam-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansMalayalam-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansSinhala-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansSinhala-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansThai-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansThai-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansLao-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansLao-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansKhmer-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansKhmer-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansMyanmar-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansMyanmar-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansArmenian-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansArmenian-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansGeorgian-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansGeorgian-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansEthiopic-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansEthiopic-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansThaana-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansThaana-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansCherokee-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansCherokee-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansCanadianAboriginal-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansCanadianAboriginal-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansJavanese-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansJavanese-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansBalinese-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansBalinese-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansOlChiki-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansOlChiki-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansAdlam-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansAdlam-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansSymbols-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansSymbols-Bold.ttf"},
    {"fonts-noto-core", NOTO "NotoSansSyriac-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansMongolian-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansNKo-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansTifinagh-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansYi-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansMath-Regular.ttf"},
    {"fonts-noto-core", NOTO "NotoSansSymbols2-Regular.ttf"},
    {"fonts-noto-cjk", NOTO_CJK "NotoSansCJK-Regular.ttc"},
    {"fonts-noto-cjk", NOTO_CJK "NotoSansCJK-Bold.ttc"},
};

/*
 * The rules. "binding=same" makes the aliased family as strong as a family
 * the author named. A family that is none of the generic ones gets
 * sans-serif appended (like fontconfig's own 49-sansserif.conf), so
 * "font-family: Helvetica" ends up in DejaVu Sans rather than in whatever
 * font sorts first.
 */
static const char config_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
    "<fontconfig>\n"
    "  <config><rescan><int>0</int></rescan></config>\n"
    "  <match target=\"pattern\">\n"
    "    <test qual=\"all\" name=\"family\" compare=\"not_eq\"><string>sans-serif</string></test>\n"
    "    <test qual=\"all\" name=\"family\" compare=\"not_eq\"><string>serif</string></test>\n"
    "    <test qual=\"all\" name=\"family\" compare=\"not_eq\"><string>monospace</string></test>\n"
    "    <test qual=\"all\" name=\"family\" compare=\"not_eq\"><string>system-ui</string></test>\n"
    "    <test qual=\"all\" name=\"family\" compare=\"not_eq\"><string>emoji</string></test>\n"
    "    <edit name=\"family\" mode=\"append_last\"><string>sans-serif</string></edit>\n"
    "  </match>\n"
    "  <alias binding=\"same\"><family>sans-serif</family>"
    "<prefer><family>DejaVu Sans</family></prefer></alias>\n"
    "  <alias binding=\"same\"><family>serif</family>"
    "<prefer><family>DejaVu Sans</family></prefer></alias>\n"
    "  <alias binding=\"same\"><family>system-ui</family>"
    "<prefer><family>DejaVu Sans</family></prefer></alias>\n"
    "  <alias binding=\"same\"><family>monospace</family>"
    "<prefer><family>DejaVu Sans Mono</family></prefer></alias>\n"
    "  <alias binding=\"same\"><family>emoji</family>"
    "<prefer><family>Noto Color Emoji</family></prefer>"
    "<default><family>sans-serif</family></default></alias>\n"
    "  <match target=\"font\">\n"
    "    <edit name=\"antialias\" mode=\"assign\"><bool>true</bool></edit>\n"
    "    <edit name=\"hinting\" mode=\"assign\"><bool>false</bool></edit>\n"
    "    <edit name=\"hintstyle\" mode=\"assign\"><const>hintnone</const></edit>\n"
    "    <edit name=\"autohint\" mode=\"assign\"><bool>false</bool></edit>\n"
    "    <edit name=\"rgba\" mode=\"assign\"><const>none</const></edit>\n"
    "    <edit name=\"lcdfilter\" mode=\"assign\"><const>lcdnone</const></edit>\n"
    "  </match>\n"
    /* cairo 1.16 draws nothing for colour bitmap glyphs loaded without hinting */
    "  <match target=\"font\">\n"
    "    <test name=\"color\" compare=\"eq\"><bool>true</bool></test>\n"
    "    <edit name=\"hinting\" mode=\"assign\"><bool>true</bool></edit>\n"
    "    <edit name=\"hintstyle\" mode=\"assign\"><const>hintslight</const></edit>\n"
    "  </match>\n"
    /* bitmap fonts (Noto Color Emoji has one 109 px strike): scale the strike to the
       requested size, as fontconfig's 10-scale-bitmap-fonts.conf does; without it an
       emoji is drawn and advanced at 109 px whatever the font size */
    "  <match target=\"font\">\n"
    "    <test name=\"outline\" compare=\"eq\"><bool>false</bool></test>\n"
    "    <edit name=\"pixelsizefixupfactor\" mode=\"assign\"><divide>"
    "<name target=\"pattern\">pixelsize</name><name target=\"font\">pixelsize</name>"
    "</divide></edit>\n"
    "  </match>\n"
    "  <match target=\"font\">\n"
    "    <test name=\"outline\" compare=\"eq\"><bool>false</bool></test>\n"
    "    <test name=\"pixelsizefixupfactor\" compare=\"not_eq\"><double>1.0</double></test>\n"
    "    <edit name=\"matrix\" mode=\"assign\"><times><name>matrix</name><matrix>"
    "<name>pixelsizefixupfactor</name><double>0</double>"
    "<double>0</double><name>pixelsizefixupfactor</name></matrix></times></edit>\n"
    "    <edit name=\"size\" mode=\"assign\"><divide><name>size</name>"
    "<name>pixelsizefixupfactor</name></divide></edit>\n"
    "  </match>\n"
    "</fontconfig>\n";

static int is_dir(const char *path) {
    struct stat st;
    return path && *path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *dk_data_dir(void) {
    const char *env = getenv("DECKLE_DATA");
    if (env && *env) return env;
    if (is_dir(DK_SOURCE_DATA "/fonts")) return DK_SOURCE_DATA;
    return DK_INSTALL_DATA;
}

static int app_font_count(FcConfig *fc) {
    FcFontSet *set = FcConfigGetFonts(fc, FcSetApplication);
    return set ? set->nfont : 0;
}

static int has_font_ext(const char *name) {
    static const char *const exts[] = {".ttf", ".otf", ".ttc", ".otc", ".TTF", ".OTF"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if (n > 4 && strcmp(name + n - 4, exts[i]) == 0) return 1;
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_font_entry(const struct dirent *e) {
    return e->d_name[0] != '.' && has_font_ext(e->d_name);
}

/*
 * Add every font file directly in `dir` (no subfolders), in name order.
 * DK_ENOMEM on allocation failure; a folder that cannot be read adds nothing.
 */
static dk_status add_font_dir(FcConfig *fc, const char *dir) {
    dk_status st = DK_OK;
    struct dirent **names = NULL;
    int n = scandir(dir, &names, is_font_entry, by_name);
    for (int i = 0; i < n; i++) {
        size_t dl = strlen(dir), fl = strlen(names[i]->d_name);
        char *path = malloc(dl + fl + 2);
        if (!path) {
            st = DK_ENOMEM;
        } else {
            memcpy(path, dir, dl);
            path[dl] = '/';
            memcpy(path + dl + 1, names[i]->d_name, fl + 1);
            if (is_file(path)) FcConfigAppFontAddFile(fc, (const FcChar8 *)path);
            free(path);
        }
        free(names[i]);
    }
    free(names);
    return st;
}

dk_status dk_fonts_new(dk_ctx *ctx, const char *data_dir, FcConfig **out) {
    dk_status st = DK_OK;
    char *dir = NULL;
    FcConfig *fc = NULL;
    *out = NULL;

    size_t n = strlen(data_dir);
    dir = malloc(n + sizeof "/fonts");
    if (!dir) {
        st = DK_ENOMEM;
        goto done;
    }
    memcpy(dir, data_dir, n);
    memcpy(dir + n, "/fonts", sizeof "/fonts");

    fc = FcConfigCreate();
    if (!fc) {
        st = DK_ENOMEM;
        goto done;
    }
    if (!FcConfigParseAndLoadFromMemory(fc, (const FcChar8 *)config_xml, FcTrue)) {
        /* our own constant text: only fails when fontconfig cannot allocate */
        st = DK_ENOMEM;
        goto done;
    }
    /* The system set: empty, as the rules name no <dir>. */
    if (!FcConfigBuildFonts(fc)) {
        st = DK_ENOMEM;
        goto done;
    }

    st = add_font_dir(fc, dir);
    if (st != DK_OK) goto done;
    if (app_font_count(fc) == 0) {
        dk_diag_error(ctx, DK_NOPOS, "no fonts found in '%s' (set DECKLE_DATA to the folder "
                      "holding deckle's fonts/ and themes/)", dir);
        st = DK_EIO;
        goto done;
    }

    /* missing fallback fonts: one note naming the packages (with --verbose) */
    dk_buf missing = {0};
    int nmissing = 0;
    for (size_t i = 0; i < sizeof fallback_files / sizeof *fallback_files; i++) {
        const char *f = fallback_files[i].path, *pkg = fallback_files[i].package;
        if (is_file(f) && FcConfigAppFontAddFile(fc, (const FcChar8 *)f)) continue;
        nmissing++;
        if (!missing.p || !strstr(missing.p, pkg)) dk_buf_printf(&missing, " %s", pkg);
    }
    if (nmissing && ctx->verbose && !missing.oom)
        dk_diag(ctx, DK_DIAG_NOTE, DK_NOPOS,
                "%d fallback font file%s not installed (packages:%s); text in those scripts may "
                "show missing-glyph boxes", nmissing, nmissing == 1 ? "" : "s", missing.p);
    dk_buf_free(&missing);

done:
    free(dir);
    if (st != DK_OK && fc) {
        FcConfigDestroy(fc);
        fc = NULL;
    }
    *out = fc;
    return st;
}

void dk_fonts_free(FcConfig *fc) {
    if (fc) FcConfigDestroy(fc);
}
