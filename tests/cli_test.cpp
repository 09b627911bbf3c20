// parafrac-cli as a user runs it: real processes, real files, exit codes and messages.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <thread>

#include "parafrac/image_io.hpp"
#include "parafrac/metadata.hpp"
#include "parafrac/strategy.hpp"
#include "cli_runner.hpp"

namespace parafrac {
namespace {

TEST_F(Cli, StrategiesListsTheRegistryOneNameALine) {
  const Outcome outcome = run({"strategies"});
  EXPECT_EQ(outcome.exit_code, 0);
  std::string expected;
  for (const std::string& name : strategy_names()) expected += name + "\n";
  EXPECT_EQ(outcome.out, expected);
}

// A strategy's own settings: listed by `strategies -v`, taken by render and bench with --option.
TEST_F(Cli, StrategyOptionsAreListedAndTaken) {
  const Outcome listed = run({"strategies", "-v"});
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.out.find("--option chunk=1..1024  tiles a claim takes (default 1)"), std::string::npos)
      << listed.out;
  const Outcome rendered = run({"render", "--size", "40x30", "--strategy", "counter", "--option", "chunk=3", "-o",
                                (dir_ / "counter.i32").string()});
  EXPECT_EQ(rendered.exit_code, 0) << rendered.err;
  const Outcome serial =
      run({"render", "--size", "40x30", "--strategy", "serial", "-o", (dir_ / "serial.i32").string()});
  EXPECT_EQ(serial.exit_code, 0) << serial.err;
  EXPECT_EQ(read(dir_ / "counter.i32"), read(dir_ / "serial.i32"));
  const Outcome benched = run({"bench", "--size", "40x30", "--strategies", "pool,counter", "--option", "chunk=2",
                               "--repeat", "1", "--json"});
  ASSERT_EQ(benched.exit_code, 0) << benched.err;
  const nlohmann::json rows = nlohmann::json::parse(benched.out);
  ASSERT_EQ(rows.size(), 3u) << "serial, pool and counter";
  for (const nlohmann::json& row : rows) EXPECT_TRUE(row.at("identical_to_serial").get<bool>()) << row.dump();
}

// Every key README promises (the view, max iterations, palette and offset, strategy, workers,
// tile size, timing), each with its value: numbers in their shortest exact form.
TEST_F(Cli, RenderWritesAPngWithItsMetadata) {
  const fs::path png = dir_ / "view.png";
  const Outcome outcome = run({"render", "--size", "64x48", "--strategy", "threads", "--workers", "3", "--tile", "16",
                               "--center", "-0.75,0.1", "--scale", "0.5", "--max-iter", "321", "--palette", "fire",
                               "-o", png});
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const RgbImage image = read_png(png);
  EXPECT_EQ(image.width, 64);
  EXPECT_EQ(image.height, 48);
  std::vector<std::string> keys;
  for (const auto& [key, value] : image.text) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"Software", "parafrac.preset", "parafrac.description", "parafrac.center",
                                            "parafrac.scale", "parafrac.size", "parafrac.max_iter", "parafrac.palette",
                                            "parafrac.palette_offset", "parafrac.strategy", "parafrac.workers",
                                            "parafrac.tile", "parafrac.render_seconds"}));
  auto text = [&](const std::string& key) {
    for (const auto& [k, v] : image.text)
      if (k == key) return v;
    return std::string("(missing)");
  };
  EXPECT_EQ(text("Software"), "Parafrac " PARAFRAC_VERSION);
  EXPECT_EQ(text("parafrac.preset"), "default");
  EXPECT_EQ(text("parafrac.description"), "64x48 at -0.75,0.1 scale 0.5, max-iter 321");
  EXPECT_EQ(text("parafrac.center"), "-0.75,0.1");
  EXPECT_EQ(text("parafrac.scale"), "0.5");
  EXPECT_EQ(text("parafrac.size"), "64x48");
  EXPECT_EQ(text("parafrac.max_iter"), "321");
  EXPECT_EQ(text("parafrac.palette"), "fire");
  EXPECT_EQ(text("parafrac.palette_offset"), "0");
  EXPECT_EQ(text("parafrac.strategy"), "threads");
  EXPECT_EQ(text("parafrac.workers"), "3");
  EXPECT_EQ(text("parafrac.tile"), "16");
  const double seconds = std::strtod(text("parafrac.render_seconds").c_str(), nullptr);
  EXPECT_GT(seconds, 0) << text("parafrac.render_seconds");
  EXPECT_LT(seconds, 3600) << text("parafrac.render_seconds");
  EXPECT_EQ(files(), std::vector<std::string>{"view.png"});
}

