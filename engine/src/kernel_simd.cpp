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

// Blocks of neighbouring pixels iterate together until the last of them is done, finished
// lanes masked off. Neighbours on screen escape at similar steps, and this step is cheap (one
// compare per vector): a kernel that refilled each finished lane with the next pixel at once
// lost to it on nearly every view measured (README, The kernel). Tiles it cannot take go to the
// scalar kernel (simd_takes(), kernel_detail.hpp).

// How each target runs the block kernel: one choice per target, not a fork of the kernel.
//   groups  vectors in flight. A step is a chain of dependent operations (square, subtract, add:
//           about a dozen cycles), which leaves the pipelines idle when one vector runs alone;
//           independent vectors fill them. Between steps a vector keeps only its z in registers
//           (c and the escape bound are read from memory), so four fit AVX2's and SSE's sixteen
//           registers without spilling, and AVX-512's thirty-two hold more.
//   rows    the rows of the screen a block spans, its groups spread evenly over them: the more
//           compact the patch, the closer its pixels' escape steps, and the fewer lanes idle.
struct Shape {
  std::size_t groups;
  std::size_t rows;
};
// Measured (README, The kernel): 4 groups over 4 rows won on AVX-512, AVX2 and SSE4 alike.
constexpr Shape kShape{4, 4};

// What both block kernels do to start a group: its c, the lanes the shortcuts decide, z1.

// Group g's c: the `lanes` pixels of a row from `first` (columns from the block's start that lie
// in the tile: past its edge the last column repeats), kept in `slot` for the step to read.
template <class D>
HWY_INLINE hn::Vec<D> LoadRe(D d, const double* re, std::size_t first, std::size_t columns, double* slot) {
  const std::size_t lanes = hn::Lanes(d);
  if (first + lanes <= columns) {
    hn::Store(hn::LoadU(d, re + first), d, slot);
  } else {
    for (std::size_t i = 0; i < lanes; ++i) slot[i] = re[std::min(first + i, columns - 1)];
  }
  return hn::Load(d, slot);
}

// inside_main_bulbs(), operation for operation.
template <class D>
HWY_INLINE hn::Mask<D> InsideMainBulbs(D d, hn::Vec<D> cr, hn::Vec<D> ci) {
  const auto x = hn::Sub(cr, hn::Set(d, 0.25));
  const auto y2 = hn::Mul(ci, ci);
  const auto q = hn::Add(hn::Mul(x, x), y2);
  const auto cardioid =
      hn::Lt(hn::Mul(q, hn::Add(q, x)), hn::Sub(hn::Mul(hn::Set(d, 0.25), y2), hn::Set(d, kBulbMargin)));
  const auto dx = hn::Add(cr, hn::Set(d, 1.0));
  return hn::Or(cardioid, hn::Lt(hn::Add(hn::Mul(dx, dx), y2), hn::Set(d, kBulbRadius2)));
}

// z1, by the step without its test (the scalar kernel tests z1 first, not z0).
template <class D, class V = hn::Vec<D>>
HWY_INLINE void FirstStep(D d, Start start, V cr, V ci, V& zr, V& zi) {
  const V zr0 = start == Start::c ? cr : hn::Zero(d), zi0 = start == Start::c ? ci : hn::Zero(d);
  const V zr2 = hn::Mul(zr0, zr0), zi2 = hn::Mul(zi0, zi0);
  zi = hn::Add(hn::Mul(hn::Add(zr0, zr0), zi0), ci);
  zr = hn::Add(hn::Sub(zr2, zi2), cr);
}

// Cycle detection in the block kernel starts here: below it the checks cost the short workloads
// (the seed's 20 iterations, the Benchmarks Game's 50) a tenth of their time and catch nothing.
constexpr std::uint64_t kFirstBlockCycleSave = 64;

