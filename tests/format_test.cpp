// Numbers as people read them: the shortest text that reads back as the very same number.
#include "parafrac/format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "parafrac/parse.hpp"

namespace parafrac {
namespace {

TEST(Shortest, WritesTheDigitsAPersonTypedAndNoMore) {
  EXPECT_EQ(shortest(-0.743643887), "-0.743643887") << "%.17g would say -0.74364388699999995";
  EXPECT_EQ(shortest(0.1), "0.1");
  EXPECT_EQ(shortest(2.5), "2.5");
  EXPECT_EQ(shortest(8e-13), "8e-13") << "%f would say 0.000000";
  EXPECT_EQ(shortest(1e20), "1e+20");
  EXPECT_EQ(shortest(0.0), "0");
  EXPECT_EQ(shortest(-0.0), "-0");
  EXPECT_EQ(shortest(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(shortest(std::nan("")), "nan");
}

TEST(Shortest, AFloatReadsAsTheFloatNotAsItsDouble) {
  EXPECT_EQ(shortest(0.05f), "0.05") << "the double 0.05f is 0.05000000074505806";
  EXPECT_EQ(shortest(1.0f), "1");
}

TEST(Shortest, EveryDoubleReadsBackExactly) {
  std::mt19937_64 random(11);
  std::uniform_int_distribution<int> exponent(-1074, 1023);
  std::uniform_real_distribution<double> mantissa(-2.0, 2.0);
  const double edges[] = {std::numeric_limits<double>::max(),
                          std::numeric_limits<double>::min(),
                          std::numeric_limits<double>::denorm_min(),
                          -2.2250738585072014e-308,
                          0.1 + 0.2,
                          1.0 / 3.0};
  for (double value : edges)
    EXPECT_EQ(parse_number<double>(shortest(value), "test"), value) << shortest(value);
  for (int i = 0; i < 100000; ++i) {
    const double value = std::ldexp(mantissa(random), exponent(random));
    ASSERT_EQ(parse_number<double>(shortest(value), "test"), value) << shortest(value);
  }
}

TEST(ToResolution, ShowsTheDigitsThatTellNeighbouringPixelsApartAndNoMore) {
  EXPECT_EQ(to_resolution(-0.74364388699999995, 2.5 / 720), "-0.744");
  EXPECT_EQ(to_resolution(0.25, 4.0), "0");
  EXPECT_EQ(to_resolution(0.25, 0.2), "0.2");
  for (const double step : {2.5 / 720, 1e-6 / 1080, 1e-12 / 720, 2.0}) {
    const std::string digits = to_resolution(-0.743643887037151, step);
    EXPECT_NE(digits, to_resolution(-0.743643887037151 + step, step)) << "step " << step;
    // No more decimals than half a step asks for: one fewer would show the same text for both.
    const std::size_t point = digits.find('.');
    const std::size_t decimals = point == std::string::npos ? 0 : digits.size() - point - 1;
    EXPECT_LE(std::pow(10.0, -static_cast<double>(decimals)), step / 2 * (1 + 1e-9)) << digits;
    EXPECT_GT(std::pow(10.0, -static_cast<double>(decimals) + 1), step / 2) << digits;
  }
}

}  // namespace
}  // namespace parafrac
