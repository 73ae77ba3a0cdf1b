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
 *
 * Directives. Marp reads YAML from every HTML comment through markdown-it;
 * we scan comments on source lines outside fences (a comment inside an
 * inline code span is read too: rare, and harmless unless it holds
 * `key: value` lines). A comment is a directive comment when every
 * non-blank line is `key: value`; unknown keys in it are ignored quietly
 * (reveal-md, Slidev and Advanced Slides all keep their own keys there).
 * Global directives are read in a pass over the whole deck first, because
 * headingDivider changes the split; local ones in a pass over the slides.
 * Extra separators: `--` (Advanced Slides vertical) splits only outside
 * Marp decks, since `--` is ordinary text to Marp; `----` and longer split
 * everywhere (Marp splits at every thematic break); both need a blank line
 * (or the slide start) before them, or they would be setext underlines.
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

/* Where the line starting at `at` ends (before "\r\n" / "\n"). */
static size_t line_end(const char *src, size_t n, size_t at) {
    const char *nl = memchr(src + at, '\n', n - at);
    size_t end = nl ? (size_t)(nl - src) : n;
    if (end > at && src[end - 1] == '\r') end--;
    return end;
}

/* Is the line only white space? */
static int is_blank_line(const char *src, const line *ln) {
    for (size_t i = ln->start; i < ln->end; i++)
        if (!is_blank(src[i])) return 0;
    return 1;
}

/* Is the line exactly `n` dashes (n == 2) or four or more (n == 4), plus trailing blanks? */
static int is_dashes(const char *src, const line *ln, int n) {
    size_t i = ln->start, k = 0;
    while (i < ln->end && src[i] == '-') i++, k++;
    for (; i < ln->end; i++)
        if (!is_blank(src[i])) return 0;
    return n == 2 ? k == 2 : k >= 4;
}

/* Is the line, trimmed, equal to `sep` (a reveal-md separator, `^`/`$` anchors dropped)? */
static int is_custom_sep(const char *src, const line *ln, dk_str sep) {
    if (!sep.p) return 0;
    if (sep.n && sep.p[0] == '^') sep.p++, sep.n--;
    if (sep.n && sep.p[sep.n - 1] == '$') sep.n--;
    dk_str t = dk_str_trim((dk_str){src + ln->start, ln->end - ln->start});
    return sep.n && t.n == sep.n && memcmp(t.p, sep.p, sep.n) == 0;
}

/* The level (1-6) of an ATX heading line, else 0. */
static int atx_level(const char *src, const line *ln) {
    size_t i = ln->start, indent = 0;
    while (i < ln->end && src[i] == ' ' && indent < 4) i++, indent++;
    if (indent > 3) return 0;
    int lv = 0;
    while (i < ln->end && src[i] == '#') i++, lv++;
    if (lv < 1 || lv > 6 || (i < ln->end && src[i] != ' ' && src[i] != '\t')) return 0;
    return lv;
}

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
        else if (dk_str_eq(m->key, "theme")) {
            d->theme = dk_str_trim(m->value);
            d->theme_off = (size_t)(d->theme.p - src);
        }
        else if (dk_str_eq(m->key, "size") &&
                 !dk_deck_parse_size(m->value, &d->width, &d->height)) {
            d->width = d->height = 0;
            dk_diag_warn_code(ctx, (size_t)(m->value.p - src), "front-matter-size",
                              "bad slide size '%.*s' (want WxH, 16:9 or 4:3)", (int)m->value.n,
                              m->value.p);
        }
    }
done:
    return st;
}

/* A slide's own front matter lines [a, b) (Slidev); 0, 0 when it has none. */
typedef struct {
    size_t a, b;
} span;

