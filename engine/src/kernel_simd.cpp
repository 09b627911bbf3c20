// The escape-time kernel on Highway vectors, compiled once per x86 target and chosen at run time
// for the CPU at hand (HWY_DYNAMIC_DISPATCH): no #ifdef per instruction set here.
//
// Same arithmetic, same order as escape_time() in kernel.cpp, so every count and smooth value
// is bit for bit the scalar kernel's (the engine is built with -ffp-contract=off: no fused
// multiply-add).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernel_simd.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include <strings.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "kernel_detail.hpp"
#include "parafrac/error.hpp"

HWY_BEFORE_NAMESPACE();
namespace parafrac::detail {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Blocks of 32 neighbouring pixels of a row iterate together until the last of them is done,
// finished lanes masked off, nothing leaving the registers. Neighbours on screen escape at
// similar steps, and this step is cheap (one compare per vector): a kernel that refilled each
// finished lane with the next pixel at once lost to it on nearly every view measured (README,
// The kernel). Tiles it cannot take go to the scalar kernel (simd_takes(), kernel_detail.hpp).

// Cycle detection in the block kernel starts here: below it the checks cost the short workloads
// (the seed's 20 iterations, the Benchmarks Game's 50) a tenth of their time and catch nothing.
constexpr std::uint64_t kFirstBlockCycleSave = 64;

// `hypot`: the seed's escape test (exact near the circle); `smooth`: whether the escaping z is
// kept for the smooth value.
template <bool hypot, bool smooth>
std::optional<std::uint64_t> TileBlocks(const Job& job, const Tile& tile, const Canvas& canvas,
                                        const std::function<bool()>* stopped) {
  // Independent vectors in flight: a step is a chain of dependent multiplies and adds, which
  // leaves the pipes idle between its links when one vector runs alone.
  constexpr std::size_t kGroups = 4;
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  using M = hn::Mask<decltype(d)>;
  const std::size_t lanes = hn::Lanes(d);
  const std::size_t block = kGroups * lanes;
  constexpr std::size_t kMaxSlots = kGroups * HWY_MAX_BYTES / sizeof(double);
  HWY_ALIGN double cr_of[kMaxSlots], count_of[kMaxSlots], zr_of[kMaxSlots], zi_of[kMaxSlots], norm_of[kMaxSlots],
      flag_of[kMaxSlots], sr_of[kMaxSlots], si_of[kMaxSlots];  // sr, si: the z cycle detection saved

  const KernelParams& params = job.params;
  const V zero = hn::Zero(d), max_count = hn::Set(d, params.max_iter);
  const V high = hn::Set(d, hypot ? 4.0 * (1.0 + kHypotMargin) : 4.0);  // above: escaped for sure
  const V low = hn::Set(d, 4.0 * (1.0 - kHypotMargin));                 // hypot mode: between, ask hypot
  // A lane's limit: above it the lane may have escaped. Lanes that are done get +inf, which
  // nothing exceeds, so the fast test needs no mask.
  const V limit = hypot ? low : high, never = hn::Set(d, std::numeric_limits<double>::infinity());
  std::uint64_t iterations = 0;

  for (int y = tile.y; y < tile.y + tile.height; ++y) {
    if (stopped && (*stopped)()) return std::nullopt;
    const double im = job.grid.im[y];
    const V ci = hn::Set(d, im);
    for (int x0 = tile.x; x0 < tile.x + tile.width; x0 += static_cast<int>(block)) {
      const std::size_t valid = std::min<std::size_t>(block, static_cast<std::size_t>(tile.x + tile.width - x0));
      // A whole block without smooth values goes in and out as vectors; the rest lane by lane.
      const bool whole = valid == block && !smooth;
      if (!whole)
        for (std::size_t i = 0; i < block; ++i) cr_of[i] = job.grid.re[x0 + std::min(i, valid - 1)];
      V cr[kGroups], zr[kGroups], zi[kGroups], zr2[kGroups], zi2[kGroups], count[kGroups], esc_zr[kGroups],
          esc_zi[kGroups], bound[kGroups];
      M active[kGroups];
      bool any_active = false;
      std::uint64_t next_save = kFirstBlockCycleSave;  // the step count at which z is saved next
#pragma GCC unroll 4
      for (std::size_t g = 0; g < kGroups; ++g) {
        hn::Store(hn::Set(d, std::numeric_limits<double>::quiet_NaN()), d, sr_of + g * lanes);  // equals nothing
        hn::Store(hn::Set(d, std::numeric_limits<double>::quiet_NaN()), d, si_of + g * lanes);
        cr[g] = whole ? hn::LoadU(d, job.grid.re.data() + x0 + g * lanes) : hn::Load(d, cr_of + g * lanes);
        zr[g] = params.start == Start::c ? cr[g] : zero;
        zi[g] = params.start == Start::c ? ci : zero;
        zr2[g] = hn::Mul(zr[g], zr[g]);
        zi2[g] = hn::Mul(zi[g], zi[g]);
        count[g] = max_count;
        if constexpr (smooth) esc_zr[g] = esc_zi[g] = zero;
        const std::size_t first = g * lanes;
        active[g] = hn::FirstN(d, valid > first ? valid - first : 0);
        if (params.shortcuts) {
          // inside_main_bulbs(), operation for operation.
          const V x = hn::Sub(cr[g], hn::Set(d, 0.25));
          const V y2 = hn::Mul(ci, ci);
          const V q = hn::Add(hn::Mul(x, x), y2);
          const auto cardioid =
              hn::Lt(hn::Mul(q, hn::Add(q, x)), hn::Sub(hn::Mul(hn::Set(d, 0.25), y2), hn::Set(d, kBulbMargin)));
          const V dx = hn::Add(cr[g], hn::Set(d, 1.0));
          const auto bulb = hn::Lt(hn::Add(hn::Mul(dx, dx), y2), hn::Set(d, kBulbRadius2));
          active[g] = hn::AndNot(hn::Or(cardioid, bulb), active[g]);
        }
        bound[g] = hn::IfThenElse(active[g], limit, never);
        any_active = any_active || !hn::AllFalse(d, active[g]);
      }
      // Counts and masks change only at steps where some lane passed its bound (once per lane
      // at most), so a step is the arithmetic and one compare per group, and the rest waits for
      // such a step. A lane that is done keeps iterating (to inf or NaN, which pass no bound).
      // With someone to ask, the block pauses every kStopCheckIterations steps to ask whether to go
      // on: the loop below runs a stretch that long, so asking costs nothing per step.
      std::uint32_t n = 0;
      for (;;) {
        // n < max_iter <= kMaxIterationsLimit: the sum cannot wrap.
        const std::uint32_t until = stopped ? std::min(params.max_iter, n + kStopCheckIterations) : params.max_iter;
        for (; any_active && n < until; ++n) {
          auto passed = hn::FirstN(d, 0);
#pragma GCC unroll 4
          for (std::size_t g = 0; g < kGroups; ++g) {
            zi[g] = hn::Add(hn::Mul(hn::Add(zr[g], zr[g]), zi[g]), ci);
            zr[g] = hn::Add(hn::Sub(zr2[g], zi2[g]), cr[g]);
            zr2[g] = hn::Mul(zr[g], zr[g]);
            zi2[g] = hn::Mul(zi[g], zi[g]);
            passed = hn::Or(passed, hn::Gt(hn::Add(zr2[g], zi2[g]), bound[g]));
          }
          if (HWY_UNLIKELY(!hn::AllFalse(d, passed))) {
            const V step = hn::Set(d, n);
            any_active = false;
#pragma GCC unroll 4
            for (std::size_t g = 0; g < kGroups; ++g) {
              // The norm again, the same double: keeping it from the step above costs a store per group.
              const V norm = hn::Add(zr2[g], zi2[g]);
              M escaped = hn::And(hn::Gt(norm, high), active[g]);
              if constexpr (hypot) {
                const M unsure = hn::AndNot(escaped, hn::And(hn::Gt(norm, low), active[g]));
                if (HWY_UNLIKELY(!hn::AllFalse(d, unsure))) {
                  // Within a hair of the circle: hypot decides, lane by lane, as in the scalar kernel.
                  hn::Store(zr[g], d, zr_of);
                  hn::Store(zi[g], d, zi_of);
                  hn::Store(norm, d, norm_of);
                  hn::Store(hn::IfThenElseZero(unsure, hn::Set(d, 1.0)), d, flag_of);
                  for (std::size_t lane = 0; lane < lanes; ++lane)
                    flag_of[lane] = flag_of[lane] != 0.0 && escaped_hypot(zr_of[lane], zi_of[lane], norm_of[lane]);
                  escaped = hn::Or(escaped, hn::Ne(hn::Load(d, flag_of), zero));
                }
              }
              count[g] = hn::IfThenElse(escaped, step, count[g]);
              if constexpr (smooth) {
                esc_zr[g] = hn::IfThenElse(escaped, zr[g], esc_zr[g]);
                esc_zi[g] = hn::IfThenElse(escaped, zi[g], esc_zi[g]);
              }
              active[g] = hn::AndNot(escaped, active[g]);
              bound[g] = hn::IfThenElse(active[g], limit, never);
              any_active = any_active || !hn::AllFalse(d, active[g]);
            }
          }
          // With shortcuts, cycle detection, every eighth step: a lane whose z equals, bit for bit,
          // the z saved earlier is periodic and never escapes (its count stays max_iter). All lanes
          // of a block share their step, so they share Brent's doubling save points too.
          if (!params.shortcuts || (n & 7) != 7 || n + 1 < kFirstBlockCycleSave || !any_active) continue;
          any_active = false;
#pragma GCC unroll 4
          for (std::size_t g = 0; g < kGroups; ++g) {
            const M cycled = hn::And(active[g], hn::And(hn::Eq(zr[g], hn::Load(d, sr_of + g * lanes)),
                                                        hn::Eq(zi[g], hn::Load(d, si_of + g * lanes))));
            active[g] = hn::AndNot(cycled, active[g]);
            bound[g] = hn::IfThenElse(active[g], limit, never);
            any_active = any_active || !hn::AllFalse(d, active[g]);
          }
          if (n + 1 < next_save) continue;
          next_save *= 2;
#pragma GCC unroll 4
          for (std::size_t g = 0; g < kGroups; ++g) {
            hn::Store(zr[g], d, sr_of + g * lanes);
            hn::Store(zi[g], d, si_of + g * lanes);
          }
        }
        if (!any_active || n == params.max_iter) break;
        if ((*stopped)()) return std::nullopt;
      }
      std::uint32_t* const counts = canvas.counts + static_cast<std::size_t>(y) * canvas.width + x0;
      if (whole) {
        const hn::Rebind<std::int32_t, decltype(d)> di;
        V work = zero;
#pragma GCC unroll 4
        for (std::size_t g = 0; g < kGroups; ++g) {
          // Counts are at most kMaxIterationsLimit (1e9, render_tile checks): exact as int32.
          hn::StoreU(hn::DemoteTo(di, count[g]), di, reinterpret_cast<std::int32_t*>(counts + g * lanes));
          work = hn::Add(work, hn::IfThenElse(hn::Eq(count[g], max_count), max_count, hn::Add(count[g], hn::Set(d, 1.0))));
        }
        iterations += static_cast<std::uint64_t>(hn::GetLane(hn::SumOfLanes(d, work)));  // work_of(), summed
        continue;
      }
#pragma GCC unroll 4
      for (std::size_t g = 0; g < kGroups; ++g) {
        hn::Store(count[g], d, count_of + g * lanes);
        if constexpr (smooth) {
          hn::Store(esc_zr[g], d, zr_of + g * lanes);
          hn::Store(esc_zi[g], d, zi_of + g * lanes);
        }
      }
      float* const smooth_out = smooth ? canvas.smooth + static_cast<std::size_t>(y) * canvas.width + x0 : nullptr;
      for (std::size_t i = 0; i < valid; ++i) {
        const auto value = static_cast<std::uint32_t>(count_of[i]);
        counts[i] = value;
        if constexpr (smooth)
          smooth_out[i] = value == params.max_iter ? kInside : smooth_value(value, zr_of[i], zi_of[i], cr_of[i], im);
        iterations += work_of(value, params.max_iter);
      }
    }
  }
  return iterations;
}

std::optional<std::uint64_t> TileKernel(const Job& job, const Tile& tile, const Canvas& canvas,
                                        const std::function<bool()>* stopped) {
  const bool smooth = canvas.smooth != nullptr;
  if (job.params.escape == Escape::hypot)
    return smooth ? TileBlocks<true, true>(job, tile, canvas, stopped) : TileBlocks<true, false>(job, tile, canvas, stopped);
  return smooth ? TileBlocks<false, true>(job, tile, canvas, stopped) : TileBlocks<false, false>(job, tile, canvas, stopped);
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

namespace {

// The targets this build has and this CPU runs, as bits (a lower bit is a better target), read
// before any cap could change what SupportedTargets() says.
const std::vector<std::int64_t>& real_targets() {
  static const std::vector<std::int64_t> targets = hwy::SupportedAndGeneratedTargets();
  return targets;
}

// PARAFRAC_SIMD_TARGET, once per process, before the first dispatch.
void cap_from_environment() {
  static const bool capped = [] {
    const char* name = std::getenv("PARAFRAC_SIMD_TARGET");
    if (name && *name) cap_simd_target(name);
    return true;
  }();
  (void)capped;
}

}  // namespace

std::optional<std::uint64_t> simd_tile(const Job& job, const Tile& tile, const Canvas& canvas,
                                       const std::function<bool()>& stopped) {
  cap_from_environment();
  return HWY_DYNAMIC_DISPATCH(TileKernel)(job, tile, canvas, stopped ? &stopped : nullptr);
}

std::string target_name() {
  cap_from_environment();
  return HWY_DYNAMIC_DISPATCH(TargetName)();
}

}  // namespace detail

std::string simd_target() { return detail::target_name(); }

std::vector<std::string> simd_targets() {
  std::vector<std::string> names;
  for (const std::int64_t target : detail::real_targets()) names.emplace_back(hwy::TargetName(target));
  return names;
}

void cap_simd_target(const std::string& name) {
  const std::vector<std::int64_t>& targets = detail::real_targets();
  std::int64_t allowed = 0;
  if (!name.empty()) {
    const auto same = [&](std::int64_t target) { return strcasecmp(hwy::TargetName(target), name.c_str()) == 0; };
    const auto cap = std::find_if(targets.begin(), targets.end(), same);
    if (cap == targets.end()) {
      std::string choices;
      for (const std::string& choice : simd_targets()) choices += (choices.empty() ? "" : ", ") + choice;
      throw Error("SIMD target '" + name + "' is not one this build has and this CPU runs (" + choices + ")");
    }
    for (const std::int64_t target : targets) allowed |= target >= *cap ? target : 0;  // the cap and below
  }
  hwy::SetSupportedTargetsForTest(allowed);  // 0 lifts the cap
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
}

}  // namespace parafrac
#endif
