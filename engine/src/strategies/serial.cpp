#include "strategies/strategies.hpp"

namespace parafrac {
namespace {

// One thread, tile after tile, on the caller's thread: the baseline every other strategy must
// match bit for bit. Its worker count is always 1.
class Serial final : public Strategy {
 public:
  explicit Serial(StrategyOptions options) : Strategy({1, options.tile_size}) {}

 protected:
  int resize(int /*workers*/) override { return 1; }
  bool run(const Job& job, const std::vector<Tile>& tiles, Frame& frame, const TileSink& sink,
           std::stop_token stop) override {
    for (const Tile& tile : tiles)
      if (!compute_tile(job, tile, frame, 0, sink, stop)) return false;
    return true;
  }
};

}  // namespace

std::unique_ptr<Strategy> make_serial(StrategyOptions options) {
  return std::make_unique<Serial>(options);
}

}  // namespace parafrac
