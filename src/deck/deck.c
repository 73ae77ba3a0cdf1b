/*
 * deck/ implementation: a line scanner over the deck bytes.
 *
 * The model. A deck is a list of lines; a line ends at '\n' (a '\r' before
 * it is part of the line break, so CRLF files work). We track one piece of
 * state, "inside a fenced code block", with CommonMark's rules for fences
 * (up to three spaces of indent, three or more ` or ~, a backtick fence's
 * info string has no backtick, closed by the same character at least as
 * long with nothing but white space after). Outside a fence, a line that is
 * exactly `---` plus optional trailing blanks ends the current slide.
 *
 * We do not understand Markdown here, on purpose: a `---` directly after
 * `</section>` would be an HTML-block line for CommonMark, yet it is a slide
 * break for every deck tool. Indented code blocks and `---` inside HTML
 * comments are not special either (Marp behaves the same).
 *
 * Front matter is a tiny YAML subset: `key: value` lines, `#` comments,
 * blank lines, and indented lines that continue the previous key (a block
 * scalar such as Marp's `style: |`); such a value is the raw indented text.
 * A block with no key, or with any other kind of line, is not front matter
 * (a deck may well open with `---` and a `# heading`): its `---` is then an
 * ordinary separator.
 * Whitespace-only slides made by a leading or trailing separator are
 * dropped, so `---` at the end of a file does not add an empty page.
 */
#include "deck.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *src;
    size_t n;
    size_t pos; /* start of the next line */
} scanner;

typedef struct {
    size_t start, end; /* the line's bytes without "\r\n" / "\n" */
    size_t next;       /* start of the following line */
} line;

