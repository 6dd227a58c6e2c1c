// SPDX-License-Identifier: MIT
// What the kms_vm_check commands share: TAP checks, QMP screendumps, picture comparison,
// command-line lookups and synthetic udmabuf pictures the test writes into directly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "udmaview/frame.h"
#include "udmaview/mapping.h"
#include "udmaview/png.h"
#include "udmaview/region.h"

namespace udmaview::vmcheck {

// Prints a TAP line ("ok - what" / "not ok - what"); failures are counted.
void check(bool ok, const std::string& what);
int failed_checks();

// A QMP screendump of the guest display to path (through the host's vmctl).
bool screendump(const std::string& path);

struct Diff {
    uint64_t pixels = 0;
    Rect bounds;
};
// Compares b against a placed at (ox, oy) inside b (same size: 0, 0); RGB only. Parts of a
// outside b are not compared (a negative offset compares a crop of a).
Diff diff(const RgbaImage& a, const RgbaImage& b, int32_t ox = 0, int32_t oy = 0);

// The value after name in args, or fallback.
std::string arg_after(std::vector<std::string>& args, const std::string& name,
                      const std::string& fallback);
bool has_flag(const std::vector<std::string>& args, const std::string& name);

// An XRGB8888 picture in a memfd (with a udmabuf dma-buf when asked), mapped writable.
struct Picture {
    std::shared_ptr<const Buffer> buffer;
    Mapping pixels;
    Layout layout;
};
Result<Picture> make_picture(uint32_t w, uint32_t h, bool with_dmabuf);
uint32_t pattern_pixel(uint32_t x, uint32_t y); // a pattern where every pixel tells its place
void fill(Picture& p, const Rect& r, uint32_t (*pixel)(uint32_t, uint32_t));
RgbaImage expected_image(const Picture& p);
// The damage checks' change: a small rect in the middle (magenta, to be declared as the
// frame's damage) and another near the top left (green, left undeclared: it must not show).
struct DamageProbe {
    Rect declared, undeclared;
};
DamageProbe paint_damage_probe(Picture& p);

} // namespace udmaview::vmcheck
