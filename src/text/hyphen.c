/*
 * Hyphenation with libhyphen (see hyphen.h).
 *
 * Dictionaries. Debian names them hyph_<ll>_<CC>.dic, with hyph_<ll>.dic
 * links for some languages only (en, de, fr, it, nl, pt, but not es or ru),
 * so for "es-MX" we try hyph_es_MX.dic, hyph_es.dic, then hyph_es_ES.dic
 * (the language's own country). Some dictionaries are UTF-8, others
 * ISO 8859-x (German): the word is converted to the dictionary's charset
 * and lower-cased first, as the patterns are lower case.
 *
 * Limits follow Chromium's defaults for `hyphenate-limit-chars: auto`:
 * words of at least 5 characters, at least 2 before and 2 after the
 * hyphen (or the dictionary's own, larger minima).
 */
#define _POSIX_C_SOURCE 200809L
#include "hyphen.h"

#include <glib.h>
#include <hyphen.h>
#include <stdlib.h>
#include <string.h>

#define MIN_WORD 5
#define MIN_SIDE 2
#define MAX_WORD 200 /* longer "words" (hashes, URLs without separators) are left alone */

typedef struct {
    char *lang;       /* lower-case tag as asked */
    HyphenDict *dict; /* NULL: no dictionary for it */
} entry;

struct dk_hyph {
    char *dir;
    entry *e;
    int n, cap;
};

dk_hyph *dk_hyph_new(const char *dir) {
    dk_hyph *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->dir = strdup(dir ? dir : "/usr/share/hyphen");
    if (!h->dir) {
        free(h);
        return NULL;
    }
    return h;
}

void dk_hyph_free(dk_hyph *h) {
    if (!h) return;
    for (int i = 0; i < h->n; i++) {
        if (h->e[i].dict) hnj_hyphen_free(h->e[i].dict);
        free(h->e[i].lang);
    }
    free(h->e);
    free(h->dir);
    free(h);
}

static HyphenDict *try_load(const dk_hyph *h, const char *ll, const char *cc) {
    char path[512];
    if (cc) snprintf(path, sizeof path, "%s/hyph_%s_%s.dic", h->dir, ll, cc);
    else snprintf(path, sizeof path, "%s/hyph_%s.dic", h->dir, ll);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) return NULL;
    return hnj_hyphen_load(path);
}

/* Load the dictionary for `lang` (see the note at the top), or NULL. */
static HyphenDict *load(const dk_hyph *h, const char *lang) {
    char ll[9] = {0}, cc[9] = {0};
    size_t i = 0;
    while (lang[i] && lang[i] != '-' && lang[i] != '_' && i < 8) ll[i] = (char)g_ascii_tolower(lang[i]), i++;
    if (i == 0 || (lang[i] && lang[i] != '-' && lang[i] != '_')) return NULL;
    /* the first 2-letter subtag after the language is the region ("de-CH", "sr-Latn-RS") */
    for (const char *p = lang + i; *p;) {
        p++;
        size_t k = strcspn(p, "-_");
        if (k == 2) {
            cc[0] = (char)g_ascii_toupper(p[0]);
            cc[1] = (char)g_ascii_toupper(p[1]);
            break;
        }
        p += k;
    }
    HyphenDict *d = NULL;
    if (cc[0]) d = try_load(h, ll, cc);
    if (!d) d = try_load(h, ll, NULL);
    if (!d && strlen(ll) == 2) {
        char own[3] = {(char)g_ascii_toupper(ll[0]), (char)g_ascii_toupper(ll[1]), 0};
        d = try_load(h, ll, own);
    }
    return d;
}

static entry *find(dk_hyph *h, const char *lang) {
    for (int i = 0; i < h->n; i++)
        if (g_ascii_strcasecmp(h->e[i].lang, lang) == 0) return &h->e[i];
    if (h->n == h->cap) {
        int cap = h->cap ? h->cap * 2 : 4;
        entry *e = realloc(h->e, sizeof *e * (size_t)cap);
        if (!e) return NULL;
        h->e = e;
        h->cap = cap;
    }
    char *l = strdup(lang);
    if (!l) return NULL;
    h->e[h->n] = (entry){l, load(h, lang)};
    return &h->e[h->n++];
}

int dk_hyph_has(dk_hyph *h, const char *lang) {
    entry *e = lang && *lang ? find(h, lang) : NULL;
    return e && e->dict;
}

int dk_hyph_word(dk_hyph *h, const char *lang, const char *w, size_t n, unsigned char *after) {
    memset(after, 0, n);
    if (!lang || !*lang || n == 0 || n > MAX_WORD * 4) return 0;
    glong nch = g_utf8_strlen(w, (gssize)n);
    if (nch < MIN_WORD || nch > MAX_WORD) return 0;
    entry *e = find(h, lang);
    if (!e) return -1;
    if (!e->dict) return 0;
    HyphenDict *d = e->dict;

    int found = 0;
    char *low = g_utf8_strdown(w, (gssize)n), *word = NULL;
    char *hy = NULL;
    if (!low) return -1;
    if (g_utf8_strlen(low, -1) != nch) goto done; /* case mapping changed the length: skip */
    if (d->utf8) {
        word = low;
        low = NULL;
    } else {
        word = g_convert(low, -1, d->cset, "UTF-8", NULL, NULL, NULL);
        if (!word || (glong)strlen(word) != nch) goto done; /* not in the dictionary's charset */
    }
    size_t wn = strlen(word);
    hy = malloc(wn + 5);
    if (!hy) {
        found = -1;
        goto done;
    }
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    if (hnj_hyphen_hyphenate3(d, word, (int)wn, hy, NULL, &rep, &pos, &cut, MIN_SIDE, MIN_SIDE,
                              MIN_SIDE, MIN_SIDE) == 0) {
        /* hy[k] odd: a hyphen may follow character k; skip non-standard points (rep) */
        const char *p = w;
        for (glong k = 0; k + 1 < nch; k++) {
            const char *next = g_utf8_next_char(p);
            if ((hy[k] & 1) && !(rep && rep[k])) {
                after[next - w - 1] = 1;
                found++;
            }
            p = next;
        }
    }
    if (rep) {
        for (size_t k = 0; k < wn; k++) free(rep[k]);
        free(rep);
    }
    free(pos);
    free(cut);
done:
    free(hy);
    g_free(word);
    g_free(low);
    return found;
}
