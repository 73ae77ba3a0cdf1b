/*
 * marp/ implementation. See marp.h for what the tree looks like afterwards.
 *
 * Order of the passes: Obsidian embeds first (they create <img> elements
 * that may carry Marp keywords too), then speaker notes (so a `bg` image
 * inside the notes does not become the slide's background), then, for Marp
 * decks, images and the <section> wrap.
 *
 * Backgrounds. Marp draws `![bg]` images in extra absolutely positioned
 * layers. We keep to flow layout, so every engine lays the result out the
 * same way (ours and Chromium's, which the oracle compares): backgrounds
 * that fill the slide become CSS backgrounds of the <section> (several
 * images: one layer each, side by side or stacked); a split background
 * (`bg left:40%`) makes <body> a flex row of a figure column and the
 * section, which gets the rest of the width, as in Marp.
 */
#define _GNU_SOURCE
#include "marp.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../md/md.h"

/* ---- image keywords ----------------------------------------------------------------- */

/* Is `s` (n bytes) a CSS-ish number with an optional unit? */
static int is_length(const char *s, size_t n) {
    size_t i = 0, digits = 0;
    while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) i++, digits++;
    if (!digits) return 0;
    for (; i < n; i++)
        if (!((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') && s[i] != '%') return 0;
    return 1;
}

/* Copy a length into out (cap bytes), adding "px" to a bare number. */
static void put_length(char *out, size_t cap, const char *s, size_t n) {
    int bare = 1;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) bare = 0;
    snprintf(out, cap, "%.*s%s", (int)n, s, bare ? "px" : "");
}

int dk_marp_parse_alt(const char *alt, dk_marp_img *out, char *rest, size_t cap) {
    static const char *const filters[] = {"blur", "brightness", "contrast", "drop-shadow",
                                          "grayscale", "hue-rotate", "invert", "opacity",
                                          "saturate", "sepia"};
    static const char *const filter_default[] = {"10px", "1.5", "2", "0 5px 10px rgba(0,0,0,.4)",
                                                 "1", "180deg", "1", "0.5", "2", "1"};
    memset(out, 0, sizeof *out);
    out->split_pct = 50;
    size_t rn = 0, fn = 0;
    int found = 0;
    if (cap) rest[0] = 0;
    for (const char *p = alt ? alt : ""; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n') p++;
        size_t n = strcspn(p, " \t\n");
        if (!n) break;
        const char *w = p, *colon = memchr(w, ':', n);
        size_t kn = colon ? (size_t)(colon - w) : n;
        const char *v = colon ? colon + 1 : NULL;
        size_t vn = colon ? n - kn - 1 : 0;
        p += n;
        int kw = 1;
#define IS(lit) (kn == sizeof(lit) - 1 && strncmp(w, lit, kn) == 0)
        if (IS("bg") && !v) out->bg = 1;
        else if ((IS("left") || IS("right")) && (!v || is_length(v, vn))) {
            out->split = w[0] == 'l' ? 'l' : 'r';
            if (v) out->split_pct = atof(v);
        } else if (IS("vertical") && !v) out->vertical = 1;
        else if ((IS("cover") || IS("contain") || IS("auto")) && !v) snprintf(out->size, sizeof out->size, "%.*s", (int)kn, w);
        else if (IS("fit") && !v) snprintf(out->size, sizeof out->size, "contain");
        else if (!v && n > 1 && w[n - 1] == '%' && is_length(w, n)) snprintf(out->size, sizeof out->size, "%.*s", (int)n, w);
        else if ((IS("w") || IS("width")) && v && is_length(v, vn)) put_length(out->width, sizeof out->width, v, vn);
        else if ((IS("h") || IS("height")) && v && is_length(v, vn)) put_length(out->height, sizeof out->height, v, vn);
        else {
            kw = 0;
            for (size_t f = 0; f < sizeof filters / sizeof *filters; f++) {
                if (kn != strlen(filters[f]) || strncmp(w, filters[f], kn) != 0) continue;
                int k = snprintf(out->filter + fn, sizeof out->filter - fn, "%s%s(%.*s)",
                                 fn ? " " : "", filters[f], v ? (int)vn : (int)strlen(filter_default[f]),
                                 v ? v : filter_default[f]);
                if (k > 0 && fn + (size_t)k < sizeof out->filter) fn += (size_t)k;
                kw = 1;
            }
        }
#undef IS
        if (kw) {
            found++;
        } else if (cap && rn + n + 2 <= cap) {
            if (rn) rest[rn++] = ' ';
            memcpy(rest + rn, w, n);
            rn += n;
            rest[rn] = 0;
        }
    }
    if (out->split_pct <= 0 || out->split_pct >= 100) out->split_pct = 50;
    return found;
}

/* ---- finding embedded files --------------------------------------------------------- */

static int is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **dk_marp_list_dir(const char *dir, size_t *n) {
    *n = 0;
    DIR *dh = opendir(dir);
    if (!dh) return NULL;
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0) continue;
        if (nn == cap) {
            cap = cap ? cap * 2 : 32;
            char **more = realloc(names, cap * sizeof *more);
            if (!more) break;
            names = more;
        }
        if (!(names[nn] = strdup(e->d_name))) break;
        nn++;
    }
    closedir(dh);
    if (!names && !(names = malloc(sizeof *names))) return NULL;
    if (nn) qsort(names, nn, sizeof *names, cmp_names);
    *n = nn;
    return names;
}

