// parafrac-cli: the engine, headless. Render a view to a file, list the strategies, time them.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <new>

#include "commands.hpp"
#include "interrupt.hpp"
#include "parafrac/error.hpp"
#include "parafrac/gpu.hpp"
#include "parafrac/strategy.hpp"

int main(int argc, char** argv) {
  using namespace parafrac::cli;
  block_interrupts();
  parafrac::register_gpu_strategies();
  CLI::App app{"Parafrac's headless renderer and benchmark", "parafrac-cli"};
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // the last one wins
  app.require_subcommand(1);
  app.set_version_flag("--version", "parafrac-cli " PARAFRAC_VERSION);
  CLI::App* list = app.add_subcommand("strategies", "list the registered strategies, one a line");
  bool verbose = false;
  list->add_flag("-v,--verbose", verbose, "also say what each strategy is");
  RenderOptions render;
  CLI::App* render_command = add_render(app, render);
  BenchOptions bench;
  CLI::App* bench_command = add_bench(app, bench);
  BenchOptions seed;
  CLI::App* seed_command = add_seed(app, seed);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "parafrac-cli: error: %s (see parafrac-cli --help)\n", e.what());
    return 2;
  }

  try {
    if (list->parsed()) {
      for (const parafrac::StrategyInfo& info : parafrac::strategies()) {
        if (!verbose) {
          std::printf("%s\n", info.name.c_str());
          continue;
        }
        std::printf("%-9s %s\n", info.name.c_str(), info.summary.c_str());
        if (const std::string why = info.unavailable_reason(); !why.empty())
          std::printf("          unavailable here: %s\n", why.c_str());
        for (const parafrac::StrategyOption& option : info.options) {
          std::string values;
          for (const std::string& choice : option.choices) values += (values.empty() ? "" : "|") + choice;
          if (values.empty()) values = std::to_string(option.min) + ".." + std::to_string(option.max);
          std::printf("          --option %s=%s  %s (default %s)\n", option.name.c_str(), values.c_str(),
                      option.help.c_str(), option.default_value().c_str());
        }
      }
      return 0;
    }
    if (render_command->parsed()) return run_render(render);
    if (bench_command->parsed()) return run_bench(bench);
    if (seed_command->parsed()) return run_bench(seed);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "parafrac-cli: error: out of memory (try a smaller --size)\n");
    return 1;
  } catch (const std::exception& e) {  // ours (parafrac::Error), or the system refusing a thread
    std::fprintf(stderr, "parafrac-cli: error: %s\n", e.what());
    return 1;
  }
  return 2;
}
