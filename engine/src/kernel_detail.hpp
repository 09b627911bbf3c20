#pragma once
// What the scalar and the SIMD kernels share, so they decide and colour every point alike.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>

#include "parafrac/kernel.hpp"

namespace parafrac::detail {

// hypot(zr, zi) > 2 decided from zr·zr + zi·zi where that is unambiguous (its rounding error is
// a few ulps), and by hypot itself only within a hair of the circle: exact and cheap.
inline constexpr double kHypotMargin = 1e-12;
inline bool escaped_hypot(double zr, double zi, double norm) {
  if (norm > 4.0 * (1.0 + kHypotMargin)) return true;
  if (norm < 4.0 * (1.0 - kHypotMargin)) return false;
  return std::hypot(zr, zi) > 2.0;
}

// Further iterations after escape sharpen the continuous value; they change no count.
inline constexpr int kSmoothingSteps = 3;

// `z` is the first iterate that escaped, or (with `steps_done` 1) the one after it: the SIMD kernel
// has already taken that step with the same arithmetic.
inline float smooth_value(std::uint32_t count, double zr, double zi, double cr, double ci, int steps_done = 0) {
  for (int i = steps_done; i < kSmoothingSteps; ++i) {
    const double zr2 = zr * zr;
    const double zi2 = zi * zi;
    zi = (2.0 * zr) * zi + ci;
    zr = (zr2 - zi2) + cr;
  }
  const double log2_modulus = 0.5 * std::log2(zr * zr + zi * zi);
  const double value = count + kSmoothingSteps + 1 - std::log2(log2_modulus);
  return std::isfinite(value) ? static_cast<float>(std::max(0.0, value)) : static_cast<float>(count);
}

// Whether c lies well inside the main cardioid or the period-2 bulb, where every orbit stays
// bounded (for z0 = 0 and z0 = c alike). The margins keep out the last ~1e-8 next to the edges
// and the cusp, where a rounded orbit could drift out after very many iterations.
// The SIMD block kernel repeats these operations on vectors, with these constants.
inline constexpr double kBulbMargin = 1e-9;
inline constexpr double kBulbRadius2 = 0.0625 - kBulbMargin;  // (1/4)² less the margin
inline bool inside_main_bulbs(double cr, double ci) {
  const double x = cr - 0.25;
  const double y2 = ci * ci;
  const double q = x * x + y2;
  if (q * (q + x) < 0.25 * y2 - kBulbMargin) return true;
  const double dx = cr + 1.0;
  return dx * dx + y2 < kBulbRadius2;
}

// Cycle detection keeps one earlier z, replaced at doubling intervals (Brent's scheme) from this
// iteration on; a later z equal to it, bit for bit, proves the orbit periodic: it never escapes.
inline constexpr std::uint32_t kFirstCycleSave = 16;

// The work a point took: the escaping step counts; a point that never escaped took max_iter.
inline std::uint64_t work_of(std::uint32_t count, std::uint32_t max_iter) {
  return count == max_iter ? max_iter : count + 1ULL;
}

// The SIMD kernel's fast escape test is "norm > limit", which a NaN norm fails. While |c| stays
// at most kSimdMaxC, a point that has not escaped has |z| <= 2 (plus a hair), so z² + c and its
// norm are finite and no NaN can reach the test. Tiles with a larger c go to the scalar kernel
// (their points escape at the first step anyway).
inline constexpr double kSimdMaxC = 1e100;
// The largest |re c| or |im c| of a tile's points.
inline double largest_c(const Job& job, const Tile& tile) {
  double largest = 0.0;
  for (int x = tile.x; x < tile.x + tile.width; ++x) largest = std::max(largest, std::abs(job.grid.re[x]));
  for (int y = tile.y; y < tile.y + tile.height; ++y) largest = std::max(largest, std::abs(job.grid.im[y]));
  return largest;
}
inline bool simd_takes(const Job& job, const Tile& tile) { return largest_c(job, tile) <= kSimdMaxC; }

// The SIMD kernel over one tile that simd_takes() (kernel_simd.cpp); `stopped` is asked before
// each new row and every kStopCheckIterations steps of a block.
std::optional<std::uint64_t> simd_tile(const Job& job, const Tile& tile, const Canvas& canvas,
                                       const std::function<bool()>& stopped);

}  // namespace parafrac::detail
