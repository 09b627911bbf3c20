// parafrac: the desktop explorer. One flat main in the manner of Dear ImGui's examples: set-up,
// the loop (events, input, renders in, draw, swap), clean-up.
#include <glad/gl.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "app_state.hpp"
#include "gl_display.hpp"
#include "parafrac/error.hpp"
#include "parafrac/gpu.hpp"
#include "parafrac/palette.hpp"
#include "parafrac/parse.hpp"
#include "parafrac/processes.hpp"
#include "session.hpp"

namespace {

namespace fs = std::filesystem;
using namespace parafrac;
using namespace parafrac::gui;

struct Options {
  std::string center, size, screenshot_dir, image;
  std::optional<double> scale;
  std::optional<long long> max_iter, workers, tile;
  std::optional<std::string> strategy;
  bool reset = false, verbose = false;
};

// Shaders live in share/parafrac/shaders beside bin/ (build tree and install alike).
fs::path shader_dir() {
  if (const char* dir = std::getenv("PARAFRAC_SHADER_DIR"); dir && *dir) return dir;
  return default_worker_path().parent_path().parent_path() / "share" / "parafrac" / "shaders";
}

// The command line over the saved settings; throws Error naming the bad option.
void apply(const Options& options, Settings& settings) {
  View& view = settings.view;
  if (!options.image.empty()) {
    const SavedView saved = read_view_metadata(read_png_text(options.image));
    view.center_re = saved.view.center_re;
    view.center_im = saved.view.center_im;
    view.scale = saved.view.scale;
    adopt_picture(settings, saved);
  }
  if (!options.center.empty()) std::tie(view.center_re, view.center_im) = parse_point(options.center, "--center");
  if (options.scale) view.scale = *options.scale;
  if (!options.size.empty()) {
    std::tie(view.width, view.height) = parse_size(options.size, "--size");
    if (view.width < kMinWindowSide || view.height < kMinWindowSide || view.width > kMaxWindowSide ||
        view.height > kMaxWindowSide)
      throw Error("--size: the window must be between " + std::to_string(kMinWindowSide) + " and " +
                  std::to_string(kMaxWindowSide) + " pixels a side");
  }
  view.validate();
  if (options.max_iter) {
    if (!kIterationRange.contains(*options.max_iter))
      throw Error("--max-iter must be between 1 and " + std::to_string(kIterationRange.max));
    settings.max_iter = static_cast<std::uint32_t>(*options.max_iter);
    settings.auto_max_iter = false;
  }
  if (options.strategy) {
    const auto names = strategy_names();
    if (std::find(names.begin(), names.end(), *options.strategy) == names.end())
      throw Error("--strategy: unknown strategy '" + *options.strategy + "' (parafrac-cli strategies lists them)");
    settings.strategy = *options.strategy;
  }
  if (options.workers) {
    if (*options.workers != 0 && !kWorkerRange.contains(*options.workers))
      throw Error("--workers must be between 0 and " + std::to_string(kWorkerRange.max));
    settings.workers = static_cast<int>(*options.workers);
  }
  if (options.tile) {
    if (!kTileRange.contains(*options.tile))
      throw Error("--tile must be between " + std::to_string(kTileRange.min) + " and " +
                  std::to_string(kTileRange.max));
    settings.tile_size = static_cast<int>(*options.tile);
  }
  if (!options.screenshot_dir.empty()) settings.screenshot_dir = options.screenshot_dir;
}

void on_drop(GLFWwindow* window, int count, const char** paths) {
  auto* state = static_cast<AppState*>(glfwGetWindowUserPointer(window));
  if (count > 0) state->dropped = paths[count - 1];  // one view at a time: the last file wins
}

void on_key(GLFWwindow* window, int key, int scancode, int action, int mods) {
  auto* state = static_cast<AppState*>(glfwGetWindowUserPointer(window));
  if (action == GLFW_PRESS) state->key_taps.pressed();
  if (action == GLFW_RELEASE && !state->key_taps.release_now(key, mods)) return;  // after the next frame
  ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);  // ImGui's own, which ours replaced
  if (action == GLFW_PRESS || action == GLFW_REPEAT) state->keys.push_back({key, mods});
}