/* Does relative path `rel` end with `name` at a path-component boundary? */
static int path_matches(const char *rel, const char *name) {
    size_t r = strlen(rel), n = strlen(name);
    return r >= n && strcmp(rel + r - n, name) == 0 && (r == n || rel[r - n - 1] == '/');
}

enum { FIND_MAX_DIRS = 4096, FIND_MAX_DEPTH = 12 };

char *dk_marp_find_file(const char *root, const char *deck_dir, const char *name) {
    char *hit = NULL;
    if (!name || !*name || strstr(name, "..")) return NULL;
    size_t dn = strlen(deck_dir) + strlen(name) + 2;
    hit = malloc(dn);
    if (!hit) return NULL;
    snprintf(hit, dn, "%s/%s", deck_dir, name);
    if (is_file(hit)) return hit;
    free(hit);
    hit = NULL;
    if (!root) root = deck_dir;
    /* breadth-first: a queue of folders relative to root ("" is root itself) */
    char **queue = calloc(FIND_MAX_DIRS, sizeof *queue);
    int *depth = calloc(FIND_MAX_DIRS, sizeof *depth);
    int head = 0, tail = 0;
    if (!queue || !depth || !(queue[tail++] = strdup(""))) goto done;
    while (head < tail && !hit) {
        const char *rel = queue[head];
        int dep = depth[head];
        head++;
        size_t pn = strlen(root) + strlen(rel) + 2;
        char *dir = malloc(pn);
        if (!dir) goto done;
        snprintf(dir, pn, "%s%s%s", root, *rel ? "/" : "", rel);
        size_t nn;
        char **names = dk_marp_list_dir(dir, &nn);
        free(dir);
        if (!names) continue;
        for (size_t i = 0; i < nn; i++) {
            size_t ln = strlen(rel) + strlen(names[i]) + 2;
            char *r = malloc(ln), *full = NULL;
            if (r) {
                snprintf(r, ln, "%s%s%s", rel, *rel ? "/" : "", names[i]);
                size_t fl = strlen(root) + ln + 1;
                if ((full = malloc(fl))) snprintf(full, fl, "%s/%s", root, r);
            }
            struct stat st;
            if (full && !hit && stat(full, &st) == 0) {
                if (S_ISREG(st.st_mode) && path_matches(r, name)) {
                    hit = full;
                    full = NULL;
                } else if (S_ISDIR(st.st_mode) && dep < FIND_MAX_DEPTH && tail < FIND_MAX_DIRS) {
                    depth[tail] = dep + 1;
                    queue[tail++] = r;
                    r = NULL;
                }
            }
            free(full);
            free(r);
            free(names[i]);
        }
        free(names);
    }
done:
    if (queue)
        for (int i = 0; i < tail; i++) free(queue[i]);
    free(queue);
    free(depth);
    return hit;
}

/* ---- helpers ------------------------------------------------------------------------- */

typedef struct {
    dk_ctx *ctx;
    dk_arena *a;
    const dk_marp_in *in;
    dk_status st; /* sticky: DK_ENOMEM once an allocation failed */
} job;

