// SPDX-License-Identifier: MIT
#include "render/pixman_format.h"

#include <cerrno>
#include <string>

namespace udmaview {

namespace {

struct Entry {
    uint32_t fourcc;
    pixman_format_code_t opaque, target;
};

// Little-endian DRM words against pixman's native-endian words (pixman names channels from
// the most significant bit; 24 bpp formats name the bytes of a 3-byte word).
constexpr Entry table[] = {
    {make_fourcc('X', 'R', '2', '4'), PIXMAN_x8r8g8b8, PIXMAN_x8r8g8b8},
    {make_fourcc('A', 'R', '2', '4'), PIXMAN_x8r8g8b8, PIXMAN_a8r8g8b8},
    {make_fourcc('X', 'B', '2', '4'), PIXMAN_x8b8g8r8, PIXMAN_x8b8g8r8},
    {make_fourcc('A', 'B', '2', '4'), PIXMAN_x8b8g8r8, PIXMAN_a8b8g8r8},
    {make_fourcc('R', 'X', '2', '4'), PIXMAN_r8g8b8x8, PIXMAN_r8g8b8x8},
    {make_fourcc('B', 'X', '2', '4'), PIXMAN_b8g8r8x8, PIXMAN_b8g8r8x8},
    {make_fourcc('R', 'G', '2', '4'), PIXMAN_r8g8b8, PIXMAN_r8g8b8},
    {make_fourcc('B', 'G', '2', '4'), PIXMAN_b8g8r8, PIXMAN_b8g8r8},
    {make_fourcc('R', 'G', '1', '6'), PIXMAN_r5g6b5, PIXMAN_r5g6b5},
};

const Entry* find(uint32_t fourcc) {
    for (const Entry& e : table)
        if (e.fourcc == fourcc)
            return &e;
    return nullptr;
}

Error refusal(uint32_t fourcc, const char* role) {
    const Format* f = find_format(fourcc);
    const std::string name =
        f ? std::string(f->name) : std::string(f ? "" : "fourcc ") + std::to_string(fourcc);
    return Error{std::string("pixman: ") + role + " format " + name +
                     " has no pixman equivalent; use a source/screen in XRGB8888 or RGB565",
                 ENOTSUP};
}

} // namespace

Result<pixman_format_code_t> pixman_source_format(const Format& format) {
    const Entry* e = find(format.fourcc);
    if (!e)
        return refusal(format.fourcc, "source");
    return e->opaque;
}

Result<pixman_format_code_t> pixman_target_format(uint32_t fourcc) {
    const Entry* e = find(fourcc);
    if (!e)
        return refusal(fourcc, "target");
    return e->target;
}

} // namespace udmaview
