#include "parafrac/strategy.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "parafrac/clock.hpp"
#include "parafrac/error.hpp"
#include "strategies/strategies.hpp"

namespace parafrac {

int hardware_workers() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

namespace {

StrategyOptions resolved(StrategyOptions options) {
  if (options.workers < 0 || options.workers > kMaxWorkers)
    throw Error("worker count " + std::to_string(options.workers) + " must be between 1 and " +
                std::to_string(kMaxWorkers) + " (0 means one per hardware thread)");
  if (options.tile_size < 1 || options.tile_size > kMaxImageSide)
    throw Error("tile size " + std::to_string(options.tile_size) + " must be between 1 and " +
                std::to_string(kMaxImageSide));
  if (options.workers == 0)
    options.workers = hardware_workers();
  return options;
}

struct Entry {
  StrategyInfo info;
  std::unique_ptr<Strategy> (*make)(StrategyOptions);
};

// Adding a strategy is one line here: the CLI, the benchmarks and the test suites iterate this.
const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = {
      {{"serial", "one thread, tile after tile (the seed's plain run)"}, make_serial},
      {{"threads", "a fresh std::thread per chunk of rows, joined (the seed's Thread per piece)"},
       make_threads},
      {{"pool", "persistent threads, a task queue, futures (the seed's ThreadPoolExecutor.map)"},
       make_pool},
      {{"processes",
        "persistent parafrac-worker processes over shared memory (the seed's multiprocessing)"},
       make_processes},
      {{"async", "std::async tasks gathered (the seed's asyncio.gather of to_thread)"}, make_async},
  };
  return entries;
}

}  // namespace

Strategy::Strategy(StrategyOptions options) : options_(resolved(options)) {}

void Strategy::set_workers(int workers) {
  StrategyOptions options = options_;
  options.workers = workers;
  const int wanted = resolved(options).workers;
  if (wanted != options_.workers) options_.workers = resize(wanted);
}

bool Strategy::render(const Job& job, Frame& frame, const TileSink& sink, std::stop_token stop) {
  if (frame.width != job.grid.width() || frame.height != job.grid.height())
    throw Error("the frame's size does not match the job's grid");
  if (job.params.max_iter < 1 || job.params.max_iter > kMaxIterationsLimit)
    throw Error("max iterations must be between 1 and " + std::to_string(kMaxIterationsLimit));
  const std::vector<Tile> tiles = make_tiles(frame.width, frame.height, tile_size());
  frame.records.assign(tiles.size(), TileRecord{});
  return run(job, tiles, frame, sink, stop) && !stop.stop_requested();
}

bool Strategy::compute_tile(const Job& job, const Tile& tile, Frame& frame, int worker,
                            const TileSink& sink, std::stop_token stop) {
  if (stop.stop_requested()) return false;
  TileRecord record{tile, worker, static_cast<int>(getpid()), now_ns()};
  const std::int64_t cpu_start = thread_cpu_ns();
  const std::optional<std::uint64_t> iterations = render_tile(job, tile, frame.canvas(), stop);
  if (!iterations || stop.stop_requested()) return false;
  record.end_ns = now_ns();
  record.iterations = *iterations;
  record.cpu_ns = thread_cpu_ns() - cpu_start;
  frame.records[tile.index] = record;
  if (sink) sink(record);
  return true;
}

const std::vector<StrategyInfo>& strategies() {
  static const std::vector<StrategyInfo> infos = [] {
    std::vector<StrategyInfo> list;
    for (const Entry& entry : registry()) list.push_back(entry.info);
    return list;
  }();
  return infos;
}

std::vector<std::string> strategy_names() {
  std::vector<std::string> names;
  for (const Entry& entry : registry()) names.emplace_back(entry.info.name);
  return names;
}

std::unique_ptr<Strategy> make_strategy(std::string_view name, StrategyOptions options) {
  for (const Entry& entry : registry())
    if (entry.info.name == name) return entry.make(options);
  std::string known;
  for (const Entry& entry : registry()) known += (known.empty() ? "" : ", ") + std::string(entry.info.name);
  throw Error("unknown strategy '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace parafrac