/* Record an allocation result; returns p. */
static void *ok(job *j, void *p) {
    if (!p) j->st = DK_ENOMEM;
    return p;
}

static void set_attr(job *j, dk_node *n, const char *name, const char *v, size_t src) {
    if (j->st == DK_OK) j->st = dk_node_set_attr(j->a, n, name, v, src);
}

static dk_node *child_el(dk_node *n, const char *tag) {
    for (dk_node *k = n ? n->first : NULL; k; k = k->next)
        if (dk_node_is(k, tag)) return k;
    return NULL;
}

/* Is the element's content only white space (and no elements)? */
static int is_empty(const dk_node *n) {
    for (const dk_node *k = n->first; k; k = k->next) {
        if (k->type == DK_NODE_ELEMENT) return 0;
        if (strspn(k->text, " \t\r\n") < k->text_len) return 0;
    }
    return 1;
}

/* The next node in document order under `root`, skipping n's subtree when `skip`. */
static dk_node *next_node(dk_node *root, dk_node *n, int skip) {
    if (!skip && n->first) return n->first;
    while (n != root && !n->next) n = n->parent;
    return n == root ? NULL : n->next;
}

/* Elements whose text is code or not text at all: no wikilinks or notes inside. */
static int is_verbatim(const dk_node *n) {
    return dk_node_is(n, "pre") || dk_node_is(n, "code") || dk_node_is(n, "script") ||
           dk_node_is(n, "style") || dk_node_is(n, "textarea");
}

/* ---- Obsidian embeds and wikilinks --------------------------------------------------- */

static int is_image_name(const char *s, size_t n) {
    static const char *const exts[] = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif"};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && strncasecmp(s + n - e, exts[i], e) == 0) return 1;
    }
    return 0;
}

/*
 * One `![[target|opts]]` embed at deck offset `off`: an <img> for an image
 * file, else the target's name as text (note transclusion, reported).
 */
static dk_node *embed_node(job *j, const char *t, size_t n, size_t off) {
    const char *bar = memchr(t, '|', n);
    size_t tn = bar ? (size_t)(bar - t) : n;
    while (tn && t[tn - 1] == ' ') tn--;
    char *target = ok(j, dk_arena_strndup(j->a, t, tn));
    if (!target) return NULL;
    if (!is_image_name(target, tn)) {
        dk_diag_warn_code(j->ctx, off, "marp-embed-note",
                          "embedding a note ('%s') is not supported; showing its name",
                          target);
        return ok(j, dk_node_new_text(j->a, target, tn, off));
    }
    dk_node *img = ok(j, dk_node_new_element(j->a, "img", off));
    if (!img) return NULL;
    /* a vault path whose top folders lie above our project folder: try its tail */
    char *path = NULL;
    for (const char *t2 = target; t2 && !path; t2 = strchr(t2, '/'), t2 = t2 ? t2 + 1 : NULL)
        path = dk_marp_find_file(j->in->root, j->in->deck_dir, t2);
    /* absolute: image/ resolves relative sources against the deck's folder, not ours */
    char *abs = path ? realpath(path, NULL) : NULL;
    if (abs) {
        free(path);
        path = abs;
    }
    /* not found: image/ reports it with the placeholder */
    set_attr(j, img, "src", path ? path : target, off);
    free(path);
    const char *slash = strrchr(target, '/');
    set_attr(j, img, "alt", slash ? slash + 1 : target, off);
    if (bar) { /* |300 or |300x200 */
        char w[32] = "", h[32] = "";
        const char *o = bar + 1, *e = t + n, *x = memchr(o, 'x', (size_t)(e - o));
        if (is_length(o, (size_t)((x ? x : e) - o)))
            snprintf(w, sizeof w, "%.*s", (int)((x ? x : e) - o), o);
        if (x && is_length(x + 1, (size_t)(e - x - 1))) snprintf(h, sizeof h, "%.*s", (int)(e - x - 1), x + 1);
        /* as a style, not width/height attributes: css/ maps no presentational hints */
        char css[96];
        snprintf(css, sizeof css, "%s%s%s%s%s%s", *w ? "width: " : "", w, *w ? "px; " : "",
                 *h ? "height: " : "", h, *h ? "px" : "");
        if (*w || *h) set_attr(j, img, "style", css, off);
    }
    return img;
}

