/*
 * Marp themes that live in the user's project, not in deckle.
 *
 * The model. Marp registers theme CSS files (VS Code's `markdown.marp.themes`,
 * marp-cli's `--theme-set`) and a deck picks one by the `@theme NAME` line
 * in the file's block comment, not by file name. We have no such list, so
 * we look for it the way a project is usually laid out: CSS (and plain-CSS
 * .scss) files in the deck's folder and its subfolders, then in the folder
 * above and its subfolders, and so on, at most FIND_UP folders up and never
 * above the project root (the folder holding .git or .obsidian). Each level
 * is walked breadth-first with names in byte order, so the shallowest match
 * wins and the choice does not depend on the file system. Within a level a
 * file whose @theme matches beats a file that only has the name (`ddps.css`
 * for `theme: ddps`), which Marp itself would not take and we report.
 *
 * Imports. A Marp theme builds on others with `@import "default"` (by theme
 * name, Marpit resolves it among the registered themes). We inline them:
 * Marp's built-in names become our bundled marp-*.css, other names are
 * looked up as above, then as files relative to the importing sheet.
 * Remote imports (web fonts) stay as they are; css/ drops @import quietly.
 * url()s are left alone: Marp inlines theme CSS into the deck's HTML, so
 * they resolve against the deck, and authors write them that way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "marp.h"

#include "../css/css.h"

enum {
    FIND_UP = 2,         /* folders above the deck searched without a project root */
    FIND_UP_ROOT = 4,    /* ... and with one (never above it) */
    FIND_DEPTH = 3,      /* subfolder levels below each searched folder */
    FIND_DIRS = 256,     /* folders walked per level */
    HEAD_BYTES = 65536,  /* how much of a candidate file is read for its @theme */
    IMPORT_DEPTH = 8,    /* nested @imports followed */
};

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Does `name` end in .css or .scss? */
static int is_sheet_name(const char *name) {
    size_t n = strlen(name);
    return (n > 4 && strcmp(name + n - 4, ".css") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".scss") == 0);
}

/*
 * The theme name a sheet declares: the text after `@theme` up to the end of
 * its line inside a block comment (Marpit reads metadata so), trimmed.
 * Writes it to out (cap bytes); 0 when there is none.
 */
static int sheet_theme_name(const char *css, size_t n, char *out, size_t cap) {
    for (size_t i = 0; i + 1 < n; i++) {
        if (css[i] != '/' || css[i + 1] != '*') continue;
        const char *e = memmem(css + i + 2, n - i - 2, "*/", 2);
        size_t end = e ? (size_t)(e - css) : n;
        for (size_t k = i + 2; k + 6 < end; k++) {
            if (memcmp(css + k, "@theme", 6) != 0 || (css[k + 6] != ' ' && css[k + 6] != '\t'))
                continue;
            size_t a = k + 6, b;
            while (a < end && (css[a] == ' ' || css[a] == '\t')) a++;
            b = a;
            while (b < end && css[b] != '\n' && css[b] != '\r') b++;
            while (b > a && (css[b - 1] == ' ' || css[b - 1] == '\t' || css[b - 1] == '*')) b--;
            if (b == a || b - a >= cap) return 0;
            memcpy(out, css + a, b - a);
            out[b - a] = 0;
            return 1;
        }
        i = end;
    }
    return 0;
}

/* Read at most HEAD_BYTES of a file; 0 on failure. *out is malloc'd. */
static int read_head(const char *path, char **out, size_t *n) {
    FILE *f = fopen(path, "rb");
    *out = NULL;
    if (!f) return 0;
    char *buf = malloc(HEAD_BYTES);
    size_t got = buf ? fread(buf, 1, HEAD_BYTES, f) : 0;
    fclose(f);
    *out = buf;
    *n = got;
    return buf != NULL;
}

