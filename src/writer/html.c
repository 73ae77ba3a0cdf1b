/*
 * writer/html implementation: the HTML serializer and URL rewriting.
 *
 * Serialization follows the HTML standard's fragment serialization
 * algorithm (escape `& < >` and U+00A0 in text, `& "` and U+00A0 in
 * attributes; no end tag for void elements; raw text for <style>,
 * <script> and friends; an extra newline after <pre> whose text starts
 * with one, because the parser drops the first). It walks the tree
 * without recursion, like dom/ builds it.
 *
 * URL rewriting: a relative `src` is percent-decoded into a file path,
 * joined to the deck's folder, made absolute with realpath() (or by hand
 * when the file is missing), and expressed relative to the output folder,
 * percent-encoding every byte outside a conservative safe set.
 */
#define _GNU_SOURCE
#include "html.h"

#include "../box/box.h"
#include "../css/css.h"

#include <fontconfig/fontconfig.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int is_one_of(const char *tag, const char *const *list) {
    for (; *list; list++)
        if (strcmp(tag, *list) == 0) return 1;
    return 0;
}

static const char *const void_tags[] = {"area", "base", "br", "col", "embed", "hr", "img",
                                        "input", "link", "meta", "source", "track", "wbr",
                                        "param", "keygen", "basefont", "bgsound", "frame", NULL};
static const char *const raw_tags[] = {"style", "script", "xmp", "iframe", "noembed",
                                       "noframes", "plaintext", "noscript", NULL};

/* Escape for text content (attr = 0) or a double-quoted attribute value (attr = 1). */
static void put_escaped(dk_buf *b, const char *s, size_t n, int attr) {
    size_t beg = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = NULL;
        size_t skip = 1;
        if (s[i] == '&') e = "&amp;";
        else if (s[i] == '"' && attr) e = "&quot;";
        else if (s[i] == '<' && !attr) e = "&lt;";
        else if (s[i] == '>' && !attr) e = "&gt;";
        else if (s[i] == '\xC2' && i + 1 < n && s[i + 1] == '\xA0') e = "&nbsp;", skip = 2;
        if (!e) continue;
        dk_buf_add(b, s + beg, i - beg);
        dk_buf_adds(b, e);
        i += skip - 1;
        beg = i + 1;
    }
    dk_buf_add(b, s + beg, n - beg);
}

/* How to write `src` of an element; NULL: as it is. */
typedef struct {
    const char *deck_dir; /* NULL: "." */
    const char *out_dir;  /* realpath of the output folder, or NULL when unknown */
    int fit;              /* the text was shrunk to fit: pin computed font sizes (fit_style) */
    const dk_box *body;   /* the laid-out slide (NULL: unknown) */
} rewriter;

/* Did deckle draw `img` as a missing image (not found, or refused: outside the project)? */
static int image_missing(const dk_box *b, const dk_node *img) {
    for (; b; b = b->next) {
        if (b->node == img && b->kind == DK_BOX_IMAGE) return !b->checkbox && (!b->image || b->image->missing);
        if (image_missing(b->first, img)) return 1;
    }
    return 0;
}

/*
 * When render/ shrank a slide's text to fit, its absolute font sizes and
 * line heights were scaled in the cascade, which no CSS of the theme says.
 * The export pins every element's computed font-size and line-height with
 * an inline !important declaration (it outranks the theme's !important,
 * css-cascade-4 §6.1), so a browser lays out the text deckle laid out.
 */
static void fit_style(dk_buf *b, const dk_node *n) {
    const dk_style *st = n->style;
    dk_buf_printf(b, "font-size: %.3fpx !important; ", st->font_size);
    if (st->line_height_factor > 0)
        dk_buf_printf(b, "line-height: %.4f !important; ", st->line_height_factor);
    else if (st->line_height >= 0)
        dk_buf_printf(b, "line-height: %.3fpx !important; ", st->line_height);
    else
        dk_buf_adds(b, "line-height: normal !important; ");
}