/* The next line, or 0 at the end of the input. */
static int next_line(scanner *sc, line *ln) {
    if (sc->pos >= sc->n) return 0;
    const char *nl = memchr(sc->src + sc->pos, '\n', sc->n - sc->pos);
    size_t end = nl ? (size_t)(nl - sc->src) : sc->n;
    ln->start = sc->pos;
    ln->next = nl ? end + 1 : sc->n;
    if (end > ln->start && sc->src[end - 1] == '\r') end--;
    ln->end = end;
    sc->pos = ln->next;
    return 1;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Is the line exactly "---" with optional trailing blanks? */
static int is_separator(const char *src, const line *ln) {
    if (ln->end - ln->start < 3 || memcmp(src + ln->start, "---", 3) != 0) return 0;
    for (size_t i = ln->start + 3; i < ln->end; i++)
        if (!is_blank(src[i])) return 0;
    return 1;
}

/*
 * If the line is a code fence, return its length and set *ch to its
 * character; else 0. `closing` asks for a closing fence (no info string).
 */
static size_t fence_len(const char *src, const line *ln, char *ch, int closing) {
    size_t i = ln->start, indent = 0;
    while (i < ln->end && src[i] == ' ' && indent < 4) i++, indent++;
    if (indent > 3 || i >= ln->end || (src[i] != '`' && src[i] != '~')) return 0;
    char c = src[i];
    size_t len = 0;
    while (i < ln->end && src[i] == c) i++, len++;
    if (len < 3) return 0;
    for (; i < ln->end; i++) {
        if (closing && !is_blank(src[i])) return 0;
        if (c == '`' && src[i] == '`') return 0; /* backtick fences: no ` in the info string */
    }
    *ch = c;
    return len;
}

/* Is src[a, b) only white space? */
static int all_space(const char *src, size_t a, size_t b) {
    for (; a < b; a++)
        if (!is_blank(src[a]) && src[a] != '\n') return 0;
    return 1;
}

int dk_deck_parse_size(dk_str s, double *w, double *h) {
    s = dk_str_trim(s);
    char buf[64];
    if (s.n == 0 || s.n >= sizeof buf) return 0;
    memcpy(buf, s.p, s.n);
    buf[s.n] = 0;
    char *p = buf, *e;
    double a = strtod(p, &e);
    if (e == p || !isfinite(a) || a <= 0) return 0;
    p = e;
    if (strncmp(p, "px", 2) == 0) p += 2;
    while (*p == ' ') p++;
    int ratio = *p == ':';
    if (*p == ':' || *p == 'x' || *p == 'X') p++;
    else if (strncmp(p, "\xC3\x97", 2) == 0) p += 2; /* U+00D7 multiplication sign */
    else return 0;
    while (*p == ' ') p++;
    double b = strtod(p, &e);
    if (e == p || !isfinite(b) || b <= 0) return 0;
    p = e;
    if (!ratio && strncmp(p, "px", 2) == 0) p += 2;
    while (*p == ' ') p++;
    if (*p) return 0;
    if (ratio) {
        /* an aspect ratio: 720 px tall, so 16:9 is 1280x720 and 4:3 is 960x720 */
        a = 720.0 * a / b;
        b = 720.0;
    }
    if (a < 1 || b < 1 || a > 100000 || b > 100000) return 0;
    *w = a;
    *h = b;
    return 1;
}

/* Strip one pair of matching quotes around a (trimmed) front matter value. */
static dk_str unquote(dk_str v) {
    if (v.n >= 2 && (v.p[0] == '"' || v.p[0] == '\'') && v.p[v.n - 1] == v.p[0]) {
        v.p++;
        v.n -= 2;
    }
    return v;
}

/* Append one entry to d->meta; 0 on OOM. */
static int add_meta(dk_deck *d, int *cap, dk_str key, dk_str value, size_t off) {
    if (d->nmeta == *cap) {
        int ncap = *cap ? *cap * 2 : 8;
        dk_meta *m = realloc(d->meta, (size_t)ncap * sizeof *m);
        if (!m) return 0;
        d->meta = m;
        *cap = ncap;
    }
    d->meta[d->nmeta++] = (dk_meta){key, value, off};
    return 1;
}

/* Does the line look like `key: value` (YAML plain key)? Sets *colon. */
static int is_key_line(dk_str t, const char **colon) {
    size_t i = 0;
    while (i < t.n && (t.p[i] == '_' || t.p[i] == '-' || t.p[i] == '.' ||
                       (t.p[i] >= '0' && t.p[i] <= '9') || ((t.p[i] | 32) >= 'a' && (t.p[i] | 32) <= 'z')))
        i++;
    if (i == 0) return 0;
    while (i < t.n && t.p[i] == ' ') i++;
    if (i >= t.n || t.p[i] != ':' || (i + 1 < t.n && !is_blank(t.p[i + 1]))) return 0;
    *colon = t.p + i;
    return 1;
}

/*
 * Find a front matter block opening at `from`: a `---` line, then only
 * key, comment, blank and indented lines with at least one key, then a
 * closing `---` line. Anything else means the first `---` is a separator.
 * Returns 1 and where the block's lines end (*close) and the body starts.
 */
static int find_front_matter(const char *src, size_t n, size_t from, size_t *close, size_t *body) {
    scanner sc = {src, n, from};
    line ln;
    int keys = 0;
    const char *colon;
    if (!next_line(&sc, &ln) || !is_separator(src, &ln)) return 0;
    while (next_line(&sc, &ln)) {
        dk_str l = {src + ln.start, ln.end - ln.start}, t = dk_str_trim(l);
        if (is_separator(src, &ln)) {
            *close = ln.start;
            if (keys) *body = ln.next;
            return keys > 0;
        }
        if (t.n == 0 || t.p[0] == '#' || l.p[0] == ' ' || l.p[0] == '\t') continue;
        if (!is_key_line(t, &colon)) return 0;
        keys++;
    }
    return 0;
}

/*
 * Read the front matter if the deck opens with one. On return *body is
 * where the slides start (`from` when there is none). Fails only on OOM.
 */
static dk_status parse_front_matter(dk_ctx *ctx, const char *src, size_t n, size_t from,
                                    dk_deck *d, size_t *body) {
    dk_status st = DK_OK;
    size_t close;
    int cap = 0, last = -1; /* `last`: the entry that indented lines continue */
    *body = from;
    if (!find_front_matter(src, n, from, &close, body)) goto done;
    scanner sc = {src, close, from};
    line ln;
    next_line(&sc, &ln); /* the opening `---` */
    while (next_line(&sc, &ln)) {
        dk_str l = {src + ln.start, ln.end - ln.start}, t = dk_str_trim(l);
        const char *colon;
        if (t.n == 0 || t.p[0] == '#') continue;
        if (l.p[0] == ' ' || l.p[0] == '\t') {
            if (last < 0) continue; /* YAML we do not model; nothing to attach it to */
            dk_meta *m = &d->meta[last];
            dk_str v = dk_str_trim(m->value);
            if (v.n == 0 || (v.n <= 2 && (v.p[0] == '|' || v.p[0] == '>')))
                m->value = l; /* a block scalar: its value is the raw indented text */
            else
                m->value.n = (size_t)(src + ln.end - m->value.p); /* grows to this line */
            continue;
        }
        is_key_line(t, &colon); /* find_front_matter checked it */
        dk_str key = dk_str_trim((dk_str){t.p, (size_t)(colon - t.p)});
        dk_str val = unquote(dk_str_trim((dk_str){colon + 1, (size_t)(t.p + t.n - colon - 1)}));
        if (!add_meta(d, &cap, key, val, (size_t)(key.p - src))) {
            st = DK_ENOMEM;
            goto done;
        }
        last = d->nmeta - 1;
    }
    for (int i = 0; i < d->nmeta; i++) {
        dk_meta *m = &d->meta[i];
        if (dk_str_eq(m->key, "title")) d->title = m->value;
        else if (dk_str_eq(m->key, "author")) d->author = m->value;
        else if (dk_str_eq(m->key, "theme")) d->theme = m->value;
        else if (dk_str_eq(m->key, "size") &&
                 !dk_deck_parse_size(m->value, &d->width, &d->height)) {
            d->width = d->height = 0;
            dk_diag_warn(ctx, (size_t)(m->value.p - src),
                         "bad slide size '%.*s' (want WxH, 16:9 or 4:3)", (int)m->value.n,
                         m->value.p);
        }
    }
done:
    return st;
}

/* Append the slide [start, end) to d; 0 on OOM. */
static int add_slide(dk_deck *d, int *cap, size_t start, size_t end) {
    if (d->nslides == *cap) {
        int ncap = *cap ? *cap * 2 : 16;
        dk_slide *s = realloc(d->slides, (size_t)ncap * sizeof *s);
        if (!s) return 0;
        d->slides = s;
        *cap = ncap;
    }
    d->slides[d->nslides] = (dk_slide){start, end, d->nslides + 1};
    d->nslides++;
    return 1;
}

/*
 * Split `src` into slides: see the design note above. The result's arrays
 * are malloc'd (dk_deck_free); bad front matter values are warnings.
 */
dk_status dk_deck_parse(dk_ctx *ctx, const char *src, size_t n, dk_deck *out) {
    dk_status st = DK_OK;
    dk_deck d = {0};
    int cap = 0;
    size_t from = 0, body;
    if (n >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) from = 3; /* BOM */
    st = parse_front_matter(ctx, src, n, from, &d, &body);
    if (st) goto done;

    scanner sc = {src, n, body};
    line ln;
    size_t start = body;
    char fence_ch = 0;
    size_t fence = 0;
    while (next_line(&sc, &ln)) {
        char c;
        size_t len;
        if (fence) {
            if ((len = fence_len(src, &ln, &c, 1)) >= fence && c == fence_ch) fence = 0;
        } else if ((len = fence_len(src, &ln, &c, 0)) > 0) {
            fence = len;
            fence_ch = c;
        } else if (is_separator(src, &ln)) {
            /* a separator with nothing before it makes no slide */
            if (d.nslides > 0 || !all_space(src, start, ln.start)) {
                if (!add_slide(&d, &cap, start, ln.start)) {
                    st = DK_ENOMEM;
                    goto done;
                }
            }
            start = ln.next;
        }
    }
    /* the last slide, unless a trailing separator left only white space */
    if ((d.nslides == 0 || !all_space(src, start, n)) && !add_slide(&d, &cap, start, n))
        st = DK_ENOMEM;
done:
    if (st) dk_deck_free(&d);
    *out = d;
    return st;
}

/* Free the slide and meta arrays; the deck bytes stay the caller's. */
void dk_deck_free(dk_deck *d) {
    free(d->slides);
    free(d->meta);
    *d = (dk_deck){0};
}
