#pragma once
// Plays random requests against a Renderer as the app's frame loop does, and checks what comes
// back. A failed check prints one line (with the seed that replays the run) and ends the
// process with status 1 at once: a Renderer that hung cannot be destroyed.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "parafrac/renderer.hpp"

namespace parafrac::soak {

struct Options {
  double seconds = 30;
  std::uint64_t seed = 0;
  bool verbose = false;
};

// How a step lets its render go.
enum class Ending {
  wait,       // until it ends, taking its tiles frame by frame; it must finish
  supersede,  // after `delay`, the next step's request replaces it
  cancel,     // after `delay`, Renderer::cancel, then until the Renderer is idle
};

// One request and what happens to it. Drawn from the seed alone, never from timing, so a seed
// replays the same requests in the same order.
struct Step {
  View view;
  RenderRequest request;
  Ending ending = Ending::wait;
  std::chrono::microseconds delay{};
  bool kill = false;  // SIGKILL a worker process (processes only), `kill_delay` after the start
  std::chrono::microseconds kill_delay{};
  std::uint64_t victim = 0;  // which of the live workers, modulo their number
};

class Driver {
 public:
  explicit Driver(Options options);

  void start_renderer();
  // Destroys the Renderer in whatever state it is in (its destructor cancels and joins).
  void stop_renderer();
  // Plays random steps until `end`.
  void run_until(std::chrono::steady_clock::time_point end);
  // Brings the Renderer to one fixed configuration: idle, every strategy made with the same
  // worker count and tile size and run twice (the second run restores any worker the first
  // found dead), so that what the process holds is the same whenever this returns.
  void quiesce();
  // The run's numbers, one line.
  std::string summary() const;

 private:
  struct Expected {
    Step step;
    bool must_finish = false;
  };

  Step random_step();
  void play(const Step& step);
  void kill_a_worker(const Step& step);
  void wait_until_started();
  void pause(std::chrono::microseconds duration);
  std::vector<TileUpdate> wait_until_idle();
  void take_reports(std::uint64_t waited, const std::vector<TileUpdate>& tiles);
  void check(const Expected& expected, const RenderReport& report, const std::vector<TileUpdate>* tiles);
  [[noreturn]] void fail(const std::string& what) const;
  std::string describe(std::uint64_t generation, const Step& step) const;

  Options options_;
  std::mt19937_64 dice_;
  std::vector<std::string> names_;
  int tile_size_ = 32;
  std::unique_ptr<Strategy> serial_;

  std::mutex mutex_;
  std::condition_variable ended_cv_;
  int ended_ = 0;  // renders ended so far, counted by the Renderer's callback
  std::optional<Renderer> renderer_;
  std::map<std::uint64_t, Expected> expected_;  // requested, not yet reported

  struct Counts {
    int steps = 0, strategy_switches = 0, worker_switches = 0;
    int finished = 0, tiles_checked = 0, cancelled = 0, never_started = 0, cancels = 0, supersedes = 0;
    int kills_in_flight = 0, kills_idle = 0, renderers = 0;
    std::map<std::string, int> finished_by_strategy;
    std::int64_t pixels = 0;
  } counts_;
  std::string previous_strategy_;
  int previous_workers_ = -1;
};

}  // namespace parafrac::soak
