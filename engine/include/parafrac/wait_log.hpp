#pragma once
// Timing the waits of a render: a strategy built from locks, conditions, barriers and semaphores
// acquires them through a WaitLog, which tries each first and times only the waits that follow
// (two clock reads a wait; an uncontended acquisition costs nothing more than before).
#include <barrier>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "parafrac/clock.hpp"
#include "parafrac/frame.hpp"

namespace parafrac {

class WaitLog {
 public:
  // Forgets the last render's waits and makes room for workers 0 .. lanes - 1. Not during a render.
  void start(int lanes);
  // The render's waits, in order of start. Not during a render.
  Waits collect();

  // Each call below is made by worker `worker` (one thread at a time per worker: its log is its own).

  template <class Mutex>
  std::unique_lock<Mutex> lock(int worker, Mutex& mutex) {
    std::unique_lock lock(mutex, std::try_to_lock);
    if (!lock.owns_lock()) {
      const std::int64_t start = now_ns();
      lock.lock();
      add(worker, WaitKind::lock, start, true);
    }
    return lock;
  }

  template <class Predicate>
  void wait(int worker, std::condition_variable& condition, std::unique_lock<std::mutex>& lock, Predicate ready) {
    if (ready()) return;
    const std::int64_t start = now_ns();
    condition.wait(lock, ready);
    add(worker, WaitKind::condition, start, false);
  }

  template <class Completion>
  void arrive_and_wait(int worker, std::barrier<Completion>& barrier) {
    const std::int64_t start = now_ns();
    barrier.arrive_and_wait();
    add(worker, WaitKind::barrier, start, false);
  }

  template <class Semaphore>
  void acquire(int worker, Semaphore& semaphore) {
    if (semaphore.try_acquire()) return;
    const std::int64_t start = now_ns();
    semaphore.acquire();
    add(worker, WaitKind::semaphore, start, true);
  }

 private:
  // Never throws (a record it cannot store is dropped, the totals still count it): it runs with
  // the primitive already taken, where an exception would leave a barrier or a permit behind.
  void add(int worker, WaitKind what, std::int64_t start, bool contended) noexcept;

  // One per worker, a cache line apart so that workers logging at once do not share a line.
  struct alignas(64) Lane {
    std::vector<WaitRecord> records;
    std::int64_t total_ns = 0;
    std::uint64_t count = 0;
    std::uint64_t contended = 0;
  };
  std::vector<Lane> lanes_;
};

}  // namespace parafrac
