#pragma once
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "parafrac/frame.hpp"
#include "parafrac/image_io.hpp"

namespace parafrac {

using Rgb = std::array<std::uint8_t, 3>;

// A cyclic colour gradient, evenly spaced stops; the first stop follows the last.
struct Palette {
  std::string_view name;
  std::vector<Rgb> stops;
};

const std::vector<Palette>& palettes();
const Palette& palette_named(std::string_view name);  // throws Error for an unknown name

// Where on the palette's cycle (0..1) a smooth value falls. The display shader in shaders/
// uses the same formula, so a PNG export looks like the window.
double palette_position(float smooth, float offset);

// Colours a frame rendered with smooth values (throws Error otherwise): escaped points through
// the palette, points inside the set black.
RgbImage colorize(const Frame& frame, const Palette& palette, float offset = 0.0f);

}  // namespace parafrac
