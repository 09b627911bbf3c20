#pragma once
// The panels' logic that needs no window: where they may sit, and text made from the registry.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace parafrac::gui {

// Where a panel at (x, y) of size (width, height) goes in a viewport of (view_width,
// view_height): moved the least that puts it wholly inside, or, when it is larger than the
// viewport, with its top-left corner (its title bar) inside. After a resize, panels are pulled
// back this way instead of hanging off the edge.
std::pair<float, float> pulled_into_view(float x, float y, float width, float height,
                                         float view_width, float view_height);

// Keys 1 .. 9 and 0 choose the first ten strategies of the registry, in its order; the rest are
// in the combo box only. strategy_key(i) is the key's label ("" past the tenth).
inline constexpr std::size_t kStrategyKeys = 10;
std::string strategy_key(std::size_t index);

// The help's line for the strategy keys, from the registry: {"1 .. 5", "strategy: 1 serial, ..."}.
std::pair<std::string, std::string> strategy_keys_help(const std::vector<std::string>& names);

}  // namespace parafrac::gui
