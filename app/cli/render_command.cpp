#include <chrono>
#include <cstdio>
#include <signal.h>

#include "commands.hpp"
#include "interrupt.hpp"
#include "parafrac/error.hpp"
#include "parafrac/image_io.hpp"
#include "parafrac/metadata.hpp"
#include "parafrac/palette.hpp"
#include "parafrac/strategy.hpp"
#include "progress.hpp"

namespace parafrac::cli {
namespace {

std::string format_for(const RenderOptions& options, Preset preset) {
  if (!options.format.empty()) return options.format;
  const std::string extension = std::filesystem::path(options.output).extension().string();
  if (extension == ".png" || extension == ".i32" || extension == ".pbm") return extension.substr(1);
  return preset == Preset::bg ? "pbm" : "png";
}

TextChunks metadata(const RenderOptions& options, const Workload& workload, const Strategy& strategy,
                    double seconds) {
  TextChunks text = {{"Software", "Parafrac " PARAFRAC_VERSION},
                     {"parafrac.description", workload.description},
                     {"parafrac.preset", options.workload.preset},
                     {"parafrac.strategy", std::string(strategy.name())},
                     {"parafrac.workers", std::to_string(strategy.workers())},
                     {"parafrac.tile", std::to_string(strategy.tile_size())},
                     {"parafrac.render_seconds", std::to_string(seconds)}};
  const TextChunks view = view_metadata(workload.view.value_or(View{}), workload.job.params.max_iter);
  // A preset's view is its own grid, not a View: it keeps only max_iter.
  if (workload.view) text.insert(text.end(), view.begin(), view.end());
  else text.push_back(view.back());
  return text;
}

}  // namespace

CLI::App* add_render(CLI::App& app, RenderOptions& options) {
  CLI::App* render = app.add_subcommand("render", "render one image to a file");
  add_workload_options(*render, options.workload);
  render->add_option("--strategy", options.strategy, "how to spread the work (see 'strategies')");
  render->add_option("--workers", options.workers, "worker count (default: one per hardware thread)");
  render->add_option("--tile", options.tile, "tile edge in pixels (default 64)");
  render->add_option("--format", options.format, "png (coloured), i32 (raw counts) or pbm (P4 bitmap)")
      ->check(CLI::IsMember({"png", "i32", "pbm"}));
  render->add_option("--palette", options.palette, "png colours: ocean, fire, grey or neon");
  render->add_option("-o,--output", options.output, "the file to write")->required();
  return render;
}

int run_render(const RenderOptions& options) {
  const Workload workload = make_workload(options.workload, false);
  const std::string format = format_for(options, workload.preset);
  const bool png = format == "png";
  const Palette& palette = palette_named(options.palette);
  Job job = workload.job;
  job.smooth = png;
  std::unique_ptr<Strategy> strategy = make_strategy(options.strategy, {options.workers, options.tile});
  AtomicFile out(options.output);  // an unwritable path fails here, before the render

  Frame frame(job.grid.width(), job.grid.height(), png);
  Progress progress(make_tiles(frame.width, frame.height, strategy->tile_size()).size(), "rendering");
  const auto start = std::chrono::steady_clock::now();
  bool finished = false;
  const int signal = run_interruptibly([&](std::stop_token stop) {
    finished = strategy->render(job, frame, progress.sink(), stop);
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (signal != 0 || !finished) {
    std::fprintf(stderr, "parafrac-cli: interrupted; nothing written\n");
    return 128 + (signal != 0 ? signal : SIGINT);
  }

  if (format == "i32")
    write_i32(out.stream(), frame);
  else if (format == "pbm")
    write_pbm(out.stream(), frame, job.params.max_iter);
  else {
    RgbImage image = colorize(frame, palette);
    image.text = metadata(options, workload, *strategy, seconds);
    write_png(out.stream(), image);
  }
  out.commit();
  std::fprintf(stderr, "wrote %s (%s, %s, %.3f s with %s x%d)\n", options.output.c_str(),
               format.c_str(), workload.description.c_str(), seconds,
               std::string(strategy->name()).c_str(), strategy->workers());
  return 0;
}

}  // namespace parafrac::cli
