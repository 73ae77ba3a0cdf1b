/*
 * out/pdffix.c — rewrite cairo's PDF through libqpdf's C API.
 *
 * qpdf reads the damaged file in recovery mode (it rebuilds the xref by
 * scanning for "N 0 obj"), then writes a new file to memory: object streams
 * generated, streams compressed, a deterministic /ID (an MD5 of the written
 * content instead of one made from the time and file name). The bytes go to
 * disk with dk_file_write_atomic, so a reader never sees half a PDF and a
 * failed run leaves the old file alone.
 *
 * qpdf's warnings are expected for every cairo file with links (the xref
 * repair), so they are not user-facing warnings: they are logged as notes,
 * printed only in verbose mode, and never count towards --strict.
 */
#define _POSIX_C_SOURCE 200809L
#include "pdffix.h"

#include <errno.h>
#include <qpdf/qpdf-c.h>
#include <string.h>
#include <time.h>

/* Log every pending qpdf warning as a note (printed only when ctx->verbose). */
static void drain_warnings(dk_ctx *ctx, qpdf_data q) {
    while (qpdf_more_warnings(q)) {
        qpdf_error w = qpdf_next_warning(q);
        if (!w) break;
        int quiet = ctx->quiet;
        if (!ctx->verbose) ctx->quiet = 1;
        dk_diag(ctx, DK_DIAG_NOTE, DK_NOPOS, "qpdf: %s", qpdf_get_error_full_text(q, w));
        ctx->quiet = quiet;
    }
}

/* The pending qpdf error as an error on ctx; always DK_EIO. */
static dk_status fail(dk_ctx *ctx, qpdf_data q, const char *what, const char *path) {
    const char *msg = "unknown qpdf error";
    if (qpdf_has_error(q)) {
        qpdf_error e = qpdf_get_error(q);
        if (e) msg = qpdf_get_error_full_text(q, e);
    }
    dk_diag_error(ctx, DK_NOPOS, "cannot %s PDF '%s': %s", what, path, msg);
    return DK_EIO;
}

/*
 * The document information dictionary, made (indirect, in the trailer) if
 * cairo wrote none and `make` is set; an uninitialized/null handle otherwise.
 */
static qpdf_oh info_dict(qpdf_data q, int make) {
    qpdf_oh trailer = qpdf_get_trailer(q);
    qpdf_oh info = qpdf_oh_get_key(q, trailer, "/Info");
    if (!qpdf_oh_is_dictionary(q, info) && make) {
        info = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
        qpdf_oh_replace_key(q, trailer, "/Info", info);
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
    qpdf_oh_replace_key(q, info, "/CreationDate", qpdf_oh_new_string(q, date));
    qpdf_oh_replace_key(q, info, "/ModDate", qpdf_oh_new_string(q, date));
    return !qpdf_has_error(q);
}

/*
 * cairo 1.16 writes the dates given by cairo_pdf_surface_set_metadata
 * without the "D:" prefix PDF dates need ("(20240102030405Z)"); add it.
 */
static void repair_dates(qpdf_data q) {
    static const char *const keys[] = {"/CreationDate", "/ModDate"};
    qpdf_oh info = info_dict(q, 0);
    if (!qpdf_oh_is_dictionary(q, info)) return;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        qpdf_oh v = qpdf_oh_get_key(q, info, keys[i]);
        if (!qpdf_oh_is_string(q, v)) continue;
        const char *s = qpdf_oh_get_utf8_value(q, v);
        char date[64];
        if (s && s[0] >= '0' && s[0] <= '9' && strlen(s) < sizeof date - 2) {
            snprintf(date, sizeof date, "D:%s", s);
            qpdf_oh_replace_key(q, info, keys[i], qpdf_oh_new_string(q, date));
        }
    }
}

dk_status dk_pdf_finish(dk_ctx *ctx, const char *in_path, const char *out_path,
                        long source_date_epoch) {
    dk_status st = DK_OK;
    qpdf_data q = qpdf_init();
    if (!q) return DK_ENOMEM;
    qpdf_silence_errors(q);           /* we check every call ourselves */
    qpdf_set_suppress_warnings(q, QPDF_TRUE); /* warnings come to us, not stderr */

    if (qpdf_read(q, in_path, NULL) & QPDF_ERRORS) {
        st = fail(ctx, q, "read", in_path);
        goto done;
    }
    if (source_date_epoch >= 0) {
        if (!set_dates(q, source_date_epoch)) {
            st = fail(ctx, q, "set the dates of", in_path);
            goto done;
        }
    } else {
        repair_dates(q);
    }
    if (qpdf_init_write_memory(q) & QPDF_ERRORS) {
        st = fail(ctx, q, "write", out_path);
        goto done;
    }
    qpdf_set_object_stream_mode(q, qpdf_o_generate);
    qpdf_set_compress_streams(q, QPDF_TRUE);
    qpdf_set_decode_level(q, qpdf_dl_generalized);
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    if (qpdf_write(q) & QPDF_ERRORS) {
        st = fail(ctx, q, "write", out_path);
        goto done;
    }

    size_t n = qpdf_get_buffer_length(q);
    const unsigned char *p = qpdf_get_buffer(q);
    if (!p || n == 0) {
        st = fail(ctx, q, "write", out_path);
        goto done;
    }
    errno = 0;
    st = dk_file_write_atomic(out_path, p, n);
    if (st == DK_EIO)
        dk_diag_error(ctx, DK_NOPOS, "cannot write '%s': %s", out_path,
                      errno ? strerror(errno) : "I/O error");

done:
    drain_warnings(ctx, q);
    qpdf_cleanup(&q);
    return st;
}
