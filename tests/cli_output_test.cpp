// parafrac-cli's -o as a hostile user tries it: standard output, device nodes, long names,
// symlink loops, unknown formats and a SIGKILL at the worst instant.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "parafrac/output_file.hpp"

namespace parafrac {
namespace {

const std::vector<std::string> kSmall = {"render", "--size", "64x48", "--max-iter", "100"};

std::vector<std::string> small(std::vector<std::string> more) {
  std::vector<std::string> args = kSmall;
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// A failure that says what is wrong in one line and exits 1 (not 134, an abort), before the
// render starts (no progress line), leaving nothing in the folder.
void expect_refused_before_rendering(const Outcome& outcome, const std::string& reason) {
  EXPECT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_NE(outcome.err.find(reason), std::string::npos) << outcome.err;
  EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1) << outcome.err;
  EXPECT_EQ(outcome.err.find("rendering"), std::string::npos) << "checked only after rendering: " << outcome.err;
}

TEST_F(Cli, DashWritesEveryFormatToStandardOutput) {
  for (const std::string format : {"png", "pbm", "i32"}) {
    const Outcome file = run(small({"--format", format, "-o", (dir_ / ("out." + format)).string()}));
    ASSERT_EQ(file.exit_code, 0) << file.err;
    const Outcome piped = run(small({"--format", format, "-o", "-"}));
    ASSERT_EQ(piped.exit_code, 0) << piped.err;
    if (format != "png") EXPECT_EQ(piped.out, read(dir_ / ("out." + format))) << format;
    else EXPECT_EQ(piped.out.substr(0, 8), "\x89PNG\r\n\x1a\n");
  }
}

TEST_F(Cli, AFullDeviceIsAClearErrorAndStaysADevice) {
  const fs::path full = dir_ / "full";
  if (::mknod(full.c_str(), S_IFCHR | 0666, makedev(1, 7)) != 0) GTEST_SKIP() << "cannot make a device node here";
  // Big enough that libpng writes (and fails) before the end, not only the final flush.
  const Outcome outcome = run({"render", "--size", "640x480", "-o", full.string()});
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.err.find("No space left on device"), std::string::npos) << outcome.err;
  EXPECT_EQ(outcome.err.find("libpng"), std::string::npos) << "one line, ours: " << outcome.err;
  struct stat status;
  ASSERT_EQ(::lstat(full.c_str(), &status), 0);
  EXPECT_TRUE(S_ISCHR(status.st_mode)) << "the device node was replaced by a file";
}

TEST_F(Cli, BadDestinationsAreOneLineBeforeRendering) {
  fs::create_symlink("loop", dir_ / "loop");
  expect_refused_before_rendering(run(small({"-o", (dir_ / "loop").string()})), "Too many levels of symbolic links");
  expect_refused_before_rendering(run(small({"-o", (dir_ / std::string(252, 'n')).string() + ".png"})),
                                  "File name too long");
  expect_refused_before_rendering(run(small({"-o", (dir_ / "x.jpg").string()})), ".png, .i32 or .pbm");
  EXPECT_EQ(files(), std::vector<std::string>{"loop"});
}

TEST_F(Cli, AKillBetweenNamingAndRenamingLeavesNothingTheNextRunKeeps) {
  const fs::path out = dir_ / "out.png";
  ::setenv("PARAFRAC_TEST_STOP_BEFORE_RENAME", "1", 1);
  const pid_t pid = start(small({"-o", out.string()}));
  ::unsetenv("PARAFRAC_TEST_STOP_BEFORE_RENAME");
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, WUNTRACED), pid);
  ASSERT_TRUE(WIFSTOPPED(status)) << "the render never reached the rename";
  std::vector<std::string> stranded = files();
  ASSERT_EQ(stranded.size(), 1u);
  EXPECT_TRUE(stranded[0].starts_with(kTemporaryPrefix)) << stranded[0];
  ::kill(pid, SIGKILL);
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);

  const Outcome again = run(small({"-o", out.string()}));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(files(), std::vector<std::string>{"out.png"}) << "the killed run's temporary is still there";
}

}  // namespace
}  // namespace parafrac
