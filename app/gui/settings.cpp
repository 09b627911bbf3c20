#include "settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "parafrac/error.hpp"
#include "parafrac/output_file.hpp"
#include "parafrac/palette.hpp"
#include "parafrac/strategy.hpp"

namespace parafrac::gui {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path home() {
  const char* home = std::getenv("HOME");
  return home && *home ? fs::path(home) : fs::current_path();
}

fs::path from_env(const char* name, const fs::path& fallback) {
  const char* value = std::getenv(name);
  return value && *value == '/' ? fs::path(value) : fallback;  // XDG: relative paths are ignored
}

// Reads `key` into `value` when present and of the right type; otherwise keeps the default and
// notes the problem.
template <typename T>
void read(const json& object, const char* key, T& value, std::string& warning) {
  const auto found = object.find(key);
  if (found == object.end()) return;
  try {
    value = found->get<T>();
  } catch (const json::exception&) {
    warning += std::string(warning.empty() ? "" : "; ") + "ignored a bad '" + key + "'";
  }
}

}  // namespace

fs::path settings_path() {
  return from_env("XDG_CONFIG_HOME", home() / ".config") / "parafrac" / "settings.json";
}

fs::path default_screenshot_dir() { return from_env("XDG_PICTURES_DIR", home() / "Pictures") / "Parafrac"; }

Settings load_settings(const fs::path& path, std::string& warning) {
  Settings settings;
  std::ifstream in(path);
  if (!in) return settings;
  json object;
  try {
    object = json::parse(in);
  } catch (const json::exception&) {
    warning = path.string() + " is damaged; starting from the defaults";
    return settings;
  }
  if (!object.is_object()) {
    warning = path.string() + " holds no settings; starting from the defaults";
    return settings;
  }
  const Settings defaults;
  read(object, "center_re", settings.view.center_re, warning);
  read(object, "center_im", settings.view.center_im, warning);
  read(object, "scale", settings.view.scale, warning);
  read(object, "window_width", settings.view.width, warning);
  read(object, "window_height", settings.view.height, warning);
  try {
    settings.view.validate();
  } catch (const Error& error) {
    warning += std::string(warning.empty() ? "" : "; ") + "the saved view was unusable (" + error.what() + ")";
    settings.view = defaults.view;
  }
  read(object, "max_iter", settings.max_iter, warning);
  read(object, "auto_max_iter", settings.auto_max_iter, warning);
  read(object, "strategy", settings.strategy, warning);
  read(object, "workers", settings.workers, warning);
  read(object, "tile_size", settings.tile_size, warning);
  read(object, "simd", settings.simd, warning);
  read(object, "shortcuts", settings.shortcuts, warning);
  read(object, "palette", settings.palette, warning);
  read(object, "palette_offset", settings.palette_offset, warning);
  read(object, "show_panels", settings.show_panels, warning);
  read(object, "show_tile_borders", settings.show_tile_borders, warning);
  read(object, "show_heat_map", settings.show_heat_map, warning);
  read(object, "show_timeline", settings.show_timeline, warning);
  read(object, "show_history", settings.show_history, warning);
  read(object, "screenshot_dir", settings.screenshot_dir, warning);
  read(object, "export_size", settings.export_size, warning);
  read(object, "imgui_layout", settings.imgui_layout, warning);
  // Values of the right type can still be out of range: each falls back on its own.
  if (settings.view.width < kMinWindowSide || settings.view.width > kMaxWindowSide ||
      settings.view.height < kMinWindowSide || settings.view.height > kMaxWindowSide) {
    settings.view.width = defaults.view.width;
    settings.view.height = defaults.view.height;
  }
  if (settings.max_iter < 1 || settings.max_iter > kMaxIterations) settings.max_iter = defaults.max_iter;
  if (settings.workers < 0 || settings.workers > kMaxWorkers) settings.workers = defaults.workers;
  if (settings.tile_size < kMinTileSize || settings.tile_size > kMaxTileSize) settings.tile_size = defaults.tile_size;
  const auto& known = palettes();
  if (std::none_of(known.begin(), known.end(), [&](const Palette& p) { return p.name == settings.palette; }))
    settings.palette = defaults.palette;
  if (!std::isfinite(settings.palette_offset) || settings.palette_offset < 0 || settings.palette_offset > 1)
    settings.palette_offset = defaults.palette_offset;
  return settings;
}

void adopt_max_iter(Settings& settings, std::optional<std::uint32_t> max_iter) {
  if (!max_iter) return;
  settings.max_iter = std::min(*max_iter, kMaxIterations);
  settings.auto_max_iter = false;
}

void save_settings(const fs::path& path, const Settings& settings) {
  const json object = {
      {"center_re", settings.view.center_re},
      {"center_im", settings.view.center_im},
      {"scale", settings.view.scale},
      {"window_width", settings.view.width},
      {"window_height", settings.view.height},
      {"max_iter", settings.max_iter},
      {"auto_max_iter", settings.auto_max_iter},
      {"strategy", settings.strategy},
      {"workers", settings.workers},
      {"tile_size", settings.tile_size},
      {"simd", settings.simd},
      {"shortcuts", settings.shortcuts},
      {"palette", settings.palette},
      {"palette_offset", settings.palette_offset},
      {"show_panels", settings.show_panels},
      {"show_tile_borders", settings.show_tile_borders},
      {"show_heat_map", settings.show_heat_map},
      {"show_timeline", settings.show_timeline},
      {"show_history", settings.show_history},
      {"screenshot_dir", settings.screenshot_dir},
      {"export_size", settings.export_size},
      {"imgui_layout", settings.imgui_layout},
  };
  std::error_code ignored;
  fs::create_directories(path.parent_path(), ignored);  // OutputFile says so if it still fails
  OutputFile file(path);
  const std::string text = object.dump(2) + "\n";
  if (std::fwrite(text.data(), 1, text.size(), file.stream()) != text.size())
    throw Error("cannot write " + path.string());
  file.commit();
}

}  // namespace parafrac::gui
