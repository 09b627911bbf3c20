// The timeline: one lane per worker, one bar per tile over the render's duration, as a profiler
// draws threads (ThreadScope, Tracy), under a graph of how many workers were computing at each
// instant. A lane is computing (a bar in the worker's colour), waiting (hatched grey: a lock, a
// condition, a barrier or a semaphore, for the strategies that time their waits) or idle (empty).
// Idle gaps, a ragged right edge and dips in the graph are load imbalance; hatching is contention.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app_state.hpp"
#include "worker_colours.hpp"

namespace parafrac::gui {

namespace {

// How many workers were computing, over the render: each pixel column the average over its span
// of time, as a filled graph `kGraphHeight` high (full: every worker busy).
void utilisation_graph(ImDrawList* draw, const std::vector<TileRecord>& records, std::int64_t begin, double span,
                       int lanes, float label, float width) {
  constexpr float kGraphHeight = 24.0f;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const int columns = std::max(1, static_cast<int>(width));
  std::vector<double> busy(static_cast<std::size_t>(columns), 0.0);  // worker-time in each column, in columns
  for (const TileRecord& record : records) {
    if (!record.finished()) continue;
    const double from = (record.start_ns - begin) / span * columns, to = (record.end_ns - begin) / span * columns;
    for (int column = std::max(0, static_cast<int>(from)); column < std::min(columns, static_cast<int>(to) + 1); ++column)
      busy[static_cast<std::size_t>(column)] += std::min<double>(to, column + 1) - std::max<double>(from, column);
  }
  draw->AddRectFilled(ImVec2(origin.x + label, origin.y), ImVec2(origin.x + label + width, origin.y + kGraphHeight),
                      IM_COL32(255, 255, 255, 15));
  for (int column = 0; column < columns; ++column) {
    const float share = std::clamp(static_cast<float>(busy[static_cast<std::size_t>(column)] / lanes), 0.0f, 1.0f);
    if (share <= 0) continue;
    const float x = origin.x + label + column;
    draw->AddRectFilled(ImVec2(x, origin.y + kGraphHeight * (1 - share)), ImVec2(x + 1, origin.y + kGraphHeight),
                        IM_COL32(120, 200, 120, 200));
  }
  draw->AddText(ImVec2(origin.x, origin.y + 4), IM_COL32(200, 200, 200, 255), "busy");
  ImGui::Dummy(ImVec2(label + width, kGraphHeight + 2));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("workers computing, over the render (full: all %d)", lanes);
}

// A wait: grey, hatched with diagonals when it is wide enough to show them.
void hatched(ImDrawList* draw, ImVec2 from, ImVec2 to) {
  draw->AddRectFilled(from, to, IM_COL32(150, 150, 150, 90));
  if (to.x - from.x < 4) return;
  draw->PushClipRect(from, to, true);
  const float height = to.y - from.y;
  for (float x = from.x - height; x < to.x; x += 5)
    draw->AddLine(ImVec2(x, to.y), ImVec2(x + height, from.y), IM_COL32(220, 220, 220, 170));
  draw->PopClipRect();
}

}  // namespace

void draw_timeline(AppState& state) {
  if (!state.settings.show_timeline) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(10, viewport->Size.y - 160), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(std::min(760.0f, viewport->Size.x - 20), 150), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Timeline", &state.settings.show_timeline)) {
    ImGui::End();
    return;
  }
  keep_in_view();
  // The render in flight while it runs, else the last finished one.
  const bool live = !state.in_flight.empty();
  const std::vector<TileRecord>& records = live ? state.in_flight : (state.last ? state.last->records : state.in_flight);
  static const Waits kNone;
  const Waits& waits = live || !state.last ? kNone : state.last->waits;  // known when the render ends
  std::int64_t begin = INT64_MAX, end = INT64_MIN;
  int lanes = 0;
  for (const TileRecord& record : records) {
    if (!record.finished()) continue;
    begin = std::min(begin, record.start_ns);
    end = std::max(end, record.end_ns);
    lanes = std::max(lanes, record.worker + 1);
  }
  for (const WaitRecord& wait : waits.records) lanes = std::max(lanes, wait.worker + 1);
  if (lanes == 0) {
    ImGui::TextDisabled("no tiles yet");
    ImGui::End();
    return;
  }
  if (!live && state.last) begin = std::min(begin, state.last->start_ns), end = std::max(end, state.last->end_ns);
  const double span = static_cast<double>(std::max<std::int64_t>(end - begin, 1));
  // Full utilisation is every worker computing (semaphore's lanes are twice its workers).
  const int workers = live || !state.last ? lanes : std::max(1, std::min(lanes, state.last->workers));
  ImGui::Text("%s: %d workers, %.2f ms%s", live ? active_strategy(state).c_str() : state.last->strategy.c_str(),
              workers, span * 1e-6, live ? " so far" : "");
  if (!live) {
    ImGui::SameLine();
    if (ImGui::SmallButton("save trace")) save_trace(state);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("this render as a Chrome trace (.json) in the screenshot folder: open it in ui.perfetto.dev");
  }
  if (waits.count) {
    ImGui::SameLine();
    ImGui::TextDisabled("  hatched: waiting (%.2f ms in %llu waits)", waits.total_ns * 1e-6,
                        static_cast<unsigned long long>(waits.count));
  }

