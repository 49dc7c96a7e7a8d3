// Runs beyond one process, in-process: share_of, partial-result files, checkpoint folders, and
// accumulate_on_cluster and run_study over a World of several ranks made of threads (QueueWorld
// below), so the protocol is checked in every build (the sanitizer build has no MPI).

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/cluster/checkpoint.hpp"
#include "letf/cluster/cluster_run.hpp"
#include "letf/engine/engine.hpp"
#include "letf/engine/partial_file.hpp"
#include "letf/study/sweep.hpp"
#include "test_util.hpp"

namespace letf {
namespace {

/// The ranks of one run as threads: hub_.queue[from][to] holds the messages in flight.
class Hub {
public:
    explicit Hub(int ranks) : queue_(static_cast<std::size_t>(ranks * ranks)), ranks_(ranks) {}
    void send(int from, int to, std::string bytes) {
        {
            const std::lock_guard lock(mutex_);
            at(from, to).push_back(std::move(bytes));
        }
        ready_.notify_all();
    }
    std::string receive(int from, int to) {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !at(from, to).empty() || dead_; });
        if (at(from, to).empty())
            throw std::runtime_error("a rank died"); // as mpirun ends the others
        std::string m = std::move(at(from, to).front());
        at(from, to).pop_front();
        return m;
    }
    std::optional<std::string> poll(int from, int to) {
        const std::lock_guard lock(mutex_);
        if (at(from, to).empty())
            return std::nullopt;
        std::string m = std::move(at(from, to).front());
        at(from, to).pop_front();
        return m;
    }

    /// A rank ended with an exception: every wait ends.
    void die() {
        {
            const std::lock_guard lock(mutex_);
            dead_ = true;
        }
        ready_.notify_all();
    }

private:
    std::deque<std::string>& at(int from, int to) {
        return queue_[static_cast<std::size_t>(from * ranks_ + to)];
    }
    std::mutex mutex_;
    std::condition_variable ready_;
    std::vector<std::deque<std::string>> queue_;
    int ranks_;
    bool dead_ = false;
};

class QueueWorld final : public World {
public:
    QueueWorld(Hub& hub, int rank, int size) : hub_(hub), rank_(rank), size_(size) {}
    int rank() const override { return rank_; }
    int size() const override { return size_; }
    void send(int to, std::string_view bytes) override {
        hub_.send(rank_, to, std::string(bytes));
    }
    std::string receive(int from) override { return hub_.receive(from, rank_); }
    std::optional<std::string> poll(int from) override { return hub_.poll(from, rank_); }
    [[noreturn]] void abort(int) override { std::abort(); }
    std::string library() const override { return "threads"; }

private:
    Hub& hub_;
    int rank_, size_;
};

/// Runs body(world) on `ranks` threads, one rank each. A rank that throws ends the waits of the
/// others (as mpirun ends a run with a dead rank); the first rank's exception is rethrown.
template <class F> void on_ranks(int ranks, F body) {
    Hub hub(ranks);
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(ranks));
    std::vector<std::thread> threads;
    for (int r = 0; r < ranks; ++r)
        threads.emplace_back([&, r] {
            QueueWorld world(hub, r, ranks);
            try {
                body(world);
            } catch (...) {
                errors[static_cast<std::size_t>(r)] = std::current_exception();
                hub.die();
            }
        });
    for (std::thread& t : threads)
        t.join();
    for (const std::exception_ptr& e : errors)
        if (e)
            std::rethrow_exception(e);
}

/// gbm with a fund, an unrebalanced and an investor position, bands and a histogram; blocks of
/// 50 paths, so a few thousand paths make many blocks (chunks of 256 blocks).
ScenarioConfig cluster_scenario(std::int64_t paths) {
    ScenarioConfig c = test::gbm_scenario(0.07, 0.35, {-2.0, 3.0}, paths, 12);
    c.strategies = {DailyReset{}, Unrebalanced{}, CalendarRebalance{.every_days = 5}};
    c.bands = BandsSpec{4, {0.1, 0.5, 0.9}};
    c.histogram = HistogramSpec{10, 0.1, 10.0};
    return c;
}

EngineOptions small_blocks(int threads = 1) {
    EngineOptions o;
    o.block_paths = 50;
    o.threads = threads;
    return o;
}

