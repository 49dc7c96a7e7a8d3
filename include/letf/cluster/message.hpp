#pragma once
/// \file cluster/message.hpp
/// The bytes of the messages ranks exchange (cluster_run.cpp, run_study.cpp): plain values
/// appended in memory order (every rank of a run is the same build on the same kind of machine)
/// and read back with a bounds check.

#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace letf::message {

template <class T> void put(std::string& s, T x) {
    static_assert(std::is_trivially_copyable_v<T>);
    s.append(reinterpret_cast<const char*>(&x), sizeof x);
}

/// The value at `at` (advanced past it); std::runtime_error when the message is too short.
template <class T> T get(const std::string& s, std::size_t& at) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (at + sizeof(T) > s.size())
        throw std::runtime_error("cluster: truncated message");
    T x;
    std::memcpy(&x, s.data() + at, sizeof x);
    at += sizeof x;
    return x;
}

} // namespace letf::message
