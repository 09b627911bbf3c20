#pragma once
#include <condition_variable>
#include <exception>
#include <mutex>
#include <utility>
#include <vector>

namespace parafrac {

// Numbered places for at most `count` concurrent workers: acquire() waits until one is free and
// returns its number, which becomes the worker id in tile records. Thread-safe.
class Slots {
 public:
  explicit Slots(int count) {
    for (int slot = count - 1; slot >= 0; --slot) free_.push_back(slot);
  }

  int acquire() {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [this] { return !free_.empty(); });
    const int slot = free_.back();
    free_.pop_back();
    return slot;
  }

  void release(int slot) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(slot);
    }
    released_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<int> free_;
};

// Holds a slot for one worker and gives it back however the worker ends.
class SlotLease {
 public:
  SlotLease(Slots& slots, int slot) : slots_(slots), slot_(slot) {}
  ~SlotLease() { slots_.release(slot_); }
  SlotLease(const SlotLease&) = delete;
  SlotLease& operator=(const SlotLease&) = delete;

 private:
  Slots& slots_;
  int slot_;
};

// The first exception thrown by any worker, kept to be rethrown on the caller's thread.
class FirstFailure {
 public:
  void capture() {
    std::lock_guard lock(mutex_);
    if (!failure_) failure_ = std::current_exception();
  }
  void rethrow() {
    std::lock_guard lock(mutex_);
    if (failure_) std::rethrow_exception(failure_);
  }
  // The same, leaving it empty for the next round.
  void rethrow_and_clear() {
    std::exception_ptr failure;
    {
      std::lock_guard lock(mutex_);
      failure = std::exchange(failure_, nullptr);
    }
    if (failure) std::rethrow_exception(failure);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr failure_;
};

}  // namespace parafrac
