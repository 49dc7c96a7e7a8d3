#pragma once
/// \file study/study_lock.hpp
/// A study's claim on its output folder. A folder belongs to one study, identified by its study
/// hash (study_hash): study.json and every point file carry it. A sweep holds an advisory lock on
/// the folder (flock on kSweepLockFile) for its whole run, refuses a folder that holds another
/// study's results (with or without resume), and removes point files beyond its points
/// (NNNN.json with index >= points: left by a version without hashes, or copied in). Other files
/// are never touched.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "letf/study/study_spec.hpp"

namespace letf {

/// The lock file a running sweep holds (flock, exclusive) in its output folder.
inline constexpr std::string_view kSweepLockFile = ".letfsim-sweep.lock";

/// An advisory lock (flock) on `dir/.letfsim-sweep.lock`, held while it lives. The lock file
/// stays: removing it would let a sweep that opened it just before lock a file no one else sees.
/// Throws InputError when another sweep holds it, std::runtime_error when it cannot be opened.
/// `shared`: the lock of a shard (sweep --shard I/N): shards share the folder with one another,
/// never with a whole sweep.
class FolderLock {
public:
    explicit FolderLock(const std::filesystem::path& dir, bool shared = false);
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    int fd_ = -1;
};

/// The top-level "study_hash" of a point file or study.json, read without parsing the rest (it
/// comes before the summary and the report). nullopt when the file has none or is not a regular
/// file.
std::optional<std::string> read_study_hash(const std::filesystem::path& path);

/// Refuses (InputError) a folder that holds results of another study (study.json or a point file
/// with a study hash other than `hash`), then removes the point files beyond this study's points.
/// Returns how many it removed.
std::size_t claim_folder(const Study& study, const std::filesystem::path& dir,
                         const std::string& hash);

} // namespace letf
