// Mouse and keyboard: what each gesture does to the view and the settings. Keys are listed for
// the user in panel_help.cpp; keep the two together.
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

void choose_strategy(AppState& state, std::size_t index) {
  if (index >= state.strategy_names.size() || state.settings.strategy == state.strategy_names[index]) return;
  state.settings.strategy = state.strategy_names[index];
  state.race.running = false;
  event(state, "strategy " + state.settings.strategy);
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

  if (!io.WantCaptureMouse) {
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
      // Centre on the point under the cursor.
      go_to(state, view.panned(0.5 * (view.width - 1) - at.x, 0.5 * (view.height - 1) - at.y));
    } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
      state.dragging = true;
    }
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
      state.boxing = true;
      state.box_x0 = at.x;
      state.box_y0 = at.y;
    }
    if (io.MouseWheel != 0.0f) {
      // Zoom about the cursor; a run of notches is one step in the history.
      const double now = ImGui::GetTime();
      go_to(state, view.zoomed(wheel_factor(io.MouseWheel), at.x, at.y), now - state.last_wheel < 0.6);
      state.last_wheel = now;
    }
  }
  if (state.dragging) {
    if (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f) {
      // The content follows the cursor at once; the history keeps one entry per drag.
      state.settings.view = view.panned(io.MouseDelta.x * sx, io.MouseDelta.y * sy);
    }
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      state.dragging = false;
      go_to(state, state.settings.view);
    }
  }
  if (state.boxing && !ImGui::IsMouseDown(ImGuiMouseButton_Right)) {
    state.boxing = false;
    if (const auto boxed = zoomed_to_box(view, state.box_x0, state.box_y0, at.x, at.y)) go_to(state, *boxed);
  }
}

void handle_keys(AppState& state) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureKeyboard) return;
  View& view = state.settings.view;
  const bool shift = io.KeyShift;
  const double step = shift ? 0.5 : 0.1;
  const auto pressed = [](int key) { return ImGui::IsKeyPressed(key); };

  if (pressed(GLFW_KEY_LEFT) && io.KeyAlt) {
    if (const auto earlier = state.history.back()) state.settings.view = resized(*earlier, view.width, view.height);
  } else if (pressed(GLFW_KEY_RIGHT) && io.KeyAlt) {
    if (const auto later = state.history.forward()) state.settings.view = resized(*later, view.width, view.height);
  } else if (pressed(GLFW_KEY_BACKSPACE)) {
    if (const auto earlier = state.history.back()) state.settings.view = resized(*earlier, view.width, view.height);
  } else if (pressed(GLFW_KEY_LEFT)) {
    go_to(state, view.panned(view.width * step, 0));
  } else if (pressed(GLFW_KEY_RIGHT)) {
    go_to(state, view.panned(-view.width * step, 0));
  }
  if (pressed(GLFW_KEY_UP)) go_to(state, view.panned(0, view.height * step));
  if (pressed(GLFW_KEY_DOWN)) go_to(state, view.panned(0, -view.height * step));
  const double middle_x = 0.5 * (view.width - 1), middle_y = 0.5 * (view.height - 1);
  if (pressed(GLFW_KEY_EQUAL) || pressed(GLFW_KEY_KP_ADD)) go_to(state, view.zoomed(1.5, middle_x, middle_y));
  if (pressed(GLFW_KEY_MINUS) || pressed(GLFW_KEY_KP_SUBTRACT)) go_to(state, view.zoomed(1 / 1.5, middle_x, middle_y));
  if (pressed(GLFW_KEY_HOME) || pressed(GLFW_KEY_R)) go_to(state, resized(View{}, view.width, view.height));

  for (int digit = 1; digit <= 9; ++digit)
    if (pressed(GLFW_KEY_0 + digit) || pressed(GLFW_KEY_KP_0 + digit)) choose_strategy(state, digit - 1);
  if (pressed(GLFW_KEY_PAGE_UP) || pressed(GLFW_KEY_PAGE_DOWN)) {
    // Doubling or halving leaves the automatic mode: the user chose a number.
    const std::uint32_t now = max_iter_of(state);
    state.settings.max_iter = pressed(GLFW_KEY_PAGE_UP) ? std::min(1'000'000u, now * 2) : std::max(16u, now / 2);
    state.settings.auto_max_iter = false;
  }
  if (pressed(GLFW_KEY_I)) state.settings.auto_max_iter = !state.settings.auto_max_iter;
  if (pressed(GLFW_KEY_P)) next_palette(state);
  if (pressed(GLFW_KEY_O)) state.settings.palette_offset = std::fmod(state.settings.palette_offset + (shift ? 0.95f : 0.05f), 1.0f);

  if (pressed(GLFW_KEY_TAB)) state.settings.show_panels = !state.settings.show_panels;
  if (pressed(GLFW_KEY_T)) state.settings.show_tile_borders = !state.settings.show_tile_borders;
  if (pressed(GLFW_KEY_M)) state.settings.show_heat_map = !state.settings.show_heat_map;
  if (pressed(GLFW_KEY_L)) state.settings.show_timeline = !state.settings.show_timeline;
  if (pressed(GLFW_KEY_H)) state.settings.show_history = !state.settings.show_history;
  if (pressed(GLFW_KEY_F1) || pressed(GLFW_KEY_SLASH)) state.show_help = !state.show_help;
  if (pressed(GLFW_KEY_F12)) state.screenshot_wanted = true;
  if (pressed(GLFW_KEY_E)) start_export(state);
  if (pressed(GLFW_KEY_ESCAPE)) {
    if (state.show_help) state.show_help = false;
    else state.quit = true;
  }
  if (io.KeyCtrl && pressed(GLFW_KEY_Q)) state.quit = true;
}

}  // namespace

void handle_input(AppState& state, GLFWwindow* window) {
  // The framebuffer decides the render's size: a resize (or a move to a HiDPI screen) re-renders.
  int width = 0, height = 0;
  glfwGetFramebufferSize(window, &width, &height);
  if (width > 0 && height > 0 && (width != state.settings.view.width || height != state.settings.view.height))
    state.settings.view = resized(state.settings.view, width, height);

  for (const std::string& path : std::exchange(state.dropped, {})) open_image(state, path);
  handle_mouse(state);
  handle_keys(state);
  if (glfwWindowShouldClose(window)) state.quit = true;
}

}  // namespace parafrac::gui