TEST_F(Cli, APngReopensWithItsViewAndColours) {
  const fs::path png = dir_ / "view.png";
  ASSERT_EQ(run({"render", "--size", "40x30", "--center", "-0.743643887,0.131825904", "--scale", "1e-4", "--palette",
                 "neon", "-o", png})
                .exit_code,
            0);
  const SavedView saved = read_view_metadata(read_png(png).text);
  EXPECT_EQ(saved.view.center_re, -0.743643887);
  EXPECT_EQ(saved.view.center_im, 0.131825904);
  EXPECT_EQ(saved.view.scale, 1e-4);
  EXPECT_EQ(saved.max_iter, 500u);
  ASSERT_TRUE(saved.colouring.has_value()) << "a CLI PNG names its palette";
  EXPECT_EQ(saved.colouring->palette, "neon");
  EXPECT_EQ(saved.colouring->offset, 0.0f);
}

TEST_F(Cli, APresetPngCarriesItsPresetAndSize) {
  const fs::path png = dir_ / "seed.png";
  ASSERT_EQ(run({"render", "--preset", "seed", "--size", "30x40", "-o", png}).exit_code, 0);
  const TextChunks text = read_png(png).text;
  auto has = [&](const std::string& key, const std::string& value) {
    return std::find(text.begin(), text.end(), TextChunks::value_type{key, value}) != text.end();
  };
  EXPECT_TRUE(has("parafrac.preset", "seed"));
  EXPECT_TRUE(has("parafrac.size", "30x40"));
  EXPECT_TRUE(has("parafrac.max_iter", "20"));
  EXPECT_TRUE(has("parafrac.palette", "ocean"));
}

TEST_F(Cli, FormatFollowsTheExtensionAndI32HoldsOneIntPerPixel) {
  ASSERT_EQ(run({"render", "--size", "30x20", "-o", dir_ / "counts.i32"}).exit_code, 0);
  EXPECT_EQ(fs::file_size(dir_ / "counts.i32"), 30u * 20 * 4);
  ASSERT_EQ(run({"render", "--size", "30x20", "-o", dir_ / "set.pbm"}).exit_code, 0);
  EXPECT_EQ(read(dir_ / "set.pbm").substr(0, 9), "P4\n30 20\n");
}

TEST_F(Cli, EveryKernelWritesTheSameCounts) {
  for (const char* kernel : {"scalar", "simd", "auto"})
    ASSERT_EQ(run({"render", "--kernel", kernel, "--center", "-0.7436,0.1318", "--scale", "0.01", "--max-iter", "2000",
                   "--size", "120x80", "-o", dir_ / (std::string(kernel) + ".i32")})
                  .exit_code,
              0)
        << kernel;
  const std::string scalar = read(dir_ / "scalar.i32");
  EXPECT_EQ(read(dir_ / "simd.i32"), scalar) << "the SIMD kernel changed a count";
  EXPECT_EQ(read(dir_ / "auto.i32"), scalar);
}

TEST_F(Cli, ABandedRenderWritesTheSameBytesAsAWholeOne) {
  for (const char* format : {"i32", "pbm", "png"})
    for (const char* rows : {"7", "1000"})
      ASSERT_EQ(run({"render", "--size", "150x97", "--center", "-0.7436,0.1318", "--scale", "0.01", "--band-rows", rows,
                     "--format", format, "-o", dir_ / (std::string(rows) + "." + format)})
                    .exit_code,
                0)
          << format << " in bands of " << rows;
  EXPECT_EQ(read(dir_ / "7.i32"), read(dir_ / "1000.i32"));
  EXPECT_EQ(read(dir_ / "7.pbm"), read(dir_ / "1000.pbm"));
  // PNGs carry the render time: compare their pixels and their view.
  const RgbImage banded = read_png(dir_ / "7.png"), whole = read_png(dir_ / "1000.png");
  EXPECT_EQ(banded.pixels, whole.pixels);
  for (const RgbImage* image : {&banded, &whole}) {
    const SavedView saved = read_view_metadata(image->text);  // the text goes after the last band
    EXPECT_EQ(saved.view.center_re, -0.7436);
    EXPECT_EQ(saved.view.center_im, 0.1318);
    EXPECT_EQ(saved.view.width, 150);
  }
}

