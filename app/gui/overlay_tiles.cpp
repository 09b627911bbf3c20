// The tile overlay: every tile's border in its worker's colour, and a heat map of tile time.
#include <imgui.h>

#include <algorithm>

#include "app_state.hpp"
#include "worker_colours.hpp"

namespace parafrac::gui {
namespace {

void draw_records(const std::vector<TileRecord>& records, const View& layer, const View& screen, bool borders,
                  bool heat) {
  const Placement place = placement(layer, screen);
  const ImGuiIO& io = ImGui::GetIO();
  const float sx = io.DisplayFramebufferScale.x, sy = io.DisplayFramebufferScale.y;
  std::int64_t slowest = 1;
  for (const TileRecord& record : records) slowest = std::max(slowest, record.end_ns - record.start_ns);
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  for (const TileRecord& record : records) {
    if (!record.finished()) continue;
    const Tile& tile = record.tile;
    // Tile edges sit half a pixel outside its first and last pixel centres.
    const ImVec2 from(static_cast<float>(place.screen_x(tile.x - 0.5) + 0.5) / sx,
                      static_cast<float>(place.screen_y(tile.y - 0.5) + 0.5) / sy);
    const ImVec2 to(static_cast<float>(place.screen_x(tile.x + tile.width - 0.5) + 0.5) / sx,
                    static_cast<float>(place.screen_y(tile.y + tile.height - 0.5) + 0.5) / sy);
    if (heat) {
      const float share = static_cast<float>(record.end_ns - record.start_ns) / static_cast<float>(slowest);
      draw->AddRectFilled(from, to, IM_COL32(255, static_cast<int>(220 * (1 - share)), 0, static_cast<int>(20 + 100 * share)));
    }
    if (borders) {
      draw->AddRectFilled(from, to, worker_colour(record.worker, 45));
      draw->AddRect(from, to, worker_colour(record.worker, 230));
    }
  }
}

}  // namespace

void draw_tile_overlay(AppState& state) {
  const bool borders = state.settings.show_tile_borders, heat = state.settings.show_heat_map;
  if (!borders && !heat) return;
  if (state.last && state.layers.front().shown)
    draw_records(state.last->records, state.layers.front().view, state.settings.view, borders, heat);
  if (state.layers.back().shown)
    draw_records(state.in_flight, state.layers.back().view, state.settings.view, borders, heat);
}

}  // namespace parafrac::gui
