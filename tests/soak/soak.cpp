// parafrac-soak: drives the Renderer as the app does, for as long as asked: random views, strategy
// and worker-count switches, cancels, new requests in the middle of a render, and SIGKILLs of
// the process strategy's workers. Every render that finishes must be the serial strategy's
// image, bit for bit; threads, descriptors, child processes and memory must stay flat. Any
// failure is one line and exit 1, with the seed that replays the same sequence of requests.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "census.hpp"
#include "driver.hpp"

namespace parafrac::soak {
namespace {

// How much memory may grow from the middle of the run to its end, and from before the second
// Renderer to after it: far above the allocator's noise (a few hundred KiB), far below what a
// leak of a few bytes per render adds in an hour.
constexpr std::int64_t kHeapSlack = 4 << 20;
constexpr std::int64_t kRssSlackKib = 32 << 10;

// Compares what is held at two quiescent points that must hold the same; one line per change.
std::vector<std::string> changes(const char* from, const Census& a, const char* to, const Census& b) {
  std::vector<std::string> found;
  const auto exact = [&](const char* what, int x, int y) {
    if (x != y)
      found.push_back(std::string(what) + ": " + std::to_string(x) + " " + from + ", " + std::to_string(y) + " " + to);
  };
  exact("threads", a.threads, b.threads);
  exact("open file descriptors", a.fds, b.fds);
  exact("child processes", a.children, b.children);
  exact("zombie children", a.zombies, b.zombies);
  if (!memory_is_measurable()) return found;
  const auto grew = [&](const char* what, std::int64_t x_kib, std::int64_t y_kib, std::int64_t slack_kib) {
    if (y_kib - x_kib > slack_kib)
      found.push_back(std::string(what) + " grew by " + std::to_string(y_kib - x_kib) +
                      " KiB: " + std::to_string(x_kib) + " KiB " + from + ", " + std::to_string(y_kib) + " KiB " + to +
                      " (slack " + std::to_string(slack_kib) + " KiB)");
  };
  grew("heap in use", a.heap_bytes >> 10, b.heap_bytes >> 10, kHeapSlack >> 10);
  grew("RSS", a.rss_kib, b.rss_kib, kRssSlackKib);
  return found;
}

void print_census(const char* when, const Census& census) {
  std::printf("parafrac-soak: %s: %s\n", when, describe(census).c_str());
  std::fflush(stdout);
}

}  // namespace

// The run: a first Renderer for the warm-up, destroyed in the middle of whatever it renders;
// then a second one, brought to the same quiescent configuration in the middle and at the end,
// and destroyed. What the process holds must match at the two quiescent points, and with no
// Renderer before and after the second one.
int soak(const Options& options) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto at = [&](double fraction) {
    return start +
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds * fraction));
  };
  Driver driver(options);
  driver.start_renderer();
  driver.run_until(at(0.2));
  driver.stop_renderer();
  const Census before = take_census();
  print_census("after the warm-up, no Renderer", before);

  driver.start_renderer();
  driver.run_until(at(0.5));
  driver.quiesce();
  const Census middle = take_census();
  print_census("middle, quiescent", middle);
  driver.run_until(at(1.0));
  driver.quiesce();
  const Census end = take_census();
  print_census("end, quiescent", end);
  driver.stop_renderer();
  // libgomp and oneTBB end their pool threads when their owner goes (the render thread, the last
  // arena), but those threads finish exiting on their own, a moment later, and neither library
  // offers a way to wait for that: give the count up to two seconds to come back down before
  // calling anything a leak.
  Census after = take_census();
  for (int polls = 0; polls < 200 && after.threads > before.threads; ++polls) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    after = take_census();
  }
  print_census("after the Renderer", after);

  std::vector<std::string> leaks = changes("in the middle", middle, "at the end", end);
  for (std::string& leak : changes("before the Renderer", before, "after it", after)) leaks.push_back(std::move(leak));
  if (after.children != 0) leaks.push_back(std::to_string(after.children) + " child processes outlive the Renderer");
  std::printf("parafrac-soak: %s\n", driver.summary().c_str());
  for (const std::string& leak : leaks) std::printf("parafrac-soak: LEAK: %s\n", leak.c_str());
  if (!leaks.empty()) {
    std::printf("parafrac-soak: replay with: parafrac-soak --seed %llu --seconds %g\n",
                static_cast<unsigned long long>(options.seed), options.seconds);
    return 1;
  }
  std::printf("parafrac-soak: passed (seed %llu)\n", static_cast<unsigned long long>(options.seed));
  return 0;
}

}  // namespace parafrac::soak

int main(int argc, char** argv) {
  parafrac::soak::Options options;
  options.seed = std::random_device{}();
  CLI::App app{
      "Drives the Renderer with random views, switches, cancels and worker kills; checks every "
      "finished image against serial and that threads, descriptors, children and memory stay flat",
      "parafrac-soak"};
  app.add_option("--seconds", options.seconds, "how long to run")->check(CLI::PositiveNumber);
  app.add_option("--seed", options.seed, "the random sequence to play (printed at the start; default: a new one)");
  app.add_flag("-v,--verbose", options.verbose, "print every request and how it ended");
  CLI11_PARSE(app, argc, argv);
  std::printf("parafrac-soak: seed %llu, %g s (replay with --seed %llu)\n",
              static_cast<unsigned long long>(options.seed), options.seconds,
              static_cast<unsigned long long>(options.seed));
  std::fflush(stdout);
  return parafrac::soak::soak(options);
}
