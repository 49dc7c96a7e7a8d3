#pragma once
/// \file io/atomic_file.hpp
/// The one place that writes output files: checks of output targets before a run, atomic
/// replacement of a file, and this program's own temporaries.
///
/// write_file_atomic(path, content):
///   1. refuses a target that exists and is not a regular file (a device node, a FIFO, a folder);
///      a symlink is followed: the file it points to is replaced, in the link target's folder, and
///      the link itself stays;
///   2. writes `content` to a temporary `.<name>.letfsim-tmp.<pid>.<k>` in the target's folder
///      (a name no user file has: see is_own_temporary), fsyncs it, gives it the permission bits
///      of the file it replaces (0666 & ~umask for a new file);
///   3. renames it over the target and fsyncs the folder.
/// Readers see the old file or the whole new one. Temporaries of dead processes left beside the
/// same target (a run killed by SIGKILL) are removed at the next write. A temporary being written
/// when SIGINT or SIGTERM arrives is removed by the signal handler (see install_signal_cleanup);
/// the handler knows one temporary at a time, so files are written one after another (the sweep
/// writes its files from one thread).

#include <filesystem>

#include <sys/stat.h>
#include <string>
#include <string_view>

namespace letf {

/// Throws InputError(path, "", ...) when `path` exists and is not a regular file (after following
/// symlinks), or when it names a folder; the message names the kind of file found. Called by every
/// command before it runs, so that nothing is computed for a target that would be refused.
void check_output_file(const std::filesystem::path& path);

/// Throws InputError(dir, "", ...) when `dir` exists and is not a folder (after following
/// symlinks). For commands that write a folder of files (sweep, plots).
void check_output_folder(const std::filesystem::path& dir);

/// See the file comment. Creates missing parent folders. Throws std::runtime_error (with the path
/// and the system's reason) on failure, leaving no temporary; InputError when the target is not a
/// regular file.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

/// A file written as write_file_atomic writes one, in pieces: the constructor checks the target
/// and opens the temporary beside it, write() appends, commit() syncs and renames it into place.
/// Destroyed without commit() (an exception, a failed run), it removes the temporary: the target
/// is never half-written. One at a time per process (the signal cleanup knows one temporary).
class AtomicFile {
public:
    explicit AtomicFile(const std::filesystem::path& path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    void write(std::string_view content);
    void commit();

private:
    [[noreturn]] void fail(const std::string& what, int err);
    std::filesystem::path path_, folder_, tmp_;
    struct ::stat old_ {};
    bool replacing_ = false;
    int fd_ = -1;
};

/// True when the file name has the form write_file_atomic gives its temporaries.
bool is_own_temporary(const std::filesystem::path& path);

/// Removes, in `dir` only (not below it), this program's temporaries whose writing process is no
/// longer alive. Returns how many were removed. Never touches any other file.
int remove_stale_temporaries(const std::filesystem::path& dir);

/// Installs SIGINT and SIGTERM handlers that remove the temporary being written (if any) and end
/// the process with 128 + signal (130, 143). A handler already installed for SIGINT by a command
/// that stops gracefully (sweep) is kept: call this first, then install that one.
void install_signal_cleanup();

} // namespace letf
