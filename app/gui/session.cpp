#include "session.hpp"

#include "parafrac/error.hpp"
#include "parafrac/strategy.hpp"

namespace parafrac::gui {

Settings settings_to_save(const Settings& saved, const Settings& at_start, const Settings& now) {
  Settings kept = now;
  const auto keep_if_unchanged = [&](auto member) {
    if (now.*member == at_start.*member) kept.*member = saved.*member;
  };
  keep_if_unchanged(&Settings::strategy);
  keep_if_unchanged(&Settings::workers);
  keep_if_unchanged(&Settings::tile_size);
  keep_if_unchanged(&Settings::screenshot_dir);
  if (now.max_iter == at_start.max_iter && now.auto_max_iter == at_start.auto_max_iter) {
    kept.max_iter = saved.max_iter;
    kept.auto_max_iter = saved.auto_max_iter;
  }
  const View &view = now.view, &start = at_start.view;
  if (view.center_re == start.center_re && view.center_im == start.center_im &&
      view.scale == start.scale) {
    kept.view.center_re = saved.view.center_re;
    kept.view.center_im = saved.view.center_im;
    kept.view.scale = saved.view.scale;
  }
  if (view.width == start.width && view.height == start.height) {
    kept.view.width = saved.view.width;
    kept.view.height = saved.view.height;
  }
  return kept;
}

const StrategySettings& settings_of(const Settings& settings, const std::string& strategy) {
  static const StrategySettings none;
  const auto found = settings.strategy_settings.find(strategy);
  return found == settings.strategy_settings.end() ? none : found->second;
}

StrategyOptions strategy_options(const Settings& settings, const std::string& strategy) {
  return {settings.workers, settings.tile_size, settings_of(settings, strategy)};
}

std::string keep_settings_strategies_take(Settings& settings) {
  std::string dropped;
  for (auto it = settings.strategy_settings.begin(); it != settings.strategy_settings.end();) {
    try {
      strategy_settings(it->first, it->second);  // throws for anything the strategy does not take
      ++it;
    } catch (const Error&) {
      dropped += (dropped.empty() ? "" : ", ") + it->first;
      it = settings.strategy_settings.erase(it);
    }
  }
  return dropped.empty() ? "" : "forgot the saved settings of " + dropped + ": no strategy takes them now";
}

}  // namespace parafrac::gui