struct BadInput {
  std::string name;
  std::vector<std::string> args;
  std::string says;  // the part of the one-line error that says what is wrong
};

void PrintTo(const BadInput& input, std::ostream* os) {
  for (const std::string& arg : input.args) *os << arg << " ";
}

class CliBadInput : public Cli, public testing::WithParamInterface<BadInput> {};

TEST_P(CliBadInput, GetsAOneLineErrorANonZeroExitAndNoFile) {
  std::vector<std::string> args = GetParam().args;
  for (std::string& arg : args)
    if (arg == "OUT") arg = dir_ / "out.png";
  const Outcome outcome = run(args);
  EXPECT_NE(outcome.exit_code, 0);
  EXPECT_LT(outcome.exit_code, 128) << "it must not crash";
  EXPECT_EQ(outcome.err.rfind("parafrac-cli: error: ", 0), 0u) << "stderr: " << outcome.err;
  EXPECT_NE(outcome.err.find(GetParam().says), std::string::npos) << "stderr: " << outcome.err;
  EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1) << "stderr: " << outcome.err;
  EXPECT_TRUE(files().empty()) << "left behind: " << files().front();
}

std::vector<BadInput> bad_inputs() {
  auto render = [](std::vector<std::string> extra) {
    std::vector<std::string> args{"render", "--size", "32x24", "-o", "OUT"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  return {
      {"center_not_a_number", render({"--center", "abc,0"}), "--center: 'abc' is not a number"},
      {"center_without_comma", render({"--center", "0.5"}), "--center: expected RE,IM, got '0.5'"},
      {"center_nan", render({"--center", "nan,0"}), "--center: 'nan,0' is not finite"},
      {"center_inf", render({"--center", "0,inf"}), "--center: '0,inf' is not finite"},
      {"scale_zero", render({"--scale", "0"}), "the scale must be a positive, finite number, not 0"},
      {"scale_negative", render({"--scale", "-2"}), "the scale must be a positive, finite number, not -2"},
      {"scale_nan", render({"--scale", "nan"}), "the scale must be a positive, finite number, not nan"},
      {"scale_too_deep", render({"--center", "-0.75,0.1", "--scale", "1e-18"}),
       "scale 1e-18 is deeper than double precision resolves at this centre"},
      {"size_zero", render({"--size", "0x10"}), "image size 0x10 must be at least 1x1"},
      {"size_absurd", render({"--size", "100000x100000"}), "image size 100000x100000 is too large"},
      {"size_without_x", render({"--size", "640"}), "--size: expected WIDTHxHEIGHT, got '640'"},
      {"size_garbage", render({"--size", "ax5"}), "--size: 'a' is not a number"},
      {"max_iter_zero", render({"--max-iter", "0"}), "--max-iter 0 must be between 1 and 1000000000"},
      {"max_iter_negative", render({"--max-iter", "-5"}), "--max-iter -5 must be between 1 and 1000000000"},
      {"max_iter_absurd", render({"--max-iter", "99999999999"}), "--max-iter 99999999999 must be between 1 and"},
      {"unknown_strategy", render({"--strategy", "nope"}), "unknown strategy 'nope' (known: serial, "},
      {"negative_workers", render({"--workers", "-1"}), "worker count -1 must be between 1 and"},
      {"absurd_workers", render({"--workers", "100000"}), "worker count 100000 must be between 1 and"},
      {"tile_zero", render({"--tile", "0"}), "tile size 0 must be between 1 and"},
      {"unknown_format", render({"--format", "jpg"}), "--format: jpg not in {png,i32,pbm}"},
      {"unknown_kernel", render({"--kernel", "gpu"}), "--kernel: gpu not in {scalar,simd,auto}"},
      {"band_rows_zero", render({"--band-rows", "0"}), "--band-rows must be between 1 and"},
      {"bench_too_large_to_hold", {"bench", "--size", "40000x40000"},
       "at most 268435456 pixels (render writes larger images in bands)"},
      {"unknown_palette", render({"--palette", "nope"}), "unknown palette 'nope'"},
      {"unknown_preset", render({"--preset", "nope"}), "--preset: nope not in {default,seed,bg}"},
      {"bg_not_square", render({"--preset", "bg", "--size", "100x200"}),
       "--preset bg renders N x N: --size must be square"},
      {"seed_with_a_view", render({"--preset", "seed", "--center", "0,0"}),
       "--preset seed fixes the view: drop --center and --scale"},
      {"missing_directory", {"render", "--size", "8x8", "-o", "/nonexistent/dir/x.png"},
       "cannot write /nonexistent/dir/x.png: No such file or directory"},
      {"output_is_a_directory", {"render", "--size", "8x8", "-o", "/tmp"}, "cannot write /tmp: it is a directory"},
      // The reason depends on the machine (EROFS, or EACCES in a container): the name is what matters.
      {"read_only_filesystem", {"render", "--size", "8x8", "-o", "/sys/parafrac-test.png"},
       "cannot write /sys/parafrac-test.png: "},
      {"missing_output", {"render", "--size", "8x8"}, "--output is required"},
      {"bench_unknown_strategy", {"bench", "--strategies", "serial,nope", "--size", "8x8"}, "unknown strategy 'nope'"},
      {"bench_zero_repeat", {"bench", "--repeat", "0", "--size", "8x8"}, "--repeat: Value 0 not in range 1 to 1000"},
      {"no_command", {}, "A subcommand is required"},
      {"option_without_equals", render({"--strategy", "counter", "--option", "chunk"}),
       "--option takes NAME=VALUE, not 'chunk'"},
      {"option_unknown", render({"--strategy", "counter", "--option", "nope=1"}),
       "strategy 'counter' has no option 'nope' (it has: chunk)"},
      {"option_for_a_strategy_without_options", render({"--strategy", "pool", "--option", "chunk=2"}),
       "strategy 'pool' has no option 'chunk' (it has none)"},
      {"option_value_out_of_range", render({"--strategy", "counter", "--option", "chunk=0"}),
       "option chunk takes a whole number from 1 to 1024, not '0'"},
      {"option_value_not_a_number", render({"--strategy", "counter", "--option", "chunk=2x"}),
       "option chunk takes a whole number from 1 to 1024, not '2x'"},
      {"option_given_twice", render({"--strategy", "counter", "--option", "chunk=2", "--option", "chunk=3"}),
       "--option chunk is given twice"},
      {"bench_trace_unwritable", {"bench", "--size", "8x8", "--trace", "/nonexistent/dir/t.json"},
       "cannot write /nonexistent/dir/t.json: No such file or directory"},
      {"bench_overhead_with_trace", {"bench", "--overhead", "--trace", "t.json"},
       "--trace records renders, and --overhead times no render: use one"},
      {"bench_option_no_strategy_has", {"bench", "--strategies", "pool", "--size", "8x8", "--option", "chunk=2"},
       "--option chunk: no strategy of this run has that option"},
  };
}

INSTANTIATE_TEST_SUITE_P(Cli, CliBadInput, testing::ValuesIn(bad_inputs()),
                         [](const testing::TestParamInfo<BadInput>& info) { return info.param.name; });

TEST_F(Cli, APathThroughAFileFailsBeforeRendering) {
  std::ofstream(dir_ / "plain") << "a file, not a directory";
  // Deep enough that rendering first would take minutes: the error must come at once.
  const Outcome outcome = run({"render", "--max-iter", "1000000", "--no-shortcuts", "--center", "-0.2,0", "--scale",
                               "0.3", "-o", dir_ / "plain" / "x.png"});
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.err.find("Not a directory"), std::string::npos) << outcome.err;
}

TEST_F(Cli, InterruptedRenderLeavesNoFileBehind) {
  // A render long enough to be interrupted: deep iterations on a view mostly inside the set.
  const pid_t pid = start({"render", "--strategy", "pool", "--center", "-0.2,0", "--scale", "0.5", "--size",
                           "1600x1200", "--max-iter", "1000000", "--no-shortcuts", "-o", dir_ / "never.png"});
  // The output is opened, as an unnamed file in its folder, just before the render starts.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!has_open_file_in(pid, dir_) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (!has_open_file_in(pid, dir_)) {
    kill(pid, SIGKILL);  // leave no render running behind a failed test
    finish(pid);
    FAIL() << "the render never opened its output";
  }
  kill(pid, SIGINT);
  const Outcome outcome = finish(pid);
  EXPECT_EQ(outcome.exit_code, 128 + SIGINT);
  EXPECT_NE(outcome.err.find("interrupted"), std::string::npos) << outcome.err;
  EXPECT_TRUE(files().empty()) << "left behind: " << files().front();
}