/*
 * Replace `![[...]]` and `[[...]]` in text node `tn` by embed nodes and link
 * labels. Returns the last node that replaced it (to continue the walk).
 */
static dk_node *wiki_text(job *j, dk_node *tn) {
    const char *s = tn->text;
    size_t n = tn->text_len;
    if (!memmem(s, n, "[[", 2)) return tn;
    dk_node *parent = tn->parent, *ref = tn->next, *last = tn;
    dk_buf plain = {0};
    size_t plain_src = tn->src;
    for (size_t i = 0; i <= n && j->st == DK_OK;) {
        const char *o = i < n ? memmem(s + i, n - i, "[[", 2) : NULL;
        const char *c = o ? memmem(o + 2, n - (size_t)(o + 2 - s), "]]", 2) : NULL;
        if (!c) {
            dk_buf_add(&plain, s + i, n - i);
            break;
        }
        int embed = o > s + i && o[-1] == '!';
        size_t before = (size_t)(o - s) - (size_t)embed - i;
        dk_buf_add(&plain, s + i, before);
        size_t off = tn->src == DK_NOPOS ? DK_NOPOS : tn->src + (size_t)(o - s) - (size_t)embed;
        const char *in = o + 2;
        size_t inn = (size_t)(c - in);
        if (embed) {
            if (plain.n) {
                dk_node *t = ok(j, dk_node_new_text(j->a, plain.p, plain.n, plain_src));
                if (t) dk_node_insert(parent, t, ref), last = t;
                plain.n = 0;
            }
            dk_node *e = embed_node(j, in, inn, off);
            if (e) dk_node_insert(parent, e, ref), last = e;
            plain_src = off == DK_NOPOS ? DK_NOPOS : off + inn + 5;
        } else {
            /* [[target#heading|label]]: the label, else the target without its heading */
            const char *bar = memchr(in, '|', inn);
            if (bar) dk_buf_add(&plain, bar + 1, (size_t)(c - bar - 1));
            else {
                const char *hash = memchr(in, '#', inn);
                dk_buf_add(&plain, in, hash && hash > in ? (size_t)(hash - in) : inn);
            }
        }
        i = (size_t)(c + 2 - s);
    }
    if (plain.oom) j->st = DK_ENOMEM;
    if (plain.n && j->st == DK_OK) {
        dk_node *t = ok(j, dk_node_new_text(j->a, plain.p, plain.n, plain_src));
        if (t) dk_node_insert(parent, t, ref), last = t;
    }
    dk_buf_free(&plain);
    if (j->st == DK_OK && last != tn) {
        dk_node_detach(tn);
        dk_node_renumber(parent);
    }
    return last;
}

static void obsidian(job *j, dk_node *body) {
    for (dk_node *n = body->first ? body->first : NULL; n && j->st == DK_OK;) {
        if (n->type == DK_NODE_TEXT) n = wiki_text(j, n);
        n = next_node(body, n, n->type == DK_NODE_ELEMENT && is_verbatim(n));
    }
}

/* ---- speaker notes -------------------------------------------------------------------- */

/* If paragraph `p` opens with "Note:" or "Notes:", the text node and prefix length. */
static size_t notes_prefix(dk_node *p, dk_node **tn) {
    dk_node *t = p->first;
    if (!t || t->type != DK_NODE_TEXT) return 0;
    size_t i = strspn(t->text, " \t\r\n");
    const char *s = t->text + i;
    size_t k = strncasecmp(s, "notes:", 6) == 0 ? 6 : strncasecmp(s, "note:", 5) == 0 ? 5 : 0;
    if (!k) return 0;
    *tn = t;
    return i + k;
}

/*
 * A top-level paragraph opening with `Note:` and everything after it go
 * into <aside class="notes"> (reveal.js and Advanced Slides read notes the
 * same way: to the end of the slide).
 */