static int rewrite_families(const char *v, size_t n, dk_buf *out);

/*
 * Every element's font-family as deckle resolved it (rewrite_families of
 * its computed list), inline and !important: the list may come through
 * var() or the `font` shorthand, which dk_export_fonts_css does not see.
 */
static void family_style(dk_buf *b, const dk_node *n) {
    const char *f = n->style->font_family;
    if (!f) return;
    dk_buf_adds(b, "font-family: ");
    if (!rewrite_families(f, strlen(f), b)) dk_buf_adds(b, "\"DejaVu Sans\"");
    dk_buf_adds(b, " !important; ");
}

static void rewrite_src(const rewriter *rw, const char *src, dk_buf *out);

static void put_start_tag(dk_buf *b, const dk_node *n, const rewriter *rw) {
    dk_buf_printf(b, "<%s", n->tag);
    int rewrite = rw && (strcmp(n->tag, "img") == 0 || strcmp(n->tag, "source") == 0);
    int pin = rw && n->style && !dk_node_is(n, "head") && !is_one_of(n->tag, raw_tags);
    int fit = pin && rw->fit;
    for (const dk_attr *a = n->attrs; a; a = a->next) {
        dk_buf_printf(b, " %s=\"", a->name);
        if (rw && strcmp(a->name, "style") == 0) {
            dk_buf v = {0};
            dk_export_fonts_css(a->value, strlen(a->value), &v);
            if (pin) {
                if (v.n) dk_buf_adds(&v, "; ");
                family_style(&v, n);
            }
            if (fit) fit_style(&v, n);
            if (v.oom) b->oom = 1;
            put_escaped(b, v.p ? v.p : "", v.n, 1);
            dk_buf_free(&v);
            pin = fit = 0;
        } else if (rewrite && strcmp(a->name, "src") == 0 && rw->body && dk_node_is(n, "img") &&
                   image_missing(rw->body, n)) {
            /* nothing a browser could load: the broken image deckle drew (a URL that fails,
               not src="", which would make an image without alt represent nothing) */
            dk_buf_adds(b, "about:invalid");
        } else if (rewrite && strcmp(a->name, "src") == 0) {
            dk_buf url = {0};
            rewrite_src(rw, a->value, &url);
            if (url.oom) b->oom = 1;
            put_escaped(b, url.p ? url.p : "", url.n, 1);
            dk_buf_free(&url);
        } else {
            put_escaped(b, a->value, strlen(a->value), 1);
        }
        dk_buf_addc(b, '"');
    }
    if (pin) {
        dk_buf v = {0};
        family_style(&v, n);
        if (fit) fit_style(&v, n);
        if (v.oom) b->oom = 1;
        dk_buf_adds(b, " style=\"");
        put_escaped(b, v.p ? v.p : "", v.n, 1);
        dk_buf_addc(b, '"');
        dk_buf_free(&v);
    }
    dk_buf_addc(b, '>');
}

/* Serialize `top` and its subtree (see the note at the top of the file). */
static void serialize(const dk_node *top, dk_buf *b, const rewriter *rw) {
    const dk_node *n = top;
    while (n) {
        if (n->type == DK_NODE_TEXT) {
            const dk_node *p = n->parent;
            if (rw && p && dk_node_is(p, "style"))
                dk_export_fonts_css(n->text, n->text_len, b); /* fonts as deckle has them */
            else if (p && p->type == DK_NODE_ELEMENT && is_one_of(p->tag, raw_tags))
                dk_buf_add(b, n->text, n->text_len);
            else
                put_escaped(b, n->text, n->text_len, 0);
        } else {
            put_start_tag(b, n, rw);
            if ((dk_node_is(n, "pre") || dk_node_is(n, "textarea") || dk_node_is(n, "listing")) &&
                n->first && n->first->type == DK_NODE_TEXT && n->first->text[0] == '\n')
                dk_buf_addc(b, '\n');
            if (n->first) {
                n = n->first; /* descend; the end tag comes on the way up */
                continue;
            }
            if (!is_one_of(n->tag, void_tags)) dk_buf_printf(b, "</%s>", n->tag);
        }
        /* up: close every element we finish, until one has a next sibling */
        while (n != top && !n->next) {
            n = n->parent;
            dk_buf_printf(b, "</%s>", n->tag);
        }
        n = n == top ? NULL : n->next;
    }
}

