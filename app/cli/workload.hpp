#pragma once
// The view options render and bench share, and the Job they describe.
#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parafrac/kernel.hpp"
#include "parafrac/strategy.hpp"
#include "parafrac/view.hpp"

namespace parafrac::cli {

enum class Preset { standard, seed, bg };

struct WorkloadOptions {
  std::string preset = "default";
  std::string center;  // "RE,IM"
  std::optional<double> scale;
  std::string size;  // "WxH"
  std::optional<long long> max_iter;
  std::string kernel = "auto";
  bool no_shortcuts = false;
};

void add_workload_options(CLI::App& command, WorkloadOptions& options);

// --tile when given; else auto_tile_size() for a width x height image and --workers (0: one
// per hardware thread).
int tile_or_auto(const std::optional<int>& tile, int width, int height, int workers);

struct Workload {
  Preset preset;
  Job job;
  std::optional<View> view;  // for the default preset
  std::string description;  // one line for table headers and PNG metadata
};

// Throws Error naming the first bad option.
Workload make_workload(const WorkloadOptions& options, bool smooth);

// --option NAME=VALUE, repeatable: a setting a strategy declares (`strategies -v` lists them).
void add_strategy_settings(CLI::App& command, std::vector<std::string>& given);
// The settings given, by name; throws Error for one without '=' or given twice.
StrategySettings parse_strategy_settings(const std::vector<std::string>& given);

}  // namespace parafrac::cli
