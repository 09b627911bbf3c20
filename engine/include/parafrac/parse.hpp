#pragma once
// Numbers and pairs of numbers from text, the one way for every front end and for PNG metadata:
// the whole text or nothing, an Error naming `what` ("--center", "the image's parafrac.scale")
// otherwise.
#include <charconv>
#include <string>
#include <string_view>
#include <utility>

#include "parafrac/error.hpp"

namespace parafrac {

template <typename Number>
Number parse_number(std::string_view text, const std::string& what) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size())
    throw Error(what + ": '" + std::string(text) + "' is not a number");
  return value;
}

// "RE,IM": two finite numbers.
std::pair<double, double> parse_point(std::string_view text, const std::string& what);
// "WIDTHxHEIGHT": a size validate_image_size() accepts.
std::pair<int, int> parse_size(std::string_view text, const std::string& what);

}  // namespace parafrac
