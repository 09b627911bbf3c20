#pragma once
// The race: one view rendered with every strategy in turn, a few times each, the median kept,
// and a word on whether the machine let the numbers mean anything. Logic only: window_race.cpp
// draws it and state.cpp drives it. The race never touches the user's choice of strategy: it
// names the strategy to render while it runs, and the app's own choice is back when it ends.
#include <string>
#include <vector>

namespace parafrac::gui {

// One render's cost.
struct RaceRun {
  int workers = 0;
  double wall_seconds = 0;
  double cpu_seconds = 0;  // the tiles' thread CPU clocks, summed
  bool exact = true;       // the serial image bit for bit (not the GPU's floats)
};

// What a render's CPU seconds per wall second say about the machine during it.
enum class Load {
  normal,
  busy,             // the workers could not get the cores they were ready to use
  clocks_disagree,  // more CPU time than the workers could have spent
};

// A render's load, given the machine's hardware threads. Each worker's CPU clock runs only while
// it holds a core, so a render can use at most min(workers, cores) CPU seconds per wall second
// ("usable"); a serial render, 1. Well below that (under 70 %), the workers spent a third of the
// render ready but without a core: other programs had the cores, and the wall time measures the
// machine's load as much as the strategy (a serial baseline slowed that way gave "2.92x,
// efficiency 146 %" on 2 cores). The 30 % margin leaves room for what a render loses on its own:
// starting workers and the tail where the last tiles finish. Well above the worker count (25 %
// over), the clocks cannot be trusted: nothing of ours can run faster than that.
Load load_of(const RaceRun& run, int cores);

struct RaceResult {
  std::string strategy;
  RaceRun median;  // the run with the median wall time, its CPU time with it
  Load load = Load::normal;
};

class Race {
 public:
  static constexpr int kRuns = 3;  // per strategy: the median of three shrugs off one disturbed run

  // Races `strategies` in order on the renders keyed `key` (the view and everything that changes
  // a render's work), forgetting earlier results. `cores` judges each result's load.
  void start(std::vector<std::string> strategies, std::string key, int cores);
  // Ends the race early; the results so far stay.
  void stop() { queue_.clear(); }
  bool running() const { return !queue_.empty(); }

  // While running: the strategy to render now, and which of its runs (0..kRuns-1), which tells
  // a repeated render of the same strategy from the last one.
  const std::string& strategy() const { return queue_.front(); }
  int run() const { return static_cast<int>(runs_.size()); }
  int renders_to_go() const;

  // A render finished: counted (true) when it is the one the race waits for, on its key.
  bool finished(const std::string& strategy, const std::string& key, const RaceRun& run);

  // Every strategy raced to the end, in race order.
  const std::vector<RaceResult>& results() const { return results_; }
  // The results were raced on renders other than `key`'s (the view changed since).
  bool stale(const std::string& key) const { return key != key_; }

 private:
  std::vector<std::string> queue_;  // the strategy being raced first
  std::vector<RaceRun> runs_;       // of queue_.front() so far
  std::string key_;
  int cores_ = 1;
  std::vector<RaceResult> results_;
};

}  // namespace parafrac::gui