/* A candidate sheet: does it declare `name` (2), or is it named so (1)? */
static int sheet_match(const char *path, const char *file, const char *name) {
    char *css;
    size_t n;
    char decl[256];
    int m = 0;
    if (read_head(path, &css, &n) && sheet_theme_name(css, n, decl, sizeof decl) &&
        strcmp(decl, name) == 0)
        m = 2;
    free(css);
    if (!m) {
        size_t fn = strlen(file), nn = strlen(name);
        if (fn > nn && strncmp(file, name, nn) == 0 &&
            (strcmp(file + nn, ".css") == 0 || strcmp(file + nn, ".scss") == 0))
            m = 1;
    }
    return m;
}

/*
 * Walk `dir` breadth-first (FIND_DEPTH levels, names in byte order, hidden
 * folders and node_modules skipped, the subtree `skip` left out) for the
 * sheet of theme `name`. Returns the best match (malloc'd) or NULL; sets
 * *how to 2 (by @theme) or 1 (by file name).
 */
static char *search_level(const char *dir, const char *skip, const char *name, int *how) {
    char **queue = calloc(FIND_DIRS, sizeof *queue);
    int *depth = calloc(FIND_DIRS, sizeof *depth);
    char *best = NULL;
    int head = 0, tail = 0, best_how = 0;
    if (!queue || !depth || !(queue[tail++] = strdup(dir))) goto done;
    while (head < tail && best_how < 2) {
        const char *cur = queue[head];
        int dep = depth[head++];
        size_t nn;
        char **names = dk_marp_list_dir(cur, &nn);
        if (!names) continue;
        /* files of this folder first, then its subfolders join the queue */
        for (size_t i = 0; i < nn; i++) {
            char *full = NULL;
            if (asprintf(&full, "%s/%s", cur, names[i]) < 0) full = NULL;
            if (full && best_how < 2 && is_sheet_name(names[i]) && is_file(full)) {
                int m = sheet_match(full, names[i], name);
                if (m > best_how) {
                    free(best);
                    best = full;
                    full = NULL;
                    best_how = m;
                }
            } else if (full && dep < FIND_DEPTH && tail < FIND_DIRS &&
                       !(skip && strcmp(full, skip) == 0) && is_dir(full)) {
                depth[tail] = dep + 1;
                queue[tail++] = full;
                full = NULL;
            }
            free(full);
            free(names[i]);
        }
        free(names);
    }
done:
    if (queue)
        for (int i = 0; i < tail; i++) free(queue[i]);
    free(queue);
    free(depth);
    *how = best_how;
    return best;
}

/* Is `path` inside (or equal to) folder `dir`? */
static int inside(const char *path, const char *dir) {
    size_t n = strlen(dir);
    if (strcmp(dir, "/") == 0) return 1;
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == 0);
}

char *dk_marp_find_theme(const dk_theme_env *env, const char *name, int *by_file_name) {
    *by_file_name = 0;
    if (!name || !*name) return NULL;
    char *cur = realpath(env->deck_dir && *env->deck_dir ? env->deck_dir : ".", NULL);
    char *stop = env->stop ? realpath(env->stop, NULL) : NULL;
    char *prev = NULL, *hit = NULL;
    int has_root = stop && cur && strcmp(stop, cur) != 0 && inside(cur, stop);
    int up_max = has_root ? FIND_UP_ROOT : FIND_UP;
    for (int up = 0; cur && up <= up_max && !hit; up++) {
        int how;
        hit = search_level(cur, prev, name, &how);
        if (hit && how == 1) *by_file_name = 1;
        /* go up: not above the project root, never to the file system root */
        if (has_root && strcmp(cur, stop) == 0) break;
        char *slash = strrchr(cur, '/');
        if (!slash || slash == cur) break;
        free(prev);
        prev = strdup(cur);
        *slash = 0;
        if (!prev) break;
    }
    free(cur);
    free(prev);
    free(stop);
    return hit;
}

/* ---- @import ------------------------------------------------------------------------ */