// bench --trace: a Chrome trace of each strategy's last render, a process per strategy, a thread
// per worker, a slice per tile.
TEST_F(Cli, BenchTraceHasASlicePerTileOnItsWorkersTrack) {
  const fs::path trace = dir_ / "trace.json";
  const Outcome outcome = run({"bench", "--size", "40x24", "--tile", "8", "--strategies", "counter", "--workers", "2",
                               "--repeat", "2", "--trace", trace.string()});
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const nlohmann::json events = nlohmann::json::parse(read(trace)).at("traceEvents");
  std::map<int, std::string> process;
  std::map<int, int> slices;
  std::set<std::string> tiles;
  for (const nlohmann::json& event : events) {
    const int pid = event.at("pid");
    if (event.at("name") == "process_name") process[pid] = event.at("args").at("name");
    if (event.at("ph") != "X") continue;
    ++slices[pid];
    tiles.insert(std::to_string(pid) + "/" + event.at("name").get<std::string>());
    EXPECT_GE(event.at("ts").get<double>(), 0);
    EXPECT_GE(event.at("dur").get<double>(), 0);
    EXPECT_LT(event.at("tid").get<int>(), pid == 1 ? 1 : 2) << "a worker of that strategy";
  }
  EXPECT_EQ(process, (std::map<int, std::string>{{1, "serial x1"}, {2, "counter x2"}}));
  EXPECT_EQ(slices, (std::map<int, int>{{1, 15}, {2, 15}})) << "5x3 tiles each";
  EXPECT_EQ(tiles.size(), 30u) << "every tile once";
}

