// Checkpoint folders: partial-result files named by their blocks.

#include "letf/cluster/checkpoint.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "letf/base/error.hpp"
#include "letf/engine/partial_file.hpp"
#include "letf/io/atomic_file.hpp"

namespace letf {
namespace fs = std::filesystem;
namespace {

/// The range a file name `blocks-A-B.partial` states, or none for any other name.
std::optional<BlockRange> range_of_name(std::string_view name) {
    constexpr std::string_view prefix = "blocks-", suffix = ".partial";
    if (name.size() <= prefix.size() + suffix.size() || !name.starts_with(prefix) ||
        !name.ends_with(suffix))
        return std::nullopt;
    name = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    const auto dash = name.find('-');
    if (dash == std::string_view::npos)
        return std::nullopt;
    BlockRange r;
    const auto number = [](std::string_view t, std::int64_t& x) {
        const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
        return !t.empty() && ec == std::errc() && p == t.data() + t.size() && x >= 0;
    };
    if (!number(name.substr(0, dash), r.first_block) ||
        !number(name.substr(dash + 1), r.end_block) || r.end_block <= r.first_block)
        return std::nullopt;
    return r;
}

struct Entry {
    BlockRange range;
    fs::path path;
};

/// The checkpoint files of `dir` by their names, sorted by first block and, from one start,
/// longest first.
std::vector<Entry> entries(const fs::path& dir) {
    std::vector<Entry> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (const auto r = range_of_name(it->path().filename().string()))
            out.push_back({*r, it->path()});
    if (ec)
        throw InputError(dir.string(), "--checkpoint", "cannot read the folder: " + ec.message());
    std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
        return a.range.first_block != b.range.first_block
                   ? a.range.first_block < b.range.first_block
                   : a.range.end_block > b.range.end_block;
    });
    return out;
}

void prepare(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw InputError(dir.string(), "--checkpoint", "is not a folder");
    fs::create_directories(dir, ec);
    if (ec)
        throw InputError(dir.string(), "--checkpoint", "cannot create the folder: " + ec.message());
}

} // namespace

std::string checkpoint_file_name(BlockRange range) {
    return fmt::format("blocks-{}-{}.partial", range.first_block, range.end_block);
}

std::vector<PartialResult> load_checkpoint(const fs::path& dir, const Plan& plan,
                                           BlockRange within) {
    prepare(dir);
    remove_stale_temporaries(dir); // of a writer that was killed
    std::vector<PartialResult> pieces;
    std::int64_t covered = within.first_block;
    for (const Entry& e : entries(dir)) {
        // Every file is read, so a folder of another run is refused whatever blocks it holds.
        PartialResult p = read_partial_file(e.path, plan);
        if (p.range.first_block != e.range.first_block || p.range.end_block != e.range.end_block)
            throw InputError(e.path.string(), "", "holds other blocks than its name says");
        if (p.range.first_block >= covered && p.range.end_block <= within.end_block) {
            covered = p.range.end_block;
            pieces.push_back(std::move(p));
        }
    }
    return pieces;
}

std::vector<BlockRange> missing_ranges(const std::vector<PartialResult>& pieces,
                                       BlockRange within) {
    std::vector<BlockRange> out;
    std::int64_t at = within.first_block;
    for (const PartialResult& p : pieces) {
        if (p.range.first_block > at)
            out.push_back({at, p.range.first_block});
        at = std::max(at, p.range.end_block);
    }
    if (at < within.end_block)
        out.push_back({at, within.end_block});
    return out;
}

void consolidate_checkpoint(const fs::path& dir, const Plan& plan, const PartialResult& whole) {
    const fs::path target = dir / checkpoint_file_name(whole.range);
    write_partial_file(target, plan, whole);
    for (const Entry& e : entries(dir)) {
        std::error_code ec;
        if (e.path != target && e.range.first_block >= whole.range.first_block &&
            e.range.end_block <= whole.range.end_block)
            fs::remove(e.path, ec); // held by the new file
    }
}

} // namespace letf
