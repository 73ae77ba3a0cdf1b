/*
 * text/hyphen — `hyphens: auto` through libhyphen and Debian's
 * hyphenation dictionaries (/usr/share/hyphen/hyph_<lang>.dic, packages
 * hyphen-en-us, hyphen-de, hyphen-fr, ...). Private to text/.
 *
 * A dk_hyph caches the dictionaries a deck asked for (loaded on first use,
 * a language without a dictionary is remembered as such). pango.c asks it
 * for the hyphenation points of each word and inserts U+00AD there, which
 * pango then treats as a break opportunity drawn as a hyphen.
 */
#ifndef DK_TEXT_HYPHEN_H
#define DK_TEXT_HYPHEN_H

#include "../base/base.h"

typedef struct dk_hyph dk_hyph;

/* A new, empty cache; NULL on OOM. `dir` is the dictionary folder (NULL: /usr/share/hyphen). */
dk_hyph *dk_hyph_new(const char *dir);
void dk_hyph_free(dk_hyph *h);

/*
 * Hyphenation points of the word w[0..n) (UTF-8, letters only) in language
 * `lang` (a BCP 47 tag: "en", "en-GB", "de-CH"): sets after[i] = 1 when a
 * hyphen may follow byte i (i is the last byte of a character), else 0.
 * Words shorter than 5 characters, and languages without a dictionary, get
 * none. Returns how many points were set (-1 on OOM).
 */
int dk_hyph_word(dk_hyph *h, const char *lang, const char *w, size_t n, unsigned char *after);

/* Is there a dictionary for `lang`? (Loads it.) */
int dk_hyph_has(dk_hyph *h, const char *lang);

#endif
