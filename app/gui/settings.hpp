#pragma once
// What the app remembers between runs, and where it keeps it.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "parafrac/metadata.hpp"
#include "parafrac/strategy.hpp"
#include "parafrac/view.hpp"

namespace parafrac::gui {

// What the app agrees to: a window of 64..16384 pixels a side, at most a million iterations (a
// row of a tile must stay quick to cancel), tiles of at least 4 pixels (where handing out a tile
// costs as much as computing it: the schedulers' lesson).
inline constexpr int kMinWindowSide = 64;
inline constexpr int kMaxWindowSide = 16384;
inline constexpr std::uint32_t kMaxIterations = 1'000'000;
inline constexpr int kMinTileSize = 4;
inline constexpr int kMaxTileSize = 4096;

struct Settings {
  View view;  // its width and height are the window's, in screen coordinates
  std::uint32_t max_iter = 500;
  bool auto_max_iter = true;
  std::string strategy{kDefaultStrategy};
  // Each strategy's own settings (StrategyInfo::options) the user changed, by strategy name.
  std::map<std::string, StrategySettings, std::less<>> strategy_settings;
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

// What a reopened image says of how it was drawn, besides its view: its max_iter, when it has one
// (kept within kMaxIterations, automatic mode off), and its palette and colour offset, so it looks
// as it did.
void adopt_picture(Settings& settings, const SavedView& saved);

// $XDG_CONFIG_HOME/parafrac/settings.json, or ~/.config/parafrac/settings.json.
std::filesystem::path settings_path();
// $XDG_PICTURES_DIR/Parafrac, or ~/Pictures/Parafrac.
std::filesystem::path default_screenshot_dir();

// Settings from `path`. A missing file gives the defaults quietly. A damaged file (not JSON,
// over 1 MiB) gives the defaults; a field of the wrong type or out of range (a window side
// outside kMinWindowSide..kMaxWindowSide, a view that cannot be shown at the saved window size,
// 1e300 for an int) keeps its default. Either way `warning` gets one line naming the file and
// the fields and mentioning --reset, and the app carries on: a bad file never stops it.
Settings load_settings(const std::filesystem::path& path, std::string& warning);
// The same from the file's text (a test or a fuzzer calls it on any bytes); `name` is the file
// the warning names.
Settings parse_settings(std::string_view text, const std::string& name, std::string& warning);
// Writes atomically (temp file + rename), creating the folder. Throws Error.
void save_settings(const std::filesystem::path& path, const Settings& settings);

}  // namespace parafrac::gui
