// The escape-time kernel on Highway vectors, compiled once per x86 target and chosen at run time
// for the CPU at hand (HWY_DYNAMIC_DISPATCH): no #ifdef per instruction set here.
//
// Same arithmetic, same order as escape_time() in kernel.cpp, so every count and smooth value
// is bit for bit the scalar kernel's (the engine is built with -ffp-contract=off: no fused
// multiply-add). Two kernels: blocks of neighbouring pixels iterated together (TileBlocks, what
// runs), and lanes refilled with the next pixel as soon as theirs is done (TileLoop, the
// fallback for tiles with an enormous c). Several vectors are in flight in both (kGroups).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernel_simd.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include <cstring>
#include <limits>
#include <type_traits>

#include "kernel_detail.hpp"

HWY_BEFORE_NAMESPACE();
namespace parafrac::detail {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The SIMD kernel starts cycle detection later than the scalar one: most points escape within a
// few hundred iterations, and saving z for them costs a vector loop more than it saves.
constexpr double kFirstVectorCycleSave = 512;

// The refill kernel: each lane walks its own pixel; when its point escapes (or reaches max_iter)
// its result is written and the lane takes the tile's next pixel at once, so vectors stay full
// however unevenly points escape. Measured slower than the block kernel on nearly every view
// once the block kernel's step got cheaper; it takes the tiles that kernel cannot (kBlockMaxC).
// One instance per setting of the shortcuts, so the raw workload pays nothing for them.
template <bool shortcuts>
std::optional<std::uint64_t> TileLoop(const Job& job, const Tile& tile, const Canvas& canvas,
                                      const std::function<bool()>* stopped) {
  // Independent vectors in flight at once: one iteration is a chain of dependent multiplies and
  // adds, so a single vector leaves the pipes idle most of the time. Measured: 2 and 3 are
  // slower, 6 runs out of registers.
  constexpr std::size_t kGroups = 4;
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const std::size_t lanes = hn::Lanes(d);
  const std::size_t slots = kGroups * lanes;
  constexpr std::size_t kMaxSlots = kGroups * HWY_MAX_BYTES / sizeof(double);
  // Per slot (a lane of a group): z, c, and the iteration at which its pixel began.
  HWY_ALIGN double zr_of[kMaxSlots], zi_of[kMaxSlots], cr_of[kMaxSlots],
      ci_of[kMaxSlots], began_of[kMaxSlots], sr_of[kMaxSlots], si_of[kMaxSlots], save_of[kMaxSlots];
  // sr, si: the z cycle detection saved; save: the step at which it saves the next one.
  std::int64_t at_of[kMaxSlots];  // where in the canvas the slot's pixel goes, -1 when it has none

  const KernelParams& params = job.params;
  const bool hypot = params.escape == Escape::hypot;
  const double max_iter = params.max_iter;
  const double never = std::numeric_limits<double>::quiet_NaN();  // a saved z that equals nothing
  int next_x = tile.x, next_y = tile.y;  // the next pixel to hand to a slot (no division per pixel)
  std::uint64_t iterations = 0;
  // Iterations done by the loop so far; a slot's own count n is step - began (exact in a double).
  double step = 0.0;

  // Puts the tile's next pixel into `slot`, its first iteration being step `first`, or parks the
  // slot when none is left: a parked slot iterates c = 0 (z stays 0, never escapes) and "began"
  // so late that it never runs out. False when asked to stop.
  // Pixels inside the main cardioid or bulb (with shortcuts) are settled here and never take a slot.
  const auto refill = [&](std::size_t slot, double first) -> bool {
    for (;; ++next_x) {
      if (next_x == tile.x + tile.width) {
        next_x = tile.x;
        ++next_y;
      }
      if (next_y == tile.y + tile.height) {
        at_of[slot] = -1;
        zr_of[slot] = zi_of[slot] = cr_of[slot] = ci_of[slot] = 0.0;
        sr_of[slot] = si_of[slot] = never;
        began_of[slot] = save_of[slot] = 1e300;
        return true;
      }
      if (next_x == tile.x && stopped && (*stopped)()) return false;  // a new row
      if (!shortcuts || !inside_main_bulbs(job.grid.re[next_x], job.grid.im[next_y])) break;
      canvas.counts[static_cast<std::size_t>(next_y) * canvas.width + next_x] = params.max_iter;
      if (canvas.smooth) canvas.smooth[static_cast<std::size_t>(next_y) * canvas.width + next_x] = kInside;
      iterations += params.max_iter;
    }
    const int x = next_x++, y = next_y;
    at_of[slot] = static_cast<std::int64_t>(y) * canvas.width + x;
    sr_of[slot] = si_of[slot] = never;
    cr_of[slot] = job.grid.re[x];
    ci_of[slot] = job.grid.im[y];
    zr_of[slot] = params.start == Start::c ? cr_of[slot] : 0.0;
    zi_of[slot] = params.start == Start::c ? ci_of[slot] : 0.0;
    began_of[slot] = first;
    save_of[slot] = first + kFirstVectorCycleSave;
    return true;
  };
  const auto finish = [&](std::size_t slot, std::uint32_t count, bool escaped) {
    const auto at = static_cast<std::size_t>(at_of[slot]);
    canvas.counts[at] = count;
    if (canvas.smooth)
      canvas.smooth[at] = escaped ? smooth_value(count, zr_of[slot], zi_of[slot], cr_of[slot], ci_of[slot]) : kInside;
    iterations += work_of(count, params.max_iter);
  };

  for (std::size_t slot = 0; slot < slots; ++slot)
    if (!refill(slot, 0.0)) return std::nullopt;
  // The saved z and save times of cycle detection stay in memory (sr_of, si_of, save_of): they
  // are read every few steps only, and in registers they would crowd out the hot values.
  V zr[kGroups], zi[kGroups], zr2[kGroups], zi2[kGroups], cr[kGroups], ci[kGroups], began[kGroups];
  // Loading a group's vectors is written out twice, here and after settling: a shared lambda
  // made GCC 12 keep the vectors in memory (measured: 6.1 -> 5.2 G lane-iter/s inside the set).
#pragma GCC unroll 4
  for (std::size_t g = 0; g < kGroups; ++g) {
    zr[g] = hn::Load(d, zr_of + g * lanes);
    zi[g] = hn::Load(d, zi_of + g * lanes);
    zr2[g] = hn::Mul(zr[g], zr[g]);
    zi2[g] = hn::Mul(zi[g], zi[g]);
    cr[g] = hn::Load(d, cr_of + g * lanes);
    ci[g] = hn::Load(d, ci_of + g * lanes);
    began[g] = hn::Load(d, began_of + g * lanes);
  }
  // In hypot mode slots near the circle go to the scalar test, which decides exactly.
  const V threshold = hn::Set(d, hypot ? 4.0 * (1.0 - kHypotMargin) : 4.0);
  std::int64_t busy = 0;
  for (std::size_t slot = 0; slot < slots; ++slot) busy += at_of[slot] >= 0;
  // Which slots are done: escaped (or near the circle, in hypot mode), out of iterations, or,
  // with shortcuts, back at a saved z. The cycle test runs every eighth step only (a cycle of
  // length L shows again after 8L steps, so it is still caught) and compares zr alone (the
  // scalar code below checks zi too); `cycle` is a compile-time flag, so the other three steps
  // carry no trace of it.
  const auto done_in = [&](std::size_t g, V norm, V out_of_iterations, auto cycle) __attribute__((always_inline)) {
    // "not <=" rather than ">": a NaN norm (z overflowed) goes to the scalar test too, which
    // decides it as escape_time() does.
    auto done = hn::Or(hn::Not(hn::Le(norm, threshold)), hn::Le(began[g], out_of_iterations));
    if constexpr (decltype(cycle)::value) done = hn::Or(done, hn::Eq(zr[g], hn::Load(d, sr_of + g * lanes)));
    return done;
  };

  // Each slot saves its z when its own count doubles (Brent: the saved z catches up with any
  // cycle, however long its run-in), checked at the cycle-test steps.
  const auto save_due = [&](double now) {
    const V now_v = hn::Set(d, now);
#pragma GCC unroll 4
    for (std::size_t g = 0; g < kGroups; ++g) {
      const V save = hn::Load(d, save_of + g * lanes);
      const auto due = hn::Ge(now_v, save);
      if (HWY_LIKELY(hn::AllFalse(d, due))) continue;
      double* const sr_at = sr_of + g * lanes;
      double* const si_at = si_of + g * lanes;
      hn::Store(hn::IfThenElse(due, zr[g], hn::Load(d, sr_at)), d, sr_at);
      hn::Store(hn::IfThenElse(due, zi[g], hn::Load(d, si_at)), d, si_at);
      hn::Store(hn::IfThenElse(due, hn::Sub(hn::Add(now_v, now_v), began[g]), save), d, save_of + g * lanes);  // began + 2n
    }
  };

  // One step of every group: the scalar kernel's operations, zi' = (2·zr)·zi + ci (2·zr computed
  // as zr + zr, the same double), zr' = (zr² − zi²) + cr, and the squares of z' serve both the
  // escape test and the next step. A slot with n = step - began has run out when n reaches
  // max_iter - 1. Returns false when asked to stop.
  const auto advance = [&](auto cycle) __attribute__((always_inline)) -> bool {
    const V out_of_iterations = hn::Set(d, step - (max_iter - 1.0));
    V norm[kGroups];
    auto any_done = hn::FirstN(d, 0);
#pragma GCC unroll 4
    for (std::size_t g = 0; g < kGroups; ++g) {
      zi[g] = hn::Add(hn::Mul(hn::Add(zr[g], zr[g]), zi[g]), ci[g]);
      zr[g] = hn::Add(hn::Sub(zr2[g], zi2[g]), cr[g]);
      zr2[g] = hn::Mul(zr[g], zr[g]);
      zi2[g] = hn::Mul(zi[g], zi[g]);
      norm[g] = hn::Add(zr2[g], zi2[g]);
      any_done = hn::Or(any_done, done_in(g, norm[g], out_of_iterations, cycle));
    }
    if (HWY_LIKELY(hn::AllFalse(d, any_done))) return true;
    // Some slot escaped, ran out or may have cycled: settle those in scalar code, refill them.
    // Every group goes out to memory and back, flagged or not, and the flagged slots of all groups
    // are visited bit by bit: a branch per group or per lane would be one the CPU cannot predict.
    HWY_ALIGN double norm_of[kMaxSlots];
    static_assert(HWY_MAX_BYTES / sizeof(double) <= 16, "kGroups groups of flags must fit in 64 bits");
    std::uint64_t flagged = 0;
#pragma GCC unroll 4
    for (std::size_t g = 0; g < kGroups; ++g) {
      std::uint8_t done_bytes[8] = {};
      hn::StoreMaskBits(d, done_in(g, norm[g], out_of_iterations, cycle), done_bytes);
      std::uint64_t done_bits = 0;
      std::memcpy(&done_bits, done_bytes, sizeof done_bits);
      flagged |= done_bits << (g * lanes);
      hn::Store(zr[g], d, zr_of + g * lanes);
      hn::Store(zi[g], d, zi_of + g * lanes);
      hn::Store(norm[g], d, norm_of + g * lanes);
    }
    // Only the flagged slots can change; the rest go back into the vectors as they were.
    for (; flagged != 0; flagged &= flagged - 1) {
      const auto slot = static_cast<std::size_t>(__builtin_ctzll(flagged));
      if (at_of[slot] < 0) continue;
      const double n = step - began_of[slot];
      const bool escaped = hypot ? escaped_hypot(zr_of[slot], zi_of[slot], norm_of[slot]) : norm_of[slot] > 4.0;
      const bool cycled = shortcuts && zr_of[slot] == sr_of[slot] && zi_of[slot] == si_of[slot];
      if (escaped) finish(slot, static_cast<std::uint32_t>(n), true);
      else if (cycled || n + 1.0 >= max_iter) finish(slot, params.max_iter, false);
      else continue;  // near the circle but inside it, or only zr repeated: goes on
      if (!refill(slot, step + 1.0)) return false;
      if (at_of[slot] < 0) --busy;  // no pixel left for it: parked
    }
#pragma GCC unroll 4
    for (std::size_t g = 0; g < kGroups; ++g) {
      zr[g] = hn::Load(d, zr_of + g * lanes);
      zi[g] = hn::Load(d, zi_of + g * lanes);
      zr2[g] = hn::Mul(zr[g], zr[g]);  // the squares again, the same doubles: cheaper than memory
      zi2[g] = hn::Mul(zi[g], zi[g]);
      cr[g] = hn::Load(d, cr_of + g * lanes);
      ci[g] = hn::Load(d, ci_of + g * lanes);
      began[g] = hn::Load(d, began_of + g * lanes);
    }
    return true;
  };

  while (busy > 0) {
    if (shortcuts && (static_cast<std::uint64_t>(step) & 7) == 0) {
      if (!advance(std::true_type{})) return std::nullopt;
      save_due(step);
    } else if (!advance(std::false_type{})) {
      return std::nullopt;
    }
    step += 1.0;
  }
  return iterations;
}

// The block kernel: 32 neighbouring pixels of a row iterate together until the last of them is
// done, finished lanes masked off, nothing leaving the registers. Neighbours on screen escape at
// similar steps, and a step here is cheaper than in the refill kernel (no per-lane iteration
// limit, one compare), so it wins on nearly every view measured (README, The kernel); the
// refill kernel above is the fallback for tiles it cannot take (kBlockMaxC).

// The block kernel's fast test is "norm > limit", which a NaN norm fails. While |c| stays below
// this bound a lane that has not escaped has |z| <= 2 (plus a hair), so z² + c and its norm are
// finite and no NaN can reach the test; tiles with a larger c take the refill kernel.
constexpr double kBlockMaxC = 1e100;

// Cycle detection in the block kernel starts here: below it the checks cost the short workloads
// (the seed's 20 iterations, the Benchmarks Game's 50) a tenth of their time and catch nothing.
constexpr std::uint64_t kFirstBlockCycleSave = 64;

// `hypot`: the seed's escape test (exact near the circle); `smooth`: whether the escaping z is
// kept for the smooth value.
template <bool hypot, bool smooth>
std::optional<std::uint64_t> TileBlocks(const Job& job, const Tile& tile, const Canvas& canvas,
                                        const std::function<bool()>* stopped) {
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
      for (std::uint32_t n = 0; any_active && n < params.max_iter; ++n) {
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
      std::uint32_t* const counts = canvas.counts + static_cast<std::size_t>(y) * canvas.width + x0;
      if (whole) {
        const hn::Rebind<std::int32_t, decltype(d)> di;
        V work = zero;
#pragma GCC unroll 4
        for (std::size_t g = 0; g < kGroups; ++g) {
          // Counts are at most kMaxIterationsLimit (1e9) here: exact as int32.
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

// Whether every c of the tile is small enough for the block kernel (kBlockMaxC). Plain loops: a
// lambda here would be compiled without this target's attributes and called per value.
bool BlockSafe(const Job& job, const Tile& tile) {
  double largest = 0.0;
  for (int x = tile.x; x < tile.x + tile.width; ++x) largest = std::max(largest, std::abs(job.grid.re[x]));
  for (int y = tile.y; y < tile.y + tile.height; ++y) largest = std::max(largest, std::abs(job.grid.im[y]));
  return largest <= kBlockMaxC;
}

std::optional<std::uint64_t> TileKernel(const Job& job, const Tile& tile, const Canvas& canvas,
                                        const std::function<bool()>* stopped) {
  if (BlockSafe(job, tile)) {
    const bool smooth = canvas.smooth != nullptr;
    if (job.params.escape == Escape::hypot)
      return smooth ? TileBlocks<true, true>(job, tile, canvas, stopped) : TileBlocks<true, false>(job, tile, canvas, stopped);
    return smooth ? TileBlocks<false, true>(job, tile, canvas, stopped) : TileBlocks<false, false>(job, tile, canvas, stopped);
  }
  return job.params.shortcuts ? TileLoop<true>(job, tile, canvas, stopped) : TileLoop<false>(job, tile, canvas, stopped);
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
