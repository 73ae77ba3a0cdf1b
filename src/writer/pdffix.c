/*
 * writer/pdffix.c — rewrite cairo's PDF through libqpdf's C API.
 *
 * cairo's cross-reference table is put right first (repair_xref: otherwise
 * qpdf rebuilds it by scanning the file, which doubled the time of the
 * rewrite); then qpdf reads the file and writes a new one to memory: object streams
 * generated, streams compressed, a deterministic /ID (an MD5 of the written
 * content instead of one made from the time and file name). The bytes go to
 * disk with dk_file_write_atomic, so a reader never sees half a PDF and a
 * failed run leaves the old file alone.
 *
 * Opaque PNGs come out of cairo as stand-ins and get their own compressed
 * data back here (read_all, pass_png_one; the design is in
 * image/pngpass.h). qpdf keeps Flate streams as they are (it re-compresses
 * only with --recompress-flate), so the IDAT bytes reach the file unchanged.
 *
 * qpdf's warnings (a table repair_xref left alone, our own lookups of the
 * null objects cairo's missing ones become) are not user-facing warnings:
 * they are logged as notes, printed only in verbose mode, and never count
 * towards --strict.
 */
#define _GNU_SOURCE
#include "pdffix.h"
#include "writer.h"

#include "../image/pngpass.h"

#include <dlfcn.h>
#include <errno.h>
#include <glib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <qpdf/qpdf-c.h>
#include <string.h>
#include <time.h>

/*
 * libqpdf is loaded when a PDF is first rewritten (qpdf_ready), not when
 * the program starts: it and what it links (libstdc++, GnuTLS and its
 * crypto libraries: 11 of deckle's 56) took 4 ms of every process's start,
 * PNG runs included. A process that will rewrite a PDF starts loading it on
 * a thread of its own (dk_pdf_preload) while it lays the slides out, and
 * the parent of workers writing parts while they do (deckle_pdf_join_prepare).
 * The functions below are called through Q, looked up once.
 */
#define QPDF_FUNCS(X) \
    X(qpdf_add_page) X(qpdf_cleanup) X(qpdf_get_buffer) X(qpdf_get_buffer_length) \
    X(qpdf_get_error) X(qpdf_get_error_full_text) X(qpdf_get_num_pages) \
    X(qpdf_get_object_by_id) X(qpdf_get_page_n) X(qpdf_get_root) X(qpdf_get_trailer) \
    X(qpdf_has_error) X(qpdf_init) X(qpdf_init_write_memory) X(qpdf_make_indirect_object) \
    X(qpdf_more_warnings) X(qpdf_next_warning) X(qpdf_oh_append_item) \
    X(qpdf_oh_begin_dict_key_iter) X(qpdf_oh_copy_foreign_object) X(qpdf_oh_dict_more_keys) \
    X(qpdf_oh_dict_next_key) X(qpdf_oh_erase_item) X(qpdf_oh_get_array_item) \
    X(qpdf_oh_get_array_n_items) X(qpdf_oh_get_dict) X(qpdf_oh_get_int_value_as_int) \
    X(qpdf_oh_get_key) X(qpdf_oh_get_object_id) X(qpdf_oh_get_stream_data) \
    X(qpdf_oh_get_utf8_value) X(qpdf_oh_has_key) X(qpdf_oh_is_dictionary) X(qpdf_oh_is_integer) \
    X(qpdf_oh_is_name_and_equals) X(qpdf_oh_is_stream) X(qpdf_oh_is_string) \
    X(qpdf_oh_new_array) X(qpdf_oh_new_binary_string) X(qpdf_oh_new_dictionary) \
    X(qpdf_oh_new_integer) X(qpdf_oh_new_name) X(qpdf_oh_new_null) \
    X(qpdf_oh_new_real_from_double) X(qpdf_oh_new_string) X(qpdf_oh_new_unicode_string) \
    X(qpdf_oh_parse) X(qpdf_oh_release) X(qpdf_oh_replace_key) X(qpdf_oh_replace_stream_data) \
    X(qpdf_oh_unparse_resolved) X(qpdf_read) X(qpdf_read_memory) X(qpdf_set_compress_streams) \
    X(qpdf_set_decode_level) X(qpdf_set_deterministic_ID) X(qpdf_set_object_stream_mode) \
    X(qpdf_set_suppress_warnings) X(qpdf_silence_errors) X(qpdf_write)

static struct {
#define QPDF_PTR(f) __typeof__(f) *f;
    QPDF_FUNCS(QPDF_PTR)
#undef QPDF_PTR
} Q;

static pthread_once_t qpdf_once = PTHREAD_ONCE_INIT;
static char qpdf_error_text[256]; /* why it could not be loaded; "" when it was */

