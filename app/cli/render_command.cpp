#include <chrono>
#include <algorithm>
#include <cstdio>
#include <future>
#include <optional>
#include <string>
#include <signal.h>

#include "commands.hpp"
#include "interrupt.hpp"
#include "parafrac/error.hpp"
#include "parafrac/image_io.hpp"
#include "parafrac/output_file.hpp"
#include "parafrac/metadata.hpp"
#include "parafrac/palette.hpp"
#include "parafrac/strategy.hpp"
#include "parafrac/tiles.hpp"
#include "progress.hpp"

namespace parafrac::cli {
namespace {

std::string format_for(const RenderOptions& options, Preset preset) {
  if (!options.format.empty()) return options.format;
  const std::string extension = std::filesystem::path(options.output).extension().string();
  if (extension == ".png" || extension == ".i32" || extension == ".pbm") return extension.substr(1);
  if (!extension.empty())
    throw Error("cannot tell the format of " + options.output + ": name it .png, .i32 or .pbm, or pass --format");
  return preset == Preset::bg ? "pbm" : "png";
}

// Everything that defines the picture (a CLI render is coloured at offset 0) and how it was made.
TextChunks metadata(const RenderOptions& options, const Workload& workload, const Strategy& strategy,
                    double seconds) {
  PictureMetadata picture;
  picture.software = "Parafrac " PARAFRAC_VERSION;
  picture.preset = options.workload.preset;
  picture.description = workload.description;
  picture.view = workload.view;
  picture.width = workload.job.grid.width();
  picture.height = workload.job.grid.height();
  picture.max_iter = workload.job.params.max_iter;
  picture.colouring.palette = options.palette;
  picture.render = RenderRecord{std::string(strategy.name()), strategy.workers(), strategy.tile_size(), seconds, {},
                                strategy.settings(), strategy.exact()};
  return picture_metadata(picture);
}

}  // namespace

CLI::App* add_render(CLI::App& app, RenderOptions& options) {
  CLI::App* render = app.add_subcommand("render", "render one image to a file");
  add_workload_options(*render, options.workload);
  render->add_option("--strategy", options.strategy, "how to spread the work (see 'strategies')");
  render->add_option("--workers", options.workers, "worker count (default: one per hardware thread)");
  add_strategy_settings(*render, options.settings);
  render->add_option("--tile", options.tile, "tile edge in pixels (default: 64 to 256, from the image size)");
  render->add_option("--format", options.format, "png (coloured), i32 (raw counts) or pbm (P4 bitmap)")
      ->check(CLI::IsMember({"png", "i32", "pbm"}));
  render->add_option("--palette", options.palette, "png colours: ocean, fire, grey or neon");
  render->add_option("-o,--output", options.output, "the file to write ('-': standard output)")->required();
  render->add_option("--band-rows", options.band_rows,
                     "rows rendered and written at a time (default: about 32 MB of image in memory)");
  return render;
}

namespace {

// Rows per band: about kBandBytes of frame (counts, smooth values and colours for a PNG) at a
// time, whole tiles high, so an image of any size renders in bounded memory.
constexpr long long kBandBytes = 32LL << 20;

int band_rows(int width, int height, int tile, bool png) {
  const long long bytes_per_row = static_cast<long long>(width) * (png ? 4 + 4 + 3 : 4);
  const long long rows = std::max<long long>(1, kBandBytes / bytes_per_row);
  if (rows >= height) return height;
  return static_cast<int>(std::max<long long>(tile, rows / tile * tile));
}

// Runs `write`, which writes to `out`; a failure the stream recorded is told with the output's
// name and the system's reason ("/dev/full: No space left on device").
template <class Write>
void write_to(const OutputFile& out, Write&& write) {
  try {
    write();
  } catch (const Error&) {
    out.throw_if_failed();
    throw;
  }
}

// The job for rows [y, y + rows) of `job`'s grid.
Job band_of(const Job& job, int y, int rows) {
  Job band = job;
  band.grid.im.assign(job.grid.im.begin() + y, job.grid.im.begin() + y + rows);
  return band;
}

}  // namespace

int run_render(const RenderOptions& options) {
  const Workload workload = make_workload(options.workload, false);
  const std::string format = format_for(options, workload.preset);
  const bool png = format == "png";
  const Palette& palette = palette_named(options.palette);
  Job job = workload.job;
  job.smooth = png;
  job.params.membership = format == "pbm";  // a bit a pixel: whether it reached max_iter, not when it escaped
  // The automatic tile size is for one band, the image each render call sees: at most about
  // kBandBytes of rows, whole 64-pixel tiles high (whole tiles of the size chosen, below).
  const int band_height = std::min(job.grid.height(), band_rows(job.grid.width(), job.grid.height(), 64, png));
  const int tile = tile_or_auto(options.tile, job.grid.width(), band_height, options.workers);
  std::unique_ptr<Strategy> strategy =
      make_strategy(options.strategy, {options.workers, tile, parse_strategy_settings(options.settings)});
  const int width = job.grid.width(), height = job.grid.height();
  if (options.band_rows && (*options.band_rows < 1 || *options.band_rows > kMaxImageSide))
    throw Error("--band-rows must be between 1 and " + std::to_string(kMaxImageSide));
  // A path that cannot be written fails here, before the render. Opening a FIFO waits for its
  // reader, so it is interruptible like the render (a second Ctrl-C, if the first cannot stop it).
  std::optional<OutputFile> opened;
  if (const int signal = run_interruptibly([&](std::stop_token) { opened.emplace(options.output); })) {
    std::fprintf(stderr, "parafrac-cli: interrupted; nothing written\n");
    return 128 + signal;
  }
  OutputFile& out = *opened;
  const int rows = options.band_rows ? static_cast<int>(std::min<long long>(*options.band_rows, height))
                                     : band_rows(width, height, strategy->tile_size(), png);
  std::size_t tiles = 0;
  for (int y = 0; y < height; y += rows) tiles += tile_count(width, std::min(rows, height - y), strategy->tile_size());
  Progress progress(tiles, "rendering");
  std::optional<PngStream> png_stream;
  if (png) png_stream.emplace(out.stream(), width, height);
  if (format == "pbm") write_pbm_header(out.stream(), width, height);

  double seconds = 0;  // rendering only, as bench measures it
  bool finished = true, committed = false;
  const int signal = run_interruptibly([&](std::stop_token stop) {
    // Two frames: while the workers render band k+1 into one, a thread packs and writes band k
    // from the other. Each frame is reused, so its pages are touched once.
    std::optional<Frame> frames[2];
    std::future<void> writing;
    for (int y = 0, k = 0; y < height; y += rows, ++k) {
      const Job band = band_of(job, y, std::min(rows, height - y));
      std::optional<Frame>& slot = frames[k % 2];
      if (!slot || slot->height != band.grid.height()) slot.emplace(width, band.grid.height(), png);
      Frame& frame = *slot;
      const auto start = std::chrono::steady_clock::now();
      finished = strategy->render(band, frame, progress.sink(), stop);
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (writing.valid()) writing.get();  // band k-1 is out (or its error is thrown here)
      if (!finished) break;
      writing = std::async(std::launch::async, [&, &frame = frame] {
        write_to(out, [&] {
          if (format == "i32") write_i32(out.stream(), frame);
          else if (format == "pbm") write_pbm_rows(out.stream(), frame, job.params.max_iter);
          else png_stream->write_rows(colorize(frame, palette));
        });
      });
    }
    if (writing.valid()) writing.get();
    if (!finished) return;
    // The last bytes may wait on a stalled reader (a FIFO, a pipe): still interruptible.
    if (png_stream) write_to(out, [&] { png_stream->finish(metadata(options, workload, *strategy, seconds)); });
    out.commit();
    committed = true;
  });
  if (!committed) {  // a signal that came after the commit changes nothing: the output is whole
    std::fprintf(stderr, "parafrac-cli: interrupted; %s\n",
                 out.atomic() ? "nothing written" : "what was written so far is incomplete");
    return 128 + (signal != 0 ? signal : SIGINT);
  }
  std::fprintf(stderr, "wrote %s (%s, %s, %.3f s with %s x%d%s%s)\n",
               options.output == "-" ? "standard output" : options.output.c_str(), format.c_str(),
               workload.description.c_str(), seconds, std::string(strategy->name()).c_str(), strategy->workers(),
               rows < height ? (", " + std::to_string((height + rows - 1) / rows) + " bands").c_str() : "",
               strategy->exact() ? "" : "; not the serial image: its settings trade exactness for speed");
  return 0;
}

}  // namespace parafrac::cli
