#include "settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

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

// The fields of a settings file that could not be used, each as "name (what it should be)".
using Problems = std::vector<std::string>;

// Reads `key` when present: `convert` gives the value, or nullopt when the JSON value has the
// wrong type or is out of range; then `value` keeps its default and the field is noted.
template <typename T, typename Convert>
void read(const json& object, const char* key, T& value, Problems& problems, const char* expected, Convert convert) {
  const auto found = object.find(key);
  if (found == object.end()) return;
  if (const std::optional<T> converted = convert(*found))
    value = *converted;
  else
    problems.push_back(std::string(key) + " (" + expected + ")");
}

void read_string(const json& object, const char* key, std::string& value, Problems& problems) {
  read(object, key, value, problems, "not a string",
       [](const json& v) { return v.is_string() ? std::optional(v.get<std::string>()) : std::nullopt; });
}

// "strategy_settings": {"counter": {"chunk": "4"}, ...}: each an object of strings. Whether the
// strategies still take them is for keep_settings_strategies_take() (session.cpp), which knows the
// registry; this file reads text only.
void read_strategy_settings(const json& object, Settings& settings, Problems& problems) {
  const auto found = object.find("strategy_settings");
  if (found == object.end()) return;
  if (!found->is_object()) {
    problems.push_back("strategy_settings (not an object)");
    return;
  }
  for (const auto& [name, given] : found->items()) {
    StrategySettings kept;
    if (given.is_object())
      for (const auto& [option, value] : given.items())
        if (value.is_string()) kept[option] = value.get<std::string>();
    if (!kept.empty() && given.size() == kept.size()) {
      settings.strategy_settings[name] = kept;
      continue;
    }
    problems.push_back("strategy_settings." + name);
  }
}

void read_flag(const json& object, const char* key, bool& value, Problems& problems) {
  read(object, key, value, problems, "not true or false",
       [](const json& v) { return v.is_boolean() ? std::optional(v.get<bool>()) : std::nullopt; });
}

// Every number is compared as a double before it is converted, so 1e300 or -1 for an int (or
// a float) is refused instead of being undefined behaviour or wrapping around. Converting a JSON
// integer to double is always defined.
std::optional<double> number_in(const json& v, double min, double max) {
  if (!v.is_number()) return std::nullopt;
  const double number = v.get<double>();
  if (!(number >= min && number <= max)) return std::nullopt;  // NaN fails too
  return number;
}

void read_real(const json& object, const char* key, double& value, Problems& problems) {
  constexpr double kMax = std::numeric_limits<double>::max();
  read(object, key, value, problems, "not a finite number", [](const json& v) { return number_in(v, -kMax, kMax); });
}

template <typename Int>
void read_whole(const json& object, const char* key, Int& value, long long min, long long max, Problems& problems) {
  const std::string expected = "not a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  read(object, key, value, problems, expected.c_str(), [&](const json& v) -> std::optional<Int> {
    const auto number = number_in(v, static_cast<double>(min), static_cast<double>(max));
    if (!number || *number != std::floor(*number)) return std::nullopt;
    return static_cast<Int>(*number);
  });
}

// The window's size first: whether the view can be shown depends on it (its pixel size).
void read_view(const json& object, View& view, Problems& problems) {
  read_whole(object, "window_width", view.width, kMinWindowSide, kMaxWindowSide, problems);
  read_whole(object, "window_height", view.height, kMinWindowSide, kMaxWindowSide, problems);
  const std::size_t before = problems.size();
  View saved = view;
  read_real(object, "center_re", saved.center_re, problems);
  read_real(object, "center_im", saved.center_im, problems);
  read_real(object, "scale", saved.scale, problems);
  if (problems.size() > before) return;  // the three make one view: never half saved, half default
  try {
    saved.validate();
    view = saved;
  } catch (const Error& error) {
    problems.push_back(std::string("the view in center_re, center_im and scale (") + error.what() + ")");
  }
}

