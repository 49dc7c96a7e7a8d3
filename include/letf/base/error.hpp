#pragma once
/// \file base/error.hpp
/// The one error type thrown at the boundary (config file, command line, CSV).

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace letf {

/// Bad user input: where it is, what was wrong and the offending value.
///
/// what() reads `<file>: <where>: <message> (got <value>)`, e.g.
/// `configs/x.json: /model/sigma: must be in [0.0, 10.0] (got -0.2)`. `where` is a JSON pointer for
/// config files, a flag name for the command line, or `line N` for text files; it may be empty (a
/// missing file). The CLI maps this error to exit code 2. Never thrown inside the per-path kernel.
class InputError : public std::runtime_error {
public:
    InputError(std::string file, std::string where, std::string message, std::string value = {});

    const std::string& file() const noexcept { return file_; }
    const std::string& where() const noexcept { return where_; }
    const std::string& message() const noexcept { return message_; }
    const std::string& value() const noexcept { return value_; }

private:
    std::string file_, where_, message_, value_;
};

/// Largest input files read: JSON (scenarios, studies, point files) and CSV (market data).
inline constexpr std::uintmax_t kMaxJsonFileBytes = std::uintmax_t{64} << 20; // 64 MiB
inline constexpr std::uintmax_t kMaxCsvFileBytes = std::uintmax_t{1} << 30;   // 1 GiB

/// The whole content of an input file (config, study, CSV). Only a regular file (or a symlink to
/// one) of at most `max_bytes` is read; a folder, FIFO, device or socket is refused before it is
/// opened for reading (a FIFO would block, /dev/zero never ends). InputError naming the file and
/// why when it is missing, not a regular file, too large, or cannot be read.
std::string read_input_file(const std::filesystem::path& path,
                            std::uintmax_t max_bytes = kMaxJsonFileBytes);

} // namespace letf
