// Render times per strategy since the app started, one coloured series each, with a legend.
#include <imgui.h>

#include <algorithm>

#include "app_state.hpp"
#include "plot_scale.hpp"
#include "worker_colours.hpp"

namespace parafrac::gui {

void draw_history(AppState& state) {
  if (!state.settings.show_history) return;
  ImGui::SetNextWindowPos(ImVec2(350, 10), ImGuiCond_FirstUseEver);  // right of the controls
  ImGui::SetNextWindowSize(ImVec2(420, 200), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("History", &state.settings.show_history)) {
    ImGui::End();
    return;
  }
  keep_in_view();
  if (state.timings.empty()) {
    ImGui::TextDisabled("no renders yet");
    ImGui::End();
    return;
  }
  std::vector<double> walls;
  for (const Timing& timing : state.timings) walls.push_back(timing.wall_seconds);
  const LogScale scale = LogScale::spanning(walls);
  // Legend, one colour per strategy in registry order.
  for (std::size_t i = 0; i < state.strategy_names.size(); ++i) {
    if (i) ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(worker_colour(static_cast<int>(i))), "%s",
                       state.strategy_names[i].c_str());
  }
  ImGui::Text("wall time per render, %s (log scale)", range_label(scale, 1e3, "ms").c_str());
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 size(std::max(50.0f, ImGui::GetContentRegionAvail().x), std::max(40.0f, ImGui::GetContentRegionAvail().y));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), IM_COL32(255, 255, 255, 12));
  const std::size_t count = state.timings.size();
  const auto y_of = [&](double seconds) {
    return origin.y + size.y - static_cast<float>(scale.at(seconds)) * (size.y - 4) - 2;
  };
  for (std::size_t s = 0; s < state.strategy_names.size(); ++s) {
    ImVec2 previous(-1, -1);
    for (std::size_t i = 0; i < count; ++i) {
      const Timing& timing = state.timings[i];
      if (timing.strategy != state.strategy_names[s]) continue;
      const ImVec2 point(origin.x + (count == 1 ? 0.5f : static_cast<float>(i) / (count - 1)) * size.x, y_of(timing.wall_seconds));
      if (previous.x >= 0) draw->AddLine(previous, point, worker_colour(static_cast<int>(s), 160));
      draw->AddCircleFilled(point, 3.0f, worker_colour(static_cast<int>(s)));
      previous = point;
    }
  }
  ImGui::Dummy(size);
  ImGui::End();
}

}  // namespace parafrac::gui
