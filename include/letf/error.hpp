#pragma once
/// \file error.hpp
/// The one error type thrown at the boundary (config file, command line, CSV).

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

/// The whole content of an input file (config, study, CSV); InputError naming the file when it
/// cannot be opened or read.
std::string read_input_file(const std::filesystem::path& path);

} // namespace letf
