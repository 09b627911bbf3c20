// OutputFile: what an output may do to the destination it is given (DESIGN.md, Writing files).
// Devices are made in the test's own folder, never /dev: a regression would replace them.
#include "parafrac/output_file.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <vector>

#include "parafrac/error.hpp"

namespace parafrac {
namespace {

namespace fs = std::filesystem;

class Output : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("parafrac-output-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> names() const {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir_)) found.push_back(entry.path().filename());
    std::sort(found.begin(), found.end());
    return found;
  }
  static std::string contents(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  static void write(const fs::path& path, const std::string& text) {
    OutputFile out(path);
    std::fputs(text.c_str(), out.stream());
    out.commit();
  }
  static mode_t mode_of(const fs::path& path) {
    struct stat status;
    EXPECT_EQ(::stat(path.c_str(), &status), 0) << path;
    return status.st_mode & 07777;
  }
  // A character device node like /dev/null (1, 3) or /dev/full (1, 7), in the test's folder.
  fs::path device(const char* name, unsigned minor) {
    const fs::path path = dir_ / name;
    if (::mknod(path.c_str(), S_IFCHR | 0666, makedev(1, minor)) != 0) return {};
    return path;
  }
  static bool is_character_device(const fs::path& path) {
    struct stat status;
    return ::lstat(path.c_str(), &status) == 0 && S_ISCHR(status.st_mode);
  }

  fs::path dir_;
};

TEST_F(Output, LeavesNothingUnlessCommitted) {
  std::ofstream(dir_ / "keep.bin") << "old";
  {
    OutputFile out(dir_ / "keep.bin");
    std::fputs("new", out.stream());
    std::fflush(out.stream());
    EXPECT_EQ(names(), std::vector<std::string>{"keep.bin"}) << "a write in progress has no name yet";
    EXPECT_EQ(contents(dir_ / "keep.bin"), "old");
  }
  EXPECT_EQ(names(), std::vector<std::string>{"keep.bin"});
  EXPECT_EQ(contents(dir_ / "keep.bin"), "old") << "an uncommitted write must not touch the target";
  write(dir_ / "keep.bin", "new");
  EXPECT_EQ(names(), std::vector<std::string>{"keep.bin"});
  EXPECT_EQ(contents(dir_ / "keep.bin"), "new");
}

TEST_F(Output, RefusesWhatItCannotWriteWithAnErrorNotAnException) {
  const fs::path loop = dir_ / "loop";
  fs::create_symlink("loop", loop);
  const std::string long_name(256, 'a');
  for (const fs::path& path : {dir_ / "no-such-dir" / "x.png", dir_, loop, dir_ / long_name,
                               dir_ / "loop" / "x.png", fs::path()}) {
    try {
      OutputFile out(path);
      ADD_FAILURE() << "accepted " << path;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(path.filename().string()), std::string::npos) << e.what();
    }  // anything else (std::filesystem::filesystem_error) escapes and fails the test
  }
  EXPECT_EQ(names(), std::vector<std::string>{"loop"});
}

TEST_F(Output, ALongNameWhoseTemporaryWouldNotFitIsWritten) {
  const std::string name(255, 'b');
  write(dir_ / name, "long");
  EXPECT_EQ(names(), std::vector<std::string>{name});
}

TEST_F(Output, ADeviceIsWrittenIntoNeverReplaced) {
  const fs::path null = device("null", 3), full = device("full", 7);
  if (null.empty() || full.empty()) GTEST_SKIP() << "cannot make device nodes here (not root?)";
  write(null, "into the void");
  EXPECT_TRUE(is_character_device(null));
  OutputFile out(full);
  EXPECT_FALSE(out.atomic());
  const std::string block(1 << 16, 'x');
  std::fwrite(block.data(), 1, block.size(), out.stream());
  try {
    out.commit();
    ADD_FAILURE() << "a full device took the bytes";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(is_character_device(full)) << "the device node was replaced";
}

TEST_F(Output, AFifoGetsTheBytesStreamedIntoIt) {
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::future<std::string> reader = std::async(std::launch::async, [&] { return contents(fifo); });
  write(fifo, "through the pipe");
  EXPECT_EQ(reader.get(), "through the pipe");
  struct stat status;
  ASSERT_EQ(::lstat(fifo.c_str(), &status), 0);
  EXPECT_TRUE(S_ISFIFO(status.st_mode)) << "the FIFO was replaced";
}

TEST_F(Output, ASymlinkIsFollowedAndStays) {
  fs::create_directories(dir_ / "real");
  std::ofstream(dir_ / "real" / "target.png") << "old";
  fs::create_symlink("real/target.png", dir_ / "link.png");
  write(dir_ / "link.png", "new");
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.png"));
  EXPECT_EQ(contents(dir_ / "real" / "target.png"), "new");

  fs::create_symlink("real/made.png", dir_ / "dangling.png");
  write(dir_ / "dangling.png", "made");
  EXPECT_TRUE(fs::is_symlink(dir_ / "dangling.png"));
  EXPECT_EQ(contents(dir_ / "real" / "made.png"), "made") << "a dangling link creates its target";
}

TEST_F(Output, ANewFileHonoursTheUmaskAndAReplacedOneKeepsItsMode) {
  const mode_t previous = ::umask(027);
  write(dir_ / "new.png", "x");
  ::umask(previous);
  EXPECT_EQ(mode_of(dir_ / "new.png"), 0640u);

  std::ofstream(dir_ / "private.png") << "secret";
  fs::permissions(dir_ / "private.png", fs::perms::owner_read | fs::perms::owner_write);
  write(dir_ / "private.png", "still secret");
  EXPECT_EQ(mode_of(dir_ / "private.png"), 0600u) << "a private file became readable by others";
}

TEST_F(Output, SweepsOnlyTheTemporariesOfWritersThatAreGone) {
  // A live writer holds its temporary locked; a dead one's lock went with it. Process ids decide
  // nothing: on another machine sharing the folder, or after pid reuse, they mean nothing.
  const std::string stale = std::string(kTemporaryPrefix) + "1-abcdef";
  const std::string alive = std::string(kTemporaryPrefix) + "2-ghijkl";
  const std::string linked = std::string(kTemporaryPrefix) + "3-mnopqr";
  for (const std::string& name : {stale, alive, std::string("unrelated.tmp"), std::string("kept.png")})
    std::ofstream(dir_ / name) << "x";
  fs::create_symlink("kept.png", dir_ / linked);
  const int writer = ::open((dir_ / alive).c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(writer, 0);
  ASSERT_EQ(::flock(writer, LOCK_EX), 0);
  write(dir_ / "out.png", "x");
  ::close(writer);
  std::vector<std::string> expected{alive, linked, "kept.png", "out.png", "unrelated.tmp"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names(), expected) << "only the unlocked regular file is a leftover";
}

TEST_F(Output, InAStickyFolderOnlyOurOwnAndTheOwnersLinksAreFollowed) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to own a link as another user";
  const fs::path shared = dir_ / "tmp";
  fs::create_directories(shared);
  fs::permissions(shared, fs::perms::all | fs::perms::sticky_bit);
  std::ofstream(dir_ / "shadow") << "precious";
  fs::create_symlink(dir_ / "shadow", shared / "fractal.png");
  ASSERT_EQ(::lchown((shared / "fractal.png").c_str(), 65534, 65534), 0);
  try {
    write(shared / "fractal.png", "a PNG");
    ADD_FAILURE() << "followed another user's link in a sticky folder";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Permission denied"), std::string::npos) << e.what();
  }
  EXPECT_EQ(contents(dir_ / "shadow"), "precious");
  ASSERT_EQ(::lchown((shared / "fractal.png").c_str(), 0, 0), 0);
  write(shared / "fractal.png", "a PNG");
  EXPECT_EQ(contents(dir_ / "shadow"), "a PNG") << "our own link is followed";
}

TEST_F(Output, ProcLinksAreLeftToTheKernel) {
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  std::future<std::string> reader = std::async(std::launch::async, [&] {
    std::string got;
    char buffer[64];
    for (ssize_t n; (n = ::read(ends[0], buffer, sizeof buffer)) > 0;) got.append(buffer, n);
    return got;
  });
  write("/dev/fd/" + std::to_string(ends[1]), "through /dev/fd");
  ::close(ends[1]);
  EXPECT_EQ(reader.get(), "through /dev/fd") << "a pipe:[N] link was taken for a path";
  ::close(ends[0]);
}

TEST_F(Output, DashIsStandardOutput) {
  OutputFile out("-");
  EXPECT_EQ(out.stream(), stdout);
  EXPECT_FALSE(out.atomic());
  out.commit();
  EXPECT_TRUE(names().empty());
}

}  // namespace
}  // namespace parafrac
