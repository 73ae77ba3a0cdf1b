/*
 * Helpers shared by the writers.
 */
#include "writer.h"

#include <stdlib.h>
#include <string.h>

char *dk_slide_file(const dk_deck_info *d, int index, const char *ext) {
    const char *out = d->output;
    size_t ol = strlen(out), el = strlen(ext);
    dk_buf b = {0};
    if (ol > el + 1 && strcmp(out + ol - el, ext) == 0 && out[ol - el - 1] == '.') {
        dk_buf_add(&b, out, ol - el - 1); /* deck.png -> deck.001.png */
    } else {
        dk_buf_adds(&b, out);
        if (ol && out[ol - 1] != '/') dk_buf_addc(&b, '/');
        dk_buf_adds(&b, d->stem);
    }
    dk_buf_printf(&b, ".%03d.%s", index, ext);
    if (b.oom) {
        dk_buf_free(&b);
        return NULL;
    }
    return b.p;
}