/* Append the slide [start, end) with front matter `fm` to d (fms: one per slide); 0 on OOM. */
static int add_slide(dk_deck *d, int *cap, span **fms, size_t start, size_t end, span fm) {
    if (d->nslides == *cap) {
        int ncap = *cap ? *cap * 2 : 16;
        dk_slide *s = realloc(d->slides, (size_t)ncap * sizeof *s);
        if (!s) return 0;
        d->slides = s;
        span *f = realloc(*fms, (size_t)ncap * sizeof *f);
        if (!f) return 0;
        *fms = f;
        *cap = ncap;
    }
    (*fms)[d->nslides] = fm;
    d->slides[d->nslides] = (dk_slide){start, end, d->nslides + 1};
    d->nslides++;
    return 1;
}

/* The first `needle` (m >= 1 bytes) in [p, p + n), or NULL. Found by its first byte with
   memchr: glibc's memmem takes ~7 instructions a byte for so short a needle. */
static const char *find_bytes(const char *p, size_t n, const char *needle, size_t m) {
    const char *end = p + n;
    for (const char *q = p; (size_t)(end - q) >= m; q++) {
        if (!(q = memchr(q, needle[0], (size_t)(end - q) - m + 1))) break;
        if (memcmp(q, needle, m) == 0) return q;
    }
    return NULL;
}

/* Is src[a, b) only white space and HTML comments (a directive comment makes no content)? */
static int only_comments(const char *src, size_t a, size_t b) {
    while (a < b) {
        if (is_blank(src[a]) || src[a] == '\n') {
            a++;
        } else if (b - a >= 4 && memcmp(src + a, "<!--", 4) == 0) {
            const char *e = find_bytes(src + a + 4, b - a - 4, "-->", 3);
            if (!e) return 0;
            a = (size_t)(e - src) + 3;
        } else {
            return 0;
        }
    }
    return 1;
}

/* ---- Marp directives ---------------------------------------------------------------- */

static const char *const local_keys[DK_DIR_N] = {
    [DK_DIR_CLASS] = "class", [DK_DIR_PAGINATE] = "paginate", [DK_DIR_HEADER] = "header",
    [DK_DIR_FOOTER] = "footer", [DK_DIR_BG_COLOR] = "backgroundColor",
    [DK_DIR_BG_IMAGE] = "backgroundImage", [DK_DIR_BG_POSITION] = "backgroundPosition",
    [DK_DIR_BG_REPEAT] = "backgroundRepeat", [DK_DIR_BG_SIZE] = "backgroundSize",
    [DK_DIR_COLOR] = "color",
};

/* The local directive named `key` (without `_`), or -1. */
static int local_key(dk_str key) {
    for (int k = 0; k < DK_DIR_N; k++)
        if (dk_str_eq(key, local_keys[k])) return k;
    return -1;
}

/* Marp's built-in theme names, which map to our bundled marp-*.css. */
static dk_str marp_theme(dk_str name) {
    if (!name.p || name.n == 0 || dk_str_eq(name, "default")) return DK_STR("marp-default");
    if (dk_str_eq(name, "gaia")) return DK_STR("marp-gaia");
    if (dk_str_eq(name, "uncover")) return DK_STR("marp-uncover");
    return name;
}

/* headingDivider: `N` (levels 1..N) or `[a, b, ...]`; sets *mask, 0 if malformed. */
static int parse_heading_divider(dk_str v, unsigned *mask) {
    unsigned m = 0;
    v = dk_str_trim(v);
    int list = v.n && v.p[0] == '[';
    if (list) {
        if (v.p[v.n - 1] != ']') return 0;
        v.p++, v.n -= 2;
    }
    size_t i = 0;
    while (i < v.n) {
        while (i < v.n && (v.p[i] == ' ' || v.p[i] == ',')) i++;
        if (i == v.n) break;
        if (v.p[i] < '1' || v.p[i] > '6' || (i + 1 < v.n && v.p[i + 1] >= '0' && v.p[i + 1] <= '9'))
            return 0;
        int lv = v.p[i++] - '0';
        if (list) m |= 1u << lv;
        else
            for (int k = 1; k <= lv; k++) m |= 1u << k;
        if (!list && i < v.n) return 0;
    }
    *mask = m;
    return m != 0;
}

