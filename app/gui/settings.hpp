#pragma once
// What the app remembers between runs, and where it keeps it.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "parafrac/view.hpp"

namespace parafrac::gui {

// What the app agrees to: a window of 64..16384 pixels a side, at most a million iterations (a
// row of a tile must stay quick to cancel), tiles of at least 8 pixels.
inline constexpr int kMinWindowSide = 64;
inline constexpr int kMaxWindowSide = 16384;
inline constexpr std::uint32_t kMaxIterations = 1'000'000;
inline constexpr int kMinTileSize = 8;
inline constexpr int kMaxTileSize = 4096;

struct Settings {
  View view;  // its width and height are the window's, in screen coordinates
  std::uint32_t max_iter = 500;
  bool auto_max_iter = true;
  std::string strategy = "pool";
  int workers = 0;  // 0: one per hardware thread
  int tile_size = 64;
  bool simd = true;       // the SIMD kernel, else the scalar reference
  bool shortcuts = true;  // the exact shortcuts (cardioid, bulb, cycles)
  std::string palette = "ocean";
  float palette_offset = 0.0f;
  bool show_panels = true;
  bool show_tile_borders = false;
  bool show_heat_map = false;
  bool show_timeline = true;
  bool show_history = false;
  std::string screenshot_dir;  // empty: default_screenshot_dir()
  std::string export_size = "3840x2160";
  std::string imgui_layout;  // Dear ImGui's window positions (its .ini text)
};

// A reopened image's max_iter, when it has one: kept (within kMaxIterations), automatic mode off.
void adopt_max_iter(Settings& settings, std::optional<std::uint32_t> max_iter);

// $XDG_CONFIG_HOME/parafrac/settings.json, or ~/.config/parafrac/settings.json.
std::filesystem::path settings_path();
// $XDG_PICTURES_DIR/Parafrac, or ~/Pictures/Parafrac.
std::filesystem::path default_screenshot_dir();

// Settings from `path`. A missing file gives the defaults; a damaged one gives the defaults for
// what cannot be read and a warning in `warning`, so a bad file never stops the app.
Settings load_settings(const std::filesystem::path& path, std::string& warning);
// Writes atomically (temp file + rename), creating the folder. Throws Error.
void save_settings(const std::filesystem::path& path, const Settings& settings);

}  // namespace parafrac::gui
