// SPDX-License-Identifier: MIT
// KmsOutput with several sources: the gl path draws them as tiles (render/tile_compositor.h);
// this is the output's side of it: which source gets the keyboard, the focus and layout
// chords, and "ended" on a tile, each followed by a redraw of the last frame.
#include <iostream>

#include "outputs/kms/kms_output.h"
#include "udmaview_config.h"

#if UDMAVIEW_HAVE_KMS_GL
#include "outputs/kms/gl_composer.h"
#endif

namespace udmaview::kms {

#if UDMAVIEW_HAVE_KMS_GL

uint32_t KmsOutput::input_source() const {
    return gl_ && gl_->tiles() ? gl_->tiles()->focus() : 0;
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
    if (!gl_ || !gl_->tiles())
        return;
    gl_->tiles()->set_ended(source);
}

void KmsOutput::tile_key(KeyAction action, OutputSink& sink) {
    TileCompositor* tiles = gl_ ? gl_->tiles() : nullptr;
    if (!tiles)
        return;
    if (action == KeyAction::ToggleTiles)
        tiles->toggle_mode();
    else
        tiles->move_focus(action == KeyAction::FocusPrev ? -1 : 1);
    if (options_.verbose)
        std::cerr << "kms: source " << tiles->focus() + 1 << " focused, "
                  << (tiles->mode() == TileMode::Grid ? "grid" : "alone") << "\n";
    redraw_tiles(&sink);
}

#else // without the gl path there are no tiles

uint32_t KmsOutput::input_source() const {
    return 0;
}
void KmsOutput::redraw_tiles(OutputSink*) {}
void KmsOutput::source_ended(uint32_t) {}
void KmsOutput::tile_key(KeyAction, OutputSink&) {}

#endif

} // namespace udmaview::kms
