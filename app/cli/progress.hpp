#pragma once
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <mutex>

#include "parafrac/strategy.hpp"

namespace parafrac::cli {

// "rendering  42% (101/240 tiles)" on stderr, updated in place, only when stderr is a
// terminal. Workers report through sink(); one that finds another printing skips its update
// rather than wait for it.
class Progress {
 public:
  Progress(std::size_t total_tiles, const char* label)
      : total_(total_tiles), label_(label), enabled_(::isatty(STDERR_FILENO) == 1) {}
  ~Progress() {
    if (enabled_ && shown_ >= 0) std::fprintf(stderr, "\r\033[K");
  }

  TileSink sink() {
    if (!enabled_) return {};
    return [this](const TileRecord&) {
      const std::size_t done = done_.fetch_add(1, std::memory_order_relaxed) + 1;
      std::unique_lock lock(print_, std::try_to_lock);
      const int percent = static_cast<int>(done * 100 / total_);
      if (!lock.owns_lock() || percent == shown_) return;
      shown_ = percent;
      std::fprintf(stderr, "\r%s %3d%% (%zu/%zu tiles)", label_, percent, done, total_);
      std::fflush(stderr);
    };
  }

 private:
  std::size_t total_;
  const char* label_;
  bool enabled_;
  std::atomic<std::size_t> done_{0};  // a counter only: relaxed is enough
  std::mutex print_;
  int shown_ = -1;  // guarded by print_
};

}  // namespace parafrac::cli
