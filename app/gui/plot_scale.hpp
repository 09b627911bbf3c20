#pragma once
// Log scales for the plots (the history of render times, the heat map of tile costs), and the
// labels that say what they span.
#include <string>
#include <vector>

#include "parafrac/frame.hpp"

namespace parafrac::gui {

// A logarithmic axis from `lo` to `hi` (both > 0): a log axis has no 0, so it starts at the
// smallest value plotted.
struct LogScale {
  double lo = 1;
  double hi = 1;

  // From the smallest to the largest positive value (1..1 when there is none).
  static LogScale spanning(const std::vector<double>& values);
  // Where `value` falls: 0 at lo, 1 at hi, clamped; 0.5 for every value when lo == hi (all
  // values are alike: none is high or low). Values <= 0 fall at 0.
  double at(double value) const;
};

// "0.52 .. 7070 ms": the scale's ends times `factor` (1e3: seconds shown as ms), three digits.
std::string range_label(const LogScale& scale, double factor, const char* unit);

// The heat map's measure of a tile: the CPU time its thread spent on it, in seconds. Wall time
// would light up whichever tiles another program preempted, at random; CPU time is the tile's
// own cost.
double tile_cost(const TileRecord& record);
// The scale over the finished records' costs.
LogScale heat_scale(const std::vector<TileRecord>& records);

}  // namespace parafrac::gui
