/// libFuzzer harness: partial-result files (engine/partial_file.hpp), what `letfsim merge` and a
/// checkpoint restart read from disk. The input edits a valid partial file of a small run (gbm,
/// a fund, an unrebalanced and an investor position, bands and a histogram, exact quantiles):
/// its first two bytes choose the file (blocks 0:2 or 1:3 of 3, so both folded and per-block
/// tallies are reached), then every 3 bytes are an edit (a 16-bit offset into the file and a
/// byte written there), and a final odd byte cuts the file short at that fraction. An
/// InputError is the expected answer; anything else is a finding, and a file that reads back
/// must serialise to the bytes it was read from and merge with its neighbour.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "letf/config/scenario.hpp"
#include "letf/engine/engine.hpp"
#include "letf/engine/partial_file.hpp"

namespace {

constexpr std::string_view kHarness = "fuzz_partial";
constexpr std::size_t kHeader = 16; // magic and fingerprint: partial_file.hpp

struct Fixture {
    letf::ScenarioConfig config;
    letf::Plan plan;
    std::string left, right; // files of blocks 0:2 and 1:3
    letf::PartialResult first, last; // blocks 0:1 and 2:3, to merge with
};

const Fixture& fixture() {
    static const Fixture f = [] {
        Fixture x;
        x.config.name = "fuzz";
        x.config.seed = 7;
        x.config.paths = 30;
        x.config.days = 6;
        x.config.model = letf::GbmModel{0.05, 0.3};
        x.config.multiples = {-1.0, 3.0};
        x.config.strategies = {letf::DailyReset{}, letf::Unrebalanced{},
                               letf::CalendarRebalance{.every_days = 2}};
        x.config.bands = letf::BandsSpec{2, {0.1, 0.5, 0.9}};
        x.config.histogram = letf::HistogramSpec{4, 0.5, 2.0};
        letf::EngineOptions o;
        o.block_paths = 10;
        o.threads = 1;
        x.plan = letf::make_plan(x.config, o);
        x.plan.config = &x.config;
        x.left = letf::partial_file_bytes(x.plan, letf::accumulate(x.plan, {0, 2}, 1));
        x.right = letf::partial_file_bytes(x.plan, letf::accumulate(x.plan, {1, 3}, 1));
        x.first = letf::accumulate(x.plan, {0, 1}, 1);
        x.last = letf::accumulate(x.plan, {2, 3}, 1);
        return x;
    }();
    return f;
}

void run(std::string_view in) {
    const Fixture& f = fixture();
    const bool use_right = !in.empty() && (static_cast<unsigned char>(in[0]) & 1U) != 0;
    std::string bytes = use_right ? f.right : f.left;
    if (!in.empty())
        in.remove_prefix(1);
    while (in.size() >= 3) {
        const auto offset = static_cast<std::size_t>(static_cast<unsigned char>(in[0]) |
                                                     static_cast<unsigned char>(in[1]) << 8);
        // Edits after the fingerprint reach the partial; one edit in eight may hit the header.
        const std::size_t at =
            (offset % 8 == 0 ? offset : kHeader + offset) % bytes.size();
        bytes[at] = in[2];
        in.remove_prefix(3);
    }
    if (!in.empty())
        bytes.resize(bytes.size() * static_cast<unsigned char>(in[0]) / 256);
    letf::PartialResult p = letf::parse_partial_file(bytes, "fuzz.partial", f.plan);
    if (letf::partial_file_bytes(f.plan, p) != bytes)
        letf::fuzz::finding(kHarness, "a partial read back does not serialise to its bytes");
    // It merges with its neighbour like the one it came from (shapes were checked on reading).
    if (p.range.first_block == 0 && p.range.end_block == 2) {
        letf::PartialResult last = f.last;
        letf::merge(p, std::move(last));
    } else if (p.range.first_block == 1 && p.range.end_block == 3) {
        letf::PartialResult first = f.first;
        letf::merge(first, std::move(p));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return letf::fuzz::run_input(kHarness, data, size, run);
}
