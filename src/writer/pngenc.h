/*
 * The IDAT data of PNG slides — filtered rows in one zlib stream —
 * deflated in bands, on worker threads (pngenc.c says how).
 *
 *     dk_pngenc *e = dk_pngenc_new(pool);
 *     dk_pngjob *j = dk_pngenc_submit(e, pixels, w, h, stride, alpha, level);
 *     ... paint the next slide while the threads deflate this one ...
 *     dk_pngenc_finish(e, j, put, ud);   (the stream, in order, to put)
 *     dk_pngenc_free(e);
 *
 * Only the pool's caller calls these; its workers touch nothing but the
 * pixels and their own memory.
 */
#ifndef DK_WRITER_PNGENC_H
#define DK_WRITER_PNGENC_H

#include <stddef.h>

#include "../base/base.h"

typedef struct dk_pngenc dk_pngenc;
typedef struct dk_pngjob dk_pngjob;

/* An encoder deflating on `pool`'s threads (NULL: on the caller's, at submit). NULL: OOM. */
dk_pngenc *dk_pngenc_new(dk_pool *pool);
/* Every job must be finished first. */
void dk_pngenc_free(dk_pngenc *e);

/*
 * Queue h rows of w pixels for deflating at zlib `level`: cairo's native-endian
 * words (RGB24, or ARGB32 premultiplied), rows `stride` bytes apart, which stay
 * untouched until the job is finished. The rows go out with filter None, as
 * RGB, or un-premultiplied RGBA when `alpha`. NULL: out of memory.
 */
dk_pngjob *dk_pngenc_submit(dk_pngenc *e, const unsigned char *px, int w, int h, int stride,
                            int alpha, int level);

/*
 * Wait until job `j` is deflated, deflating its bands no worker took, then
 * hand its zlib stream to put(ud, bytes, n) in order (put may be NULL: the
 * job is dropped), and free it. DK_OK, or DK_ENOMEM when a band could not
 * be deflated (nothing was put).
 */
dk_status dk_pngenc_finish(dk_pngenc *e, dk_pngjob *j,
                           void (*put)(void *ud, const unsigned char *p, size_t n), void *ud);

#endif