/* Where directives land while scanning: the deck (globals) and one slide's state. */
typedef struct {
    dk_ctx *ctx;
    dk_deck *d;
    dk_dirval *cur;    /* carried from slide to slide; NULL: globals only */
    dk_dirval *scoped; /* `_key`: this slide only */
    int globals;       /* read global directives */
    int found;         /* a Marp directive was seen */
} dir_state;

/* Apply one `key: value` directive (value already trimmed and unquoted). */
static void apply_directive(dir_state *ds, dk_str key, dk_str val, size_t off) {
    int scoped = key.n > 1 && key.p[0] == '_';
    dk_str bare = scoped ? (dk_str){key.p + 1, key.n - 1} : key;
    int k = local_key(bare);
    if (k >= 0) {
        /* `class` and `color` alone are Slidev's and reveal-md's words too */
        if (scoped || (k != DK_DIR_CLASS && k != DK_DIR_COLOR)) ds->found = 1;
        if (ds->cur) (scoped ? ds->scoped : ds->cur)[k] = (dk_dirval){val, off};
        return;
    }
    if (!ds->globals || scoped) return;
    if (dk_str_eq(key, "headingDivider")) {
        ds->found = 1;
        if (!parse_heading_divider(val, &ds->d->heading_divider))
            dk_diag_warn_code(ds->ctx, off, "marp-heading-divider",
                              "bad headingDivider '%.*s' (want 1-6 or a list like [2, 3])",
                              (int)val.n, val.p);
    } else if (dk_str_eq(key, "theme")) {
        ds->d->theme = val;
        ds->d->theme_off = off;
    } else if (dk_str_eq(key, "style")) {
        ds->d->style = (dk_dirval){val, off};
    } else if (dk_str_eq(key, "size")) {
        if (!dk_deck_parse_size(val, &ds->d->width, &ds->d->height))
            dk_diag_warn_code(ds->ctx, off, "front-matter-size",
                              "bad slide size '%.*s' (want WxH, 16:9 or 4:3)", (int)val.n, val.p);
    }
}

/*
 * The directives of one comment body [a, b): only when every non-blank
 * line is `key: value` (see the design note).
 */
static void comment_directives(dir_state *ds, const char *src, size_t a, size_t b) {
    const char *colon;
    for (int pass = 0; pass < 2; pass++) {
        scanner sc = {src, b, a};
        line ln;
        while (next_line(&sc, &ln)) {
            dk_str t = dk_str_trim((dk_str){src + ln.start, ln.end - ln.start});
            if (t.n == 0) continue;
            if (!is_key_line(t, &colon)) return;
            if (pass == 0) continue;
            dk_str key = dk_str_trim((dk_str){t.p, (size_t)(colon - t.p)});
            dk_str val = unquote(dk_str_trim((dk_str){colon + 1, (size_t)(t.p + t.n - colon - 1)}));
            apply_directive(ds, key, val, (size_t)(val.p - src));
        }
    }
}

/* Find the HTML comments in [from, to) outside fenced code and read their directives. */
static void scan_comments(dir_state *ds, const char *src, size_t from, size_t to) {
    if (!find_bytes(src + from, to - from, "<!--", 4)) return; /* most decks: none */
    scanner sc = {src, to, from};
    line ln;
    char fence_ch = 0;
    size_t fence = 0;
    while (next_line(&sc, &ln)) {
        char c;
        size_t len;
        if (fence) {
            if ((len = fence_len(src, &ln, &c, 1)) >= fence && c == fence_ch) fence = 0;
            continue;
        }
        if ((len = fence_len(src, &ln, &c, 0)) > 0) {
            fence = len;
            fence_ch = c;
            continue;
        }
        const char *o = find_bytes(src + ln.start, ln.end - ln.start, "<!--", 4);
        if (!o) continue;
        size_t a = (size_t)(o - src) + 4;
        const char *e = find_bytes(src + a, to - a, "-->", 3);
        if (!e) break; /* an unclosed comment hides the rest */
        size_t b = (size_t)(e - src);
        while (a < b && src[a] == '-') a++; /* <!--- ... ---> */
        while (b > a && src[b - 1] == '-') b--;
        comment_directives(ds, src, a, b);
        sc.pos = (size_t)(e - src) + 3; /* go on after the comment, on the same line */
    }
}

