// SPDX-License-Identifier: MIT
#include "check_support.h"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sys/mman.h>
#include <unistd.h>

#include "udmaview/memfd.h"
#include "udmaview/udmabuf.h"

namespace udmaview::vmcheck {

namespace {

int failures = 0;

} // namespace

int failed_checks() {
    return failures;
}

void check(bool ok, const std::string& what) {
    std::cout << (ok ? "ok - " : "not ok - ") << what << std::endl;
    if (!ok)
        ++failures;
}

bool screendump(const std::string& path) {
    const char* vmctl = std::getenv("UDMAVIEW_VMCTL");
    if (!vmctl) {
        std::cerr << "kms_vm_check: UDMAVIEW_VMCTL is not set (run inside tests/vm/run)\n";
        return false;
    }
    ::unlink(path.c_str());
    const std::string cmd =
        "timeout 60 " + std::string(vmctl) + " screendump '" + path + "' >/dev/null";
    return std::system(cmd.c_str()) == 0;
}

Diff diff(const RgbaImage& a, const RgbaImage& b, int32_t ox, int32_t oy) {
    Diff d;
    for (uint32_t y = 0; y < a.height; ++y)
        for (uint32_t x = 0; x < a.width; ++x) {
            const int32_t bx = int32_t(x) + ox, by = int32_t(y) + oy;
            if (bx < 0 || by < 0 || bx >= int32_t(b.width) || by >= int32_t(b.height))
                continue;
            if (std::memcmp(a.at(x, y), b.at(uint32_t(bx), uint32_t(by)), 3) != 0) {
                ++d.pixels;
                d.bounds = d.bounds.bounding({bx, by, 1, 1});
            }
        }
    return d;
}

std::string arg_after(std::vector<std::string>& args, const std::string& name,
                      const std::string& fallback) {
    for (size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == name)
            return args[i + 1];
    return fallback;
}

bool has_flag(const std::vector<std::string>& args, const std::string& name) {
    for (const std::string& a : args)
        if (a == name)
            return true;
    return false;
}

Result<Picture> make_picture(uint32_t w, uint32_t h, bool with_dmabuf) {
    Picture p;
    p.layout.width = w;
    p.layout.height = h;
    p.layout.stride = w * 4;
    p.layout.format = find_format(make_fourcc('X', 'R', '2', '4'));
    std::optional<Udmabuf> dev;
    if (with_dmabuf) {
        Result<Udmabuf> opened = Udmabuf::open();
        if (!opened)
            return opened.error();
        dev = std::move(*opened);
    }
    Result<OwnedBuffer> owned =
        OwnedBuffer::create("kms-check", p.layout, dev ? &*dev : nullptr, "kms_vm_check");
    if (!owned)
        return owned.error();
    p.buffer = std::move(owned->buffer);
    p.pixels = std::move(owned->pixels);
    return p;
}

uint32_t pattern_pixel(uint32_t x, uint32_t y) {
    const uint32_t r = (x * 7) & 0xff, g = (y * 5) & 0xff,
                   b = ((x / 32 + y / 32) & 1) ? 0xc0 : 0x30;
    return r << 16 | g << 8 | b;
}

void fill(Picture& p, const Rect& r, uint32_t (*pixel)(uint32_t, uint32_t)) {
    auto* px = reinterpret_cast<uint32_t*>(p.pixels.data());
    for (int32_t y = r.y; y < r.bottom(); ++y)
        for (int32_t x = r.x; x < r.right(); ++x)
            px[size_t(y) * p.layout.width + size_t(x)] = pixel(uint32_t(x), uint32_t(y));
}

DamageProbe paint_damage_probe(Picture& p) {
    const uint32_t w = p.layout.width, h = p.layout.height;
    const DamageProbe probe{{int32_t(w) / 2 - 21, int32_t(h) / 2 - 13, 43, 27}, {16, 24, 40, 20}};
    fill(p, probe.declared, [](uint32_t, uint32_t) -> uint32_t { return 0xff00ff; });
    fill(p, probe.undeclared, [](uint32_t, uint32_t) -> uint32_t { return 0x00ff00; });
    return probe;
}

RgbaImage expected_image(const Picture& p) {
    return to_rgba(p.layout, p.pixels.data());
}

} // namespace udmaview::vmcheck