static void qpdf_load(void) {
    void *lib = dlopen(DK_QPDF_SONAME, RTLD_LAZY | RTLD_LOCAL);
    const char *missing = NULL;
    if (lib) {
#define QPDF_SYM(f) if (!missing && !(*(void **)&Q.f = dlsym(lib, #f))) missing = #f;
        QPDF_FUNCS(QPDF_SYM)
#undef QPDF_SYM
    }
    const char *why = lib ? missing : dlerror();
    if (!lib || missing)
        snprintf(qpdf_error_text, sizeof qpdf_error_text,
                 "PDF output needs libqpdf (%s), which could not be loaded: %s%s", DK_QPDF_SONAME,
                 lib ? "it has no " : "", why ? why : "not found");
}

/* qpdf_load, once per process; also before a fork, so that a load in progress on another
   thread ends first (the child's loader would be caught half-way) */
static void load_once(void) { pthread_once(&qpdf_once, qpdf_load); }

/* Load libqpdf; DK_EIO with an error on ctx when it cannot be. */
static dk_status qpdf_ready(dk_ctx *ctx) {
    load_once();
    if (!qpdf_error_text[0]) return DK_OK;
    dk_diag_error(ctx, DK_NOPOS, "%s", qpdf_error_text);
    return DK_EIO;
}

static void *preload_main(void *arg) {
    (void)arg;
    load_once();
    return NULL;
}

void dk_pdf_preload(void) {
    static atomic_flag started = ATOMIC_FLAG_INIT;
    if (atomic_flag_test_and_set(&started)) return;
    pthread_attr_t attr;
    pthread_t t;
    if (pthread_atfork(load_once, NULL, NULL) != 0 || pthread_attr_init(&attr) != 0)
        return; /* then it is loaded when first needed */
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&t, &attr, preload_main, NULL);
    pthread_attr_destroy(&attr);
}

/* Log every pending qpdf warning as a note (printed only when ctx->verbose). */
static void drain_warnings(dk_ctx *ctx, qpdf_data q) {
    while (Q.qpdf_more_warnings(q)) {
        qpdf_error w = Q.qpdf_next_warning(q);
        if (!w) break;
        int quiet = ctx->quiet;
        if (!ctx->verbose) ctx->quiet = 1;
        dk_diag(ctx, DK_DIAG_NOTE, DK_NOPOS, "qpdf: %s", Q.qpdf_get_error_full_text(q, w));
        ctx->quiet = quiet;
    }
}

/* The pending qpdf error as an error on ctx; always DK_EIO. */
static dk_status fail(dk_ctx *ctx, qpdf_data q, const char *what, const char *path) {
    const char *msg = "unknown qpdf error";
    if (Q.qpdf_has_error(q)) {
        qpdf_error e = Q.qpdf_get_error(q);
        if (e) msg = Q.qpdf_get_error_full_text(q, e);
    }
    dk_diag_error(ctx, DK_NOPOS, "cannot %s PDF '%s': %s", what, path, msg);
    return DK_EIO;
}

/*
 * The document information dictionary, made (indirect, in the trailer) if
 * cairo wrote none and `make` is set; an uninitialized/null handle otherwise.
 */
static qpdf_oh info_dict(qpdf_data q, int make) {
    qpdf_oh trailer = Q.qpdf_get_trailer(q);
    qpdf_oh info = Q.qpdf_oh_get_key(q, trailer, "/Info");
    if (!Q.qpdf_oh_is_dictionary(q, info) && make) {
        info = Q.qpdf_make_indirect_object(q, Q.qpdf_oh_new_dictionary(q));
        Q.qpdf_oh_replace_key(q, trailer, "/Info", info);
    }
    return info;
}

/* Set /Info /CreationDate and /ModDate to `epoch` (UTC). 0 on failure. */
static int set_dates(qpdf_data q, long epoch) {
    time_t t = (time_t)epoch;
    struct tm tm;
    char date[32];
    if (!gmtime_r(&t, &tm) || !strftime(date, sizeof date, "D:%Y%m%d%H%M%SZ", &tm)) return 0;
    qpdf_oh info = info_dict(q, 1);
    Q.qpdf_oh_replace_key(q, info, "/CreationDate", Q.qpdf_oh_new_string(q, date));
    Q.qpdf_oh_replace_key(q, info, "/ModDate", Q.qpdf_oh_new_string(q, date));
    return !Q.qpdf_has_error(q);
}

/*
 * cairo 1.16 writes the dates given by cairo_pdf_surface_set_metadata
 * without the "D:" prefix PDF dates need ("(20240102030405Z)"); add it.
 */
