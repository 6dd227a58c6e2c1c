// SPDX-License-Identifier: MIT
#include "outputs/kms/gl_import_check.h"

#include "outputs/kms/egl_gbm.h"
#include "outputs/kms/gbm_surface.h"
#include "render/gles_renderer.h"
#include "udmaview/clock.h"
#include "udmaview/udmabuf.h"

namespace udmaview::kms {

namespace {

constexpr uint32_t xrgb8888 = make_fourcc('X', 'R', '2', '4');

// A small picture: LLVM compiles the blit shader on first use, which is slow on an emulated
// CPU, and the import path's fate does not depend on the size.
constexpr uint32_t probe_size = 64;

// Every pixel's channels differ from its neighbours', so a wrong stride, offset or channel
// order shows.
uint32_t probe_pixel(uint32_t x, uint32_t y) {
    return (x * 4 + 1) << 16 | (y * 4 + 2) << 8 | ((x + y) * 2 + 3);
}

} // namespace

GlImportOutcome check_gl_import(const std::string& card_path) {
    Result<std::unique_ptr<DrmDevice>> dev = DrmDevice::open(card_path);
    if (!dev)
        return GlImportNoSetup;
    Result<std::unique_ptr<GbmDevice>> gbm = GbmDevice::create(**dev);
    if (!gbm)
        return GlImportNoSetup;
    Result<std::unique_ptr<EglGbm>> egl = EglGbm::create((*gbm)->get(), nullptr, xrgb8888);
    if (!egl)
        return GlImportNoSetup;
    Result<Udmabuf> udmabuf = Udmabuf::open();
    if (!udmabuf)
        return GlImportNoSetup;
    const Layout layout{.width = probe_size,
                        .height = probe_size,
                        .stride = probe_size * 4,
                        .offset = 0,
                        .format = find_format(xrgb8888),
                        .modifier = modifier_linear,
                        .y0_top = true};
    Result<OwnedBuffer> owned =
        OwnedBuffer::create("udmaview-gl-probe", layout, &*udmabuf, "the GL import probe");
    if (!owned || !owned->buffer->dmabuf())
        return GlImportNoSetup;
    auto* px = reinterpret_cast<uint32_t*>(owned->pixels.data());
    for (uint32_t y = 0; y < probe_size; ++y)
        for (uint32_t x = 0; x < probe_size; ++x)
            px[y * probe_size + x] = probe_pixel(x, y);

    GLuint id = 0;
    glGenRenderbuffers(1, &id);
    GlRenderbuffer colour(id);
    glGenFramebuffers(1, &id);
    GlFramebuffer fbo(id);
    glBindRenderbuffer(GL_RENDERBUFFER, colour.get());
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, probe_size, probe_size);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo.get());
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour.get());
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
        return GlImportNoSetup;

    Result<std::unique_ptr<GlesRenderer>> r = GlesRenderer::create(
        (*egl)->display(),
        RendererOptions{
            .scale = ScaleMode::None, .linear = false, .allow_import = true, .verbose = false});
    if (!r)
        return GlImportNoSetup;
    const Frame frame{.seq = 1,
                      .buffer = owned->buffer,
                      .damage = Region(layout.bounds()),
                      .produced_ns = now_ns(),
                      .source_bytes_copied = 0};
    SubmitStats stats;
    if (Status s = (*r)->update(frame, stats); !s || (*r)->current_path() != "dma-buf import")
        return GlImportRefused;
    (*r)->draw(probe_size, probe_size); // where llvmpipe crashes
    const RgbaImage got = (*r)->read_pixels(probe_size, probe_size);
    for (uint32_t y = 0; y < probe_size; ++y)
        for (uint32_t x = 0; x < probe_size; ++x) {
            const uint32_t want = probe_pixel(x, y);
            const uint8_t* p = got.at(x, y);
            if (p[0] != uint8_t(want >> 16) || p[1] != uint8_t(want >> 8) || p[2] != uint8_t(want))
                return GlImportDiffers;
        }
    return GlImportUsable;
}

} // namespace udmaview::kms
