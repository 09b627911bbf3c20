#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "commands.hpp"
#include "interrupt.hpp"
#include "parafrac/error.hpp"
#include "parafrac/kernel.hpp"
#include "parafrac/measures.hpp"
#include "parafrac/output_file.hpp"
#include "parafrac/strategy.hpp"
#include "parafrac/trace.hpp"

namespace parafrac::cli {
namespace {

// CPU time of this process's threads plus the strategy's worker processes.
double cpu_seconds(const Strategy& strategy) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime) +
         std::chrono::duration<double>(strategy.worker_cpu_time()).count();
}

// The middle value (the upper one of an even count).
double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Result {
  std::string strategy;
  int workers = 0;
  double startup_s = 0;  // constructing the strategy: starting its threads or processes
  std::vector<double> wall_s;
  double cpu_s = 0;  // median CPU time of one render: this process's threads and the workers
  double tail_s = 0;  // median time from the first worker going idle to the render's end
  double wait_s = 0;  // median time its workers waited (locks, conditions, barriers, semaphores), summed
  double contended = 0;  // median count of acquisitions that found their lock or permit taken
  std::uint64_t iterations = 0;
  bool identical = true;  // every repeat equals the baseline's image, bit for bit
  bool exact = true;      // the strategy promises that (Strategy::exact): not with the GPU's floats
  std::string device;     // Strategy::device: "" for the CPU's kernel
  double device_s = 0;    // median time the device computed a render (GPU timer queries)
  std::vector<TileRecord> records;  // of the last render, for --trace
  Waits waits;

  double median() const {
    std::vector<double> sorted = wall_s;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    return n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  }
  double min() const { return *std::min_element(wall_s.begin(), wall_s.end()); }
  double max() const { return *std::max_element(wall_s.begin(), wall_s.end()); }
};

// The strategies of --strategies; "all" leaves out those this machine cannot run, saying so (one
// named explicitly fails with its reason when it is made).
std::vector<std::string> chosen_strategies(const std::string& list) {
  if (list == "all") {
    std::vector<std::string> names;
    for (const StrategyInfo& info : strategies()) {
      if (const std::string why = info.unavailable_reason(); !why.empty()) {
        std::fprintf(stderr, "parafrac-cli: leaving out %s, unavailable here: %s\n", info.name.c_str(), why.c_str());
        continue;
      }
      names.push_back(info.name);
    }
    return names;
  }
  std::vector<std::string> names;
  std::stringstream stream(list);
  for (std::string name; std::getline(stream, name, ',');) {
    const std::vector<std::string> known = strategy_names();
    if (std::find(known.begin(), known.end(), name) == known.end())
      make_strategy(name);  // throws the registry's error, which lists the known names
    names.push_back(name);
  }
  if (names.empty()) throw Error("--strategies names no strategy");
  return names;
}

// Whether strategy `name` declares the setting `option`.
bool declares(const std::string& name, const std::string& option) {
  const std::vector<StrategyOption>& declared = strategy_info(name).options;
  return std::any_of(declared.begin(), declared.end(), [&](const StrategyOption& o) { return o.name == option; });
}

// The --option settings that strategy `name` declares (each may be for another strategy of the run).
StrategySettings settings_of(const std::string& name, const std::vector<std::string>& given) {
  StrategySettings mine;
  for (const auto& [option, value] : parse_strategy_settings(given))
    if (declares(name, option)) mine[option] = value;
  return mine;
}

// Every --option must be declared by some strategy of the run: a typo is an error, not a no-op.
void check_settings(const std::vector<std::string>& names, const std::vector<std::string>& given) {
  for (const auto& setting : parse_strategy_settings(given)) {
    const std::string& option = setting.first;
    if (std::none_of(names.begin(), names.end(), [&](const std::string& name) { return declares(name, option); }))
      throw Error("--option " + option + ": no strategy of this run has that option (see 'strategies -v')");
  }
}

