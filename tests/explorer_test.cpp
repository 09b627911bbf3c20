// The desktop app's logic that needs no window: history, input -> view, the layers that decide
// where tiles are uploaded and how they are placed, PNG metadata and the settings file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "layers.hpp"
#include "navigation.hpp"
#include "parafrac/error.hpp"
#include "parafrac/metadata.hpp"
#include "session.hpp"
#include "settings.hpp"

namespace parafrac::gui {
namespace {

namespace fs = std::filesystem;

View at(double re, double scale = 1.0) { return {re, 0.0, scale, 100, 80}; }

TEST(ViewHistory, GoesBackAndForwardAndANewPlaceDropsTheForwardList) {
  ViewHistory history(at(0));
  history.go(at(1));
  history.go(at(2));
  EXPECT_EQ(history.back()->center_re, 1);
  EXPECT_EQ(history.back()->center_re, 0);
  EXPECT_FALSE(history.back()) << "nothing before the first view";
  EXPECT_EQ(history.forward()->center_re, 1);
  history.go(at(5));
  EXPECT_FALSE(history.can_go_forward()) << "going somewhere new drops the forward list";
  EXPECT_EQ(history.back()->center_re, 1);
}

TEST(ViewHistory, GoingWhereItIsAlreadyIsNoStep) {
  ViewHistory history(at(0));
  history.go(at(1));
  history.go(at(1));  // a click without a drag
  EXPECT_EQ(history.back()->center_re, 0) << "one Back undoes one move";
}

TEST(ViewHistory, ReplaceAmendsTheCurrentEntryAndTheLengthIsBounded) {
  ViewHistory history(at(0));
  history.go(at(1));
  history.go(at(2), true);
  EXPECT_EQ(history.back()->center_re, 0) << "a replaced step is one step";
  for (int i = 0; i < 2000; ++i) history.go(at(i));
  int steps = 0;
  while (history.back()) ++steps;
  EXPECT_EQ(steps, static_cast<int>(ViewHistory::kMaxEntries) - 1);
}

TEST(Navigation, AutomaticIterationsRiseWithDepth) {
  EXPECT_EQ(auto_max_iter(2.5), 256u);
  EXPECT_GT(auto_max_iter(1e-3), auto_max_iter(1e-1));
  EXPECT_GT(auto_max_iter(1e-12), auto_max_iter(1e-3));
  EXPECT_LE(auto_max_iter(1e-300), 1'000'000u);
  EXPECT_EQ(auto_max_iter(100.0), 256u) << "zoomed out past the set: no fewer than the base";
}

TEST(Navigation, AZoomBoxCentresTheBoxAndKeepsAllOfItInSight) {
  const View view{-0.5, 0.0, 2.0, 200, 100};
  const View boxed = zoomed_to_box(view, 150, 30, 110, 70).value();  // corners in any order
  const auto centre = view.pixel_to_complex(130, 50);
  EXPECT_DOUBLE_EQ(boxed.center_re, centre.real());
  EXPECT_DOUBLE_EQ(boxed.center_im, centre.imag());
  EXPECT_DOUBLE_EQ(boxed.scale, 2.0 * 40 / 100);  // 40 px of 100 tall; the box is not wider than the view's shape
  const View wide = zoomed_to_box(view, 0, 0, 100, 10).value();
  EXPECT_DOUBLE_EQ(wide.scale, 2.0 * 100 / 200) << "a wide box sets the scale by its width";
  EXPECT_FALSE(zoomed_to_box(view, 10, 10, 12, 13)) << "a click is not a box";
}

TEST(Navigation, WheelNotchesCompose) {
  EXPECT_DOUBLE_EQ(wheel_factor(1), 1.25);
  EXPECT_DOUBLE_EQ(wheel_factor(2), 1.25 * 1.25);  // two notches in one event: two steps
  EXPECT_DOUBLE_EQ(wheel_factor(-1), 1 / 1.25);
  EXPECT_NEAR(wheel_factor(2) * wheel_factor(-2), 1.0, 1e-15);
}

TEST(Placement, IsTheIdentityForTheSameView) {
  const View view{-0.7, 0.2, 0.01, 640, 480};
  const Placement place = placement(view, view);
  EXPECT_EQ(place.scale, 1.0);
  EXPECT_NEAR(place.x0, 0.0, 1e-9);
  EXPECT_NEAR(place.y0, 0.0, 1e-9);
}

TEST(Placement, APanShowsTheOldImageMovedByThePan) {
  const View old{-0.7, 0.2, 0.01, 640, 480};
  const View moved = old.panned(37, -12);  // content dragged right 37 px and up 12 px
  const Placement place = placement(old, moved);
  EXPECT_NEAR(place.layer_x(100 + 37), 100, 1e-6);
  EXPECT_NEAR(place.layer_y(200 - 12), 200, 1e-6);
}

TEST(Placement, AZoomKeepsTheAnchorPixelOnItsPoint) {
  const View old{-0.7, 0.2, 0.01, 640, 480};
  const View zoomed = old.zoomed(1.25, 400, 100);
  const Placement place = placement(old, zoomed);
  EXPECT_NEAR(place.scale, 1 / 1.25, 1e-12);
  EXPECT_NEAR(place.layer_x(400), 400, 1e-6);
  EXPECT_NEAR(place.layer_y(100), 100, 1e-6);
  EXPECT_NEAR(place.screen_x(place.layer_x(17)), 17, 1e-9);
}

TileUpdate tile_update(std::uint64_t generation, Tile tile) {
  return {generation, {tile, 0}, std::vector<float>(static_cast<std::size_t>(tile.width) * tile.height)};
}

TEST(Layers, TilesGoToTheBackLayerOfTheirOwnRenderOnly) {
  Layers layers;
  layers.start(at(0), 1);
  const int back = layers.back_texture();
  EXPECT_TRUE(layers.accepts(tile_update(1, {0, 0, 0, 10, 10})));
  EXPECT_FALSE(layers.accepts(tile_update(2, {0, 0, 0, 10, 10}))) << "another render's tile";
  EXPECT_FALSE(layers.accepts(tile_update(1, {0, 95, 0, 10, 10}))) << "past the right edge";
  EXPECT_FALSE(layers.accepts(tile_update(1, {0, -1, 0, 10, 10}))) << "before the left edge";
  TileUpdate short_pixels = tile_update(1, {0, 0, 0, 10, 10});
  short_pixels.smooth.pop_back();
  EXPECT_FALSE(layers.accepts(short_pixels)) << "fewer values than the tile's pixels";

  EXPECT_FALSE(layers.finish(7)) << "a render that is not the back layer's";
  EXPECT_TRUE(layers.finish(1));
  EXPECT_EQ(layers.front_texture(), back) << "the finished back layer became the front";
  EXPECT_TRUE(layers.front().shown);
  EXPECT_FALSE(layers.back().shown);
}

TEST(Layers, ASupersededRenderNeverReachesTheFront) {
  Layers layers;
  layers.start(at(0), 1);
  layers.finish(1);
  const int front = layers.front_texture();
  layers.start(at(1), 2);
  layers.start(at(2), 3);
  EXPECT_FALSE(layers.accepts(tile_update(2, {0, 0, 0, 10, 10})));
  EXPECT_FALSE(layers.finish(2)) << "render 2 was superseded by 3";
  EXPECT_EQ(layers.front_texture(), front);
  EXPECT_EQ(layers.front().view.center_re, 0) << "the old image stays until 3 finishes";
  EXPECT_TRUE(layers.finish(3));
  EXPECT_EQ(layers.front().view.center_re, 2);
}

TEST(Metadata, AViewRoundTripsThroughPngTextExactly) {
  const View view{-0.743643887037158704752191506114774, 0.131825904205311970493132056385139, 3.7e-11, 1920, 1080};
  const SavedView saved = read_view_metadata(view_metadata(view, 12345));
  EXPECT_EQ(saved.view.center_re, view.center_re);
  EXPECT_EQ(saved.view.center_im, view.center_im);
  EXPECT_EQ(saved.view.scale, view.scale);
  EXPECT_EQ(saved.view.width, 1920);
  EXPECT_EQ(saved.view.height, 1080);
  EXPECT_EQ(saved.max_iter, 12345u);
}

TEST(Metadata, AReopenedImageBringsItsIterationsAndColours) {
  Settings settings;
  settings.palette = "ocean";
  SavedView saved;
  saved.max_iter = 7000;
  saved.colouring = Colouring{"fire", 0.25f};
  adopt_picture(settings, saved);
  EXPECT_EQ(settings.max_iter, 7000u);
  EXPECT_FALSE(settings.auto_max_iter);
  EXPECT_EQ(settings.palette, "fire");
  EXPECT_EQ(settings.palette_offset, 0.25f);
  const Settings before = settings;
  adopt_picture(settings, SavedView{});  // an image that names neither keeps what the user had
  EXPECT_EQ(settings.max_iter, before.max_iter);
  EXPECT_EQ(settings.palette, before.palette);
}

TEST(Metadata, ImagesWithoutAViewOrWithBadValuesAreRefusedWithAReason) {
  EXPECT_THROW(read_view_metadata({{"Software", "GIMP"}}), Error);
  EXPECT_THROW(read_view_metadata({{"parafrac.center", "1;2"}, {"parafrac.scale", "1"}}), Error);
  EXPECT_THROW(read_view_metadata({{"parafrac.center", "nan,0"}, {"parafrac.scale", "1"}}), Error);
  EXPECT_THROW(read_view_metadata({{"parafrac.center", "0,0"}, {"parafrac.scale", "-1"}}), Error);
  EXPECT_THROW(read_view_metadata({{"parafrac.center", "0,0"}, {"parafrac.scale", "1"}, {"parafrac.max_iter", "0"}}),
               Error);
  try {
    read_view_metadata({{"parafrac.center", "0,0"}, {"parafrac.scale", "abc"}});
    FAIL() << "a scale that is not a number was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("parafrac.scale"), std::string::npos) << error.what();
  }
}

class SettingsFile : public testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("parafrac-settings-" + std::to_string(getpid()) + "-" +
                                          testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }
  fs::path path() const { return folder_ / "sub" / "settings.json"; }
  fs::path folder_;
};

TEST_F(SettingsFile, RoundTripsEverySettingAndCreatesItsFolder) {
  Settings settings;
  settings.view = {-1.25, 0.5, 1e-5, 900, 700};
  settings.max_iter = 4096;
  settings.auto_max_iter = false;
  settings.strategy = "processes";
  settings.workers = 3;
  settings.tile_size = 32;
  settings.palette = "fire";
  settings.palette_offset = 0.25f;
  settings.show_panels = false;
  settings.show_heat_map = true;
  settings.screenshot_dir = "/tmp/shots";
  settings.imgui_layout = "[Window][Parafrac]\nPos=1,2\n";
  save_settings(path(), settings);
  std::string warning;
  const Settings loaded = load_settings(path(), warning);
  EXPECT_EQ(warning, "");
  EXPECT_EQ(loaded.view.center_re, -1.25);
  EXPECT_EQ(loaded.view.scale, 1e-5);
  EXPECT_EQ(loaded.view.width, 900);
  EXPECT_EQ(loaded.max_iter, 4096u);
  EXPECT_FALSE(loaded.auto_max_iter);
  EXPECT_EQ(loaded.strategy, "processes");
  EXPECT_EQ(loaded.workers, 3);
  EXPECT_EQ(loaded.tile_size, 32);
  EXPECT_EQ(loaded.palette, "fire");
  EXPECT_EQ(loaded.palette_offset, 0.25f);
  EXPECT_FALSE(loaded.show_panels);
  EXPECT_TRUE(loaded.show_heat_map);
  EXPECT_EQ(loaded.screenshot_dir, "/tmp/shots");
  EXPECT_EQ(loaded.imgui_layout, settings.imgui_layout);
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(path().parent_path())) ++files;
  EXPECT_EQ(files, 1) << "no temporary file may be left beside the settings";
}

