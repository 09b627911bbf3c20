// Kernel micro-benchmarks (Google Benchmark): iterations (lane-iterations for SIMD) per second
// on one core, the scalar reference and the SIMD kernel on every target this build has and this
// CPU runs, on views from easy to all-inside, each SIMD figure also as a share of that target's
// limit (limit_simd.cpp: the kernel's step on independent chains, nothing to mask or count).
// Run by hand: build/bin/parafrac-microbench  (--benchmark_filter=Deep, =AVX2, ...)
#include <benchmark/benchmark.h>
#include <strings.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <string>

#include "limit.hpp"
#include "parafrac/frame.hpp"
#include "parafrac/kernel.hpp"
#include "parafrac/tiles.hpp"

namespace {

using parafrac::KernelKind;

// Each target's limit, measured by its Limit benchmark (or on first use, when a filter skipped it).
std::map<std::string, double> limits;

double limit_of(const std::string& target) {
  if (!limits.count(target)) limits[target] = parafrac_bench::limit_rate(0.05).rate;
  return limits[target];
}

void BM_Limit(benchmark::State& state, const std::string& target) {
  parafrac::cap_simd_target(target);
  parafrac_bench::Limit limit;
  for (auto _ : state) limit = parafrac_bench::limit_rate(0.1);
  limits[target] = limit.rate;
  state.counters["iter/s"] = limit.rate;
  state.counters["chains"] = limit.chains;
  state.SetLabel(target);
}

// `target`: the SIMD target to cap the kernel at; "" for the scalar kernel.
void render_job(benchmark::State& state, parafrac::Job job, const std::string& target) {
  const KernelKind kernel = target.empty() ? KernelKind::scalar : KernelKind::simd;
  if (kernel == KernelKind::simd) parafrac::cap_simd_target(target);
  job.params.kernel = kernel;
  job.params.shortcuts = false;  // the kernels' own speed: every point iterated to the end
  const int width = job.grid.width(), height = job.grid.height();
  parafrac::Frame frame(width, height, false);
  // Tile by tile, as every strategy renders (the default 64-pixel tiles).
  const std::vector<parafrac::Tile> tiles = parafrac::make_tiles(width, height, 64);
  std::uint64_t iterations = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state)
    for (const parafrac::Tile& tile : tiles)
      iterations += *parafrac::render_tile(job, tile, frame.canvas(), std::stop_token{});
  const double rate =
      static_cast<double>(iterations) / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  state.counters["iter/s"] = benchmark::Counter(static_cast<double>(iterations), benchmark::Counter::kIsRate);
  if (kernel == KernelKind::simd) {
    state.counters["of_limit"] = rate / limit_of(target);
    state.SetLabel(target);
  }
}

void render_view(benchmark::State& state, parafrac::View view, std::uint32_t max_iter, const std::string& target) {
  render_job(state, {parafrac::grid_of(view), {max_iter}, false}, target);
}

// The whole set: many fast escapes next to points that never escape.
void BM_DefaultView(benchmark::State& state, const std::string& target) {
  render_view(state, {-0.5, 0.0, 2.5, 320, 180}, 500, target);
}
// The seahorse valley at 10^4 zoom: thousands of iterations, uneven escapes.
void BM_DeepView(benchmark::State& state, const std::string& target) {
  render_view(state, {-0.743643887, 0.131825904, 0.0001, 160, 90}, 5000, target);
}
// Inside the main cardioid: every point runs to max_iter, the kernel's raw speed.
void BM_InsideView(benchmark::State& state, const std::string& target) {
  render_view(state, {-0.2, 0.0, 0.2, 64, 48}, 5000, target);
}

// The seed's workload (a fifth of its size each way): z0 = c, 20 iterations, with the seed's own
// escape test (hypot, NumPy's abs(z) > 2) and with the norm test, to show what hypot costs.
void BM_SeedHypot(benchmark::State& state, const std::string& target) {
  render_job(state, {parafrac::seed_grid(600, 800), {20, parafrac::Start::c, parafrac::Escape::hypot}, false}, target);
}
void BM_SeedNorm(benchmark::State& state, const std::string& target) {
  render_job(state, {parafrac::seed_grid(600, 800), {20, parafrac::Start::c, parafrac::Escape::norm}, false}, target);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // Every target, best first; PARAFRAC_SIMD_TARGET (the kernel's cap) limits the list to it and below.
  const char* cap = std::getenv("PARAFRAC_SIMD_TARGET");
  bool below_cap = cap == nullptr || *cap == '\0';
  for (const std::string& target : parafrac::simd_targets()) {
    below_cap = below_cap || strcasecmp(cap, target.c_str()) == 0;
    if (!below_cap) continue;
    benchmark::RegisterBenchmark(("BM_Limit/" + target).c_str(), BM_Limit, target)->Iterations(1);
    benchmark::RegisterBenchmark(("BM_DefaultView/simd/" + target).c_str(), BM_DefaultView, target);
    benchmark::RegisterBenchmark(("BM_DeepView/simd/" + target).c_str(), BM_DeepView, target);
    benchmark::RegisterBenchmark(("BM_InsideView/simd/" + target).c_str(), BM_InsideView, target);
    benchmark::RegisterBenchmark(("BM_SeedHypot/simd/" + target).c_str(), BM_SeedHypot, target);
    benchmark::RegisterBenchmark(("BM_SeedNorm/simd/" + target).c_str(), BM_SeedNorm, target);
  }
  benchmark::RegisterBenchmark("BM_DefaultView/scalar", BM_DefaultView, std::string());
  benchmark::RegisterBenchmark("BM_DeepView/scalar", BM_DeepView, std::string());
  benchmark::RegisterBenchmark("BM_InsideView/scalar", BM_InsideView, std::string());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
