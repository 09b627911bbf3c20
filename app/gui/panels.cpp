#include "panels.hpp"

#include <algorithm>

namespace parafrac::gui {

std::pair<float, float> pulled_into_view(float x, float y, float width, float height,
                                         float view_width, float view_height) {
  return {std::max(0.0f, std::min(x, view_width - width)),
          std::max(0.0f, std::min(y, view_height - height))};
}

std::string strategy_key(std::size_t index) {
  if (index < 9) return std::to_string(index + 1);
  return index == 9 ? "0" : "";
}

std::pair<std::string, std::string> strategy_keys_help(const std::vector<std::string>& names) {
  const std::size_t keys = std::min<std::size_t>(names.size(), kStrategyKeys);
  std::string which = "strategy:";
  for (std::size_t i = 0; i < keys; ++i) which += (i ? ", " : " ") + strategy_key(i) + " " + names[i];
  if (keys == 1) return {"1", which};
  return {keys <= 9 ? "1 .. " + std::to_string(keys) : "1 .. 9, 0", which};
}

}  // namespace parafrac::gui
