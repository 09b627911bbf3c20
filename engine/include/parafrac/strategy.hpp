#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parafrac/frame.hpp"
#include "parafrac/wait_log.hpp"

namespace parafrac {

// One worker per hardware thread: what workers = 0 means.
int hardware_workers();
inline constexpr int kMaxWorkers = 1024;

// The strategy every comparison is made against (its image is the reference, bench runs it
// first) and the one the front ends start with.
inline constexpr std::string_view kBaselineStrategy = "serial";
inline constexpr std::string_view kDefaultStrategy = "pool";

// A strategy's own settings (StrategyInfo::options) by name.
using StrategySettings = std::map<std::string, std::string, std::less<>>;

struct StrategyOptions {
  StrategyOptions(int workers = 0, int tile_size = 64, StrategySettings settings = {})
      : workers(workers), tile_size(tile_size), settings(std::move(settings)) {}

  int workers;    // 0: one per hardware thread
  int tile_size;  // tile edge in pixels (chunk height for row-chunked strategies)
  // The ones not given take their default; make_strategy() refuses a name the strategy does not
  // declare or a value it does not take.
  StrategySettings settings;
};

// A setting a strategy declares for itself (a partitioner, a schedule, a chunk), which the front
// ends show and pass on without knowing the strategy: one of `choices` (the first is the
// default), or, when there are none, a whole number from `min` to `max` (default `fallback`).
struct StrategyOption {
  std::string name;
  std::string help;
  std::vector<std::string> choices;
  long long min = 0, max = 0, fallback = 0;

  std::string default_value() const { return choices.empty() ? std::to_string(fallback) : choices.front(); }
  // Throws Error naming what the option takes.
  void check(const std::string& value) const;
};

// Receives every finished tile's record, as soon as the tile's pixels are in the frame.
// Called from worker threads, possibly concurrently: it must be thread-safe and quick.
using TileSink = std::function<void(const TileRecord&)>;

// A way to spread one render over workers. An instance owns its workers (threads, processes)
// for its whole life; a render is a request to it. One render at a time per instance.
class Strategy {
 public:
  explicit Strategy(StrategyOptions options);
  virtual ~Strategy() = default;
  Strategy(const Strategy&) = delete;
  Strategy& operator=(const Strategy&) = delete;

  // The name it is registered under.
  std::string_view name() const { return name_; }
  int workers() const { return options_.workers; }
  int tile_size() const { return options_.tile_size; }
  // What computes its tiles when that is not this CPU's kernel alone, for people: "GPU llvmpipe
  // (LLVM 15.0.6, 256 bits), doubles"; "" for the CPU strategies.
  virtual std::string device() const { return ""; }
  // Whether its images are the serial strategy's bit for bit, as every strategy's are unless a
  // setting trades that for speed (the GPU's precision=float); front ends mark those that are not.
  virtual bool exact() const { return true; }
  // How many worker numbers its records use, the timeline's lanes: workers(), unless it numbers
  // something else (semaphore: its tasks). At most workers() tiles are computed at once.
  virtual int lanes() const { return workers(); }
  // Every setting it declares, each given or defaulted (StrategyOption).
  const StrategySettings& settings() const { return options_.settings; }

  // Renders `job` into `frame` (sized to the job's grid), filling one record per tile (and the
  // waits, for a strategy that times them) and calling `sink` for each tile as it finishes. Returns true when every tile was finished,
  // false when `stop` was requested first; in that case it returns within about one tile's
  // work and, once it has returned, publishes nothing more. Throws Error on failure.
  bool render(const Job& job, Frame& frame, const TileSink& sink, std::stop_token stop = {});

  // Changes the worker count for the renders that follow (0: one per hardware thread), growing
  // or shrinking the workers the instance owns without restarting the rest; the count it has
  // already changes nothing. Not during a render.
  // Throws Error for an invalid count, or when new workers cannot be started.
  void set_workers(int workers);

  // CPU time spent so far by the instance's worker processes, which the caller's own CPU clock
  // does not see (zero for strategies that work in the caller's process).
  virtual std::chrono::nanoseconds worker_cpu_time() const { return {}; }
  // Time its device (a GPU) spent computing so far, from the device's own timer queries (zero
  // for the strategies that compute on the CPU alone).
  virtual std::chrono::nanoseconds device_time() const { return {}; }

 protected:
  // Adopts a new (valid, resolved) worker count; returns the count actually in use.
  virtual int resize(int workers) { return workers; }
  // For a constructor whose strategy runs fewer workers than asked (what resize() returned).
  void adopt_workers(int workers) { options_.workers = workers; }

  virtual bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame,
                   const TileSink& sink, std::stop_token stop) = 0;

  // Computes one tile as worker `worker`, fills its record and publishes it, unless `stop` was
  // requested first. Returns false when the tile was abandoned. Safe to call concurrently for
  // distinct tiles.
  static bool compute_tile(const Job& job, const Tile& tile, Frame& frame, int worker,
                           const TileSink& sink, std::stop_token stop);

  // A setting it declared (StrategyInfo::options), as given or defaulted.
  const std::string& setting(std::string_view name) const;

  // Where run() times its workers' waits (WaitLog), ready for workers 0 .. lanes() - 1.
  WaitLog& waits() { return waits_; }

 private:
  friend std::unique_ptr<Strategy> make_strategy(std::string_view name, StrategyOptions options);
  StrategyOptions options_;
  std::string name_;
  WaitLog waits_;
};

struct StrategyInfo {
  std::string name;
  std::string summary;                   // one line: what it is, and its counterpart in the seed
  std::vector<StrategyOption> options;  // its own settings, if any
  // For a strategy that needs something this machine may lack (a GPU): why it cannot run here,
  // or "" when it can; asked only when needed, and may take a moment the first time. Null: it
  // always can.
  const std::string& (*unavailable)() = nullptr;

  // "" or the reason, as above.
  std::string unavailable_reason() const { return unavailable ? unavailable() : std::string(); }
};

using StrategyFactory = std::unique_ptr<Strategy> (*)(StrategyOptions options);

// The registry: every strategy by name, in a stable order (serial first, the engine's own, then
// those registered since).
const std::vector<StrategyInfo>& strategies();
std::vector<std::string> strategy_names();
// The strategy registered as `name`; throws Error listing the known names.
const StrategyInfo& strategy_info(std::string_view name);
// Every setting strategy `name` declares, as given in `given` (checked) or defaulted; throws Error
// for an unknown strategy, a setting it does not declare or a value it does not take.
StrategySettings strategy_settings(std::string_view name, const StrategySettings& given);
// Adds a strategy: a library beside the engine core (the GPU, MPI) calls this once before the
// registry is used. Throws Error for a name already taken. Not thread-safe against use.
void register_strategy(StrategyInfo info, StrategyFactory make);
// Throws Error for an unknown name, a strategy unavailable here (its reason), or invalid options
// (workers < 0, tile_size < 1, a setting the strategy does not declare or a value it does not
// take, ...).
std::unique_ptr<Strategy> make_strategy(std::string_view name, StrategyOptions options = {});

}  // namespace parafrac