void dk_serialize_html(const dk_node *n, dk_buf *out) { serialize(n, out, NULL); }

/* ---- fonts ----------------------------------------------------------------- */

static int fam_ident(unsigned char c) {
    return c == '-' || c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') ||
           c >= 0x80;
}

/*
 * What deckle's private font configuration (src/text/fonts.c) makes of one
 * family of a list: the bundled DejaVu faces and the Noto fallback fonts are
 * themselves; generic families are DejaVu Sans, or DejaVu Sans Mono for
 * monospace; any other name is not installed for deckle and is skipped
 * (NULL). A browser would find many of those names (Arial, Times, Noto
 * Sans) among the system's fonts, and the generic ones elsewhere too.
 */
static const char *deckle_family(const char *f, size_t n, int quoted) {
    static const char *const generic_sans[] = {"sans-serif", "serif", "system-ui", "cursive",
                                               "fantasy", "ui-sans-serif", "ui-serif",
                                               "ui-rounded", "-apple-system", NULL};
    if (n == 11 && !strncasecmp(f, "DejaVu Sans", 11)) return "\"DejaVu Sans\"";
    if (n == 16 && !strncasecmp(f, "DejaVu Sans Mono", 16)) return "\"DejaVu Sans Mono\"";
    if (n > 10 && (!strncasecmp(f, "Noto Sans ", 10) || !strncasecmp(f, "Noto Color", 10))) return "";
    if (quoted) return NULL;
    if ((n == 9 && !strncasecmp(f, "monospace", 9)) || (n == 12 && !strncasecmp(f, "ui-monospace", 12)))
        return "\"DejaVu Sans Mono\"";
    if (n == 5 && !strncasecmp(f, "emoji", 5)) return "\"Noto Color Emoji\"";
    for (int i = 0; generic_sans[i]; i++)
        if (strlen(generic_sans[i]) == n && !strncasecmp(f, generic_sans[i], n)) return "\"DejaVu Sans\"";
    return NULL;
}

/*
 * Rewrite one font-family value v[0, n) as deckle resolves it: each family
 * through deckle_family, unknown ones dropped, "DejaVu Sans" last (fonts.c
 * appends sans-serif to every list). 0 when the value is not a plain list
 * (var(), a CSS-wide keyword): it is then kept as written.
 */
static int rewrite_families(const char *v, size_t n, dk_buf *out) {
    dk_buf r = {0};
    size_t i = 0;
    int any = 0;
    while (i < n) {
        while (i < n && strchr(" \t\r\n\f", v[i])) i++;
        if (i >= n) break;
        const char *f;
        size_t fn;
        int quoted = v[i] == '"' || v[i] == '\'';
        if (quoted) {
            char q = v[i++];
            f = v + i;
            while (i < n && v[i] != q) i++;
            fn = (size_t)(v + i - f);
            if (i < n) i++;
        } else {
            f = v + i;
            while (i < n && v[i] != ',') {
                if (!fam_ident((unsigned char)v[i]) && !strchr(" \t\r\n\f", v[i])) {
                    dk_buf_free(&r);
                    return 0; /* a function, a slash: not a plain family list */
                }
                i++;
            }
            fn = (size_t)(v + i - f);
            while (fn && strchr(" \t\r\n\f", f[fn - 1])) fn--;
            if ((fn == 7 && !strncasecmp(f, "inherit", 7)) || (fn == 7 && !strncasecmp(f, "initial", 7)) ||
                (fn == 5 && !strncasecmp(f, "unset", 5))) {
                dk_buf_free(&r);
                return 0;
            }
        }
        while (i < n && strchr(" \t\r\n\f", v[i])) i++;
        if (i < n && v[i] != ',') {
            dk_buf_free(&r);
            return 0;
        }
        i++;
        const char *m = deckle_family(f, fn, quoted);
        if (m && !*m) { /* kept as written */
            dk_buf_printf(&r, "%s\"%.*s\"", any ? ", " : "", (int)fn, f);
            any = 1;
        } else if (m) {
            dk_buf_printf(&r, "%s%s", any ? ", " : "", m);
            any = 1;
        }
    }
    dk_buf_printf(&r, "%s\"DejaVu Sans\"", any ? ", " : "");
    if (r.oom) out->oom = 1;
    else dk_buf_add(out, r.p, r.n);
    dk_buf_free(&r);
    return 1;
}

