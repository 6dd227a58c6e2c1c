// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace udmaview {

// A pointer image defined by the guest (QEMU CursorDefine): ARGB8888 (0xAARRGGBB words in
// native byte order, not premultiplied), rows top to bottom, tightly packed.
struct CursorImage {
    uint32_t width = 0, height = 0;
    int32_t hot_x = 0, hot_y = 0; // the pixel of the image that points
    std::vector<uint32_t> pixels; // width * height
};

// What an output needs to draw the guest's pointer: its image and where its hot spot is, in
// source pixel coordinates. Outputs that draw no cursor ignore it.
struct CursorState {
    std::shared_ptr<const CursorImage> image; // null: no image defined (yet)
    int32_t x = 0, y = 0;
    bool visible = false;
};

} // namespace udmaview
