// The desktop app in a real window: its own X server (Xvfb, software GL), real mouse and keys
// through xdotool, screenshots read back as PNGs. The app's --verbose lines are the only clock:
// every wait is for a line, with a deadline that only a broken app reaches.
#include <gtest/gtest.h>
#include <sys/prctl.h>

#include <cmath>
#include <memory>

#include "gui_driver.hpp"
#include "parafrac/gpu.hpp"
#include "parafrac/view.hpp"

namespace parafrac::gui_test {
namespace {

constexpr const char* kXdotool = "/usr/bin/xdotool";

struct Pixel {
  int x = 0, y = 0;
};

// The running app, and what it has said.
class App {
 public:
  App(const std::vector<std::string>& args, const Env& env, const fs::path& err) : process(args, env, err) {
    process.on_line = [this](const std::string& line) {
      if (starts_with_word(line, "rendered")) last_rendered = rendered_of(line);
    };
  }

  // The next line that `matches`; throws with the app's story if none comes.
  std::string await(const std::function<bool(const std::string&)>& matches, const std::string& what) {
    if (std::optional<std::string> line = process.next_line(matches)) return *line;
    throw std::runtime_error("the app never said `" + what + "`\n" + process.story());
  }
  std::string await_word(const std::string& word) {
    return await([&](const std::string& line) { return starts_with_word(line, word); }, word);
  }
  Rendered rendered(const std::function<bool(const Rendered&)>& matches = [](const Rendered&) { return true; }) {
    return rendered_of(await(
        [&](const std::string& line) { return starts_with_word(line, "rendered") && matches(rendered_of(line)); },
        "rendered (the expected view)"));
  }
  // Up, and done with its first render.
  Rendered start() {
    await_word("ready");
    return rendered();
  }

  Process process;
  std::optional<Rendered> last_rendered;
};

// The view `from` dragged by (dx, dy) framebuffer pixels: content follows the cursor, and the
// imaginary axis points up.
Point dragged(const Rendered& from, int height, double dx, double dy) {
  const double pixel = from.scale / height;
  return {from.center.re - dx * pixel, from.center.im + dy * pixel};
}

double pixels_apart(const Point& a, const Point& b, const Rendered& view, int height) {
  return std::hypot(a.re - b.re, a.im - b.im) / (view.scale / height);
}

// Whether colour `c` lies, channel by channel, between the colours of `image`'s pixels within
// one pixel of (x, y): what a sample taken up to a pixel away from (x, y) shows.
bool among_neighbours(const RgbImage& image, int x, int y, const Rgb& c) {
  Rgb low{255, 255, 255}, high{0, 0, 0};
  for (int ny = y - 1; ny <= y + 1; ++ny)
    for (int nx = x - 1; nx <= x + 1; ++nx) {
      const Rgb n = pixel(image, nx, ny);
      low = {std::min(low.r, n.r), std::min(low.g, n.g), std::min(low.b, n.b)};
      high = {std::max(high.r, n.r), std::max(high.g, n.g), std::max(high.b, n.b)};
    }
  constexpr int kSlack = 2;  // rounding to 8 bits
  return c.r >= low.r - kSlack && c.r <= high.r + kSlack && c.g >= low.g - kSlack && c.g <= high.g + kSlack &&
         c.b >= low.b - kSlack && c.b <= high.b + kSlack;
}

class Gui : public testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/bin/Xvfb", X_OK) != 0 || access(kXdotool, X_OK) != 0)
      GTEST_SKIP() << "needs /usr/bin/Xvfb and xdotool (scripts/install-deps.sh installs them)";
    // Orphans of the app (say, process-strategy workers it failed to reap) then become ours.
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    dir_ = fs::temp_directory_path() / ("parafrac-gui-test-" + std::to_string(getpid()) + "-" +
                                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    for (const char* sub : {"config", "home", "shots"}) fs::create_directories(dir_ / sub);
    shots_ = dir_ / "shots";
    x_.emplace(dir_ / "xvfb.log");
  }