void dk_export_fonts_css(const char *css, size_t n, dk_buf *out) {
    size_t copied = 0;
    for (size_t i = 0; i < n; i++) {
        char c = css[i];
        size_t skip = dk_css_skip_opaque(css, n, i);
        if (skip != i) {
            i = skip;
            continue;
        }
        if ((c | 32) != 'f' || i + 11 > n || strncasecmp(css + i, "font-family", 11) != 0 ||
            (i > 0 && fam_ident((unsigned char)css[i - 1])) ||
            (i + 11 < n && fam_ident((unsigned char)css[i + 11])))
            continue;
        size_t j = i + 11;
        while (j < n && strchr(" \t\r\n\f", css[j])) j++;
        if (j >= n || css[j] != ':') continue;
        size_t vb = j + 1, ve = vb;
        while (ve < n && css[ve] != ';' && css[ve] != '}' && css[ve] != '!') {
            if (css[ve] == '"' || css[ve] == '\'') {
                char q = css[ve++];
                while (ve < n && css[ve] != q) ve++;
            }
            if (ve < n) ve++;
        }
        dk_buf val = {0};
        if (rewrite_families(css + vb, ve - vb, &val)) {
            dk_buf_add(out, css + copied, vb - copied);
            dk_buf_addc(out, ' ');
            dk_buf_add(out, val.p, val.n);
            dk_buf_addc(out, ' ');
            copied = ve;
        }
        if (val.oom) out->oom = 1;
        dk_buf_free(&val);
        i = ve > i ? ve - 1 : i;
    }
    dk_buf_add(out, css + copied, n - copied);
}

/* ---- URLs ---------------------------------------------------------------- */

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c |= 32;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Length of a URL scheme ("http" in "http://"), or 0 when there is none. */
static size_t scheme_len(const char *u) {
    size_t i = 0;
    if (!((u[0] | 32) >= 'a' && (u[0] | 32) <= 'z')) return 0;
    while (u[i] && u[i] != ':') {
        char c = u[i];
        if (!((c | 32) >= 'a' && (c | 32) <= 'z') && !(c >= '0' && c <= '9') && c != '+' &&
            c != '-' && c != '.')
            return 0;
        i++;
    }
    return u[i] == ':' ? i : 0;
}

int dk_url_local_path(const char *url, dk_buf *out) {
    size_t s = scheme_len(url);
    if (s) {
        if (s != 4 || strncmp(url, "file", 4) != 0) return 0;
        url += 5;
        if (strncmp(url, "//", 2) == 0) {
            url += 2;
            url += strcspn(url, "/"); /* the host ("" or localhost) */
        }
    }
    size_t n = strcspn(url, "?#");
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (url[i] == '%' && i + 2 < n && (h = hexval(url[i + 1])) >= 0 &&
            (l = hexval(url[i + 2])) >= 0) {
            dk_buf_addc(out, (char)(h * 16 + l));
            i += 2;
        } else {
            dk_buf_addc(out, url[i]);
        }
    }
    return 1;
}

/* Append bytes percent-encoded as one URL path (slashes kept). */
static void put_url_path(dk_buf *b, const char *p, size_t n) {
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~!$'()*+,;=@/", c)) /* ':' is encoded: it could read as a scheme */
            dk_buf_addc(b, (char)c);
        else
            dk_buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
    }
}

