#include "parafrac/renderer.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include "parafrac/clock.hpp"
#include "parafrac/error.hpp"
#include "parafrac/tiles.hpp"

namespace parafrac {

int RenderReport::tiles_done() const {
  return static_cast<int>(std::count_if(records.begin(), records.end(),
                                        [](const TileRecord& record) { return record.finished(); }));
}

Renderer::Renderer(std::function<void()> ended)
    : ended_(std::move(ended)), thread_([this](std::stop_token quit) { loop(quit); }) {}

Renderer::~Renderer() {
  cancel();
  // thread_'s destructor then asks loop() to quit and joins it.
}

std::uint64_t Renderer::request(RenderRequest request) {
  std::lock_guard lock(mutex_);
  in_flight_.request_stop();
  pending_ = std::move(request);
  progress_ = {++generation_, 0, 0, true};
  tiles_.clear();  // stale: nobody may display them now
  wake_.notify_one();
  return generation_;
}

void Renderer::cancel() {
  std::lock_guard lock(mutex_);
  in_flight_.request_stop();
  if (pending_) {
    pending_.reset();
    progress_.busy = false;
  }
}

std::vector<TileUpdate> Renderer::take_tiles() {
  std::lock_guard lock(mutex_);
  return std::exchange(tiles_, {});
}

std::vector<RenderReport> Renderer::take_reports() {
  std::lock_guard lock(mutex_);
  return std::exchange(reports_, {});
}

Renderer::Progress Renderer::progress() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

void Renderer::loop(std::stop_token quit) {
  for (;;) {
    RenderRequest request;
    std::uint64_t generation = 0;
    std::stop_token stop;
    {
      std::unique_lock lock(mutex_);
      if (!wake_.wait(lock, quit, [this] { return pending_.has_value(); })) return;
      request = std::move(*pending_);
      pending_.reset();
      generation = generation_;
      in_flight_ = std::stop_source();
      stop = in_flight_.get_token();
    }
    RenderReport report = render(request, generation, stop);
    {
      std::lock_guard lock(mutex_);
      if (generation == generation_) progress_.busy = false;
      reports_.push_back(std::move(report));
    }
    if (ended_) ended_();
  }
}

Strategy& Renderer::strategy_for(const RenderRequest& request) {
  auto found = strategies_.find(request.strategy);
  // The tile size and the strategy's own settings are fixed per instance: new ones replace it.
  if (found != strategies_.end() &&
      (found->second->tile_size() != request.options.tile_size ||
       found->second->settings() != strategy_settings(request.strategy, request.options.settings))) {
    strategies_.erase(found);
    found = strategies_.end();
  }
  if (found == strategies_.end())
    found = strategies_.emplace(request.strategy, make_strategy(request.strategy, request.options)).first;
  Strategy& strategy = *found->second;
  strategy.set_workers(request.options.workers);
  return strategy;
}

RenderReport Renderer::render(const RenderRequest& request, std::uint64_t generation,
                              std::stop_token stop) {
  RenderReport report;
  report.generation = generation;
  report.strategy = request.strategy;
  report.width = request.job.grid.width();
  report.height = request.job.grid.height();
  report.params = request.job.params;
  try {
    Strategy& strategy = strategy_for(request);
    report.workers = strategy.workers();
    report.tile_size = strategy.tile_size();
    report.settings = strategy.settings();
    auto frame = std::make_shared<Frame>(report.width, report.height, request.job.smooth);
    {
      std::lock_guard lock(mutex_);
      if (generation == generation_)
        progress_.total = static_cast<int>(tile_count(report.width, report.height, report.tile_size));
    }
    // Called from the strategy's workers: copy the tile out and queue it, under the lock
    // only for the push, so a worker never waits on the UI.
    const TileSink sink = [&](const TileRecord& record) {
      TileUpdate update{generation, record, {}};
      const Tile& tile = record.tile;
      if (request.publish_tiles && !frame->smooth.empty()) {
        update.smooth.resize(static_cast<std::size_t>(tile.width) * tile.height);
        for (int row = 0; row < tile.height; ++row) {
          const float* from = frame->smooth.data() + static_cast<std::size_t>(tile.y + row) * frame->width + tile.x;
          std::copy(from, from + tile.width, update.smooth.begin() + static_cast<std::size_t>(row) * tile.width);
        }
      }
      std::lock_guard lock(mutex_);
      if (generation != generation_) return;
      ++progress_.done;
      if (request.publish_tiles) tiles_.push_back(std::move(update));
    };
    const auto device_before = strategy.device_time();
    report.start_ns = now_ns();
    const bool finished = strategy.render(request.job, *frame, sink, stop);
    report.end_ns = now_ns();
    report.device_ns = (strategy.device_time() - device_before).count();
    report.outcome = finished ? RenderReport::Outcome::finished : RenderReport::Outcome::cancelled;
    report.records = frame->records;
    report.waits = frame->waits;
    report.lanes = strategy.lanes();
    report.exact = strategy.exact();
    report.device = strategy.device();
    for (const TileRecord& record : report.records) {
      if (!record.finished()) continue;
      report.cpu_ns += record.cpu_ns;
      report.iterations += record.iterations;
    }
    if (finished && request.keep_frame) report.frame = std::move(frame);
  } catch (const std::exception& error) {
    report.outcome = RenderReport::Outcome::failed;
    report.error = error.what();
    strategies_.erase(request.strategy);  // start afresh next time (a process pool that broke)
    if (report.end_ns == 0) report.end_ns = now_ns();
  }
  return report;
}

}  // namespace parafrac