// `hypot`: the seed's escape test (exact near the circle); `smooth`: whether the escaping z is
// kept for the smooth value.
template <bool hypot, bool smooth>
std::optional<std::uint64_t> TileBlocks(const Job& job, const Tile& tile, const Canvas& canvas,
                                        const std::function<bool()>* stopped) {
  constexpr std::size_t kGroups = kShape.groups, kRows = kShape.rows, kPerRow = kGroups / kRows;
  static_assert(kGroups % kRows == 0, "a block's groups fill its rows evenly");
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  using M = hn::Mask<decltype(d)>;
  const std::size_t lanes = hn::Lanes(d);
  const int block_width = static_cast<int>(kPerRow * lanes);
  constexpr std::size_t kMaxSlots = kGroups * HWY_MAX_BYTES / sizeof(double);
  // A block's state outside z, group after group: what the step reads (c, each lane's bound) and
  // what only the rare steps where a lane passed its bound touch.
  HWY_ALIGN double cr_of[kMaxSlots], ci_of[kMaxSlots], bound_of[kMaxSlots], count_of[kMaxSlots],
      esc_zr_of[kMaxSlots], esc_zi_of[kMaxSlots], sr_of[kMaxSlots], si_of[kMaxSlots];  // sr, si: cycle detection's z
  // Hypot mode: each step's z before the step, for the lanes within a hair of the circle.
  HWY_ALIGN double last_zr_of[kMaxSlots], last_zi_of[kMaxSlots], norm_of[kMaxSlots], flag_of[kMaxSlots];
  const auto at = [lanes](double* of, std::size_t g) { return of + g * lanes; };

  const KernelParams& params = job.params;
  const std::uint32_t max_iter = params.max_iter;
  const V zero = hn::Zero(d), max_count = hn::Set(d, max_iter);
  const V high = hn::Set(d, hypot ? 4.0 * (1.0 + kHypotMargin) : 4.0);  // above: escaped for sure
  const V low = hn::Set(d, 4.0 * (1.0 - kHypotMargin));                 // hypot mode: between, ask hypot
  // A lane's bound: above it the lane may have escaped. Lanes that are done get +inf, which
  // nothing exceeds, so the step's test needs no mask.
  const V limit = hypot ? low : high, never = hn::Set(d, std::numeric_limits<double>::infinity());
  std::uint64_t iterations = 0;

  for (int y0 = tile.y; y0 < tile.y + tile.height; y0 += static_cast<int>(kRows)) {
    if (stopped && (*stopped)()) return std::nullopt;
    const std::size_t rows = std::min<std::size_t>(kRows, static_cast<std::size_t>(tile.y + tile.height - y0));
    for (int x0 = tile.x; x0 < tile.x + tile.width; x0 += block_width) {
      const std::size_t columns = static_cast<std::size_t>(std::min(block_width, tile.x + tile.width - x0));
      // A whole block without smooth values goes out as vectors; the rest lane by lane.
      const bool whole = rows == kRows && columns == static_cast<std::size_t>(block_width) && !smooth;
      V zr[kGroups], zi[kGroups];
      bool any_active = false;
#pragma GCC unroll 8
      for (std::size_t g = 0; g < kGroups; ++g) {
        // Pixels past the tile's edge repeat its last column or row, masked off.
        const std::size_t row = g / kPerRow, first = (g % kPerRow) * lanes;
        const V cr = LoadRe(d, job.grid.re.data() + x0, first, columns, at(cr_of, g));
        const V ci = hn::Set(d, job.grid.im[y0 + static_cast<int>(std::min(row, rows - 1))]);
        hn::Store(ci, d, at(ci_of, g));
        M active = hn::FirstN(d, row < rows && first < columns ? columns - first : 0);
        if (params.shortcuts) active = hn::AndNot(InsideMainBulbs(d, cr, ci), active);
        hn::Store(hn::IfThenElse(active, limit, never), d, at(bound_of, g));
        hn::Store(max_count, d, at(count_of, g));
        if constexpr (smooth) {
          hn::Store(zero, d, at(esc_zr_of, g));
          hn::Store(zero, d, at(esc_zi_of, g));
        }
        hn::Store(hn::Set(d, std::numeric_limits<double>::quiet_NaN()), d, at(sr_of, g));  // equals nothing
        hn::Store(hn::Set(d, std::numeric_limits<double>::quiet_NaN()), d, at(si_of, g));
        FirstStep(d, params.start, cr, ci, zr[g], zi[g]);
        any_active = any_active || !hn::AllFalse(d, active);
      }
      // Step n tests z_n against each lane's bound and goes on to z_n+1: the squares it tests
      // are the ones the next z needs, so z is all a vector keeps between steps. Counts and
      // bounds change only at steps where some lane passed its bound (once per lane at most);
      // a lane that is done keeps iterating (to inf or NaN, which pass no bound). With someone
      // to ask, the block pauses every kStopCheckIterations steps to ask whether to go on.
      std::uint32_t n = 1;
      std::uint64_t next_save = kFirstBlockCycleSave;  // the step at which z is saved next
      for (;;) {
        // n <= max_iter <= kMaxIterationsLimit: the sum cannot wrap.
        const std::uint32_t last = stopped ? std::min(max_iter, n + kStopCheckIterations - 1) : max_iter;
        for (; any_active && n <= last; ++n) {
          M passed[kGroups];
#pragma GCC unroll 8
          for (std::size_t g = 0; g < kGroups; ++g) {
            const V zr2 = hn::Mul(zr[g], zr[g]), zi2 = hn::Mul(zi[g], zi[g]);
            if constexpr (hypot) {
              hn::Store(zr[g], d, at(last_zr_of, g));
              hn::Store(zi[g], d, at(last_zi_of, g));
            }
            passed[g] = hn::Gt(hn::Add(zr2, zi2), hn::Load(d, at(bound_of, g)));
            zi[g] = hn::Add(hn::Mul(hn::Add(zr[g], zr[g]), zi[g]), hn::Load(d, at(ci_of, g)));
            zr[g] = hn::Add(hn::Sub(zr2, zi2), hn::Load(d, at(cr_of, g)));
          }
          M any_passed = passed[0];
#pragma GCC unroll 8
          for (std::size_t g = 1; g < kGroups; ++g) any_passed = hn::Or(any_passed, passed[g]);
          if (HWY_UNLIKELY(!hn::AllFalse(d, any_passed))) {
            // The lanes that passed escaped at z_n (count n - 1); z now holds z_n+1, the first
            // of the smoothing steps.
            const V count = hn::Set(d, n - 1);
            any_active = false;
#pragma GCC unroll 8
            for (std::size_t g = 0; g < kGroups; ++g) {
              M escaped = passed[g];
              if constexpr (hypot) {
                // Past `low`; past `high` for sure, and in between hypot decides, lane by lane,
                // as in the scalar kernel.
                const V last_zr = hn::Load(d, at(last_zr_of, g)), last_zi = hn::Load(d, at(last_zi_of, g));
                const V norm = hn::Add(hn::Mul(last_zr, last_zr), hn::Mul(last_zi, last_zi));
                const M unsure = hn::AndNot(hn::Gt(norm, high), escaped);
                escaped = hn::And(escaped, hn::Gt(norm, high));
                if (HWY_UNLIKELY(!hn::AllFalse(d, unsure))) {
                  hn::Store(norm, d, norm_of);
                  hn::Store(hn::IfThenElseZero(unsure, hn::Set(d, 1.0)), d, flag_of);
                  for (std::size_t lane = 0; lane < lanes; ++lane)
                    flag_of[lane] = flag_of[lane] != 0.0 &&
                                    escaped_hypot(at(last_zr_of, g)[lane], at(last_zi_of, g)[lane], norm_of[lane]);
                  escaped = hn::Or(escaped, hn::Ne(hn::Load(d, flag_of), zero));
                }
              }
              hn::Store(hn::IfThenElse(escaped, count, hn::Load(d, at(count_of, g))), d, at(count_of, g));
              if constexpr (smooth) {
                hn::Store(hn::IfThenElse(escaped, zr[g], hn::Load(d, at(esc_zr_of, g))), d, at(esc_zr_of, g));
                hn::Store(hn::IfThenElse(escaped, zi[g], hn::Load(d, at(esc_zi_of, g))), d, at(esc_zi_of, g));
              }
              const V bound = hn::IfThenElse(escaped, never, hn::Load(d, at(bound_of, g)));
              hn::Store(bound, d, at(bound_of, g));
              any_active = any_active || !hn::AllFalse(d, hn::Lt(bound, never));
            }
          }
          // With shortcuts, cycle detection, every eighth step: a lane whose z equals, bit for bit,
          // the z saved earlier is periodic and never escapes (its count stays max_iter). All lanes
          // of a block share their step, so they share Brent's doubling save points too.
          const std::uint64_t next = n + 1ULL;  // the step z is at now
          if (!params.shortcuts || (next & 7) != 0 || next < kFirstBlockCycleSave || !any_active) continue;
          any_active = false;
#pragma GCC unroll 8
          for (std::size_t g = 0; g < kGroups; ++g) {
            const M cycled = hn::And(hn::Eq(zr[g], hn::Load(d, at(sr_of, g))), hn::Eq(zi[g], hn::Load(d, at(si_of, g))));
            const V bound = hn::IfThenElse(cycled, never, hn::Load(d, at(bound_of, g)));
            hn::Store(bound, d, at(bound_of, g));
            any_active = any_active || !hn::AllFalse(d, hn::Lt(bound, never));
          }
          if (next < next_save) continue;
          next_save *= 2;
#pragma GCC unroll 8
          for (std::size_t g = 0; g < kGroups; ++g) {
            hn::Store(zr[g], d, at(sr_of, g));
            hn::Store(zi[g], d, at(si_of, g));
          }
        }
        if (!any_active || n > max_iter) break;
        if ((*stopped)()) return std::nullopt;
      }
      if (whole) {
        const hn::Rebind<std::int32_t, decltype(d)> di;
        V work = zero;
#pragma GCC unroll 8
        for (std::size_t g = 0; g < kGroups; ++g) {
          const std::size_t row = g / kPerRow, first = (g % kPerRow) * lanes;
          std::uint32_t* const counts = canvas.counts + static_cast<std::size_t>(y0 + row) * canvas.width + x0 + first;
          const V count = hn::Load(d, at(count_of, g));
          // Counts are at most kMaxIterationsLimit (1e9, render_tile checks): exact as int32.
          hn::StoreU(hn::DemoteTo(di, count), di, reinterpret_cast<std::int32_t*>(counts));
          work = hn::Add(work, hn::IfThenElse(hn::Eq(count, max_count), max_count, hn::Add(count, hn::Set(d, 1.0))));
        }
        iterations += static_cast<std::uint64_t>(hn::GetLane(hn::SumOfLanes(d, work)));  // work_of(), summed
        continue;
      }
      for (std::size_t g = 0; g < kGroups; ++g) {
        const std::size_t row = g / kPerRow, first = (g % kPerRow) * lanes;
        if (row >= rows || first >= columns) continue;
        const std::size_t pixel = static_cast<std::size_t>(y0 + row) * canvas.width + x0 + first;
        for (std::size_t i = 0; i < std::min(lanes, columns - first); ++i) {
          const auto value = static_cast<std::uint32_t>(at(count_of, g)[i]);
          canvas.counts[pixel + i] = value;
          if constexpr (smooth)
            canvas.smooth[pixel + i] = value == max_iter ? kInside
                                                         : smooth_value(value, at(esc_zr_of, g)[i], at(esc_zi_of, g)[i],
                                                                        at(cr_of, g)[i], at(ci_of, g)[i], 1);
          iterations += work_of(value, max_iter);
        }
      }
    }
  }
  return iterations;
}

