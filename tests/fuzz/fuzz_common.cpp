#include "fuzz_common.hpp"

#include <cctype>
#include <fstream>
#include <system_error>
#include <unistd.h>

namespace letf::fuzz {

namespace {

void write_text(const std::filesystem::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out)
        finding("setup", "cannot write " + path.string());
}

std::filesystem::path& scratch_path() {
    static std::filesystem::path dir;
    return dir;
}

void remove_scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(scratch_path(), ignored);
}

std::filesystem::path make_scratch() {
    std::string pattern = (std::filesystem::temp_directory_path() / "letf_fuzz_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        finding("setup", "mkdtemp failed");
    const std::filesystem::path dir(pattern);
    scratch_path() = dir;
    std::atexit(remove_scratch);
    write_text(dir / "prices.csv", kPricesCsv);
    write_text(dir / "rates.csv", kRatesCsv);
    return dir;
}

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

} // namespace

const std::filesystem::path& scratch_dir() {
    static const std::filesystem::path dir = make_scratch();
    return dir;
}

const std::string& scenario_file() {
    static const std::string file = (scratch_dir() / "fuzz.json").string();
    return file;
}

bool has_non_finite_text(std::string_view original) {
    std::string text(original);
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view word : {"nan", "inf"}) {
        for (std::size_t at = 0; (at = text.find(word, at)) != std::string_view::npos; ++at) {
            const bool starts = at == 0 || !is_word_char(text[at - 1]);
            const std::size_t end = at + word.size();
            const bool ends = end == text.size() || !is_word_char(text[end]) ||
                              std::string_view(text).substr(end).starts_with("inity");
            if (starts && ends)
                return true;
        }
    }
    return false;
}

} // namespace letf::fuzz
