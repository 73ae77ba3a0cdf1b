/*
 * md/ implementation: our own HTML renderer over md4c's callbacks.
 *
 * We do not use md4c-html because it cannot tell us where its output came
 * from. The renderer below writes the same HTML as md4c-html (same tags,
 * same line breaks, same escaping) with three deliberate differences:
 * entities are passed through verbatim (gumbo decodes them, so we need no
 * entity table), table cell alignment is `style="text-align: ..."` (our CSS
 * engine does not know the obsolete `align` attribute), NUL becomes
 * U+FFFD, and raw HTML inside an image description is escaped (it lands
 * in alt="...", where md4c-html's verbatim copy can break the tag).
 *
 * The source map. Each time md4c hands us text that points into the slide,
 * we record (HTML offset, deck offset) at the start of every run of bytes
 * copied unchanged. Tags we generate (<p>, <li>, ...) have no bytes in the
 * deck; they are mapped to the first text that follows them, which is where
 * an author looks for "the paragraph".
 */
#include "md.h"

#include <md4c.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    dk_buf out;
    dk_srcpair *map; /* malloc'd while rendering, copied into the arena at the end */
    size_t nmap, cap;
    int oom;
    const char *lo, *hi; /* the slide's bytes: [lo, hi) */
    const char *src;     /* the deck, for offsets */
    size_t pending;      /* HTML offset of the first generated tag awaiting text, or -1 */
    int img_level;       /* > 0 inside an image description (alt text) */
} render;

enum { ESC_HTML = 1, ESC_URL = 2 };

static void put(render *r, const char *s, size_t n) { dk_buf_add(&r->out, s, n); }
static void puts_(render *r, const char *s) { dk_buf_adds(&r->out, s); }

static void add_pair(render *r, size_t html_off, size_t deck_off) {
    if (r->nmap && r->map[r->nmap - 1].html_off == html_off) {
        r->map[r->nmap - 1].deck_off = deck_off; /* the later pair is the exact one */
        return;
    }
    if (r->nmap == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        dk_srcpair *m = realloc(r->map, cap * sizeof *m);
        if (!m) {
            r->oom = 1;
            return;
        }
        r->map = m;
        r->cap = cap;
    }
    r->map[r->nmap++] = (dk_srcpair){html_off, deck_off};
}

/* Note that the bytes about to be written at the current HTML offset come from `p`. */
static void mark(render *r, const char *p) {
    if (p < r->lo || p >= r->hi) return; /* md4c's own buffer, or generated text */
    size_t d = (size_t)(p - r->src);
    if (r->pending != (size_t)-1) {
        add_pair(r, r->pending, d);
        r->pending = (size_t)-1;
    }
    add_pair(r, r->out.n, d);
}

/* Remember a generated tag, to be mapped to the text that follows it. */
static void gen(render *r) {
    if (r->pending == (size_t)-1) r->pending = r->out.n;
}

static int needs(unsigned char c, int kind) {
    if (kind == ESC_HTML) return c == '&' || c == '<' || c == '>' || c == '"';
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return 0;
    return strchr("~-_.+!*(),%#@?=;:/,+$", c) == NULL || c == 0; /* md4c-html's safe set */
}

/*
 * Write text escaped for HTML content/attributes or for URLs (md4c-html's
 * rules: in URLs '&' becomes "&amp;", other unsafe bytes %XX, existing %XX
 * kept), marking each unchanged run in the source map.
 */
static void put_escaped(render *r, const char *s, size_t n, int kind) {
    static const char hex[] = "0123456789ABCDEF";
    size_t beg = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !needs((unsigned char)s[i], kind)) continue;
        if (i > beg) {
            mark(r, s + beg);
            put(r, s + beg, i - beg);
        }
        if (i == n) break;
        unsigned char c = (unsigned char)s[i];
        if (c == '&') puts_(r, "&amp;");
        else if (kind == ESC_URL) {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            put(r, e, 3);
        } else puts_(r, c == '<' ? "&lt;" : c == '>' ? "&gt;" : "&quot;");
        beg = i + 1;
    }
}

