#include <atomic>
#include <barrier>
#include <memory>

#include "strategies/crew.hpp"
#include "strategies/rows.hpp"
#include "strategies/strategies.hpp"

namespace parafrac {
namespace {

// The seed's Barrier: each row of tiles is a phase. In a phase, worker w computes the row's tiles
// w, w + workers, w + 2·workers ... (static and interleaved: nobody takes another's share), then
// every worker waits at one std::barrier until the slowest has finished the row. The waits are
// the lesson: a worker whose tiles were cheap idles at every phase.
class Barrier final : public CrewStrategy {
 public:
  using CrewStrategy::CrewStrategy;

 protected:

  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    const std::vector<std::vector<Tile>> phases = rows_of_tiles(tiles);
    const auto stride = static_cast<std::size_t>(workers());
    std::barrier<> phase_done(workers());
    std::atomic<bool> abandoned{false};  // read after every worker has returned: relaxed is enough
    crew().run([&](int worker) {
      for (const std::vector<Tile>& phase : phases) {
        // A worker that leaves (stopped, or its tile threw) drops out of the barrier, so the rest
        // never wait for it; the others leave at their next phase.
        try {
          for (std::size_t i = static_cast<std::size_t>(worker); i < phase.size(); i += stride)
            if (abandoned.load(std::memory_order_relaxed) || !compute_tile(job, phase[i], frame, worker, sink, stop)) {
              abandoned.store(true, std::memory_order_relaxed);
              break;
            }
        } catch (...) {
          abandoned.store(true, std::memory_order_relaxed);
          phase_done.arrive_and_drop();
          throw;  // the crew rethrows it on the caller's thread
        }
        if (abandoned.load(std::memory_order_relaxed)) {
          phase_done.arrive_and_drop();
          return;
        }
        waits().arrive_and_wait(worker, phase_done);
      }
    });
    return !abandoned.load(std::memory_order_relaxed);
  }
};

}  // namespace

std::unique_ptr<Strategy> make_barrier(StrategyOptions options) { return std::make_unique<Barrier>(options); }

}  // namespace parafrac
