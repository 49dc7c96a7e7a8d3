#pragma once
/// \file output_check.hpp
/// The output path of a command, checked before any work starts: a report file (run) or an
/// output folder (sweep) must be writable, or the command fails at once with one line naming the
/// flag and the path (exit 2). The checks probe the file system and leave nothing behind: a probe
/// file created and removed in an existing folder, or, for a folder still missing, a probe folder
/// created and removed in its deepest existing ancestor (the write itself creates the missing
/// folders, as before).

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "letf/base/error.hpp"
#include "letf/io/atomic_file.hpp"

namespace letf::cli {
namespace detail {

/// Empty when a file can be created in the existing folder `dir`, else why not.
inline std::string probe_existing_folder(const std::filesystem::path& dir) {
    const std::filesystem::path probe =
        dir / (".letfsim-probe." + std::to_string(::getpid()) + ".tmp");
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) // EEXIST: a probe of another check of this process; the folder takes files
        return errno == EEXIST ? std::string() : dir.string() + ": " + std::strerror(errno);
    ::close(fd);
    ::unlink(probe.c_str());
    return {};
}

/// Empty when `dir` is a folder a file can be created in, or can be made one (its deepest
/// existing ancestor is a folder in which the next missing folder can be created), else why not.
/// The missing folder itself is never created, so runs started together into it do not race.
inline std::string probe_folder(const std::filesystem::path& dir) {
    std::filesystem::path existing = dir.empty() ? std::filesystem::path(".") : dir;
    std::filesystem::path first_missing;
    struct stat st {};
    while (::stat(existing.c_str(), &st) != 0) {
        if (errno != ENOENT)
            return existing.string() + ": " + std::strerror(errno);
        first_missing = existing;
        existing = existing.has_parent_path() && existing.parent_path() != existing
                       ? existing.parent_path()
                       : std::filesystem::path(".");
    }
    if (!S_ISDIR(st.st_mode))
        return existing.string() + ": not a folder";
    if (first_missing.empty())
        return probe_existing_folder(existing);
    // Tried with a folder of this process's own name beside it, never the missing folder itself:
    // that would come and go under the check or the write of a run started beside this one into
    // the same new folder.
    const std::filesystem::path probe =
        existing / (".letfsim-probe." + std::to_string(::getpid()) + ".d");
    if (::mkdir(probe.c_str(), 0700) != 0 && errno != EEXIST)
        return first_missing.string() + ": cannot create the folder: " + std::strerror(errno);
    ::rmdir(probe.c_str());
    return {};
}

} // namespace detail

/// Throws InputError("command line", flag, ...) naming the path unless a report can be written
/// at `path`: nothing there yet or a regular file (check_output_file), in a folder that exists or
/// can be created.
inline void check_output_file_flag(const char* flag, const std::filesystem::path& path) {
    try {
        check_output_file(path);
    } catch (const InputError& e) {
        throw InputError("command line", flag, e.file() + ": " + e.message());
    }
    const std::string why = detail::probe_folder(path.parent_path());
    if (!why.empty())
        throw InputError("command line", flag,
                         "cannot write the report " + path.string() + ": " + why);
}

/// Throws InputError("command line", flag, ...) naming the folder unless `dir` is a folder files
/// can be written in, or can be created.
inline void check_output_folder_flag(const char* flag, const std::filesystem::path& dir) {
    const std::string why = detail::probe_folder(dir);
    if (!why.empty())
        throw InputError("command line", flag,
                         "cannot write the output folder " + dir.string() + ": " + why);
}

} // namespace letf::cli
