/*
 * A tiny test harness: CHECK records a failure and goes on; main returns
 * non-zero when anything failed. Each test file is one ctest test.
 */
#ifndef DK_TEST_H
#define DK_TEST_H

#include <stdio.h>
#include <string.h>

static int dk_test_failed, dk_test_checked;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        dk_test_checked++;                                                             \
        if (!(cond)) {                                                                 \
            dk_test_failed++;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                                              \
    } while (0)

#define CHECK_STR(got, want)                                                           \
    do {                                                                               \
        const char *g_ = (got), *w_ = (want);                                          \
        dk_test_checked++;                                                             \
        if (!g_ || strcmp(g_, w_) != 0) {                                              \
            dk_test_failed++;                                                          \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n  got:  %s\n  want: %s\n",   \
                    __FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_);                 \
        }                                                                              \
    } while (0)

#define CHECK_NEAR(got, want, tol)                                                     \
    do {                                                                               \
        double g_ = (got), w_ = (want);                                                \
        dk_test_checked++;                                                             \
        if (!(g_ >= w_ - (tol) && g_ <= w_ + (tol))) {                                 \
            dk_test_failed++;                                                          \
            fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %g, want %g +- %g\n",      \
                    __FILE__, __LINE__, #got, g_, w_, (double)(tol));                  \
        }                                                                              \
    } while (0)

static inline int dk_test_done(void) {
    printf("%d checks, %d failed\n", dk_test_checked, dk_test_failed);
    return dk_test_failed != 0 || dk_test_checked == 0;
}

#endif