/* An md4c attribute (link href, title, code language): its pieces in order. */
static void put_attr(render *r, const MD_ATTRIBUTE *a, int kind) {
    for (int i = 0; a->substr_offsets[i] < a->size; i++) {
        const char *t = a->text + a->substr_offsets[i];
        size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
        switch (a->substr_types[i]) {
        case MD_TEXT_NULLCHAR: puts_(r, "\xEF\xBF\xBD"); break;
        case MD_TEXT_ENTITY: mark(r, t); put(r, t, n); break;
        default: put_escaped(r, t, n, kind); break;
        }
    }
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud) {
    render *r = ud;
    gen(r);
    switch (type) {
    case MD_BLOCK_DOC: break;
    case MD_BLOCK_QUOTE: puts_(r, "<blockquote>\n"); break;
    case MD_BLOCK_UL: puts_(r, "<ul>\n"); break;
    case MD_BLOCK_OL: {
        unsigned start = ((MD_BLOCK_OL_DETAIL *)detail)->start;
        if (start == 1) puts_(r, "<ol>\n");
        else dk_buf_printf(&r->out, "<ol start=\"%u\">\n", start);
        break;
    }
    case MD_BLOCK_LI: {
        const MD_BLOCK_LI_DETAIL *d = detail;
        if (!d->is_task) {
            puts_(r, "<li>");
            break;
        }
        puts_(r, "<li class=\"task-list-item\">"
                 "<input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled");
        if (d->task_mark == 'x' || d->task_mark == 'X') puts_(r, " checked");
        puts_(r, ">");
        break;
    }
    case MD_BLOCK_HR: puts_(r, "<hr>\n"); break;
    case MD_BLOCK_H: dk_buf_printf(&r->out, "<h%u>", ((MD_BLOCK_H_DETAIL *)detail)->level); break;
    case MD_BLOCK_CODE: {
        const MD_BLOCK_CODE_DETAIL *d = detail;
        puts_(r, "<pre><code");
        if (d->lang.text) {
            puts_(r, " class=\"");
            if (d->lang.size < 9 || strncmp(d->lang.text, "language-", 9) != 0)
                puts_(r, "language-");
            put_attr(r, &d->lang, ESC_HTML);
            puts_(r, "\"");
        }
        puts_(r, ">");
        break;
    }
    case MD_BLOCK_HTML: break;
    case MD_BLOCK_P: puts_(r, "<p>"); break;
    case MD_BLOCK_TABLE: puts_(r, "<table>\n"); break;
    case MD_BLOCK_THEAD: puts_(r, "<thead>\n"); break;
    case MD_BLOCK_TBODY: puts_(r, "<tbody>\n"); break;
    case MD_BLOCK_TR: puts_(r, "<tr>\n"); break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: {
        static const char *const align[] = {"", " style=\"text-align: left\"",
                                            " style=\"text-align: center\"",
                                            " style=\"text-align: right\""};
        MD_ALIGN al = ((MD_BLOCK_TD_DETAIL *)detail)->align;
        dk_buf_printf(&r->out, "<%s%s>", type == MD_BLOCK_TH ? "th" : "td",
                      al >= MD_ALIGN_LEFT && al <= MD_ALIGN_RIGHT ? align[al] : "");
        break;
    }
    }
    return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud) {
    render *r = ud;
    switch (type) {
    case MD_BLOCK_DOC: break;
    case MD_BLOCK_QUOTE: puts_(r, "</blockquote>\n"); break;
    case MD_BLOCK_UL: puts_(r, "</ul>\n"); break;
    case MD_BLOCK_OL: puts_(r, "</ol>\n"); break;
    case MD_BLOCK_LI: puts_(r, "</li>\n"); break;
    case MD_BLOCK_HR: break;
    case MD_BLOCK_H: dk_buf_printf(&r->out, "</h%u>\n", ((MD_BLOCK_H_DETAIL *)detail)->level); break;
    case MD_BLOCK_CODE: puts_(r, "</code></pre>\n"); break;
    case MD_BLOCK_HTML: break;
    case MD_BLOCK_P: puts_(r, "</p>\n"); break;
    case MD_BLOCK_TABLE: puts_(r, "</table>\n"); break;
    case MD_BLOCK_THEAD: puts_(r, "</thead>\n"); break;
    case MD_BLOCK_TBODY: puts_(r, "</tbody>\n"); break;
    case MD_BLOCK_TR: puts_(r, "</tr>\n"); break;
    case MD_BLOCK_TH: puts_(r, "</th>\n"); break;
    case MD_BLOCK_TD: puts_(r, "</td>\n"); break;
    }
    return 0;
}

/*
 * Spans. Inside an image description only text is written (it becomes the
 * alt attribute), as CommonMark recommends and md4c-html does.
 */
