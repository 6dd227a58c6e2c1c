// SPDX-License-Identifier: MIT
// KmsOutput's side of the console (kms_console.h): what a switch away and back, a chord and
// a key mean to the output, and the overlays (--hud, the guest pointer) redrawn on their own.
#include <iostream>

#include "outputs/kms/kms_output.h"

namespace udmaview::kms {

class KmsOutput::ConsoleSink : public ConsoleEvents {
public:
    ConsoleSink(KmsOutput& out, OutputSink& sink)
        : out_(out)
        , sink_(sink) {}
    void on_device_ready() override {
        out_.display_->scanout().handle_events(out_.flip_done(&sink_));
    }
    void on_released(const std::string& where) override { out_.release_display(sink_, where); }
    bool on_acquired(const std::string& where) override {
        return out_.acquire_display(sink_, where);
    }
    void on_key_action(KeyAction action) override { out_.key_action(action, sink_); }
    void on_key(const KeyEvent& key) override { sink_.on_input(key); }
    void on_lost(const Error& error) override { sink_.on_output_error(error); }

private:
    KmsOutput& out_;
    OutputSink& sink_;
};

void KmsOutput::dispatch(OutputSink& sink) {
    ConsoleSink events(*this, sink);
    console_.dispatch(events);
    show_cursor(sink);
}

void KmsOutput::key_action(KeyAction action, OutputSink& sink) {
    switch (action) {
    case KeyAction::Quit:
        sink.on_quit();
        return;
    case KeyAction::ToggleHud:
        // With no frame shown yet, the plane's line says where an overlay is shown.
        if (Status s = (route_ ? *route_ : plane_).toggle_hud(); !s) {
            std::cerr << s.error().message << "\n";
            return;
        }
        redraw(sink, false); // just the overlay's rect
        return;
    case KeyAction::FocusPrev:
    case KeyAction::FocusNext:
    case KeyAction::ToggleTiles:
        if (options_.sources <= 1 || !route_ || !route_->tile_key(action, options_.verbose))
            return;
        redraw(sink, false);
        send_wanted_sizes(sink); // alone, the focused source has the whole mode
        return;
    case KeyAction::Forward:
    case KeyAction::Swallow:
    case KeyAction::SwitchVt:
        return; // the console's own
    }
}

void KmsOutput::show_cursor(OutputSink& sink) {
    if (!cursor_changed_)
        return;
    if (!route_ || route_->path() == ScanoutPath::Plane) {
        cursor_changed_ = false; // the plane draws no pointer; the composing routes keep it
        return;
    }
    if (busy() || !console_.active() || !last_frame_)
        return;
    redraw(sink, false); // the route takes the pointer
}

void KmsOutput::release_display(OutputSink& sink, const std::string& where) {
    wait_idle(&sink, 1000);
    if (display_)
        display_->release();
    if (options_.verbose)
        std::cerr << "kms: switched away from " << where << "; not drawing\n";
}

bool KmsOutput::acquire_display(OutputSink& sink, const std::string& where) {
    if (Status s = display_->acquire(); !s) {
        sink.on_output_error(s.error());
        return false;
    }
    if (options_.verbose)
        std::cerr << "kms: back on " << where << "; redrawing\n";
    redraw(sink, true);
    return true;
}

} // namespace udmaview::kms
