/*
 * The replay driver: runs a fuzz target over files and folders of files
 * given on the command line (each file once, in name order), so that the
 * corpus — every crash ever found included — is a regression test under
 * ctest with any compiler. Prints how many inputs ran; a crash or a
 * sanitizer report fails the test.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/base/base.h"
#include "fuzz.h"

static int run_file(const char *path) {
    char *buf = NULL;
    size_t n = 0;
    if (dk_file_read(path, &buf, &n) != DK_OK) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return -1;
    }
    /* an exact-size copy, so ASan sees reads past the end of the input */
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy) {
        free(buf);
        return -1;
    }
    memcpy(copy, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(copy, n);
    free(copy);
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv) {
    int ran = 0, bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such file or folder: %s\n", argv[i]);
            bad++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i]) == 0) ran++;
            else bad++;
            continue;
        }
        struct dirent **names;
        int k = scandir(argv[i], &names, NULL, by_name);
        if (k < 0) {
            bad++;
            continue;
        }
        for (int j = 0; j < k; j++) {
            if (names[j]->d_name[0] != '.') {
                char *p = NULL;
                if (asprintf(&p, "%s/%s", argv[i], names[j]->d_name) >= 0) {
                    if (run_file(p) == 0) ran++;
                    else bad++;
                    free(p);
                }
            }
            free(names[j]);
        }
        free(names);
    }
    printf("replay: %d inputs, %d unreadable\n", ran, bad);
    return bad != 0 || ran == 0;
}
