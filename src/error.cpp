#include "letf/error.hpp"

#include <fstream>
#include <sstream>

namespace letf {
namespace {

std::string compose(const std::string& file, const std::string& where, const std::string& message,
                    const std::string& value) {
    std::string s = file.empty() ? std::string("<input>") : file;
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

std::string read_input_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path.string(), "", "cannot open the file");
    std::stringstream buf;
    buf << in.rdbuf();
    if (in.bad())
        throw InputError(path.string(), "", "cannot read the file");
    return buf.str();
}

} // namespace letf