static void repair_dates(qpdf_data q) {
    static const char *const keys[] = {"/CreationDate", "/ModDate"};
    qpdf_oh info = info_dict(q, 0);
    if (!Q.qpdf_oh_is_dictionary(q, info)) return;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        qpdf_oh v = Q.qpdf_oh_get_key(q, info, keys[i]);
        if (!Q.qpdf_oh_is_string(q, v)) continue;
        const char *s = Q.qpdf_oh_get_utf8_value(q, v);
        char date[64];
        if (s && s[0] >= '0' && s[0] <= '9' && strlen(s) < sizeof date - 2) {
            snprintf(date, sizeof date, "D:%s", s);
            Q.qpdf_oh_replace_key(q, info, keys[i], Q.qpdf_oh_new_string(q, date));
        }
    }
}

/* The explicit destination for a "slide-N" name, or an uninitialized handle. */
static qpdf_oh resolve(qpdf_data q, const dk_pdf_fix *fix, const char *name, int *found) {
    *found = 0;
    if (!name || strncmp(name, "slide-", 6) != 0) return Q.qpdf_oh_new_null(q);
    int n = atoi(name + 6);
    for (int i = 0; i < fix->ndests; i++) {
        const dk_pdf_dest *d = &fix->dests[i];
        if (d->slide != n || d->page < 0 || d->page >= Q.qpdf_get_num_pages(q)) continue;
        qpdf_oh a = Q.qpdf_oh_new_array(q);
        Q.qpdf_oh_append_item(q, a, Q.qpdf_get_page_n(q, (size_t)d->page));
        Q.qpdf_oh_append_item(q, a, Q.qpdf_oh_new_name(q, "/XYZ"));
        Q.qpdf_oh_append_item(q, a, Q.qpdf_oh_new_real_from_double(q, d->x, 2));
        Q.qpdf_oh_append_item(q, a, Q.qpdf_oh_new_real_from_double(q, d->y, 2));
        Q.qpdf_oh_append_item(q, a, Q.qpdf_oh_new_null(q));
        *found = 1;
        return a;
    }
    return Q.qpdf_oh_new_null(q);
}

/*
 * In link annotation `o`, replace a named /Dest (or a GoTo action's /D) by
 * its explicit destination. Returns 0 when it names a destination that does
 * not exist.
 */
static int fix_dest(qpdf_data q, const dk_pdf_fix *fix, qpdf_oh o) {
    qpdf_oh dest = Q.qpdf_oh_get_key(q, o, "/Dest");
    const char *key = "/Dest";
    qpdf_oh holder = o;
    if (!Q.qpdf_oh_is_string(q, dest)) {
        holder = Q.qpdf_oh_get_key(q, o, "/A");
        dest = Q.qpdf_oh_get_key(q, holder, "/D");
        key = "/D";
    }
    if (!Q.qpdf_oh_is_string(q, dest)) return 1;
    const char *name = Q.qpdf_oh_get_utf8_value(q, dest);
    if (!name || strncmp(name, "slide-", 6) != 0) return 1; /* not ours: left as it is */
    int found;
    qpdf_oh explicit_dest = resolve(q, fix, name, &found);
    if (!found) return 0;
    Q.qpdf_oh_replace_key(q, holder, key, explicit_dest);
    return 1;
}

/*
 * Resolve the links' named slide destinations; drop links that lead nowhere.
 * (Outline entries lead to their pages already: the PDF writer gives them
 * explicit destinations.)
 */
static void fix_links(qpdf_data q, const dk_pdf_fix *fix) {
    int np = Q.qpdf_get_num_pages(q);
    for (int i = 0; i < np; i++) {
        qpdf_oh annots = Q.qpdf_oh_get_key(q, Q.qpdf_get_page_n(q, (size_t)i), "/Annots");
        int n = Q.qpdf_oh_get_array_n_items(q, annots);
        for (int k = n - 1; k >= 0; k--)
            if (!fix_dest(q, fix, Q.qpdf_oh_get_array_item(q, annots, k)))
                Q.qpdf_oh_erase_item(q, annots, k);
    }
}

/* /PageLabels: decimal labels, one range per run of consecutive slide numbers. */
static void set_labels(qpdf_data q, const int *labels, int n) {
    qpdf_oh nums = Q.qpdf_oh_new_array(q);
    for (int i = 0; i < n; i++) {
        if (i > 0 && labels[i] == labels[i - 1] + 1) continue;
        qpdf_oh range = Q.qpdf_oh_new_dictionary(q);
        Q.qpdf_oh_replace_key(q, range, "/S", Q.qpdf_oh_new_name(q, "/D"));
        Q.qpdf_oh_replace_key(q, range, "/St", Q.qpdf_oh_new_integer(q, labels[i]));
        Q.qpdf_oh_append_item(q, nums, Q.qpdf_oh_new_integer(q, i));
        Q.qpdf_oh_append_item(q, nums, range);
    }
    qpdf_oh tree = Q.qpdf_oh_new_dictionary(q);
    Q.qpdf_oh_replace_key(q, tree, "/Nums", nums);
    Q.qpdf_oh_replace_key(q, Q.qpdf_get_root(q), "/PageLabels", tree);
}

