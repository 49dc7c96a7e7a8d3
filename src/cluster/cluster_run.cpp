// accumulate_on_cluster: a run's blocks dealt to the ranks of a World, merged on rank 0.

#include "letf/cluster/cluster_run.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <stdexcept>
#include <system_error>

#include "letf/base/error.hpp"
#include "letf/cluster/checkpoint.hpp"
#include "letf/cluster/message.hpp"
#include "letf/engine/engine.hpp"
#include "letf/engine/partial_file.hpp"

namespace letf {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

// Message kinds (the first byte of every message of a run).
constexpr char kWork = 'W';     // rank 0 -> all: the ranges left to do
constexpr char kStop = 'E';     // rank 0 -> all: an error on rank 0; exit with the code
constexpr char kProgress = 'P'; // rank r -> 0: paths done so far in r's share
constexpr char kPieces = 'R';   // rank r -> 0: r's partials, serialised

using message::get;
using message::put;

std::string work_message(const std::vector<BlockRange>& ranges) {
    std::string m(1, kWork);
    put<std::uint64_t>(m, ranges.size());
    for (const BlockRange& r : ranges) {
        put(m, r.first_block);
        put(m, r.end_block);
    }
    return m;
}

std::vector<BlockRange> parse_work(const std::string& m) {
    if (m.empty())
        throw std::runtime_error("cluster run: empty message from rank 0");
    if (m[0] == kStop) {
        std::size_t at = 1;
        throw RankStop{get<std::int32_t>(m, at)};
    }
    if (m[0] != kWork)
        throw std::runtime_error("cluster run: unexpected message from rank 0");
    std::size_t at = 1;
    std::vector<BlockRange> out(get<std::uint64_t>(m, at));
    for (BlockRange& r : out) {
        r.first_block = get<std::int64_t>(m, at);
        r.end_block = get<std::int64_t>(m, at);
    }
    return out;
}

/// The part of the concatenated `ranges` that share `rank` of `ranks` holds, as ranges.
std::vector<BlockRange> my_share(const std::vector<BlockRange>& ranges, int rank, int ranks) {
    std::int64_t total = 0;
    for (const BlockRange& r : ranges)
        total += r.end_block - r.first_block;
    const BlockRange mine = share_of({0, total}, rank, ranks); // in concatenated block counts
    std::vector<BlockRange> out;
    std::int64_t offset = 0;
    for (const BlockRange& r : ranges) {
        const std::int64_t n = r.end_block - r.first_block;
        const std::int64_t a = std::max(mine.first_block, offset);
        const std::int64_t b = std::min(mine.end_block, offset + n);
        if (a < b)
            out.push_back({r.first_block + (a - offset), r.first_block + (b - offset)});
        offset += n;
    }
    return out;
}

/// A rank's work: its ranges, in chunks, with checkpoint pieces and progress.
class ShareRunner {
public:
    ShareRunner(const Plan& plan, World& world, const ClusterRunOptions& options,
                std::int64_t restored_paths, std::int64_t total_paths)
        : plan_(plan), world_(world), options_(options), restored_(restored_paths),
          total_(total_paths) {}

    std::vector<PartialResult> run(const std::vector<BlockRange>& ranges) {
        std::vector<PartialResult> pieces;
        for (const BlockRange& r : ranges)
            pieces.push_back(run_range(r));
        return pieces;
    }

