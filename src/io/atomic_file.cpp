#include "letf/io/atomic_file.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "letf/base/error.hpp"

namespace letf {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTmpMarker = ".letfsim-tmp.";

/// The temporary being written, for the signal handler: a fixed buffer (no allocation in the
/// handler), empty when none.
char g_tmp_path[4096];
std::atomic<bool> g_tmp_active{false};

std::string file_kind(const struct stat& st) {
    if (S_ISDIR(st.st_mode))
        return "a folder";
    if (S_ISCHR(st.st_mode))
        return "a character device";
    if (S_ISBLK(st.st_mode))
        return "a block device";
    if (S_ISFIFO(st.st_mode))
        return "a FIFO";
    if (S_ISSOCK(st.st_mode))
        return "a socket";
    return "not a regular file";
}

std::string sys_error(int err) {
    return std::strerror(err);
}

/// Writes all of `content` to fd; false on failure (errno set).
bool write_all(int fd, std::string_view content) {
    const char* p = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

void fsync_folder(const fs::path& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return; // some file systems do not allow opening a folder; the rename still happened
    ::fsync(fd);
    ::close(fd);
}

/// The process id in a temporary's name, or -1.
long temporary_pid(const std::string& name) {
    const auto at = name.rfind(kTmpMarker);
    if (at == std::string::npos || name.empty() || name.front() != '.')
        return -1;
    std::size_t i = at + kTmpMarker.size();
    long pid = 0;
    std::size_t digits = 0;
    while (i < name.size() && name[i] >= '0' && name[i] <= '9' && digits < 10) {
        pid = pid * 10 + (name[i++] - '0');
        ++digits;
    }
    if (digits == 0 || i >= name.size() || name[i] != '.')
        return -1;
    for (++i, digits = 0; i < name.size(); ++i, ++digits)
        if (name[i] < '0' || name[i] > '9')
            return -1;
    return digits > 0 ? pid : -1;
}

bool process_alive(long pid) {
    if (pid <= 0)
        return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

/// Removes the stale temporaries of `target` (same folder, same target name).
void remove_stale_for(const fs::path& folder, const std::string& target_name) {
    const std::string prefix = "." + target_name + std::string(kTmpMarker);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder.empty() ? fs::path(".") : folder, ec)) {
        const std::string name = e.path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        const long pid = temporary_pid(name);
        if (pid > 0 && pid != ::getpid() && !process_alive(pid))
            fs::remove(e.path(), ec);
    }
}

extern "C" void on_fatal_signal(int sig) {
    if (g_tmp_active.load())
        ::unlink(g_tmp_path);
    std::signal(sig, SIG_DFL);
    ::_exit(128 + sig);
}

} // namespace

void check_output_file(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return; // does not exist (or a dangling link): it will be created
    if (!S_ISREG(st.st_mode))
        throw InputError(path.string(), "",
                         "cannot write the report there: it is " + file_kind(st) +
                             ", not a regular file");
}

void check_output_folder(const fs::path& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode))
        throw InputError(dir.string(), "",
                         "cannot write an output folder there: it is " +
                             (S_ISREG(st.st_mode) ? std::string("a file") : file_kind(st)) +
                             ", not a folder");
}

bool is_own_temporary(const fs::path& path) {
    return temporary_pid(path.filename().string()) > 0;
}

int remove_stale_temporaries(const fs::path& dir) {
    int removed = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const long pid = temporary_pid(e.path().filename().string());
        if (pid > 0 && pid != ::getpid() && !process_alive(pid) && fs::remove(e.path(), ec))
            ++removed;
    }
    return removed;
}

void install_signal_cleanup() {
    std::signal(SIGINT, on_fatal_signal);
    std::signal(SIGTERM, on_fatal_signal);
}

AtomicFile::AtomicFile(const fs::path& requested) {
    check_output_file(requested);
    // A symlink is written through: the file it names (existing or not) is replaced, in that
    // file's folder; chains of links are followed, as the kernel does, up to 40.
    std::error_code ec;
    fs::path path = requested;
    for (int hops = 0; fs::is_symlink(fs::symlink_status(path, ec)); ++hops) {
        const fs::path target = fs::read_symlink(path, ec);
        if (ec || hops == 40)
            throw std::runtime_error(requested.string() + ": cannot follow the link: " +
                                     (ec ? ec.message() : std::string("too many levels")));
        path = (target.is_absolute() ? target : path.parent_path() / target).lexically_normal();
    }
    path_ = path;
    folder_ = path.parent_path();
    if (!folder_.empty()) {
        fs::create_directories(folder_, ec);
        if (ec)
            throw std::runtime_error(path.string() + ": cannot create the folder: " + ec.message());
    }
    const std::string name = path.filename().string();
    remove_stale_for(folder_, name);

    // Keep the permission bits of the file replaced; a new file gets 0666 & ~umask.
    replacing_ = ::stat(path.c_str(), &old_) == 0;

    static std::atomic<unsigned> counter{0};
    tmp_ = folder_ / ("." + name + std::string(kTmpMarker) + std::to_string(::getpid()) + "." +
                      std::to_string(counter++));
    if (tmp_.native().size() >= sizeof g_tmp_path)
        throw std::runtime_error(path.string() + ": the path is too long");
    std::memcpy(g_tmp_path, tmp_.c_str(), tmp_.native().size() + 1);
    g_tmp_active = true;
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0) {
        const int err = errno;
        g_tmp_active = false;
        throw std::runtime_error(path.string() + ": cannot write: " + sys_error(err));
    }
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) { // never committed: nothing is left behind
        ::close(fd_);
        ::unlink(tmp_.c_str());
        g_tmp_active = false;
    }
}

void AtomicFile::fail(const std::string& what, int err) {
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1; // the destructor has nothing left to close
    ::unlink(tmp_.c_str());
    g_tmp_active = false;
    throw std::runtime_error(path_.string() + ": " + what + ": " + sys_error(err));
}

void AtomicFile::write(std::string_view content) {
    if (!write_all(fd_, content))
        fail("cannot write", errno);
}

void AtomicFile::commit() {
    if (replacing_ && ::fchmod(fd_, old_.st_mode & 07777) != 0)
        fail("cannot keep the file's permissions", errno);
    // The owner too, where allowed (root replacing a user's report); otherwise it is ours.
    if (replacing_ && (old_.st_uid != ::geteuid() || old_.st_gid != ::getegid()) &&
        ::fchown(fd_, old_.st_uid, old_.st_gid) != 0) {
        // Not permitted for an ordinary user: the new file belongs to whoever wrote it.
    }
    if (::fsync(fd_) != 0 && errno != EINVAL)
        fail("cannot write", errno);
    const int fd = fd_;
    fd_ = -1; // closed here, whatever close() says
    if (::close(fd) != 0)
        fail("cannot write", errno);
    fsync_folder(folder_);
    if (::rename(tmp_.c_str(), path_.c_str()) != 0)
        fail("cannot rename into place", errno);
    g_tmp_active = false;
    fsync_folder(folder_);
}

void write_file_atomic(const fs::path& requested, std::string_view content) {
    AtomicFile file(requested);
    file.write(content);
    file.commit();
}

} // namespace letf
