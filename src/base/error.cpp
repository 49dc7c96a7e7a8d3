#include "letf/base/error.hpp"
#include "letf/io/json_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace letf {
namespace {

std::string compose(const std::string& file, const std::string& where, const std::string& message,
                    const std::string& value) {
    // A file name may hold any byte but '/' and NUL: shown escaped, so the message is one line.
    std::string s = file.empty() ? std::string("<input>") : display_text(file);
    if (!where.empty()) {
        s += ": ";
        s += where;
    }
    s += ": ";
    s += message;
    if (!value.empty()) {
        s += " (got ";
        s += value;
        s += ")";
    }
    return s;
}

} // namespace

InputError::InputError(std::string file, std::string where, std::string message, std::string value)
    : std::runtime_error(compose(file, where, message, value)), file_(std::move(file)),
      where_(std::move(where)), message_(std::move(message)), value_(std::move(value)) {}

std::string read_input_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
    const std::string file = path.string();
    const auto mib = [](std::uintmax_t bytes) {
        return std::to_string((bytes + (std::uintmax_t{1} << 20) - 1) >> 20) + " MiB";
    };
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked on the open file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        throw InputError(file, "", std::string("cannot open the file: ") + std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw InputError(file, "", std::string("cannot read the file: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        throw InputError(file, "", "is a folder, not a file");
    if (!S_ISREG(st.st_mode))
        throw InputError(file, "",
                         std::string("is not a regular file (") +
                             (S_ISFIFO(st.st_mode)  ? "a FIFO"
                              : S_ISCHR(st.st_mode) ? "a character device"
                              : S_ISBLK(st.st_mode) ? "a block device"
                                                    : "a socket") +
                             "); give the path of a file");
    const auto size = static_cast<std::uintmax_t>(st.st_size);
    if (size > max_bytes)
        throw InputError(file, "",
                         "is too large: " + mib(size) + ", the limit is " + mib(max_bytes));
    // Back to blocking reads (a regular file never blocks; this keeps read() semantics plain).
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    std::string content(static_cast<std::size_t>(size), '\0');
    std::size_t got = 0;
    while (true) {
        if (got == content.size()) {
            // The file may have grown since fstat: read on, up to the limit.
            if (content.size() > max_bytes)
                throw InputError(file, "", "is too large: over " + mib(max_bytes) + ", the limit");
            content.resize(std::min<std::uintmax_t>(max_bytes + 1, content.size() * 2 + 4096));
        }
        const ssize_t n = ::read(fd, content.data() + got, content.size() - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw InputError(file, "",
                             std::string("cannot read the file: ") + std::strerror(errno));
        }
        if (n == 0)
            break;
        got += static_cast<std::size_t>(n);
    }
    if (got > max_bytes)
        throw InputError(file, "", "is too large: over " + mib(max_bytes) + ", the limit");
    content.resize(got);
    return content;
}

} // namespace letf
