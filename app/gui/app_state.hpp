#pragma once
// Everything the desktop app knows, in one plain struct (immediate-mode UI: panels are
// functions of this state), and the functions the main loop calls.
#include <cstdint>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gestures.hpp"
#include "layers.hpp"
#include "messages.hpp"
#include "navigation.hpp"
#include "parafrac/metadata.hpp"
#include "parafrac/renderer.hpp"
#include "race.hpp"
#include "settings.hpp"

struct GLFWwindow;

namespace parafrac::gui {

class GlDisplay;

// One finished render, for the history plot.
struct Timing {
  std::string strategy;
  double wall_seconds;
};

// A file written off the UI thread; its outcome becomes a message.
struct BackgroundWrite {
  std::string what;  // "screenshot", "export"
  std::future<std::string> done;  // the path written; throws Error on failure
};

struct KeyPress {
  int key;   // GLFW_KEY_*
  int mods;  // GLFW_MOD_*
};

// Wakes the UI thread's event loop; callable from any thread.
void wake_ui();

struct AppState {
  explicit AppState(Settings loaded) : settings(std::move(loaded)), history(settings.view) {}

  Settings settings;           // settings.view: the current view at the framebuffer's size
  ViewHistory history;
  std::vector<std::string> strategy_names = parafrac::strategy_names();
  std::shared_future<void> strategies_checked;  // every strategy's availability asked (main.cpp)
  std::filesystem::path screenshot_dir;
  bool verbose = false;        // one line per event on stdout (scripts and tests read it)

  // Rendering.
  Renderer renderer{wake_ui};
  Layers layers;
  std::string requested_key;   // what the latest request rendered; a change asks again
  std::optional<std::pair<View, std::uint64_t>> pending_start;  // a request the layers have not seen
  std::vector<TileRecord> in_flight;  // records of the render in flight, as tiles arrive
  std::optional<RenderReport> last;   // the last finished render (the front layer's)
  std::map<std::string, double> serial_seconds;  // work_key -> serial wall time, for speedup
  std::vector<Timing> timings;
  Race race;  // renders its own strategy while it runs; settings.strategy stays the user's

  // Input.
  // Where the left and right buttons went down, in window coordinates, from the button callback:
  // ImGui 1.86 only knows where the pointer is at the next frame, which may be far from there.
  std::optional<std::pair<double, double>> pressed_at[2];
  std::pair<double, double> pointer;  // window coordinates, from the cursor callback
  DoubleClick double_click;           // fed by the button callback, with GLFW's event times
  std::optional<std::pair<double, double>> double_clicked;  // where, in window coordinates
  KeyTaps key_taps;                   // releases held back for Dear ImGui (text fields: Ctrl+A)
  bool dragging = false;
  double drag_x = 0, drag_y = 0;  // the pointer's last position in the drag, in pixels
  bool boxing = false;
  double box_x0 = 0, box_y0 = 0;
  double last_wheel = -1;      // ImGui::GetTime() of the last wheel step (coalesces history)
  std::vector<KeyPress> keys;        // pressed since the last frame, in order
  std::string dropped;               // a file dropped onto the window, not yet opened
  std::future<SavedView> opening;    // a PNG being read
  bool screenshot_wanted = false;
  bool quit = false;
  bool show_help = false;

  // Export.
  std::unique_ptr<Renderer> exporter;
  std::uint64_t export_generation = 0;
  View export_view;
  std::vector<BackgroundWrite> writes;
  std::vector<Message> messages;
};

// The main loop's steps, one file each.
void handle_input(AppState& state, GLFWwindow* window);
void request_render(AppState& state);
void take_render_results(AppState& state, GlDisplay& display);
void draw_controls(AppState& state);
void draw_stats_overlay(AppState& state);
void draw_tile_overlay(AppState& state);
void draw_heat_legend(const AppState& state);  // inside the controls: what the heat map's colours mean
void draw_timeline(AppState& state);
void draw_history(AppState& state);
void draw_race(AppState& state);
void draw_help(AppState& state);
void draw_messages(AppState& state);
// Called after ImGui::Begin: the window is pulled wholly into the viewport (after a resize, or
// when it grew past the edge), so no panel hangs off the window out of reach.
void keep_in_view();

// Screenshots, exports and opening PNGs (files.cpp).
void save_screenshot(AppState& state, int width, int height);
void start_export(AppState& state);
// The last render as a Chrome trace (parafrac-trace-....json in the screenshot folder).
void save_trace(AppState& state);
void poll_files(AppState& state);
void open_image(AppState& state, const std::string& path);

// Small shared helpers.
std::string view_key(const View& view, std::uint32_t max_iter);
// The view and the work per point (max_iter, kernel, shortcuts): renders with equal keys did
// the same work, so their times compare (speedup) and a new request is needed when it changes.
std::string work_key(const View& view, const KernelParams& params);
std::uint32_t max_iter_of(const AppState& state);
KernelParams kernel_params(const AppState& state);  // max_iter, kernel and shortcuts as set
void go_to(AppState& state, const View& view, bool replace_history = false);
// Back (-1) or forward (+1) in the view history, at the window's size; nothing at either end.
void step_history(AppState& state, int direction);
// The named strategy for the renders that follow; stops a race (the user chose).
void choose_strategy(AppState& state, const std::string& name);
// Why `name` cannot be chosen now: unavailable here (the reason), or not yet known; "" when it can.
std::string why_not_choose(const AppState& state, const std::string& name);
// The strategy the renders use now: the race's while it runs, else the user's.
const std::string& active_strategy(const AppState& state);
// What a race's results depend on: the view, the work per point, the workers and the tile size.
// A render of another key stops the race and makes its results stale.
std::string race_key(const View& view, const KernelParams& params, const Settings& settings);
// Races every registered strategy on the current view.
void start_race(AppState& state);
void say(AppState& state, std::string text, bool error = false);
void event(const AppState& state, const std::string& line);  // --verbose output

}  // namespace parafrac::gui
