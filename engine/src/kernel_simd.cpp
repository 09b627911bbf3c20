// The escape-time kernel on Highway vectors, compiled once per x86 target and chosen at run time
// for the CPU at hand (HWY_DYNAMIC_DISPATCH): no #ifdef per instruction set here.
//
// Same arithmetic, same order as escape_time() in kernel.cpp, so every count and smooth value
// is bit for bit the scalar kernel's (the engine is built with -ffp-contract=off: no fused
// multiply-add). Each lane walks its own pixel; when a lane's point escapes (or reaches
// max_iter) its result is written and the lane takes the tile's next pixel at once, so vectors
// stay full however unevenly the points escape.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernel_simd.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include "kernel_detail.hpp"

HWY_BEFORE_NAMESPACE();
namespace parafrac::detail {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

std::optional<std::uint64_t> TileKernel(const Job& job, const Tile& tile, const Canvas& canvas,
                                        const std::function<bool()>* stopped) {
  const hn::ScalableTag<double> d;
  const std::size_t lanes = hn::Lanes(d);
  constexpr std::size_t kMaxLanes = HWY_MAX_BYTES / sizeof(double);
  HWY_ALIGN double zr_of[kMaxLanes], zi_of[kMaxLanes], cr_of[kMaxLanes], ci_of[kMaxLanes], n_of[kMaxLanes];
  std::int64_t pixel_of[kMaxLanes];  // the tile pixel a lane works on, -1 when it has none

  const KernelParams& params = job.params;
  const std::int64_t pixels = static_cast<std::int64_t>(tile.width) * tile.height;
  const bool hypot = params.escape == Escape::hypot;
  const double max_iter = params.max_iter;
  std::int64_t next = 0;  // the next pixel to hand to a lane
  std::uint64_t iterations = 0;

  // Puts the tile's next pixel into `lane`, or parks the lane when none is left: a parked lane
  // iterates c = 0 (z stays 0, never escapes) with a counter that never reaches max_iter.
  const auto refill = [&](std::size_t lane) -> bool {
    if (next < pixels && next % tile.width == 0 && stopped && (*stopped)()) return false;
    if (next >= pixels) {
      pixel_of[lane] = -1;
      zr_of[lane] = zi_of[lane] = cr_of[lane] = ci_of[lane] = 0.0;
      n_of[lane] = -1e300;
      return true;
    }
    const int x = tile.x + static_cast<int>(next % tile.width);
    const int y = tile.y + static_cast<int>(next / tile.width);
    pixel_of[lane] = next++;
    cr_of[lane] = job.grid.re[x];
    ci_of[lane] = job.grid.im[y];
    zr_of[lane] = params.start == Start::c ? cr_of[lane] : 0.0;
    zi_of[lane] = params.start == Start::c ? ci_of[lane] : 0.0;
    n_of[lane] = 0.0;
    return true;
  };
  const auto finish = [&](std::size_t lane, std::uint32_t count, bool escaped) {
    const std::int64_t pixel = pixel_of[lane];
    const std::size_t at = static_cast<std::size_t>(tile.y + pixel / tile.width) * canvas.width + tile.x +
                           static_cast<std::size_t>(pixel % tile.width);
    canvas.counts[at] = count;
    if (canvas.smooth)
      canvas.smooth[at] = escaped ? smooth_value(count, zr_of[lane], zi_of[lane], cr_of[lane], ci_of[lane]) : kInside;
    iterations += work_of(count, params.max_iter);
  };

  for (std::size_t lane = 0; lane < lanes; ++lane)
    if (!refill(lane)) return std::nullopt;
  auto zr = hn::Load(d, zr_of), zi = hn::Load(d, zi_of), cr = hn::Load(d, cr_of), ci = hn::Load(d, ci_of);
  auto n = hn::Load(d, n_of);
  const auto two = hn::Set(d, 2.0), one = hn::Set(d, 1.0), last = hn::Set(d, max_iter - 1.0);
  // In hypot mode lanes near the circle go to the scalar test, which decides exactly.
  const auto threshold = hn::Set(d, hypot ? 4.0 * (1.0 - kHypotMargin) : 4.0);
  std::int64_t busy = static_cast<std::int64_t>(std::min<std::int64_t>(pixels, lanes));

  while (busy > 0) {
    const auto zr2 = hn::Mul(zr, zr);
    const auto zi2 = hn::Mul(zi, zi);
    zi = hn::Add(hn::Mul(hn::Mul(two, zr), zi), ci);
    zr = hn::Add(hn::Sub(zr2, zi2), cr);
    const auto norm = hn::Add(hn::Mul(zr, zr), hn::Mul(zi, zi));
    const auto done = hn::Or(hn::Gt(norm, threshold), hn::Ge(n, last));
    if (HWY_LIKELY(hn::AllFalse(d, done))) {
      n = hn::Add(n, one);
      continue;
    }
    // Some lane escaped or ran out of iterations: settle those in scalar code, refill them.
    hn::Store(zr, d, zr_of);
    hn::Store(zi, d, zi_of);
    hn::Store(n, d, n_of);
    HWY_ALIGN double norm_of[kMaxLanes];
    hn::Store(norm, d, norm_of);
    for (std::size_t lane = 0; lane < lanes; ++lane) {
      if (pixel_of[lane] < 0) continue;
      const double count = n_of[lane];
      const bool escaped = hypot ? escaped_hypot(zr_of[lane], zi_of[lane], norm_of[lane]) : norm_of[lane] > 4.0;
      if (escaped) {
        finish(lane, static_cast<std::uint32_t>(count), true);
      } else if (count + 1.0 >= max_iter) {
        finish(lane, params.max_iter, false);
      } else {
        n_of[lane] = count + 1.0;  // near the circle but inside it: goes on
        continue;
      }
      const bool had_pixels = next < pixels;
      if (!refill(lane)) return std::nullopt;
      if (!had_pixels) --busy;
    }
    zr = hn::Load(d, zr_of);
    zi = hn::Load(d, zi_of);
    cr = hn::Load(d, cr_of);
    ci = hn::Load(d, ci_of);
    n = hn::Load(d, n_of);
  }
  return iterations;
}

// The instruction set this target compiles for.
const char* TargetName() { return hwy::TargetName(HWY_TARGET); }

}  // namespace HWY_NAMESPACE
}  // namespace parafrac::detail
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace parafrac {
namespace detail {

HWY_EXPORT(TileKernel);
HWY_EXPORT(TargetName);

std::optional<std::uint64_t> simd_tile(const Job& job, const Tile& tile, const Canvas& canvas,
                                       const std::function<bool()>& stopped) {
  return HWY_DYNAMIC_DISPATCH(TileKernel)(job, tile, canvas, stopped ? &stopped : nullptr);
}

std::string target_name() { return HWY_DYNAMIC_DISPATCH(TargetName)(); }

}  // namespace detail

std::string simd_target() { return detail::target_name(); }

}  // namespace parafrac
#endif
