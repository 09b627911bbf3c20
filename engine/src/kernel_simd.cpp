// The escape-time kernel on Highway vectors, compiled once per x86 target and chosen at run time
// for the CPU at hand (HWY_DYNAMIC_DISPATCH): no #ifdef per instruction set here.
//
// Same arithmetic, same order as escape_time() in kernel.cpp, so every count and smooth value
// is bit for bit the scalar kernel's (the engine is built with -ffp-contract=off: no fused
// multiply-add). Each lane walks its own pixel; when a lane's point escapes (or reaches
// max_iter) its result is written and the lane takes the tile's next pixel at once, so vectors
// stay full however unevenly the points escape. Several vectors are in flight (kGroups).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernel_simd.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include "kernel_detail.hpp"

HWY_BEFORE_NAMESPACE();
namespace parafrac::detail {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Independent vectors in flight at once: one iteration is a chain of dependent multiplies and
// adds, so a single vector leaves the pipes idle most of the time; several fill them.
constexpr std::size_t kGroups = 4;  // measured: 2 and 3 slower, 6 spills registers

std::optional<std::uint64_t> TileKernel(const Job& job, const Tile& tile, const Canvas& canvas,
                                        const std::function<bool()>* stopped) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const std::size_t lanes = hn::Lanes(d);
  const std::size_t slots = kGroups * lanes;
  constexpr std::size_t kMaxSlots = kGroups * HWY_MAX_BYTES / sizeof(double);
  // Per slot (a lane of a group): z, z's squares, c, and the iteration at which its pixel began.
  HWY_ALIGN double zr_of[kMaxSlots], zi_of[kMaxSlots], zr2_of[kMaxSlots], zi2_of[kMaxSlots], cr_of[kMaxSlots],
      ci_of[kMaxSlots], began_of[kMaxSlots];
  std::int64_t pixel_of[kMaxSlots];  // the tile pixel a slot works on, -1 when it has none

  const KernelParams& params = job.params;
  const std::int64_t pixels = static_cast<std::int64_t>(tile.width) * tile.height;
  const bool hypot = params.escape == Escape::hypot;
  const double max_iter = params.max_iter;
  std::int64_t next = 0;  // the next pixel to hand to a slot
  std::uint64_t iterations = 0;
  // Iterations done by the loop so far; a slot's own count n is step - began (exact in a double).
  double step = 0.0;

  // Puts the tile's next pixel into `slot`, its first iteration being step `first`, or parks the
  // slot when none is left: a parked slot iterates c = 0 (z stays 0, never escapes) and "began"
  // so late that it never runs out. False when asked to stop.
  const auto refill = [&](std::size_t slot, double first) -> bool {
    if (next < pixels && next % tile.width == 0 && stopped && (*stopped)()) return false;
    if (next >= pixels) {
      pixel_of[slot] = -1;
      zr_of[slot] = zi_of[slot] = zr2_of[slot] = zi2_of[slot] = cr_of[slot] = ci_of[slot] = 0.0;
      began_of[slot] = 1e300;
      return true;
    }
    const int x = tile.x + static_cast<int>(next % tile.width);
    const int y = tile.y + static_cast<int>(next / tile.width);
    pixel_of[slot] = next++;
    cr_of[slot] = job.grid.re[x];
    ci_of[slot] = job.grid.im[y];
    zr_of[slot] = params.start == Start::c ? cr_of[slot] : 0.0;
    zi_of[slot] = params.start == Start::c ? ci_of[slot] : 0.0;
    zr2_of[slot] = zr_of[slot] * zr_of[slot];
    zi2_of[slot] = zi_of[slot] * zi_of[slot];
    began_of[slot] = first;
    return true;
  };
  const auto finish = [&](std::size_t slot, std::uint32_t count, bool escaped) {
    const std::int64_t pixel = pixel_of[slot];
    const std::size_t at = static_cast<std::size_t>(tile.y + pixel / tile.width) * canvas.width + tile.x +
                           static_cast<std::size_t>(pixel % tile.width);
    canvas.counts[at] = count;
    if (canvas.smooth)
      canvas.smooth[at] = escaped ? smooth_value(count, zr_of[slot], zi_of[slot], cr_of[slot], ci_of[slot]) : kInside;
    iterations += work_of(count, params.max_iter);
  };

