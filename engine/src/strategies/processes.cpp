// The `processes` strategy: persistent `parafrac-worker` processes computing into one shared
// memory region (the seed's multiprocessing with shared_memory). The protocol is described in
// process_protocol.hpp. Everything a worker writes is untrusted here: indices are bounds-checked,
// records are cross-checked, and a worker that breaks the protocol fails the render with an
// Error instead of crashing or hanging the parent.
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>  // memfd_create
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "parafrac/clock.hpp"
#include "parafrac/error.hpp"
#include "parafrac/processes.hpp"
#include "strategies/process_protocol.hpp"
#include "strategies/shared_region.hpp"
#include "strategies/strategies.hpp"
#include "strategies/worker_process.hpp"

namespace parafrac {
namespace {

using namespace process_protocol;
using namespace process_parent;
using Clock = std::chrono::steady_clock;

// How long a cancelled render waits for workers to put their tile down before killing them,
// how long a new worker may take to map the region, and how long shutdown waits before SIGKILL.
constexpr auto kCancelGrace = std::chrono::milliseconds(500);
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kShutdownGrace = std::chrono::seconds(1);

// A busy worker (woken for a render, its `idle` not yet in) is stalled when its CPU clock has
// not moved in kStallChecks checks in a row, one every stall interval / kStallChecks: stopped
// (SIGSTOP, a debugger), blocked on a lock or a read, or a fake that never answers. The measure
// is the worker's own CPU time, not the work it has done, so no guess of how long a tile or a
// row should take is involved: a slow machine or a huge max_iter only makes the clock move
// slowly, and any movement at all clears the count. A loaded machine still runs every runnable
// process many times a second, so seconds without a single tick of CPU mean "not runnable".
// The consecutive checks matter when the whole process group was stopped (Ctrl-Z, then fg):
// the parent's first check after the stop sees no movement, but the next one, taken with the
// workers running again, does. PARAFRAC_WORKER_STALL_MS replaces the interval (tests shorten it).
constexpr auto kStallInterval = std::chrono::milliseconds(16'000);
constexpr int kStallChecks = 8;

std::chrono::milliseconds stall_interval() {
  const char* text = std::getenv("PARAFRAC_WORKER_STALL_MS");
  if (!text || !*text) return kStallInterval;
  const std::string_view digits = text;
  long milliseconds = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), milliseconds);
  if (error != std::errc() || end != digits.data() + digits.size() || milliseconds < kStallChecks)
    throw Error("PARAFRAC_WORKER_STALL_MS must be a whole number of milliseconds, at least " +
                std::to_string(kStallChecks) + ", not '" + std::string(digits) + "'");
  return std::chrono::milliseconds(milliseconds);
}

int milliseconds_until(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, 1 << 30));
}

// The memfd and the parent's mapping of it. The parent reads the region by its own layout_, never
// by the header's offsets, which a worker could overwrite.
class Region : private Mapping {
 public:
  // Not tiles(), canvas() or job(): they follow the header's offsets, which workers can write.
  using Mapping::at;
  using Mapping::header;
  using Mapping::post;

  Region() : fd_(high(memfd_create("parafrac-region", MFD_CLOEXEC), "the shared memory region")) {
    resize(sizeof(Header));
    Header& head = header();
    head.magic = kMagic;
    head.version = kVersion;
  }

  int fd() const { return fd_.get(); }

  // Makes the region `size` bytes at least. It shrinks only when far too big, to give memory
  // back after a huge render. Only while every worker is idle.
  void fit(std::uint64_t wanted) {
    constexpr std::uint64_t kKeep = 64 << 20;
    if (wanted > size() || (size() > kKeep && wanted * 4 < size()))
      resize(std::max<std::uint64_t>(wanted, sizeof(Header)));
  }

 private:
  void resize(std::uint64_t bytes) {
    if (ftruncate(fd_.get(), static_cast<off_t>(bytes)) != 0)
      fail("cannot size the shared memory region to " + std::to_string(bytes) + " bytes");
    if (!map(fd_.get(), bytes)) fail("cannot map " + std::to_string(bytes) + " bytes of shared memory");
  }