/* ---- splitting ----------------------------------------------------------------------- */

/*
 * Does the block [a, b) hold a key only Slidev's per-slide front matter
 * uses? Without one, `---` / `key: value` / `---` stays what it is for
 * every other tool: a slide of text between two separators.
 */
static int has_slidev_key(const char *src, size_t a, size_t b) {
    static const char *const keys[] = {"layout", "src", "class", "transition", "clicks",
                                       "hideInToc", "routeAlias", "preload", "background",
                                       "level", "dragPos", "zoom", "image"};
    scanner sc = {src, b, a};
    line ln;
    const char *colon;
    while (next_line(&sc, &ln)) {
        dk_str t = dk_str_trim((dk_str){src + ln.start, ln.end - ln.start});
        if (src[ln.start] == ' ' || src[ln.start] == '\t' || !is_key_line(t, &colon)) continue;
        dk_str key = dk_str_trim((dk_str){t.p, (size_t)(colon - t.p)});
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            if (dk_str_eq(key, keys[i])) return 1;
    }
    return 0;
}

/* The value of front matter key `key`, or a NULL view. */
static dk_str meta_value(const dk_deck *d, const char *key) {
    for (int i = 0; i < d->nmeta; i++)
        if (dk_str_eq(d->meta[i].key, key)) return d->meta[i].value;
    return (dk_str){NULL, 0};
}

/*
 * Split `src` into slides: see the design note above. The result's arrays
 * are malloc'd (dk_deck_free); bad front matter values are warnings.
 */
