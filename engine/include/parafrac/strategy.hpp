#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "parafrac/frame.hpp"

namespace parafrac {

// One worker per hardware thread: what workers = 0 means.
int hardware_workers();
inline constexpr int kMaxWorkers = 1024;

struct StrategyOptions {
  int workers = 0;     // 0: one per hardware thread
  int tile_size = 64;  // tile edge in pixels (chunk height for row-chunked strategies)
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

  virtual std::string_view name() const = 0;
  int workers() const { return options_.workers; }
  int tile_size() const { return options_.tile_size; }

  // Renders `job` into `frame` (sized to the job's grid), filling one record per tile and
  // calling `sink` for each tile as it finishes. Returns true when every tile was finished,
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

 protected:
  // Adopts a new (valid, resolved) worker count; returns the count actually in use.
  virtual int resize(int workers) { return workers; }

  virtual bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame,
                   const TileSink& sink, std::stop_token stop) = 0;

  // Computes one tile as worker `worker`, fills its record and publishes it, unless `stop` was
  // requested first. Returns false when the tile was abandoned. Safe to call concurrently for
  // distinct tiles.
  static bool compute_tile(const Job& job, const Tile& tile, Frame& frame, int worker,
                           const TileSink& sink, std::stop_token stop);

 private:
  StrategyOptions options_;
};

struct StrategyInfo {
  std::string_view name;
  std::string_view summary;  // one line: what it is, and its counterpart in the seed
};

// The registry: every strategy by name, in a stable order (serial first).
const std::vector<StrategyInfo>& strategies();
std::vector<std::string> strategy_names();
// Throws Error for an unknown name or invalid options (workers < 0, tile_size < 1, ...).
std::unique_ptr<Strategy> make_strategy(std::string_view name, StrategyOptions options = {});

}  // namespace parafrac
