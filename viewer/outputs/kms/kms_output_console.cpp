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
    void on_released(const std::string& where) override;
    bool on_acquired(const std::string& where) override;
    // Ctrl+Alt+Q, Ctrl+Alt+H, and with several sources Ctrl+Alt+Left/Right/L.
    void on_key_action(KeyAction action) override;
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

void KmsOutput::ConsoleSink::on_key_action(KeyAction action) {
    switch (action) {
    case KeyAction::Quit:
        sink_.on_quit();
        return;
    case KeyAction::ToggleHud:
        // With no frame shown yet, the plane's line says where an overlay is shown.
        if (Status s = out_.routes_.hud_route().toggle_hud(); !s) {
            std::cerr << s.error().message << "\n";
            return;
        }
        out_.redraw(sink_, false); // just the overlay's rect
        return;
    case KeyAction::FocusPrev:
    case KeyAction::FocusNext:
    case KeyAction::ToggleTiles:
        if (ScanoutRoute* r = out_.routes_.current();
            out_.options_.sources <= 1 || !r || !r->tile_key(action, out_.options_.verbose))
            return;
        out_.redraw(sink_, false);
        out_.send_wanted_sizes(sink_); // alone, the focused source has the whole mode
        return;
    case KeyAction::Forward:
    case KeyAction::Swallow:
    case KeyAction::SwitchVt:
        return; // the console's own
    }
}

void KmsOutput::ConsoleSink::on_released(const std::string& where) {
    out_.wait_idle(&sink_, 1000);
    if (out_.display_)
        out_.display_->release();
    if (out_.options_.verbose)
        std::cerr << "kms: switched away from " << where << "; not drawing\n";
}

bool KmsOutput::ConsoleSink::on_acquired(const std::string& where) {
    if (Status s = out_.display_->acquire(); !s) {
        sink_.on_output_error(s.error());
        return false;
    }
    if (out_.options_.verbose)
        std::cerr << "kms: back on " << where << "; redrawing\n";
    if (out_.redraw(sink_, true))
        ++out_.switch_redraws_;
    return true;
}

void KmsOutput::show_cursor(OutputSink& sink) {
    if (!cursor_changed_)
        return;
    if (const ScanoutRoute* r = routes_.current(); !r || r->path() == ScanoutPath::Plane) {
        cursor_changed_ = false; // the plane draws no pointer; the composing routes keep it
        return;
    }
    if (busy() || !console_.active() || !sink.last_submitted())
        return;
    redraw(sink, false); // the route takes the pointer
}

} // namespace udmaview::kms