TEST_F(SettingsFile, AMissingFileGivesTheDefaultsQuietly) {
  std::string warning;
  const Settings loaded = load_settings(path(), warning);
  EXPECT_EQ(warning, "");
  EXPECT_EQ(loaded.strategy, Settings{}.strategy);
}

TEST_F(SettingsFile, ADamagedFileGivesTheDefaultsAndAWarning) {
  fs::create_directories(path().parent_path());
  std::ofstream(path()) << "{\"scale\": 0.5, \"strategy\": ";
  std::string warning;
  const Settings loaded = load_settings(path(), warning);
  EXPECT_NE(warning.find("damaged"), std::string::npos) << warning;
  EXPECT_EQ(loaded.view.scale, View{}.scale);
}

TEST_F(SettingsFile, BadValuesAreIgnoredOneByOne) {
  fs::create_directories(path().parent_path());
  std::ofstream(path()) << R"({"scale": -3, "strategy": 7, "workers": 99999, "tile_size": 0, "palette": "fire",
                              "window_width": 60000})";
  std::string warning;
  const Settings loaded = load_settings(path(), warning);
  EXPECT_NE(warning.find("strategy"), std::string::npos) << warning;
  EXPECT_NE(warning.find("view"), std::string::npos) << warning;
  EXPECT_EQ(loaded.view.scale, View{}.scale) << "an unusable view falls back to the default";
  EXPECT_EQ(loaded.strategy, Settings{}.strategy);
  EXPECT_EQ(loaded.workers, Settings{}.workers);
  EXPECT_EQ(loaded.tile_size, Settings{}.tile_size);
  EXPECT_EQ(loaded.view.width, Settings{}.view.width) << "no window wider than the limit";
  EXPECT_EQ(loaded.palette, "fire") << "the good values are kept";
}