  void TearDown() override {
    // Whatever a failed test left running (the app itself was killed by its destructor).
    for (pid_t pid : our_children())
      if (!x_ || pid != x_->pid()) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    x_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // The app's environment: our display, a settings folder and home of this test's own.
  Env app_env(const std::string& config = "config") const {
    Env env = current_env();
    env.erase("WAYLAND_DISPLAY");
    env["DISPLAY"] = x_->display();
    env["XDG_CONFIG_HOME"] = dir_ / config;
    env["HOME"] = dir_ / "home";
    env["LIBGL_ALWAYS_SOFTWARE"] = "1";
    fs::create_directories(dir_ / config);
    return env;
  }

  std::unique_ptr<App> launch(std::vector<std::string> args, const Env& env) {
    args.insert(args.begin(), PARAFRAC_GUI);
    return std::make_unique<App>(args, env, dir_ / ("app-" + std::to_string(++launches_) + ".err"));
  }
  std::unique_ptr<App> launch(const std::vector<std::string>& args) { return launch(args, app_env()); }

  // Runs xdotool on our display to the end; throws unless it succeeds. Returns its stdout.
  std::string xdotool(std::vector<std::string> args) {
    args.insert(args.begin(), kXdotool);
    Env env = current_env();
    env["DISPLAY"] = x_->display();
    Process tool(args, env, dir_ / "xdotool.err");
    std::string out;
    while (std::optional<std::string> line = tool.next_line([](const std::string&) { return true; }))
      out += *line + "\n";
    const std::optional<int> code = tool.wait();
    if (code != 0) throw std::runtime_error("xdotool " + args.at(1) + " failed\n" + tool.story());
    return out;
  }

  // The app's window, given the keyboard focus (there is no window manager to give it).
  std::string find_window() {
    const std::string found = xdotool({"search", "--sync", "--name", "^Parafrac$"});
    window_ = found.substr(0, found.find('\n'));
    xdotool({"windowfocus", "--sync", window_});
    return window_;
  }

  void key(const std::string& name) { xdotool({"key", name}); }

  std::vector<std::string> move_to(const Pixel& at) const {
    return {"mousemove", "--window", window_, std::to_string(at.x), std::to_string(at.y)};
  }

  // Rests the pointer at `at` and returns once the app has had a frame with it there. The app
  // reads the mouse once a frame (Dear ImGui 1.86), so, as with a user's hand, a press must come
  // in a later frame than the move that brought the pointer. F12 is the one key that answers,
  // so its screenshot marks such a frame.
  fs::path point_at(App& app, const Pixel& at) {
    xdotool(move_to(at));
    return screenshot(app);
  }

  // Button 1 down at the pointer, along `path`, and up (one quick gesture, as X delivers it).
  void drag(const std::vector<Pixel>& path) {
    std::vector<std::string> args{"mousedown", "1"};
    for (const Pixel& to : path) {
      const std::vector<std::string> move = move_to(to);
      args.insert(args.end(), move.begin(), move.end());
    }
    args.insert(args.end(), {"mouseup", "1"});
    xdotool(args);
  }

  // F12, and the PNG the app says it wrote.
  fs::path screenshot(App& app) {
    key("F12");
    const std::string line = app.await(screenshot_outcome, "screenshot PATH");
    if (!starts_with_word(line, "screenshot")) throw std::runtime_error("the screenshot failed: " + line);
    return line.substr(std::string("screenshot ").size());
  }

  // Escape quits cleanly: `bye`, status 0, and nothing of the app's left running.
  void quit(App& app) {
    key("Escape");
    app.await_word("bye");
    EXPECT_EQ(app.process.wait(), 0) << app.process.story();
    expect_nothing_left();
  }

  // The app gives up at start: a non-zero exit (not a crash, not a hang), one line on stderr
  // that says `names`, and nothing left running.
  void expect_refusal(App& app, const std::string& names) {
    const std::optional<int> code = app.process.wait();
    ASSERT_TRUE(code.has_value()) << "it must give up, not hang\n" << app.process.story();
    EXPECT_NE(*code, 0);
    EXPECT_LT(*code, 128) << "it must not crash";
    const std::string err = app.process.err();
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_NE(err.find(names), std::string::npos) << err;
    expect_nothing_left();
  }

  void expect_nothing_left() {
    EXPECT_EQ(our_children(), std::set<pid_t>{x_->pid()}) << "the app left a process behind";
  }

  fs::path dir_;
  fs::path shots_;
  std::optional<XServer> x_;
  std::string window_;
  int launches_ = 0;
};

TEST_F(Gui, AUserPansZoomsSwitchesStrategyAndQuitsInARealWindow) {
  auto app = launch({"--size", "640x480", "--verbose", "--strategy", "pool", "--workers", "2", "--screenshot-dir",
                     shots_, "--center", "-0.5,0", "--scale", "2.5", "--max-iter", "200"});
  EXPECT_EQ(app->await_word("ready"), "ready 640x480");
  const Rendered first = app->rendered();
  EXPECT_EQ(first.size, "640x480");
  EXPECT_EQ(first.center, (Point{-0.5, 0}));
  EXPECT_EQ(first.scale, 2.5);
  EXPECT_EQ(first.max_iter, 200u);
  EXPECT_EQ(first.strategy, "pool");
  find_window();
  key("Tab");  // panels and overlays off: the screenshots show the fractal alone

  // What F12 saves: the window as shown, with the view it shows.
  const fs::path first_path = point_at(*app, {320, 240});
  EXPECT_TRUE(fs::equivalent(first_path.parent_path(), shots_)) << first_path;
  const RgbImage shown = read_png(first_path);
  ASSERT_EQ(shown.width, 640);
  ASSERT_EQ(shown.height, 480);
  EXPECT_GT(distinct_colours(shown), 50u) << "the window looks blank";
  EXPECT_EQ(point_of(text_of(shown, "parafrac.center")), first.center);
  EXPECT_EQ(std::stod(text_of(shown, "parafrac.scale")), first.scale);
  EXPECT_EQ(text_of(shown, "parafrac.size"), "640x480");
  EXPECT_EQ(text_of(shown, "parafrac.max_iter"), "200");
  EXPECT_EQ(text_of(shown, "parafrac.strategy"), "pool");
  EXPECT_EQ(text_of(shown, "parafrac.workers"), "2");
  for (const char* key : {"parafrac.tile", "parafrac.render_seconds", "Software"})
    EXPECT_NE(text_of(shown, key), "(missing)") << key;

  // A drag by (+100, +20) moves the picture with the cursor: the same points, the same colours.
  drag({{360, 240}, {420, 260}});
  const Point goal = dragged(first, 480, 100, 20);
  const Rendered panned = app->rendered([&](const Rendered& r) { return pixels_apart(r.center, goal, r, 480) < 0.5; });
  EXPECT_LT(pixels_apart(panned.center, goal, panned, 480), 1e-6);
  EXPECT_EQ(panned.scale, first.scale);
  const RgbImage moved = read_png(screenshot(*app));
  ASSERT_EQ(moved.width, 640);
  ASSERT_EQ(moved.height, 480);
  // All that both pictures show, but a thin frame. Renders are deterministic, but a pixel's
  // point may move by a rounding error, which tips a few chaotic points by the set's edge.
  int differ = 0, compared = 0;
  for (int y = 8; y < 480 - 20 - 8; ++y)
    for (int x = 8; x < 640 - 100 - 8; ++x, ++compared) differ += pixel(moved, x + 100, y + 20) != pixel(shown, x, y);
  EXPECT_LT(differ, compared / 50) << differ << " of " << compared
                                   << " pixels differ from the shifted picture: is something drawn over it?";

  // One wheel notch up zooms in 1.25x about the cursor: what is under it stays there.
  const Pixel cursor{305, 185};  // in the halo above the left bulb, where colours change smoothly
  std::vector<std::string> wheel = move_to(cursor);
  wheel.insert(wheel.end(), {"click", "4"});
  xdotool(wheel);
  const Rendered zoomed = app->rendered([&](const Rendered& r) { return r.scale != panned.scale; });
  EXPECT_NEAR(panned.scale / zoomed.scale, 1.25, 1.25e-9);
  auto under_cursor = [&](const Rendered& r) {
    return View{r.center.re, r.center.im, r.scale, 640, 480}.pixel_to_complex(cursor.x, cursor.y);
  };
  EXPECT_LT(std::abs(under_cursor(zoomed) - under_cursor(panned)) / (zoomed.scale / 480), 0.5)
      << "the point under the cursor moved (in pixels)";
  const RgbImage closer = read_png(screenshot(*app));
  ASSERT_EQ(closer.width, 640);
  ASSERT_EQ(closer.height, 480);
  for (int dy = -2; dy <= 2; ++dy)
    for (int dx = -2; dx <= 2; ++dx) {
      // What is now dx pixels from the cursor was dx / 1.25 pixels from it.
      const int bx = cursor.x + static_cast<int>(std::lround(dx / 1.25));
      const int by = cursor.y + static_cast<int>(std::lround(dy / 1.25));
      EXPECT_TRUE(among_neighbours(moved, bx, by, pixel(closer, cursor.x + dx, cursor.y + dy)))
          << "pixel (" << cursor.x + dx << ", " << cursor.y + dy << ") changed colour under the cursor";
    }
  int changed = 0, far = 0;
  for (int y = 0; y < 480; ++y)
    for (int x = 0; x < 640; ++x)
      if (std::hypot(x - cursor.x, y - cursor.y) > 40) {
        ++far;
        changed += pixel(closer, x, y) != pixel(moved, x, y);
      }
  EXPECT_GT(changed, far / 4) << "away from the cursor the picture should have grown";

  // Key 4 is the fourth strategy of the registry.
  key("4");
  app->await([](const std::string& line) { return line == "strategy processes"; }, "strategy processes");
  app->rendered([](const Rendered& r) { return r.strategy == "processes"; });

  quit(*app);
}

TEST_F(Gui, PanelsAndOverlaysAreInTheScreenshotAndTabHidesThem) {
  // The default window size (no --size): the size a first-time user sees.
  auto app = launch({"--verbose", "--strategy", "pool", "--workers", "2", "--screenshot-dir", shots_, "--center",
                     "-0.7436,0.1318", "--scale", "0.01"});
  app->start();
  find_window();
  key("t");  // tile borders tinted by worker, over the controls, the timing overlay and the timeline
  const fs::path shown_path = screenshot(*app);
  const RgbImage shown = read_png(shown_path);
  key("Tab");
  const RgbImage bare = read_png(screenshot(*app));
  ASSERT_EQ(shown.pixels.size(), bare.pixels.size());
  EXPECT_GT(distinct_colours(bare), 50u) << "the fractal itself is not drawn";
  std::size_t differ = 0;
  for (std::size_t i = 0; i < shown.pixels.size(); i += 3)
    differ += !std::equal(shown.pixels.begin() + i, shown.pixels.begin() + i + 3, bare.pixels.begin() + i);
  // The controls panel alone covers over a tenth of the window.
  EXPECT_GT(differ, shown.pixels.size() / 3 / 10) << "the panels are not in the screenshot, or Tab did not hide them";
  quit(*app);
  // The README's picture of the app comes from here: build/gui-screenshot.png.
  std::error_code ignored;
  fs::copy_file(shown_path, PARAFRAC_SCREENSHOT_OUT, fs::copy_options::overwrite_existing, ignored);
}

TEST_F(Gui, AScreenshotReopensAtTheViewItWasTakenAt) {
  fs::path shot;
  {
    auto app = launch({"--size", "320x240", "--verbose", "--screenshot-dir", shots_, "--center", "-0.743,0.1318",
                       "--scale", "0.02", "--max-iter", "300"});
    app->start();
    find_window();
    shot = screenshot(*app);
    quit(*app);
  }
  const RgbImage image = read_png(shot);
  // A fresh settings folder, so only the PNG can bring the view back.
  auto app = launch({"--size", "320x240", "--verbose", "--screenshot-dir", shots_, shot}, app_env("config-2"));
  const Rendered reopened = app->start();
  EXPECT_EQ(reopened.center, point_of(text_of(image, "parafrac.center")));
  EXPECT_EQ(reopened.scale, std::stod(text_of(image, "parafrac.scale")));
  quit(*app);
}

TEST_F(Gui, TheLastViewComesBackNextTimeAndResetForgetsIt) {
  const std::vector<std::string> options{"--size", "320x240", "--verbose", "--screenshot-dir", shots_};
  Rendered fresh, left;
  {
    auto app = launch(options);
    fresh = app->start();
    find_window();
    key("Tab");
    point_at(*app, {160, 120});
    drag({{200, 140}});
    const Point goal = dragged(fresh, 240, 40, 20);
    app->rendered([&](const Rendered& r) { return pixels_apart(r.center, goal, r, 240) < 0.5; });
    quit(*app);
    left = app->last_rendered.value();
  }
  EXPECT_TRUE(fs::exists(dir_ / "config" / "parafrac" / "settings.json")) << "settings go to $XDG_CONFIG_HOME";
  {
    auto app = launch(options);
    const Rendered restored = app->start();
    EXPECT_EQ(restored.center, left.center);
    EXPECT_EQ(restored.scale, left.scale);
    quit(*app);
  }
  std::vector<std::string> reset = options;
  reset.push_back("--reset");
  auto app = launch(reset);
  const Rendered forgotten = app->start();
  EXPECT_EQ(forgotten.center, fresh.center);
  EXPECT_EQ(forgotten.scale, fresh.scale);
  quit(*app);
}

TEST_F(Gui, WithoutADisplayItPointsToTheCliAndFails) {
  Env env = app_env();
  env.erase("DISPLAY");
  env.erase("WAYLAND_DISPLAY");
  auto app = launch({"--verbose"}, env);
  expect_refusal(*app, "parafrac-cli");
}

TEST_F(Gui, ABrokenShaderIsAClearErrorNamingTheFile) {
  const fs::path shaders = dir_ / "shaders";
  fs::create_directories(shaders);
  fs::copy_file(fs::path(PARAFRAC_SOURCE_DIR) / "shaders" / "display.vert", shaders / "display.vert");
  std::ofstream(shaders / "display.frag") << "#version 330 core\nout vec4 colour;\nvoid main() { colour = }\n";
  Env env = app_env();
  env["PARAFRAC_SHADER_DIR"] = shaders;
  auto app = launch({"--size", "320x240", "--verbose"}, env);
  expect_refusal(*app, "display.frag");
}

TEST_F(Gui, AnUnwritableScreenshotFolderIsReportedAndTheAppCarriesOn) {
  const fs::path blocker = dir_ / "not-a-folder";
  std::ofstream(blocker) << "a regular file\n";
  auto app = launch({"--size", "320x240", "--verbose", "--strategy", "pool", "--screenshot-dir", blocker / "shots"});
  app->start();
  find_window();
  key("F12");
  const std::string line = app->await(screenshot_outcome, "screenshot-failed MESSAGE");
  EXPECT_TRUE(starts_with_word(line, "screenshot-failed")) << line;
  // Still listening: it takes the next key.
  key("2");
  app->await([](const std::string& l) { return l == "strategy threads"; }, "strategy threads");
  quit(*app);
  EXPECT_EQ(slurp(blocker), "a regular file\n");
  for (const auto& entry : fs::recursive_directory_iterator(dir_))
    EXPECT_NE(entry.path().extension(), ".png") << "written after all: " << entry.path();
}

TEST_F(Gui, ARaceLeavesTheUsersStrategyAndTheCommandLineIsForThisRunOnly) {
  auto app = launch({"--size", "320x240", "--verbose", "--strategy", "pool", "--workers", "2", "--max-iter", "100",
                     "--screenshot-dir", shots_});
  app->start();
  find_window();
  key("2");  // threads: the user's own choice, made in the app
  app->await([](const std::string& line) { return line == "strategy threads"; }, "strategy threads");
  app->rendered([](const Rendered& r) { return r.strategy == "threads"; });
  key("F5");
  app->await_word("race done");
  const Point raced = app->last_rendered.value().center;
  key("Up");
  const Rendered after = app->rendered([&](const Rendered& r) { return r.center != raced; });
  EXPECT_EQ(after.strategy, "threads") << "the race must give the user's strategy back";
  quit(*app);
  const std::string saved = slurp(dir_ / "config" / "parafrac" / "settings.json");
  EXPECT_NE(saved.find("\"strategy\": \"threads\""), std::string::npos) << "chosen in the app: saved\n" << saved;
  EXPECT_NE(saved.find("\"workers\": 0"), std::string::npos) << "--workers is for this run\n" << saved;
  EXPECT_NE(saved.find("\"screenshot_dir\": \"\""), std::string::npos) << "--screenshot-dir is for this run\n" << saved;
}

// The GPU in the app: it draws the window the CPU's pool draws, pixel for pixel. The user
// switches from it to pool (key 3), then a race (F5) switches to it and on through the others.
TEST_F(Gui, TheGpuDrawsThePoolsPictureAndTheUserSwitchesFromItAndBack) {
  if (!gpu_unavailable().empty()) GTEST_SKIP() << "gpu is unavailable here: " << gpu_unavailable();
  auto app = launch({"--size", "320x240", "--verbose", "--strategy", "gpu", "--workers", "2", "--max-iter", "300",
                     "--center", "-0.75,0.1", "--scale", "0.6", "--screenshot-dir", shots_});
  EXPECT_EQ(app->start().strategy, "gpu");
  find_window();
  key("Tab");  // the fractal alone
  const RgbImage on_gpu = read_png(screenshot(*app));
  EXPECT_EQ(text_of(on_gpu, "parafrac.strategy"), "gpu");
  key("3");
  app->await([](const std::string& line) { return line == "strategy pool"; }, "strategy pool");
  app->rendered([](const Rendered& r) { return r.strategy == "pool"; });
  const RgbImage on_cpu = read_png(screenshot(*app));
  ASSERT_EQ(on_gpu.width, on_cpu.width);
  ASSERT_EQ(on_gpu.height, on_cpu.height);
  EXPECT_GT(distinct_colours(on_gpu), 50u) << "the window looks blank";
  int differ = 0;
  for (int y = 0; y < on_gpu.height; ++y)
    for (int x = 0; x < on_gpu.width; ++x) differ += pixel(on_gpu, x, y) != pixel(on_cpu, x, y);
  EXPECT_EQ(differ, 0) << "pixels where the GPU's window differs from pool's";
  key("F5");
  app->await([](const std::string& line) { return line.starts_with("race strategy=gpu "); }, "race strategy=gpu");
  app->await_word("race done");
  quit(*app);
}

TEST_F(Gui, ADoubleClickCentresThereEvenWhenBothClicksLandInOneFrame) {
  auto app = launch({"--size", "320x240", "--verbose", "--center", "-0.5,0", "--scale", "2.5", "--max-iter", "100",
                     "--screenshot-dir", shots_});
  const Rendered first = app->start();
  find_window();
  key("Tab");  // no panel under the pointer
  const Pixel at{100, 80};
  point_at(*app, at);
  // Both clicks within a millisecond: one frame sees them all, as when a frame is slow.
  xdotool({"click", "--repeat", "2", "--delay", "1", "1"});
  const auto goal = View{first.center.re, first.center.im, first.scale, 320, 240}.pixel_to_complex(at.x, at.y);
  const Point target{goal.real(), goal.imag()};
  const Rendered centred =
      app->rendered([&](const Rendered& r) { return pixels_apart(r.center, target, r, 240) < 0.5; });
  EXPECT_EQ(centred.scale, first.scale) << "a double click centres, it does not zoom";
  quit(*app);
}

TEST_F(Gui, MessagesShowOverAPanelTheUserClicked) {
  auto app = launch({"--size", "640x480", "--verbose", "--strategy", "pool", "--workers", "2", "--screenshot-dir",
                     shots_, "--center", "-0.5,0", "--scale", "1e-12"});
  app->start();
  find_window();
  point_at(*app, {300, 358});  // the timeline's title bar (it sits along the bottom); its "saved" message shows
  xdotool({"click", "1"});     // the timeline comes to the front, over where messages show
  for (int i = 0; i < 4; ++i) key("equal");  // zoom in past what double precision resolves
  app->await([](const std::string& line) { return line.starts_with("error cannot go there"); },
             "error cannot go there");
  const RgbImage shown = read_png(screenshot(*app));
  ASSERT_EQ(shown.width, 640);
  // The error is the newest line, at the bottom of the messages, where the timeline has no lanes
  // under it. Drawn behind the timeline it shows only dimly through the panel's background.
  int red = 0;
  for (int y = 440; y < 458; ++y)
    for (int x = 20; x < 620; ++x) {
      const Rgb c = pixel(shown, x, y);
      red += c.r > 200 && c.g < 150 && c.b < 150;
    }
  EXPECT_GT(red, 100) << "the error is not drawn over the timeline";
  quit(*app);
}

}  // namespace
}  // namespace parafrac::gui_test
