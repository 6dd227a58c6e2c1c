// SPDX-License-Identifier: MIT
#include "outputs/wayland/held_buffers.h"

namespace udmaview::wl {

HeldBuffers::~HeldBuffers() {
    for (auto& [id, e] : entries_)
        if (e->buffer)
            wl_buffer_destroy(e->buffer);
}

wl_buffer* HeldBuffers::find(BufferId id, BufferKind* kind) const {
    auto it = entries_.find(id);
    if (it == entries_.end())
        return nullptr;
    if (kind)
        *kind = it->second->kind;
    return it->second->buffer;
}

void HeldBuffers::add(BufferId id, wl_buffer* buffer, BufferKind kind) {
    auto e = std::make_unique<Entry>();
    e->owner = this;
    e->id = id;
    e->buffer = buffer;
    e->kind = kind;
    static const wl_buffer_listener listener = {.release = &HeldBuffers::on_release};
    wl_buffer_add_listener(buffer, &listener, e.get());
    entries_.emplace(id, std::move(e));
    ++made_[size_t(kind)];
}

void HeldBuffers::attached(BufferId id) {
    if (auto it = entries_.find(id); it != entries_.end())
        it->second->held = true;
}

void HeldBuffers::on_release(void* data, wl_buffer*) {
    auto* e = static_cast<Entry*>(data);
    e->held = false;
    ++e->owner->releases_;
    if (e->retired)
        e->owner->destroy(*e);
}

void HeldBuffers::retire(BufferId id) {
    auto it = entries_.find(id);
    if (it == entries_.end())
        return;
    it->second->retired = true;
    if (!it->second->held)
        destroy(*it->second);
}

void HeldBuffers::destroy(Entry& e) {
    wl_buffer_destroy(e.buffer);
    entries_.erase(e.id); // e is gone after this line
}

} // namespace udmaview::wl