TEST_F(SettingsFile, AnUnknownPaletteFallsBackToTheDefault) {
  fs::create_directories(path().parent_path());
  std::ofstream(path()) << R"({"palette": "no-such-palette", "palette_offset": 7.5})";
  std::string warning;
  const Settings loaded = load_settings(path(), warning);
  EXPECT_EQ(loaded.palette, Settings{}.palette);
  EXPECT_EQ(loaded.palette_offset, Settings{}.palette_offset);
}

// The one line the app prints: the file, each bad field, and the way out.
void expect_one_warning(const std::string& warning, const std::string& file, const std::vector<std::string>& fields) {
  EXPECT_NE(warning.find(file), std::string::npos) << warning;
  EXPECT_NE(warning.find("--reset"), std::string::npos) << warning;
  EXPECT_EQ(warning.find('\n'), std::string::npos) << warning;
  for (const std::string& field : fields) EXPECT_NE(warning.find(field), std::string::npos) << field << ": " << warning;
}

TEST_F(SettingsFile, HugeNumbersWhereAnIntGoesKeepTheDefaults) {
  fs::create_directories(path().parent_path());
  std::ofstream(path()) << R"({"max_iter": 1e300, "workers": 1e300, "tile_size": -1e300, "window_width": 1e300,
                              "window_height": 4294967296, "palette_offset": 1e300, "scale": 0.5})";
  std::string warning;
  const Settings loaded = load_settings(path(), warning);
  const Settings defaults;
  EXPECT_EQ(loaded.max_iter, defaults.max_iter);
  EXPECT_EQ(loaded.workers, defaults.workers);
  EXPECT_EQ(loaded.tile_size, defaults.tile_size);
  EXPECT_EQ(loaded.view.width, defaults.view.width);
  EXPECT_EQ(loaded.view.height, defaults.view.height);
  EXPECT_EQ(loaded.palette_offset, defaults.palette_offset);
  EXPECT_EQ(loaded.view.scale, 0.5) << "the good values are kept";
  expect_one_warning(warning, path().string(),
                     {"max_iter", "workers", "tile_size", "window_width", "window_height", "palette_offset"});
}