static int name_is(qpdf_data q, qpdf_oh dict, const char *key, const char *name) {
    qpdf_oh v = Q.qpdf_oh_get_key(q, dict, key);
    int is = Q.qpdf_oh_is_name_and_equals(q, v, name);
    Q.qpdf_oh_release(q, v);
    return is;
}

static int int_of(qpdf_data q, qpdf_oh dict, const char *key) {
    qpdf_oh v = Q.qpdf_oh_get_key(q, dict, key);
    int i = Q.qpdf_oh_is_integer(q, v) ? Q.qpdf_oh_get_int_value_as_int(q, v) : -1;
    Q.qpdf_oh_release(q, v);
    return i;
}

/* If the image stream `o` (dictionary `d`) holds a PNG stand-in, give it the PNG's data. */
static void pass_png_one(qpdf_data q, qpdf_oh o, qpdf_oh d) {
    unsigned char *buf = NULL;
    size_t len = 0;
    dk_pngpass_standin_info si;
    if (!(Q.qpdf_oh_get_stream_data(q, o, qpdf_dl_none, NULL, &buf, &len) & QPDF_ERRORS) && buf &&
        dk_pngpass_parse(buf, len, &si) && si.w == int_of(q, d, "/Width") &&
        si.h == int_of(q, d, "/Height")) {
        qpdf_oh cs;
        if (si.ctype == 3) {
            cs = Q.qpdf_oh_new_array(q);
            Q.qpdf_oh_append_item(q, cs, Q.qpdf_oh_new_name(q, "/Indexed"));
            Q.qpdf_oh_append_item(q, cs, Q.qpdf_oh_new_name(q, "/DeviceRGB"));
            Q.qpdf_oh_append_item(q, cs, Q.qpdf_oh_new_integer(q, si.nplte - 1));
            Q.qpdf_oh_append_item(q, cs, Q.qpdf_oh_new_binary_string(q, (const char *)si.plte,
                                                                 3 * (size_t)si.nplte));
        } else {
            cs = Q.qpdf_oh_new_name(q, si.ctype == 2 ? "/DeviceRGB" : "/DeviceGray");
        }
        Q.qpdf_oh_replace_key(q, d, "/ColorSpace", cs);
        Q.qpdf_oh_replace_key(q, d, "/BitsPerComponent", Q.qpdf_oh_new_integer(q, si.depth));
        qpdf_oh parms = Q.qpdf_oh_new_dictionary(q);
        Q.qpdf_oh_replace_key(q, parms, "/Predictor", Q.qpdf_oh_new_integer(q, 15));
        Q.qpdf_oh_replace_key(q, parms, "/Colors",
                              Q.qpdf_oh_new_integer(q, dk_pngpass_colors(si.ctype)));
        Q.qpdf_oh_replace_key(q, parms, "/BitsPerComponent", Q.qpdf_oh_new_integer(q, si.depth));
        Q.qpdf_oh_replace_key(q, parms, "/Columns", Q.qpdf_oh_new_integer(q, si.w));
        Q.qpdf_oh_replace_stream_data(q, o, si.idat, si.nidat,
                                      Q.qpdf_oh_new_name(q, "/FlateDecode"),
                                    parms);
    }
    free(buf);
}

/*
 * Parse every object of the file now (qpdf reads an object when first
 * asked for it), and with `pngs`, give every image XObject cairo wrote from
 * a PNG stand-in (a /DCTDecode stream that starts with the stand-in header)
 * the PNG's IDAT data in its place, with the colour space and predictor
 * that read it. Parsing here, where the parts of a joined PDF are read side
 * by side (dk_pdf_join), keeps it out of the write, which is serial: for a
 * 1001-slide deck of text, a third of the join.
 */
static void read_all(qpdf_data q, int pngs) {
    qpdf_oh trailer = Q.qpdf_get_trailer(q);
    int n = int_of(q, trailer, "/Size");
    for (int id = 1; id < n; id++) {
        qpdf_oh o = Q.qpdf_get_object_by_id(q, id, 0);
        if (Q.qpdf_oh_is_stream(q, o) && pngs) {
            qpdf_oh d = Q.qpdf_oh_get_dict(q, o);
            if (name_is(q, d, "/Subtype", "/Image") && name_is(q, d, "/Filter", "/DCTDecode"))
                pass_png_one(q, o, d);
            Q.qpdf_oh_release(q, d);
        }
        Q.qpdf_oh_release(q, o);
    }
}

/* The object number of an "N 0 obj" header at p (at most `n` bytes), else -1. */
static long obj_header(const char *p, size_t n) {
    long num = 0;
    size_t i = 0;
    while (i < n && i < 10 && p[i] >= '0' && p[i] <= '9') num = num * 10 + (p[i++] - '0');
    return i > 0 && n - i >= 6 && memcmp(p + i, " 0 obj", 6) == 0 ? num : -1;
}