// The releases held back for Dear ImGui, now that a frame has seen their presses.
void release_held_keys(AppState& state, GLFWwindow* window) {
  for (const auto& [key, mods] : state.key_taps.frame_done())
    ImGui_ImplGlfw_KeyCallback(window, key, 0, GLFW_RELEASE, mods);  // Dear ImGui 1.86 reads no scancode
}

void on_mouse_button(GLFWwindow* window, int button, int action, int mods) {
  ImGui_ImplGlfw_MouseButtonCallback(window, button, action, mods);
  if (action != GLFW_PRESS || (button != GLFW_MOUSE_BUTTON_LEFT && button != GLFW_MOUSE_BUTTON_RIGHT)) return;
  auto* state = static_cast<AppState*>(glfwGetWindowUserPointer(window));
  state->pressed_at[button == GLFW_MOUSE_BUTTON_RIGHT] = state->pointer;
  // GLFW's clock at the event, not the frame's: two clicks can reach one frame.
  const auto [x, y] = state->pointer;
  if (button == GLFW_MOUSE_BUTTON_LEFT && state->double_click.press(glfwGetTime(), x, y))
    state->double_clicked = state->pointer;
}

// The pointer as of the events handled so far (glfwGetCursorPos asks the X server where it is
// now, which may be several queued events further).
void on_cursor(GLFWwindow* window, double x, double y) {  // Dear ImGui 1.86 installs none
  static_cast<AppState*>(glfwGetWindowUserPointer(window))->pointer = {x, y};
}

std::string glfw_error;
void on_glfw_error(int, const char* description) { glfw_error = description; }

}  // namespace

