// The limit benchmark: independent chains of the kernel's own step (the same multiplies, adds
// and one compare, no fused multiply-add, no escapes, no masks, no counts), on vectors of the
// SIMD target in use. Nothing that computes escape counts this way can beat it on this CPU, so
// the microbenchmarks report each kernel's speed as a share of it.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "limit_simd.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>

#include "limit.hpp"

HWY_BEFORE_NAMESPACE();
namespace parafrac_bench {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// `steps` steps of `kChains` vectors of points inside the main cardioid (they converge to its
// fixed point, so nothing escapes and no value turns subnormal); returns the lane-steps done.
template <std::size_t kChains>
std::uint64_t Chains(std::uint64_t steps) {
  const hn::ScalableTag<double> d;
  using V = hn::Vec<decltype(d)>;
  const V ci = hn::Set(d, 0.1), bound = hn::Set(d, 4.0);
  V cr[kChains], zr[kChains], zi[kChains];
  for (std::size_t k = 0; k < kChains; ++k) {
    cr[k] = hn::Set(d, -0.2 + 0.01 * static_cast<double>(k));
    zr[k] = zi[k] = hn::Zero(d);
  }
  auto passed = hn::FirstN(d, 0);
  for (std::uint64_t n = 0; n < steps; ++n) {
#pragma GCC unroll 16
    for (std::size_t k = 0; k < kChains; ++k) {
      // The kernel's step: test z, then go on to the next z with the squares the test took.
      const V zr2 = hn::Mul(zr[k], zr[k]), zi2 = hn::Mul(zi[k], zi[k]);
      passed = hn::Or(passed, hn::Gt(hn::Add(zr2, zi2), bound));
      zi[k] = hn::Add(hn::Mul(hn::Add(zr[k], zr[k]), zi[k]), ci);
      zr[k] = hn::Add(hn::Sub(zr2, zi2), cr[k]);
    }
  }
  if (!hn::AllFalse(d, passed)) throw std::logic_error("a limit chain escaped");
  return steps * kChains * hn::Lanes(d);
}

// The best rate over 1 to 12 chains: too few leave the pipelines waiting on each step's chain of
// dependent operations, too many run out of registers.
Limit Best(double seconds) {
  struct Run {
    int chains;
    std::uint64_t (*steps)(std::uint64_t);
  };
  constexpr Run kRuns[] = {{1, Chains<1>}, {2, Chains<2>}, {3, Chains<3>},   {4, Chains<4>},   {5, Chains<5>},
                           {6, Chains<6>}, {7, Chains<7>}, {8, Chains<8>}, {10, Chains<10>}, {12, Chains<12>}};
  Limit best{};
  for (const Run& run : kRuns) {
    run.steps(1000);  // warm up
    const auto start = std::chrono::steady_clock::now();
    std::uint64_t done = 0;
    double elapsed = 0.0;
    while (elapsed < seconds) {
      done += run.steps(100'000);
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    const double rate = static_cast<double>(done) / elapsed;
    if (rate > best.rate) best = {rate, run.chains};
  }
  return best;
}

}  // namespace HWY_NAMESPACE
}  // namespace parafrac_bench
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace parafrac_bench {
HWY_EXPORT(Best);

Limit limit_rate(double seconds) { return HWY_DYNAMIC_DISPATCH(Best)(seconds); }

}  // namespace parafrac_bench
#endif
