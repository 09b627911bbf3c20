#include "parafrac/kernel.hpp"

#include <algorithm>
#include <limits>

#include "kernel_detail.hpp"
#include "parafrac/error.hpp"

namespace parafrac {
using detail::escaped_hypot;
using detail::smooth_value;

namespace {

// escape_time(), asking `stopped` (unless null) every kStopCheckIterations of the orbit: nullopt
// when it says stop. The orbit runs in stretches that long, so asking costs nothing per step.
std::optional<PointResult> orbit(double cr, double ci, const KernelParams& params, bool with_smooth,
                                 const std::function<bool()>* stopped) {
  // In locals, so the loop below keeps them in registers instead of reading them every step.
  const std::uint32_t max_iter = params.max_iter;
  const bool norm_test = params.escape == Escape::norm, shortcuts = params.shortcuts;
  const PointResult inside{max_iter, kInside};
  if (shortcuts && detail::inside_main_bulbs(cr, ci)) return inside;
  double zr = params.start == Start::c ? cr : 0.0;
  double zi = params.start == Start::c ? ci : 0.0;
  double saved_r = std::numeric_limits<double>::quiet_NaN(), saved_i = saved_r;  // equal to nothing
  std::uint32_t next_save = detail::kFirstCycleSave;
  std::uint32_t n = 0;
  for (;;) {
    // n < max_iter <= kMaxIterationsLimit: the sum cannot wrap.
    const std::uint32_t until = stopped ? std::min(max_iter, n + kStopCheckIterations) : max_iter;
    for (; n < until; ++n) {
      const double zr2 = zr * zr;
      const double zi2 = zi * zi;
      zi = (2.0 * zr) * zi + ci;
      zr = (zr2 - zi2) + cr;
      const double norm = zr * zr + zi * zi;
      const bool escaped = norm_test ? norm > 4.0 : escaped_hypot(zr, zi, norm);
      if (escaped) return PointResult{n, with_smooth ? smooth_value(n, zr, zi, cr, ci) : 0.0f};
      if (!shortcuts) continue;
      if (zr == saved_r && zi == saved_i) return inside;
      if (n == next_save) {
        saved_r = zr;
        saved_i = zi;
        next_save *= 2;  // wraps to 0 past 2^31: no more saves, which is only slower
      }
    }
    if (n == max_iter) return inside;
    if ((*stopped)()) return std::nullopt;
  }
}

}  // namespace

PointResult escape_time(double cr, double ci, const KernelParams& params, bool with_smooth) {
  return *orbit(cr, ci, params, with_smooth, nullptr);
}

std::optional<std::uint64_t> render_tile(const Job& job, const Tile& tile, const Canvas& canvas,
                                         std::stop_token stop) {
  return render_tile(job, tile, canvas, [&stop] { return stop.stop_requested(); });
}

std::optional<std::uint64_t> render_tile(const Job& job, const Tile& tile, const Canvas& canvas,
                                         const std::function<bool()>& stopped) {
  // The SIMD kernel keeps counts in int32 lanes on the way out: the engine's limit fits.
  if (job.params.max_iter > kMaxIterationsLimit)
    throw Error("max iterations must be at most " + std::to_string(kMaxIterationsLimit));
  if (job.params.kernel == KernelKind::simd && detail::simd_takes(job, tile))
    return detail::simd_tile(job, tile, canvas, stopped);
  std::uint64_t iterations = 0;
  const std::uint32_t max_iter = job.params.max_iter;
  for (int y = tile.y; y < tile.y + tile.height; ++y) {
    if (stopped()) return std::nullopt;
    const std::size_t row = static_cast<std::size_t>(y) * canvas.width;
    const double ci = job.grid.im[y];
    for (int x = tile.x; x < tile.x + tile.width; ++x) {
      const std::optional<PointResult> point =
          orbit(job.grid.re[x], ci, job.params, canvas.smooth != nullptr, &stopped);
      if (!point) return std::nullopt;
      canvas.counts[row + x] = point->count;
      if (canvas.smooth) canvas.smooth[row + x] = point->smooth;
      iterations += detail::work_of(point->count, max_iter);
    }
  }
  return iterations;
}

}  // namespace parafrac