TEST_F(SettingsFile, AStringOrAFlagWhereANumberGoesKeepsTheDefault) {
  const std::string text = R"({"max_iter": "500", "window_height": "720", "center_re": "-1", "workers": true,
                               "show_panels": 1, "strategy": "threads"})";
  std::string warning;
  const Settings loaded = parse_settings(text, "my-settings.json", warning);
  const Settings defaults;
  EXPECT_EQ(loaded.max_iter, defaults.max_iter);
  EXPECT_EQ(loaded.view.height, defaults.view.height);
  EXPECT_EQ(loaded.view.center_re, defaults.view.center_re);
  EXPECT_EQ(loaded.workers, defaults.workers);
  EXPECT_EQ(loaded.show_panels, defaults.show_panels);
  EXPECT_EQ(loaded.strategy, "threads");
  expect_one_warning(warning, "my-settings.json", {"max_iter", "window_height", "center_re", "workers", "show_panels"});
}

// A strategy's own settings are saved and come back; what its strategy no longer takes (an
// unknown strategy or option, a value out of range, a number where a string goes) is dropped,
// and said.
TEST_F(SettingsFile, StrategySettingsComeBackAndWhatNoStrategyTakesIsDropped) {
  Settings settings;
  settings.strategy_settings["counter"]["chunk"] = "7";
  fs::create_directories(path().parent_path());
  save_settings(path(), settings);
  std::string warning;
  EXPECT_EQ(load_settings(path(), warning).strategy_settings, settings.strategy_settings);
  EXPECT_EQ(warning, "");
  // Read as text: an object of strings per strategy, else dropped and said.
  const Settings half = parse_settings(R"({"strategy_settings": {"counter": {"chunk": 3}, "queue": 5}})", "s.json", warning);
  EXPECT_TRUE(half.strategy_settings.empty()) << "a number where the value's string goes";
  expect_one_warning(warning, "s.json", {"strategy_settings.counter", "strategy_settings.queue"});
  // Checked against the registry: what no strategy takes now is forgotten, and said.
  const std::string text = R"({"strategy_settings": {"counter": {"chunk": "2000"}, "gone": {"x": "1"},
                               "pool": {"chunk": "2"}, "openmp": {"schedule": "guided"}}})";
  warning.clear();
  Settings loaded = parse_settings(text, "my-settings.json", warning);
  EXPECT_EQ(warning, "");
  EXPECT_EQ(keep_settings_strategies_take(loaded),
            "forgot the saved settings of counter, gone, pool: no strategy takes them now");
  EXPECT_EQ(loaded.strategy_settings, (std::map<std::string, StrategySettings, std::less<>>{{"openmp", {{"schedule", "guided"}}}}));
}

