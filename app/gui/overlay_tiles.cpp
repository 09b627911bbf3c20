// The tile overlay: every tile's border in its worker's colour, and a heat map of what each tile
// cost (its thread's CPU time, on a log scale), with a legend.
#include <imgui.h>

#include <algorithm>

#include "app_state.hpp"
#include "plot_scale.hpp"
#include "worker_colours.hpp"

namespace parafrac::gui {
namespace {

// Cheap tiles faint yellow, costly ones strong red.
ImU32 heat_colour(double share) {
  return IM_COL32(255, static_cast<int>(220 * (1 - share)), 0, static_cast<int>(20 + 100 * share));
}

void draw_records(const std::vector<TileRecord>& records, const View& layer, const View& screen,
                  bool borders, const LogScale* heat) {
  const Placement place = placement(layer, screen);
  const ImGuiIO& io = ImGui::GetIO();
  const float sx = io.DisplayFramebufferScale.x, sy = io.DisplayFramebufferScale.y;
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  for (const TileRecord& record : records) {
    if (!record.finished()) continue;
    const Tile& tile = record.tile;
    // Tile edges sit half a pixel outside its first and last pixel centres.
    const ImVec2 from(static_cast<float>(place.screen_x(tile.x - 0.5) + 0.5) / sx,
                      static_cast<float>(place.screen_y(tile.y - 0.5) + 0.5) / sy);
    const ImVec2 to(static_cast<float>(place.screen_x(tile.x + tile.width - 0.5) + 0.5) / sx,
                    static_cast<float>(place.screen_y(tile.y + tile.height - 0.5) + 0.5) / sy);
    if (heat) draw->AddRectFilled(from, to, heat_colour(heat->at(tile_cost(record))));
    if (borders) {
      draw->AddRectFilled(from, to, worker_colour(record.worker, 45));
      draw->AddRect(from, to, worker_colour(record.worker, 230));
    }
  }
}

// The records on screen: the finished render's and the one in flight's, each when shown.
std::vector<TileRecord> shown_records(const AppState& state) {
  std::vector<TileRecord> shown;
  if (state.last && state.layers.front().shown) shown = state.last->records;
  if (state.layers.back().shown)
    shown.insert(shown.end(), state.in_flight.begin(), state.in_flight.end());
  return shown;
}

}  // namespace

void draw_tile_overlay(AppState& state) {
  const bool borders = state.settings.show_tile_borders, heat = state.settings.show_heat_map;
  if (!borders && !heat) return;
  // One scale for both layers: the same colour is the same cost wherever it shows.
  const LogScale scale = heat_scale(shown_records(state));
  const LogScale* heat_map = heat ? &scale : nullptr;
  if (state.last && state.layers.front().shown)
    draw_records(state.last->records, state.layers.front().view, state.settings.view, borders,
                 heat_map);
  if (state.layers.back().shown)
    draw_records(state.in_flight, state.layers.back().view, state.settings.view, borders, heat_map);
}

void draw_heat_legend(const AppState& state) {
  const std::vector<TileRecord> shown = shown_records(state);
  if (shown.empty()) return;
  constexpr int kSteps = 24;
  constexpr float kStep = 6.0f;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float height = ImGui::GetTextLineHeight();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (int i = 0; i < kSteps; ++i) {
    const ImVec2 from(at.x + i * kStep, at.y), to(at.x + (i + 1) * kStep, at.y + height);
    draw->AddRectFilled(from, to,
                        IM_COL32(0, 0, 0, 255));  // the colours as they look over a dark image
    draw->AddRectFilled(from, to, heat_colour(static_cast<double>(i) / (kSteps - 1)));
  }
  ImGui::Dummy(ImVec2(kSteps * kStep, height));
  ImGui::SameLine();
  ImGui::Text("CPU per tile, %s (log)", range_label(heat_scale(shown), 1e3, "ms").c_str());
}

}  // namespace parafrac::gui
