#include "path_export.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "letf/strategies/strategy.hpp"

namespace letf::cli {

PathExport::PathExport(const std::filesystem::path& file, const ScenarioConfig& config)
    : file_(file) {
    prefix_.push_back(",underlying,\"underlying\",1,");
    // Labels may hold commas (calendar_rebalance(every_days=21,band=0.5)): quoted; they hold no
    // quotes.
    for (const Position& p : make_positions(config))
        prefix_.push_back(fmt::format(",{},\"{}\",{},", strategy_name(p.strategy),
                                      p.label, p.multiple));
    file_.write("path,strategy,label,multiple,terminal,log_return,max_drawdown,wipeout_day\n");
}

void PathExport::add(const BlockPaths& b) {
    std::string text;
    text.reserve(b.paths * prefix_.size() * 96);
    for (std::size_t i = 0; i < b.paths; ++i) {
        const std::int64_t path = b.first_path + static_cast<std::int64_t>(i);
        for (std::size_t s = 0; s < prefix_.size(); ++s) {
            const double v = b.value[s][i];
            const double wd = b.wipeout_day[s] ? b.wipeout_day[s][i] : 0.0;
            fmt::format_to(std::back_inserter(text), "{}{}{},", path, prefix_[s], v);
            if (v > 0.0)
                fmt::format_to(std::back_inserter(text), "{}", std::log(v));
            fmt::format_to(std::back_inserter(text), ",{},", b.drawdown[s][i]);
            if (wd > 0.0)
                fmt::format_to(std::back_inserter(text), "{}", static_cast<std::int64_t>(wd));
            text += '\n';
        }
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    waiting_.emplace(b.block, std::move(text));
    for (auto it = waiting_.find(next_); it != waiting_.end(); it = waiting_.find(next_)) {
        file_.write(it->second);
        waiting_.erase(it);
        ++next_;
    }
}

void PathExport::finish() {
    if (!waiting_.empty()) // a block never came: the run did not finish
        throw std::logic_error("--export-paths: a block is missing");
    file_.commit();
}

} // namespace letf::cli
