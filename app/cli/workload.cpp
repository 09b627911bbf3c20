#include "workload.hpp"

#include <sstream>

#include "parafrac/error.hpp"
#include "parafrac/format.hpp"
#include "parafrac/parse.hpp"
#include "parafrac/strategy.hpp"
#include "parafrac/tiles.hpp"

namespace parafrac::cli {
namespace {

std::uint32_t max_iter_or(const WorkloadOptions& options, std::uint32_t fallback) {
  if (!options.max_iter) return fallback;
  if (*options.max_iter < 1 || *options.max_iter > kMaxIterationsLimit)
    throw Error("--max-iter " + std::to_string(*options.max_iter) + " must be between 1 and " +
                std::to_string(kMaxIterationsLimit));
  return static_cast<std::uint32_t>(*options.max_iter);
}

void refuse_view_options(const WorkloadOptions& options) {
  if (!options.center.empty() || options.scale)
    throw Error("--preset " + options.preset + " fixes the view: drop --center and --scale");
}

Workload preset_workload(const WorkloadOptions& options, bool smooth) {
  std::ostringstream description;
  if (options.preset == "seed") {
    refuse_view_options(options);
    const auto [width, height] = parse_size(options.size.empty() ? "3000x4000" : options.size, "--size");
    const KernelParams params{max_iter_or(options, 20), Start::c, Escape::hypot};
    description << "seed workload " << width << "x" << height << ", " << params.max_iter << " iterations";
    return {Preset::seed, {seed_grid(width, height), params, smooth}, std::nullopt, description.str()};
  }
  if (options.preset == "bg") {
    refuse_view_options(options);
    const auto [width, height] = parse_size(options.size.empty() ? "16000x16000" : options.size, "--size");
    if (width != height) throw Error("--preset bg renders N x N: --size must be square");
    const KernelParams params{max_iter_or(options, 50), Start::zero, Escape::norm};
    description << "Benchmarks Game N=" << width << ", " << params.max_iter << " iterations";
    return {Preset::bg, {benchmarks_game_grid(width), params, smooth}, std::nullopt, description.str()};
  }
  View view;
  if (!options.center.empty()) std::tie(view.center_re, view.center_im) = parse_point(options.center, "--center");
  if (options.scale) view.scale = *options.scale;
  if (!options.size.empty()) std::tie(view.width, view.height) = parse_size(options.size, "--size");
  view.validate();
  const KernelParams params{max_iter_or(options, 500), Start::zero, Escape::norm};
  description << view.width << "x" << view.height << " at " << shortest(view.center_re) << ","
              << shortest(view.center_im) << " scale " << shortest(view.scale) << ", max-iter " << params.max_iter;
  return {Preset::standard, {grid_of(view), params, smooth}, view, description.str()};
}

}  // namespace

void add_workload_options(CLI::App& command, WorkloadOptions& options) {
  command.add_option("--preset", options.preset,
                     "default: the view options below; seed: the seed's NumPy workload; "
                     "bg: the Benchmarks Game mandelbrot")
      ->check(CLI::IsMember({"default", "seed", "bg"}));
  command.add_option("--center", options.center, "view centre RE,IM (default -0.5,0)");
  command.add_option("--scale", options.scale, "height of the view in the complex plane (default 2.5)");
  command.add_option("--size", options.size,
                     "WIDTHxHEIGHT in pixels (default 1280x720; seed 3000x4000; bg 16000x16000)");
  command.add_option("--max-iter", options.max_iter, "iteration limit (default 500; seed 20; bg 50)");
  command.add_option("--kernel", options.kernel,
                     "scalar: the reference, a point at a time; simd: vectors for this CPU; auto (default): simd")
      ->check(CLI::IsMember({"scalar", "simd", "auto"}));
  command.add_flag("--no-shortcuts", options.no_shortcuts,
                   "iterate every point to the end: no cardioid/bulb test, no cycle detection (same image)");
}

int tile_or_auto(const std::optional<int>& tile, int width, int height, int workers) {
  return tile.value_or(auto_tile_size(width, height, workers > 0 ? workers : hardware_workers()));
}

Workload make_workload(const WorkloadOptions& options, bool smooth) {
  Workload workload = preset_workload(options, smooth);
  workload.job.params.kernel = options.kernel == "scalar" ? KernelKind::scalar : KernelKind::simd;
  workload.job.params.shortcuts = !options.no_shortcuts;
  return workload;
}

void add_strategy_settings(CLI::App& command, std::vector<std::string>& given) {
  command.add_option("--option", given, "NAME=VALUE: a setting of the strategy (see 'strategies -v'); repeatable")
      ->take_all()
      ->allow_extra_args(false);
}

StrategySettings parse_strategy_settings(const std::vector<std::string>& given) {
  StrategySettings settings;
  for (const std::string& item : given) {
    const std::size_t equals = item.find('=');
    if (equals == std::string::npos || equals == 0)
      throw Error("--option takes NAME=VALUE, not '" + item + "'");
    if (!settings.emplace(item.substr(0, equals), item.substr(equals + 1)).second)
      throw Error("--option " + item.substr(0, equals) + " is given twice");
  }
  return settings;
}

}  // namespace parafrac::cli