void dk_url_relative(const char *from_dir, const char *abs_path, dk_buf *out) {
    /* skip the common folders, then climb out of the rest of from_dir */
    const char *o = from_dir, *t = abs_path;
    size_t common = 0; /* length of the common prefix that ends at a folder boundary */
    for (size_t i = 0;; i++) {
        int oe = o[i] == 0 || o[i] == '/', te = t[i] == 0 || t[i] == '/';
        if (oe && te) common = i;
        if (o[i] == 0 || t[i] == 0 || o[i] != t[i]) break;
    }
    for (const char *p = o + common; *p; p++)
        if (*p == '/' && p[1]) dk_buf_adds(out, "../");
    const char *rest = t + common;
    if (*rest == '/') rest++;
    put_url_path(out, rest, strlen(rest));
}

void dk_export_font_faces(const char *fonts_dir, const char *out_dir, dk_buf *css) {
    char *rfonts = realpath(fonts_dir, NULL), *rout = realpath(out_dir, NULL);
    FcFontSet *set = FcFontSetCreate();
    FcStrSet *dirs = FcStrSetCreate();
    if (!rfonts || !rout || !set || !dirs) goto done;
    FcDirScan(set, dirs, NULL, NULL, (const FcChar8 *)rfonts, FcTrue);
    for (int i = 0; i < set->nfont; i++) {
        FcChar8 *file, *family;
        int weight, slant;
        if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch ||
            FcPatternGetString(set->fonts[i], FC_FAMILY, 0, &family) != FcResultMatch)
            continue;
        if (FcPatternGetInteger(set->fonts[i], FC_WEIGHT, 0, &weight) != FcResultMatch)
            weight = FC_WEIGHT_REGULAR;
        if (FcPatternGetInteger(set->fonts[i], FC_SLANT, 0, &slant) != FcResultMatch)
            slant = FC_SLANT_ROMAN;
        dk_buf_printf(css, "@font-face { font-family: \"%s\"; src: url(\"", (const char *)family);
        dk_url_relative(rout, (const char *)file, css);
        dk_buf_printf(css, "\"); font-weight: %d; font-style: %s; }\n",
                      (int)FcWeightToOpenType(weight), slant == FC_SLANT_ROMAN ? "normal" : "italic");
    }
done:
    if (set) FcFontSetDestroy(set);
    if (dirs) FcStrSetDestroy(dirs);
    free(rfonts);
    free(rout);
}

/*
 * Make `path` absolute and canonical: realpath() when it exists, else the
 * realpath of its folder plus its name, else cwd-joined with "." and ".."
 * folded by hand. Returns a malloc'd string or NULL (OOM).
 */
static char *absolute(const char *path) {
    char *r = realpath(path, NULL);
    if (r) return r;
    dk_buf b = {0};
    const char *slash = strrchr(path, '/');
    if (slash && slash[1]) {
        char *dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
        char *rd = dir ? realpath(dir, NULL) : NULL;
        free(dir);
        if (rd) {
            dk_buf_printf(&b, "%s/%s", strcmp(rd, "/") ? rd : "", slash + 1);
            free(rd);
            return b.oom ? (dk_buf_free(&b), NULL) : b.p;
        }
    }
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (cwd) dk_buf_adds(&b, cwd);
        free(cwd);
    }
    dk_buf_addc(&b, '/');
    dk_buf_adds(&b, path);
    if (b.oom) {
        dk_buf_free(&b);
        return NULL;
    }
    /* fold "//", "/./" and "/x/../" in place */
    char *w = b.p;
    for (const char *p = b.p; *p;) {
        while (*p == '/') p++;
        const char *e = p + strcspn(p, "/");
        size_t n = (size_t)(e - p);
        if (n == 0 || (n == 1 && p[0] == '.')) {
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (w > b.p && *--w != '/') {
            }
        } else {
            *w++ = '/';
            memmove(w, p, n);
            w += n;
        }
        p = e;
    }
    if (w == b.p) *w++ = '/';
    *w = 0;
    return b.p;
}