  for (std::size_t slot = 0; slot < slots; ++slot)
    if (!refill(slot, 0.0)) return std::nullopt;
  V zr[kGroups], zi[kGroups], zr2[kGroups], zi2[kGroups], cr[kGroups], ci[kGroups], began[kGroups];
#pragma GCC unroll 4
  for (std::size_t g = 0; g < kGroups; ++g) {
    zr[g] = hn::Load(d, zr_of + g * lanes);
    zi[g] = hn::Load(d, zi_of + g * lanes);
    zr2[g] = hn::Load(d, zr2_of + g * lanes);
    zi2[g] = hn::Load(d, zi2_of + g * lanes);
    cr[g] = hn::Load(d, cr_of + g * lanes);
    ci[g] = hn::Load(d, ci_of + g * lanes);
    began[g] = hn::Load(d, began_of + g * lanes);
  }
  // In hypot mode slots near the circle go to the scalar test, which decides exactly.
  const V threshold = hn::Set(d, hypot ? 4.0 * (1.0 - kHypotMargin) : 4.0);
  std::int64_t busy = std::min<std::int64_t>(pixels, static_cast<std::int64_t>(slots));

  while (busy > 0) {
    // One iteration, the scalar kernel's operations: zi' = (2·zr)·zi + ci (2·zr computed as
    // zr + zr, the same double), zr' = (zr² − zi²) + cr, and the squares of z' serve both the
    // escape test and the next iteration.
    // A slot with n = step - began has run out when n reaches max_iter - 1 here.
    const V out_of_iterations = hn::Set(d, step - (max_iter - 1.0));
    V norm[kGroups];
    bool any_done = false;
#pragma GCC unroll 4
    for (std::size_t g = 0; g < kGroups; ++g) {
      zi[g] = hn::Add(hn::Mul(hn::Add(zr[g], zr[g]), zi[g]), ci[g]);
      zr[g] = hn::Add(hn::Sub(zr2[g], zi2[g]), cr[g]);
      zr2[g] = hn::Mul(zr[g], zr[g]);
      zi2[g] = hn::Mul(zi[g], zi[g]);
      norm[g] = hn::Add(zr2[g], zi2[g]);
      any_done |= !hn::AllFalse(d, hn::Or(hn::Gt(norm[g], threshold), hn::Le(began[g], out_of_iterations)));
    }
    if (HWY_LIKELY(!any_done)) {
      step += 1.0;
      continue;
    }
    // Some slot escaped or ran out: settle those in scalar code and refill them.
#pragma GCC unroll 4
    for (std::size_t g = 0; g < kGroups; ++g) {
      if (hn::AllFalse(d, hn::Or(hn::Gt(norm[g], threshold), hn::Le(began[g], out_of_iterations)))) continue;
      HWY_ALIGN double norm_of[HWY_MAX_BYTES / sizeof(double)];
      hn::Store(zr[g], d, zr_of + g * lanes);
      hn::Store(zi[g], d, zi_of + g * lanes);
      hn::Store(zr2[g], d, zr2_of + g * lanes);
      hn::Store(zi2[g], d, zi2_of + g * lanes);
      hn::Store(norm[g], d, norm_of);
      for (std::size_t lane = 0; lane < lanes; ++lane) {
        const std::size_t slot = g * lanes + lane;
        if (pixel_of[slot] < 0) continue;
        const double n = step - began_of[slot];
        const bool escaped = hypot ? escaped_hypot(zr_of[slot], zi_of[slot], norm_of[lane]) : norm_of[lane] > 4.0;
        if (escaped) finish(slot, static_cast<std::uint32_t>(n), true);
        else if (n + 1.0 >= max_iter) finish(slot, params.max_iter, false);
        else continue;  // near the circle but inside it: goes on
        if (next >= pixels) --busy;  // the slot is parked now
        if (!refill(slot, step + 1.0)) return std::nullopt;
      }
      zr[g] = hn::Load(d, zr_of + g * lanes);
      zi[g] = hn::Load(d, zi_of + g * lanes);
      zr2[g] = hn::Load(d, zr2_of + g * lanes);
      zi2[g] = hn::Load(d, zi2_of + g * lanes);
      cr[g] = hn::Load(d, cr_of + g * lanes);
      ci[g] = hn::Load(d, ci_of + g * lanes);
      began[g] = hn::Load(d, began_of + g * lanes);
    }
    step += 1.0;
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
