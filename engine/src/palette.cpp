#include "parafrac/palette.hpp"

#include <cmath>
#include <string>

#include "parafrac/error.hpp"

namespace parafrac {

const std::vector<Palette>& palettes() {
  static const std::vector<Palette> all = {
      {"ocean", {{0, 7, 100}, {32, 107, 203}, {237, 255, 255}, {255, 170, 0}, {0, 2, 0}}},
      {"fire", {{20, 0, 0}, {160, 20, 0}, {255, 120, 0}, {255, 230, 90}, {255, 255, 230}}},
      {"grey", {{10, 10, 10}, {245, 245, 245}}},
      {"neon", {{40, 0, 80}, {255, 0, 160}, {255, 230, 0}, {0, 230, 160}, {0, 60, 200}}},
  };
  return all;
}

const Palette& palette_named(std::string_view name) {
  for (const Palette& palette : palettes())
    if (palette.name == name) return palette;
  throw Error("unknown palette '" + std::string(name) + "'");
}

double palette_position(float smooth, float offset) {
  const double position = std::sqrt(static_cast<double>(smooth)) * 0.15 + offset;
  return position - std::floor(position);
}

RgbImage colorize(const Frame& frame, const Palette& palette, float offset) {
  RgbImage image{frame.width, frame.height,
                 std::vector<std::uint8_t>(static_cast<std::size_t>(frame.width) * frame.height * 3), {}};
  if (frame.smooth.size() != frame.counts.size())
    throw Error("colouring needs a frame rendered with smooth values");
  const std::size_t stops = palette.stops.size();
  for (std::size_t i = 0; i < frame.smooth.size(); ++i) {
    const float value = frame.smooth[i];
    Rgb colour{0, 0, 0};
    // The kernel writes kInside or a finite value >= 0; anything else (a broken worker
    // process) is drawn black rather than trusted as an index.
    if (value != kInside && value >= 0.0f && std::isfinite(value)) {
      const double along = palette_position(value, offset) * stops;
      const std::size_t a = static_cast<std::size_t>(along) % stops;
      const double t = along - std::floor(along);
      const Rgb& from = palette.stops[a];
      const Rgb& to = palette.stops[(a + 1) % stops];
      for (int c = 0; c < 3; ++c)
        colour[c] = static_cast<std::uint8_t>(std::lround(from[c] + (to[c] - from[c]) * t));
    }
    std::copy(colour.begin(), colour.end(), image.pixels.begin() + i * 3);
  }
  return image;
}

}  // namespace parafrac
