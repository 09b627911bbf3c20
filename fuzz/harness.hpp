#pragma once
// What every harness shares: the input as text, and a property check that stops the run so
// libFuzzer keeps the input as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace parafrac::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A broken promise of the code under test: abort() is a crash to libFuzzer, like a sanitizer's.
inline void require(bool holds, const char* promise) {
  if (holds) return;
  std::fprintf(stderr, "parafrac fuzz: broken promise: %s\n", promise);
  std::abort();
}

// The pieces of `text` between `separator`s (one piece for a text without one).
inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  for (;;) {
    const std::size_t end = text.find(separator);
    pieces.push_back(text.substr(0, end));
    if (end == std::string_view::npos) return pieces;
    text.remove_prefix(end + 1);
  }
}

}  // namespace parafrac::fuzz