// The view's renders and an export ask for the same thing: an export once dropped the strategy's
// own settings (openmp's schedule) and rendered with its defaults.
TEST(Session, EveryRenderAsksForTheStrategysOwnSettings) {
  Settings settings;
  settings.workers = 3;
  settings.tile_size = 32;
  settings.strategy_settings["openmp"]["schedule"] = "dynamic";
  const StrategyOptions openmp = strategy_options(settings, "openmp");
  EXPECT_EQ(openmp.workers, 3);
  EXPECT_EQ(openmp.tile_size, 32);
  EXPECT_EQ(openmp.settings, (StrategySettings{{"schedule", "dynamic"}}));
  EXPECT_TRUE(strategy_options(settings, "pool").settings.empty()) << "another strategy's are not its own";
}

TEST_F(SettingsFile, ABadWindowSizeIsReplacedBeforeTheViewIsChecked) {
  // At 10 pixels high this scale is within double precision; at the default 720 it is not.
  fs::create_directories(path().parent_path());
  std::ofstream(path()) << R"({"center_re": -0.5, "center_im": 0, "scale": 1e-13, "window_width": 10,
                              "window_height": 10})";
  std::string warning;
  const Settings loaded = load_settings(path(), warning);
  EXPECT_EQ(loaded.view.height, Settings{}.view.height);
  EXPECT_NO_THROW(loaded.view.validate()) << "the app would stop on a view it cannot show";
  expect_one_warning(warning, path().string(), {"window_width", "window_height", "scale"});
}

