#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <new>

#include "strategies/slots.hpp"
#include "strategies/strategies.hpp"

namespace parafrac {
namespace {

// Work stealing, by oneTBB: parallel_for over the tiles in a task_arena of `workers` slots. Each
// worker splits the range it holds and keeps one half; an idle one steals half of another's. The
// partitioner decides how far ranges split: `auto` (into a few pieces a worker, more when steals
// happen), `simple` (down to single tiles), `static` (one even piece a worker, no stealing).
// Records carry the arena slot as the worker.
class Tbb final : public Strategy {
 public:
  explicit Tbb(StrategyOptions options) : Strategy(options), partitioner_(setting("partitioner")) {
    adopt_workers(resize(workers()));
  }
  // oneTBB's worker threads outlive arenas and leave on their own, later; when this was the last
  // user of oneTBB in the process, wait for them here, so the strategy leaves no thread behind.
  // (With another arena alive, finalize declines and they stay for that one.)
  ~Tbb() override {
    arena_.reset();
    (void)tbb::finalize(scheduler_, std::nothrow);
  }
  Tbb(const Tbb&) = delete;
  Tbb& operator=(const Tbb&) = delete;

 protected:
  // oneTBB never runs more threads than the machine has cores (its default limit, which it keeps
  // to on purpose: a stolen task should find a core), so the arena has at most that many slots
  // and the strategy reports the workers it really has: --workers 8 on two cores is 2.
  int resize(int workers) override {
    const int slots = std::min(workers, tbb::info::default_concurrency());
    if (!arena_ || arena_->max_concurrency() != slots) arena_ = std::make_unique<tbb::task_arena>(slots);
    return slots;
  }

  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    std::atomic<bool> abandoned{false};
    FirstFailure failure;
    // oneTBB's synchronisation is inside libtbb.so, which ThreadSanitizer does not see (see
    // tests/tsan.supp): every range ends with a release on this counter and the caller acquires it
    // after the loop, so TSan also sees that the caller's frees and reads come after the ranges.
    std::atomic<std::size_t> ranges_done{0};
    const auto body = [&](const tbb::blocked_range<std::size_t>& range) {
      const int worker = tbb::this_task_arena::current_thread_index();
      for (std::size_t i = range.begin(); i != range.end() && !abandoned.load(std::memory_order_relaxed); ++i) {
        try {
          if (!compute_tile(job, tiles[i], frame, worker, sink, stop)) abandoned.store(true, std::memory_order_relaxed);
        } catch (...) {
          failure.capture();
          abandoned.store(true, std::memory_order_relaxed);
        }
      }
      ranges_done.fetch_add(1, std::memory_order_acq_rel);
    };
    const tbb::blocked_range<std::size_t> all(0, tiles.size());
    arena_->execute([&] {
      if (partitioner_ == "simple") {
        tbb::parallel_for(all, body, tbb::simple_partitioner());
      } else if (partitioner_ == "static") {
        tbb::parallel_for(all, body, tbb::static_partitioner());
      } else {
        tbb::parallel_for(all, body, tbb::auto_partitioner());
      }
    });
    (void)ranges_done.load(std::memory_order_acquire);
    failure.rethrow();
    return !abandoned.load(std::memory_order_relaxed);
  }

 private:
  const std::string partitioner_;
  tbb::task_scheduler_handle scheduler_{tbb::attach{}};  // before the arena: it outlives it
  std::unique_ptr<tbb::task_arena> arena_;
};

}  // namespace

std::unique_ptr<Strategy> make_tbb(StrategyOptions options) { return std::make_unique<Tbb>(options); }

}  // namespace parafrac
