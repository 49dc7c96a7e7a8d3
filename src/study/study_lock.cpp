#include "letf/study/study_lock.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <unistd.h>

#include "letf/base/error.hpp"
#include "letf/study/study_files.hpp"

namespace letf {

using nlohmann::json;
namespace fs = std::filesystem;

FolderLock::FolderLock(const fs::path& dir, bool shared) {
    const fs::path path = dir / kSweepLockFile;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0)
        throw std::runtime_error(path.string() +
                                 ": cannot open the lock file: " + std::strerror(errno));
    if (::flock(fd_, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd_);
        if (err == EWOULDBLOCK)
            throw InputError(dir.string(), "",
                             std::string(shared ? "a sweep that is not a shard" : "another sweep") +
                                 " is writing into this folder (it holds " +
                                 path.string() +
                                 "); wait for it to end or choose another folder with -o");
        throw std::runtime_error(path.string() + ": cannot lock: " + std::strerror(err));
    }
}

FolderLock::~FolderLock() {
    ::close(fd_);
}

namespace {

/// SAX reader of the top-level "study_hash": stops at it, or at the first key that comes after
/// it in the files this program writes.
class StudyHashReader : public nlohmann::json_sax<json> {
public:
    std::optional<std::string> hash;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t& value) override {
        if (depth_ == 1 && key_ == "study_hash") {
            hash = value;
            return false; // found: stop parsing
        }
        return true;
    }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return enter(); }
    bool end_object() override { return leave(); }
    bool start_array(std::size_t) override { return enter(); }
    bool end_array() override { return leave(); }
    bool key(string_t& value) override {
        if (depth_ == 1)
            key_ = value;
        // The hash precedes these: a file without it before them has none.
        return depth_ != 1 || (key_ != "summary" && key_ != "report" && key_ != "run_info");
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

private:
    bool enter() {
        ++depth_;
        return true;
    }
    bool leave() {
        --depth_;
        return true;
    }
    int depth_ = 0;
    std::string key_;
};

[[noreturn]] void refuse_other_study(const fs::path& dir, const fs::path& file,
                                     const std::string& theirs, const std::string& ours) {
    throw InputError(dir.string(), "",
                     "holds the results of another study (" + file.string() + " has study hash " +
                         theirs + ", this study " + ours +
                         "); choose another folder with -o or remove these results (--resume "
                         "continues only the same study)");
}

} // namespace

std::optional<std::string> read_study_hash(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) // a FIFO would block, a device never end
        return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    StudyHashReader reader;
    try {
        json::sax_parse(in, &reader);
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    return reader.hash;
}

std::size_t claim_folder(const Study& study, const fs::path& dir, const std::string& hash) {
    const fs::path points_dir = dir / "points";
    if (const auto theirs = read_study_hash(dir / "study.json"); theirs && *theirs != hash)
        refuse_other_study(dir, dir / "study.json", *theirs, hash);
    std::vector<fs::path> stale;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(points_dir, ec)) {
        const auto index = point_index_of(e.path().filename().string());
        if (!index || !e.is_regular_file())
            continue;
        if (const auto theirs = read_study_hash(e.path()); theirs && *theirs != hash)
            refuse_other_study(dir, e.path(), *theirs, hash);
        if (*index >= study.points.size())
            stale.push_back(e.path());
    }
    for (const fs::path& p : stale)
        if (!fs::remove(p, ec) && ec)
            throw std::runtime_error(p.string() +
                                     ": cannot remove a stale point file: " + ec.message());
    return stale.size();
}

} // namespace letf
