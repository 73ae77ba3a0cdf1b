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
 * The cache. fontconfig parses every face of a file it is handed with
 * FcConfigAppFontAddFile (charset, languages, names), and the fallback list
 * holds ~60 files plus two CJK collections of ten faces each: about 0.1 s of
 * CPU and ~20,000 read/lseek calls on every run. Only folders added with
 * FcConfigAppFontAddDir use fontconfig's cache, so we make a folder of our
 * own, `$XDG_CACHE_HOME/deckle/fonts-<hash>/` (else `~/.cache/deckle/`),
 * holding one symbolic link per font file: `b-000-<name>` for the bundled
 * fonts, then `f-000-<name>` ... for the installed fallback files, so that
 * fontconfig's name-ordered scan adds them in exactly the order above. Its
 * cache goes to `<that folder>/../fontconfig/` through a <cachedir> rule.
 * The hash covers every linked file's path, device, inode, size and mtime,
 * so an added, removed or updated font gives a new folder (and a fresh
 * scan) instead of a stale cache. The folder is built under a temporary
 * name and renamed, so parallel workers never see half of it. When no cache
 * folder can be made or written (no HOME, a read-only home), we fall back to
 * adding the files one by one as before: same fonts, same order, no cache,
 * nothing written and no "No writable cache directories" complaint.
 * Rescanning is switched off, since the font set never changes during a run.
 *
 * What we do not do: pick up fonts a user installed, or honour their
 * fontconfig tweaks. A theme that wants another font ships it in fonts/.
 */
#define _XOPEN_SOURCE 700
#include "fonts.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* malloc'd "a/b" (a NULL on allocation failure). */
static char *join(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    char *p = malloc(na + nb + 2);
    if (!p) return NULL;
    memcpy(p, a, na);
    p[na] = '/';
    memcpy(p + na + 1, b, nb + 1);
    return p;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/*
 * The font files in `dir` (no subfolders), in name order, as malloc'd paths
 * in *out (count returned; -1 on allocation failure). A folder that cannot
 * be read holds none.
 */
static int list_font_dir(const char *dir, char ***out) {
    struct dirent **names = NULL;
    int n = scandir(dir, &names, is_font_entry, by_name), k = 0, bad = 0;
    *out = NULL;
    if (n <= 0) return 0;
    char **v = calloc((size_t)n, sizeof *v);
    for (int i = 0; i < n; i++) {
        char *path = v ? join(dir, names[i]->d_name) : NULL;
        if (!path) bad = 1;
        else if (is_file(path)) v[k++] = path;
        else free(path);
        free(names[i]);
    }
    free(names);
    if (bad) {
        for (int i = 0; i < k; i++) free(v[i]);
        free(v);
        return -1;
    }
    *out = v;
    return k;
}

/* 64-bit FNV-1a, fed piece by piece. */
static void fnv(uint64_t *h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) *h = (*h ^ b[i]) * 0x100000001b3ull;
}

/* mkdir -p (mode 0700 for what it makes); 0 when `path` is a folder at the end. */
static int make_dirs(char *path) {
    for (char *q = path + 1;; q++) {
        if (*q != '/' && *q) continue;
        char c = *q;
        *q = 0;
        int ok = mkdir(path, 0700) == 0 || errno == EEXIST;
        *q = c;
        if (!ok) return -1;
        if (!c) break;
    }
    return is_dir(path) ? 0 : -1;
}

/* The files to link, in order: bundled as "b-NNN-name", fallback as "f-NNN-name" (NNN: list index). */
typedef struct {
    char **bundled;
    int nbundled;
    const char *fallback[sizeof fallback_files / sizeof *fallback_files];
} font_files;

static void link_name(char *out, size_t cap, const font_files *ff, int i) {
    if (i < ff->nbundled) snprintf(out, cap, "b-%03d-%s", i, base_name(ff->bundled[i]));
    else snprintf(out, cap, "f-%03d-%s", i - ff->nbundled, base_name(ff->fallback[i - ff->nbundled]));
}

static const char *link_target(const font_files *ff, int i) {
    return i < ff->nbundled ? ff->bundled[i] : ff->fallback[i - ff->nbundled];
}

/* Remove the links in `dir` (made by build_links) and the folder itself. */
static void remove_links(const char *dir) {
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (e->d_name[0] != '.') {
                char *p = join(dir, e->d_name);
                if (p) unlink(p);
                free(p);
            }
        closedir(d);
    }
    rmdir(dir);
}

/*
 * The cached link folder for `ff` (see the design note): made when missing,
 * malloc'd path returned, with *fc_cache set to fontconfig's cache folder.
 * NULL (nothing to undo) when there is no usable, writable cache folder.
 */