    /// Rank 0: messages that arrived while it worked (progress, other ranks' pieces).
    std::map<int, std::string>& arrived() { return arrived_; }
    void drain() {
        for (int r = 1; r < world_.size(); ++r)
            while (!arrived_.count(r))
                if (auto m = world_.poll(r))
                    take(r, std::move(*m));
                else
                    break;
    }
    void take(int from, std::string&& m) {
        if (m.empty())
            throw std::runtime_error("cluster run: empty message");
        if (m[0] == kProgress) {
            std::size_t at = 1;
            done_[from] = get<std::int64_t>(m, at);
        } else if (m[0] == kPieces) {
            arrived_[from] = std::move(m);
        } else {
            throw std::runtime_error("cluster run: unexpected message");
        }
    }
    void report() {
        if (!options_.progress)
            return;
        std::int64_t d = restored_ + own_done_;
        for (const auto& [rank, n] : done_)
            d += n;
        options_.progress(std::min(d, total_));
    }

private:
    PartialResult run_range(BlockRange r) {
        // Chunks of a few of accumulate's block groups: small enough to checkpoint often.
        // Without a checkpoint or a chunk seam, one accumulate over the range.
        const std::int64_t group = std::max<std::int64_t>(64, 32 * plan_.threads);
        const std::int64_t chunk = options_.checkpoint || options_.after_chunk
                                       ? 4 * group
                                       : r.end_block - r.first_block;
        std::optional<PartialResult> piece;
        fs::path written;
        Plan local = plan_;
        const std::int64_t base_done = own_done_;
        std::int64_t chunk_first_path = 0;
        local.options.progress = [&](std::int64_t in_chunk) {
            own_done_ = base_done + chunk_first_path + in_chunk;
            tell();
        };
        for (std::int64_t k = r.first_block; k < r.end_block; k += chunk) {
            const BlockRange c{k, std::min(r.end_block, k + chunk)};
            chunk_first_path = plan_.first_path(c.first_block) - plan_.first_path(r.first_block);
            PartialResult part = accumulate(local, c);
            if (piece)
                merge(*piece, std::move(part));
            else
                piece = std::move(part);
            if (options_.checkpoint && (c.end_block == r.end_block || checkpoint_due())) {
                const fs::path path = *options_.checkpoint / checkpoint_file_name(piece->range);
                write_partial_file(path, plan_, *piece);
                if (!written.empty()) {
                    std::error_code ec;
                    fs::remove(written, ec); // the new file holds its blocks
                }
                written = path;
                last_checkpoint_ = Clock::now();
            }
            if (options_.after_chunk)
                options_.after_chunk(c.end_block);
        }
        return std::move(*piece);
    }

    bool checkpoint_due() const {
        return std::chrono::duration<double>(Clock::now() - last_checkpoint_).count() >=
               options_.checkpoint_seconds;
    }

    /// Progress: rank 0 shows it; another rank sends it to rank 0, at most every 0.2 s.
    void tell() {
        if (world_.rank() == 0) {
            drain();
            report();
            return;
        }
        const auto now = Clock::now();
        if (now - last_told_ < std::chrono::milliseconds(200))
            return;
        last_told_ = now;
        std::string m(1, kProgress);
        put<std::int64_t>(m, own_done_);
        world_.send(0, m);
    }

    const Plan& plan_;
    World& world_;
    const ClusterRunOptions& options_;
    std::int64_t restored_, total_, own_done_ = 0;
    std::map<int, std::int64_t> done_;
    std::map<int, std::string> arrived_;
    Clock::time_point last_checkpoint_ = Clock::now(), last_told_{};
};

std::string pieces_message(const std::vector<PartialResult>& pieces, int threads) {
    std::string m(1, kPieces);
    put<std::int32_t>(m, threads);
    put<std::uint64_t>(m, pieces.size());
    for (const PartialResult& p : pieces) {
        const std::string bytes = serialize(p);
        put<std::uint64_t>(m, bytes.size());
        m += bytes;
    }
    return m;
}

/// Appends the message's partials to `out`; returns the sender's thread count.
int parse_pieces(const Plan& plan, const std::string& m, std::vector<PartialResult>& out) {
    std::size_t at = 1;
    const auto threads = get<std::int32_t>(m, at);
    const auto n = get<std::uint64_t>(m, at);
    for (std::uint64_t k = 0; k < n; ++k) {
        const auto len = get<std::uint64_t>(m, at);
        if (len > m.size() - at)
            throw std::runtime_error("cluster run: truncated message");
        out.push_back(deserialize(plan, m.substr(at, static_cast<std::size_t>(len))));
        at += static_cast<std::size_t>(len);
    }
    return threads;
}

std::int64_t paths_in(const Plan& plan, const std::vector<PartialResult>& pieces) {
    std::int64_t n = 0;
    for (const PartialResult& p : pieces)
        n += plan.first_path(p.range.end_block) - plan.first_path(p.range.first_block);
    return n;
}

} // namespace