TEST(ShareOf, SharesTileTheRangeInOrderAndDifferByAtMostOneBlock) {
    for (std::int64_t n : {0, 1, 7, 100}) {
        for (std::int64_t count : {1, 2, 3, 8}) {
            std::int64_t at = 5;
            for (std::int64_t k = 0; k < count; ++k) {
                const BlockRange s = share_of({5, 5 + n}, k, count);
                EXPECT_EQ(s.first_block, at);
                EXPECT_LE(s.end_block - s.first_block, n / count + 1);
                EXPECT_GE(s.end_block - s.first_block, n / count);
                at = s.end_block;
            }
            EXPECT_EQ(at, 5 + n);
        }
    }
}

TEST(PartialFile, ReadsBackWhatItWroteAndRefusesAnotherRunOrDamage) {
    const test::TempDir dir;
    ScenarioConfig c = cluster_scenario(500);
    const Plan plan = make_plan(c, small_blocks());
    const PartialResult p = accumulate(plan, {2, 7});
    write_partial_file(dir / "p.partial", plan, p);
    EXPECT_EQ(serialize(read_partial_file(dir / "p.partial", plan)), serialize(p));

    ScenarioConfig other = c;
    other.seed += 1;
    const Plan other_plan = make_plan(other, small_blocks());
    try {
        read_partial_file(dir / "p.partial", other_plan);
        ADD_FAILURE() << "a partial of another seed was accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), (dir / "p.partial").string());
        EXPECT_NE(e.message().find("another run"), std::string::npos) << e.what();
    }
    const std::string bytes = partial_file_bytes(plan, p);
    EXPECT_THROW(parse_partial_file("letfPR03 something", "x", plan), InputError);
    try {
        parse_partial_file(bytes.substr(0, bytes.size() - 3), "cut", plan);
        ADD_FAILURE() << "a truncated partial was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(e.message().find("damaged"), std::string::npos) << e.what();
    }
}

TEST(PartialFile, AScaleBeyondIntIsDamageNotTruncated) {
    // Found by fuzz_partial: a moment's scale is written from an int as 8 bytes; a value outside
    // int's range used to be truncated into another scale (and wrote back other bytes).
    const ScenarioConfig c = cluster_scenario(500);
    const Plan plan = make_plan(c, small_blocks());
    std::string bytes = partial_file_bytes(plan, accumulate(plan, {0, 2}));
    // File header 16 bytes, partial header 56; the first moment's scale is its sixth field.
    constexpr std::size_t kScale = 16 + 56 + 5 * 8;
    ASSERT_EQ(bytes.substr(kScale, 8), std::string(8, '\0')); // scale 0
    bytes[kScale + 3] = static_cast<char>(0xf7);                // 0xf7000000 > INT_MAX
    try {
        parse_partial_file(bytes, "x.partial", plan);
        ADD_FAILURE() << "a scale beyond int was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(e.message().find("scale is out of range"), std::string::npos) << e.what();
    }
}

TEST(Checkpoint, MissingRangesAreWhatNoPieceHolds) {
    const ScenarioConfig c = cluster_scenario(1000);
    const Plan plan = make_plan(c, small_blocks());
    std::vector<PartialResult> pieces;
    pieces.push_back(accumulate(plan, {2, 5}));
    pieces.push_back(accumulate(plan, {8, 9}));
    const std::vector<BlockRange> m = missing_ranges(pieces, {0, 12});
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].first_block, 0);
    EXPECT_EQ(m[0].end_block, 2);
    EXPECT_EQ(m[1].first_block, 5);
    EXPECT_EQ(m[1].end_block, 8);
    EXPECT_EQ(m[2].first_block, 9);
    EXPECT_EQ(m[2].end_block, 12);
    EXPECT_TRUE(missing_ranges({}, {3, 3}).empty());
}

TEST(Checkpoint, OfTwoFilesFromOneStartTheLongerIsTaken) {
    const test::TempDir dir;
    const ScenarioConfig c = cluster_scenario(1000);
    const Plan plan = make_plan(c, small_blocks());
    for (std::int64_t end : {3, 6})
        write_partial_file(dir / checkpoint_file_name({0, end}), plan, accumulate(plan, {0, end}));
    const std::vector<PartialResult> pieces = load_checkpoint(dir.path(), plan, {0, plan.blocks});
    ASSERT_EQ(pieces.size(), 1u);
    EXPECT_EQ(pieces[0].range.end_block, 6);
}

