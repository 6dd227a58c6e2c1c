// SPDX-License-Identifier: MIT
#include "outputs/kms/gl_import_check.h"

#include <cstdio>
#include <optional>

#include "outputs/kms/egl_gbm.h"
#include "outputs/kms/gbm_surface.h"
#include "render/egl_device_display.h"
#include "render/gles_renderer.h"
#include "render/offscreen_target.h"
#include "udmaview/clock.h"
#include "udmaview/udmabuf.h"

namespace udmaview::kms {

namespace {

constexpr uint32_t xrgb8888 = make_fourcc('X', 'R', '2', '4');

// A small picture: LLVM compiles the blit shader on first use, which is slow on an emulated
// CPU, and the import path's fate does not depend on the size.
constexpr uint32_t probe_size = 64;
constexpr uint32_t probe_pixels = probe_size * probe_size;

// Every pixel's channels differ from its neighbours', so a wrong stride, offset or channel
// order shows. Round 1 inverts them: what the memfd holds after the change.
uint32_t probe_pixel(uint32_t x, uint32_t y, int round) {
    const uint32_t v = (x * 4 + 1) << 16 | (y * 4 + 2) << 8 | ((x + y) * 2 + 3);
    return round ? ~v & 0xffffffu : v;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20)
            out += c;
    }
    return out + "\"";
}

GlImportReport fail(GlImportReport r, GlImportOutcome outcome, const std::string& why) {
    r.outcome = outcome;
    r.reason = why;
    return r;
}

// The part common to every display: import, draw, compare, change the memfd, draw, compare.
GlImportReport sample(GlImportReport r, EGLDisplay display, bool import_memfd) {
    std::optional<Udmabuf> udmabuf;
    if (Result<Udmabuf> u = Udmabuf::open())
        udmabuf = std::move(*u);
    else if (!import_memfd)
        return fail(r, GlImportNoSetup, u.error().message);
    const Layout layout{.width = probe_size,
                        .height = probe_size,
                        .stride = probe_size * 4,
                        .offset = 0,
                        .format = find_format(xrgb8888),
                        .modifier = modifier_linear,
                        .y0_top = true};
    Result<OwnedBuffer> owned = OwnedBuffer::create(
        "udmaview-gl-probe", layout, udmabuf ? &*udmabuf : nullptr, "the GL import probe");
    if (!owned || (udmabuf && !owned->buffer->dmabuf()))
        return fail(r, GlImportNoSetup,
                    owned ? "no udmabuf was made of the probe's memfd" : owned.error().message);
    r.buffer = owned->buffer->dmabuf() ? "udmabuf" : "memfd";
    Result<OffscreenTarget> target = OffscreenTarget::create(probe_size, probe_size);
    if (!target)
        return fail(r, GlImportNoSetup, target.error().message);
    Result<std::unique_ptr<GlesRenderer>> gl =
        GlesRenderer::create(display, RendererOptions{.scale = ScaleMode::None,
                                                      .linear = false,
                                                      .allow_import = true,
                                                      .import_memfd = import_memfd,
                                                      .verbose = false});
    if (!gl)
        return fail(r, GlImportNoSetup, gl.error().message);
    GlesRenderer& renderer = **gl;
    r.driver += " / " + renderer.gl_renderer();
    if (!renderer.can_import())
        return fail(r, GlImportRefused,
                    "no EGL_EXT_image_dma_buf_import or GL_OES_EGL_image on this display");
    auto* px = reinterpret_cast<uint32_t*>(owned->pixels.data());
    for (int round = 0; round < 2; ++round) {
        for (uint32_t y = 0; y < probe_size; ++y)
            for (uint32_t x = 0; x < probe_size; ++x)
                px[y * probe_size + x] = probe_pixel(x, y, round);
        const Frame frame{.seq = uint64_t(round + 1),
                          .buffer = owned->buffer,
                          .damage = Region(layout.bounds()),
                          .produced_ns = now_ns(),
                          .source_bytes_copied = 0};
        SubmitStats stats;
        if (Status s = renderer.update(frame, stats); !s)
            return fail(r, GlImportRefused, s.error().message);
        if (renderer.current_path() != "dma-buf import")
            return fail(r, GlImportRefused, "eglCreateImage or the texture refused the buffer");
        if (round == 1 && (stats.imports != 0 || stats.bytes_copied != 0))
            return fail(r, GlImportDiffers, "the changed buffer needed a new import or a copy");
        target->bind();
        renderer.draw(probe_size, probe_size); // where llvmpipe on kms_swrast crashes
        const RgbaImage got = renderer.read_pixels(probe_size, probe_size);
        uint32_t differ = 0;
        for (uint32_t y = 0; y < probe_size; ++y)
            for (uint32_t x = 0; x < probe_size; ++x) {
                const uint32_t want = probe_pixel(x, y, round);
                const uint8_t* p = got.at(x, y);
                differ += p[0] != uint8_t(want >> 16) || p[1] != uint8_t(want >> 8) ||
                          p[2] != uint8_t(want);
            }
        if (differ)
            return fail(r, GlImportDiffers,
                        std::to_string(differ) + " of " + std::to_string(probe_pixels) +
                            " pixels read back differ from the buffer" +
                            (round ? " after the memfd changed" : ""));
    }
    r.outcome = GlImportUsable;
    r.reason = "a " + std::to_string(probe_size) + "x" + std::to_string(probe_size) + " XRGB8888 " +
               r.buffer +
               " imported as an EGLImage was sampled exactly, and a change of its memfd showed "
               "without a new import or copy (zero copy)";
    return r;
}

GlImportReport check_device() {
    GlImportReport r;
    r.display = "device:software";
    Result<std::unique_ptr<EglDeviceDisplay>> egl = EglDeviceDisplay::open(EglDevicePick::Software);
    if (!egl)
        return fail(r, GlImportNoSetup, egl.error().message);
    r.driver = (*egl)->driver();
    return sample(r, (*egl)->display(), true);
}

GlImportReport check_card(const std::string& card_path) {
    GlImportReport r;
    r.display = "gbm:" + card_path;
    Result<std::unique_ptr<DrmDevice>> dev = DrmDevice::open(card_path);
    if (!dev)
        return fail(r, GlImportNoSetup, dev.error().message);
    Result<std::unique_ptr<GbmDevice>> gbm = GbmDevice::create(**dev);
    if (!gbm)
        return fail(r, GlImportNoSetup, gbm.error().message);
    Result<std::unique_ptr<EglGbm>> egl = EglGbm::create((*gbm)->get(), nullptr, xrgb8888);
    if (!egl)
        return fail(r, GlImportNoSetup, egl.error().message);
    r.driver = (*egl)->describe();
    return sample(r, (*egl)->display(), false);
}

} // namespace

std::string GlImportReport::json() const {
    const char* verdict = outcome == GlImportUsable    ? "usable"
                          : outcome == GlImportRefused ? "refused"
                          : outcome == GlImportDiffers ? "differs"
                                                       : "no-setup";
    return "{\"verdict\": " + quoted(verdict) + ", \"display\": " + quoted(display) +
           ", \"driver\": " + quoted(driver) + ", \"buffer\": " + quoted(buffer) +
           ", \"reason\": " + quoted(reason) + "}";
}

GlImportReport check_gl_import(const std::string& target) {
    return target == "device" ? check_device() : check_card(target);
}

} // namespace udmaview::kms
