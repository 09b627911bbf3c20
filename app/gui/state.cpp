// The render loop's bookkeeping: asking for renders, taking their tiles and reports.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cstdio>

#include "app_state.hpp"
#include "session.hpp"
#include "gl_display.hpp"
#include "parafrac/error.hpp"
#include "parafrac/format.hpp"

namespace parafrac::gui {

void wake_ui() { glfwPostEmptyEvent(); }

std::string view_key(const View& view, std::uint32_t max_iter) {
  char key[160];
  std::snprintf(key, sizeof key, "%.17g,%.17g,%.17g,%dx%d,%u", view.center_re, view.center_im, view.scale,
                view.width, view.height, max_iter);
  return key;
}

KernelParams kernel_params(const AppState& state) {
  KernelParams params;
  params.max_iter = max_iter_of(state);
  params.kernel = state.settings.simd ? KernelKind::simd : KernelKind::scalar;
  params.shortcuts = state.settings.shortcuts;
  return params;
}

std::string work_key(const View& view, const KernelParams& params) {
  return view_key(view, params.max_iter) + (params.kernel == KernelKind::simd ? ",simd" : ",scalar") +
         (params.shortcuts ? ",shortcuts" : ",raw");
}

std::uint32_t max_iter_of(const AppState& state) {
  return state.settings.auto_max_iter ? auto_max_iter(state.settings.view.scale) : state.settings.max_iter;
}

void say(AppState& state, std::string text, bool error) {
  event(state, (error ? "error " : "note ") + text);
  post(state.messages, std::move(text), error, ImGui::GetTime());
}

void event(const AppState& state, const std::string& line) {
  if (!state.verbose) return;
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

void go_to(AppState& state, const View& view, bool replace_history) {
  try {
    view.validate();
  } catch (const Error& error) {
    say(state, std::string("cannot go there: ") + error.what(), true);
    return;
  }
  state.settings.view = view;
  state.history.go(view, replace_history);
}

void step_history(AppState& state, int direction) {
  View& view = state.settings.view;
  if (const auto next = direction < 0 ? state.history.back() : state.history.forward())
    view = resized(*next, view.width, view.height);
}

std::string why_not_choose(const AppState& state, const std::string& name) {
  const StrategyInfo& info = strategy_info(name);
  if (!info.unavailable) return "";
  const std::shared_future<void>& checked = state.strategies_checked;
  if (checked.valid() && checked.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return "still finding out whether this machine can run it";
  const std::string why = info.unavailable_reason();
  return why.empty() ? "" : "unavailable here: " + why;
}

void choose_strategy(AppState& state, const std::string& name) {
  if (const std::string why = why_not_choose(state, name); !why.empty()) {
    say(state, name + ": " + why, true);
    return;
  }
  state.race.stop();  // even for the strategy chosen already: the user wants it now
  if (state.settings.strategy == name) return;
  state.settings.strategy = name;
  event(state, "strategy " + name);
}

const std::string& active_strategy(const AppState& state) {
  return state.race.running() ? state.race.strategy() : state.settings.strategy;
}

std::string race_key(const View& view, const KernelParams& params, const Settings& settings) {
  std::string key =
      work_key(view, params) + "," + std::to_string(settings.workers) + "," + std::to_string(settings.tile_size);
  // Every strategy's own settings: changing one mid-race makes the race stale, as a view does.
  for (const auto& [strategy, own] : settings.strategy_settings)
    for (const auto& [option, value] : own) key += "," + strategy + "." + option + "=" + value;
  return key;
}

void start_race(AppState& state) {
  std::vector<std::string> runnable;  // what cannot run here is not raced
  for (const std::string& name : state.strategy_names)
    if (why_not_choose(state, name).empty()) runnable.push_back(name);
  state.race.start(runnable, race_key(state.settings.view, kernel_params(state), state.settings),
                   hardware_workers());
  state.settings.show_panels = true;
  event(state, "race started");
}

void request_render(AppState& state) {
  const Settings& settings = state.settings;
  const KernelParams params = kernel_params(state);
  const std::string raced = race_key(settings.view, params, settings);
  if (state.race.running() && state.race.stale(raced)) {
    state.race.stop();  // the user moved on: the remaining strategies would race another view
    say(state, "race stopped: the view changed");
  }
  // A race renders each strategy several times: its run number makes each run a new request.
  const std::string& strategy = active_strategy(state);
  const StrategySettings& own = settings_of(settings, strategy);
  std::string key = raced + "," + strategy +
                    (state.race.running() ? ",race run " + std::to_string(state.race.run()) : "");
  for (const auto& [option, value] : own) key += "," + option + "=" + value;
  if (key == state.requested_key) return;
  state.requested_key = key;
  RenderRequest request{{grid_of(settings.view), params, true}, strategy, strategy_options(settings, strategy)};
  const std::uint64_t generation = state.renderer.request(std::move(request));
  state.in_flight.clear();
  state.pending_start = {settings.view, generation};
}

namespace {

void finished(AppState& state, RenderReport report) {
  const View& view = state.layers.front().view;
  if (report.strategy == kBaselineStrategy) state.serial_seconds[work_key(view, report.params)] = report.wall_seconds();
  state.timings.push_back({report.strategy, report.wall_seconds()});
  // The history plot shows the latest renders; a long session must not grow it (or its
  // per-frame drawing) without end.
  constexpr std::size_t kMaxTimings = 500;
  if (state.timings.size() > kMaxTimings) state.timings.erase(state.timings.begin());
  char line[400];
  std::snprintf(line, sizeof line,
                "rendered generation=%llu strategy=%s size=%dx%d wall_ms=%.3f center=%s,%s scale=%s max_iter=%llu",
                static_cast<unsigned long long>(report.generation), report.strategy.c_str(), report.width,
                report.height, report.wall_seconds() * 1e3, shortest(view.center_re).c_str(),
                shortest(view.center_im).c_str(), shortest(view.scale).c_str(),
                static_cast<unsigned long long>(report.params.max_iter));
  event(state, line);
  if (state.race.running()) {
    const int run = state.race.run();
    if (state.race.finished(report.strategy, race_key(view, report.params, state.settings),
                            {report.workers, report.wall_seconds(), report.cpu_ns * 1e-9, report.exact})) {
      event(state, "race strategy=" + report.strategy + " run=" + std::to_string(run + 1));
      if (!state.race.running()) event(state, "race done");
    }
  }
  state.last = std::move(report);
}

}  // namespace

void take_render_results(AppState& state, GlDisplay& display) {
  if (state.pending_start) {
    const auto [view, generation] = *state.pending_start;
    state.pending_start.reset();
    state.layers.start(view, generation);
    display.clear(state.layers.back_texture(), view.width, view.height);
  }
  // Reports before tiles: a render's tiles are queued before its report, so every tile of a
  // reported render is in hand before the layers swap and the back layer moves on.
  std::vector<RenderReport> reports = state.renderer.take_reports();
  for (TileUpdate& update : state.renderer.take_tiles()) {
    if (!state.layers.accepts(update)) continue;
    display.upload(state.layers.back_texture(), update);
    state.in_flight.push_back(update.record);
  }
  for (RenderReport& report : reports) {
    if (report.outcome == RenderReport::Outcome::failed) {
      say(state, report.strategy + ": " + report.error, true);
      if (report.strategy == state.settings.strategy && report.strategy != kDefaultStrategy) {
        say(state, "switched to the " + std::string(kDefaultStrategy) + " strategy");
        state.settings.strategy = kDefaultStrategy;
      }
      state.race.stop();
      continue;
    }
    if (report.outcome != RenderReport::Outcome::finished || !state.layers.finish(report.generation)) continue;
    state.in_flight.clear();
    finished(state, std::move(report));
  }
}

}  // namespace parafrac::gui