/// The bytes of one accumulate over every block.
std::string one_process(const Plan& plan) {
    return serialize(accumulate(plan, {0, plan.blocks}));
}

TEST(ClusterRun, AKilledRunRestartedFromItsCheckpointGivesTheSameBytes) {
    const test::TempDir dir;
    const ScenarioConfig c = cluster_scenario(40000); // 800 blocks: chunks 0:256, ..., 768:800
    const Plan plan = make_plan(c, small_blocks());
    ASSERT_EQ(plan.blocks, 800);
    struct Killed {};
    ClusterRunOptions o;
    o.checkpoint = dir.path();
    o.checkpoint_seconds = 0;
    o.after_chunk = [](std::int64_t end) {
        if (end >= 512)
            throw Killed{};
    };
    const std::unique_ptr<World> world = single_process_world();
    EXPECT_THROW(accumulate_on_cluster(plan, *world, o), Killed);
    std::vector<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        left.push_back(e.path().filename().string());
    EXPECT_EQ(left, std::vector<std::string>{"blocks-0-512.partial"});

    std::vector<std::int64_t> chunks; // the restart runs only the blocks it lost
    o.after_chunk = [&](std::int64_t end) { chunks.push_back(end); };
    const ClusterRunResult r = accumulate_on_cluster(plan, *world, o);
    EXPECT_EQ(chunks, (std::vector<std::int64_t>{768, 800}));
    ASSERT_TRUE(r.partial);
    EXPECT_EQ(serialize(*r.partial), one_process(plan));
    EXPECT_TRUE(std::filesystem::exists(dir / "blocks-0-800.partial"));
}

TEST(ClusterRun, AnyRankCountGivesTheBytesOfOneProcess) {
    const ScenarioConfig c = cluster_scenario(3000); // 60 blocks
    const Plan plan = make_plan(c, small_blocks());
    const std::string want = one_process(plan);
    for (int ranks : {1, 2, 3, 7}) {
        SCOPED_TRACE(ranks);
        std::string got;
        std::vector<int> threads;
        on_ranks(ranks, [&](World& world) {
            ClusterRunResult r = accumulate_on_cluster(plan, world, ClusterRunOptions{});
            EXPECT_EQ(r.partial.has_value(), world.rank() == 0);
            if (r.partial) {
                got = serialize(*r.partial);
                threads = r.threads_per_rank;
            }
        });
        EXPECT_EQ(got, want);
        EXPECT_EQ(threads, std::vector<int>(static_cast<std::size_t>(ranks), 1));
    }
}

TEST(ClusterRun, RanksRestartFromACheckpointOfAnotherRankCount) {
    const test::TempDir dir;
    const ScenarioConfig c = cluster_scenario(40000); // 800 blocks
    const Plan plan = make_plan(c, small_blocks());
    struct Killed {};
    // Two ranks (0:400 and 400:800, chunks of 256 blocks): rank 1 dies after its first chunk;
    // rank 0 finishes its share and then loses its wait for rank 1.
    bool killed = false;
    try {
        on_ranks(2, [&](World& world) {
            ClusterRunOptions o;
            o.checkpoint = dir.path();
            o.checkpoint_seconds = 0;
            o.after_chunk = [&](std::int64_t end) {
                if (world.rank() == 1 && end == 656)
                    throw Killed{};
            };
            accumulate_on_cluster(plan, world, o);
        });
    } catch (const std::runtime_error&) { // rank 0: "a rank died"
        killed = true;
    }
    EXPECT_TRUE(killed);
    EXPECT_TRUE(std::filesystem::exists(dir / "blocks-0-400.partial"));
    EXPECT_TRUE(std::filesystem::exists(dir / "blocks-400-656.partial"));
    std::string got;
    on_ranks(3, [&](World& world) {
        ClusterRunOptions o;
        o.checkpoint = dir.path();
        ClusterRunResult r = accumulate_on_cluster(plan, world, o);
        if (r.partial)
            got = serialize(*r.partial);
    });
    EXPECT_EQ(got, one_process(plan));
    EXPECT_TRUE(std::filesystem::exists(dir / "blocks-0-800.partial"));
}