// bench --overhead: every strategy asked (and serial, the baseline) at 1-px and 4-px tiles, with
// 1 worker and with --workers, each with its cost a tile.
TEST_F(Cli, BenchOverheadTimesEachStrategyPerTileAtEachTileSizeAndWorkerCount) {
  const Outcome outcome = run({"bench", "--overhead", "--json", "--size", "16x12", "--repeat", "1", "--strategies",
                               "counter,queue", "--workers", "3"});
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const nlohmann::json rows = nlohmann::json::parse(outcome.out);
  std::set<std::string> seen;
  for (const nlohmann::json& row : rows) {
    const std::string key = row.at("strategy").get<std::string>() + " x" + std::to_string(row.at("workers").get<int>()) +
                            " tile " + std::to_string(row.at("tile").get<int>());
    seen.insert(key);
    EXPECT_EQ(row.at("tiles").get<double>(), row.at("tile") == 1 ? 16.0 * 12 : 4.0 * 3) << key;
    EXPECT_GT(row.at("wall_ns_per_tile").get<double>(), 0) << key;
    EXPECT_GT(row.at("cpu_ns_per_tile").get<double>(), 0) << key;
    EXPECT_TRUE(row.contains("cpu_ns_over_serial")) << key;
  }
  const std::set<std::string> expected = {"serial x1 tile 1",  "counter x1 tile 1", "queue x1 tile 1",
                                          "counter x3 tile 1", "queue x3 tile 1",   "serial x1 tile 4",
                                          "counter x1 tile 4", "queue x1 tile 4",   "counter x3 tile 4",
                                          "queue x3 tile 4"};
  EXPECT_EQ(seen, expected);
}