// Membership only (KernelParams::membership, for PBM bitmaps): whether a point's z stays within
// |z| <= 2 for max_iter iterations, not when it left. A step keeps each lane's largest norm so far
// (one Max where the counting kernel compares and merges masks), and every kMemberCheck steps the
// block stops once every lane is past 4 or proved periodic (checking every 4 steps ran the fewest
// instructions on the Benchmarks Game's image; 2 and 8 ran more). The answer is `largest <= 4`: an
// escaped orbit only grows, overflows to inf and then to NaN, which that test also rejects, and no
// NaN comes before a norm past 4 (a NaN needs an infinite square first, whose norm is inf) nor
// leaves once there. So it is bit for bit the counting kernel's `count == max_iter`.
constexpr std::uint32_t kMemberCheck = 4;

std::optional<std::uint64_t> TileMembers(const Job& job, const Tile& tile, const Canvas& canvas,
                                         const std::function<bool()>* stopped) {
  constexpr std::size_t kGroups = kShape.groups, kRows = kShape.rows, kPerRow = kGroups / kRows;
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  using M = hn::Mask<decltype(d)>;
  const std::size_t lanes = hn::Lanes(d);
  const int block_width = static_cast<int>(kPerRow * lanes);
  constexpr std::size_t kMaxSlots = kGroups * HWY_MAX_BYTES / sizeof(double);
  // Per group, lane after lane: c, the lanes still to decide (all ones) and cycle detection's z.
  HWY_ALIGN double cr_of[kMaxSlots], ci_of[kMaxSlots], open_of[kMaxSlots], sr_of[kMaxSlots], si_of[kMaxSlots];
  const auto at = [lanes](double* of, std::size_t g) { return of + g * lanes; };

  const KernelParams& params = job.params;
  const std::uint32_t max_iter = params.max_iter;
  const V zero = hn::Zero(d), four = hn::Set(d, 4.0);
  std::uint64_t iterations = 0;

  for (int y0 = tile.y; y0 < tile.y + tile.height; y0 += static_cast<int>(kRows)) {
    if (stopped && (*stopped)()) return std::nullopt;
    const std::size_t rows = std::min<std::size_t>(kRows, static_cast<std::size_t>(tile.y + tile.height - y0));
    for (int x0 = tile.x; x0 < tile.x + tile.width; x0 += block_width) {
      const std::size_t columns = static_cast<std::size_t>(std::min(block_width, tile.x + tile.width - x0));
      V zr[kGroups], zi[kGroups], largest[kGroups];
      M member[kGroups];  // decided members: the main cardioid and bulb
      bool any_open = false;
      std::size_t valid = 0;
#pragma GCC unroll 8
      for (std::size_t g = 0; g < kGroups; ++g) {
        // Pixels past the tile's edge repeat its last column or row, and are decided at once.
        const std::size_t row = g / kPerRow, first = (g % kPerRow) * lanes;
        const V cr = LoadRe(d, job.grid.re.data() + x0, first, columns, at(cr_of, g));
        const V ci = hn::Set(d, job.grid.im[y0 + static_cast<int>(std::min(row, rows - 1))]);
        hn::Store(ci, d, at(ci_of, g));
        const std::size_t in_row = row < rows && first < columns ? std::min(lanes, columns - first) : 0;
        valid += in_row;
        M open = hn::FirstN(d, max_iter > 0 ? in_row : 0);
        member[g] = hn::FirstN(d, 0);
        if (params.shortcuts) {
          member[g] = hn::And(InsideMainBulbs(d, cr, ci), open);
          open = hn::AndNot(member[g], open);
        }
        hn::Store(hn::VecFromMask(d, open), d, at(open_of, g));
        hn::Store(hn::Set(d, std::numeric_limits<double>::quiet_NaN()), d, at(sr_of, g));  // equals nothing
        hn::Store(hn::Set(d, std::numeric_limits<double>::quiet_NaN()), d, at(si_of, g));
        FirstStep(d, params.start, cr, ci, zr[g], zi[g]);
        largest[g] = zero;
        any_open = any_open || !hn::AllFalse(d, open);
      }
      // Step n takes z_n's norm and goes on to z_n+1; every kMemberCheck steps the block looks
      // at which lanes are decided, and asks whether to go on every kStopCheckIterations.
      std::uint32_t n = 1, asked = 0;
      std::uint64_t next_save = kFirstBlockCycleSave;  // the iterate saved next (Brent's doubling)
      while (any_open && n <= max_iter) {
        const std::uint32_t last = std::min(max_iter, n + kMemberCheck - 1);
        for (; n <= last; ++n) {
#pragma GCC unroll 8
          for (std::size_t g = 0; g < kGroups; ++g) {
            const V zr2 = hn::Mul(zr[g], zr[g]), zi2 = hn::Mul(zi[g], zi[g]);
            largest[g] = hn::Max(largest[g], hn::Add(zr2, zi2));
            zi[g] = hn::Add(hn::Mul(hn::Add(zr[g], zr[g]), zi[g]), hn::Load(d, at(ci_of, g)));
            zr[g] = hn::Add(hn::Sub(zr2, zi2), hn::Load(d, at(cr_of, g)));
          }
        }
        // Decided: past 4 (or NaN), or, with shortcuts, back at a z saved earlier, bit for bit
        // (periodic, so a member: its largest norm stays what it is).
        const std::uint64_t iterate = n;  // the z the groups hold now
        const bool cycles = params.shortcuts && iterate >= kFirstBlockCycleSave;
        any_open = false;
#pragma GCC unroll 8
        for (std::size_t g = 0; g < kGroups; ++g) {
          M open = hn::And(hn::Le(largest[g], four), hn::MaskFromVec(hn::Load(d, at(open_of, g))));
          if (cycles)
            open = hn::AndNot(hn::And(hn::Eq(zr[g], hn::Load(d, at(sr_of, g))), hn::Eq(zi[g], hn::Load(d, at(si_of, g)))),
                              open);
          hn::Store(hn::VecFromMask(d, open), d, at(open_of, g));
          any_open = any_open || !hn::AllFalse(d, open);
        }
        if (cycles && iterate >= next_save) {
          next_save *= 2;
#pragma GCC unroll 8
          for (std::size_t g = 0; g < kGroups; ++g) {
            hn::Store(zr[g], d, at(sr_of, g));
            hn::Store(zi[g], d, at(si_of, g));
          }
        }
        asked += kMemberCheck;
        if (stopped && asked >= kStopCheckIterations && any_open && n <= max_iter) {
          asked = 0;
          if ((*stopped)()) return std::nullopt;
        }
      }
      iterations += static_cast<std::uint64_t>(n - 1) * valid;  // the steps run, not the escape counts
      const hn::Rebind<std::int32_t, decltype(d)> di;
#pragma GCC unroll 8
      for (std::size_t g = 0; g < kGroups; ++g) {
        const std::size_t row = g / kPerRow, first = (g % kPerRow) * lanes;
        if (row >= rows || first >= columns) continue;
        const V value = hn::IfThenElseZero(hn::Or(member[g], hn::Le(largest[g], four)), hn::Set(d, max_iter));
        std::uint32_t* const counts = canvas.counts + static_cast<std::size_t>(y0 + row) * canvas.width + x0 + first;
        if (first + lanes <= columns) {
          // max_iter is at most kMaxIterationsLimit (1e9, render_tile checks): exact as int32.
          hn::StoreU(hn::DemoteTo(di, value), di, reinterpret_cast<std::int32_t*>(counts));
          continue;
        }
        HWY_ALIGN double out[HWY_MAX_BYTES / sizeof(double)];
        hn::Store(value, d, out);
        for (std::size_t i = 0; i < columns - first; ++i) counts[i] = static_cast<std::uint32_t>(out[i]);
      }
    }
  }
  return iterations;
}

std::optional<std::uint64_t> TileKernel(const Job& job, const Tile& tile, const Canvas& canvas,
                                        const std::function<bool()>* stopped) {
  const bool smooth = canvas.smooth != nullptr;
  // Membership decides by the norm: hypot mode (the seed's test, which differs in the last bit) counts.
  if (job.params.membership && !smooth && job.params.escape == Escape::norm)
    return TileMembers(job, tile, canvas, stopped);
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
