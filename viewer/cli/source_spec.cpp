// SPDX-License-Identifier: MIT
#include "cli/source_spec.h"

#include <cerrno>
#include <cstdint>
#include <vector>

#include "udmaview/format.h"
#include "udmaview/parse.h"

namespace udmaview {

namespace {

Error bad_region(std::string_view text, const std::string& why) {
    return Error{"--source region:" + std::string(text) + ": " + why +
                     " (expected region:PATH,size=WxH[,offset=N][,format=FMT][,stride=N])",
                 EINVAL};
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    for (;;) {
        const size_t next = s.find(sep);
        parts.push_back(s.substr(0, next));
        if (next == std::string_view::npos)
            return parts;
        s.remove_prefix(next + 1);
    }
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

} // namespace

Result<RegionSpec> parse_region_spec(std::string_view text) {
    const std::vector<std::string_view> fields = split(text, ',');
    RegionSpec spec;
    spec.path = std::string(fields[0]);
    if (spec.path.empty())
        return bad_region(text, "no file path");
    bool have_size = false;
    for (size_t i = 1; i < fields.size(); ++i) {
        const std::string field(fields[i]);
        const size_t eq = field.find('=');
        if (eq == std::string::npos)
            return bad_region(text, "'" + field + "' is not key=value");
        const std::string key = field.substr(0, eq), value = field.substr(eq + 1);
        if (key == "offset") {
            Result<uint64_t> offset = parse_uint(value, 0, UINT64_MAX, true);
            if (!offset)
                return bad_region(text, "offset '" + value + "' is not a number");
            spec.offset = *offset;
        } else if (key == "stride") {
            Result<uint64_t> stride = parse_uint(value, 1, 1u << 20, true);
            if (!stride)
                return bad_region(text, "stride '" + value + "' is not a number from 1 to 1048576");
            spec.stride = uint32_t(*stride);
        } else if (key == "size") {
            Result<Size> size = parse_size(value);
            if (!size)
                return bad_region(text, "size '" + value + "' is not WxH with 1..16384 each");
            spec.width = size->width;
            spec.height = size->height;
            have_size = true;
        } else if (key == "format") {
            Result<const Format*> f = parse_format(value);
            if (!f)
                return bad_region(text, f.error().message);
            spec.format = *f;
        } else {
            return bad_region(text, "unknown key '" + key + "'");
        }
    }
    if (!have_size)
        return bad_region(text, "size=WxH is required");
    if (!spec.format)
        spec.format = find_format(make_fourcc('X', 'R', '2', '4'));
    const uint64_t row = uint64_t(spec.width) * spec.format->bytes_per_pixel;
    if (!spec.stride)
        spec.stride = uint32_t(row);
    if (spec.stride < row)
        return bad_region(text, "stride " + std::to_string(spec.stride) +
                                    " is smaller than width × " +
                                    std::to_string(spec.format->bytes_per_pixel) + " bytes (" +
                                    std::to_string(row) + ")");
    return spec;
}

Result<SourceSpec> parse_source_spec(std::string_view text) {
    SourceSpec spec;
    spec.text = std::string(text);
    if (text == "demo")
        return spec;
    if (starts_with(text, "region:")) {
        Result<RegionSpec> region = parse_region_spec(text.substr(7));
        if (!region)
            return region.error();
        spec.kind = SourceSpec::Kind::Region;
        spec.region = std::move(*region);
        return spec;
    }
    if (text == "qemu") {
        spec.kind = SourceSpec::Kind::Qemu;
        return spec;
    }
    if (starts_with(text, "qemu:") || starts_with(text, "qemu-p2p:")) {
        spec.kind = SourceSpec::Kind::Qemu;
        spec.qemu_p2p = starts_with(text, "qemu-p2p:");
        spec.qemu_address = std::string(text.substr(spec.qemu_p2p ? 9 : 5));
        if (spec.qemu_address.empty())
            return Error{spec.qemu_p2p
                             ? "--source qemu-p2p:QMP_SOCKET: the QMP socket path is empty"
                             : "--source qemu:ADDRESS: the D-Bus address is empty",
                         EINVAL};
        return spec;
    }
    if (starts_with(text, "libvirt:")) {
        spec.kind = SourceSpec::Kind::Libvirt;
        spec.domain = std::string(text.substr(8));
        if (spec.domain.empty())
            return Error{"--source libvirt:DOMAIN: the domain name or UUID is empty", EINVAL};
        return spec;
    }
    return Error{"--source: '" + std::string(text) +
                     "' is not demo, region:SPEC, qemu[:ADDRESS], qemu-p2p:QMP_SOCKET or "
                     "libvirt:DOMAIN",
                 EINVAL};
}

} // namespace udmaview
