#include <future>

#include "strategies/slots.hpp"
#include "strategies/strategies.hpp"

namespace parafrac {
namespace {

// The seed's asyncio.gather(*(to_thread(piece, x) ...)): one std::async task per tile, all
// gathered through their futures at the end. Like to_thread's executor, at most `workers` run
// at once: a task is launched when a slot frees, and its worker id is that slot.
class Async final : public Strategy {
 public:
  using Strategy::Strategy;

 protected:
  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    Slots slots(workers());
    std::vector<std::future<bool>> tasks;
    tasks.reserve(tiles.size());
    // A future from std::async waits for its task when destroyed, so even if launching throws,
    // no task outlives this call's arguments.
    for (const Tile& tile : tiles) {
      if (stop.stop_requested()) break;
      const int slot = slots.acquire();
      tasks.push_back(std::async(std::launch::async, [&, tile, slot] {
        const SlotLease lease(slots, slot);
        return compute_tile(job, tile, frame, slot, sink, stop);
      }));
    }
    bool finished = tasks.size() == tiles.size();
    FirstFailure failure;
    for (std::future<bool>& task : tasks) {
      try {
        finished = task.get() && finished;
      } catch (...) {
        failure.capture();
      }
    }
    failure.rethrow();
    return finished;
  }
};

}  // namespace

std::unique_ptr<Strategy> make_async(StrategyOptions options) {
  return std::make_unique<Async>(options);
}

}  // namespace parafrac