// Renders the job `repeat` times with one strategy instance. The first image of the baseline
// becomes `reference`; every other render is compared with it.
Result measure(const std::string& name, const BenchOptions& options, int tile, const Job& job,
               std::vector<std::uint32_t>& reference, std::stop_token stop) {
  Result result;
  result.strategy = name;
  const auto created = std::chrono::steady_clock::now();
  std::unique_ptr<Strategy> strategy = make_strategy(name, {options.workers, tile, settings_of(name, options.settings)});
  result.startup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - created).count();
  result.workers = strategy->workers();
  result.exact = strategy->exact();
  result.device = strategy->device();
  std::vector<double> cpu, tail, wait, contended, device;
  // One frame for every repeat: the renders overwrite every pixel, and a fresh one each time
  // would time the kernel's page faults on its first touch instead of the render.
  Frame frame(job.grid.width(), job.grid.height(), false);
  for (int i = 0; i < options.repeat && !stop.stop_requested(); ++i) {
    const double cpu_before = cpu_seconds(*strategy);
    const auto device_before = strategy->device_time();
    const auto start = std::chrono::steady_clock::now();
    if (!strategy->render(job, frame, {}, stop)) break;
    result.wall_s.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    cpu.push_back(cpu_seconds(*strategy) - cpu_before);
    device.push_back(std::chrono::duration<double>(strategy->device_time() - device_before).count());
    tail.push_back(static_cast<double>(tail_ns(frame.records, result.workers)) * 1e-9);
    wait.push_back(static_cast<double>(frame.waits.total_ns) * 1e-9);
    contended.push_back(static_cast<double>(frame.waits.contended));
    result.iterations = 0;
    for (const TileRecord& record : frame.records) result.iterations += record.iterations;
    if (reference.empty()) reference = frame.counts;
    result.identical = result.identical && frame.counts == reference;
  }
  result.records = frame.records;  // the last render's, for --trace
  result.waits = frame.waits;
  if (!cpu.empty()) {
    result.cpu_s = median_of(cpu);
    result.tail_s = median_of(tail);
    result.wait_s = median_of(wait);
    result.contended = median_of(contended);
    result.device_s = median_of(device);
  }
  return result;
}

nlohmann::json as_json(const Result& r, double baseline, double pixels, int tile) {
  const double median = r.median();
  return {{"strategy", r.strategy},   {"workers", r.workers},       {"tile", tile},
          {"median_s", median},       {"min_s", r.min()},
          {"max_s", r.max()},         {"cpu_s", r.cpu_s},
          {"startup_s", r.startup_s}, {"tail_s", r.tail_s},
          {"wait_s", r.wait_s},       {"contended", r.contended},
          {"speedup", speedup(baseline, median)},
          {"efficiency", efficiency(baseline, median, r.workers)},
          {"mpix_per_s", pixels / median / 1e6},
          {"giter_per_s", static_cast<double>(r.iterations) / median / 1e9},
          {"repeat", r.wall_s.size()}, {"identical_to_serial", r.identical}, {"exact", r.exact},
          {"device", r.device},       {"device_s", r.device_s}};
}

// The table's image column: equal to serial's, or not; "inexact" where the strategy never
// promised it (a float GPU render), so a difference there is no failure.
const char* image_word(const Result& r) {
  if (r.identical) return "= serial";
  return r.exact ? "DIFFERS" : "inexact";
}

void print_table(const std::vector<Result>& results, double baseline, double pixels,
                 const std::string& description, int tile, int repeat) {
  std::printf("%s; tile %d; %u hardware threads; median of %d\n", description.c_str(), tile,
              std::thread::hardware_concurrency(), repeat);
  std::printf("%-9s %7s %9s %9s %9s %9s %8s %10s %8s %8s %9s %8s %8s %9s %s\n", "strategy", "workers", "median s",
              "min s", "max s", "cpu s", "speedup", "efficiency", "Mpix/s", "Giter/s", "start ms", "tail ms",
              "wait ms", "contended", "image");
  for (const Result& r : results) {
    const double median = r.median();
    std::printf("%-9s %7d %9.4f %9.4f %9.4f %9.4f %7.2fx %9.1f%% %8.1f %8.3f %9.2f %8.2f %8.2f %9.0f %s\n",
                r.strategy.c_str(), r.workers, median, r.min(), r.max(), r.cpu_s, speedup(baseline, median),
                100.0 * efficiency(baseline, median, r.workers), pixels / median / 1e6,
                static_cast<double>(r.iterations) / median / 1e9, r.startup_s * 1e3, r.tail_s * 1e3,
                r.wait_s * 1e3, r.contended, image_word(r));
  }
  for (const Result& r : results)  // what computed where the CPU's kernel did not
    if (!r.device.empty()) {
      std::printf("%s ran on: %s", r.strategy.c_str(), r.device.c_str());
      if (r.device_s > 1e-6)  // llvmpipe's timer queries report nothing
        std::printf("; the device computed %.4f s of a render (median, its timer queries)", r.device_s);
      std::printf("\n");
    }
}

}  // namespace

