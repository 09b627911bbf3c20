// Kernel micro-benchmarks (Google Benchmark): lane-iterations per second on one core.
// Run by hand: build/bin/parafrac-microbench
#include <benchmark/benchmark.h>

#include "parafrac/frame.hpp"
#include "parafrac/kernel.hpp"

namespace {

void render_view(benchmark::State& state, parafrac::View view, std::uint32_t max_iter) {
  parafrac::Job job{parafrac::grid_of(view), {max_iter}, false};
  parafrac::Frame frame(view.width, view.height, false);
  const parafrac::Tile whole{0, 0, 0, view.width, view.height};
  std::uint64_t iterations = 0;
  for (auto _ : state) iterations += *parafrac::render_tile(job, whole, frame.canvas(), std::stop_token{});
  state.counters["iter/s"] = benchmark::Counter(static_cast<double>(iterations), benchmark::Counter::kIsRate);
}

void BM_ScalarDefaultView(benchmark::State& state) {
  render_view(state, {-0.5, 0.0, 2.5, 320, 180}, 500);
}
void BM_ScalarDeepView(benchmark::State& state) {
  render_view(state, {-0.743643887, 0.131825904, 0.0001, 160, 90}, 5000);
}
BENCHMARK(BM_ScalarDefaultView);
BENCHMARK(BM_ScalarDeepView);

}  // namespace

BENCHMARK_MAIN();
