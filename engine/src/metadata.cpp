#include "parafrac/metadata.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "parafrac/error.hpp"
#include "parafrac/kernel.hpp"

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

template <typename Number>
Number number(std::string_view text, std::string_view key) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size())
    throw Error("the image's " + std::string(key) + " '" + std::string(text) + "' is not a number");
  return value;
}

// "A<separator>B" as two numbers.
template <typename Number>
std::pair<Number, Number> pair_of(const std::string& text, char separator, std::string_view key) {
  const std::size_t at = text.find(separator);
  if (at == std::string::npos) throw Error("the image's " + std::string(key) + " '" + text + "' is malformed");
  return {number<Number>(std::string_view(text).substr(0, at), key),
          number<Number>(std::string_view(text).substr(at + 1), key)};
}

}  // namespace

TextChunks view_metadata(const View& view, std::uint32_t max_iter) {
  return {{"parafrac.center", exact(view.center_re) + "," + exact(view.center_im)},
          {"parafrac.scale", exact(view.scale)},
          {"parafrac.size", std::to_string(view.width) + "x" + std::to_string(view.height)},
          {"parafrac.max_iter", std::to_string(max_iter)}};
}

SavedView read_view_metadata(const TextChunks& text) {
  const std::string* center = find(text, "parafrac.center");
  const std::string* scale = find(text, "parafrac.scale");
  if (!center || !scale) throw Error("the image carries no Parafrac view (no parafrac.center and parafrac.scale)");
  SavedView saved;
  std::tie(saved.view.center_re, saved.view.center_im) = pair_of<double>(*center, ',', "parafrac.center");
  saved.view.scale = number<double>(*scale, "parafrac.scale");
  if (const std::string* size = find(text, "parafrac.size"))
    std::tie(saved.view.width, saved.view.height) = pair_of<int>(*size, 'x', "parafrac.size");
  if (const std::string* max_iter = find(text, "parafrac.max_iter")) {
    const auto value = number<std::uint32_t>(*max_iter, "parafrac.max_iter");
    if (value < 1 || value > kMaxIterationsLimit) throw Error("the image's parafrac.max_iter is out of range");
    saved.max_iter = value;
  }
  saved.view.validate();
  return saved;
}

}  // namespace parafrac
