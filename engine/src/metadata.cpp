#include "parafrac/metadata.hpp"

#include <algorithm>
#include <string>

#include "parafrac/error.hpp"
#include "parafrac/format.hpp"
#include "parafrac/kernel.hpp"
#include "parafrac/palette.hpp"
#include "parafrac/parse.hpp"

namespace parafrac {
namespace {

TextChunks::value_type entry(std::string_view key, std::string value) {
  return {std::string(key), std::move(value)};
}

std::string size_text(int width, int height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

const std::string* find(const TextChunks& text, std::string_view key) {
  for (const auto& [name, value] : text)
    if (name == key) return &value;
  return nullptr;
}

// "the image's parafrac.palette": how a bad value is named in an error.
std::string named(std::string_view key) { return "the image's " + std::string(key); }

std::optional<Colouring> read_colouring(const TextChunks& text) {
  const std::string* palette = find(text, metadata_key::palette);
  if (!palette) return std::nullopt;
  const auto& known = palettes();
  if (std::none_of(known.begin(), known.end(),
                   [&](const Palette& p) { return p.name == *palette; }))
    throw Error(named(metadata_key::palette) + ": no palette is called '" + *palette + "'");
  Colouring colouring{*palette, 0.0f};
  if (const std::string* offset = find(text, metadata_key::palette_offset)) {
    colouring.offset = parse_number<float>(*offset, named(metadata_key::palette_offset));
    if (!(colouring.offset >= 0.0f && colouring.offset <= 1.0f))
      throw Error(named(metadata_key::palette_offset) + " must be between 0 and 1, not " + *offset);
  }
  return colouring;
}

}  // namespace

TextChunks view_metadata(const View& view, std::uint32_t max_iter) {
  return {entry(metadata_key::center, shortest(view.center_re) + "," + shortest(view.center_im)),
          entry(metadata_key::scale, shortest(view.scale)),
          entry(metadata_key::size, size_text(view.width, view.height)),
          entry(metadata_key::max_iter, std::to_string(max_iter))};
}

TextChunks picture_metadata(const PictureMetadata& picture) {
  TextChunks text = {entry(metadata_key::software, picture.software),
                     entry(metadata_key::preset, picture.preset)};
  if (!picture.description.empty())
    text.push_back(entry(metadata_key::description, picture.description));
  const TextChunks view =
      picture.view ? view_metadata(*picture.view, picture.max_iter)
                   : TextChunks{entry(metadata_key::size, size_text(picture.width, picture.height)),
                                entry(metadata_key::max_iter, std::to_string(picture.max_iter))};
  text.insert(text.end(), view.begin(), view.end());
  text.push_back(entry(metadata_key::palette, picture.colouring.palette));
  text.push_back(entry(metadata_key::palette_offset, shortest(picture.colouring.offset)));
  if (const auto& render = picture.render) {
    text.push_back(entry(metadata_key::strategy, render->strategy));
    text.push_back(entry(metadata_key::workers, std::to_string(render->workers)));
    text.push_back(entry(metadata_key::tile, std::to_string(render->tile)));
    text.push_back(entry(metadata_key::render_seconds, shortest(render->wall_seconds)));
    if (render->cpu_seconds)
      text.push_back(entry(metadata_key::cpu_seconds, shortest(*render->cpu_seconds)));
    std::string settings;
    for (const auto& [name, value] : render->settings) settings += (settings.empty() ? "" : ",") + name + "=" + value;
    if (!settings.empty()) text.push_back(entry(metadata_key::strategy_settings, settings));
    if (!render->exact) text.push_back(entry(metadata_key::exact, "no"));
  }
  return text;
}

SavedView read_view_metadata(const TextChunks& text) {
  const std::string* center = find(text, metadata_key::center);
  const std::string* scale = find(text, metadata_key::scale);
  if (!center || !scale)
    throw Error("the image carries no Parafrac view (no parafrac.center and parafrac.scale)");
  SavedView saved;
  std::tie(saved.view.center_re, saved.view.center_im) =
      parse_point(*center, named(metadata_key::center));
  saved.view.scale = parse_number<double>(*scale, named(metadata_key::scale));
  if (const std::string* size = find(text, metadata_key::size))
    std::tie(saved.view.width, saved.view.height) = parse_size(*size, named(metadata_key::size));
  if (const std::string* max_iter = find(text, metadata_key::max_iter)) {
    const auto value = parse_number<std::uint32_t>(*max_iter, named(metadata_key::max_iter));
    if (value < 1 || value > kMaxIterationsLimit)
      throw Error(named(metadata_key::max_iter) + " is out of range");
    saved.max_iter = value;
  }
  saved.colouring = read_colouring(text);
  saved.view.validate();
  return saved;
}

}  // namespace parafrac