static void notes(job *j, dk_node *body) {
    for (dk_node *p = body->first; p; p = p->next) {
        dk_node *tn;
        size_t k;
        if (!dk_node_is(p, "p") || !(k = notes_prefix(p, &tn))) continue;
        dk_node *aside = ok(j, dk_node_new_element(j->a, "aside", p->src));
        if (!aside) return;
        set_attr(j, aside, "class", "notes", DK_NOPOS);
        dk_node_insert(body, aside, p);
        tn->text += k;
        tn->text_len -= k;
        if (tn->src != DK_NOPOS) tn->src += k;
        while (aside->next) dk_node_insert(aside, aside->next, NULL);
        dk_node_renumber(aside);
        dk_node_renumber(body);
        return;
    }
}

/* ---- Marp ------------------------------------------------------------------------------ */

/* A directive's value as a NUL-terminated copy in the arena, or NULL when unset. */
static const char *dir_value(job *j, dk_slide_dirs *d, int k) {
    dk_str v = d->v[k].v;
    return v.p ? ok(j, dk_arena_strndup(j->a, v.p, v.n)) : NULL;
}

/*
 * Render the Markdown of a header/footer directive into element `el`: the
 * value is a span of the deck, so it goes through md/ and dom/ like a
 * slide, positions included; a lone paragraph is unwrapped, as Marp does.
 */
static void directive_markdown(job *j, dk_node *el, const dk_dirval *v) {
    if (!v->v.p || v->off == DK_NOPOS) return;
    dk_slide s = {v->off, v->off + v->v.n, 0};
    dk_html html;
    dk_node *root = NULL;
    if ((j->st = dk_md_render(j->ctx, j->a, j->in->src, &s, &html))) return;
    if ((j->st = dk_dom_parse(j->ctx, j->a, &html, 0, &root))) return;
    dk_node *body = child_el(root, "body"), *from = body;
    dk_node *only = NULL;
    int nel = 0;
    for (dk_node *k = body ? body->first : NULL; k; k = k->next)
        if (k->type == DK_NODE_ELEMENT) only = k, nel++;
    if (nel == 1 && dk_node_is(only, "p")) from = only;
    while (from && from->first) dk_node_insert(el, from->first, NULL);
    dk_node_renumber(el);
}

/* Append "name: value; " to a style buffer. */
static void decl(dk_buf *b, const char *name, const char *v) {
    if (v && *v) dk_buf_printf(b, "%s: %s; ", name, v);
}

/* An image URL as a CSS url() token (quotes and backslashes escaped). */
static void css_url(dk_buf *b, const char *src) {
    dk_buf_adds(b, "url(\"");
    for (const char *p = src; *p; p++) {
        if (*p == '"' || *p == '\\') dk_buf_addc(b, '\\');
        dk_buf_addc(b, *p);
    }
    dk_buf_adds(b, "\")");
}

enum { MAX_BG = 16 };

typedef struct {
    const char *src;
    dk_marp_img o;
} bg_image;

/*
 * Take the `bg` images out of the slide (their emptied paragraphs too) and
 * size the others from their keywords. Returns how many backgrounds.
 */
static int marp_images(job *j, dk_node *body, bg_image *bgs) {
    int nbg = 0;
    for (dk_node *n = body->first; n && j->st == DK_OK;) {
        dk_node *next = next_node(body, n, 0);
        if (!dk_node_is(n, "img")) {
            n = next;
            continue;
        }
        const char *alt = dk_node_attr(n, "alt"), *src = dk_node_attr(n, "src");
        dk_marp_img o;
        size_t cap = alt ? strlen(alt) + 1 : 1;
        char *rest = ok(j, dk_arena_alloc(j->a, cap));
        if (!rest || !dk_marp_parse_alt(alt, &o, rest, cap)) {
            n = next;
            continue;
        }
        set_attr(j, n, "alt", rest, DK_NOPOS);
        if (!o.bg) {
            dk_buf st = {0};
            const char *old = dk_node_attr(n, "style");
            if (old) dk_buf_printf(&st, "%s; ", old);
            decl(&st, "width", o.width);
            decl(&st, "height", o.height);
            decl(&st, "filter", o.filter);
            if (st.oom) j->st = DK_ENOMEM;
            else if (st.n) set_attr(j, n, "style", st.p, DK_NOPOS);
            dk_buf_free(&st);
            n = next;
            continue;
        }
        if (nbg < MAX_BG && src) bgs[nbg++] = (bg_image){src, o};
        /* skip the image's subtree and remove it, then any paragraph it leaves empty */
        next = next_node(body, n, 1);
        dk_node *parent = n->parent;
        dk_node_detach(n);
        while (parent != body && is_empty(parent) && dk_node_is(parent, "p")) {
            dk_node *up = parent->parent;
            if (next == NULL || next->parent != parent) {
                dk_node_detach(parent);
                dk_node_renumber(up);
            }
            parent = up;
        }
        n = next;
    }
    return nbg;
}

