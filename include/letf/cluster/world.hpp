#pragma once
/// \file cluster/world.hpp
/// The processes of one run: rank 0 and, under mpirun or srun, the others. Everything above
/// this (cluster_run.hpp, the distributed sweep) speaks only this interface; Open MPI is behind
/// it in src/cluster/mpi_world.cpp (built with LETF_MPI), and a single process is a world of
/// size 1 that never sends.
///
/// Messages are byte strings, delivered between two ranks in the order they were sent (one MPI
/// tag, so MPI's non-overtaking rule applies); any length (sent in pieces of at most 1 GiB).
/// Only the calling thread communicates (MPI_THREAD_FUNNELED): OpenMP workers never do.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace letf {

class World {
public:
    virtual ~World() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    /// Sends `bytes` to rank `to`; returns when the buffer may be reused.
    virtual void send(int to, std::string_view bytes) = 0;
    /// The next message from rank `from`; blocks until it arrives.
    virtual std::string receive(int from) = 0;
    /// The next message from rank `from` when it has arrived; never blocks. (Per rank, not from
    /// any: a caller takes only the messages of its own step from each rank, never one that a
    /// rank sent ahead for the next.)
    virtual std::optional<std::string> poll(int from) = 0;
    /// Ends every rank of the run at once with exit code `code` (a rank that cannot go on).
    [[noreturn]] virtual void abort(int code) = 0;
    /// "Open MPI 4.1.4" or similar; "single process" without MPI.
    virtual std::string library() const = 0;
};

/// The world this process runs in: MPI's when the program was built with it and was started by
/// a launcher (mpirun, srun: the environment names a rank), else one process. MPI is initialised
/// here and finalised when the world is destroyed; a plain start never initialises it.
std::unique_ptr<World> make_world(int& argc, char**& argv);

/// A world of one process (tests, and a build without MPI).
std::unique_ptr<World> single_process_world();

/// The MPI this program was built with ("Open MPI 4.1.4"), or "" for a build without MPI
/// (letfsim --version says which).
std::string mpi_build_info();

/// A rank other than 0 stops because rank 0 reported an error (rank 0 prints it): the exit code
/// to end with, printing nothing.
struct RankStop {
    int exit_code = 1;
};

} // namespace letf
