// Mouse and keyboard: what each gesture does to the view and the settings. Keys are listed for
// the user in draw_help() (panel_controls.cpp); keep the two together.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "app_state.hpp"
#include "parafrac/palette.hpp"

namespace parafrac::gui {
namespace {

// The mouse in framebuffer pixels (the view's pixels), HiDPI included.
ImVec2 mouse_pixel() {
  const ImGuiIO& io = ImGui::GetIO();
  return {io.MousePos.x * io.DisplayFramebufferScale.x, io.MousePos.y * io.DisplayFramebufferScale.y};
}

void next_palette(AppState& state) {
  const auto& all = palettes();
  std::size_t at = 0;
  while (at < all.size() && all[at].name != state.settings.palette) ++at;
  state.settings.palette = std::string(all[(at + 1) % all.size()].name);
}

void handle_mouse(AppState& state) {
  const ImGuiIO& io = ImGui::GetIO();
  View& view = state.settings.view;
  const ImVec2 at = mouse_pixel();
  const float sx = io.DisplayFramebufferScale.x, sy = io.DisplayFramebufferScale.y;
  // Where a button went down, in pixels (where the pointer is now, if the callback missed it).
  const auto press = [&](int button) {
    const auto pressed = std::exchange(state.pressed_at[button], std::nullopt);
    return pressed ? ImVec2(static_cast<float>(pressed->first) * sx, static_cast<float>(pressed->second) * sy) : at;
  };

  // From the button callback's event times: two presses may share a frame, and Dear ImGui 1.86,
  // which samples the buttons once a frame, would see one.
  const auto double_clicked = std::exchange(state.double_clicked, std::nullopt);
  if (!io.WantCaptureMouse) {
    if (double_clicked) {
      // Centre on the point double-clicked.
      const double x = double_clicked->first * sx, y = double_clicked->second * sy;
      state.dragging = false;
      go_to(state, view.panned(0.5 * (view.width - 1) - x, 0.5 * (view.height - 1) - y));
    } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
      const ImVec2 from = press(0);
      state.dragging = true;
      state.drag_x = from.x;
      state.drag_y = from.y;
    }
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
      const ImVec2 from = press(1);
      state.boxing = true;
      state.box_x0 = from.x;
      state.box_y0 = from.y;
    }
    if (io.MouseWheel != 0.0f) {
      // Zoom about the cursor; a run of notches is one step in the history.
      const double now = ImGui::GetTime();
      go_to(state, view.zoomed(wheel_factor(io.MouseWheel), at.x, at.y), now - state.last_wheel < 0.6);
      state.last_wheel = now;
    }
  }
  state.pressed_at[0].reset();  // presses ImGui's windows took
  state.pressed_at[1].reset();
  if (state.dragging) {
    // The content follows the cursor at once; the history keeps one entry per drag.
    if (at.x != state.drag_x || at.y != state.drag_y) view = view.panned(at.x - state.drag_x, at.y - state.drag_y);
    state.drag_x = at.x;
    state.drag_y = at.y;
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      state.dragging = false;
      go_to(state, view);
    }
  }
  if (state.boxing) {
    ImGui::GetForegroundDrawList()->AddRect(ImVec2(static_cast<float>(state.box_x0) / sx, static_cast<float>(state.box_y0) / sy),
                                            io.MousePos, IM_COL32(255, 255, 255, 220), 0.0f, 0, 1.5f);
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Right)) {
      state.boxing = false;
      if (const auto boxed = zoomed_to_box(view, state.box_x0, state.box_y0, at.x, at.y)) go_to(state, *boxed);
    }
  }
}