TEST(ClusterRun, ABadCheckpointOnRankZeroStopsEveryRank) {
    const test::TempDir dir;
    const ScenarioConfig c = cluster_scenario(1000);
    const Plan plan = make_plan(c, small_blocks());
    std::ofstream(dir / "blocks-0-5.partial") << "not a partial";
    std::vector<int> stops(3, -1);
    on_ranks(3, [&](World& world) {
        ClusterRunOptions o;
        o.checkpoint = dir.path();
        try {
            accumulate_on_cluster(plan, world, o);
        } catch (const InputError&) {
            stops[static_cast<std::size_t>(world.rank())] = 100;
        } catch (const RankStop& s) {
            stops[static_cast<std::size_t>(world.rank())] = s.exit_code;
        }
    });
    EXPECT_EQ(stops, (std::vector<int>{100, 2, 2}));
}

TEST(BlockPaths, TheScenarioKeySetsTheBlocksAndTheBytesStayTheSameForAnyThreadsOrRanks) {
    nlohmann::json doc = nlohmann::json::parse(R"({"name": "b", "paths": 5000, "days": 6,
      "model": {"type": "gbm", "mu": 0.05, "sigma": 0.3}, "multiples": [3], "block_paths": 700})");
    const ScenarioConfig c = parse_scenario(doc, "b.json");
    EXPECT_EQ(c.block_paths, 700);
    EXPECT_EQ(to_json(c).at("block_paths"), 700);
    const Plan plan = make_plan(c, small_blocks()); // the scenario's value wins over the option's
    EXPECT_EQ(plan.block_paths, 700);
    EXPECT_EQ(plan.blocks, 8);
    const std::string want = serialize(accumulate(plan, {0, plan.blocks}, 1));
    EXPECT_EQ(serialize(accumulate(plan, {0, plan.blocks}, 2)), want);
    std::string got;
    on_ranks(3, [&](World& world) {
        ClusterRunResult r = accumulate_on_cluster(plan, world, ClusterRunOptions{});
        if (r.partial)
            got = serialize(*r.partial);
    });
    EXPECT_EQ(got, want);
    // Without the key the config does not write it: reports of existing scenarios keep their bytes.
    doc.erase("block_paths");
    EXPECT_FALSE(to_json(parse_scenario(doc, "b.json")).contains("block_paths"));
    for (const char* bad : {"0", "1048577", "2.5", "\"big\""}) {
        doc["block_paths"] = nlohmann::json::parse(bad);
        try {
            parse_scenario(doc, "b.json");
            ADD_FAILURE() << "block_paths " << bad << " accepted";
        } catch (const InputError& e) {
            EXPECT_EQ(e.where(), "/block_paths") << e.what();
        }
    }
}

TEST(ClusterSweep, RanksGiveTheFilesOfOneProcess) {
    const test::TempDir dir;
    const nlohmann::json doc = nlohmann::json::parse(R"({"name": "s",
      "base": {"name": "b", "paths": 300, "days": 8, "seed": 2,
               "model": {"type": "gbm", "mu": 0.05, "sigma": 0.2}, "multiples": [2]},
      "axes": [{"pointer": "/model/sigma", "values": [0.1, 0.3, 0.5]},
               {"pointer": "/paths", "values": [300, 9000]}]})");
    const Study study = parse_study(doc, (dir / "s.json").string(), dir.path());
    SweepOptions one;
    one.threads = 1;
    run_study(study, dir / "one", one);
    on_ranks(3, [&](World& world) {
        SweepOptions o;
        o.threads = 1;
        o.world = &world;
        run_study(study, dir / "three", o);
    });
    const auto text = [](const std::filesystem::path& p) {
        std::ifstream in(p);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    EXPECT_EQ(text(dir / "three" / "study.csv"), text(dir / "one" / "study.csv"));
    EXPECT_GT(text(dir / "one" / "study.csv").size(), 200u);
    for (std::size_t k = 0; k < study.points.size(); ++k) {
        auto a = nlohmann::json::parse(text(dir / "one" / "points" / point_file_name(k)));
        auto b = nlohmann::json::parse(text(dir / "three" / "points" / point_file_name(k)));
        for (auto* j : {&a, &b}) {
            j->erase("checksum");
            j->at("report").erase("run_info");
        }
        EXPECT_EQ(a, b) << "point " << k;
    }
}

} // namespace
} // namespace letf
