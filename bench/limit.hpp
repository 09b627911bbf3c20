#pragma once
// The hardware's limit for the escape-time step (limit_simd.cpp).

namespace parafrac_bench {

struct Limit {
  double rate = 0.0;  // lane-iterations per second, one core
  int chains = 0;     // the number of independent vectors that reached it
};

// The best rate of independent chains of the kernel's step on the SIMD target the kernel uses
// now (cap_simd_target applies), each chain count timed for `seconds`.
Limit limit_rate(double seconds);

}  // namespace parafrac_bench