  const float label = 70.0f;
  const float width = std::max(50.0f, ImGui::GetContentRegionAvail().x - label);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  utilisation_graph(draw, records, begin, span, workers, label, width);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  // Lanes share the window's height, but never get thinner than a bar that shows: with many
  // workers the window scrolls instead.
  const float lane_height = std::clamp((ImGui::GetContentRegionAvail().y - 4) / lanes, 6.0f, 22.0f);
  for (int lane = 0; lane < lanes; ++lane) {
    const float y = origin.y + lane * lane_height;
    draw->AddRectFilled(ImVec2(origin.x + label, y), ImVec2(origin.x + label + width, y + lane_height - 1),
                        IM_COL32(255, 255, 255, lane % 2 ? 10 : 20));
    if (lane_height >= 10) draw->AddText(ImVec2(origin.x, y), IM_COL32(200, 200, 200, 255), ("worker " + std::to_string(lane)).c_str());
  }
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const WaitRecord* hovered_wait = nullptr;
  for (const WaitRecord& wait : waits.records) {
    const float x0 = origin.x + label + static_cast<float>((wait.start_ns - begin) / span) * width;
    const float x1 = std::max(x0 + 1.0f, origin.x + label + static_cast<float>((wait.end_ns - begin) / span) * width);
    const float y = origin.y + wait.worker * lane_height;
    hatched(draw, ImVec2(x0, y), ImVec2(x1, y + lane_height - 1));
    if (mouse.x >= x0 && mouse.x < x1 && mouse.y >= y && mouse.y < y + lane_height) hovered_wait = &wait;
  }
  const TileRecord* hovered = nullptr;
  for (const TileRecord& record : records) {
    if (!record.finished()) continue;
    const float x0 = origin.x + label + static_cast<float>((record.start_ns - begin) / span) * width;
    const float x1 = std::max(x0 + 1.0f, origin.x + label + static_cast<float>((record.end_ns - begin) / span) * width);
    const float y = origin.y + record.worker * lane_height;
    const float gap = lane_height >= 10 ? 1.0f : 0.0f;  // thin lanes keep every pixel for the bar
    draw->AddRectFilled(ImVec2(x0, y + gap), ImVec2(x1, y + lane_height - 1 - gap), worker_colour(record.worker, 220));
    if (mouse.x >= x0 && mouse.x < x1 && mouse.y >= y && mouse.y < y + lane_height) hovered = &record;
  }
  ImGui::Dummy(ImVec2(label + width, lanes * lane_height));
  if (hovered_wait && !hovered && ImGui::IsWindowHovered())
    ImGui::SetTooltip("worker %d waited on a %s\n%.3f ms from %.3f ms", hovered_wait->worker,
                      std::string(wait_kind_name(hovered_wait->what)).c_str(),
                      (hovered_wait->end_ns - hovered_wait->start_ns) * 1e-6, (hovered_wait->start_ns - begin) * 1e-6);
  if (hovered && ImGui::IsWindowHovered()) {
    const Tile& tile = hovered->tile;
    ImGui::SetTooltip("tile %d at (%d, %d), %dx%d\nworker %d (pid %d)\n%.3f ms from %.3f ms, CPU %.3f ms\n%llu iterations",
                      tile.index, tile.x, tile.y, tile.width, tile.height, hovered->worker, hovered->pid,
                      (hovered->end_ns - hovered->start_ns) * 1e-6, (hovered->start_ns - begin) * 1e-6,
                      hovered->cpu_ns * 1e-6, static_cast<unsigned long long>(hovered->iterations));
  }
  ImGui::End();
}

}  // namespace parafrac::gui
