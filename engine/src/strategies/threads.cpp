#include <atomic>
#include <thread>

#include "strategies/rows.hpp"
#include "strategies/slots.hpp"
#include "strategies/strategies.hpp"

namespace parafrac {
namespace {

// The seed's threading.Thread per 10-row piece: the image is cut into chunks of rows (one row
// of tiles each), and every chunk gets a brand-new std::thread that is joined when it is done.
// At most `workers` of them run at once; a worker id is the slot a thread ran in, so the
// timeline shows the cost of creating a thread per chunk as gaps in a slot's lane.
class Threads final : public Strategy {
 public:
  using Strategy::Strategy;

 protected:
  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    const std::vector<std::vector<Tile>> chunks = rows_of_tiles(tiles);
    Slots slots(workers());
    FirstFailure failure;
    std::atomic<bool> abandoned{false};  // a flag read after the joins: relaxed is enough
    // jthread: joined on scope exit even if creating a later thread throws.
    std::vector<std::jthread> slot_threads(workers());
    for (const std::vector<Tile>& chunk : chunks) {
      if (stop.stop_requested()) return false;
      const int slot = slots.acquire();
      if (slot_threads[slot].joinable()) slot_threads[slot].join();  // its chunk is finished
      slot_threads[slot] = std::jthread([&, slot] {
        const SlotLease lease(slots, slot);
        try {
          for (const Tile& tile : chunk)
            if (!compute_tile(job, tile, frame, slot, sink, stop)) {
              abandoned.store(true, std::memory_order_relaxed);
              break;
            }
        } catch (...) {
          failure.capture();
          abandoned.store(true, std::memory_order_relaxed);
        }
      });
    }
    for (std::jthread& thread : slot_threads)
      if (thread.joinable()) thread.join();
    failure.rethrow();
    return !abandoned.load(std::memory_order_relaxed);
  }
};

}  // namespace

std::unique_ptr<Strategy> make_threads(StrategyOptions options) {
  return std::make_unique<Threads>(options);
}

}  // namespace parafrac
