// SPDX-License-Identifier: MIT
// KmsOutput's side of the console (kms_console.h): what a switch away and back, a chord and
// a key mean to the output.
#include <iostream>

#include "outputs/kms/kms_output.h"

namespace udmaview::kms {

class KmsOutput::ConsoleSink : public ConsoleEvents {
public:
    ConsoleSink(KmsOutput& out, OutputSink& sink)
        : out_(out)
        , sink_(sink) {}
    void on_device_ready() override { out_.scanout_->handle_events(out_.flip_done(&sink_)); }
    void on_released(const std::string& where) override { out_.release_display(sink_, where); }
    bool on_acquired(const std::string& where) override {
        return out_.acquire_display(sink_, where);
    }
    void on_key_action(KeyAction action) override { out_.on_key_action(action, sink_); }
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

void KmsOutput::on_key_action(KeyAction action, OutputSink& sink) {
    switch (action) {
    case KeyAction::Quit:
        sink.on_quit();
        break;
    case KeyAction::ToggleHud:
        toggle_hud(sink);
        break;
    case KeyAction::FocusPrev:
    case KeyAction::FocusNext:
    case KeyAction::ToggleTiles:
        tile_key(action, sink);
        break;
    case KeyAction::Forward:
    case KeyAction::Swallow:
    case KeyAction::SwitchVt:
        break; // the console's own
    }
}

void KmsOutput::release_display(OutputSink& sink, const std::string& where) {
    wait_idle(&sink, 1000);
    if (dev_)
        dev_->drop_master();
    if (options_.verbose)
        std::cerr << "kms: switched away from " << where << "; not drawing\n";
}

bool KmsOutput::acquire_display(OutputSink& sink, const std::string& where) {
    if (Status s = dev_->acquire_master(); !s) {
        sink.on_output_error(s.error());
        return false;
    }
    needs_modeset_ = true;
    scanout_->forget_screen();
    if (options_.verbose)
        std::cerr << "kms: back on " << where << "; redrawing\n";
    redraw(sink);
    return true;
}

void KmsOutput::redraw(OutputSink& sink) {
    if (!last_frame_ || !last_frame_->buffer)
        return;
    Frame frame = *last_frame_;
    frame.damage = Region(frame.buffer->layout().bounds());
    SubmitStats stats;
    if (Status s = show(frame, Origin::Redraw, stats, sink); !s) {
        sink.on_output_error(s.error());
        return;
    }
    ++switch_redraws_;
}

} // namespace udmaview::kms
