// SPDX-License-Identifier: MIT
#include "sources/region/region_spec.h"

#include <cerrno>
#include <charconv>
#include <vector>

#include "cli/options.h"

namespace udmaview {

namespace {

Error bad(const std::string& text, const std::string& why) {
    return Error{"--source region:" + text + ": " + why +
                     " (expected region:PATH,size=WxH[,offset=N][,format=FMT][,stride=N])",
                 EINVAL};
}

bool parse_u64(const std::string& s, uint64_t& out) {
    int base = 10;
    size_t skip = 0;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, skip = 2;
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data() + skip, end, out, base);
    return !s.empty() && skip < s.size() && ec == std::errc() && ptr == end;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    size_t pos = 0;
    for (;;) {
        size_t next = s.find(sep, pos);
        parts.push_back(s.substr(pos, next - pos));
        if (next == std::string::npos)
            return parts;
        pos = next + 1;
    }
}

} // namespace

Result<RegionSpec> RegionSpec::parse(const std::string& text) {
    std::vector<std::string> fields = split(text, ',');
    RegionSpec spec;
    spec.path = fields[0];
    if (spec.path.empty())
        return bad(text, "no file path");
    bool have_size = false;
    for (size_t i = 1; i < fields.size(); ++i) {
        const size_t eq = fields[i].find('=');
        if (eq == std::string::npos)
            return bad(text, "'" + fields[i] + "' is not key=value");
        const std::string key = fields[i].substr(0, eq), value = fields[i].substr(eq + 1);
        uint64_t number = 0;
        if (key == "offset") {
            if (!parse_u64(value, spec.offset))
                return bad(text, "offset '" + value + "' is not a number");
        } else if (key == "stride") {
            if (!parse_u64(value, number) || number == 0 || number > (1u << 20))
                return bad(text, "stride '" + value + "' is not a number from 1 to 1048576");
            spec.stride = uint32_t(number);
        } else if (key == "size") {
            if (Status s = parse_size(value, spec.width, spec.height); !s)
                return bad(text, "size '" + value + "' is not WxH with 1..16384 each");
            have_size = true;
        } else if (key == "format") {
            Result<const Format*> f = parse_format(value);
            if (!f)
                return bad(text, f.error().message);
            spec.format = *f;
        } else {
            return bad(text, "unknown key '" + key + "'");
        }
    }
    if (!have_size)
        return bad(text, "size=WxH is required");
    if (!spec.format)
        spec.format = find_format(make_fourcc('X', 'R', '2', '4'));
    const uint64_t row = uint64_t(spec.width) * spec.format->bytes_per_pixel;
    if (!spec.stride)
        spec.stride = uint32_t(row);
    if (spec.stride < row)
        return bad(text, "stride " + std::to_string(spec.stride) + " is smaller than width × " +
                             std::to_string(spec.format->bytes_per_pixel) + " bytes (" +
                             std::to_string(row) + ")");
    return spec;
}

std::string RegionSpec::to_string() const {
    return path + " offset " + std::to_string(offset) + " " + std::to_string(width) + "x" +
           std::to_string(height) + " stride " + std::to_string(stride) + " " +
           std::string(format->name);
}

} // namespace udmaview
