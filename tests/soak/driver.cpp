#include "driver.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <thread>

#include "census.hpp"
#include "parafrac/tiles.hpp"

namespace parafrac::soak {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;

// A render that has not ended after this long is hung (the largest soak render takes well
// under a second in the release build, a few under TSan on a loaded machine).
constexpr auto kHang = std::chrono::seconds(120);
// How often the frame loop takes finished tiles while it waits, as a 60 Hz UI would.
constexpr auto kFrame = std::chrono::milliseconds(16);
constexpr const char* kWorker = "parafrac-worker";  // as /proc shows the process strategy's workers

int between(std::mt19937_64& dice, int low, int high) { return std::uniform_int_distribution(low, high)(dice); }
double real(std::mt19937_64& dice, double low, double high) { return std::uniform_real_distribution(low, high)(dice); }
bool chance(std::mt19937_64& dice, double p) { return real(dice, 0, 1) < p; }
// Log-uniform: small values as often as large ones, so most renders are quick.
double log_real(std::mt19937_64& dice, double low, double high) {
  return std::exp(real(dice, std::log(low), std::log(high)));
}
int log_int(std::mt19937_64& dice, int low, int high) {
  return static_cast<int>(std::lround(log_real(dice, low, high)));
}

// Bit for bit: the kernel's NaN-free values compare so, and -0 is not 0 here.
bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

std::string first_difference(const Frame& got, const Frame& want) {
  for (std::size_t i = 0; i < want.counts.size(); ++i) {
    const bool count_differs = got.counts[i] != want.counts[i];
    if (!count_differs && (want.smooth.empty() || std::memcmp(&got.smooth[i], &want.smooth[i], sizeof(float)) == 0))
      continue;
    char line[200];
    std::snprintf(line, sizeof line, "pixel (%zu, %zu): count %u smooth %.9g, serial's count %u smooth %.9g",
                  i % want.width, i / want.width, got.counts[i], want.smooth.empty() ? 0.0 : got.smooth[i],
                  want.counts[i], want.smooth.empty() ? 0.0 : want.smooth[i]);
    return line;
  }
  return "no pixel differs";
}

}  // namespace

Driver::Driver(Options options)
    : options_(options), dice_(options.seed), names_(strategy_names()), serial_(make_strategy("serial", {1, 64})) {}

void Driver::start_renderer() {
  ++counts_.renderers;
  renderer_.emplace([this] {
    {
      std::lock_guard lock(mutex_);
      ++ended_;
    }
    ended_cv_.notify_all();
  });
}

void Driver::stop_renderer() {
  renderer_.reset();
  expected_.clear();  // what was in flight ended unreported, with the Renderer
}

void Driver::run_until(Clock::time_point end) {
  while (Clock::now() < end) play(random_step());
}

void Driver::quiesce() {
  renderer_->cancel();
  take_reports(0, wait_until_idle());
  Step step;
  step.view = {-0.75, 0.1, 2.4, 96, 64};
  for (int round = 0; round < 2; ++round)
    for (const std::string& name : names_) {
      step.request = {{grid_of(step.view), {300}, true}, name, {2, 32}, true, true};
      play(step);
    }
}

