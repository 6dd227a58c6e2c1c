// SPDX-License-Identifier: MIT
#include "outputs/wayland/buffer_choice.h"

#include <iostream>

namespace udmaview::wl {

void BufferChoice::say(const std::string& line) {
    if (said_.insert(line).second)
        std::cerr << line << "\n";
}

BufferChoice::Chosen BufferChoice::get(const Buffer& buffer, uint32_t& imports) {
    Chosen c;
    if ((c.buffer = held_.find(buffer.id(), &c.kind)))
        return c;
    const Layout& l = buffer.layout();
    const std::string what = "wayland: the " + l.to_string() + " buffer from " + buffer.origin();
    std::string no_dmabuf = dmabuf_.why_not(buffer);
    if (no_dmabuf.empty()) {
        Result<wl_buffer*> wb = dmabuf_.create(buffer);
        if (wb) {
            const uint64_t m = dmabuf_.modifier(buffer);
            say(what + " goes to the compositor as its dma-buf (zwp_linux_dmabuf_v1 v" +
                std::to_string(conn_.dmabuf()->version()) + ", modifier " +
                (m == 0                  ? std::string("linear")
                 : m == modifier_invalid ? std::string("invalid: the driver's implicit layout")
                                         : std::to_string(m)) +
                (l.y0_top ? "" : ", bottom-up: Y_INVERT") + "): path wl-dmabuf, 0 bytes copied");
            held_.add(buffer.id(), *wb, BufferKind::Dmabuf);
            ++imports;
            return {*wb, BufferKind::Dmabuf, {}};
        }
        no_dmabuf = wb.error().message;
    }
    if (!l.y0_top) {
        // wl_shm has no flag for it, and a conversion would have to turn every row over.
        c.why = "it is stored bottom-up, which only a dma-buf can say (Y_INVERT), and not as a "
                "dma-buf: " +
                no_dmabuf;
        c.refused = true;
        return c;
    }
    c.why = shm_.why_not(buffer);
    if (!c.why.empty()) {
        c.why = "not as a dma-buf (" + no_dmabuf + "), nor as wl_shm: " + c.why;
        return c;
    }
    say(what + " goes to the compositor as a wl_shm pool of its memfd, not as a dma-buf (" +
        no_dmabuf + "): path wl-shm, 0 bytes copied");
    c.buffer = shm_.create(buffer);
    c.kind = BufferKind::Shm;
    held_.add(buffer.id(), c.buffer, BufferKind::Shm);
    ++imports;
    return c;
}

} // namespace udmaview::wl
