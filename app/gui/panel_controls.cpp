// The controls panel (strategy, workers, tiles, iterations, palette, files), the help overlay
// and the messages.
#include <imgui.h>
#include <imgui_internal.h>  // BringWindowToDisplayFront
#include <imgui_stdlib.h>

#include <algorithm>
#include <optional>
#include <string>

#include "app_state.hpp"
#include "panels.hpp"
#include "parafrac/error.hpp"
#include "parafrac/format.hpp"
#include "parafrac/palette.hpp"
#include "parafrac/strategy.hpp"
#include "session.hpp"

namespace parafrac::gui {
namespace {

// The chosen strategy's own settings, as it declares them (StrategyInfo::options): a choice is a
// combo box, a number a slider. The panel knows no strategy by name.
void strategy_options(Settings& settings) {
  const std::vector<StrategyInfo>& all = strategies();
  const auto found = std::find_if(all.begin(), all.end(), [&](const StrategyInfo& s) { return s.name == settings.strategy; });
  if (found == all.end() || found->options.empty()) return;  // an unknown one fails its render, which says so
  const StrategyInfo& info = *found;
  StrategySettings current;
  try {
    current = strategy_settings(info.name, settings_of(settings, info.name));
  } catch (const Error&) {
    settings.strategy_settings.erase(info.name);  // no longer what it takes: back to its defaults
    current = strategy_settings(info.name, {});
  }
  ImGui::Indent();
  for (const StrategyOption& option : info.options) {
    const std::string& value = current.at(option.name);
    const std::string label = option.name + "##" + info.name;
    std::optional<std::string> chosen;
    if (!option.choices.empty()) {
      if (ImGui::BeginCombo(label.c_str(), value.c_str())) {
        for (const std::string& choice : option.choices)
          if (ImGui::Selectable(choice.c_str(), choice == value)) chosen = choice;
        ImGui::EndCombo();
      }
    } else {
      int number = std::stoi(value);
      const ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp | (option.max - option.min > 100 ? ImGuiSliderFlags_Logarithmic : 0);
      if (ImGui::SliderInt(label.c_str(), &number, static_cast<int>(option.min), static_cast<int>(option.max), "%d", flags))
        chosen = std::to_string(number);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (default %s)", option.help.c_str(), option.default_value().c_str());
    if (chosen) settings.strategy_settings[info.name][option.name] = *chosen;
  }
  ImGui::Unindent();
}

void strategy_controls(AppState& state) {
  Settings& settings = state.settings;
  if (ImGui::BeginCombo("strategy", settings.strategy.c_str())) {
    for (std::size_t i = 0; i < state.strategy_names.size(); ++i) {
      const std::string& name = state.strategy_names[i];
      const std::string label = strategy_key(i) + (i < kStrategyKeys ? "  " : "   ") + name;
      const std::string why_not = why_not_choose(state, name);
      ImGui::BeginDisabled(!why_not.empty());
      if (ImGui::Selectable(label.c_str(), name == settings.strategy)) choose_strategy(state, name);
      ImGui::EndDisabled();
      if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s%s%s", std::string(strategies()[i].summary).c_str(), why_not.empty() ? "" : "\n",
                          why_not.c_str());
    }
    ImGui::EndCombo();
  }
  strategy_options(settings);
  bool automatic = settings.workers == 0;
  if (ImGui::Checkbox("one worker per core", &automatic))
    settings.workers = automatic ? 0 : hardware_workers();
  // The sliders reach every value the command line accepts; logarithmic, so the small counts
  // that matter most stay easy to pick.
  const ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic;
  if (!automatic)
    ImGui::SliderInt("workers", &settings.workers, static_cast<int>(kWorkerRange.min),
                     static_cast<int>(kWorkerRange.max), "%d", flags);
  ImGui::SliderInt("tile size", &settings.tile_size, static_cast<int>(kTileRange.min), static_cast<int>(kTileRange.max),
                   "%d px", flags);
  ImGui::Checkbox("SIMD kernel (K)", &settings.simd);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s vectors for this CPU; off: the scalar reference, one point at a time (same image)",
                      simd_target().c_str());
  ImGui::SameLine();
  ImGui::Checkbox("shortcuts (S)", &settings.shortcuts);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("skip points known to stay inside: cardioid, bulb, cycles (same image)");
}

void image_controls(AppState& state) {
  Settings& settings = state.settings;
  ImGui::Checkbox("automatic max iterations", &settings.auto_max_iter);
  if (settings.auto_max_iter) {
    ImGui::Text("max iterations %u (rises with depth)", max_iter_of(state));
  } else {
    int max_iter = static_cast<int>(settings.max_iter);
    if (ImGui::SliderInt("max iterations", &max_iter, static_cast<int>(kIterationRange.min),
                         static_cast<int>(kIterationRange.max), "%d",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
      settings.max_iter = static_cast<std::uint32_t>(max_iter);
  }
  if (ImGui::BeginCombo("palette", settings.palette.c_str())) {
    for (const Palette& palette : palettes())
      if (ImGui::Selectable(std::string(palette.name).c_str(), palette.name == settings.palette))
        settings.palette = std::string(palette.name);
    ImGui::EndCombo();
  }
  ImGui::SliderFloat("colour offset", &settings.palette_offset, 0.0f, 1.0f);
}

void view_controls(AppState& state) {
  View& view = state.settings.view;
  if (ImGui::Button("< back")) step_history(state, -1);
  ImGui::SameLine();
  if (ImGui::Button("forward >")) step_history(state, +1);
  ImGui::SameLine();
  if (ImGui::Button("reset view")) go_to(state, resized(View{}, view.width, view.height));
  ImGui::Text("centre %s", shortest(view.center_re).c_str());
  ImGui::Text("       %s%si", view.center_im < 0 ? "" : "+", shortest(view.center_im).c_str());
  ImGui::Text("scale  %s (zoom %.3gx)", shortest(view.scale).c_str(), 2.5 / view.scale);
  const ImGuiIO& io = ImGui::GetIO();
  const auto point = view.pixel_to_complex(io.MousePos.x * io.DisplayFramebufferScale.x,
                                           io.MousePos.y * io.DisplayFramebufferScale.y);
  const std::string im = to_resolution(point.imag(), view.pixel_size());
  ImGui::Text("cursor %s %s%si", to_resolution(point.real(), view.pixel_size()).c_str(), im.starts_with('-') ? "" : "+",
              im.c_str());
}

void file_controls(AppState& state) {
  if (ImGui::Button("screenshot (F12)")) state.screenshot_wanted = true;
  ImGui::SameLine();
  if (ImGui::Button("race all strategies (F5)")) start_race(state);
  ImGui::SetNextItemWidth(110);
  ImGui::InputText("##size", &state.settings.export_size);
  ImGui::SameLine();
  const bool exporting = state.exporter && state.exporter->progress().busy;
  if (exporting) {
    const Renderer::Progress progress = state.exporter->progress();
    const float done = progress.total ? static_cast<float>(progress.done) / progress.total : 0.0f;
    ImGui::ProgressBar(done, ImVec2(-1, 0), "exporting...");
  } else if (ImGui::Button("export image (E)")) {
    start_export(state);
  }
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 310);  // a long folder wraps, not widens the panel
  ImGui::TextDisabled("into %s", state.screenshot_dir.c_str());
  ImGui::PopTextWrapPos();
}

}  // namespace

void draw_controls(AppState& state) {
  ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(330, 0), ImGuiCond_FirstUseEver);
  if (ImGui::Begin("Parafrac", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    keep_in_view();
    strategy_controls(state);
    ImGui::Separator();
    image_controls(state);
    ImGui::Separator();
    view_controls(state);
    ImGui::Separator();
    ImGui::Checkbox("tile borders (T)", &state.settings.show_tile_borders);
    ImGui::SameLine();
    ImGui::Checkbox("heat map (M)", &state.settings.show_heat_map);
    if (state.settings.show_heat_map) draw_heat_legend(state);
    ImGui::Checkbox("timeline (L)", &state.settings.show_timeline);
    ImGui::SameLine();
    ImGui::Checkbox("history (H)", &state.settings.show_history);
    ImGui::Separator();
    file_controls(state);
    ImGui::TextDisabled("F1: keys and mouse   Tab: hide panels");
  }
  ImGui::End();
}

void draw_help(AppState& state) {
  if (!state.show_help) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Size.x / 2, viewport->Size.y / 2), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowBgAlpha(0.92f);
  if (ImGui::Begin("Keys and mouse", &state.show_help, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse)) {
    const auto [strategy_keys, strategy_names] = strategy_keys_help(state.strategy_names);
    const char* const keys[][2] = {
        {"left drag", "pan"},
        {"mouse wheel", "zoom about the cursor"},
        {"right drag", "zoom into a box"},
        {"double click", "centre there"},
        {"arrows (shift: more)", "pan"},
        {"+ / -", "zoom in / out"},
        {"R or Home", "reset the view"},
        {"Backspace, Alt+Left / Alt+Right", "back / forward"},
        {strategy_keys.c_str(), strategy_names.c_str()},
        {"K / S", "SIMD kernel / shortcuts on or off (same image, other speed)"},
        {"PageUp / PageDown", "double / halve max iterations"},
        {"I", "automatic max iterations on/off"},
        {"P / O (shift: back)", "next palette / shift colours"},
        {"T / M", "tile borders / heat map"},
        {"L / H", "timeline / history"},
        {"Tab", "hide or show every panel"},
        {"F12", "screenshot"},
        {"E", "export the view at the export size"},
        {"F5", "race every strategy on this view"},
        {"drop a PNG", "go to the view it was made at"},
        {"F1 or ?", "this help"},
        {"Esc, Ctrl+Q", "close help / quit"},
    };
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg)) {
      for (const auto& [key, what] : keys) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(key);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(what);
      }
      ImGui::EndTable();
    }
  }
  ImGui::End();
}

void draw_messages(AppState& state) {
  const double now = ImGui::GetTime();
  std::erase_if(state.messages, [now](const Message& message) { return message.until < now; });
  if (state.messages.empty()) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Size.x / 2, viewport->Size.y - 20), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
  ImGui::SetNextWindowBgAlpha(0.85f);
  ImGui::Begin("##messages", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoInputs |
                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
  // Over every panel, including one the user clicked since (an error once hid behind the timeline).
  ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());
  for (const Message& message : state.messages)
    ImGui::TextColored(message.error ? ImVec4(1.0f, 0.45f, 0.4f, 1.0f) : ImVec4(0.8f, 1.0f, 0.8f, 1.0f), "%s",
                       message.text.c_str());
  ImGui::End();
}

void keep_in_view() {
  const ImVec2 size = ImGui::GetMainViewport()->Size;
  const ImVec2 at = ImGui::GetWindowPos(), extent = ImGui::GetWindowSize();
  const auto [x, y] = pulled_into_view(at.x, at.y, extent.x, extent.y, size.x, size.y);
  if (x != at.x || y != at.y) ImGui::SetWindowPos(ImVec2(x, y));
}

}  // namespace parafrac::gui
