// The world of one process, and make_world for a build without MPI.

#include <cstdlib>
#include <stdexcept>

#include "letf/cluster/world.hpp"

namespace letf {
namespace {

class SingleProcess final : public World {
public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    void send(int, std::string_view) override {
        throw std::logic_error("a single process has no other rank to send to");
    }
    std::string receive(int) override {
        throw std::logic_error("a single process has no other rank to receive from");
    }
    std::optional<std::string> poll(int) override { return std::nullopt; }
    [[noreturn]] void abort(int code) override { std::_Exit(code); }
    std::string library() const override { return "single process"; }
};

} // namespace

std::unique_ptr<World> single_process_world() {
    return std::make_unique<SingleProcess>();
}

#ifndef LETF_WITH_MPI
std::unique_ptr<World> make_world(int&, char**&) {
    return single_process_world();
}
std::string mpi_build_info() {
    return {};
}
#endif

} // namespace letf