TEST_F(SettingsFile, EveryTruncationOfAFileGivesUsableSettings) {
  Settings settings;
  settings.view = {-1.25, 0.5, 1e-5, 900, 700};
  settings.imgui_layout = "[Window][Parafrac]\nPos=1,2\n";
  save_settings(path(), settings);
  std::ifstream in(path());
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  for (std::size_t size = 0; size < text.size() - 2; ++size) {  // the last two are "}\n"
    std::string warning;
    const Settings loaded = parse_settings(text.substr(0, size), path().string(), warning);
    EXPECT_NO_THROW(loaded.view.validate()) << size;
    expect_one_warning(warning, path().string(), {"damaged"});
  }
}

}  // namespace
}  // namespace parafrac::gui

// ---- Issue 11: the race, the command line, messages, plots and gestures. ----
#include "gestures.hpp"
#include "messages.hpp"
#include "panels.hpp"
#include "plot_scale.hpp"
#include "race.hpp"

namespace parafrac::gui {
namespace {

// A render of `wall` seconds; by default its workers were busy all along.
RaceRun run_of(double wall, int workers = 1, double cpu = -1) {
  return {workers, wall, cpu < 0 ? wall * workers : cpu};
}

TEST(Race, RendersEachStrategyThreeTimesAndKeepsTheMedian) {
  Race race;
  race.start({"serial", "pool"}, "view", 2);
  ASSERT_TRUE(race.running());
  EXPECT_EQ(race.renders_to_go(), 2 * Race::kRuns);
  for (const double wall : {3.0, 1.0, 2.0}) {
    EXPECT_EQ(race.strategy(), "serial");
    EXPECT_TRUE(race.finished("serial", "view", run_of(wall)));
  }
  ASSERT_EQ(race.results().size(), 1u);
  EXPECT_EQ(race.results()[0].median.wall_seconds, 2.0) << "the median of 3, 1 and 2";
  EXPECT_EQ(race.strategy(), "pool");
  EXPECT_EQ(race.run(), 0) << "each strategy's runs count from the start";
  for (int i = 0; i < Race::kRuns; ++i) race.finished("pool", "view", run_of(0.5, 2));
  EXPECT_FALSE(race.running());
  EXPECT_EQ(race.renders_to_go(), 0);
  EXPECT_EQ(race.results()[1].strategy, "pool");
}

TEST(Race, CountsOnlyTheRenderItWaitsFor) {
  Race race;
  race.start({"serial", "pool"}, "view", 2);
  EXPECT_FALSE(race.finished("pool", "view", run_of(1))) << "not pool's turn";
  EXPECT_FALSE(race.finished("serial", "another view", run_of(1)));
  EXPECT_EQ(race.run(), 0);
  race.stop();
  EXPECT_FALSE(race.running());
  EXPECT_FALSE(race.finished("serial", "view", run_of(1))) << "a stopped race counts nothing";
}

TEST(Race, ResultsOfAnotherViewAreStale) {
  Race race;
  race.start({"serial"}, "view", 2);
  for (int i = 0; i < Race::kRuns; ++i) race.finished("serial", "view", run_of(1));
  EXPECT_FALSE(race.stale("view"));
  EXPECT_TRUE(race.stale("moved")) << "the results no longer describe what is shown";
}

TEST(RaceLoad, SaysWhenTheMachineWasBusy) {
  EXPECT_EQ(load_of(run_of(1.0, 1, 0.97), 2), Load::normal);
  EXPECT_EQ(load_of(run_of(1.0, 1, 0.5), 2), Load::busy) << "a serial render that had its core half the time";
  EXPECT_EQ(load_of(run_of(1.0, 2, 1.9), 2), Load::normal);
  EXPECT_EQ(load_of(run_of(1.0, 2, 1.0), 2), Load::busy) << "two workers on two cores that got one";
  EXPECT_EQ(load_of(run_of(1.0, 300, 1.95), 2), Load::normal) << "300 workers can use no more than 2 cores";
  EXPECT_EQ(load_of(run_of(1.0, 4, 1.2), 2), Load::busy);
  EXPECT_EQ(load_of(run_of(1.0, 2, 3.0), 2), Load::clocks_disagree) << "more CPU than two workers can spend";
  // A race keeps the load of each strategy's median run.
  Race race;
  race.start({"serial"}, "view", 2);
  for (const double cpu : {0.4, 0.5, 0.45}) race.finished("serial", "view", run_of(1.0, 1, cpu));
  EXPECT_EQ(race.results().at(0).load, Load::busy);
}

TEST(CommandLine, OptionsAreForThisRunUnlessChangedInTheApp) {
  Settings saved;
  saved.view = {-0.5, 0, 2.5, 800, 600};
  Settings at_start = saved;  // `--workers 300 --screenshot-dir /tmp/shots --strategy threads --center ...`
  at_start.workers = 300;
  at_start.screenshot_dir = "/tmp/shots";
  at_start.strategy = "threads";
  at_start.view = {-0.75, 0.1, 0.01, 640, 480};
  at_start.max_iter = 77;
  at_start.auto_max_iter = false;
  Settings now = at_start;
  now.palette = "fire";  // changed in the app
  Settings kept = settings_to_save(saved, at_start, now);
  EXPECT_EQ(kept.workers, saved.workers);
  EXPECT_EQ(kept.screenshot_dir, saved.screenshot_dir);
  EXPECT_EQ(kept.strategy, saved.strategy);
  EXPECT_EQ(kept.view.center_re, saved.view.center_re);
  EXPECT_EQ(kept.view.width, saved.view.width);
  EXPECT_EQ(kept.max_iter, saved.max_iter);
  EXPECT_TRUE(kept.auto_max_iter);
  EXPECT_EQ(kept.palette, "fire") << "what the user changed is saved";

  now.workers = 4;
  now.strategy = "pool";
  now.view = now.view.panned(10, 0);
  kept = settings_to_save(saved, at_start, now);
  EXPECT_EQ(kept.workers, 4) << "changed in the app: saved";
  EXPECT_EQ(kept.strategy, "pool");
  EXPECT_EQ(kept.view.center_re, now.view.center_re);
  EXPECT_EQ(kept.view.width, saved.view.width) << "the window was not resized";
}

TEST(CommandLine, TheSlidersReachEveryValueTheEngineAccepts) {
  EXPECT_EQ(kWorkerRange.max, kMaxWorkers);
  EXPECT_TRUE(kWorkerRange.contains(300));
  EXPECT_EQ(kTileRange.min, kMinTileSize);
  EXPECT_EQ(kTileRange.max, kMaxTileSize);
  EXPECT_EQ(kIterationRange.min, 1);
  EXPECT_EQ(kIterationRange.max, kMaxIterations);
}

TEST(Messages, TheSameMessageAgainIsShownLongerNotRepeated) {
  std::vector<Message> messages;
  for (int notch = 0; notch < 20; ++notch) post(messages, "too deep", true, 10.0 + notch * 0.1);
  ASSERT_EQ(messages.size(), 1u) << "one message, not one per wheel notch";
  EXPECT_DOUBLE_EQ(messages[0].until, 11.9 + 6.0);
  post(messages, "something else", false, 12.0);
  EXPECT_EQ(messages.size(), 2u);
  post(messages, "too deep", true, 30.0);  // the first has faded by then
  EXPECT_EQ(messages.size(), 3u);
}

TEST(PlotScale, ALogAxisSpansTheValuesPlottedAndIsLabelledSo) {
  const LogScale scale = LogScale::spanning({0.0005, 7.0698, 0.02, 0.0});
  EXPECT_EQ(scale.lo, 0.0005) << "a log axis cannot start at 0";
  EXPECT_EQ(scale.hi, 7.0698);
  EXPECT_EQ(scale.at(0.0005), 0.0);
  EXPECT_EQ(scale.at(7.0698), 1.0);
  EXPECT_NEAR(scale.at(std::sqrt(0.0005 * 7.0698)), 0.5, 1e-12);
  EXPECT_EQ(range_label(scale, 1e3, "ms"), "0.5 .. 7070 ms");
  EXPECT_EQ(LogScale::spanning({2.0, 2.0}).at(2.0), 0.5) << "all alike: none is hot or cold";
}

TEST(HeatMap, ATileIsAsHotAsTheCpuTimeItCostNotTheWallTime) {
  TileRecord preempted{{0, 0, 0, 8, 8}, 0};
  preempted.start_ns = 0;
  preempted.end_ns = 100'000'000;  // 100 ms on the wall clock: another program held the core
  preempted.cpu_ns = 1'000'000;    // 1 ms of work
  TileRecord costly{{1, 8, 0, 8, 8}, 1};
  costly.start_ns = 0;
  costly.end_ns = 10'000'000;
  costly.cpu_ns = 9'000'000;
  const TileRecord unfinished{{2, 16, 0, 8, 8}};
  const LogScale scale = heat_scale({preempted, costly, unfinished});
  EXPECT_EQ(scale.at(tile_cost(preempted)), 0.0);
  EXPECT_EQ(scale.at(tile_cost(costly)), 1.0);
  EXPECT_EQ(range_label(scale, 1e3, "ms"), "1 .. 9 ms");
}

TEST(Gestures, ADoubleClickIsTwoPressesCloseInEventTimeAndPlace) {
  DoubleClick clicks;
  EXPECT_FALSE(clicks.press(10.0, 50, 50));
  EXPECT_TRUE(clicks.press(10.001, 51, 50)) << "two presses a millisecond apart (one frame) are a double click";
  EXPECT_FALSE(clicks.press(10.1, 51, 50)) << "a third press starts afresh";
  EXPECT_FALSE(clicks.press(10.5, 51, 50)) << "0.4 s later: too slow";
  EXPECT_FALSE(clicks.press(10.6, 80, 50)) << "too far away";
}

TEST(Gestures, AKeyTappedBetweenTwoFramesIsReleasedAfterTheNextFrame) {
  constexpr int kCtrl = 341, kA = 65, kCtrlMod = 2;  // GLFW's numbers
  KeyTaps taps;
  taps.pressed();  // Ctrl
  EXPECT_TRUE(taps.frame_done().empty());
  EXPECT_TRUE(taps.release_now(kCtrl, 0)) << "a frame saw it down: released at once";
  // xdotool's Ctrl+A, all between two frames, Ctrl released first: the frame must see both down.
  taps.pressed();  // Ctrl
  EXPECT_TRUE(taps.frame_done().empty());
  taps.pressed();  // A
  EXPECT_FALSE(taps.release_now(kCtrl, kCtrlMod)) << "A is not seen yet: Ctrl stays down for it";
  EXPECT_FALSE(taps.release_now(kA, 0));
  EXPECT_EQ(taps.frame_done(), (std::vector<std::pair<int, int>>{{kCtrl, kCtrlMod}, {kA, 0}}));
  EXPECT_TRUE(taps.release_now(kA, 0));
}

TEST(Panels, APanelOffTheViewportAfterAResizeIsPulledBackInside) {
  EXPECT_EQ(pulled_into_view(900, 500, 300, 200, 640, 480), (std::pair<float, float>{340, 280}));
  EXPECT_EQ(pulled_into_view(10, 20, 300, 200, 640, 480), (std::pair<float, float>{10, 20})) << "inside: left alone";
  EXPECT_EQ(pulled_into_view(-50, 900, 800, 200, 640, 480), (std::pair<float, float>{0, 280}))
      << "wider than the viewport: its title bar stays in sight";
}

TEST(Panels, TheHelpListsTheStrategyKeysThatExist) {
  const auto [keys, what] = strategy_keys_help({"serial", "threads", "pool", "processes", "async"});
  EXPECT_EQ(keys, "1 .. 5");
  EXPECT_EQ(what, "strategy: 1 serial, 2 threads, 3 pool, 4 processes, 5 async");
  const std::vector<std::string> eleven = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"};
  const auto [ten_keys, ten] = strategy_keys_help(eleven);
  EXPECT_EQ(ten_keys, "1 .. 9, 0");
  EXPECT_EQ(ten, "strategy: 1 a, 2 b, 3 c, 4 d, 5 e, 6 f, 7 g, 8 h, 9 i, 0 j") << "the eleventh has no key";
  EXPECT_EQ(strategy_key(9), "0");
  EXPECT_EQ(strategy_key(10), "");
}

}  // namespace
}  // namespace parafrac::gui
