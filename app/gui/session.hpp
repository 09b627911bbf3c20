#pragma once
// What the command line sets is for this run: the app saves it only when the user changed it in
// the app. And the ranges every number setting takes, wherever it is set (command line, slider).
#include "parafrac/strategy.hpp"
#include "settings.hpp"

namespace parafrac::gui {

struct IntRange {
  long long min;
  long long max;
  bool contains(long long value) const { return value >= min && value <= max; }
};
inline constexpr IntRange kWorkerRange{1, kMaxWorkers};  // and 0: one per hardware thread
inline constexpr IntRange kTileRange{kMinTileSize, kMaxTileSize};
inline constexpr IntRange kIterationRange{1, kMaxIterations};

// The settings to save at exit: `now`, except that each setting the command line may set keeps
// its `saved` value (what the file held, or the defaults after --reset) while it still equals
// its value `at_start` (after the command line was applied), so `--workers 300` or
// `--screenshot-dir /tmp` change the next run only when the user changed them in the app. Linked
// values go together: the view's centre and scale, the window's width and height, max_iter and
// its automatic mode.
Settings settings_to_save(const Settings& saved, const Settings& at_start, const Settings& now);

// The settings the user gave `strategy` (StrategyInfo::options); empty: its defaults.
const StrategySettings& settings_of(const Settings& settings, const std::string& strategy);
// What a render with `strategy` is asked for, the view's and an export's alike: the workers, the
// tile size and the strategy's own settings.
StrategyOptions strategy_options(const Settings& settings, const std::string& strategy);

// Forgets the saved settings of strategies that no longer take them (a strategy gone, an option
// gone, a value out of range: the registry decides); returns one line naming them, or "".
std::string keep_settings_strategies_take(Settings& settings);

}  // namespace parafrac::gui
