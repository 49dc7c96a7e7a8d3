#pragma once
/// \file base/hash.hpp
/// FNV-1a, 64 bits: the checksum of point files, the study hash and the run fingerprint of
/// partial-result files. A check against accidents (a file of another run, a truncated edit),
/// not against tampering.

#include <cstdint>
#include <string_view>

namespace letf {

constexpr std::uint64_t fnv1a64(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    for (const char ch : text) {
        h ^= static_cast<unsigned char>(ch);
        h *= 1099511628211ull;
    }
    return h;
}

} // namespace letf
