// SPDX-License-Identifier: MIT
#include "outputs/wayland/dmabuf_buffers.h"

#include <cerrno>

namespace udmaview::wl {

std::string DmabufBuffers::why_not(const Buffer& buffer) const {
    const Layout& l = buffer.layout();
    if (!buffer.dmabuf())
        return "it has no dma-buf (no /dev/udmabuf, or the source sent none)";
    const DmabufFormats* f = conn_.dmabuf();
    if (!f)
        return "the compositor offers no zwp_linux_dmabuf_v1";
    if (!f->problem().empty())
        return "the compositor's zwp_linux_dmabuf_v1 feedback is unusable: " + f->problem();
    if (!f->complete())
        return "the compositor's zwp_linux_dmabuf_v1 default feedback never ended (no done "
               "event), so its formats are not known";
    uint64_t m = 0;
    if (l.modifier != modifier_linear) {
        // A tiled dma-buf (QEMU's, from the guest's GPU) goes only with its own modifier.
        if (!f->has(l.format->fourcc, l.modifier))
            return "the compositor's zwp_linux_dmabuf_v1 v" + std::to_string(f->version()) +
                   " lists no " + std::string(l.format->name) + " with its modifier " +
                   std::to_string(l.modifier) + " (it lists " + f->describe() + ")";
    } else if (!f->linear_modifier(l.format->fourcc, m)) {
        return "the compositor's zwp_linux_dmabuf_v1 v" + std::to_string(f->version()) +
               " lists no " + std::string(l.format->name) + " with a linear modifier (it lists " +
               f->describe() + ")";
    }
    return {};
}

uint64_t DmabufBuffers::modifier(const Buffer& buffer) const {
    const Layout& l = buffer.layout();
    if (l.modifier != modifier_linear)
        return l.modifier;
    uint64_t m = 0;
    conn_.dmabuf()->linear_modifier(l.format->fourcc, m);
    return m;
}

void DmabufBuffers::on_created(void* data, zwp_linux_buffer_params_v1*, wl_buffer* buffer) {
    auto* self = static_cast<DmabufBuffers*>(data);
    self->created_ = buffer;
    self->answered_ = true;
}

void DmabufBuffers::on_failed(void* data, zwp_linux_buffer_params_v1*) {
    static_cast<DmabufBuffers*>(data)->answered_ = true;
}

Result<wl_buffer*> DmabufBuffers::create(const Buffer& buffer) {
    const Layout& l = buffer.layout();
    const uint64_t m = modifier(buffer);
    Ptr<zwp_linux_buffer_params_v1> params(
        zwp_linux_dmabuf_v1_create_params(conn_.dmabuf()->get()));
    static const zwp_linux_buffer_params_v1_listener listener = {
        .created = &DmabufBuffers::on_created, .failed = &DmabufBuffers::on_failed};
    zwp_linux_buffer_params_v1_add_listener(params.get(), &listener, this);
    zwp_linux_buffer_params_v1_add(params.get(), buffer.dmabuf()->fd(), 0, uint32_t(l.offset),
                                   l.stride, uint32_t(m >> 32), uint32_t(m & 0xffffffff));
    created_ = nullptr;
    answered_ = false;
    // create (not create_immed): a refusal is an event to fall back on, not a protocol
    // error that ends the connection. Once per buffer, so the round trip is cheap; the
    // answer comes before the round trip's own.
    zwp_linux_buffer_params_v1_create(
        params.get(), int32_t(l.width), int32_t(l.height), l.format->fourcc,
        l.y0_top ? 0 : uint32_t(ZWP_LINUX_BUFFER_PARAMS_V1_FLAGS_Y_INVERT));
    if (Status s = conn_.roundtrip(); !s)
        return s.error();
    if (!answered_ || !created_)
        return Error{"wayland: the compositor at " + conn_.name() + " refused the " +
                         l.to_string() + " dma-buf from " + buffer.origin() +
                         " (zwp_linux_buffer_params_v1.failed)",
                     EINVAL};
    return created_;
}

} // namespace udmaview::wl