/* The figures of split backgrounds, in a flex column (or row) beside the section. */
static dk_node *split_column(job *j, const bg_image *bgs, int nbg, double pct, int vertical) {
    dk_node *div = ok(j, dk_node_new_element(j->a, "div", DK_NOPOS));
    if (!div) return NULL;
    dk_buf st = {0};
    dk_buf_printf(&st, "display: flex; flex-direction: %s; flex: none; width: %g%%; height: 100%%; ",
                  vertical ? "column" : "row", pct);
    set_attr(j, div, "class", "deckle-bg", DK_NOPOS);
    set_attr(j, div, "style", st.p ? st.p : "", DK_NOPOS);
    for (int i = 0; i < nbg && j->st == DK_OK; i++) {
        dk_node *fig = ok(j, dk_node_new_element(j->a, "figure", DK_NOPOS));
        if (!fig) break;
        st.n = 0;
        dk_buf_adds(&st, "flex: 1 1 0; margin: 0; background-image: ");
        css_url(&st, bgs[i].src);
        dk_buf_printf(&st, "; background-size: %s; background-position: center; "
                           "background-repeat: no-repeat; ",
                      bgs[i].o.size[0] ? bgs[i].o.size : "cover");
        decl(&st, "filter", bgs[i].o.filter);
        if (st.oom) j->st = DK_ENOMEM;
        set_attr(j, fig, "style", st.p ? st.p : "", DK_NOPOS);
        dk_node_insert(div, fig, NULL);
    }
    dk_node_renumber(div);
    dk_buf_free(&st);
    return div;
}

/* Full-slide backgrounds as CSS background layers of the section (side by side if several). */
static void bg_layers(dk_buf *st, const bg_image *bgs, int nbg) {
    int vertical = 0;
    for (int i = 0; i < nbg; i++) vertical |= bgs[i].o.vertical;
    dk_buf_adds(st, "background-image: ");
    for (int i = 0; i < nbg; i++) {
        if (i) dk_buf_adds(st, ", ");
        css_url(st, bgs[i].src);
    }
    dk_buf_adds(st, "; background-size: ");
    for (int i = 0; i < nbg; i++) {
        const char *sz = bgs[i].o.size[0] ? bgs[i].o.size : "cover";
        if (i) dk_buf_adds(st, ", ");
        if (nbg == 1) dk_buf_adds(st, sz);
        else if (vertical) dk_buf_printf(st, "auto %g%%", 100.0 / nbg); /* a share of the height */
        else dk_buf_printf(st, "%g%% auto", 100.0 / nbg);
    }
    dk_buf_adds(st, "; background-position: ");
    for (int i = 0; i < nbg; i++) {
        double at = nbg == 1 ? 50 : 100.0 * i / (nbg - 1);
        if (i) dk_buf_adds(st, ", ");
        if (vertical) dk_buf_printf(st, "center %g%%", at);
        else dk_buf_printf(st, "%g%% center", at);
    }
    dk_buf_adds(st, "; background-repeat: no-repeat; ");
}

/* reveal.js slide attributes (from `<!-- .slide: -->`) that mean a background. */
static void reveal_background(dk_node *body, dk_buf *st) {
    const char *c = dk_node_attr(body, "data-background-color");
    const char *bg = dk_node_attr(body, "data-background");
    const char *img = dk_node_attr(body, "data-background-image");
    if (!c && bg && (bg[0] == '#' || strncmp(bg, "rgb", 3) == 0 || strncmp(bg, "hsl", 3) == 0 ||
                     !strpbrk(bg, "./:")))
        c = bg; /* a colour, not a file */
    else if (!img && bg)
        img = bg;
    decl(st, "background-color", c);
    if (img) {
        dk_buf_adds(st, "background-image: ");
        css_url(st, img);
        dk_buf_adds(st, "; background-size: cover; background-position: center; ");
    }
}

