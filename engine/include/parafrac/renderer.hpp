#pragma once
// Renders in the background for an interactive front end: the caller asks, never waits.
#include <condition_variable>
#include <functional>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "parafrac/frame.hpp"
#include "parafrac/kernel.hpp"
#include "parafrac/strategy.hpp"

namespace parafrac {

// What to render and who computes it.
struct RenderRequest {
  Job job;
  std::string strategy{kDefaultStrategy};
  StrategyOptions options;
  bool publish_tiles = true;  // hand each finished tile's pixels to take_tiles()
  bool keep_frame = false;    // hand the whole frame over in the report
};

// A finished tile of the latest request: its record and its smooth values (row-major,
// record.tile.width x record.tile.height).
struct TileUpdate {
  std::uint64_t generation = 0;
  TileRecord record;
  std::vector<float> smooth;
};

// How one request ended, with what it cost.
struct RenderReport {
  enum class Outcome { finished, cancelled, failed };

  std::uint64_t generation = 0;
  Outcome outcome = Outcome::failed;
  std::string error;  // for failed: one readable line
  std::string strategy;
  int workers = 0;
  int tile_size = 0;
  StrategySettings settings;  // the strategy's own, as it ran (given or defaulted)
  int width = 0;
  int height = 0;
  KernelParams params;        // the job's: max_iter, kernel, shortcuts
  std::int64_t start_ns = 0;  // steady clock, around Strategy::render only
  std::int64_t end_ns = 0;
  std::int64_t cpu_ns = 0;    // CPU time of the finished tiles (their threads' clocks, summed)
  std::uint64_t iterations = 0;
  std::vector<TileRecord> records;
  Waits waits;    // for the strategies that time them
  int lanes = 0;  // the worker numbers its records use (Strategy::lanes)
  bool exact = true;  // the strategy draws the serial image bit for bit (Strategy::exact)
  std::string device;  // Strategy::device: "" for the CPU's kernel
  std::int64_t device_ns = 0;  // the device's own time computing this render (GPU timer queries)
  std::shared_ptr<const Frame> frame;  // with keep_frame, when finished

  double wall_seconds() const { return static_cast<double>(end_ns - start_ns) * 1e-9; }
  int tiles_done() const;
};

// One background thread that renders the latest request with the strategy it names. A new
// request cancels the one in flight (it stops within about a tile and publishes nothing more)
// and supersedes any request not yet started. Strategy instances are kept, by name, for the
// Renderer's life, so switching back and forth starts no new workers. Every member function is
// thread-safe and returns at once; the destructor cancels and joins.
class Renderer {
 public:
  // `ended`, when given, is called on the render thread each time a render has ended and its
  // report is ready to take (a UI wakes its event loop with it); it must be thread-safe and quick.
  explicit Renderer(std::function<void()> ended = {});
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // Returns the request's generation number, increasing from 1.
  std::uint64_t request(RenderRequest request);
  void cancel();

  // Tiles of the latest generation finished since the last call; older ones are dropped.
  std::vector<TileUpdate> take_tiles();
  // Every render that ended since the last call, oldest first.
  std::vector<RenderReport> take_reports();

  struct Progress {
    std::uint64_t generation = 0;  // the latest request's
    int done = 0;                  // its finished tiles
    int total = 0;                 // its tiles (0 before it starts)
    bool busy = false;             // requested and not yet ended
  };
  Progress progress() const;

 private:
  void loop(std::stop_token quit);
  RenderReport render(const RenderRequest& request, std::uint64_t generation, std::stop_token stop);
  Strategy& strategy_for(const RenderRequest& request);

  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::optional<RenderRequest> pending_;
  std::uint64_t generation_ = 0;  // the latest request
  std::stop_source in_flight_;
  Progress progress_;
  std::vector<TileUpdate> tiles_;
  std::vector<RenderReport> reports_;

  std::map<std::string, std::unique_ptr<Strategy>, std::less<>> strategies_;  // render thread only
  std::function<void()> ended_;
  std::jthread thread_;  // last: starts after, and stops before, everything it uses
};

}  // namespace parafrac
