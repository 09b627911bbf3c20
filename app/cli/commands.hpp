#pragma once
// The subcommands of parafrac-cli. Each add_* registers its options; each run_* returns the
// process's exit status and throws Error for bad input.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "parafrac/strategy.hpp"
#include "workload.hpp"

namespace parafrac::cli {

struct RenderOptions {
  WorkloadOptions workload;
  std::string strategy{kDefaultStrategy};
  std::vector<std::string> settings;  // --option NAME=VALUE
  int workers = 0;
  std::optional<int> tile;  // default: auto_tile_size() of the image
  std::string format;  // png, i32 or pbm; empty: from the file's extension, else the preset's
  std::string palette = "ocean";
  std::string output;
  std::optional<long long> band_rows;  // rows rendered at a time; default: about 32 MB of frame
};
CLI::App* add_render(CLI::App& app, RenderOptions& options);
int run_render(const RenderOptions& options);

struct BenchOptions {
  WorkloadOptions workload;
  std::string strategies = "all";
  std::vector<std::string> settings;  // --option NAME=VALUE, for the strategies that declare NAME
  int workers = 0;
  std::optional<int> tile;  // default: auto_tile_size() of the image
  int repeat = 3;
  bool json = false;
  bool overhead = false;  // the cost of handing out a tile, not the render
  std::string trace;      // a Chrome trace-event file of each strategy's last render
};
CLI::App* add_bench(CLI::App& app, BenchOptions& options);
CLI::App* add_seed(CLI::App& app, BenchOptions& options);
int run_bench(const BenchOptions& options);

}  // namespace parafrac::cli