/* Wrap the slide in Marp's <section> with header, footer, pagination and backgrounds. */
static void marp_section(job *j, dk_node *root, dk_node *body) {
    const dk_marp_in *in = j->in;
    dk_slide_dirs *d = &in->deck->dirs[in->slide];
    const dk_slide *s = &in->deck->slides[in->slide];
    bg_image bgs[MAX_BG];
    int nbg = marp_images(j, body, bgs);
    if (j->st) return;

    dk_node *sec = ok(j, dk_node_new_element(j->a, "section", s->start));
    if (!sec) return;
    while (body->first) dk_node_insert(sec, body->first, NULL);
    dk_node_insert(body, sec, NULL);
    char id[16];
    snprintf(id, sizeof id, "%d", s->index);
    set_attr(j, sec, "id", id, DK_NOPOS);

    /* class: the directive's, plus any a `.slide:` annotation put on <body> */
    const char *cls = dir_value(j, d, DK_DIR_CLASS), *bcls = dk_node_attr(body, "class");
    dk_buf b = {0};
    if (cls) dk_buf_adds(&b, cls);
    if (bcls) dk_buf_printf(&b, "%s%s", b.n ? " " : "", bcls);
    if (b.n) set_attr(j, sec, "class", b.p, d->v[DK_DIR_CLASS].off);
    if (cls) set_attr(j, sec, "data-class", cls, d->v[DK_DIR_CLASS].off);

    /* the style attribute Marp writes for the directives */
    b.n = 0;
    static const struct {
        int k;
        const char *prop, *data;
    } styled[] = {
        {DK_DIR_BG_COLOR, "background-color", "data-background-color"},
        {DK_DIR_BG_IMAGE, "background-image", "data-background-image"},
        {DK_DIR_BG_POSITION, "background-position", "data-background-position"},
        {DK_DIR_BG_REPEAT, "background-repeat", "data-background-repeat"},
        {DK_DIR_BG_SIZE, "background-size", "data-background-size"},
        {DK_DIR_COLOR, "color", "data-color"},
    };
    int split = 0;
    double pct = 50;
    int vertical = 0;
    for (int i = 0; i < nbg; i++)
        if (bgs[i].o.split) split = bgs[i].o.split, pct = bgs[i].o.split_pct;
    for (int i = 0; i < nbg; i++) vertical |= bgs[i].o.vertical;
    for (size_t i = 0; i < sizeof styled / sizeof *styled; i++) {
        const char *v = dir_value(j, d, styled[i].k);
        if (!v) continue;
        set_attr(j, sec, styled[i].data, v, d->v[styled[i].k].off);
        decl(&b, styled[i].prop, v);
    }
    reveal_background(body, &b);
    if (nbg && !split) bg_layers(&b, bgs, nbg);
    if (split) dk_buf_printf(&b, "flex: none; width: %g%%; ", 100 - pct);
    const char *bstyle = dk_node_attr(body, "style");
    if (bstyle) dk_buf_adds(&b, bstyle);
    if (b.oom) j->st = DK_ENOMEM;
    else if (b.n) set_attr(j, sec, "style", b.p, DK_NOPOS);
    dk_buf_free(&b);

    /* header and footer (Markdown), pagination */
    const char *pag = dir_value(j, d, DK_DIR_PAGINATE);
    static const struct {
        int k;
        const char *tag, *data;
    } hf[] = {{DK_DIR_HEADER, "header", "data-header"}, {DK_DIR_FOOTER, "footer", "data-footer"}};
    for (size_t i = 0; i < 2 && j->st == DK_OK; i++) {
        const dk_dirval *v = &d->v[hf[i].k];
        if (!v->v.p || !v->v.n) continue;
        const char *text = dir_value(j, d, hf[i].k);
        dk_node *el = ok(j, dk_node_new_element(j->a, hf[i].tag, v->off));
        if (!el || !text) return;
        set_attr(j, sec, hf[i].data, text, v->off);
        directive_markdown(j, el, v);
        dk_node_insert(sec, el, i == 0 ? sec->first : NULL);
    }
    if (pag && strcmp(pag, "true") == 0 && j->st == DK_OK) {
        set_attr(j, sec, "data-paginate", "true", d->v[DK_DIR_PAGINATE].off);
        set_attr(j, sec, "data-marpit-pagination", id, DK_NOPOS);
        dk_node *pg = ok(j, dk_node_new_element(j->a, "div", DK_NOPOS));
        dk_node *num = ok(j, dk_node_new_text(j->a, id, strlen(id), DK_NOPOS));
        if (!pg || !num) return;
        set_attr(j, pg, "class", "deckle-pagination", DK_NOPOS);
        dk_node_insert(pg, num, NULL);
        dk_node_insert(sec, pg, sec->first);
    } else if (pag && *pag && strcmp(pag, "false") != 0 && strcmp(pag, "hold") != 0 &&
               strcmp(pag, "skip") != 0) {
        dk_diag_warn_code(j->ctx, d->v[DK_DIR_PAGINATE].off, "marp-directive",
                          "paginate: '%s' is not true, false, hold or skip; no page number", pag);
    }
    dk_node_renumber(sec);

    if (split) {
        dk_node *col = split_column(j, bgs, nbg, pct, vertical);
        if (!col) return;
        dk_node_insert(body, col, split == 'l' ? sec : NULL);
        set_attr(j, body, "style", "display: flex; flex-direction: row", DK_NOPOS);
        set_attr(j, sec, "data-marpit-advanced-background-split", split == 'l' ? "left" : "right",
                 DK_NOPOS);
    }
    dk_node_renumber(body);

    /* `style:` adds CSS to the theme: a <style> in <head> */
    const dk_dirval *sv = &in->deck->style;
    dk_node *head = child_el(root, "head");
    if (sv->v.p && sv->v.n && head && j->st == DK_OK) {
        dk_node *st = ok(j, dk_node_new_element(j->a, "style", sv->off));
        dk_node *t = ok(j, dk_node_new_text(j->a, sv->v.p, sv->v.n, sv->off));
        if (!st || !t) return;
        dk_node_insert(st, t, NULL);
        dk_node_insert(head, st, head->first);
        dk_node_renumber(head);
    }
}

