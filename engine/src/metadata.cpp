#include "parafrac/metadata.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "parafrac/error.hpp"
#include "parafrac/kernel.hpp"
#include "parafrac/parse.hpp"

namespace parafrac {
namespace {

std::string exact(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

const std::string* find(const TextChunks& text, std::string_view key) {
  for (const auto& [name, value] : text)
    if (name == key) return &value;
  return nullptr;
}

}  // namespace

TextChunks::value_type max_iter_metadata(std::uint32_t max_iter) {
  return {"parafrac.max_iter", std::to_string(max_iter)};
}

TextChunks view_metadata(const View& view, std::uint32_t max_iter) {
  return {{"parafrac.center", exact(view.center_re) + "," + exact(view.center_im)},
          {"parafrac.scale", exact(view.scale)},
          {"parafrac.size", std::to_string(view.width) + "x" + std::to_string(view.height)},
          max_iter_metadata(max_iter)};
}

SavedView read_view_metadata(const TextChunks& text) {
  const std::string* center = find(text, "parafrac.center");
  const std::string* scale = find(text, "parafrac.scale");
  if (!center || !scale) throw Error("the image carries no Parafrac view (no parafrac.center and parafrac.scale)");
  SavedView saved;
  std::tie(saved.view.center_re, saved.view.center_im) = parse_point(*center, "the image's parafrac.center");
  saved.view.scale = parse_number<double>(*scale, "the image's parafrac.scale");
  if (const std::string* size = find(text, "parafrac.size"))
    std::tie(saved.view.width, saved.view.height) = parse_size(*size, "the image's parafrac.size");
  if (const std::string* max_iter = find(text, "parafrac.max_iter")) {
    const auto value = parse_number<std::uint32_t>(*max_iter, "the image's parafrac.max_iter");
    if (value < 1 || value > kMaxIterationsLimit) throw Error("the image's parafrac.max_iter is out of range");
    saved.max_iter = value;
  }
  saved.view.validate();
  return saved;
}

}  // namespace parafrac
