#pragma once
/// \file path_export.hpp
/// `letfsim run --export-paths FILE.csv`: every path's outcome per series, streamed in block
/// order while the run goes on (memory holds only the blocks that finished ahead of an earlier
/// one), written atomically (a failed run leaves no file). The bytes do not depend on the thread
/// count. Columns:
///   path, strategy, label, multiple, terminal, log_return, max_drawdown, wipeout_day
/// one row for the underlying (strategy and label "underlying", multiple 1) and then one per
/// strategy x multiple in report order, for each path in order; numbers in their shortest
/// round-trip form; log_return empty where V_T = 0, wipeout_day empty where V never reached 0.

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "letf/config/scenario.hpp"
#include "letf/engine/plan.hpp"
#include "letf/io/atomic_file.hpp"

namespace letf::cli {

class PathExport {
public:
    PathExport(const std::filesystem::path& file, const ScenarioConfig& config);
    /// EngineOptions::on_block: formats the block, writes every block now in order.
    void add(const BlockPaths& block);
    /// After the run: every block written, the file renamed into place.
    void finish();

private:
    AtomicFile file_;
    std::vector<std::string> prefix_; ///< per series: ",strategy,\"label\",multiple,"
    std::mutex mutex_;
    std::map<std::int64_t, std::string> waiting_; ///< formatted blocks ahead of next_
    std::int64_t next_ = 0;
};

} // namespace letf::cli
