// The timing overlay: what the last render cost, and the one in flight.
#include <imgui.h>

#include <string>

#include "app_state.hpp"
#include "parafrac/measures.hpp"

namespace parafrac::gui {

void draw_stats_overlay(AppState& state) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Size.x - 10, 10), ImGuiCond_Always, ImVec2(1.0f, 0.0f));
  ImGui::SetNextWindowBgAlpha(0.75f);
  ImGui::Begin("##stats", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing |
                   ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoSavedSettings);
  const Renderer::Progress progress = state.renderer.progress();
  if (progress.busy) {
    ImGui::Text("rendering with %s", active_strategy(state).c_str());
    const float done = progress.total ? static_cast<float>(progress.done) / progress.total : 0.0f;
    char label[48];
    std::snprintf(label, sizeof label, "%d / %d tiles", progress.done, progress.total);
    ImGui::ProgressBar(done, ImVec2(220, 0), label);
  }
  if (const std::optional<RenderReport>& last = state.last) {
    const double wall = last->wall_seconds();
    const double cpu = last->cpu_ns * 1e-9;
    std::string own;  // the strategy's own settings, as it ran
    for (const auto& [option, value] : last->settings) own += ", " + option + " " + value;
    ImGui::Text("%s, %d worker%s, %d px tiles%s", last->strategy.c_str(), last->workers, last->workers == 1 ? "" : "s",
                last->tile_size, own.c_str());
    if (!last->device.empty())  // the GPU's name, where a GPU computed
      ImGui::Text("%s%s, max %u iterations", last->device.c_str(), last->params.shortcuts ? " + shortcuts" : "",
                  last->params.max_iter);
    else
      ImGui::Text("%s kernel%s, max %u iterations",
                  last->params.kernel == KernelKind::simd ? ("SIMD " + simd_target()).c_str() : "scalar",
                  last->params.shortcuts ? " + shortcuts" : "", last->params.max_iter);
    if (!last->exact)
      ImGui::TextColored(ImVec4(1.0f, 0.75f, 0.3f, 1.0f), "not the serial image: this setting trades exactness for speed");
    ImGui::Text("wall %8.2f ms", wall * 1e3);
    ImGui::Text("CPU  %8.2f ms   CPU/wall %.2f", cpu * 1e3, wall > 0 ? cpu / wall : 0.0);
    if (last->device_ns > 0)  // a GPU whose timer queries measure (llvmpipe's report nothing)
      ImGui::Text("GPU  %8.2f ms   GPU/wall %.2f (its timer queries)", last->device_ns * 1e-6,
                  wall > 0 ? last->device_ns * 1e-9 / wall : 0.0);
    ImGui::Text("%d tiles   %.1f Mpx/s   %.3f Giter/s", last->tiles_done(),
                wall > 0 ? last->width * static_cast<double>(last->height) / wall * 1e-6 : 0.0,
                wall > 0 ? static_cast<double>(last->iterations) / wall * 1e-9 : 0.0);
    // Why a strategy lost time: the workers idle at the end (the tail), and waiting on each other.
    ImGui::Text("tail %.2f ms", static_cast<double>(tail_ns(last->records, last->workers)) * 1e-6);
    if (last->waits.count) {
      ImGui::SameLine();
      ImGui::Text("  waits %.2f ms (%llu, %llu contended)", static_cast<double>(last->waits.total_ns) * 1e-6,
                  static_cast<unsigned long long>(last->waits.count),
                  static_cast<unsigned long long>(last->waits.contended));
    }
    const auto serial = state.serial_seconds.find(work_key(state.layers.front().view, last->params));
    if (serial != state.serial_seconds.end() && wall > 0)
      ImGui::Text("speedup vs serial %.2fx (efficiency %.0f%%)", speedup(serial->second, wall),
                  100.0 * efficiency(serial->second, wall, last->workers));
    else
      ImGui::TextDisabled("speedup: render with serial (1) or race");
  } else if (!progress.busy) {
    ImGui::TextUnformatted("no render yet");
  }
  ImGui::End();
}

}  // namespace parafrac::gui
