// settings.json as the app reads it at start (parse_settings, app/gui/settings.hpp): any text.
// A bad file never stops the app, so nothing may escape but Settings within the app's limits.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "harness.hpp"
#include "parafrac/palette.hpp"
#include "parafrac/strategy.hpp"
#include "settings.hpp"

namespace {

using parafrac::fuzz::require;
namespace gui = parafrac::gui;

bool within(long long value, long long min, long long max) { return value >= min && value <= max; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string warning;
  const gui::Settings settings =
      gui::parse_settings(parafrac::fuzz::as_text(data, size), "settings.json", warning);
  settings.view.validate();  // throws, and so crashes the fuzzer, for a view the app cannot show
  require(within(settings.view.width, gui::kMinWindowSide, gui::kMaxWindowSide) &&
              within(settings.view.height, gui::kMinWindowSide, gui::kMaxWindowSide),
          "the window's sides are within the app's limits");
  require(within(settings.max_iter, 1, gui::kMaxIterations), "max_iter is within the app's limits");
  require(within(settings.workers, 0, parafrac::kMaxWorkers),
          "workers is within the engine's limits");
  require(within(settings.tile_size, gui::kMinTileSize, gui::kMaxTileSize),
          "the tile size is within the limits");
  const auto& known = parafrac::palettes();
  require(std::any_of(known.begin(), known.end(),
                      [&](const auto& p) { return p.name == settings.palette; }),
          "the palette is one the app has");
  require(settings.palette_offset >= 0.0f && settings.palette_offset <= 1.0f,
          "the palette offset is 0 to 1");
  return 0;
}
