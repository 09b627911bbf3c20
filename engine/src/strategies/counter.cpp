#include <atomic>
#include <memory>

#include "strategies/crew.hpp"
#include "strategies/strategies.hpp"

namespace parafrac {
namespace {

// No lock at all: persistent threads claim the next `chunk` tiles with one atomic fetch-add on a
// shared counter, the cheapest way there is to hand out work (C++20 std::atomic; the seed has no
// counterpart, its Queue always takes a lock).
class Counter final : public CrewStrategy {
 public:
  explicit Counter(StrategyOptions options) : CrewStrategy(options), chunk_(std::stoul(setting("chunk"))) {}

 protected:

  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> abandoned{false};  // read after every worker has returned: relaxed is enough
    crew().run([&](int worker) {
      // Relaxed: the counter only divides the tiles; the tiles' pixels reach the caller through
      // the crew's own synchronisation when every worker has returned. A worker that stops or
      // throws tells the others to stop claiming (the crew rethrows on the caller's thread).
      try {
        for (std::size_t first; !abandoned.load(std::memory_order_relaxed) &&
                                (first = next.fetch_add(chunk_, std::memory_order_relaxed)) < tiles.size();)
          for (std::size_t i = first; i < std::min(first + chunk_, tiles.size()); ++i)
            if (!compute_tile(job, tiles[i], frame, worker, sink, stop)) {
              abandoned.store(true, std::memory_order_relaxed);
              return;
            }
      } catch (...) {
        abandoned.store(true, std::memory_order_relaxed);
        throw;
      }
    });
    return !abandoned.load(std::memory_order_relaxed);
  }

 private:
  const std::size_t chunk_;  // tiles a claim takes
};

}  // namespace

std::unique_ptr<Strategy> make_counter(StrategyOptions options) { return std::make_unique<Counter>(options); }

}  // namespace parafrac
