#pragma once
// What the CLI's bench and the app's overlay and race both report about a render.
#include <cstdint>
#include <vector>

#include "parafrac/frame.hpp"

namespace parafrac {

// Load imbalance: from the last moment `workers` tiles were being computed at once (a worker had
// finished its last tile and found no more) to the end of the render. Zero for fewer than two
// workers, or when they never all computed at once. Counted over tiles, not record lanes, so
// a strategy whose lanes are not its workers (semaphore's tasks) is measured alike.
std::int64_t tail_ns(const std::vector<TileRecord>& records, int workers);
// The most finished tiles whose [start, end) overlap: how many were computed at once at the peak.
int most_at_once(const std::vector<TileRecord>& records);

// How many times faster than the baseline (the serial strategy) a render was.
inline double speedup(double baseline_s, double wall_s) { return wall_s > 0 ? baseline_s / wall_s : 0; }
// Speedup per worker: 1 when `workers` workers were `workers` times as fast.
inline double efficiency(double baseline_s, double wall_s, int workers) {
  return workers > 0 ? speedup(baseline_s, wall_s) / workers : 0;
}

}  // namespace parafrac
