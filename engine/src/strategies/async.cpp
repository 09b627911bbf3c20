#include <chrono>
#include <deque>
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
    std::deque<std::future<bool>> tasks;
    bool finished = true;
    FirstFailure failure;
    const auto gather = [&](std::future<bool>& task) {
      try {
        finished = task.get() && finished;
      } catch (...) {
        failure.capture();
      }
    };
    // A task's thread is joined only when its future is read, so a finished task still holds its
    // thread until then: gather the finished ones as new ones start, or a render of tiny tiles
    // (tens of thousands) runs out of threads. A future from std::async also waits for its task
    // when destroyed, so even if launching throws, no task outlives this call's arguments.
    std::size_t launched = 0;
    for (const Tile& tile : tiles) {
      if (stop.stop_requested()) break;
      const int slot = slots.acquire();
      for (auto task = tasks.begin(); task != tasks.end();) {
        if (task->wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
          ++task;
          continue;
        }
        gather(*task);
        task = tasks.erase(task);
      }
      tasks.push_back(std::async(std::launch::async, [&, tile, slot] {
        const SlotLease lease(slots, slot);
        return compute_tile(job, tile, frame, slot, sink, stop);
      }));
      ++launched;
    }
    for (std::future<bool>& task : tasks) gather(task);
    failure.rethrow();
    return finished && launched == tiles.size();
  }
};

}  // namespace

std::unique_ptr<Strategy> make_async(StrategyOptions options) {
  return std::make_unique<Async>(options);
}

}  // namespace parafrac