typedef struct {
    dk_ctx *ctx;
    const dk_theme_env *env;
    const char *stack[IMPORT_DEPTH]; /* the sheets being read, for cycles */
    int depth;
} importer;

/* 1-based line and column of byte `off` in css. */
static void css_linecol(const char *css, size_t off, int *line, int *col) {
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (css[i] == '\n') ++*line, *col = 1;
        else if (((unsigned char)css[i] & 0xC0) != 0x80) ++*col;
    }
}

/*
 * Parse `@import` at css[i] (i points at '@'): the target into out (cap
 * bytes) and the end of the statement (after ';'). 0 if it is not a plain
 * import of a quoted string or url().
 */
static int parse_import(const char *css, size_t n, size_t i, char *out, size_t cap, size_t *end) {
    size_t k = i + 7;
    if (k > n || strncasecmp(css + i, "@import", 7) != 0) return 0;
    while (k < n && strchr(" \t\r\n", css[k])) k++;
    int url = k + 4 <= n && strncasecmp(css + k, "url(", 4) == 0;
    if (url) {
        k += 4;
        while (k < n && strchr(" \t\r\n", css[k])) k++;
    }
    char q = k < n && (css[k] == '"' || css[k] == '\'') ? css[k] : 0;
    if (q) k++;
    size_t a = k;
    while (k < n && (q ? css[k] != q : !strchr(" \t\r\n);", css[k]))) k++;
    if (k >= n || k - a >= cap || k == a) return 0;
    memcpy(out, css + a, k - a);
    out[k - a] = 0;
    if (q) k++;
    if (url) {
        while (k < n && strchr(" \t\r\n", css[k])) k++;
        if (k >= n || css[k] != ')') return 0;
        k++;
    }
    const char *semi = memchr(css + k, ';', n - k);
    const char *brace = memchr(css + k, '{', n - k);
    if (!semi || (brace && brace < semi)) return 0;
    *end = (size_t)(semi - css) + 1;
    return 1;
}

static dk_status read_sheet(importer *im, const char *path, dk_buf *out);

/* Where an import names: a bundled Marp theme, a project theme, or a file beside `from`. */
static char *import_path(importer *im, const char *from, const char *target) {
    static const char *const builtin[] = {"default", "gaia", "uncover"};
    char *p = NULL;
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        if (strcmp(target, builtin[i]) == 0) {
            if (asprintf(&p, "%s/themes/marp-%s.css", im->env->data_dir, target) < 0) p = NULL;
            return p;
        }
    int by_file;
    if (!strchr(target, '/') && (p = dk_marp_find_theme(im->env, target, &by_file)) && !by_file)
        return p;
    free(p);
    p = NULL;
    char *dir = strdup(from);
    if (!dir) return NULL;
    const char *d = dirname(dir);
    static const char *const ext[] = {"", ".css", ".scss"};
    for (size_t i = 0; i < 3 && !p; i++) {
        if (asprintf(&p, "%s/%s%s", d, target, ext[i]) < 0) p = NULL;
        else if (!is_file(p)) {
            free(p);
            p = NULL;
        }
    }
    free(dir);
    return p;
}

