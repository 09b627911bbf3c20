#pragma once
// What a Parafrac PNG carries as text: everything that defines the picture (its view, iterations
// and colouring), so a reopened image looks the same, and how it was rendered, for the record.
// One definition of the keys for both writers (parafrac-cli and the app) and for the reader.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "parafrac/image_io.hpp"
#include "parafrac/view.hpp"

namespace parafrac {

// The keys, in the order picture_metadata writes them. Numbers are written by shortest()
// (parafrac/format.hpp): the fewest digits that read back as exactly the same number.
namespace metadata_key {
inline constexpr std::string_view software = "Software";                 // "Parafrac VERSION"
inline constexpr std::string_view preset = "parafrac.preset";            // default, seed or bg
inline constexpr std::string_view description = "parafrac.description";  // one line for people
inline constexpr std::string_view center = "parafrac.center";            // "RE,IM"
inline constexpr std::string_view scale = "parafrac.scale";              // the view's height
inline constexpr std::string_view size = "parafrac.size";                // "WIDTHxHEIGHT" in pixels
inline constexpr std::string_view max_iter = "parafrac.max_iter";
inline constexpr std::string_view palette = "parafrac.palette";                // a palettes() name
inline constexpr std::string_view palette_offset = "parafrac.palette_offset";  // 0 to 1
inline constexpr std::string_view strategy = "parafrac.strategy";
inline constexpr std::string_view workers = "parafrac.workers";
inline constexpr std::string_view tile = "parafrac.tile";                      // tile edge, pixels
inline constexpr std::string_view render_seconds = "parafrac.render_seconds";  // wall time
inline constexpr std::string_view cpu_seconds = "parafrac.cpu_seconds";
// The strategy's own settings, "name=value,name=value" (left out when it has none); and "no" when
// the picture is not the serial strategy's bit for bit (the GPU's floats), else left out.
inline constexpr std::string_view strategy_settings = "parafrac.strategy_settings";
inline constexpr std::string_view exact = "parafrac.exact";
}  // namespace metadata_key

// How iteration counts became colours: with the view and max_iter, all a picture needs to be
// drawn again the same.
struct Colouring {
  std::string palette = "ocean";  // a name palette_named() knows
  float offset = 0.0f;            // where on the palette's cycle colouring starts, 0 to 1
};

// How a picture was rendered: for the record, not needed to draw it again.
struct RenderRecord {
  std::string strategy;
  int workers = 0;
  int tile = 0;
  double wall_seconds = 0;
  std::optional<double> cpu_seconds;  // the app measures it; parafrac-cli does not
  std::map<std::string, std::string, std::less<>> settings;  // the strategy's own (StrategySettings)
  bool exact = true;  // the serial strategy's image bit for bit (Strategy::exact)
};

// Everything a Parafrac PNG says about itself.
struct PictureMetadata {
  std::string software;            // the writer and its version, "Parafrac 0.9.0"
  std::string preset = "default";  // parafrac-cli's --preset; the app's pictures are all "default"
  std::string description;         // one line for people; left out when empty
  std::optional<View> view;        // where the picture looks; none for the seed and bg presets,
                                   // which sample grids of their own
  int width = 0, height = 0;       // the image's size when there is no view (a view has its own)
  std::uint32_t max_iter = 0;
  Colouring colouring;
  std::optional<RenderRecord> render;  // none for a screenshot taken before any render finished
};

// The text of a Parafrac PNG: Software, preset, description, the view (center, scale), size,
// max_iter, palette, palette_offset, then the render's strategy, workers, tile, render_seconds,
// cpu_seconds when known, strategy_settings when it has any and exact = no when it is not the
// serial image.
TextChunks picture_metadata(const PictureMetadata& picture);
// The view's part alone: parafrac.center, parafrac.scale, parafrac.size and parafrac.max_iter.
TextChunks view_metadata(const View& view, std::uint32_t max_iter);

struct SavedView {
  View view;
  std::optional<std::uint32_t> max_iter;
  std::optional<Colouring> colouring;  // when the image names its palette; without a
                                       // parafrac.palette_offset (older images), offset 0
};

// Reads back what picture_metadata wrote. Throws Error when the text has no Parafrac view (say, an
// image from another program, or a preset render) or holds a value that is not a valid one.
SavedView read_view_metadata(const TextChunks& text);

}  // namespace parafrac
