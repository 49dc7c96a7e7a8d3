#include <iostream>

#include <malloc.h>

#include "cli.hpp"

int main(int argc, char** argv) {
    // Large buffers (per-path stores, selection scratch) come from the heap and are reused
    // rather than mapped and unmapped, with fresh zeroed pages, on every allocation.
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    return letf::cli::main(argc, argv, std::cout, std::cerr);
}
