#pragma once
#include <filesystem>
#include <memory>
#include <vector>

#include "parafrac/strategy.hpp"

namespace parafrac {

// The `processes` strategy, for callers that want more than the registry gives: a worker
// executable of their choosing (tests point it at broken ones) and a look at its workers.
class ProcessStrategy : public Strategy {
 public:
  using Strategy::Strategy;
  // The worker processes' ids, by worker index (0 for a worker that is not running now).
  virtual std::vector<int> worker_pids() const = 0;
  // How many workers died during renders and were replaced.
  virtual int restarts() const = 0;
};

// `parafrac-worker` in the directory of the running executable: the build tree puts every
// program in one bin/ folder, and an install puts them side by side too.
std::filesystem::path default_worker_path();

// Starts the workers and waits until each has mapped the shared region; throws Error naming the
// problem when one cannot be started or dies on the way.
std::unique_ptr<ProcessStrategy> make_process_strategy(StrategyOptions options,
                                                       const std::filesystem::path& worker);

}  // namespace parafrac
