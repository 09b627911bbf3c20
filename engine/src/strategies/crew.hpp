#pragma once
// A fixed set of threads that each run one function per render, for the strategies that hand out
// tiles their own way (counter, queue): the threads are created with the strategy and reused.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "parafrac/strategy.hpp"
#include "strategies/slots.hpp"

namespace parafrac {

class Crew {
 public:
  explicit Crew(int size) {
    threads_.reserve(size);
    for (int worker = 0; worker < size; ++worker)
      threads_.emplace_back([this, worker](std::stop_token stop) { serve(worker, stop); });
  }
  // ~jthread requests stop and joins; the waits below wake on that stop request.

  int size() const { return static_cast<int>(threads_.size()); }

  // Calls work(worker) on every thread at once, then `meanwhile()` on the caller's thread, and
  // returns when every call has returned; rethrows the first exception any of them threw.
  void run(const std::function<void(int worker)>& work, const std::function<void()>& meanwhile = {}) {
    {
      std::lock_guard lock(mutex_);
      work_ = &work;
      running_ = size();
      ++generation_;
    }
    started_.notify_all();
    try {
      if (meanwhile) meanwhile();
    } catch (...) {
      failure_.capture();
    }
    {
      std::unique_lock lock(mutex_);
      finished_.wait(lock, [this] { return running_ == 0; });
      work_ = nullptr;
    }
    failure_.rethrow_and_clear();
  }

 private:
  void serve(int worker, std::stop_token stop) {
    std::uint64_t seen = 0;
    for (;;) {
      const std::function<void(int)>* work = nullptr;
      {
        std::unique_lock lock(mutex_);
        if (!started_.wait(lock, stop, [&] { return generation_ != seen; })) return;
        seen = generation_;
        work = work_;
      }
      try {
        (*work)(worker);
      } catch (...) {
        failure_.capture();
      }
      {
        std::lock_guard lock(mutex_);
        --running_;
      }
      finished_.notify_one();
    }
  }

  std::mutex mutex_;
  std::condition_variable_any started_;
  std::condition_variable finished_;
  const std::function<void(int)>* work_ = nullptr;
  std::uint64_t generation_ = 0;  // one per run()
  int running_ = 0;               // calls of this run() not yet returned
  FirstFailure failure_;
  std::vector<std::jthread> threads_;  // last: stopped and joined before the rest goes
};

// A strategy whose workers are a Crew: started with it, replaced when the worker count changes
// (its threads are idle between renders).
class CrewStrategy : public Strategy {
 public:
  explicit CrewStrategy(StrategyOptions options) : Strategy(options), crew_(std::make_unique<Crew>(workers())) {}

 protected:
  int resize(int workers) override {
    crew_ = std::make_unique<Crew>(workers);
    return workers;
  }
  Crew& crew() { return *crew_; }

 private:
  std::unique_ptr<Crew> crew_;
};

}  // namespace parafrac
