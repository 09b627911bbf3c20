// A whole PNG file, as the app and the CLI open one: read_png_text reads only its text chunks,
// from memory here, and the view is read from that text.
#include <cstdint>
#include <sstream>
#include <string>

#include "harness.hpp"
#include "parafrac/error.hpp"
#include "parafrac/image_io.hpp"
#include "parafrac/metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(parafrac::fuzz::as_text(data, size)), std::ios::binary);
  parafrac::TextChunks text;
  try {
    text = parafrac::read_png_text(in, "fuzz.png");
  } catch (const parafrac::Error&) {
    return 0;
  }
  // The bounds read_png_text promises, whatever the file claims.
  std::size_t total = 0;
  for (const auto& [key, value] : text) {
    parafrac::fuzz::require(!key.empty() && key.size() <= 79, "a keyword has 1 to 79 bytes");
    parafrac::fuzz::require(value.size() <= parafrac::kMaxTextChunk,
                            "a text is at most kMaxTextChunk");
    total += value.size();
  }
  parafrac::fuzz::require(total <= parafrac::kMaxTextTotal, "all text is at most kMaxTextTotal");
  try {
    parafrac::read_view_metadata(text);
  } catch (const parafrac::Error&) {
  }
  return 0;
}
