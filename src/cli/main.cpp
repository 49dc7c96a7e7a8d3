#include <iostream>

#include "cli.hpp"

int main(int argc, char** argv) {
    return letf::cli::main(argc, argv, std::cout, std::cerr);
}