dk_status dk_deck_parse(dk_ctx *ctx, const char *src, size_t n, dk_deck *out) {
    dk_status st = DK_OK;
    dk_deck d = {0};
    span *fms = NULL; /* per slide */
    int cap = 0;
    size_t from = 0, body;
    d.theme_off = DK_NOPOS;
    if (n >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) from = 3; /* BOM */
    st = parse_front_matter(ctx, src, n, from, &d, &body);
    if (st) goto done;

    /* globals: the front matter, then comments anywhere (the last one wins, as in Marp) */
    dir_state ds = {ctx, &d, NULL, NULL, 1, 0};
    for (int i = 0; i < d.nmeta; i++)
        if (!dk_str_eq(d.meta[i].key, "size") && !dk_str_eq(d.meta[i].key, "theme"))
            apply_directive(&ds, d.meta[i].key, d.meta[i].value, (size_t)(d.meta[i].value.p - src));
    scan_comments(&ds, src, body, n);
    dk_str marp = meta_value(&d, "marp");
    d.marp = (marp.p && dk_str_eq(marp, "true")) || ds.found;
    if (d.marp) d.theme = marp_theme(d.theme);
    d.vertical = !d.marp;
    /*
     * Slidesdown (reveal.js underneath) splits at `#`, `##` (horizontal) and `###`
     * (vertical) headings as well as `---`: its page sets data-separator="^(#{1,2} |---$)"
     * and data-separator-vertical="^#{3} ". Its decks are known by metadata keys
     * no other tool reads.
     */
    if (!d.marp && !d.heading_divider &&
        (meta_value(&d, "highlight-theme").p || meta_value(&d, "fontawesomeFree").p ||
         meta_value(&d, "fontawesomePro").p))
        d.heading_divider = 1u << 1 | 1u << 2 | 1u << 3;
    dk_str sep = meta_value(&d, "separator"), vsep = meta_value(&d, "verticalSeparator");

    scanner sc = {src, n, body};
    line ln;
    size_t start = body;
    char fence_ch = 0;
    size_t fence = 0;
    int prev_blank = 1; /* the previous line was blank (or the slide just started) */
    span fm = {0, 0}, next_fm = {0, 0}; /* the current and the next slide's own front matter */
    size_t fm_close, fm_body;
    while (next_line(&sc, &ln)) {
        char c;
        size_t len;
        size_t cut = 0, next = 0; /* a break: the slide ends at `cut`, the next starts at `next` */
        int blank = is_blank_line(src, &ln);
        if (fence) {
            if ((len = fence_len(src, &ln, &c, 1)) >= fence && c == fence_ch) fence = 0;
        } else if ((len = fence_len(src, &ln, &c, 0)) > 0) {
            fence = len;
            fence_ch = c;
        } else if (!d.marp && is_separator(src, &ln) && ln.next < n &&
                   !is_blank_line(src, &(line){ln.next, line_end(src, n, ln.next), 0}) &&
                   find_front_matter(src, n, ln.start, &fm_close, &fm_body) &&
                   has_slidev_key(src, ln.next, fm_close)) {
            /* Slidev: this slide's own front matter */
            cut = ln.start, next = fm_body;
            next_fm = (span){ln.next, fm_close};
            sc.pos = fm_body;
        } else if (is_separator(src, &ln) || is_custom_sep(src, &ln, sep) ||
                   is_custom_sep(src, &ln, vsep) ||
                   (prev_blank && (is_dashes(src, &ln, 4) || (d.vertical && is_dashes(src, &ln, 2))))) {
            cut = ln.start, next = ln.next;
        } else if (d.heading_divider & (1u << atx_level(src, &ln)) && atx_level(src, &ln) &&
                   !only_comments(src, start, ln.start)) {
            cut = next = ln.start; /* headingDivider: the heading opens the next slide */
        }
        if (next) {
            /* a separator with nothing before it makes no slide */
            if (d.nslides > 0 || !all_space(src, start, cut) || fm.b) {
                if (!add_slide(&d, &cap, &fms, start, cut, fm)) {
                    st = DK_ENOMEM;
                    goto done;
                }
            }
            start = next;
            fm = next_fm;
            next_fm = (span){0, 0};
            blank = 1;
        }
        prev_blank = blank;
    }
    /* the last slide, unless a trailing separator left only white space */
    if ((d.nslides == 0 || !all_space(src, start, n) || fm.b) &&
        !add_slide(&d, &cap, &fms, start, n, fm)) {
        st = DK_ENOMEM;
        goto done;
    }

    /* locals: the front matter applies to slide 1 on, then each slide's comments */
    dk_dirval cur[DK_DIR_N], scoped[DK_DIR_N];
    memset(cur, 0, sizeof cur);
    d.dirs = calloc((size_t)d.nslides, sizeof *d.dirs);
    if (!d.dirs) {
        st = DK_ENOMEM;
        goto done;
    }
    ds = (dir_state){ctx, &d, cur, scoped, 0, 0};
    for (int i = 0; i < d.nslides; i++) {
        dk_slide *sl = &d.slides[i];
        memset(scoped, 0, sizeof scoped);
        if (i == 0)
            for (int m = 0; m < d.nmeta; m++)
                apply_directive(&ds, d.meta[m].key, d.meta[m].value,
                                (size_t)(d.meta[m].value.p - src));
        if (fms[i].b) {
            /* Slidev slide front matter: scoped to its slide */
            ds.cur = scoped;
            comment_directives(&ds, src, fms[i].a, fms[i].b);
            ds.cur = cur;
        }
        scan_comments(&ds, src, sl->start, sl->end);
        for (int k = 0; k < DK_DIR_N; k++) d.dirs[i].v[k] = scoped[k].v.p ? scoped[k] : cur[k];
    }
done:
    free(fms);
    if (st) dk_deck_free(&d);
    *out = d;
    return st;
}

/* Free the slide and meta arrays; the deck bytes stay the caller's. */
void dk_deck_free(dk_deck *d) {
    free(d->slides);
    free(d->dirs);
    free(d->meta);
    *d = (dk_deck){0};
}
