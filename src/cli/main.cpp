#include <iostream>

#include <malloc.h>

#include "cli.hpp"
#include "letf/cluster/world.hpp"
#include "letf/io/atomic_file.hpp"

int main(int argc, char** argv) {
    // Large buffers (per-path stores, selection scratch) come from the heap and are reused
    // rather than mapped and unmapped, with fresh zeroed pages, on every allocation.
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    // SIGINT/SIGTERM remove the temporary being written and end with 130/143.
    letf::install_signal_cleanup();
    // Under mpirun or srun, MPI's world (initialised here, finalised at the end); else one process.
    const std::unique_ptr<letf::World> world = letf::make_world(argc, argv);
    return letf::cli::main(argc, argv, std::cout, std::cerr, *world);
}
