// The world of an MPI run (built with LETF_MPI): Open MPI behind the World interface.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include <mpi.h>

#include "letf/cluster/world.hpp"

namespace letf {
namespace {

constexpr int kTag = 7;
constexpr std::size_t kPiece = std::size_t{1} << 30; // MPI counts are int

void check(int rc, const char* what) {
    if (rc != MPI_SUCCESS) {
        char text[MPI_MAX_ERROR_STRING];
        int n = 0;
        MPI_Error_string(rc, text, &n);
        throw std::runtime_error(std::string("MPI: ") + what + ": " + std::string(text, static_cast<std::size_t>(n)));
    }
}

class MpiWorld final : public World {
public:
    MpiWorld(int& argc, char**& argv) {
        int provided = 0;
        check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "init");
        // Errors come back as codes (and become exceptions here) instead of aborting at once.
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
    }
    ~MpiWorld() override { MPI_Finalize(); }

    int rank() const override { return rank_; }
    int size() const override { return size_; }

    void send(int to, std::string_view bytes) override {
        const std::uint64_t n = bytes.size();
        check(MPI_Send(&n, 1, MPI_UINT64_T, to, kTag, MPI_COMM_WORLD), "send");
        for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
            const auto len = static_cast<int>(std::min(kPiece, bytes.size() - at));
            check(MPI_Send(bytes.data() + at, len, MPI_BYTE, to, kTag, MPI_COMM_WORLD), "send");
        }
    }

    std::string receive(int from) override {
        std::uint64_t n = 0;
        check(MPI_Recv(&n, 1, MPI_UINT64_T, from, kTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
              "receive");
        std::string bytes(static_cast<std::size_t>(n), '\0');
        for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
            const auto len = static_cast<int>(std::min(kPiece, bytes.size() - at));
            check(MPI_Recv(bytes.data() + at, len, MPI_BYTE, from, kTag, MPI_COMM_WORLD,
                           MPI_STATUS_IGNORE),
                  "receive");
        }
        return bytes;
    }

    std::optional<std::string> poll(int from) override {
        int flag = 0;
        check(MPI_Iprobe(from, kTag, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE), "probe");
        if (!flag)
            return std::nullopt;
        // The probed message is the length header of the next message from that rank.
        return receive(from);
    }

    [[noreturn]] void abort(int code) override {
        MPI_Abort(MPI_COMM_WORLD, code);
        std::_Exit(code);
    }

    std::string library() const override {
        char text[MPI_MAX_LIBRARY_VERSION_STRING];
        int n = 0;
        MPI_Get_library_version(text, &n);
        std::string s(text, static_cast<std::size_t>(n));
        const auto comma = s.find(',');
        return comma == std::string::npos ? s : s.substr(0, comma);
    }

private:
    int rank_ = 0, size_ = 1;
};

/// A launcher started this process: Open MPI's mpirun, or a PMI/PMIx launcher such as srun.
bool launched_by_mpi() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
        if (std::getenv(v) != nullptr)
            return true;
    return false;
}

} // namespace

std::unique_ptr<World> make_world(int& argc, char**& argv) {
    if (!launched_by_mpi())
        return single_process_world(); // no MPI_Init: a plain start costs nothing
    return std::make_unique<MpiWorld>(argc, argv);
}

std::string mpi_build_info() {
#ifdef OMPI_MAJOR_VERSION
    return "Open MPI " + std::to_string(OMPI_MAJOR_VERSION) + "." +
           std::to_string(OMPI_MINOR_VERSION) + "." + std::to_string(OMPI_RELEASE_VERSION);
#else
    return "MPI " + std::to_string(MPI_VERSION) + "." + std::to_string(MPI_SUBVERSION);
#endif
}

} // namespace letf