/*
 * Write the URL for `src` as seen from the output folder: unchanged unless
 * it is a relative local path; then relative to rw->out_dir, or a file://
 * URL. Errors (OOM) show as out->oom.
 */
static void rewrite_src(const rewriter *rw, const char *src, dk_buf *out) {
    dk_buf path = {0}, joined = {0};
    char *abs = NULL;
    if (src[0] == '/' || !dk_url_local_path(src, &path) || scheme_len(src)) {
        dk_buf_adds(out, src);
        goto done;
    }
    dk_buf_printf(&joined, "%s/%s", rw->deck_dir ? rw->deck_dir : ".", path.p);
    if (joined.oom || !(abs = absolute(joined.p))) {
        out->oom = 1;
        goto done;
    }
    if (!rw->out_dir) {
        dk_buf_adds(out, "file://");
        put_url_path(out, abs, strlen(abs));
    } else {
        dk_url_relative(rw->out_dir, abs, out);
    }
    dk_buf_adds(out, src + strcspn(src, "?#")); /* keep a query or fragment */
done:
    free(abs);
    dk_buf_free(&path);
    dk_buf_free(&joined);
}

/* The text content of `n`, white space collapsed (none leading), into `b`. */
static void text_content(const dk_node *n, dk_buf *b) {
    for (const dk_node *c = n->first; c; c = c->next) {
        if (c->type == DK_NODE_ELEMENT) {
            text_content(c, b);
            continue;
        }
        for (size_t i = 0; i < c->text_len; i++) {
            char ch = c->text[i];
            int sp = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f';
            if (!sp) dk_buf_addc(b, ch);
            else if (b->n && b->p[b->n - 1] != ' ') dk_buf_addc(b, ' ');
        }
    }
}

/*
 * Write the document (see html.h): head with our CSS and the slide's own
 * <style> elements, then the body as the DOM holds it.
 */
dk_status dk_export_html(dk_ctx *ctx, const dk_node *root, const char *css, size_t css_len,
                         const char *deck_dir, const char *out_path) {
    return dk_export_html_fit(ctx, root, css, css_len, deck_dir, out_path, 1, NULL);
}