BlockRange share_of(BlockRange range, std::int64_t index, std::int64_t count) {
    const std::int64_t n = range.end_block - range.first_block;
    // n * index fits: n <= 2^53 blocks in any real run, count <= 2^31 ranks.
    return {range.first_block + n * index / count, range.first_block + n * (index + 1) / count};
}

ClusterRunResult accumulate_on_cluster(const Plan& plan, World& world,
                                       const ClusterRunOptions& options) {
    BlockRange range = options.blocks;
    if (range.end_block < 0)
        range.end_block = plan.blocks;
    range.first_block = std::clamp<std::int64_t>(range.first_block, 0, plan.blocks);
    range.end_block = std::clamp<std::int64_t>(range.end_block, range.first_block, plan.blocks);
    const int rank = world.rank(), ranks = world.size();
    const std::int64_t total = plan.first_path(range.end_block) - plan.first_path(range.first_block);

    // 1. The work left, decided on rank 0.
    std::vector<PartialResult> restored;
    std::vector<BlockRange> todo;
    if (rank == 0) {
        try {
            if (options.checkpoint)
                restored = load_checkpoint(*options.checkpoint, plan, range);
            todo = missing_ranges(restored, range);
        } catch (const InputError&) {
            std::string stop(1, kStop);
            put<std::int32_t>(stop, 2);
            for (int r = 1; r < ranks; ++r)
                world.send(r, stop);
            throw;
        }
        const std::string work = work_message(todo);
        for (int r = 1; r < ranks; ++r)
            world.send(r, work);
    } else {
        todo = parse_work(world.receive(0));
    }

    // 2-3. This rank's share.
    ShareRunner runner(plan, world, options, paths_in(plan, restored), total);
    std::vector<PartialResult> mine = runner.run(my_share(todo, rank, ranks));
    if (rank != 0) {
        world.send(0, pieces_message(mine, plan.threads));
        return {};
    }

    // 4. Rank 0 merges everything in block order.
    runner.drain();
    const std::size_t restored_count = restored.size();
    std::vector<PartialResult> pieces = std::move(restored);
    ClusterRunResult out;
    out.threads_per_rank.push_back(plan.threads);
    for (PartialResult& p : mine)
        pieces.push_back(std::move(p));
    for (int r = 1; r < ranks; ++r) {
        auto& arrived = runner.arrived();
        while (!arrived.count(r)) {
            runner.take(r, world.receive(r));
            runner.report();
        }
        out.threads_per_rank.push_back(parse_pieces(plan, arrived[r], pieces));
        arrived.erase(r);
    }
    std::sort(pieces.begin(), pieces.end(), [](const PartialResult& a, const PartialResult& b) {
        return a.range.first_block < b.range.first_block;
    });
    std::optional<PartialResult> whole;
    for (PartialResult& p : pieces) {
        if (whole)
            merge(*whole, std::move(p));
        else
            whole = std::move(p);
    }
    if (!whole) // an empty range
        whole = empty_partial(plan, range);
    if (whole->range.first_block != range.first_block || whole->range.end_block != range.end_block)
        throw std::logic_error("cluster run: the pieces do not cover the range");
    runner.report();
    if (options.checkpoint && range.end_block > range.first_block &&
        !(todo.empty() && restored_count == 1))
        consolidate_checkpoint(*options.checkpoint, plan, *whole);
    out.partial = std::move(whole);
    return out;
}

} // namespace letf
