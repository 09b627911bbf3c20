#pragma once
// One colour per worker, the same in the tile overlay, the timeline and the legend.
#include <imgui.h>

namespace parafrac::gui {

inline ImU32 worker_colour(int worker, int alpha = 255) {
  // Golden-ratio hue steps: neighbouring workers get clearly different colours.
  float r = 0, g = 0, b = 0;
  const float hue = static_cast<float>(worker) * 0.618034f;
  ImGui::ColorConvertHSVtoRGB(hue - static_cast<float>(static_cast<int>(hue)), 0.65f, 0.95f, r, g, b);
  return IM_COL32(static_cast<int>(r * 255), static_cast<int>(g * 255), static_cast<int>(b * 255), alpha);
}

}  // namespace parafrac::gui