Step Driver::random_step() {
  Step step;
  const std::string& strategy = names_[between(dice_, 0, static_cast<int>(names_.size()) - 1)];
  step.kill = strategy == "processes" && chance(dice_, 0.5);
  // Anywhere around the set, from all of it down to pixels of about 1e-9, which double precision
  // still tells apart. A render whose worker is to be killed is longer (around the main cardioid,
  // every point iterated), so that the kill comes while it runs.
  step.view.center_re = step.kill ? real(dice_, -0.75, 0.25) : real(dice_, -2.1, 0.7);
  step.view.center_im = step.kill ? real(dice_, -0.5, 0.5) : real(dice_, -1.2, 1.2);
  step.view.scale = step.kill ? log_real(dice_, 0.01, 1.5) : log_real(dice_, 1e-7, 3.5);
  step.view.width = log_int(dice_, step.kill ? 64 : 16, 200);
  step.view.height = log_int(dice_, step.kill ? 64 : 16, 200);
  KernelParams params;
  params.max_iter = static_cast<std::uint32_t>(log_int(dice_, step.kill ? 500 : 50, 2000));
  params.start = chance(dice_, 0.1) ? Start::c : Start::zero;
  params.escape = chance(dice_, 0.2) ? Escape::hypot : Escape::norm;
  params.kernel = chance(dice_, 0.5) ? KernelKind::simd : KernelKind::scalar;
  params.shortcuts = !step.kill && chance(dice_, 0.8);
  const bool smooth = chance(dice_, 0.9);
  const int workers = chance(dice_, 0.1) ? 0 : between(dice_, 1, 6);
  // A new tile size makes the Renderer replace the strategy instance: now and then, as a user would.
  if (chance(dice_, 0.3)) tile_size_ = between(dice_, 8, 96);
  const bool publish_tiles = chance(dice_, 0.9);
  step.request = {{grid_of(step.view), params, smooth}, strategy, {workers, tile_size_}, publish_tiles, true};
  const double ending = real(dice_, 0, 1);
  step.ending = ending < 0.5 ? Ending::wait : ending < 0.8 ? Ending::supersede : Ending::cancel;
  step.delay = microseconds(log_int(dice_, 100, 50'000));
  step.kill_delay = microseconds(log_int(dice_, 20, 20'000));
  step.victim = dice_();
  return step;
}

void Driver::play(const Step& step) {
  take_reports(0, {});  // whatever ended meanwhile: a superseded render that finished is checked too
  const RenderRequest& request = step.request;
  ++counts_.steps;
  counts_.strategy_switches += request.strategy != previous_strategy_;
  counts_.worker_switches += request.options.workers != previous_workers_;
  previous_strategy_ = request.strategy;
  previous_workers_ = request.options.workers;
  const std::uint64_t generation = renderer_->request(request);
  expected_[generation] = {step, step.ending == Ending::wait};
  if (options_.verbose) std::printf("%s\n", describe(generation, step).c_str());
  if (step.kill) kill_a_worker(step);
  switch (step.ending) {
    case Ending::wait:
      take_reports(generation, wait_until_idle());
      break;
    case Ending::supersede:
      pause(step.delay);
      ++counts_.supersedes;
      break;
    case Ending::cancel:
      pause(step.delay);
      renderer_->cancel();
      ++counts_.cancels;
      take_reports(0, wait_until_idle());
      break;
  }
}

void Driver::kill_a_worker(const Step& step) {
  wait_until_started();  // the workers are ready then: a kill tests replacement, not start-up
  pause(step.kill_delay);
  const bool in_flight = renderer_->progress().busy;
  const std::vector<int> workers = live_children(kWorker);
  if (workers.empty() || !kill_child(workers[step.victim % workers.size()], kWorker)) return;
  ++(in_flight ? counts_.kills_in_flight : counts_.kills_idle);
}

// The Renderer says when a render ends but not when one starts: this looks, every 100 us.
void Driver::wait_until_started() {
  const auto deadline = Clock::now() + kHang;
  for (Renderer::Progress progress = renderer_->progress(); progress.busy && progress.total == 0;
       progress = renderer_->progress()) {
    if (Clock::now() > deadline)
      fail(describe(progress.generation, expected_.rbegin()->second.step) + " never started");
    std::this_thread::sleep_for(microseconds(100));
  }
}

// For `duration`, or until a render ends, whichever comes first.
void Driver::pause(microseconds duration) {
  std::unique_lock lock(mutex_);
  const int seen = ended_;
  ended_cv_.wait_for(lock, duration, [&] { return ended_ != seen; });
}

// Takes tiles frame by frame, as the app does, until the Renderer has nothing in flight; its
// reports are ready then. Returns the tiles.
std::vector<TileUpdate> Driver::wait_until_idle() {
  std::vector<TileUpdate> tiles;
  const auto deadline = Clock::now() + kHang;
  for (;;) {
    int seen = 0;
    {
      std::lock_guard lock(mutex_);
      seen = ended_;
    }
    for (TileUpdate& update : renderer_->take_tiles()) tiles.push_back(std::move(update));
    const Renderer::Progress progress = renderer_->progress();
    if (!progress.busy) break;
    if (Clock::now() > deadline)
      fail(describe(progress.generation, expected_.rbegin()->second.step) + " has not ended after " +
           std::to_string(kHang.count()) + " s: the Renderer hangs");
    std::unique_lock lock(mutex_);
    ended_cv_.wait_for(lock, kFrame, [&] { return ended_ != seen; });
  }
  // A render's tiles are queued before its end: these are the last of them.
  for (TileUpdate& update : renderer_->take_tiles()) tiles.push_back(std::move(update));
  return tiles;
}

// Checks every report that arrived; `tiles` are generation `waited`'s, all that were handed out.
void Driver::take_reports(std::uint64_t waited, const std::vector<TileUpdate>& tiles) {
  for (const RenderReport& report : renderer_->take_reports()) {
    // Reports come in generation order; a request without one was replaced before it started.
    const auto found = expected_.find(report.generation);
    if (found == expected_.end())
      fail("a report for render " + std::to_string(report.generation) + ", never requested or reported twice");
    counts_.never_started += static_cast<int>(std::distance(expected_.begin(), found));
    const Expected expected = found->second;
    expected_.erase(expected_.begin(), std::next(found));
    check(expected, report, report.generation == waited ? &tiles : nullptr);
  }
}

void Driver::check(const Expected& expected, const RenderReport& report, const std::vector<TileUpdate>* tiles) {
  const std::string what = describe(report.generation, expected.step);
  if (report.outcome == RenderReport::Outcome::failed) fail(what + " failed: " + report.error);
  if (report.outcome == RenderReport::Outcome::cancelled) {
    if (expected.must_finish) fail(what + " was cancelled, though nothing cancelled it");
    ++counts_.cancelled;
    return;
  }
  const RenderRequest& request = expected.step.request;
  const Job& job = request.job;
  if (!report.frame) fail(what + " finished without the frame it was asked to keep");
  Frame reference(job.grid.width(), job.grid.height(), job.smooth);
  serial_->render(job, reference, {});
  const Frame& frame = *report.frame;
  if (frame.counts != reference.counts || !same_bits(frame.smooth, reference.smooth))
    fail(what + " differs from the serial strategy's image: " + first_difference(frame, reference));
  const int wanted = request.options.workers == 0 ? hardware_workers() : request.options.workers;
  // A strategy may run fewer workers than asked (serial one, tbb one a core), never more.
  if (report.tile_size != request.options.tile_size || report.workers < 1 || report.workers > wanted)
    fail(what + " ran with " + std::to_string(report.workers) + " workers and tile " +
         std::to_string(report.tile_size));
  const auto tile_total = static_cast<std::size_t>(tile_count(frame.width, frame.height, report.tile_size));
  if (report.records.size() != tile_total || report.tiles_done() != static_cast<int>(tile_total))
    fail(what + " reports " + std::to_string(report.tiles_done()) + " of " + std::to_string(tile_total) +
         " tiles done");
  for (const TileRecord& record : report.records)
    if (record.worker >= report.lanes)  // its worker numbers (semaphore's tasks: twice its workers)
      fail(what + " has a tile drawn by worker " + std::to_string(record.worker) + " of " + std::to_string(report.lanes));
  ++counts_.finished;
  ++counts_.finished_by_strategy[request.strategy];
  counts_.pixels += static_cast<std::int64_t>(frame.counts.size());
  if (!tiles) return;

  // What the app would have shown: each tile once, and together the serial image.
  if (!request.publish_tiles) {
    if (!tiles->empty()) fail(what + " handed out tiles, though asked not to");
    return;
  }
  std::vector<bool> seen(tile_total, false);
  std::vector<float> image(reference.smooth.size(), std::numeric_limits<float>::quiet_NaN());
  for (const TileUpdate& update : *tiles) {
    const Tile& tile = update.record.tile;
    if (update.generation != report.generation || tile.index < 0 ||
        static_cast<std::size_t>(tile.index) >= tile_total || seen[tile.index])
      fail(what + " handed out tile " + std::to_string(tile.index) + " of render " + std::to_string(update.generation) +
           " twice, or while it was not the latest");
    seen[tile.index] = true;
    if (!job.smooth) continue;
    for (int row = 0; row < tile.height; ++row)
      std::copy_n(update.smooth.begin() + static_cast<std::ptrdiff_t>(row) * tile.width, tile.width,
                  image.begin() + static_cast<std::ptrdiff_t>(tile.y + row) * frame.width + tile.x);
  }
  if (tiles->size() != tile_total)
    fail(what + " handed out " + std::to_string(tiles->size()) + " of its " + std::to_string(tile_total) + " tiles");
  if (!same_bits(image, reference.smooth))
    fail(what + ": its tiles, put together, differ from the serial strategy's image");
  ++counts_.tiles_checked;
}

void Driver::fail(const std::string& what) const {
  std::fflush(stdout);
  std::fprintf(stderr, "parafrac-soak: FAIL: %s\nparafrac-soak: replay with: parafrac-soak --seed %llu --seconds %g\n",
               what.c_str(), static_cast<unsigned long long>(options_.seed), options_.seconds);
  std::fflush(stderr);
  std::_Exit(1);
}

std::string Driver::describe(std::uint64_t generation, const Step& step) const {
  const RenderRequest& request = step.request;
  const KernelParams& params = request.job.params;
  static constexpr const char* kEndings[] = {"waited for", "superseded", "cancelled"};
  char line[512];
  std::snprintf(line, sizeof line,
                "render %llu (%s, %d workers, tile %d, %dx%d at %.17g,%.17g scale %.17g, max_iter %u, %s, "
                "shortcuts %s, z0 %s, escape %s, smooth %s, tiles %s; %s after %lld us%s)",
                static_cast<unsigned long long>(generation), request.strategy.c_str(), request.options.workers,
                request.options.tile_size, step.view.width, step.view.height, step.view.center_re, step.view.center_im,
                step.view.scale, params.max_iter, params.kernel == KernelKind::simd ? "simd" : "scalar",
                params.shortcuts ? "on" : "off", params.start == Start::c ? "c" : "0",
                params.escape == Escape::hypot ? "hypot" : "norm", request.job.smooth ? "on" : "off",
                request.publish_tiles ? "on" : "off", kEndings[static_cast<int>(step.ending)],
                static_cast<long long>(step.delay.count()), step.kill ? ", a worker killed" : "");
  return line;
}

std::string Driver::summary() const {
  std::string by_strategy;
  for (const auto& [name, count] : counts_.finished_by_strategy)
    by_strategy += (by_strategy.empty() ? "" : ", ") + name + " " + std::to_string(count);
  char line[1024];
  std::snprintf(line, sizeof line,
                "%d requests in %d Renderers: %d renders finished and matched serial bit for bit (%s; %.1f Mpixels), "
                "%d of them also tile by tile as handed out; %d ended cancelled (after %d cancel calls and %d new "
                "requests mid-render), %d replaced before they started; workers killed: %d during a render, %d idle; "
                "%d strategy switches, %d worker-count switches",
                counts_.steps, counts_.renderers, counts_.finished, by_strategy.c_str(),
                static_cast<double>(counts_.pixels) * 1e-6, counts_.tiles_checked, counts_.cancelled, counts_.cancels,
                counts_.supersedes, counts_.never_started, counts_.kills_in_flight, counts_.kills_idle,
                counts_.strategy_switches, counts_.worker_switches);
  return line;
}

}  // namespace parafrac::soak
