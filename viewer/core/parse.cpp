// SPDX-License-Identifier: MIT
#include "udmaview/parse.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace udmaview {

namespace {

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

std::string number_text(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        return std::to_string(int64_t(v));
    return std::to_string(v);
}

} // namespace

Result<uint64_t> parse_uint(std::string_view text, uint64_t min, uint64_t max, bool hex_prefix) {
    int base = 10;
    std::string_view digits = text;
    if (hex_prefix && digits.size() > 2 && digits[0] == '0' &&
        (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        digits.remove_prefix(2);
    }
    uint64_t value = 0;
    const char* end = digits.data() + digits.size();
    auto [ptr, ec] = std::from_chars(digits.data(), end, value, base);
    if (digits.empty() || ec != std::errc() || ptr != end || value < min || value > max)
        return Error{quoted(text) + " is not a number from " + std::to_string(min) + " to " +
                         std::to_string(max),
                     EINVAL};
    return value;
}

Result<double> parse_double(std::string_view text, double min, double max) {
    const std::string copy(text); // strtod needs a terminated string
    char* end = nullptr;
    errno = 0;
    const double value = copy.empty() ? 0 : std::strtod(copy.c_str(), &end);
    const bool whole = !copy.empty() && end == copy.c_str() + copy.size() && errno == 0;
    if (!whole || !std::isfinite(value) || value < min || value > max)
        return Error{quoted(text) + " is not a number from " + number_text(min) + " to " +
                         number_text(max),
                     EINVAL};
    return value;
}

Result<Size> parse_size(std::string_view text) {
    const size_t x = text.find('x');
    if (x == std::string_view::npos)
        return Error{quoted(text) + " is not WIDTHxHEIGHT (e.g. 1280x720)", EINVAL};
    Result<uint64_t> w = parse_uint(text.substr(0, x), 1, 16384);
    Result<uint64_t> h = parse_uint(text.substr(x + 1), 1, 16384);
    if (!w || !h)
        return Error{quoted(text) + " needs width and height from 1 to 16384 (e.g. 1280x720)",
                     EINVAL};
    return Size{uint32_t(*w), uint32_t(*h)};
}

} // namespace udmaview
