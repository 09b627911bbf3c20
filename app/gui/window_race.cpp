// The race: the current view rendered with every strategy in turn, as bars and a table that
// copies as text.
#include <imgui.h>

#include <algorithm>
#include <sstream>

#include "app_state.hpp"
#include "worker_colours.hpp"

namespace parafrac::gui {
namespace {

std::string as_text(const std::vector<RaceEntry>& results, double serial) {
  std::ostringstream text;
  text << "strategy    workers   wall ms    CPU ms   speedup  efficiency\n";
  for (const RaceEntry& entry : results) {
    char line[160];
    const double speedup = serial > 0 ? serial / entry.wall_seconds : 0;
    std::snprintf(line, sizeof line, "%-10s %8d %9.2f %9.2f %8.2fx %10.0f%%\n", entry.strategy.c_str(), entry.workers,
                  entry.wall_seconds * 1e3, entry.cpu_seconds * 1e3, speedup, 100 * speedup / entry.workers);
    text << line;
  }
  return text.str();
}

}  // namespace

void draw_race(AppState& state) {
  Race& race = state.race;
  if (race.results.empty() && !race.running) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Size.x - 480, 130), ImGuiCond_FirstUseEver);  // under the stats
  ImGui::SetNextWindowSize(ImVec2(470, 280), ImGuiCond_FirstUseEver);
  bool open = true;
  if (!ImGui::Begin("Race", &open)) {
    ImGui::End();
    return;
  }
  if (race.running) ImGui::Text("racing... %zu to go", race.queue.size() + 1);
  double serial = 0, slowest = 1e-9;
  for (const RaceEntry& entry : race.results) {
    if (entry.strategy == "serial") serial = entry.wall_seconds;
    slowest = std::max(slowest, entry.wall_seconds);
  }
  for (const RaceEntry& entry : race.results) {
    const auto index = std::find(state.strategy_names.begin(), state.strategy_names.end(), entry.strategy) -
                       state.strategy_names.begin();
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImGui::ColorConvertU32ToFloat4(worker_colour(static_cast<int>(index))));
    char label[64];
    std::snprintf(label, sizeof label, "%s  %.2f ms", entry.strategy.c_str(), entry.wall_seconds * 1e3);
    ImGui::ProgressBar(static_cast<float>(entry.wall_seconds / slowest), ImVec2(-1, 0), label);
    ImGui::PopStyleColor();
  }
  if (ImGui::BeginTable("race", 5, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg)) {
    for (const char* heading : {"strategy", "wall ms", "CPU ms", "speedup", "efficiency"}) ImGui::TableSetupColumn(heading);
    ImGui::TableHeadersRow();
    for (const RaceEntry& entry : race.results) {
      const double speedup = serial > 0 ? serial / entry.wall_seconds : 0;
      ImGui::TableNextColumn();
      ImGui::Text("%s x%d", entry.strategy.c_str(), entry.workers);
      ImGui::TableNextColumn();
      ImGui::Text("%.2f", entry.wall_seconds * 1e3);
      ImGui::TableNextColumn();
      ImGui::Text("%.2f", entry.cpu_seconds * 1e3);
      ImGui::TableNextColumn();
      ImGui::Text("%.2fx", speedup);
      ImGui::TableNextColumn();
      ImGui::Text("%.0f%%", 100 * speedup / entry.workers);
    }
    ImGui::EndTable();
  }
  if (ImGui::Button("copy as text")) {
    ImGui::SetClipboardText(as_text(race.results, serial).c_str());
    say(state, "race table copied");
  }
  ImGui::End();
  if (!open) race = {};
}

}  // namespace parafrac::gui