/*
 * cairo 1.16 lists objects in its cross-reference table that it never
 * writes (with link tags, about two per link), their entries pointing at
 * other objects. Reading such a file, qpdf rebuilds the whole table by
 * scanning the file, and warns once per entry: that doubled the time of
 * the rewrite. Here, before qpdf reads it, each entry that does not point
 * at its object is pointed at where the object is (its "N 0 obj" at the
 * start of a line), or marked free when the file does not have it, which
 * is what qpdf's rebuild makes of it (a reference to it is null). A table
 * in any other shape than cairo's, or an object header found twice, and
 * the file is left as it is, for qpdf to rebuild.
 */
static void repair_xref(char *pdf, size_t n) {
    const char *sx = n > 64 ? memmem(pdf + n - 64, 64, "startxref", 9) : NULL;
    if (!sx) return;
    size_t off = (size_t)strtoull(sx + 9, NULL, 10);
    long count;
    int head;
    if (off >= n || sscanf(pdf + off, "xref 0 %ld%n", &count, &head) != 1 || count <= 0 ||
        count > 10000000)
        return;
    char *tab = pdf + off + head;
    while (tab < pdf + n && (*tab == '\r' || *tab == '\n' || *tab == ' ')) tab++;
    if ((size_t)(tab - pdf) + 20 * (size_t)count > n) return;
    for (long k = 0; k < count; k++) {
        const char *e = tab + 20 * k;
        for (int i = 0; i < 10; i++)
            if (e[i] < '0' || e[i] > '9') return;
        if (e[10] != ' ' || e[16] != ' ' || (e[17] != 'n' && e[17] != 'f')) return;
    }
    /* where each object's header is: one pass over the file, line starts only */
    long *at = malloc((size_t)count * sizeof *at);
    if (!at) return;
    for (long k = 0; k < count; k++) at[k] = -1;
    for (const char *p = pdf; p && p < tab;) {
        long num = obj_header(p, (size_t)(tab - p));
        if (num >= count || (num > 0 && at[num] >= 0)) goto done; /* not cairo's, or ambiguous */
        if (num > 0) at[num] = p - pdf;
        p = memchr(p, '\n', (size_t)(tab - p));
        if (p) p++;
    }
    for (long k = 1; k < count; k++) {
        char *e = tab + 20 * k;
        if (e[17] != 'n' || (at[k] >= 0 && (size_t)at[k] == (size_t)strtoull(e, NULL, 10))) continue;
        if (at[k] >= 0) {
            char ten[24]; /* at[k] < n, and the table's offsets have ten digits */
            if (snprintf(ten, sizeof ten, "%010ld", at[k]) != 10) goto done;
            memcpy(e, ten, 10);
        } else {
            memcpy(e, "0000000000 00001 f", 18);
        }
    }
done:
    free(at);
}

dk_status dk_pdf_finish(dk_ctx *ctx, const char *in_path, const char *out_path,
                        long source_date_epoch) {
    dk_pdf_fix fix = {.source_date_epoch = source_date_epoch};
    return dk_pdf_finish_with(ctx, in_path, out_path, &fix);
}

/* One PDF read by qpdf: its handle and the file's bytes, which qpdf reads until cleanup. */
typedef struct {
    qpdf_data q;
    char *in;
    size_t nin;
} pdf_in;

/*
 * A process that ends after its PDF is written (dk_pdf_ending) leaves the
 * documents to exit: qpdf frees its objects one by one, a twentieth of a
 * 1001-slide join. They are kept here, where leak checkers still reach
 * them; a document that finds no room is freed after all.
 */
enum { PARKED_MAX = 8 };
static atomic_int ending;
/* never read: `used` keeps the compiler from dropping the stores that keep them reachable */
static pdf_in parked[PARKED_MAX] __attribute__((used));
static int nparked;
static pthread_mutex_t parked_lock = PTHREAD_MUTEX_INITIALIZER;

void dk_pdf_ending(void) { atomic_store(&ending, 1); }

static int park(pdf_in *f) {
    int kept = 0;
    pthread_mutex_lock(&parked_lock);
    if (atomic_load(&ending) && nparked < PARKED_MAX) {
        parked[nparked++] = *f;
        kept = 1;
    }
    pthread_mutex_unlock(&parked_lock);
    return kept;
}

static void pdf_close(dk_ctx *ctx, pdf_in *f) {
    if (f->q) drain_warnings(ctx, f->q);
    if (!park(f)) {
        if (f->q) Q.qpdf_cleanup(&f->q);
        free(f->in);
    }
    f->q = NULL;
    f->in = NULL;
}

