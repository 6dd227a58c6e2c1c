// SPDX-License-Identifier: MIT
#include "sources/qemu/pixman_format.h"

#include <array>
#include <cstdio>

namespace udmaview::qemu {

namespace {

// pixman types (pixman.h): ARGB = 2, ABGR = 3, BGRA = 8, RGBA = 9.
struct Entry {
    uint32_t pixman;
    const char* pixman_name;
    uint32_t fourcc;
};
constexpr std::array<Entry, 12> table{{
    {pixman_code(32, 2, 0, 8, 8, 8), "x8r8g8b8", make_fourcc('X', 'R', '2', '4')},
    {pixman_code(32, 2, 8, 8, 8, 8), "a8r8g8b8", make_fourcc('A', 'R', '2', '4')},
    {pixman_code(32, 3, 0, 8, 8, 8), "x8b8g8r8", make_fourcc('X', 'B', '2', '4')},
    {pixman_code(32, 3, 8, 8, 8, 8), "a8b8g8r8", make_fourcc('A', 'B', '2', '4')},
    {pixman_code(32, 8, 0, 8, 8, 8), "b8g8r8x8", make_fourcc('B', 'X', '2', '4')},
    {pixman_code(32, 8, 8, 8, 8, 8), "b8g8r8a8", make_fourcc('B', 'A', '2', '4')},
    {pixman_code(32, 9, 0, 8, 8, 8), "r8g8b8x8", make_fourcc('R', 'X', '2', '4')},
    {pixman_code(32, 9, 8, 8, 8, 8), "r8g8b8a8", make_fourcc('R', 'A', '2', '4')},
    {pixman_code(24, 2, 0, 8, 8, 8), "r8g8b8", make_fourcc('R', 'G', '2', '4')},
    {pixman_code(24, 3, 0, 8, 8, 8), "b8g8r8", make_fourcc('B', 'G', '2', '4')},
    {pixman_code(16, 2, 0, 5, 6, 5), "r5g6b5", make_fourcc('R', 'G', '1', '6')},
    {pixman_code(16, 2, 0, 5, 5, 5), "x1r5g5b5", make_fourcc('X', 'R', '1', '5')},
}};

const Entry* find(uint32_t pixman_format) {
    for (const Entry& e : table)
        if (e.pixman == pixman_format)
            return &e;
    return nullptr;
}

} // namespace

const Format* format_from_pixman(uint32_t pixman_format) {
    const Entry* e = find(pixman_format);
    if (!e)
        return nullptr;
    const Format* f = find_format(e->fourcc);
    // The pixman bpp must agree with the table's, or a row would be read with the wrong width.
    if (f && f->bpp() != (pixman_format >> 24))
        return nullptr;
    return f;
}

std::string describe_pixman(uint32_t pixman_format) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08x", pixman_format);
    const Entry* e = find(pixman_format);
    return std::string(hex) + " (" + (e ? e->pixman_name : "unknown pixman format") + ")";
}

} // namespace udmaview::qemu
