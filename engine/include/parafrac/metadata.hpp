#pragma once
// The view a PNG was rendered at, as PNG text, so an image can be reopened where it was made.
#include <cstdint>
#include <optional>

#include "parafrac/image_io.hpp"
#include "parafrac/view.hpp"

namespace parafrac {

// parafrac.center ("RE,IM"), parafrac.scale and parafrac.size ("WxH"), with every digit a
// double needs (%.17g), and parafrac.max_iter.
TextChunks view_metadata(const View& view, std::uint32_t max_iter);
// parafrac.max_iter alone: all a preset's render carries (its view is its own grid, not a View).
TextChunks::value_type max_iter_metadata(std::uint32_t max_iter);

struct SavedView {
  View view;
  std::optional<std::uint32_t> max_iter;
};

// Reads back what view_metadata wrote. Throws Error when the text has no Parafrac view (say, an
// image from another program, or a preset render) or holds a value that is not a valid one.
SavedView read_view_metadata(const TextChunks& text);

}  // namespace parafrac