CLI::App* add_bench(CLI::App& app, BenchOptions& options) {
  CLI::App* bench = app.add_subcommand("bench", "time every strategy on one view");
  add_workload_options(*bench, options.workload);
  bench->add_option("--strategies", options.strategies, "all, or a comma-separated list");
  bench->add_option("--workers", options.workers, "worker count (default: one per hardware thread)");
  add_strategy_settings(*bench, options.settings);
  bench->add_option("--tile", options.tile, "tile edge in pixels (default: 64 to 256, from the image size)");
  bench->add_option("--repeat", options.repeat, "renders per strategy (default 3)")->check(CLI::Range(1, 1000));
  bench->add_flag("--json", options.json, "print one JSON array instead of the table");
  bench->add_option("--trace", options.trace,
                    "FILE.json: each strategy's last render as a Chrome trace (Perfetto, chrome://tracing)");
  bench->add_flag("--overhead", options.overhead,
                  "the cost of scheduling itself: ns per tile at --max-iter 1 in 1-px and 4-px tiles (or --tile), "
                  "1 worker and --workers, 256x256 unless --size");
  return bench;
}

CLI::App* add_seed(CLI::App& app, BenchOptions& options) {
  CLI::App* seed = app.add_subcommand(
      "seed", "the seed's workload (4000x3000 points, 20 iterations) with every strategy, checked to agree");
  seed->add_option("--workers", options.workers, "worker count (default: one per hardware thread)");
  seed->add_option("--repeat", options.repeat, "renders per strategy (default 3)")->check(CLI::Range(1, 1000));
  seed->add_flag("--json", options.json, "print one JSON array instead of the table");
  seed->callback([&options] { options.workload.preset = "seed"; });
  return seed;
}

// bench --overhead: a near-empty kernel (one iteration a point) in tiny tiles, so what is timed is
// what each strategy does around the tiles: handing them out, waking workers, publishing records.
int run_overhead(const BenchOptions& options, const std::vector<std::string>& names) {
  WorkloadOptions view = options.workload;
  if (view.size.empty()) view.size = "256x256";
  if (!view.max_iter) view.max_iter = 1;
  const Workload workload = make_workload(view, false);
  const std::vector<int> tiles = options.tile ? std::vector<int>{*options.tile} : std::vector<int>{1, 4};
  const int most = options.workers == 0 ? hardware_workers() : options.workers;
  const std::vector<int> worker_counts = most == 1 ? std::vector<int>{1} : std::vector<int>{1, most};
  nlohmann::json array = nlohmann::json::array();
  if (!options.json)
    std::printf("%s; scheduling cost, median of %d\n"
                "strategy  workers  tile   tiles  median s  wall ns/tile  CPU ns/tile  CPU over serial\n",
                workload.description.c_str(), options.repeat);
  const int signal = run_interruptibly([&](std::stop_token stop) {
    for (const int tile : tiles) {
      double serial_cpu_ns = 0;  // the baseline's CPU time a tile: the tile's own cost, no scheduling
      for (const int workers : worker_counts)
        for (const std::string& name : names) {
          if (stop.stop_requested()) return;
          if (name == kBaselineStrategy && workers > 1) continue;  // it runs one worker anyway
          BenchOptions run = options;
          run.workers = workers;
          std::vector<std::uint32_t> reference;  // this table compares no images
          const Result result = measure(name, run, tile, workload.job, reference, stop);
          if (result.wall_s.empty()) return;
          const auto count = static_cast<double>(tile_count(workload.job.grid.width(), workload.job.grid.height(), tile));
          const double wall_ns = result.median() / count * 1e9, cpu_ns = result.cpu_s / count * 1e9;
          if (name == kBaselineStrategy) serial_cpu_ns = cpu_ns;
          const double over = cpu_ns - serial_cpu_ns;
          if (options.json) {
            array.push_back({{"strategy", name}, {"workers", result.workers}, {"tile", tile}, {"tiles", count},
                             {"median_s", result.median()}, {"wall_ns_per_tile", wall_ns}, {"cpu_ns_per_tile", cpu_ns},
                             {"cpu_ns_over_serial", over}});
          } else {
            std::printf("%-9s %7d %5d %7.0f %9.4f %13.0f %12.0f %16.0f\n", name.c_str(), result.workers, tile, count,
                        result.median(), wall_ns, cpu_ns, over);
            std::fflush(stdout);
          }
        }
    }
  });
  if (signal != 0) {
    std::fprintf(stderr, "parafrac-cli: interrupted\n");
    return 128 + signal;
  }
  if (options.json) std::printf("%s\n", array.dump(2).c_str());
  return 0;
}