/*
 * Read `path` (cairo's table put right first) and pass its PNGs through.
 * Touches nothing but *f, so parts can be read on threads of their own:
 * DK_EIO leaves qpdf's error in f->q for the caller to tell (opened()).
 */
static dk_status pdf_read(const char *path, pdf_in *f) {
    memset(f, 0, sizeof *f);
    if (!(f->q = Q.qpdf_init())) return DK_ENOMEM;
    Q.qpdf_silence_errors(f->q);              /* we check every call ourselves */
    Q.qpdf_set_suppress_warnings(f->q, QPDF_TRUE); /* warnings come to us, not stderr */
    /* from memory: qpdf reads a file by seeking and reading a few bytes at a time
       (~20,000 system calls for the seed deck) */
    if (dk_file_read(path, &f->in, &f->nin) == DK_ENOMEM) return DK_ENOMEM;
    if (f->in) repair_xref(f->in, f->nin);
    if ((f->in ? Q.qpdf_read_memory(f->q, path, f->in, (unsigned long long)f->nin, NULL)
               : Q.qpdf_read(f->q, path, NULL)) & QPDF_ERRORS)
        return DK_EIO;
    read_all(f->q, !f->in || dk_pngpass_present(f->in, f->nin));
    return DK_OK;
}

/* pdf_read's outcome, told on ctx. */
static dk_status opened(dk_ctx *ctx, const char *path, pdf_in *f, dk_status st) {
    return st == DK_EIO ? fail(ctx, f->q, "read", path) : st;
}

static dk_status pdf_open(dk_ctx *ctx, const char *path, pdf_in *f) {
    return opened(ctx, path, f, pdf_read(path, f));
}

/* The fixes of dk_pdf_finish_with on the read document, then write it to out_path. */
static dk_status pdf_finish(dk_ctx *ctx, qpdf_data q, const char *in_path, const char *out_path,
                            const dk_pdf_fix *fix) {
    if (fix->source_date_epoch >= 0) {
        if (!set_dates(q, fix->source_date_epoch)) return fail(ctx, q, "set the dates of", in_path);
    } else {
        repair_dates(q);
    }
    if (fix->lang && *fix->lang)
        Q.qpdf_oh_replace_key(q, Q.qpdf_get_root(q), "/Lang",
                              Q.qpdf_oh_new_unicode_string(q, fix->lang));
    fix_links(q, fix);
    if (fix->labels && fix->nlabels == Q.qpdf_get_num_pages(q))
        set_labels(q, fix->labels, fix->nlabels);
    if (Q.qpdf_init_write_memory(q) & QPDF_ERRORS) return fail(ctx, q, "write", out_path);
    Q.qpdf_set_object_stream_mode(q, qpdf_o_generate);
    Q.qpdf_set_compress_streams(q, QPDF_TRUE);
    Q.qpdf_set_decode_level(q, qpdf_dl_generalized);
    Q.qpdf_set_deterministic_ID(q, QPDF_TRUE);
    if (Q.qpdf_write(q) & QPDF_ERRORS) return fail(ctx, q, "write", out_path);
    size_t n = Q.qpdf_get_buffer_length(q);
    const unsigned char *p = Q.qpdf_get_buffer(q);
    if (!p || n == 0) return fail(ctx, q, "write", out_path);
    errno = 0;
    dk_status st = dk_file_write_atomic(out_path, p, n);
    if (st == DK_EIO)
        dk_diag_error(ctx, DK_NOPOS, "cannot write '%s': %s", out_path,
                      errno ? strerror(errno) : "I/O error");
    return st;
}

dk_status dk_pdf_finish_with(dk_ctx *ctx, const char *in_path, const char *out_path,
                             const dk_pdf_fix *fix) {
    pdf_in f;
    dk_status st = qpdf_ready(ctx);
    if (st) return st;
    st = pdf_open(ctx, in_path, &f);
    if (st == DK_OK) st = pdf_finish(ctx, f.q, in_path, out_path, fix);
    pdf_close(ctx, &f);
    return st;
}

/*
 * Images the parts share. Each part embeds the images its pages show, so
 * an image on both sides of a split came twice; the appended pages are
 * pointed at the first part's copy of an image with the same dictionary
 * entries and bytes (the second copy is then not written).
 */
typedef struct {
    int id;              /* the object */
    char *key;           /* its dictionary's entries that describe the pixels */
    unsigned char *data; /* its stream, as written */
    size_t n;
} image_rec;

typedef struct {
    image_rec *v;
    int n, cap;
    GHashTable *seen; /* objects looked at already: id -> the id it is replaced by (0: none) */
} image_set;

static void images_free(image_set *s) {
    for (int i = 0; i < s->n; i++) free(s->v[i].key), free(s->v[i].data);
    free(s->v);
    if (s->seen) g_hash_table_destroy(s->seen);
}

