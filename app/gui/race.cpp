#include "race.hpp"

#include <algorithm>

namespace parafrac::gui {

Load load_of(const RaceRun& run, int cores) {
  if (run.wall_seconds <= 0 || run.workers < 1) return Load::normal;  // nothing measured to judge
  const double cpu_per_wall = run.cpu_seconds / run.wall_seconds;
  const int usable = std::max(1, std::min(run.workers, cores));
  if (cpu_per_wall > 1.25 * run.workers) return Load::clocks_disagree;
  if (cpu_per_wall < 0.7 * usable) return Load::busy;
  return Load::normal;
}

void Race::start(std::vector<std::string> strategies, std::string key, int cores) {
  queue_ = std::move(strategies);
  runs_.clear();
  key_ = std::move(key);
  cores_ = cores;
  results_.clear();
}

int Race::renders_to_go() const {
  return running() ? static_cast<int>(queue_.size()) * kRuns - run() : 0;
}

bool Race::finished(const std::string& strategy, const std::string& key, const RaceRun& run) {
  if (!running() || strategy != queue_.front() || key != key_) return false;
  runs_.push_back(run);
  if (static_cast<int>(runs_.size()) < kRuns) return true;
  std::sort(runs_.begin(), runs_.end(),
            [](const RaceRun& a, const RaceRun& b) { return a.wall_seconds < b.wall_seconds; });
  const RaceRun& median = runs_[runs_.size() / 2];
  results_.push_back({queue_.front(), median, load_of(median, cores_)});
  runs_.clear();
  queue_.erase(queue_.begin());
  return true;
}

}  // namespace parafrac::gui