/* Copy css into out, replacing each resolvable @import by the sheet it names. */
static dk_status inline_imports(importer *im, const char *path, const char *css, size_t n,
                                dk_buf *out) {
    dk_status st = DK_OK;
    size_t copied = 0;
    int nest = 0; /* brace depth: @import counts only at the top level */
    for (size_t i = 0; i < n && st == DK_OK; i++) {
        char c = css[i];
        size_t skip = dk_css_skip_opaque(css, n, i);
        if (skip != i) {
            i = skip;
        } else if (c == '{') {
            nest++;
        } else if (c == '}') {
            nest -= nest > 0;
        } else if (c == '@' && nest == 0) {
            char target[1024];
            size_t end;
            if (!parse_import(css, n, i, target, sizeof target, &end)) continue;
            if (strstr(target, "://") || strncmp(target, "//", 2) == 0) continue; /* web fonts */
            int line, col;
            css_linecol(css, i, &line, &col);
            char *ip = import_path(im, path, target);
            int cycle = 0;
            for (int k = 0; ip && k < im->depth; k++) cycle |= strcmp(im->stack[k], ip) == 0;
            if (!ip || cycle || im->depth >= IMPORT_DEPTH) {
                dk_diag_warn_code(im->ctx, DK_NOPOS, "marp-theme-import",
                                  "%s:%d:%d: @import '%s' %s; ignored", path, line, col, target,
                                  !ip ? "names no theme or file" : "imports itself");
                free(ip);
                continue;
            }
            dk_buf_add(out, css + copied, i - copied);
            dk_buf_printf(out, "/* @import '%s': %s */\n", target, ip);
            st = read_sheet(im, ip, out);
            dk_buf_addc(out, '\n');
            free(ip);
            copied = end;
            i = end - 1;
        }
    }
    dk_buf_add(out, css + copied, n - copied);
    return out->oom ? DK_ENOMEM : st;
}

/* Append the sheet at `path`, imports inlined. A file that cannot be read is an I/O error. */
static dk_status read_sheet(importer *im, const char *path, dk_buf *out) {
    char *css = NULL;
    size_t n = 0;
    dk_status st = dk_file_read(path, &css, &n);
    if (st == DK_EIO) {
        dk_diag_warn_code(im->ctx, DK_NOPOS, "marp-theme-import", "cannot read theme sheet %s: %s",
                          path, strerror(errno));
        return DK_OK;
    }
    if (st) return st;
    if (im->env->input) im->env->input(im->env->ud, path);
    im->stack[im->depth++] = path;
    st = inline_imports(im, path, css, n, out);
    im->depth--;
    free(css);
    return st;
}

dk_status dk_marp_theme_read(dk_ctx *ctx, const dk_theme_env *env, const char *path,
                             dk_buf *out) {
    char *css = NULL;
    size_t n = 0;
    dk_status st = dk_file_read(path, &css, &n);
    if (st) return st;
    if (env->input) env->input(env->ud, path);
    importer im = {ctx, env, {path}, 1};
    st = inline_imports(&im, path, css, n, out);
    free(css);
    return st;
}

static int ident_byte(unsigned char c) {
    return c == '-' || c == '_' || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') ||
           c >= 0x80;
}

/*
 * Marpit draws the page number as the section's ::after pseudo-element
 * (content: attr(data-marpit-pagination)); deckle draws it as a
 * div.deckle-pagination inside the section. A selector whose compound is
 * `section...::after` is rewritten to `section... > .deckle-pagination`.
 * A text scan: comments and strings are copied as they are, and a `:after`
 * counts only at the end of a compound that starts with `section`.
 */
void dk_marp_pagination_css(const char *css, size_t n, dk_buf *out) {
    size_t copied = 0;
    for (size_t i = 0; i < n; i++) {
        char c = css[i];
        size_t skip = dk_css_skip_opaque(css, n, i);
        if (skip != i) {
            i = skip;
            continue;
        }
        if (c != ':') continue;
        size_t k = i + (i + 1 < n && css[i + 1] == ':'), e = k + 6;
        if (e > n || strncasecmp(css + k + 1, "after", 5) != 0 || (e < n && ident_byte((unsigned char)css[e])))
            continue;
        size_t b = i; /* start of the compound */
        while (b > 0 && !strchr(" \t\r\n,>+~{}()/", css[b - 1])) b--;
        if (i - b < 7 || strncasecmp(css + b, "section", 7) != 0 ||
            ident_byte((unsigned char)css[b + 7]))
            continue;
        dk_buf_add(out, css + copied, i - copied);
        dk_buf_adds(out, " > .deckle-pagination");
        copied = e;
        i = e - 1;
    }
    dk_buf_add(out, css + copied, n - copied);
}