/* What object `id` was found to be: 1 and *twin (0: not a shared image), or 0 when not seen. */
static int seen(image_set *s, int id, int *twin) {
    gpointer v;
    if (!s->seen) s->seen = g_hash_table_new(NULL, NULL);
    if (!g_hash_table_lookup_extended(s->seen, GINT_TO_POINTER(id), NULL, &v)) return 0;
    *twin = GPOINTER_TO_INT(v);
    return 1;
}

static void remember(image_set *s, int id, int twin) {
    g_hash_table_insert(s->seen, GINT_TO_POINTER(id), GINT_TO_POINTER(twin));
}

/* Room for one more record; 0 on OOM (the image is then just not shared). */
static int grow(image_set *s) {
    if (s->n < s->cap) return 1;
    int cap = s->cap ? 2 * s->cap : 16;
    image_rec *v = realloc(s->v, (size_t)cap * sizeof *v);
    if (!v) return 0;
    s->v = v;
    s->cap = cap;
    return 1;
}

/* The names in dictionary `d` (malloc'd, NULL-terminated; qpdf's C API walks one dict at a time). */
static char **dict_keys(qpdf_data q, qpdf_oh d) {
    int n = 0, cap = 8;
    char **v = malloc((size_t)cap * sizeof *v);
    Q.qpdf_oh_begin_dict_key_iter(q, d);
    while (v && Q.qpdf_oh_dict_more_keys(q)) {
        if (n + 1 == cap) {
            char **g = realloc(v, (size_t)(cap *= 2) * sizeof *v);
            if (!g) break;
            v = g;
        }
        v[n++] = strdup(Q.qpdf_oh_dict_next_key(q));
    }
    if (v) v[n] = NULL;
    return v;
}

/* An image record for stream `o` (0 when it is not a plain image, or on OOM). */
static int image_of(qpdf_data q, qpdf_oh o, image_rec *r) {
    if (!Q.qpdf_oh_is_stream(q, o)) return 0;
    qpdf_oh d = Q.qpdf_oh_get_dict(q, o);
    if (!name_is(q, d, "/Subtype", "/Image") || Q.qpdf_oh_has_key(q, d, "/SMask")) return 0;
    dk_buf k = {0};
    static const char *const keys[] = {"/Width", "/Height", "/BitsPerComponent", "/ColorSpace",
                                       "/Filter", "/DecodeParms", "/Decode", "/Mask", NULL};
    for (int i = 0; keys[i]; i++)
        dk_buf_printf(&k, "%s %s\n", keys[i],
                      Q.qpdf_oh_unparse_resolved(q, Q.qpdf_oh_get_key(q, d, keys[i])));
    unsigned char *data = NULL;
    size_t n = 0;
    if (k.oom || Q.qpdf_oh_get_stream_data(q, o, qpdf_dl_none, NULL, &data, &n) & QPDF_ERRORS) {
        dk_buf_free(&k);
        free(data);
        return 0;
    }
    *r = (image_rec){Q.qpdf_oh_get_object_id(q, o), k.p, data, n};
    return 1;
}

/*
 * The images in the /XObject resources of pages [from, to) of q: with
 * `add`, recorded in `set` (the first part's); else each that has a
 * recorded twin is replaced by it.
 */
static void page_images(qpdf_data q, int from, int to, image_set *set, int add) {
    for (int p = from; p < to; p++) {
        qpdf_oh page = Q.qpdf_get_page_n(q, (size_t)p);
        qpdf_oh xo = Q.qpdf_oh_get_key(q, Q.qpdf_oh_get_key(q, page, "/Resources"),
                                     "/XObject");
        if (!Q.qpdf_oh_is_dictionary(q, xo)) continue;
        char **names = dict_keys(q, xo);
        for (int i = 0; names && names[i]; i++) {
            qpdf_oh o = Q.qpdf_oh_get_key(q, xo, names[i]);
            int id = Q.qpdf_oh_get_object_id(q, o), twin = 0;
            if (!seen(set, id, &twin)) {
                image_rec r;
                if (image_of(q, o, &r)) {
                    for (int k = 0; k < set->n && !twin; k++)
                        if (set->v[k].n == r.n && !strcmp(set->v[k].key, r.key) &&
                            !memcmp(set->v[k].data, r.data, r.n))
                            twin = set->v[k].id;
                    if (!twin && add && grow(set)) set->v[set->n++] = r, r.key = NULL, r.data = NULL;
                    free(r.key);
                    free(r.data);
                }
                remember(set, id, twin);
            }
            /* a copy of a first-part image: show that one */
            if (twin && twin != id)
                Q.qpdf_oh_replace_key(q, xo, names[i], Q.qpdf_get_object_by_id(q, twin, 0));
        }
        for (int i = 0; names && names[i]; i++) free(names[i]);
        free(names);
    }
}