  Fd fd_;
};

class Processes final : public ProcessStrategy {
 public:
  Processes(StrategyOptions options, std::filesystem::path worker_path)
      : ProcessStrategy(options),
        worker_path_(std::move(worker_path)),
        stall_check_(std::max(stall_interval() / kStallChecks, std::chrono::milliseconds(1))),
        stop_event_(high(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "an event descriptor")) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) fail("cannot create the results pipe");
    results_ = high(ends[0], "the results pipe");
    results_writer_ = high(ends[1], "the results pipe");
    if (fcntl(results_.get(), F_SETFL, O_NONBLOCK) != 0) fail("cannot configure the results pipe");
    start_workers(0, workers());
  }

  ~Processes() override { stop_workers(0); }


  std::vector<int> worker_pids() const override {
    std::vector<int> pids;
    for (const Worker& worker : workers_) pids.push_back(worker.pid);
    return pids;
  }
  int restarts() const override { return restarts_; }

  std::chrono::nanoseconds worker_cpu_time() const override {
    std::chrono::nanoseconds total = reaped_cpu_;
    for (const Worker& worker : workers_) total += worker.cpu_time();
    return total;
  }

 protected:
  int resize(int count) override {
    if (count > static_cast<int>(workers_.size())) start_workers(static_cast<int>(workers_.size()), count);
    if (count < static_cast<int>(workers_.size())) stop_workers(count);
    return count;
  }

  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    for (int index = 0; index < static_cast<int>(workers_.size()); ++index)
      if (!workers_[index].running()) spawn(index);  // replaces workers lost to an earlier failure
    post(job, tiles);
    Render render(*this, job, tiles, frame, sink, stop);
    const std::stop_callback on_stop(stop, [this] {
      const std::uint64_t one = 1;
      [[maybe_unused]] const ssize_t ignored = write(stop_event_.get(), &one, sizeof one);
    });
    return render.run();
  }

 private:
  // The bookkeeping of one render in flight.
  class Render {
   public:
    Render(Processes& owner, const Job& job, const std::vector<Tile>& tiles, Frame& frame,
           const TileSink& sink, std::stop_token stop)
        : owner_(owner), job_(job), tiles_(tiles), frame_(frame), sink_(sink), stop_(std::move(stop)),
          done_(tiles.size(), false), remaining_(tiles.size()), busy_(owner.workers_.size(), false),
          watches_(owner.workers_.size()), next_check_(Clock::now() + owner.stall_check_) {
      // A worker that died since the last render cannot be woken; its pidfd reports it, and it
      // is replaced like any other that dies. One stopped since then takes the byte into its
      // socket and is caught as stalled.
      for (std::size_t index = 0; index < busy_.size(); ++index) wake(index);
    }

    bool run() {
      try {
        while (!idle() || (remaining_ > 0 && !cancelled_)) {
          if (!cancelled_ && stop_.stop_requested()) cancel();
          if (!cancelled_ && remaining_ > 0 && idle())
            fail_with("the worker processes stopped with " + std::to_string(remaining_) +
                      " tiles unfinished (a worker broke the protocol)");
          if (idle()) continue;
          wait();
        }
      } catch (...) {
        kill_busy();  // nobody may write into the region once we stop watching
        throw;
      }
      if (failure_) std::rethrow_exception(failure_);
      return remaining_ == 0 && !cancelled_;
    }

   private:
    bool idle() const { return std::none_of(busy_.begin(), busy_.end(), [](bool busy) { return busy; }); }

    void wake(std::size_t index) {
      const Worker& worker = owner_.workers_[index];
      worker.wake_up();
      busy_[index] = true;
      watches_[index] = {worker.cpu_time(), 0};
    }

    void cancel() {
      if (cancelled_) return;
      cancelled_ = true;
      atomically(owner_.region_.header().cancelled).store(owner_.generation_);
      deadline_ = Clock::now() + kCancelGrace;
    }

    void fail_with(std::string message) {
      if (!failure_) failure_ = std::make_exception_ptr(Error(std::move(message)));
      cancel();
    }

    void wait() {
      std::vector<pollfd> polled{{owner_.results_.get(), POLLIN, 0}, {owner_.stop_event_.get(), POLLIN, 0}};
      std::vector<int> watched;
      for (int index = 0; index < static_cast<int>(busy_.size()); ++index) {
        if (!owner_.workers_[index].running()) continue;
        polled.push_back({owner_.workers_[index].pidfd.get(), POLLIN, 0});
        watched.push_back(index);
      }
      const int ready = poll(polled.data(), polled.size(), milliseconds_until(cancelled_ ? deadline_ : next_check_));
      if (ready < 0 && errno != EINTR) fail("cannot wait for the worker processes");
      if (ready == 0 && cancelled_) return kill_busy();
      if (polled[1].revents & POLLIN) {
        std::uint64_t count = 0;
        [[maybe_unused]] const ssize_t ignored = read(owner_.stop_event_.get(), &count, sizeof count);
      }
      // Every message a dead worker sent is already in the pipe: take them before its tiles go back.
      read_messages();
      for (std::size_t slot = 0; slot < watched.size(); ++slot) {
        if (!(polled[slot + 2].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        Worker& worker = owner_.workers_[watched[slot]];
        replace(watched[slot], worker.reap(owner_.reaped_cpu_));
      }
      check_for_stalls();
    }

    // Kills and replaces each busy worker whose CPU clock has stood still for kStallChecks
    // checks in a row (see kStallInterval). A cancelled render has its own, shorter deadline.
    void check_for_stalls() {
      if (cancelled_ || Clock::now() < next_check_) return;
      next_check_ = Clock::now() + owner_.stall_check_;
      for (std::size_t index = 0; index < busy_.size(); ++index) {
        Worker& worker = owner_.workers_[index];
        if (!busy_[index] || !worker.running()) continue;
        Watch& watch = watches_[index];
        const std::chrono::nanoseconds cpu = worker.cpu_time();
        if (cpu == std::chrono::nanoseconds::zero()) continue;  // unreadable: no grounds to kill
        watch.still = cpu == watch.cpu ? watch.still + 1 : 0;
        watch.cpu = cpu;
        if (watch.still < kStallChecks) continue;
        worker.kill_now();
        worker.reap(owner_.reaped_cpu_);
        const auto still_for = owner_.stall_check_ * kStallChecks;
        replace(static_cast<int>(index),
                "stalled (used no CPU for " + std::to_string(still_for.count()) + " ms) and was killed");
      }
    }

    // Workers too slow to put their tile down are stopped the hard way; the next render
    // starts new ones in their place.
    void kill_busy() {
      for (std::size_t index = 0; index < busy_.size(); ++index) {
        if (!busy_[index]) continue;
        owner_.workers_[index].kill_now();
        if (owner_.workers_[index].running()) owner_.workers_[index].reap(owner_.reaped_cpu_);
        busy_[index] = false;
      }
    }

    void read_messages() {
      for (;;) {
        const ssize_t got = read(owner_.results_.get(), pending_ + pending_size_, sizeof pending_ - pending_size_);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return;
        pending_size_ += static_cast<std::size_t>(got);
        std::size_t used = 0;
        for (; pending_size_ - used >= sizeof(Message); used += sizeof(Message)) {
          Message message;
          std::memcpy(&message, pending_ + used, sizeof message);
          handle(message);
        }
        std::memmove(pending_, pending_ + used, pending_size_ - used);
        pending_size_ -= used;
      }
    }

    void handle(const Message& message) {
      if (message.generation != owner_.generation_ || message.worker >= busy_.size()) return;
      if (message.kind == Kind::idle) busy_[message.worker] = false;
      if (message.kind != Kind::tile_done) return;
      if (!cancelled_ && stop_.stop_requested()) cancel();  // the sink may have asked just now
      if (cancelled_) return;
      if (message.tile >= tiles_.size() || done_[message.tile]) return;
      // One copy, checked and then used: a worker may still be writing the live entry.
      SharedTile shared;
      std::memcpy(&shared, &owner_.region_.at<SharedTile>(owner_.layout_.tiles_offset)[message.tile], sizeof shared);
      const std::optional<TileRecord> believed =
          believe(message, shared, owner_.workers_[message.worker].pid, tiles_, job_.params.max_iter, now_ns());
      if (!believed) return;
      const TileRecord& record = *believed;
      copy_pixels(record.tile);
      frame_.records[record.tile.index] = record;
      done_[message.tile] = true;
      --remaining_;
      if (!sink_) return;
      try {
        sink_(record);
      } catch (...) {
        if (!failure_) failure_ = std::current_exception();
        cancel();
      }
    }

    void copy_pixels(const Tile& tile) {
      const Layout& layout = owner_.layout_;
      const auto* counts = owner_.region_.at<std::uint32_t>(layout.counts_offset);
      const auto* smooth = job_.smooth ? owner_.region_.at<float>(layout.smooth_offset) : nullptr;
      for (int y = tile.y; y < tile.y + tile.height; ++y) {
        const std::size_t start = static_cast<std::size_t>(y) * frame_.width + tile.x;
        std::memcpy(frame_.counts.data() + start, counts + start, tile.width * sizeof *counts);
        if (smooth && !frame_.smooth.empty())
          std::memcpy(frame_.smooth.data() + start, smooth + start, tile.width * sizeof *smooth);
      }
    }

    // Worker `index` has exited (and was reaped) as `how` says. Put back the tiles it held and
    // start another in its place.
    void replace(int index, const std::string& how) {
      busy_[index] = false;
      if (cancelled_ || remaining_ == 0) return;
      auto* shared = owner_.region_.at<SharedTile>(owner_.layout_.tiles_offset);
      for (std::size_t tile = 0; tile < tiles_.size(); ++tile) {
        std::uint32_t claimed = static_cast<std::uint32_t>(index) + 1;
        if (!done_[tile]) atomically(shared[tile].claim).compare_exchange_strong(claimed, 0);
      }
      // A worker that keeps dying is broken, not unlucky: give up rather than loop.
      if (++deaths_ > 2 * static_cast<int>(busy_.size()) + 2)
        return fail_with("worker processes keep dying (worker " + std::to_string(index) + " " + how + ")");
      try {
        owner_.spawn(index);
      } catch (const Error& error) {
        return fail_with("worker " + std::to_string(index) + " " + how + " and could not be replaced: " + error.what());
      }
      ++owner_.restarts_;
      wake(static_cast<std::size_t>(index));
    }

    Processes& owner_;
    const Job& job_;
    const std::vector<Tile>& tiles_;
    Frame& frame_;
    const TileSink& sink_;
    std::stop_token stop_;
    std::vector<bool> done_;
    std::size_t remaining_;
    std::vector<bool> busy_;  // woken for this generation, no `idle` yet
    struct Watch {
      std::chrono::nanoseconds cpu{};  // the worker's CPU clock at the last check
      int still = 0;                   // checks in a row that found it unchanged
    };
    std::vector<Watch> watches_;  // of busy workers
    Clock::time_point next_check_;
    bool cancelled_ = false;
    Clock::time_point deadline_{};
    std::exception_ptr failure_;
    int deaths_ = 0;
    char pending_[sizeof(Message) * 256];
    std::size_t pending_size_ = 0;
  };

  // Writes the job into the region; every worker is idle, so nobody reads it meanwhile.
  void post(const Job& job, const std::vector<Tile>& tiles) {
    layout_ = layout_for(static_cast<std::uint64_t>(job.grid.width()), static_cast<std::uint64_t>(job.grid.height()),
                         tiles.size(), job.smooth);
    region_.fit(layout_.size);
    region_.post(job, tiles, layout_, ++generation_);

    // Messages of an earlier, cancelled render may still be in the pipe.
    char stale[4096];
    while (read(results_.get(), stale, sizeof stale) > 0) {
    }
  }

  // Starts workers [from, to) and waits until each has said it is ready.
  void start_workers(int from, int to) {
    if (static_cast<int>(workers_.size()) < to) workers_.resize(to);
    try {
      for (int index = from; index < to; ++index) spawn(index);
      await_ready(from, to);
    } catch (...) {
      stop_workers(from);
      throw;
    }
  }

  void await_ready(int from, int to) {
    std::vector<bool> ready(to - from, false);
    const auto deadline = Clock::now() + kStartTimeout;
    while (std::find(ready.begin(), ready.end(), false) != ready.end()) {
      std::vector<pollfd> polled{{results_.get(), POLLIN, 0}};
      for (int index = from; index < to; ++index) polled.push_back({workers_[index].pidfd.get(), POLLIN, 0});
      const int got = poll(polled.data(), polled.size(), milliseconds_until(deadline));
      if (got < 0 && errno != EINTR) fail("cannot wait for the worker processes");
      if (got == 0)
        throw Error("the worker processes (" + worker_path_.string() + ") did not start within " +
                    std::to_string(kStartTimeout.count()) + " s");
      Message message;
      while (read(results_.get(), &message, sizeof message) == sizeof message)
        if (message.kind == Kind::ready && message.worker >= static_cast<std::uint32_t>(from) &&
            message.worker < static_cast<std::uint32_t>(to))
          ready[message.worker - from] = true;
      for (int index = from; index < to; ++index)
        if (!ready[index - from] && (polled[index - from + 1].revents & (POLLIN | POLLHUP | POLLERR)))
          throw Error("worker process " + worker_path_.string() + " " + workers_[index].reap(reaped_cpu_) +
                      " before it was ready");
    }
  }

  void spawn(int index) { workers_[index] = Worker::start(worker_path_, index, region_.fd(), results_writer_.get()); }

  // Stops workers [from, end) and forgets them: closing a worker's socket tells it to exit;
  // one that has not within a second is killed. Every one is reaped.
  void stop_workers(int from) {
    for (std::size_t index = from; index < workers_.size(); ++index) workers_[index].wake.reset();
    const auto deadline = Clock::now() + kShutdownGrace;
    for (std::size_t index = from; index < workers_.size(); ++index) {
      Worker& worker = workers_[index];
      if (!worker.running()) continue;
      pollfd exited{worker.pidfd.get(), POLLIN, 0};
      while (poll(&exited, 1, milliseconds_until(deadline)) < 0 && errno == EINTR) {
      }
      if (!(exited.revents & POLLIN)) worker.kill_now();
      worker.reap(reaped_cpu_);
    }
    workers_.resize(from);
  }

  std::filesystem::path worker_path_;
  std::chrono::milliseconds stall_check_;  // the time between two checks for stalled workers
  Region region_;
  Layout layout_{};
  Fd results_;         // the parent's end of the results pipe, non-blocking
  Fd results_writer_;  // kept to hand to workers started later
  Fd stop_event_;      // written by the stop callback to wake the render's poll
  std::vector<Worker> workers_;
  std::uint32_t generation_ = 0;
  int restarts_ = 0;
  std::chrono::nanoseconds reaped_cpu_{};  // of workers that have exited
};

}  // namespace

std::filesystem::path default_worker_path() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "parafrac-worker";
  return self.parent_path() / "parafrac-worker";
}

std::unique_ptr<ProcessStrategy> make_process_strategy(StrategyOptions options,
                                                       const std::filesystem::path& worker) {
  return std::make_unique<Processes>(options, worker);
}

std::unique_ptr<Strategy> make_processes(StrategyOptions options) {
  return make_process_strategy(options, default_worker_path());
}

}  // namespace parafrac