void handle_key(AppState& state, int key, int mods) {
  View& view = state.settings.view;
  const bool shift = mods & GLFW_MOD_SHIFT, alt = mods & GLFW_MOD_ALT, ctrl = mods & GLFW_MOD_CONTROL;
  const double step = shift ? 0.5 : 0.1;
  const double middle_x = 0.5 * (view.width - 1), middle_y = 0.5 * (view.height - 1);
  const auto back = [&] { step_history(state, -1); };
  const auto forward = [&] { step_history(state, +1); };
  const auto choose = [&](std::size_t index) {
    if (index < state.strategy_names.size()) choose_strategy(state, state.strategy_names[index]);
  };
  if (key >= GLFW_KEY_1 && key <= GLFW_KEY_9) return choose(key - GLFW_KEY_1);
  if (key >= GLFW_KEY_KP_1 && key <= GLFW_KEY_KP_9) return choose(key - GLFW_KEY_KP_1);
  if (key == GLFW_KEY_0 || key == GLFW_KEY_KP_0) return choose(9);  // the tenth (strategy_key)
  switch (key) {
    case GLFW_KEY_LEFT: return alt ? back() : go_to(state, view.panned(view.width * step, 0));
    case GLFW_KEY_RIGHT: return alt ? forward() : go_to(state, view.panned(-view.width * step, 0));
    case GLFW_KEY_UP: return go_to(state, view.panned(0, view.height * step));
    case GLFW_KEY_DOWN: return go_to(state, view.panned(0, -view.height * step));
    case GLFW_KEY_BACKSPACE: return back();
    case GLFW_KEY_EQUAL:
    case GLFW_KEY_KP_ADD: return go_to(state, view.zoomed(1.5, middle_x, middle_y));
    case GLFW_KEY_MINUS:
    case GLFW_KEY_KP_SUBTRACT: return go_to(state, view.zoomed(1 / 1.5, middle_x, middle_y));
    case GLFW_KEY_HOME:
    case GLFW_KEY_R: return go_to(state, resized(View{}, view.width, view.height));
    case GLFW_KEY_PAGE_UP:
    case GLFW_KEY_PAGE_DOWN: {
      // Doubling or halving leaves the automatic mode: the user chose a number.
      const std::uint32_t now = max_iter_of(state);
      state.settings.max_iter = key == GLFW_KEY_PAGE_UP ? std::min(kMaxIterations, now * 2) : std::max(16u, now / 2);
      state.settings.auto_max_iter = false;
      return;
    }
    case GLFW_KEY_I: state.settings.auto_max_iter = !state.settings.auto_max_iter; return;
    case GLFW_KEY_K: state.settings.simd = !state.settings.simd; return;
    case GLFW_KEY_S: state.settings.shortcuts = !state.settings.shortcuts; return;
    case GLFW_KEY_P: return next_palette(state);
    case GLFW_KEY_O: state.settings.palette_offset = std::fmod(state.settings.palette_offset + (shift ? 0.95f : 0.05f), 1.0f); return;
    case GLFW_KEY_TAB: state.settings.show_panels = !state.settings.show_panels; return;
    case GLFW_KEY_T: state.settings.show_tile_borders = !state.settings.show_tile_borders; return;
    case GLFW_KEY_M: state.settings.show_heat_map = !state.settings.show_heat_map; return;
    case GLFW_KEY_L: state.settings.show_timeline = !state.settings.show_timeline; return;
    case GLFW_KEY_H: state.settings.show_history = !state.settings.show_history; return;
    case GLFW_KEY_F1:
    case GLFW_KEY_SLASH: state.show_help = !state.show_help; return;
    case GLFW_KEY_F12: state.screenshot_wanted = true; return;
    case GLFW_KEY_E: return start_export(state);
    case GLFW_KEY_F5: return start_race(state);
    case GLFW_KEY_ESCAPE:
      if (state.show_help) state.show_help = false;
      else state.quit = true;
      return;
    case GLFW_KEY_Q:
      if (ctrl) state.quit = true;
      return;
    default: return;
  }
}

}  // namespace

void handle_input(AppState& state, GLFWwindow* window) {
  // The framebuffer decides the render's size: a resize (or a move to a HiDPI screen) re-renders.
  int width = 0, height = 0;
  glfwGetFramebufferSize(window, &width, &height);
  if (width > 0 && height > 0 && (width != state.settings.view.width || height != state.settings.view.height))
    state.settings.view = resized(state.settings.view, width, height);

  if (!state.dropped.empty()) open_image(state, std::exchange(state.dropped, {}));
  handle_mouse(state);
  // Presses queued by the key callback: Dear ImGui 1.86 samples keys once a frame and would
  // miss a press and release that both land between two frames (a quick tap, xdotool).
  const bool typing = ImGui::GetIO().WantCaptureKeyboard;
  for (const KeyPress& press : std::exchange(state.keys, {}))
    if (!typing || press.key == GLFW_KEY_F12) handle_key(state, press.key, press.mods);
  if (glfwWindowShouldClose(window)) state.quit = true;
}

}  // namespace parafrac::gui
