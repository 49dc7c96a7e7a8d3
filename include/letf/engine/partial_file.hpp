#pragma once
/// \file engine/partial_file.hpp
/// A partial result on disk: what `run --partial` writes, `merge` reads and a checkpoint folder
/// holds. The bytes:
///
///     "letfPF01" | u64 fingerprint | serialize(partial) (partial.hpp)
///
/// The fingerprint (run_fingerprint) is FNV-1a over everything that decides a partial's bytes:
/// the resolved scenario (seed and path count included, after any --seed/--paths override),
/// the block size, the exact-quantile budget, the sketch accuracy and the program version. A file
/// whose fingerprint differs belongs to another run and is refused, never merged.

#include <cstdint>
#include <filesystem>
#include <string>

#include "letf/engine/partial.hpp"
#include "letf/engine/plan.hpp"

namespace letf {

/// The fingerprint of the runs that share `plan`'s bytes (any thread count, any rank count).
std::uint64_t run_fingerprint(const Plan& plan);

/// The file's bytes for a partial of `plan`'s run.
std::string partial_file_bytes(const Plan& plan, const PartialResult& partial);

/// Writes the file atomically (write_file_atomic: never half-written).
void write_partial_file(const std::filesystem::path& path, const Plan& plan,
                        const PartialResult& partial);

/// Reads a partial file of `plan`'s run. Throws InputError naming the file when it cannot be
/// read, is not a partial-result file, is damaged or belongs to another run.
PartialResult read_partial_file(const std::filesystem::path& path, const Plan& plan);

/// The same, from bytes already read; `name` is the file named in errors.
PartialResult parse_partial_file(const std::string& bytes, const std::string& name,
                                 const Plan& plan);

} // namespace letf
