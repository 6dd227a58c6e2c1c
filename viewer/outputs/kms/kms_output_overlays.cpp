// SPDX-License-Identifier: MIT
// KmsOutput's overlays, on whichever path composes: the --hud overlay (Ctrl+Alt+H) and the
// guest pointer, drawn by the gl path's composer or in the cpu path's scene. The plane path
// scans out the guest's buffer itself and draws neither.
#include <iostream>

#include "outputs/kms/kms_output.h"

namespace udmaview::kms {

void KmsOutput::set_cursor(const CursorState& cursor) {
    cursor_ = cursor;
    cursor_changed_ = true;
}

void KmsOutput::show_cursor(OutputSink& sink) {
    if (!cursor_changed_)
        return;
    if (configured_.path != ScanoutPath::Gl && configured_.path != ScanoutPath::Cpu) {
        cursor_changed_ = false; // the plane draws no pointer; configure() hands it over again
        return;
    }
    if (busy() || !console_.active())
        return;
    redraw_overlays(sink); // show_gl() and show_cpu() take the pointer
}

void KmsOutput::toggle_hud(OutputSink& sink) {
    if (configured_.path == ScanoutPath::Cpu) {
        toggle_cpu_hud();
    } else if (Status s = toggle_gl_hud(); !s) {
        std::cerr << s.error().message << "\n";
        return;
    }
    redraw_overlays(sink);
}

void KmsOutput::redraw_overlays(OutputSink& sink) {
    if (busy() || !console_.active() || !last_frame_ || !last_frame_->buffer)
        return; // the change goes out with the next frame
    Frame frame = *last_frame_;
    frame.damage = Region(); // only the overlay's and the pointer's rects are redrawn
    SubmitStats stats;
    if (Status s = show(frame, Origin::Redraw, stats, sink); !s)
        sink.on_output_error(s.error());
}

} // namespace udmaview::kms
