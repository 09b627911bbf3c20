#pragma once
// Numbers as people read them and as files keep them: the shortest text that reads back as the
// very same number, so -0.743643887 stays -0.743643887 (not -0.74364388699999995) and a scale of
// 8e-13 does not print as 0.000000. One function for the CLI, the app and PNG metadata.
#include <string>

namespace parafrac {

// The shortest decimal form from which std::from_chars (and so parse_number) gives back exactly
// `value`: std::to_chars without a precision, which picks plain or exponent notation, whichever
// is shorter ("2.5", "-0.743643887", "8e-13", "1e+20"). Non-finite values read "nan", "inf",
// "-inf".
std::string shortest(double value);
// The same for a float (a palette offset): 0.05f reads "0.05", not the double's
// 0.05000000074505806.
std::string shortest(float value);
// `value` in fixed notation with the fewest decimals that still tell apart two values `step`
// apart (a pixel's width at the view's scale), so a cursor readout shows what the pixel under it
// pins down and no noise: -0.744 at the default view, 17 decimals at a scale of 1e-13.
std::string to_resolution(double value, double step);

}  // namespace parafrac
