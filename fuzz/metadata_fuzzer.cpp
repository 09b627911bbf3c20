// A PNG's text as read_view_metadata reads it when the app or the CLI opens an image: any keys,
// any values. The input is one "key=value" entry a line (a line without '=' is a key with an empty
// value; keys and values may hold any other byte, NUL included).
#include <cstdint>
#include <string>

#include "harness.hpp"
#include "parafrac/error.hpp"
#include "parafrac/metadata.hpp"

namespace {

using parafrac::fuzz::require;

parafrac::TextChunks chunks_of(std::string_view text) {
  parafrac::TextChunks chunks;
  for (const std::string_view line : parafrac::fuzz::split(text, '\n')) {
    const std::size_t equals = line.find('=');
    const std::string_view key = line.substr(0, equals);
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view{} : line.substr(equals + 1);
    chunks.emplace_back(std::string(key), std::string(value));
  }
  return chunks;
}

bool same_view(const parafrac::View& a, const parafrac::View& b) {
  return a.center_re == b.center_re && a.center_im == b.center_im && a.scale == b.scale &&
         a.width == b.width && a.height == b.height;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parafrac::SavedView saved;
  try {
    saved = parafrac::read_view_metadata(chunks_of(parafrac::fuzz::as_text(data, size)));
  } catch (const parafrac::Error&) {
    return 0;
  }
  // What was accepted is a valid view, and writing it back gives the same view again.
  saved.view.validate();
  const parafrac::SavedView again =
      parafrac::read_view_metadata(parafrac::view_metadata(saved.view, saved.max_iter.value_or(1)));
  require(same_view(again.view, saved.view), "a view read from metadata is written back unchanged");
  if (saved.colouring) {
    parafrac::PictureMetadata picture;
    picture.view = saved.view;
    picture.max_iter = saved.max_iter.value_or(1);
    picture.colouring = *saved.colouring;
    const parafrac::SavedView reopened =
        parafrac::read_view_metadata(parafrac::picture_metadata(picture));
    require(reopened.colouring && reopened.colouring->palette == saved.colouring->palette &&
                reopened.colouring->offset == saved.colouring->offset,
            "a colouring read from metadata is written back unchanged");
  }
  return 0;
}