TEST_F(Cli, BenchJsonHasOneObjectPerStrategyWithTheAgreedFields) {
  const Outcome outcome = run({"bench", "--json", "--size", "64x48", "--repeat", "2"});
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const nlohmann::json results = nlohmann::json::parse(outcome.out);
  ASSERT_TRUE(results.is_array());
  ASSERT_EQ(results.size(), strategy_names().size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    const nlohmann::json& result = results[i];
    EXPECT_EQ(result.at("strategy"), strategy_names()[i]);
    EXPECT_EQ(result.at("tile"), 64) << "a 64x48 image keeps the smallest automatic tile";
    for (const char* field : {"workers", "median_s", "min_s", "max_s", "cpu_s", "speedup", "efficiency",
                              "mpix_per_s", "giter_per_s", "startup_s", "tail_s", "wait_s", "contended"})
      EXPECT_TRUE(result.at(field).is_number()) << field;
    EXPECT_LE(result.at("min_s").get<double>(), result.at("median_s").get<double>());
    EXPECT_LE(result.at("median_s").get<double>(), result.at("max_s").get<double>());
    EXPECT_TRUE(result.at("identical_to_serial").get<bool>()) << result.at("strategy");
  }
  EXPECT_EQ(results[0].at("speedup").get<double>(), 1.0) << "serial is the baseline";
  EXPECT_EQ(results[0].at("tail_s").get<double>(), 0.0) << "one worker is never idle while another works";
  for (const nlohmann::json& result : results) {
    EXPECT_LE(result.at("tail_s").get<double>(), result.at("max_s").get<double>()) << result.at("strategy");
    if (result.at("strategy") == "serial" || result.at("strategy") == "counter") {
      EXPECT_EQ(result.at("wait_s").get<double>(), 0.0) << result.at("strategy") << " waits on nothing";
    }
  }
}

// The GPU's floats are not the serial image and never promised to be: bench says "inexact" for
// them and still succeeds, where a strategy that should be exact and differs fails it.
TEST_F(Cli, BenchMarksAnInexactStrategyWithoutFailing) {
  const Outcome outcome = run({"bench", "--json", "--size", "64x48", "--repeat", "1", "--strategies", "gpu",
                               "--option", "precision=float", "--center", "-0.743643887,0.131825904", "--scale",
                               "1e-7", "--max-iter", "2000"});
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const nlohmann::json results = nlohmann::json::parse(outcome.out);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].at("exact").get<bool>()) << "serial";
  EXPECT_FALSE(results[1].at("exact").get<bool>()) << "gpu with floats";
  EXPECT_FALSE(results[1].at("identical_to_serial").get<bool>()) << "1e-7 deep, floats cannot be serial's";
}

// The waits go into the trace too, on the worker that waited: barrier's workers wait at the end of
// every row of tiles (3 rows here).
TEST_F(Cli, BenchTraceShowsTheWaitsOnTheirWorkersTracks) {
  const fs::path trace = dir_ / "trace.json";
  const Outcome outcome = run({"bench", "--size", "40x24", "--tile", "8", "--strategies", "barrier", "--workers", "2",
                               "--repeat", "1", "--trace", trace.string()});
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  std::map<int, int> waits;  // per worker
  const nlohmann::json events = nlohmann::json::parse(read(trace)).at("traceEvents");
  for (const nlohmann::json& event : events) {
    if (event.at("pid").get<int>() != 2 || !event.contains("cat") || event.at("cat").get<std::string>() != "wait")
      continue;
    EXPECT_EQ(event.at("name"), "wait: barrier");
    EXPECT_GE(event.at("ts").get<double>(), 0);
    ++waits[event.at("tid").get<int>()];
  }
  EXPECT_EQ(waits, (std::map<int, int>{{0, 3}, {1, 3}}));
}

TEST_F(Cli, BenchUsesTheTileSizeItIsGiven) {
  const Outcome outcome = run({"bench", "--json", "--size", "64x48", "--repeat", "1", "--strategies", "pool", "--tile", "16"});
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  for (const nlohmann::json& result : nlohmann::json::parse(outcome.out)) EXPECT_EQ(result.at("tile"), 16);
}

TEST_F(Cli, SeedRunsEveryStrategyAndTheyAgree) {
  const Outcome outcome = run({"seed", "--repeat", "1"});
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  for (const std::string& name : strategy_names()) EXPECT_NE(outcome.out.find(name), std::string::npos);
  EXPECT_EQ(outcome.out.find("DIFFERS"), std::string::npos) << outcome.out;
}

}  // namespace
}  // namespace parafrac