static int enter_span(MD_SPANTYPE type, void *detail, void *ud) {
    render *r = ud;
    int inside_img = r->img_level > 0;
    if (type == MD_SPAN_IMG) r->img_level++;
    if (inside_img) return 0;
    gen(r);
    switch (type) {
    case MD_SPAN_EM: puts_(r, "<em>"); break;
    case MD_SPAN_STRONG: puts_(r, "<strong>"); break;
    case MD_SPAN_U: puts_(r, "<u>"); break;
    case MD_SPAN_CODE: puts_(r, "<code>"); break;
    case MD_SPAN_DEL: puts_(r, "<del>"); break;
    case MD_SPAN_A: {
        const MD_SPAN_A_DETAIL *d = detail;
        puts_(r, "<a href=\"");
        put_attr(r, &d->href, ESC_URL);
        if (d->title.text) {
            puts_(r, "\" title=\"");
            put_attr(r, &d->title, ESC_HTML);
        }
        puts_(r, "\">");
        break;
    }
    case MD_SPAN_IMG:
        puts_(r, "<img src=\"");
        put_attr(r, &((MD_SPAN_IMG_DETAIL *)detail)->src, ESC_URL);
        puts_(r, "\" alt=\"");
        break;
    default: break; /* math and wiki links are not enabled */
    }
    return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *ud) {
    render *r = ud;
    if (type == MD_SPAN_IMG) r->img_level--;
    if (r->img_level > 0) return 0;
    switch (type) {
    case MD_SPAN_EM: puts_(r, "</em>"); break;
    case MD_SPAN_STRONG: puts_(r, "</strong>"); break;
    case MD_SPAN_U: puts_(r, "</u>"); break;
    case MD_SPAN_CODE: puts_(r, "</code>"); break;
    case MD_SPAN_DEL: puts_(r, "</del>"); break;
    case MD_SPAN_A: puts_(r, "</a>"); break;
    case MD_SPAN_IMG: {
        const MD_SPAN_IMG_DETAIL *d = detail;
        if (d->title.text) {
            puts_(r, "\" title=\"");
            put_attr(r, &d->title, ESC_HTML);
        }
        puts_(r, "\">");
        break;
    }
    default: break;
    }
    return 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *t, MD_SIZE n, void *ud) {
    render *r = ud;
    switch (type) {
    case MD_TEXT_NULLCHAR: puts_(r, "\xEF\xBF\xBD"); break;
    case MD_TEXT_BR: puts_(r, r->img_level ? " " : "<br>\n"); break;
    case MD_TEXT_SOFTBR: puts_(r, r->img_level ? " " : "\n"); break;
    case MD_TEXT_HTML:
        if (r->img_level) { /* inside alt="...": a quote in the tag would end it */
            put_escaped(r, t, n, ESC_HTML);
            break;
        }
        /* fall through */
    case MD_TEXT_ENTITY: /* verbatim: gumbo decodes entities */
        mark(r, t);
        put(r, t, n);
        break;
    default: put_escaped(r, t, n, ESC_HTML); break;
    }
    return r->oom || r->out.oom; /* non-zero aborts md_parse */
}

/*
 * Render slide `s` with md4c into `out` (HTML text and source map, both in
 * the arena). Fails only with DK_ENOMEM.
 */
dk_status dk_md_render(dk_ctx *ctx, dk_arena *a, const char *src, const dk_slide *s, dk_html *out) {
    (void)ctx; /* Markdown has no errors: anything is some document */
    dk_status st = DK_OK;
    render r = {.lo = src + s->start, .hi = src + s->end, .src = src, .pending = (size_t)-1};
    MD_PARSER parser = {
        .flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS |
                 MD_FLAG_PERMISSIVEAUTOLINKS,
        .enter_block = enter_block,
        .leave_block = leave_block,
        .enter_span = enter_span,
        .leave_span = leave_span,
        .text = text,
    };
    *out = (dk_html){0};
    int rc = md_parse(r.lo, (MD_SIZE)(s->end - s->start), &parser, &r);
    if (rc != 0 || r.oom || r.out.oom) {
        st = DK_ENOMEM; /* md4c fails only on allocation; our callbacks only on OOM */
        goto done;
    }
    char *html = dk_arena_strndup(a, r.out.p ? r.out.p : "", r.out.n);
    dk_srcpair *map = dk_arena_alloc(a, (r.nmap ? r.nmap : 1) * sizeof *map);
    if (!html || !map) {
        st = DK_ENOMEM;
        goto done;
    }
    if (r.nmap) memcpy(map, r.map, r.nmap * sizeof *map);
    *out = (dk_html){html, r.out.n, map, r.nmap, s->start, s->end};
done:
    dk_buf_free(&r.out);
    free(r.map);
    return st;
}

/*
 * Binary search for the last pair at or before `html_off`; the distance
 * past it is added, but never beyond the next pair's deck offset (bytes in
 * between were generated or escaped) nor past the end of the slide.
 */
size_t dk_html_deck_offset(const dk_html *h, size_t html_off) {
    if (!h || !h->nmap || html_off < h->map[0].html_off) return DK_NOPOS;
    size_t lo = 0, hi = h->nmap; /* invariant: map[lo].html_off <= html_off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->map[mid].html_off <= html_off) lo = mid;
        else hi = mid;
    }
    const dk_srcpair *p = &h->map[lo];
    size_t d = p->deck_off + (html_off - p->html_off);
    if (lo + 1 < h->nmap && h->map[lo + 1].deck_off >= p->deck_off)
        d = DK_MIN(d, h->map[lo + 1].deck_off);
    if (h->deck_end > p->deck_off) d = DK_MIN(d, h->deck_end);
    return d;
}
