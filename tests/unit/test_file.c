/*
 * base: dk_file_read / dk_file_read_max give a file's bytes exactly,
 * NUL-terminated, whether the file's size is known up front (a regular
 * file), wrong (/proc reports 0) or unknown (a FIFO); at most max + 1 bytes
 * with a max, so that a caller can tell a longer file; DK_EIO with errno on
 * a file that cannot be opened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base.h"
#include "test.h"

static char dir[] = "/tmp/deckle-file-XXXXXX";

static char *path_in(const char *name) {
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

/* n bytes of a pattern that a shifted copy would not match */
static unsigned char *pattern(size_t n) {
    unsigned char *b = malloc(n ? n : 1);
    for (size_t i = 0; b && i < n; i++) b[i] = (unsigned char)(i * 131 + (i >> 9));
    return b;
}

static void write_file(const char *p, const unsigned char *b, size_t n) {
    FILE *f = fopen(p, "wb");
    CHECK(f && fwrite(b, 1, n, f) == n);
    if (f) fclose(f);
}

static void test_regular(void) {
    static const size_t sizes[] = {0, 1, 4095, 4096, 65536, 200001};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k], got = 12345;
        unsigned char *b = pattern(n);
        write_file(path_in("f"), b, n);
        char *out = NULL;
        CHECK(dk_file_read(path_in("f"), &out, &got) == DK_OK);
        CHECK(out && got == n && memcmp(out, b, n) == 0 && out[n] == 0);
        free(out);
        free(b);
    }
}

static void test_max(void) {
    unsigned char *b = pattern(100);
    write_file(path_in("m"), b, 100);
    struct {
        size_t max, want;
    } cases[] = {{10, 11}, {99, 100}, {100, 100}, {1000, 100}, {0, 1}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char *out = NULL;
        size_t got = 0;
        CHECK(dk_file_read_max(path_in("m"), cases[k].max, &out, &got) == DK_OK);
        CHECK(got == cases[k].want && out && memcmp(out, b, got) == 0 && out[got] == 0);
        free(out);
    }
    free(b);
}

/* /proc files are regular with a size of 0: the buffer grows past what fstat said */
static void test_proc(void) {
    char *out = NULL;
    size_t n = 0;
    CHECK(dk_file_read("/proc/self/status", &out, &n) == DK_OK);
    CHECK(out && n > 64 && strncmp(out, "Name:", 5) == 0 && strlen(out) == n);
    free(out);
}

/* a FIFO has no size: read in growing steps, all of it, or max + 1 of it */
static void test_fifo(void) {
    enum { N = 300000 };
    unsigned char *b = pattern(N);
    CHECK(mkfifo(path_in("p"), 0600) == 0);
    for (int limited = 0; limited < 2; limited++) {
        pid_t pid = fork();
        if (pid == 0) {
            signal(SIGPIPE, SIG_DFL); /* the reader stops early when limited */
            int fd = open(path_in("p"), O_WRONLY);
            size_t at = 0;
            while (fd >= 0 && at < N) {
                ssize_t w = write(fd, b + at, N - at < 7000 ? N - at : 7000);
                if (w <= 0) break;
                at += (size_t)w;
            }
            _exit(0);
        }
        char *out = NULL;
        size_t n = 0;
        size_t max = limited ? 100000 : (size_t)-2;
        CHECK(dk_file_read_max(path_in("p"), max, &out, &n) == DK_OK);
        size_t want = limited ? 100001 : N;
        CHECK(out && n == want && memcmp(out, b, n) == 0 && out[n] == 0);
        free(out);
        int status;
        waitpid(pid, &status, 0);
    }
    unlink(path_in("p"));
    free(b);
}

static void test_missing(void) {
    char *out = (char *)1;
    size_t n = 7;
    errno = 0;
    CHECK(dk_file_read(path_in("none"), &out, &n) == DK_EIO);
    CHECK(errno == ENOENT && out == NULL && n == 0);
    CHECK(dk_file_read(dir, &out, &n) == DK_EIO); /* a folder opens, but does not read */
    CHECK(out == NULL);
}

int main(void) {
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_regular();
    test_max();
    test_proc();
    test_fifo();
    test_missing();
    unlink(path_in("f"));
    unlink(path_in("m"));
    rmdir(dir);
    return dk_test_done();
}
