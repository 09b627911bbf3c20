#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

#include "strategies/crew.hpp"
#include "strategies/strategies.hpp"

namespace parafrac {
namespace {

// The seed's Queue, Lock and Condition: the caller puts the tiles into a queue guarded by one
// std::mutex while persistent threads take them out, each waiting on a std::condition_variable
// while the queue is empty; the caller closes it when every tile is in. Every take is a lock, so
// with small tiles the workers queue up for it (the timeline shows those waits).
class Queue final : public CrewStrategy {
 public:
  using CrewStrategy::CrewStrategy;

 protected:

  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    std::mutex mutex;
    std::condition_variable put;
    std::deque<const Tile*> queue;
    bool closed = false;      // no more tiles will come
    bool abandoned = false;   // a worker stopped: the rest need not start more
    // Both of a take's waits are timed: for the lock, while another thread holds it, and on the
    // condition, while the queue is empty.
    const auto take = [&](int worker) -> const Tile* {
      std::unique_lock lock = waits().lock(worker, mutex);
      waits().wait(worker, put, lock, [&] { return !queue.empty() || closed || abandoned; });
      if (queue.empty() || abandoned) return nullptr;
      const Tile* tile = queue.front();
      queue.pop_front();
      return tile;
    };
    const auto give_up = [&] {
      {
        std::lock_guard lock(mutex);
        abandoned = true;
      }
      put.notify_all();
    };
    const auto close = [&] {
      {
        std::lock_guard lock(mutex);
        closed = true;
      }
      put.notify_all();
    };
    crew().run(
        [&](int worker) {
          try {
            while (const Tile* tile = take(worker))
              if (!compute_tile(job, *tile, frame, worker, sink, stop)) return give_up();
          } catch (...) {
            give_up();  // the others take no more tiles (the crew rethrows on the caller's thread)
            throw;
          }
        },
        [&] {
          try {
            for (const Tile& tile : tiles) {
              {
                std::lock_guard lock(mutex);
                if (abandoned) break;
                queue.push_back(&tile);
              }
              put.notify_one();
            }
          } catch (...) {
            give_up();  // the workers must not wait for tiles that will not come
            throw;
          }
          close();
        });
    std::lock_guard lock(mutex);
    return !abandoned;
  }
};

}  // namespace

std::unique_ptr<Strategy> make_queue(StrategyOptions options) { return std::make_unique<Queue>(options); }

}  // namespace parafrac
