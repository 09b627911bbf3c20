#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "parafrac/kernel.hpp"

namespace parafrac {

// What happened to one tile: who drew it, when, and how much work it was. Times are
// std::chrono::steady_clock nanoseconds (CLOCK_MONOTONIC: comparable across processes).
// A record with worker < 0 belongs to a tile that was never finished.
struct TileRecord {
  Tile tile;
  int worker = -1;  // the strategy's worker index: a thread slot, or a worker process's index
  int pid = 0;      // the OS process that computed it
  std::int64_t start_ns = 0;
  std::int64_t end_ns = 0;
  std::uint64_t iterations = 0;
  std::int64_t cpu_ns = 0;  // CPU time the computing thread spent on it (CLOCK_THREAD_CPUTIME_ID)

  bool finished() const { return worker >= 0; }
};

// What a worker waited on: a mutex another worker held, a condition variable, a barrier, a
// semaphore's permit.
enum class WaitKind : std::uint8_t { lock, condition, barrier, semaphore };
std::string_view wait_kind_name(WaitKind kind);

// One time a worker waited instead of computing (same clock and worker numbering as TileRecord).
struct WaitRecord {
  int worker = 0;
  WaitKind what = WaitKind::lock;
  std::int64_t start_ns = 0;
  std::int64_t end_ns = 0;
};

// The waits of one render, for the strategies that measure them (those built from the seed's
// primitives). The totals count every wait; `records` keeps the first kMaxRecords.
struct Waits {
  static constexpr std::size_t kMaxRecords = std::size_t{1} << 20;
  std::vector<WaitRecord> records;  // in order of start
  std::int64_t total_ns = 0;        // summed over workers
  std::uint64_t count = 0;
  std::uint64_t contended = 0;  // acquisitions (a lock, a permit) that found it taken and waited
};

// One rendered image: iteration counts, optional smooth values, and one record per tile.
// Owns its memory; canvas() hands strategies a view of it.
struct Frame {
  int width = 0;
  int height = 0;
  std::vector<std::uint32_t> counts;
  std::vector<float> smooth;  // empty unless made with smooth = true
  std::vector<TileRecord> records;
  Waits waits;

  Frame() = default;
  Frame(int width, int height, bool with_smooth);
  Canvas canvas() { return {counts.data(), smooth.empty() ? nullptr : smooth.data(), width, height}; }
};

}  // namespace parafrac
