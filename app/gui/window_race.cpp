// The race: the current view rendered with every strategy in turn, as bars and a table that
// copies as text.
#include <imgui.h>

#include <algorithm>
#include <sstream>

#include "app_state.hpp"
#include "parafrac/measures.hpp"
#include "worker_colours.hpp"

namespace parafrac::gui {
namespace {

const char* load_word(Load load) {
  switch (load) {
    case Load::busy:
      return "machine busy";
    case Load::clocks_disagree:
      return "clocks disagree";
    case Load::normal:
      break;
  }
  return "";
}

std::string as_text(const std::vector<RaceResult>& results, double serial) {
  std::ostringstream text;
  text << "strategy    workers   wall ms    CPU ms   speedup  efficiency  (median of "
       << Race::kRuns << ")\n";
  for (const RaceResult& result : results) {
    const RaceRun& run = result.median;
    char line[200];
    std::snprintf(line, sizeof line, "%-10s %8d %9.2f %9.2f %8.2fx %10.0f%%  %s%s\n",
                  result.strategy.c_str(), run.workers, run.wall_seconds * 1e3,
                  run.cpu_seconds * 1e3, speedup(serial, run.wall_seconds),
                  100 * efficiency(serial, run.wall_seconds, run.workers), load_word(result.load),
                  run.exact ? "" : " inexact");
    text << line;
  }
  return text.str();
}

// The wall-time bar, and its label beside it on the window's background, so the label reads
// the same whatever the bar's colour and however short the bar.
void wall_bar(double fraction, ImU32 colour, double wall_seconds) {
  constexpr float kBarWidth = 120.0f;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float height = ImGui::GetTextLineHeight();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(at, ImVec2(at.x + kBarWidth, at.y + height),
                      ImGui::GetColorU32(ImGuiCol_FrameBg));
  draw->AddRectFilled(
      at, ImVec2(at.x + std::max(1.0f, static_cast<float>(fraction) * kBarWidth), at.y + height),
      colour);
  ImGui::Dummy(ImVec2(kBarWidth, height));
  ImGui::SameLine();
  ImGui::Text("%.2f ms", wall_seconds * 1e3);
}

void results_table(const AppState& state, double serial, double slowest) {
  // Columns fit their contents and the window fits the table: no name is ever cut.
  if (!ImGui::BeginTable(
          "race", 6,
          ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit))
    return;
  for (const char* heading : {"strategy", "wall", "CPU ms", "speedup", "efficiency", "load"})
    ImGui::TableSetupColumn(heading);
  ImGui::TableHeadersRow();
  for (const RaceResult& result : state.race.results()) {
    const RaceRun& run = result.median;
    const auto index =
        std::find(state.strategy_names.begin(), state.strategy_names.end(), result.strategy) -
        state.strategy_names.begin();
    ImGui::TableNextColumn();
    ImGui::Text("%s x%d%s", result.strategy.c_str(), run.workers, run.exact ? "" : " (inexact)");
    if (!run.exact && ImGui::IsItemHovered())
      ImGui::SetTooltip("its settings trade exactness for speed (the GPU's floats): not the serial image");
    ImGui::TableNextColumn();
    wall_bar(run.wall_seconds / slowest, worker_colour(static_cast<int>(index)), run.wall_seconds);
    ImGui::TableNextColumn();
    ImGui::Text("%.2f", run.cpu_seconds * 1e3);
    ImGui::TableNextColumn();
    ImGui::Text("%.2fx", speedup(serial, run.wall_seconds));
    ImGui::TableNextColumn();
    ImGui::Text("%.0f%%", 100 * efficiency(serial, run.wall_seconds, run.workers));
    ImGui::TableNextColumn();
    if (result.load != Load::normal) {
      ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f), "%s", load_word(result.load));
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("CPU/wall %.2f with %d workers on %d hardware threads:\n%s",
                          run.cpu_seconds / run.wall_seconds, run.workers, hardware_workers(),
                          result.load == Load::busy
                              ? "the workers waited for cores other programs held,\n"
                                "so this time (and speedups against it) mean little"
                              : "more CPU than the workers can spend: the clocks disagree");
    }
  }
  ImGui::EndTable();
}

}  // namespace

void draw_race(AppState& state) {
  Race& race = state.race;
  if (race.results().empty() && !race.running()) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Size.x - 480, 130),
                          ImGuiCond_FirstUseEver);  // under the stats
  bool open = true;
  if (!ImGui::Begin("Race", &open, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  keep_in_view();
  if (race.running())
    ImGui::Text("racing %s, run %d of %d... %d renders to go", race.strategy().c_str(),
                race.run() + 1, Race::kRuns, race.renders_to_go());
  else
    ImGui::TextDisabled("the median of %d renders each", Race::kRuns);
  const bool stale =
      race.stale(race_key(state.settings.view, kernel_params(state), state.settings));
  if (stale && !race.running())
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f),
                       "stale: raced on another view or settings (F5 races again)");
  double serial = 0, slowest = 1e-9;
  bool serial_slowed = false;
  for (const RaceResult& result : race.results()) {
    if (result.strategy == kBaselineStrategy)
      serial = result.median.wall_seconds, serial_slowed = result.load == Load::busy;
    slowest = std::max(slowest, result.median.wall_seconds);
  }
  ImGui::BeginDisabled(stale);
  results_table(state, serial, slowest);
  ImGui::EndDisabled();
  if (serial_slowed)
    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.3f, 1.0f), "serial was slowed: speedups overstated");
  if (ImGui::Button("copy as text")) {
    ImGui::SetClipboardText(as_text(race.results(), serial).c_str());
    say(state, "race table copied");
  }
  ImGui::End();
  if (!open) race = {};
}

}  // namespace parafrac::gui