/* <style> elements of a Marp slide: their section::after page-number rules go to
   div.deckle-pagination, as the theme's do (dk_marp_pagination_css); left alone, css/
   would generate a second page number as the section's ::after. */
static void style_pagination(job *j, dk_node *root) {
    for (dk_node *n = root; n && j->st == DK_OK; n = next_node(root, n, 0)) {
        if (!dk_node_is(n, "style")) continue;
        for (dk_node *t = n->first; t && j->st == DK_OK; t = t->next) {
            if (t->type != DK_NODE_TEXT || !t->text_len) continue;
            dk_buf b = {0};
            dk_marp_pagination_css(t->text, t->text_len, &b);
            if (b.oom) j->st = DK_ENOMEM;
            else if (b.n != t->text_len && !(t->text = dk_arena_strndup(j->a, b.p, b.n))) j->st = DK_ENOMEM;
            else t->text_len = b.n;
            dk_buf_free(&b);
        }
    }
}

dk_status dk_marp_transform(dk_ctx *ctx, dk_arena *a, const dk_marp_in *in, dk_node *root) {
    job j = {ctx, a, in, DK_OK};
    dk_node *body = child_el(root, "body");
    if (!body) return DK_OK;
    obsidian(&j, body);
    if (j.st == DK_OK) notes(&j, body);
    if (j.st == DK_OK && in->deck && in->deck->marp && in->deck->dirs &&
        in->slide >= 0 && in->slide < in->deck->nslides) {
        marp_section(&j, root, body);
        style_pagination(&j, root);
    } else if (j.st == DK_OK) {
        /* reveal.js slide backgrounds on a plain slide */
        dk_buf b = {0};
        reveal_background(body, &b);
        if (b.n) {
            const char *old = dk_node_attr(body, "style");
            if (old) dk_buf_adds(&b, old);
            set_attr(&j, body, "style", b.p, DK_NOPOS);
        }
        if (b.oom) j.st = DK_ENOMEM;
        dk_buf_free(&b);
    }
    return j.st;
}
