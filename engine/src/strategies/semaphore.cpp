#include <atomic>
#include <memory>
#include <semaphore>
#include <thread>

#include "strategies/slots.hpp"
#include "strategies/strategies.hpp"

namespace parafrac {
namespace {

// Gives a permit back however its holder leaves.
template <class Semaphore>
class Permit {
 public:
  explicit Permit(Semaphore& semaphore) : semaphore_(semaphore) {}
  ~Permit() { semaphore_.release(); }
  Permit(const Permit&) = delete;
  Permit& operator=(const Permit&) = delete;

 private:
  Semaphore& semaphore_;
};

// The seed's Semaphore: the caller starts a task, a std::jthread, for every tile without waiting
// for the earlier ones, and a task computes only while it holds one of the `workers` permits of a
// std::counting_semaphore; the others wait for a permit (the timeline's hatched waits). So that
// thousands of small tiles are not thousands of threads at once, at most lanes() = 2 × workers
// tasks are alive: the caller joins a lane's last task before it starts that lane's next. A lane is
// a timeline row, task after task; workers() of them compute at any moment.
class Semaphore final : public Strategy {
 public:
  using Strategy::Strategy;

  int lanes() const override { return 2 * workers(); }

 protected:
  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    using Permits = std::counting_semaphore<2 * kMaxWorkers>;
    Permits permits(workers());
    std::atomic<bool> abandoned{false};  // read after the joins: relaxed is enough
    FirstFailure failure;
    // Last, so that leaving by an exception (a thread that could not start) joins every task
    // before the rest goes.
    std::vector<std::jthread> tasks(static_cast<std::size_t>(lanes()));
    for (std::size_t i = 0; i < tiles.size(); ++i) {
      if (stop.stop_requested() || abandoned.load(std::memory_order_relaxed)) break;
      const int lane = static_cast<int>(i % tasks.size());
      std::jthread& task = tasks[static_cast<std::size_t>(lane)];
      if (task.joinable()) task.join();
      task = std::jthread([&, lane, i] {
        try {
          waits().acquire(lane, permits);
          const Permit<Permits> permit(permits);
          if (!abandoned.load(std::memory_order_relaxed) && !compute_tile(job, tiles[i], frame, lane, sink, stop))
            abandoned.store(true, std::memory_order_relaxed);
        } catch (...) {
          failure.capture();
          abandoned.store(true, std::memory_order_relaxed);
        }
      });
    }
    for (std::jthread& task : tasks)
      if (task.joinable()) task.join();
    failure.rethrow();
    return !abandoned.load(std::memory_order_relaxed) && !stop.stop_requested();
  }
};

}  // namespace

std::unique_ptr<Strategy> make_semaphore(StrategyOptions options) { return std::make_unique<Semaphore>(options); }

}  // namespace parafrac
