#pragma once
// Internal: record lists with an id index, and ids of the form <prefix><digits> ("K01", "O3", "T02") for records numbered
// within their parent. The next id follows the highest one present, so ids stay unique
// after loading a book whose ids have gaps or are out of order.

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aecore/error.hpp"

namespace aecore {

/// The largest serial a sequence issues (ids, codes, job numbers). A saved sequence holds
/// the next serial, so it may be kMaxSerial + 1 once the last one is issued.
inline constexpr std::uint64_t kMaxSerial = 99'999'999;

/// Throws StateError when `next` is past kMaxSerial: the sequence is used up.
inline void require_serial_left(std::uint64_t next, std::string_view sequence) {
    if (next > kMaxSerial)
        throw StateError("PS-1", std::string(sequence), std::to_string(next),
                         "the sequence is exhausted (at most " + std::to_string(kMaxSerial) + " numbers)");
}

/// The number after `prefix` in `id`, or 0 when `id` is not <prefix><digits>.
inline std::size_t child_id_number(std::string_view id, std::string_view prefix) {
    if (id.size() <= prefix.size() || id.substr(0, prefix.size()) != prefix) return 0;
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(id.data() + prefix.size(), id.data() + id.size(), n);
    return (ec == std::errc() && p == id.data() + id.size()) ? n : 0;
}

/// "<prefix><highest + 1>", zero-padded to `width` digits.
template <class T>
std::string next_child_id(std::string_view prefix, const std::vector<T>& items, int width) {
    std::size_t highest = 0;
    for (const T& item : items) highest = std::max(highest, child_id_number(item.id, prefix));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*zu", width, highest + 1);
    return std::string(prefix) + buf;
}

/// Appends `value` to `list` and `key -> its index` to `index`, or neither (strong guarantee).
template <class T, class Index>
void append_indexed(std::vector<T>& list, Index& index, T value,
                    const std::string& key) {
    list.push_back(std::move(value));
    try {
        index.emplace(key, list.size() - 1);
    } catch (...) {
        list.pop_back();
        throw;
    }
}

}  // namespace aecore
