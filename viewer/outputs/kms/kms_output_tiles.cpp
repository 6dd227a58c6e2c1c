// SPDX-License-Identifier: MIT
// KmsOutput with several sources: the cpu path's scene or the gl path's tile compositor
// draws them as tiles; this is the output's side of it: which source gets the keyboard, the
// focus and layout chords, and "ended" on a tile, each followed by a redraw of the last
// frame.
#include <iostream>

#include "outputs/kms/kms_output.h"
#include "render/tile_layout.h"
#include "udmaview_config.h"

#if UDMAVIEW_HAVE_KMS_GL
#include "outputs/kms/gl_composer.h"
#endif

namespace udmaview::kms {

namespace {

// Scene and TileCompositor take the same chords.
template <class Tiles> void apply_tile_key(Tiles& tiles, KeyAction action, bool verbose) {
    if (action == KeyAction::ToggleTiles)
        tiles.toggle_mode();
    else
        tiles.move_focus(action == KeyAction::FocusPrev ? -1 : 1);
    if (verbose)
        std::cerr << "kms: source " << tiles.focus() + 1 << " focused, "
                  << (tiles.mode() == TileMode::Grid ? "grid" : "alone") << "\n";
}

} // namespace

void KmsOutput::send_wanted_sizes(OutputSink& sink) {
    size_wanted_ = false;
    const uint32_t w = mode_.hdisplay, h = mode_.vdisplay;
    if (!w || !h)
        return;
    const uint32_t mm_w = pipe_.connector.mm_width, mm_h = pipe_.connector.mm_height;
    if (options_.sources == 1) {
        sink.on_size_wanted(0, {w, h, mm_w, mm_h});
        return;
    }
    TileMode mode = TileMode::Grid;
    uint32_t focus = 0;
    if (configured_.path == ScanoutPath::Cpu) {
        mode = cpu_.scene().mode();
        focus = cpu_.scene().focus();
    }
#if UDMAVIEW_HAVE_KMS_GL
    else if (const TileCompositor* tiles = gl_ ? gl_->tiles() : nullptr) {
        mode = tiles->mode();
        focus = tiles->focus();
    }
#endif
    const std::vector<Rect> rects = tile_rects(options_.sources, w, h, mode, focus);
    for (uint32_t i = 0; i < rects.size(); ++i) {
        const Rect a = tile_inner(rects[i]);
        if (a.empty())
            continue;
        sink.on_size_wanted(i, {uint32_t(a.w), uint32_t(a.h), uint32_t(uint64_t(mm_w) * a.w / w),
                                uint32_t(uint64_t(mm_h) * a.h / h)});
    }
}

uint32_t KmsOutput::input_source() const {
    return configured_.path == ScanoutPath::Cpu ? cpu_.scene().focus() : gl_focus();
}

void KmsOutput::size_refused(uint32_t source, const WantedSize& size, OutputSink& sink) {
    if (source != 0 || options_.sources != 1 || !options_.follow_guest_size || guest_kept_size_)
        return;
    guest_kept_size_ = true;
    if (!last_frame_ || !last_frame_->buffer)
        return; // the first frame's configure() takes it
    const Layout& l = last_frame_->buffer->layout();
    if (l.width == mode_.hdisplay && l.height == mode_.vdisplay)
        return;
    announce("guest-kept-size", "kms: the guest kept its picture " + std::to_string(l.width) + "x" +
                                    std::to_string(l.height) + " instead of " +
                                    std::to_string(size.width) + "x" + std::to_string(size.height) +
                                    ": showing it on a mode of its size where " +
                                    pipe_.connector.name + " has one, else scaled");
    configured_ = {}; // the next show() configures: a mode for the picture's size
    if (!vt_active_)
        return; // the redraw after the switch back configures
    // A static guest may send no frame for a long time: show the last one on its mode now.
    wait_idle(&sink, 200);
    if (busy())
        return; // still flipping: the next frame configures, rather than a modeset now
    Frame frame = *last_frame_;
    frame.damage = Region(l.bounds());
    SubmitStats stats;
    if (Status s = show(frame, Origin::Redraw, stats, sink); !s)
        sink.on_output_error(s.error());
}

void KmsOutput::redraw_tiles(OutputSink* sink) {
    if (!sink || busy() || !last_frame_ || !last_frame_->buffer || !vt_active_)
        return; // the change goes out with the next frame
    Frame frame = *last_frame_;
    frame.damage = Region(); // the tiles know what changed
    SubmitStats stats;
    if (Status s = show(frame, Origin::Redraw, stats, *sink); !s)
        sink->on_output_error(s.error());
}

void KmsOutput::source_ended(uint32_t source) {
    cpu_.scene().set_ended(source); // kept for whichever path shows the tiles
    gl_source_ended(source);
}

void KmsOutput::tile_key(KeyAction action, OutputSink& sink) {
    if (options_.sources <= 1)
        return;
    if (configured_.path == ScanoutPath::Cpu)
        apply_tile_key(cpu_.scene(), action, options_.verbose);
    else if (!gl_tile_key(action))
        return;
    redraw_tiles(&sink);
    send_wanted_sizes(sink); // alone, the focused source has the whole mode
}

#if UDMAVIEW_HAVE_KMS_GL

uint32_t KmsOutput::gl_focus() const {
    return gl_ && gl_->tiles() ? gl_->tiles()->focus() : 0;
}

void KmsOutput::gl_source_ended(uint32_t source) {
    if (gl_ && gl_->tiles())
        gl_->tiles()->set_ended(source);
}

bool KmsOutput::gl_tile_key(KeyAction action) {
    TileCompositor* tiles = gl_ ? gl_->tiles() : nullptr;
    if (!tiles)
        return false;
    apply_tile_key(*tiles, action, options_.verbose);
    return true;
}

#else // without GBM/EGL the cpu path draws the tiles

uint32_t KmsOutput::gl_focus() const {
    return 0;
}
void KmsOutput::gl_source_ended(uint32_t) {}
bool KmsOutput::gl_tile_key(KeyAction) {
    return false;
}

#endif

} // namespace udmaview::kms