int main(int argc, char** argv) {
  parafrac::register_gpu_strategies();  // before anything reads the registry
  CLI::App cli("Parafrac: explore the Mandelbrot set, and watch how each concurrency strategy renders it.", "parafrac");
  Options options;
  cli.add_option("--center", options.center, "view centre RE,IM");
  cli.add_option("--scale", options.scale, "height of the view on the complex plane");
  cli.add_option("--max-iter", options.max_iter, "maximum iterations (default: automatic, rising with depth)");
  cli.add_option("--strategy", options.strategy, "concurrency strategy (parafrac-cli strategies lists them)");
  cli.add_option("--workers", options.workers, "worker count, 0 for one per core");
  cli.add_option("--tile", options.tile, "tile size in pixels");
  cli.add_option("--size", options.size, "window size WIDTHxHEIGHT");
  cli.add_option("--screenshot-dir", options.screenshot_dir, "where F12 and Export save PNGs (default ~/Pictures/Parafrac)");
  cli.add_flag("--reset", options.reset, "forget the saved settings and view; start fresh");
  cli.add_flag("--verbose", options.verbose, "print one line per render, screenshot and switch on stdout");
  cli.add_option("image", options.image, "a PNG made by Parafrac: open at its view");
  cli.set_version_flag("--version", "parafrac " PARAFRAC_VERSION);  // parsed before any window opens
  CLI11_PARSE(cli, argc, argv);

  // Settings: saved ones (unless --reset), then the command line over them, for this run only.
  std::string warning;
  Settings saved = options.reset ? Settings{} : load_settings(settings_path(), warning);
  if (!warning.empty()) std::fprintf(stderr, "parafrac: %s\n", warning.c_str());
  if (const std::string forgot = keep_settings_strategies_take(saved); !forgot.empty())
    std::fprintf(stderr, "parafrac: %s\n", forgot.c_str());
  Settings settings = saved;
  try {
    apply(options, settings);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "parafrac: %s\n", error.what());
    return 2;
  }
  const Settings at_start = settings;

  // Window and GL context.
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) {
    std::fprintf(stderr, "parafrac: no display to open a window on (%s); for images without one, use parafrac-cli\n",
                 glfw_error.c_str());
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(settings.view.width, settings.view.height, "Parafrac", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "parafrac: cannot open an OpenGL 3.3 window (%s)\n", glfw_error.c_str());
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  if (!gladLoadGL(glfwGetProcAddress)) {
    std::fprintf(stderr, "parafrac: cannot load OpenGL 3.3 functions\n");
    glfwDestroyWindow(window);
    glfwTerminate();
    return 1;
  }

  int exit_status = 0;
  {
    std::unique_ptr<GlDisplay> display;
    try {
      display = std::make_unique<GlDisplay>(shader_dir());
    } catch (const std::exception& error) {
      std::fprintf(stderr, "parafrac: %s\n", error.what());
      exit_status = 1;
    }
    if (display) {
      // Dear ImGui; its window layout is kept in our settings file, written atomically.
      IMGUI_CHECKVERSION();
      ImGui::CreateContext();
      ImGuiIO& io = ImGui::GetIO();
      io.IniFilename = nullptr;
      ImGui::LoadIniSettingsFromMemory(settings.imgui_layout.c_str(), settings.imgui_layout.size());
      ImGui::StyleColorsDark();
      ImGui_ImplGlfw_InitForOpenGL(window, true);
      ImGui_ImplOpenGL3_Init("#version 330 core");

      AppState state(std::move(settings));
      // Whether each strategy can run here (the GPU's starts a context and a self-test): found out
      // off the UI thread; the controls grey out what cannot, with the reason.
      state.strategies_checked = std::async(std::launch::async, [] {
                                   for (const StrategyInfo& info : strategies()) info.unavailable_reason();
                                 }).share();
      state.verbose = options.verbose;
      state.screenshot_dir = state.settings.screenshot_dir.empty() ? default_screenshot_dir() : fs::path(state.settings.screenshot_dir);
      glfwSetWindowUserPointer(window, &state);
      glfwSetDropCallback(window, on_drop);
      glfwSetKeyCallback(window, on_key);
      glfwSetMouseButtonCallback(window, on_mouse_button);
      glfwSetCursorPosCallback(window, on_cursor);
      int width = 0, height = 0;
      glfwGetFramebufferSize(window, &width, &height);
      event(state, "ready " + std::to_string(width) + "x" + std::to_string(height));

      while (!state.quit) {
        // Wake for input, and besides at most 60 times a second while tiles or files are on their
        // way (not spinning: the workers need the cores), a few times a second otherwise.
        const bool busy = state.renderer.progress().busy || !state.writes.empty() || state.opening.valid() ||
                          (state.exporter && state.exporter->progress().busy) || !state.messages.empty();
        glfwWaitEventsTimeout(busy ? 1.0 / 60 : 0.25);

        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        handle_input(state, window);
        request_render(state);
        take_render_results(state, *display);
        poll_files(state);

        glfwGetFramebufferSize(window, &width, &height);
        glViewport(0, 0, width, height);
        display->draw(state.layers, state.settings.view, palette_named(state.settings.palette), state.settings.palette_offset);
        if (state.settings.show_panels) {
          draw_tile_overlay(state);
          draw_controls(state);
          draw_stats_overlay(state);
          draw_timeline(state);
          draw_history(state);
          draw_race(state);
        }
        draw_help(state);
        if (state.settings.show_panels) draw_messages(state);
        ImGui::Render();
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        release_held_keys(state, window);
        if (std::exchange(state.screenshot_wanted, false)) save_screenshot(state, width, height);
        glfwSwapBuffers(window);
      }

      // Clean-up: stop renders first (workers and processes end), finish pending files, save.
      state.renderer.cancel();
      state.exporter.reset();
      for (BackgroundWrite& write : state.writes) write.done.wait();
      poll_files(state);
      // The size asked for next time, before GLFW_SCALE_TO_MONITOR scales it up again.
      int window_width = 0, window_height = 0;
      float scale_x = 1, scale_y = 1;
      glfwGetWindowSize(window, &window_width, &window_height);
      glfwGetWindowContentScale(window, &scale_x, &scale_y);
      state.settings.view.width = std::clamp(static_cast<int>(window_width / std::max(scale_x, 1.0f)), kMinWindowSide, kMaxWindowSide);
      state.settings.view.height = std::clamp(static_cast<int>(window_height / std::max(scale_y, 1.0f)), kMinWindowSide, kMaxWindowSide);
      state.settings.imgui_layout = ImGui::SaveIniSettingsToMemory();
      try {
        save_settings(settings_path(), settings_to_save(saved, at_start, state.settings));
      } catch (const std::exception& error) {
        std::fprintf(stderr, "parafrac: settings not saved: %s\n", error.what());
      }
      ImGui_ImplOpenGL3_Shutdown();
      ImGui_ImplGlfw_Shutdown();
      ImGui::DestroyContext();
      event(state, "bye");
    }
  }
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_status;
}
