/*
 * fuzz/ — libFuzzer targets. Each target file defines
 * LLVMFuzzerTestOneInput; with clang and -DDK_FUZZ=ON it links with
 * libFuzzer, and always with replay.c, whose main() runs every file of the
 * corpus folders it is given (ctest does that under the normal and the ASan
 * build). The first byte of an input picks options, as md4c's and cmark's
 * fuzzers do; the rest is the payload.
 */
#ifndef DK_FUZZ_H
#define DK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