void read_palette(const json& object, Settings& settings, Problems& problems) {
  const auto& known = palettes();
  read(object, "palette", settings.palette, problems, "not a palette's name", [&](const json& v) {
    const bool found = v.is_string() && std::any_of(known.begin(), known.end(),
                                                    [&](const Palette& p) { return p.name == v.get<std::string>(); });
    return found ? std::optional(v.get<std::string>()) : std::nullopt;
  });
  read(object, "palette_offset", settings.palette_offset, problems, "not a number from 0 to 1", [](const json& v) {
    const auto number = number_in(v, 0.0, 1.0);
    return number ? std::optional(static_cast<float>(*number)) : std::nullopt;
  });
}

std::string defaults_warning(const std::string& name, const std::string& why) {
  return name + " " + why + "; starting from the defaults (parafrac --reset forgets the saved settings)";
}

// Settings files are a few kilobytes; a larger one is not ours, and is not read into memory.
constexpr std::uintmax_t kMaxSettingsBytes = 1 << 20;

}  // namespace

fs::path settings_path() {
  return from_env("XDG_CONFIG_HOME", home() / ".config") / "parafrac" / "settings.json";
}

fs::path default_screenshot_dir() { return from_env("XDG_PICTURES_DIR", home() / "Pictures") / "Parafrac"; }

Settings parse_settings(std::string_view text, const std::string& name, std::string& warning) {
  Settings settings;
  json object;
  try {
    object = json::parse(text);
  } catch (const json::exception&) {
    warning = defaults_warning(name, "is damaged");
    return settings;
  }
  if (!object.is_object()) {
    warning = defaults_warning(name, "holds no settings");
    return settings;
  }
  Problems problems;
  read_view(object, settings.view, problems);
  read_whole(object, "max_iter", settings.max_iter, 1, kMaxIterations, problems);
  read_flag(object, "auto_max_iter", settings.auto_max_iter, problems);
  read_string(object, "strategy", settings.strategy, problems);
  read_strategy_settings(object, settings, problems);
  read_whole(object, "workers", settings.workers, 0, kMaxWorkers, problems);
  read_whole(object, "tile_size", settings.tile_size, kMinTileSize, kMaxTileSize, problems);
  read_flag(object, "simd", settings.simd, problems);
  read_flag(object, "shortcuts", settings.shortcuts, problems);
  read_palette(object, settings, problems);
  read_flag(object, "show_panels", settings.show_panels, problems);
  read_flag(object, "show_tile_borders", settings.show_tile_borders, problems);
  read_flag(object, "show_heat_map", settings.show_heat_map, problems);
  read_flag(object, "show_timeline", settings.show_timeline, problems);
  read_flag(object, "show_history", settings.show_history, problems);
  read_string(object, "screenshot_dir", settings.screenshot_dir, problems);
  read_string(object, "export_size", settings.export_size, problems);
  read_string(object, "imgui_layout", settings.imgui_layout, problems);
  if (!problems.empty()) {
    warning = name + ": using the defaults for";
    for (std::size_t i = 0; i < problems.size(); ++i) warning += (i == 0 ? " " : ", ") + problems[i];
    warning += " (parafrac --reset forgets the saved settings)";
  }
  return settings;
}

Settings load_settings(const fs::path& path, std::string& warning) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::string text(kMaxSettingsBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxSettingsBytes) {
    warning = defaults_warning(path.string(), "is too large to be Parafrac's settings");
    return {};
  }
  return parse_settings(text, path.string(), warning);
}

void adopt_picture(Settings& settings, const SavedView& saved) {
  if (saved.max_iter) {
    settings.max_iter = std::min(*saved.max_iter, kMaxIterations);
    settings.auto_max_iter = false;
  }
  if (saved.colouring) {
    settings.palette = saved.colouring->palette;
    settings.palette_offset = saved.colouring->offset;
  }
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
      {"strategy_settings", settings.strategy_settings},
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
