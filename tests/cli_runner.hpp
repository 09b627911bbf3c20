// The fixture for tests that run parafrac-cli as a user would: real processes, a fresh folder per
// test for their files, exit codes and captured output. Tests that include it define PARAFRAC_CLI.
#pragma once
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern char** environ;

namespace parafrac {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

class Cli : public testing::Test {
 protected:
  void SetUp() override {
    // A parameterised test's name holds a '/' ("Gets.../center_nan"): as a path it would make a
    // folder inside a folder, and TearDown would remove only the inner one.
    std::string name = testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '-');
    dir_ = fs::temp_directory_path() / ("parafrac-cli-test-" + std::to_string(::getpid()) + "-" + name);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Starts parafrac-cli with `args`, its standard output and error captured for finish().
  pid_t start(const std::vector<std::string>& args) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, (dir_ / ".stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (dir_ / ".stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    return spawn(args, actions);
  }

  // Starts parafrac-cli with `args`, after `actions` (which it destroys).
  static pid_t spawn(const std::vector<std::string>& args, posix_spawn_file_actions_t& actions) {
    std::vector<std::string> argv_storage{PARAFRAC_CLI};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    EXPECT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    return pid;
  }

  Outcome finish(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    Outcome outcome;
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    outcome.out = read(dir_ / ".stdout");
    outcome.err = read(dir_ / ".stderr");
    return outcome;
  }

  Outcome run(const std::vector<std::string>& args) { return finish(start(args)); }

  static std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  // Files the user would see: everything but our captured stdout/stderr.
  std::vector<std::string> files() const {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      const std::string name = entry.path().filename();
      if (name != ".stdout" && name != ".stderr") found.push_back(name);
    }
    return found;
  }

  // Whether process `pid` holds a file open in `folder`, other than our captured stdout/stderr.
  static bool has_open_file_in(pid_t pid, const fs::path& folder) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error)) {
      const fs::path target = fs::read_symlink(entry.path(), error);
      if (error || target.parent_path() != folder) continue;
      if (target.filename() != ".stdout" && target.filename() != ".stderr") return true;
    }
    return false;
  }

  fs::path dir_;
};

}  // namespace parafrac