dk_status dk_export_html_fit(dk_ctx *ctx, const dk_node *root, const char *css, size_t css_len,
                             const char *deck_dir, const char *out_path, double text_scale,
                             const dk_box *boxes) {
    (void)ctx; /* nothing in the input can be wrong here */
    dk_status st = DK_OK;
    dk_buf b = {0}, title = {0};
    char *out_dir = NULL;
    const char *slash = strrchr(out_path, '/');
    if (!slash) out_dir = realpath(".", NULL);
    else if (slash == out_path) out_dir = realpath("/", NULL);
    else {
        char *d = strndup(out_path, (size_t)(slash - out_path));
        out_dir = d ? realpath(d, NULL) : NULL;
        free(d);
    }
    rewriter rw = {deck_dir, out_dir, text_scale > 0 && text_scale < 1, boxes};
    const char *lang = dk_node_attr(root, "lang");
    dk_node *head = dk_node_find((dk_node *)root, "head");
    dk_node *body = dk_node_find((dk_node *)root, "body");
    static const char *const heads[] = {"title", "h1", "h2", "h3", "h4", "h5", "h6"};
    for (int i = 0; i < 7 && title.n == 0; i++) {
        dk_node *h = dk_node_find((dk_node *)root, heads[i]);
        if (h) text_content(h, &title);
    }
    if (title.n && title.p[title.n - 1] == ' ') title.p[--title.n] = 0;

    dk_buf_adds(&b, "<!DOCTYPE html>\n<html lang=\"");
    put_escaped(&b, lang ? lang : "en", strlen(lang ? lang : "en"), 1);
    if (root->style) { /* the root's font too (rem: its size was scaled with the rest) */
        dk_buf v = {0};
        family_style(&v, root);
        if (rw.fit) fit_style(&v, root);
        dk_buf_adds(&b, "\" style=\"");
        put_escaped(&b, v.p ? v.p : "", v.n, 1);
        if (v.oom) b.oom = 1;
        dk_buf_free(&v);
    }
    dk_buf_adds(&b, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    put_escaped(&b, title.n ? title.p : "deckle", title.n ? title.n : 6, 0);
    dk_buf_adds(&b, "</title>\n<style>\n");
    dk_buf_add(&b, css ? css : "", css ? css_len : 0);
    dk_buf_adds(&b, "\n</style>\n");
    for (const dk_node *c = head ? head->first : NULL; c; c = c->next) {
        if (!dk_node_is(c, "style")) continue;
        serialize(c, &b, &rw);
        dk_buf_addc(&b, '\n');
    }
    dk_buf_adds(&b, "</head>\n");
    if (body) serialize(body, &b, &rw);
    else dk_buf_adds(&b, "<body></body>");
    dk_buf_adds(&b, "\n</html>\n");
    if (b.oom || title.oom) {
        st = DK_ENOMEM;
        goto done;
    }
    st = dk_file_write_atomic(out_path, b.p, b.n);
done:
    free(out_dir);
    dk_buf_free(&b);
    dk_buf_free(&title);
    return st;
}

/* Index after the comment, string or single character at ua[i]. */
static size_t css_skip(const char *ua, size_t i) {
    if (ua[i] == '/' && ua[i + 1] == '*') {
        const char *e = strstr(ua + i + 2, "*/");
        return e ? (size_t)(e - ua) + 2 : strlen(ua);
    }
    if (ua[i] == '"' || ua[i] == '\'') {
        char q = ua[i++];
        while (ua[i] && ua[i] != q) i += ua[i] == '\\' && ua[i + 1] ? 2 : 1;
        return ua[i] ? i + 1 : i;
    }
    return i + 1;
}

/*
 * The rules in ua[*at ...] up to the '}' closing the enclosing block (or
 * the end): rule preludes wrapped in :where(), at-rule preludes kept and
 * their blocks rewritten the same way.
 */
static void ua_rules(const char *ua, size_t *at, dk_buf *css) {
    size_t i = *at;
    while (ua[i]) {
        while (ua[i] == ' ' || ua[i] == '\n' || ua[i] == '\t' || (ua[i] == '/' && ua[i + 1] == '*'))
            i = ua[i] == '/' ? css_skip(ua, i) : i + 1;
        if (!ua[i]) break;
        if (ua[i] == '}') {
            i++;
            break;
        }
        size_t p0 = i;
        while (ua[i] && ua[i] != '{' && ua[i] != ';') i = css_skip(ua, i);
        size_t p1 = i;
        while (p1 > p0 && (ua[p1 - 1] == ' ' || ua[p1 - 1] == '\n')) p1--;
        if (ua[i] == ';') { /* a statement at-rule */
            dk_buf_add(css, ua + p0, i + 1 - p0);
            dk_buf_addc(css, '\n');
            i++;
            continue;
        }
        if (!ua[i]) break;
        i++; /* past '{' */
        if (ua[p0] == '@') {
            dk_buf_add(css, ua + p0, p1 - p0);
            dk_buf_adds(css, " {\n");
            ua_rules(ua, &i, css);
            dk_buf_adds(css, "}\n");
            continue;
        }
        dk_buf_adds(css, ":where(");
        dk_buf_add(css, ua + p0, p1 - p0);
        dk_buf_adds(css, ") {");
        size_t d0 = i;
        while (ua[i] && ua[i] != '}') i = css_skip(ua, i);
        dk_buf_add(css, ua + d0, i - d0);
        dk_buf_adds(css, "}\n");
        if (ua[i]) i++;
    }
    *at = i;
}

void dk_export_ua_css(const char *ua, dk_buf *css) {
    size_t at = 0;
    while (ua[at]) ua_rules(ua, &at, css);
}
