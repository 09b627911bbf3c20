#include "plot_scale.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace parafrac::gui {

LogScale LogScale::spanning(const std::vector<double>& values) {
  LogScale scale{INFINITY, 0};
  for (const double value : values)
    if (value > 0) scale = {std::min(scale.lo, value), std::max(scale.hi, value)};
  return scale.hi > 0 ? scale : LogScale{};
}

double LogScale::at(double value) const {
  if (value <= 0) return 0;
  if (hi <= lo) return 0.5;
  return std::clamp(std::log(value / lo) / std::log(hi / lo), 0.0, 1.0);
}

namespace {

// Three significant digits, without an exponent for the everyday thousands ("7070", not
// "7.07e+03").
std::string three_digits(double value) {
  char text[32];
  if (value >= 1000 && value < 1e9) {
    const double unit =
        std::pow(10.0, std::floor(std::log10(value)) - 2);  // the third digit's place
    std::snprintf(text, sizeof text, "%.0f", std::round(value / unit) * unit);
  } else {
    std::snprintf(text, sizeof text, "%.3g", value);
  }
  return text;
}

}  // namespace

std::string range_label(const LogScale& scale, double factor, const char* unit) {
  return three_digits(scale.lo * factor) + " .. " + three_digits(scale.hi * factor) + " " + unit;
}

double tile_cost(const TileRecord& record) { return static_cast<double>(record.cpu_ns) * 1e-9; }

LogScale heat_scale(const std::vector<TileRecord>& records) {
  std::vector<double> costs;
  costs.reserve(records.size());
  for (const TileRecord& record : records)
    if (record.finished()) costs.push_back(tile_cost(record));
  return LogScale::spanning(costs);
}

}  // namespace parafrac::gui