static char *link_dir(const font_files *ff, char **fc_cache) {
    char *root = NULL, *dir = NULL, *tmp = NULL;
    *fc_cache = NULL;
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/') root = join(xdg, "deckle");
    else if (home && home[0] == '/') root = join(home, ".cache/deckle");
    if (!root) return NULL;
    *fc_cache = join(root, "fontconfig");
    if (!*fc_cache || make_dirs(*fc_cache) != 0 || access(*fc_cache, W_OK) != 0) goto fail;

    int total = ff->nbundled;
    for (size_t i = 0; i < sizeof ff->fallback / sizeof *ff->fallback; i++)
        if (ff->fallback[i]) total++;
    uint64_t h = 0xcbf29ce484222325ull;
    fnv(&h, "deckle-fonts-1", 15);
    char name[320];
    for (int i = 0; i < ff->nbundled + (int)(sizeof ff->fallback / sizeof *ff->fallback); i++) {
        if (i >= ff->nbundled && !ff->fallback[i - ff->nbundled]) continue;
        /* the path as given and the file it leads to (stat follows links): no realpath,
           whose readlink per path component cost ~400 system calls a run */
        struct stat st;
        const char *t = link_target(ff, i);
        if (stat(t, &st) != 0) goto fail;
        link_name(name, sizeof name, ff, i);
        fnv(&h, name, strlen(name) + 1);
        fnv(&h, t, strlen(t) + 1);
        int64_t key[6] = {(int64_t)st.st_dev, (int64_t)st.st_ino, (int64_t)st.st_size,
                          (int64_t)st.st_mtim.tv_sec, (int64_t)st.st_mtim.tv_nsec, total};
        fnv(&h, key, sizeof key);
    }
    char leaf[64];
    snprintf(leaf, sizeof leaf, "fonts-%016llx", (unsigned long long)h);
    if (!(dir = join(root, leaf))) goto fail;
    if (is_dir(dir)) goto done;

    snprintf(leaf + strlen(leaf), sizeof leaf - strlen(leaf), ".tmp-%ld", (long)getpid());
    if (!(tmp = join(root, leaf))) goto fail;
    remove_links(tmp); /* left over by a crashed run with our pid */
    if (mkdir(tmp, 0700) != 0) goto fail;
    for (int i = 0; i < ff->nbundled + (int)(sizeof ff->fallback / sizeof *ff->fallback); i++) {
        if (i >= ff->nbundled && !ff->fallback[i - ff->nbundled]) continue;
        link_name(name, sizeof name, ff, i);
        char *lp = join(tmp, name), *t = realpath(link_target(ff, i), NULL);
        int ok = lp && t && symlink(t, lp) == 0;
        free(lp);
        free(t);
        if (!ok) {
            remove_links(tmp);
            goto fail;
        }
    }
    if (rename(tmp, dir) != 0) {
        remove_links(tmp);   /* another worker made it first: use theirs */
        if (!is_dir(dir)) goto fail;
    }
done:
    free(tmp);
    free(root);
    return dir;
fail:
    free(tmp);
    free(dir);
    free(root);
    free(*fc_cache);
    *fc_cache = NULL;
    return NULL;
}

/* `s` with &, <, > and " escaped for XML text. */
static void xml_text(dk_buf *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&': dk_buf_adds(b, "&amp;"); break;
        case '<': dk_buf_adds(b, "&lt;"); break;
        case '>': dk_buf_adds(b, "&gt;"); break;
        case '"': dk_buf_adds(b, "&quot;"); break;
        default: dk_buf_addc(b, *s);
        }
    }
}

/*
 * Add the fonts through the cached link folder: bundled count in *nbundled,
 * loaded[i] set for each fallback file that gave a font. 0 when the cache
 * route is not available or failed (then `fc` is unchanged, or must be
 * rebuilt when *dirty is set); 1 on success.
 */
