#include <omp.h>

#include <atomic>
#include <memory>

#include "strategies/slots.hpp"
#include "strategies/strategies.hpp"

namespace parafrac {
namespace {

// OpenMP (GCC's libgomp): `#pragma omp parallel for` over the tiles with `workers` threads and
// the schedule as its option: `static` (even blocks fixed up front, or blocks of `chunk` dealt
// round-robin), `dynamic` (each thread takes the next `chunk` tiles when it is free), `guided`
// (dynamic with blocks that shrink as the loop ends, down to `chunk`). chunk 0: OpenMP's default.
class OpenMp final : public Strategy {
 public:
  explicit OpenMp(StrategyOptions options)
      : Strategy(options), schedule_(schedule_of(setting("schedule"))), chunk_(std::stoi(setting("chunk"))) {}

 protected:
  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    std::atomic<bool> abandoned{false};
    FirstFailure failure;  // nothing may be thrown out of a parallel region
    // libgomp's synchronisation is inside its library, which ThreadSanitizer does not see (see
    // tests/tsan.supp): as in the tbb strategy, every thread ends with a release on this counter
    // and the caller acquires it after the region.
    std::atomic<int> threads_done{0};
    omp_set_schedule(schedule_, chunk_);  // what schedule(runtime) below uses, on this thread
    const long count = static_cast<long>(tiles.size());
#pragma omp parallel num_threads(workers())
    {
      const int worker = omp_get_thread_num();
#pragma omp for schedule(runtime)
      for (long i = 0; i < count; ++i) {
        if (abandoned.load(std::memory_order_relaxed)) continue;  // a worksharing loop cannot break
        try {
          if (!compute_tile(job, tiles[i], frame, worker, sink, stop)) abandoned.store(true, std::memory_order_relaxed);
        } catch (...) {
          failure.capture();
          abandoned.store(true, std::memory_order_relaxed);
        }
      }
      threads_done.fetch_add(1, std::memory_order_acq_rel);
    }
    (void)threads_done.load(std::memory_order_acquire);
    failure.rethrow();
    return !abandoned.load(std::memory_order_relaxed);
  }

 private:
  static omp_sched_t schedule_of(const std::string& name) {
    if (name == "dynamic") return omp_sched_dynamic;
    if (name == "guided") return omp_sched_guided;
    return omp_sched_static;
  }

  const omp_sched_t schedule_;
  const int chunk_;
};

}  // namespace

std::unique_ptr<Strategy> make_openmp(StrategyOptions options) { return std::make_unique<OpenMp>(options); }

}  // namespace parafrac
