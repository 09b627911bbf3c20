#include "parafrac/strategy.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
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
  StrategyFactory make;
};

// The engine's own strategies, in the order every list shows them; register_strategy() adds the
// strategies of libraries beside the engine. Adding one of the engine's is one file in
// strategies/ and one entry here: the CLI, the app, the benchmarks and the tests iterate this.
std::vector<Entry>& registry() {
  static std::vector<Entry> entries = {
      {{"serial", "one thread, tile after tile (the seed's plain run)", {}}, make_serial},
      {{"threads", "a fresh std::thread per chunk of rows, joined (the seed's Thread per piece)", {}}, make_threads},
      {{"pool", "persistent threads, a task queue, futures (the seed's ThreadPoolExecutor.map)", {}}, make_pool},
      {{"processes", "persistent parafrac-worker processes over shared memory (the seed's multiprocessing)", {}},
       make_processes},
      {{"async", "std::async tasks gathered (the seed's asyncio.gather of to_thread)", {}}, make_async},
      {{"queue", "persistent threads take tiles from a queue the caller fills, one mutex and a condition variable "
                 "(the seed's Queue, Lock and Condition)",
        {}},
       make_queue},
      {{"counter", "persistent threads claim tiles with one atomic fetch-add, no lock (C++20 std::atomic)",
        {{"chunk", "tiles a claim takes", {}, 1, 1024, 1}}},
       make_counter},
      {{"barrier", "static interleaved tiles, a row of tiles a phase, every worker meeting at a std::barrier between "
                   "phases (the seed's Barrier)",
        {}},
       make_barrier},
      {{"semaphore", "a task (std::jthread) per tile, started freely; a std::counting_semaphore lets `workers` of "
                     "them compute at once (the seed's Semaphore)",
        {}},
       make_semaphore},
      {{"tbb", "oneTBB work stealing: parallel_for over the tiles in a task_arena of the workers",
        {{"partitioner", "how far the tile range splits: auto, simple (single tiles) or static (no stealing)",
          {"auto", "simple", "static"}}}},
       make_tbb},
      {{"openmp", "#pragma omp parallel for over the tiles (GCC's libgomp)",
        {{"schedule", "how iterations are dealt out", {"static", "dynamic", "guided"}},
         {"chunk", "tiles a thread takes at a time (0: OpenMP's default)", {}, 0, 1024, 0}}},
       make_openmp},
  };
  return entries;
}

std::vector<StrategyInfo>& infos() {
  static std::vector<StrategyInfo> list = [] {
    std::vector<StrategyInfo> all;
    for (const Entry& entry : registry()) all.push_back(entry.info);
    return all;
  }();
  return list;
}

const Entry& entry_named(std::string_view name) {
  for (const Entry& entry : registry())
    if (entry.info.name == name) return entry;
  std::string known;
  for (const Entry& entry : registry()) known += (known.empty() ? "" : ", ") + entry.info.name;
  throw Error("unknown strategy '" + std::string(name) + "' (known: " + known + ")");
}

// The settings `info` declares, each as given (checked) or defaulted; an undeclared one is an error.
StrategySettings settings_for(const StrategyInfo& info, const StrategySettings& given) {
  for (const auto& setting : given) {
    const std::string& name = setting.first;  // a plain name: clang 14 cannot capture a structured binding
    const auto declared = std::find_if(info.options.begin(), info.options.end(),
                                       [&name](const StrategyOption& option) { return option.name == name; });
    if (declared != info.options.end()) continue;
    std::string known;
    for (const StrategyOption& option : info.options) known += (known.empty() ? "" : ", ") + option.name;
    throw Error("strategy '" + info.name + "' has no option '" + name + "' (" +
                (known.empty() ? std::string("it has none") : "it has: " + known) + ")");
  }
  StrategySettings settings;
  for (const StrategyOption& option : info.options) {
    const auto value = given.find(option.name);
    if (value == given.end()) {
      settings[option.name] = option.default_value();
      continue;
    }
    option.check(value->second);
    settings[option.name] = value->second;
  }
  return settings;
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
  frame.waits = {};
  waits_.start(lanes());
  const bool finished = run(job, tiles, frame, sink, stop);
  frame.waits = waits_.collect();
  return finished && !stop.stop_requested();
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

void StrategyOption::check(const std::string& value) const {
  if (!choices.empty()) {
    if (std::find(choices.begin(), choices.end(), value) != choices.end()) return;
    std::string known;
    for (const std::string& choice : choices) known += (known.empty() ? "" : ", ") + choice;
    throw Error("option " + name + " takes one of " + known + ", not '" + value + "'");
  }
  long long number = 0;
  const char* const end = value.data() + value.size();
  const auto [rest, error] = std::from_chars(value.data(), end, number);
  if (value.empty() || error != std::errc() || rest != end || number < min || number > max)
    throw Error("option " + name + " takes a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                ", not '" + value + "'");
}

const std::string& Strategy::setting(std::string_view name) const {
  const auto found = options_.settings.find(name);
  if (found == options_.settings.end()) throw Error("strategy setting '" + std::string(name) + "' was not declared");
  return found->second;
}

const std::vector<StrategyInfo>& strategies() { return infos(); }

const StrategyInfo& strategy_info(std::string_view name) { return entry_named(name).info; }

StrategySettings strategy_settings(std::string_view name, const StrategySettings& given) {
  return settings_for(entry_named(name).info, given);
}

std::vector<std::string> strategy_names() {
  std::vector<std::string> names;
  for (const Entry& entry : registry()) names.push_back(entry.info.name);
  return names;
}

void register_strategy(StrategyInfo info, StrategyFactory make) {
  for (const Entry& entry : registry())
    if (entry.info.name == info.name) throw Error("strategy '" + info.name + "' is registered already");
  // Settings travel as "name=value,name=value" (PNG metadata, the race's key): neither may hold
  // those two characters.
  const auto plain = [](const std::string& text) { return text.find_first_of(",=") == std::string::npos; };
  for (const StrategyOption& option : info.options) {
    if (!plain(option.name)) throw Error("strategy option '" + option.name + "' may not contain ',' or '='");
    for (const std::string& choice : option.choices)
      if (!plain(choice)) throw Error("strategy option choice '" + choice + "' may not contain ',' or '='");
  }
  infos().push_back(info);
  registry().push_back({std::move(info), make});
}

std::unique_ptr<Strategy> make_strategy(std::string_view name, StrategyOptions options) {
  const Entry& entry = entry_named(name);
  options.settings = settings_for(entry.info, options.settings);
  if (const std::string why = entry.info.unavailable_reason(); !why.empty())
    throw Error("strategy '" + entry.info.name + "' is unavailable here: " + why);
  std::unique_ptr<Strategy> strategy = entry.make(options);
  strategy->name_ = entry.info.name;
  return strategy;
}

}  // namespace parafrac
