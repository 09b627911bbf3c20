// A whole PNG file through read_png, the full pixel reader (libpng). It reads only from a path,
// so each input is written to one memory file (memfd) and read back through /proc/self/fd.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "harness.hpp"
#include "parafrac/error.hpp"
#include "parafrac/image_io.hpp"

namespace {

// The memory file, made once: a fresh one per input would cost more system calls than reading.
struct MemoryFile {
  int fd;
  std::string path;
};

const MemoryFile& memory_file() {
  static const MemoryFile file = [] {
    const int fd = memfd_create("png_fuzzer", 0);
    parafrac::fuzz::require(fd >= 0, "a memfd can be made");
    return MemoryFile{fd, "/proc/self/fd/" + std::to_string(fd)};
  }();
  return file;
}

// The memory file holding exactly the input; its path.
const std::string& hold(const std::uint8_t* data, std::size_t size) {
  const MemoryFile& file = memory_file();
  parafrac::fuzz::require(ftruncate(file.fd, 0) == 0, "the memfd can be emptied");
  parafrac::fuzz::require(pwrite(file.fd, data, size, 0) == static_cast<ssize_t>(size),
                          "the memfd takes the input");
  return file.path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = hold(data, size);
  try {
    const parafrac::RgbImage image = parafrac::read_png(path);
    parafrac::fuzz::require(
        image.pixels.size() == static_cast<std::size_t>(image.width) * image.height * 3,
        "an image holds width * height RGB pixels");
  } catch (const parafrac::Error&) {
  }
  return 0;
}