int run_bench(const BenchOptions& options) {
  if (options.overhead) {
    if (!options.trace.empty()) throw Error("--trace records renders, and --overhead times no render: use one");
    std::vector<std::string> names = chosen_strategies(options.strategies);
    names.erase(std::remove(names.begin(), names.end(), kBaselineStrategy), names.end());
    names.insert(names.begin(), std::string(kBaselineStrategy));  // its CPU time a tile is the baseline
    check_settings(names, options.settings);
    return run_overhead(options, names);
  }
  const Workload workload = make_workload(options.workload, false);
  if (static_cast<long long>(workload.job.grid.width()) * workload.job.grid.height() > kMaxFramePixels)
    throw Error("bench holds the whole image in memory: at most " + std::to_string(kMaxFramePixels) +
                " pixels (render writes larger images in bands)");
  std::vector<std::string> names = chosen_strategies(options.strategies);
  // Speedup is against the baseline, so it always runs, first; its image is the reference.
  names.erase(std::remove(names.begin(), names.end(), kBaselineStrategy), names.end());
  names.insert(names.begin(), std::string(kBaselineStrategy));
  check_settings(names, options.settings);

  // A trace path that cannot be written fails here, before the benchmark.
  std::optional<OutputFile> trace;
  if (!options.trace.empty()) trace.emplace(options.trace);

  // One tile size for every strategy, so they split the same work.
  const int tile = tile_or_auto(options.tile, workload.job.grid.width(), workload.job.grid.height(), options.workers);
  std::vector<Result> results;
  std::vector<std::uint32_t> reference;
  const int signal = run_interruptibly([&](std::stop_token stop) {
    for (const std::string& name : names) {
      if (stop.stop_requested()) break;
      results.push_back(measure(name, options, tile, workload.job, reference, stop));
    }
  });
  if (signal != 0 || results.size() != names.size() || results.back().wall_s.empty()) {
    std::fprintf(stderr, "parafrac-cli: interrupted\n");
    return 128 + (signal != 0 ? signal : 2);
  }

  const double baseline = results.front().median();
  const double pixels = static_cast<double>(workload.job.grid.width()) * workload.job.grid.height();
  if (options.json) {
    nlohmann::json array = nlohmann::json::array();
    for (const Result& r : results) array.push_back(as_json(r, baseline, pixels, tile));
    std::printf("%s\n", array.dump(2).c_str());
  } else {
    const std::string kernel =
        workload.job.params.kernel == KernelKind::simd ? "SIMD " + simd_target() + " kernel" : "scalar kernel";
    print_table(results, baseline, pixels, workload.description + "; " + kernel, tile, options.repeat);
  }
  if (trace) {
    std::vector<TracedRender> renders;
    for (const Result& r : results)
      renders.push_back({r.strategy + " x" + std::to_string(r.workers), r.records, r.waits});
    const std::string text = chrome_trace(renders);
    if (std::fwrite(text.data(), 1, text.size(), trace->stream()) != text.size()) trace->throw_if_failed();
    trace->commit();
  }
  const bool all_identical =
      std::all_of(results.begin(), results.end(), [](const Result& r) { return r.identical || !r.exact; });
  if (!all_identical) std::fprintf(stderr, "parafrac-cli: error: some strategy's image differs from serial's\n");
  return all_identical ? 0 : 1;
}

}  // namespace parafrac::cli
