#include "parafrac/parse.hpp"

#include <cmath>

#include "parafrac/view.hpp"

namespace parafrac {

std::pair<double, double> parse_point(std::string_view text, const std::string& what) {
  const std::size_t comma = text.find(',');
  if (comma == std::string_view::npos) throw Error(what + ": expected RE,IM, got '" + std::string(text) + "'");
  const auto re = parse_number<double>(text.substr(0, comma), what);
  const auto im = parse_number<double>(text.substr(comma + 1), what);
  if (!std::isfinite(re) || !std::isfinite(im)) throw Error(what + ": '" + std::string(text) + "' is not finite");
  return {re, im};
}

std::pair<int, int> parse_size(std::string_view text, const std::string& what) {
  const std::size_t x = text.find_first_of("xX");
  if (x == std::string_view::npos) throw Error(what + ": expected WIDTHxHEIGHT, got '" + std::string(text) + "'");
  const auto width = parse_number<long long>(text.substr(0, x), what);
  const auto height = parse_number<long long>(text.substr(x + 1), what);
  validate_image_size(width, height);
  return {static_cast<int>(width), static_cast<int>(height)};
}

}  // namespace parafrac
