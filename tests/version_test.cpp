// Every program answers --version with its name and the project's version on stdout, and exits 0.
// The app answers without a display: it reads its options before it opens any window.
#include <gtest/gtest.h>

#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

namespace parafrac {
namespace {

struct Program {
  std::string name;
  std::string path;
};

void PrintTo(const Program& program, std::ostream* os) { *os << program.path; }

struct Answer {
  int status = -1;
  std::string out;
};

Answer ask_version(const std::string& path) {
  // No display to open a window on: an app that tried first would fail instead of answering.
  const std::string command = "env -u DISPLAY -u WAYLAND_DISPLAY '" + path + "' --version";
  Answer answer;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return answer;
  char buffer[256];
  for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    answer.out.append(buffer, got);
  answer.status = pclose(pipe);
  return answer;
}

class Version : public testing::TestWithParam<Program> {};

TEST_P(Version, SaysTheProgramsNameAndTheProjectsVersion) {
  const Answer answer = ask_version(GetParam().path);
  EXPECT_EQ(answer.status, 0) << "exit status as wait() reports it";
  EXPECT_EQ(answer.out, GetParam().name + " " PARAFRAC_VERSION "\n");
}

std::vector<Program> programs() {
  std::vector<Program> all = {{"parafrac-cli", PARAFRAC_CLI}, {"parafrac-worker", PARAFRAC_WORKER}};
#ifdef PARAFRAC_GUI
  all.push_back({"parafrac", PARAFRAC_GUI});
#endif
  return all;
}

INSTANTIATE_TEST_SUITE_P(EveryProgram, Version, testing::ValuesIn(programs()),
                         [](const testing::TestParamInfo<Program>& info) {
                           std::string name = info.param.name;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

}  // namespace
}  // namespace parafrac
