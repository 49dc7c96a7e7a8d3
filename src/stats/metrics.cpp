#include "letf/stats/metrics.hpp"

namespace letf {

std::vector<MetricInfo> metric_list() {
    std::vector<MetricInfo> list;
    for (const MetricDef& m : kMetrics)
        list.push_back({m.name, m.description, m.quantiles});
    return list;
}

} // namespace letf
