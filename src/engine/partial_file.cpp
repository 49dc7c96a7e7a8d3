// Partial-result files: the fingerprint of a run, and the partial's bytes behind it.

#include "letf/engine/partial_file.hpp"

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "letf/base/error.hpp"
#include "letf/base/hash.hpp"
#include "letf/io/atomic_file.hpp"
#include "letf/version.hpp"

namespace letf {
namespace {

constexpr char kFileMagic[8] = {'l', 'e', 't', 'f', 'P', 'F', '0', '1'};
constexpr std::size_t kHeaderBytes = sizeof kFileMagic + sizeof(std::uint64_t);
/// The largest partial file read: a run's exact columns stay within the budget (48 MiB by
/// default); block tallies of a range of 10^6 blocks are about 1 GiB.
constexpr std::uintmax_t kMaxPartialFileBytes = std::uintmax_t{16} << 30;

} // namespace

std::uint64_t run_fingerprint(const Plan& plan) {
    const EngineOptions& o = plan.options;
    return fnv1a64(fmt::format("{}|block_paths={}|exact_budget={}|sketch_accuracy={:.17g}|{}",
                               to_json(*plan.config).dump(), plan.block_paths,
                               o.exact_quantile_budget, o.sketch_relative_accuracy, kVersion));
}

std::string partial_file_bytes(const Plan& plan, const PartialResult& partial) {
    std::string bytes(kFileMagic, sizeof kFileMagic);
    const std::uint64_t f = run_fingerprint(plan);
    bytes.append(reinterpret_cast<const char*>(&f), sizeof f);
    bytes += serialize(partial);
    return bytes;
}

void write_partial_file(const std::filesystem::path& path, const Plan& plan,
                        const PartialResult& partial) {
    write_file_atomic(path, partial_file_bytes(plan, partial));
}

PartialResult parse_partial_file(const std::string& bytes, const std::string& name,
                                 const Plan& plan) {
    if (bytes.size() < kHeaderBytes || std::memcmp(bytes.data(), kFileMagic, 8) != 0)
        throw InputError(name, "", "is not a letfsim partial-result file");
    std::uint64_t f = 0;
    std::memcpy(&f, bytes.data() + sizeof kFileMagic, sizeof f);
    if (f != run_fingerprint(plan))
        throw InputError(name, "",
                         fmt::format("is a partial result of another run (scenario, seed, paths, "
                                     "options or letfsim version differ from scenario '{}' with "
                                     "seed {} and {} paths)",
                                     plan.config->name, plan.config->seed, plan.config->paths));
    try {
        return deserialize(plan, bytes.substr(kHeaderBytes));
    } catch (const std::runtime_error& e) {
        throw InputError(name, "", std::string("is damaged: ") + e.what());
    }
}

PartialResult read_partial_file(const std::filesystem::path& path, const Plan& plan) {
    return parse_partial_file(read_input_file(path, kMaxPartialFileBytes), path.string(), plan);
}

} // namespace letf
