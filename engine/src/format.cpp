#include "parafrac/format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace parafrac {
namespace {

template <typename Number>
std::string shortest_of(Number value) {
  // Room enough: the longest double, "-2.2250738585072014e-308", is 24 characters.
  char text[32];
  return {text, std::to_chars(text, text + sizeof text, value).ptr};
}

}  // namespace

std::string shortest(double value) { return shortest_of(value); }

std::string shortest(float value) { return shortest_of(value); }

std::string to_resolution(double value, double step) {
  // Digits down to half a step: neighbours then differ in the last one shown.
  const double places = std::isfinite(step) && step > 0 ? std::ceil(-std::log10(step / 2)) : 17;
  char text[400];  // fixed notation of the largest double (309 digits) and 20 decimals
  const auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed,
                                 static_cast<int>(std::clamp(places, 0.0, 20.0)));
  return {text, end.ptr};
}

}  // namespace parafrac
