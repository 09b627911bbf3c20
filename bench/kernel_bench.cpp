// Kernel micro-benchmarks (Google Benchmark): iterations (lane-iterations for SIMD) per second
// on one core, scalar reference vs the SIMD kernel, on views from easy to all-inside.
// Run by hand: build/bin/parafrac-microbench  (--benchmark_filter=Deep, ...)
#include <benchmark/benchmark.h>

#include "parafrac/frame.hpp"
#include "parafrac/kernel.hpp"
#include "parafrac/tiles.hpp"

namespace {

using parafrac::KernelKind;

void render_view(benchmark::State& state, parafrac::View view, std::uint32_t max_iter, KernelKind kernel) {
  parafrac::Job job{parafrac::grid_of(view), {max_iter}, false};
  job.params.kernel = kernel;
  job.params.shortcuts = false;  // the kernels' own speed: every point iterated to the end
  parafrac::Frame frame(view.width, view.height, false);
  // Tile by tile, as every strategy renders (the default 64-pixel tiles).
  const std::vector<parafrac::Tile> tiles = parafrac::make_tiles(view.width, view.height, 64);
  std::uint64_t iterations = 0;
  for (auto _ : state)
    for (const parafrac::Tile& tile : tiles)
      iterations += *parafrac::render_tile(job, tile, frame.canvas(), std::stop_token{});
  state.counters["iter/s"] = benchmark::Counter(static_cast<double>(iterations), benchmark::Counter::kIsRate);
  if (kernel == KernelKind::simd) state.SetLabel(parafrac::simd_target());
}

// The whole set: many fast escapes next to points that never escape.
void BM_DefaultView(benchmark::State& state, KernelKind kernel) {
  render_view(state, {-0.5, 0.0, 2.5, 320, 180}, 500, kernel);
}
// The seahorse valley at 10^4 zoom: thousands of iterations, uneven escapes.
void BM_DeepView(benchmark::State& state, KernelKind kernel) {
  render_view(state, {-0.743643887, 0.131825904, 0.0001, 160, 90}, 5000, kernel);
}
// Inside the main cardioid: every point runs to max_iter, the kernel's raw speed.
void BM_InsideView(benchmark::State& state, KernelKind kernel) {
  render_view(state, {-0.2, 0.0, 0.2, 64, 48}, 5000, kernel);
}

BENCHMARK_CAPTURE(BM_DefaultView, scalar, KernelKind::scalar);
BENCHMARK_CAPTURE(BM_DefaultView, simd, KernelKind::simd);
BENCHMARK_CAPTURE(BM_DeepView, scalar, KernelKind::scalar);
BENCHMARK_CAPTURE(BM_DeepView, simd, KernelKind::simd);
BENCHMARK_CAPTURE(BM_InsideView, scalar, KernelKind::scalar);
BENCHMARK_CAPTURE(BM_InsideView, simd, KernelKind::simd);

}  // namespace

BENCHMARK_MAIN();