static int add_cached(FcConfig *fc, const font_files *ff, int *nbundled, int *loaded, int *dirty) {
    char *fc_cache = NULL, *dir = link_dir(ff, &fc_cache);
    int ok = 0;
    dk_buf xml = {0};
    *dirty = 0;
    if (!dir) return 0;
    dk_buf_adds(&xml, "<?xml version=\"1.0\"?>\n<fontconfig><cachedir>");
    xml_text(&xml, fc_cache);
    dk_buf_adds(&xml, "</cachedir></fontconfig>\n");
    if (xml.oom || !FcConfigParseAndLoadFromMemory(fc, (const FcChar8 *)xml.p, FcTrue)) goto done;
    *dirty = 1;
    if (!FcConfigAppFontAddDir(fc, (const FcChar8 *)dir)) goto done;
    /*
     * The fonts name their link as their file, which FreeType opens through
     * the link; nothing else reads the path (the HTML export scans fonts/
     * itself). They used to be given back their own paths here: a copy of
     * every pattern, 1.7 million instructions a run.
     */
    FcFontSet *set = FcConfigGetFonts(fc, FcSetApplication);
    for (int i = 0; set && i < set->nfont; i++) {
        FcChar8 *file = NULL;
        if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch) continue;
        const char *b = base_name((const char *)file);
        int k = atoi(b + 2);
        if (b[0] == 'b' && b[1] == '-' && k >= 0 && k < ff->nbundled)
            (*nbundled)++;
        else if (b[0] == 'f' && b[1] == '-' && k >= 0 &&
                 k < (int)(sizeof fallback_files / sizeof *fallback_files))
            loaded[k] = 1;
    }
    ok = 1;
done:
    dk_buf_free(&xml);
    free(dir);
    free(fc_cache);
    return ok;
}

/* A fresh configuration holding the rules only; NULL when fontconfig cannot allocate. */
static FcConfig *new_config(void) {
    FcConfig *fc = FcConfigCreate();
    if (!fc) return NULL;
    /* our own constant text: only fails when fontconfig cannot allocate */
    if (!FcConfigParseAndLoadFromMemory(fc, (const FcChar8 *)config_xml, FcTrue) ||
        /* the system set: empty, as the rules name no <dir> */
        !FcConfigBuildFonts(fc)) {
        FcConfigDestroy(fc);
        return NULL;
    }
    return fc;
}

dk_status dk_fonts_new(dk_ctx *ctx, const char *data_dir, FcConfig **out) {
    dk_status st = DK_OK;
    char *dir = NULL;
    FcConfig *fc = NULL;
    font_files ff = {0};
    enum { NFALLBACK = sizeof fallback_files / sizeof *fallback_files };
    int loaded[NFALLBACK] = {0}, nbundled = 0, dirty = 0;
    *out = NULL;

    dir = join(data_dir, "fonts");
    if (!dir) {
        st = DK_ENOMEM;
        goto done;
    }
    ff.nbundled = list_font_dir(dir, &ff.bundled);
    if (ff.nbundled < 0) {
        ff.nbundled = 0;
        st = DK_ENOMEM;
        goto done;
    }
    for (int i = 0; i < NFALLBACK; i++)
        if (is_file(fallback_files[i].path)) ff.fallback[i] = fallback_files[i].path;

    if (!(fc = new_config())) {
        st = DK_ENOMEM;
        goto done;
    }
    if (ff.nbundled > 0 && !add_cached(fc, &ff, &nbundled, loaded, &dirty)) {
        /* no cache: parse every file on every run */
        if (dirty) {
            FcConfigDestroy(fc);
            if (!(fc = new_config())) {
                st = DK_ENOMEM;
                goto done;
            }
        }
        nbundled = 0;
        for (int i = 0; i < ff.nbundled; i++) FcConfigAppFontAddFile(fc, (const FcChar8 *)ff.bundled[i]);
        nbundled = app_font_count(fc);
        for (int i = 0; i < NFALLBACK && nbundled; i++)
            loaded[i] = ff.fallback[i] && FcConfigAppFontAddFile(fc, (const FcChar8 *)ff.fallback[i]);
    }
    if (nbundled == 0) {
        dk_diag_error_code(ctx, DK_NOPOS, "fonts-missing",
                           "no fonts found in '%s' (set DECKLE_DATA to the folder "
                           "holding deckle's fonts/ and themes/)", dir);
        st = DK_EIO;
        goto done;
    }

    /* missing fallback fonts: one note naming the packages (with --verbose) */
    dk_buf missing = {0};
    int nmissing = 0;
    for (int i = 0; i < NFALLBACK; i++) {
        const char *pkg = fallback_files[i].package;
        if (loaded[i]) continue;
        nmissing++;
        if (!missing.p || !strstr(missing.p, pkg)) dk_buf_printf(&missing, " %s", pkg);
    }
    if (nmissing && ctx->verbose && !missing.oom)
        dk_diag(ctx, DK_DIAG_NOTE, DK_NOPOS,
                "%d fallback font file%s not installed (packages:%s); text in those scripts may "
                "show missing-glyph boxes", nmissing, nmissing == 1 ? "" : "s", missing.p);
    dk_buf_free(&missing);

done:
    for (int i = 0; i < ff.nbundled; i++) free(ff.bundled[i]);
    free(ff.bundled);
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