/* Append the pages and the outline items of `from` to `to` (qpdf copies them over). */
static int append_doc(qpdf_data to, qpdf_data from, image_set *images) {
    int n0 = Q.qpdf_get_num_pages(to);
    if (images->n == 0) page_images(to, 0, n0, images, 1);
    int n = Q.qpdf_get_num_pages(from);
    for (int i = 0; i < n; i++)
        if (Q.qpdf_add_page(to, from, Q.qpdf_get_page_n(from, (size_t)i), QPDF_FALSE) & QPDF_ERRORS)
            return 0;
    page_images(to, n0, n0 + n, images, 0);
    qpdf_oh outlines = Q.qpdf_oh_get_key(to, Q.qpdf_get_root(to), "/Outlines");
    qpdf_oh first = Q.qpdf_oh_get_key(
        from, Q.qpdf_oh_get_key(from, Q.qpdf_get_root(from), "/Outlines"), "/First");
    if (!Q.qpdf_oh_is_dictionary(from, first)) return !Q.qpdf_has_error(to);
    if (!Q.qpdf_oh_is_dictionary(to, outlines)) {
        outlines = Q.qpdf_make_indirect_object(
            to, Q.qpdf_oh_parse(to, "<< /Type /Outlines /Count 0 >>"));
        Q.qpdf_oh_replace_key(to, Q.qpdf_get_root(to), "/Outlines", outlines);
    }
    /* the chain comes over whole (its /Next links); hang it after our last item */
    qpdf_oh item = Q.qpdf_oh_copy_foreign_object(to, from, first);
    qpdf_oh last = Q.qpdf_oh_get_key(to, outlines, "/Last");
    if (Q.qpdf_oh_is_dictionary(to, last)) {
        Q.qpdf_oh_replace_key(to, last, "/Next", item);
        Q.qpdf_oh_replace_key(to, item, "/Prev", last);
    } else {
        Q.qpdf_oh_replace_key(to, outlines, "/First", item);
    }
    int count = Q.qpdf_oh_is_integer(to, Q.qpdf_oh_get_key(to, outlines, "/Count"))
                    ? Q.qpdf_oh_get_int_value_as_int(to, Q.qpdf_oh_get_key(to, outlines, "/Count"))
                    : 0;
    for (int k = 0; Q.qpdf_oh_is_dictionary(to, item) && k < 1000000; k++) {
        Q.qpdf_oh_replace_key(to, item, "/Parent", outlines);
        last = item;
        count++;
        item = Q.qpdf_oh_get_key(to, item, "/Next");
    }
    Q.qpdf_oh_replace_key(to, outlines, "/Last", last);
    Q.qpdf_oh_replace_key(to, outlines, "/Count", Q.qpdf_oh_new_integer(to, count));
    return !Q.qpdf_has_error(to);
}

/* One part read on a thread of its own (qpdf objects are independent). */
typedef struct {
    const char *path;
    pdf_in *f;
    dk_status st;
    pthread_t thread;
    int started;
} part_read;

static void *read_part(void *arg) {
    part_read *r = arg;
    r->st = pdf_read(r->path, r->f);
    return NULL;
}

dk_status dk_pdf_join(dk_ctx *ctx, const char *const *parts, int n, const char *out_path,
                      const dk_pdf_fix *fix) {
    if (n < 1) return DK_EIO;
    dk_status st = qpdf_ready(ctx);
    if (st) return st;
    pdf_in *f = calloc((size_t)n, sizeof *f);
    part_read *r = calloc((size_t)n, sizeof *r);
    if (!f || !r) {
        free(f);
        free(r);
        return DK_ENOMEM;
    }
    /* parsing is a third of a join: the parts are read side by side */
    for (int k = 1; k < n; k++) {
        r[k] = (part_read){parts[k], &f[k], DK_OK, 0, 0};
        r[k].started = pthread_create(&r[k].thread, NULL, read_part, &r[k]) == 0;
    }
    r[0].st = pdf_read(parts[0], &f[0]);
    for (int k = 1; k < n; k++) {
        if (r[k].started) pthread_join(r[k].thread, NULL);
        else r[k].st = pdf_read(parts[k], &f[k]);
    }
    for (int k = 0; k < n && st == DK_OK; k++) st = opened(ctx, parts[k], &f[k], r[k].st);
    free(r);
    image_set images = {0};
    for (int k = 1; k < n && st == DK_OK; k++)
        if (!append_doc(f[0].q, f[k].q, &images)) st = fail(ctx, f[0].q, "join", parts[k]);
    images_free(&images);
    /* the others' stream data is read while the first is written */
    if (st == DK_OK) st = pdf_finish(ctx, f[0].q, parts[0], out_path, fix);
    for (int k = 0; k < n; k++) pdf_close(ctx, &f[k]);
    free(f);
    return st;
}
