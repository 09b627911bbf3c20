// Screenshots, exports and opening PNGs: the disk work happens off the UI thread.
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>

#include "app_state.hpp"
#include "session.hpp"
#include "gl_display.hpp"
#include "parafrac/error.hpp"
#include "parafrac/image_io.hpp"
#include "parafrac/output_file.hpp"
#include "parafrac/palette.hpp"
#include "parafrac/parse.hpp"
#include "parafrac/trace.hpp"

namespace parafrac::gui {
namespace {

namespace fs = std::filesystem;

constexpr long long kMaxExportPixels = 150'000'000;  // about 1.7 GB at its peak

// parafrac-<kind>-20261125-143005-123<extension> in the screenshot folder: sorts by time, never clashes.
fs::path timestamped(const fs::path& folder, const char* kind, const std::string& extension) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm local{};
  localtime_r(&seconds, &local);
  char name[80];
  std::snprintf(name, sizeof name, "parafrac-%s-%04d%02d%02d-%02d%02d%02d-%03d", kind, local.tm_year + 1900,
                local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec, static_cast<int>(millis));
  fs::path path = folder / (std::string(name) + extension);
  std::error_code unknown;  // then OutputFile tells what is wrong with the folder, in one line
  for (int n = 2; fs::exists(path, unknown); ++n)
    path = folder / (std::string(name) + "-" + std::to_string(n) + extension);
  return path;
}

TextChunks metadata(const AppState& state, const View& view, const std::optional<RenderReport>& report) {
  PictureMetadata picture;
  picture.software = "Parafrac " PARAFRAC_VERSION;
  picture.view = view;
  picture.max_iter = report ? report->params.max_iter : max_iter_of(state);
  picture.colouring = {state.settings.palette, state.settings.palette_offset};
  if (report)
    picture.render = RenderRecord{report->strategy, report->workers, report->tile_size, report->wall_seconds(),
                                  report->cpu_ns * 1e-9, report->settings, report->exact};
  return picture_metadata(picture);
}

// Writes a new file atomically into the folder (created if needed) with `write`; returns the path.
std::string write_into(const fs::path& folder, const char* kind, const std::string& extension,
                       const std::function<void(OutputFile&)>& write) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw Error("cannot create " + folder.string() + ": " + error.message());
  const fs::path path = timestamped(folder, kind, extension);
  OutputFile file(path);
  write(file);
  file.commit();
  return path.string();
}

std::string write_into(const fs::path& folder, const char* kind, const RgbImage& image) {
  return write_into(folder, kind, ".png", [&image](OutputFile& file) { write_png(file.stream(), image); });
}

}  // namespace

void save_screenshot(AppState& state, int width, int height) {
  // What the user sees, overlays and all: the back buffer after ImGui drew into it.
  RgbImage image{width, height, read_window_pixels(width, height), {}};
  image.text = metadata(state, state.settings.view, state.last);  // the view the window shows
  state.writes.push_back({"screenshot", std::async(std::launch::async, [folder = state.screenshot_dir,
                                                                        image = std::move(image)] {
                            return write_into(folder, "screenshot", image);
                          })});
}

void save_trace(AppState& state) {
  if (!state.last) {
    say(state, "no render to trace yet", true);
    return;
  }
  const RenderReport& last = *state.last;
  // The records are copied here (a memcpy) and turned into JSON off the UI thread (a million waits
  // take seconds).
  state.writes.push_back({"trace", std::async(std::launch::async, [folder = state.screenshot_dir,
                                                                   name = last.strategy + " x" + std::to_string(last.workers),
                                                                   records = last.records, waits = last.waits] {
                            const std::string text = chrome_trace({{name, records, waits}});
                            return write_into(folder, "trace", ".json", [&text](OutputFile& file) {
                              if (std::fwrite(text.data(), 1, text.size(), file.stream()) != text.size())
                                file.throw_if_failed();
                            });
                          })});
}

void start_export(AppState& state) {
  if (state.exporter && state.exporter->progress().busy) {
    say(state, "an export is already running");
    return;
  }
  const std::string& size = state.settings.export_size;
  View view;
  try {
    const auto [width, height] = parse_size(size, "export size");
    view = resized(state.settings.view, width, height);
    // Counts, smooth values and the RGB copy: about 11 bytes a pixel while it is written.
    if (static_cast<long long>(width) * height > kMaxExportPixels)
      throw Error("at most " + std::to_string(kMaxExportPixels / 1'000'000) + " megapixels (" + size +
                  " is larger); parafrac-cli renders larger ones");
    view.validate();
  } catch (const Error& error) {
    say(state, std::string("cannot export: ") + error.what(), true);
    return;
  }
  if (!state.exporter) state.exporter = std::make_unique<Renderer>(wake_ui);
  RenderRequest request{{grid_of(view), kernel_params(state), true}, state.settings.strategy,
                        strategy_options(state.settings, state.settings.strategy)};
  request.publish_tiles = false;
  request.keep_frame = true;
  state.export_generation = state.exporter->request(std::move(request));
  state.export_view = view;
  say(state, "exporting " + state.settings.export_size + "...");
}

void open_image(AppState& state, const std::string& path) {
  if (state.opening.valid()) {
    say(state, "still opening the last image", true);  // reassigning would wait for it
    return;
  }
  state.opening = std::async(std::launch::async, [path] { return read_view_metadata(read_png_text(path)); });
}

void poll_files(AppState& state) {
  const auto ready = [](const auto& future) {
    return future.valid() && future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  };
  for (auto write = state.writes.begin(); write != state.writes.end();) {
    if (!ready(write->done)) {
      ++write;
      continue;
    }
    try {
      const std::string path = write->done.get();
      event(state, write->what + " " + path);
      state.messages.push_back({"saved " + path, false, ImGui::GetTime() + 4.0});
    } catch (const std::exception& error) {
      event(state, write->what + "-failed " + error.what());
      state.messages.push_back({write->what + " not saved: " + error.what(), true, ImGui::GetTime() + 6.0});
    }
    write = state.writes.erase(write);
  }
  if (ready(state.opening)) {
    try {
      const SavedView saved = state.opening.get();
      const View target = resized(saved.view, state.settings.view.width, state.settings.view.height);
      target.validate();  // the window's size may be one the saved view cannot be shown at
      go_to(state, target);
      adopt_picture(state.settings, saved);
      say(state, "opened the image's view");
    } catch (const std::exception& error) {
      say(state, std::string("cannot open that image: ") + error.what(), true);
    }
  }
  if (!state.exporter) return;
  for (RenderReport& report : state.exporter->take_reports()) {
    if (report.generation != state.export_generation) continue;
    if (report.outcome == RenderReport::Outcome::failed) say(state, "export failed: " + report.error, true);
    if (!report.frame) continue;
    // Colouring and encoding a large image take a while: off the UI thread too.
    std::shared_ptr<const Frame> frame = report.frame;
    const TextChunks text = metadata(state, state.export_view, report);
    state.writes.push_back({"export", std::async(std::launch::async, [folder = state.screenshot_dir, frame, text,
                                                                      palette = state.settings.palette,
                                                                      offset = state.settings.palette_offset] {
                              RgbImage image = colorize(*frame, palette_named(palette), offset);
                              image.text = text;
                              return write_into(folder, "export", image);
                            })});
  }
}

}  // namespace parafrac::gui
