// SPDX-License-Identifier: MIT
// --output wayland: the guest's buffer handed to the compositor as it is (its dma-buf, or a
// wl_shm pool of the guest's own memfd), placed and scaled by wp_viewporter, damage sent as
// rectangles, presentation timed by wp_presentation. udmaview copies and draws nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "outputs/wayland/buffer_choice.h"
#include "outputs/wayland/frame_feedback.h"
#include "outputs/wayland/shm_converter.h"
#include "outputs/wayland/wayland_connection.h"
#include "outputs/wayland/wayland_cursor.h"
#include "outputs/wayland/wayland_input.h"
#include "outputs/wayland/wayland_window.h"
#include "udmaview/output.h"
#include "udmaview/scale_mode.h"

namespace udmaview {

struct WaylandOptions {
    std::string display;            // "" : WAYLAND_DISPLAY
    uint32_t width = 0, height = 0; // the window's size before the compositor picks one
    ScaleMode scale = ScaleMode::Fit;
    bool fullscreen = false;
    bool verbose = false;
    uint32_t sources = 1;
    std::string title = "udmaview";
    uint64_t hold_ms = 0; // a test hook: keep the last frame up this long after the run
};

class WaylandOutput : public Output {
public:
    explicit WaylandOutput(WaylandOptions options)
        : options_(std::move(options)) {}
    ~WaylandOutput() override;

    std::string name() const override { return "wayland"; }
    Status start() override;
    void stop() override;
    int poll_fd() const override { return conn_ ? conn_->fd() : -1; }
    void dispatch(OutputSink& sink) override;
    bool busy() const override;
    Status submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) override;
    void retire(BufferId id) override;
    void set_cursor(const CursorState& state) override;
    Status finish(const Frame*) override;
    std::vector<std::pair<std::string, uint64_t>> counters() const override;

private:
    void deliver(OutputSink& sink);
    // The frame's buffer as the compositor can read it: the guest's own dma-buf or memfd,
    // or a conversion of what changed; path names which.
    Result<wl_buffer*> buffer_for(const Frame& frame, SubmitStats& stats, const char*& path);
    // The window changed size with no new frame: the last picture placed again.
    void relayout();
    // What input brought that the window itself handles: full screen, the cursor.
    void window_input();

    WaylandOptions options_;
    std::unique_ptr<wl::WaylandConnection> conn_;
    std::unique_ptr<wl::WaylandWindow> window_;
    std::unique_ptr<wl::BufferChoice> buffers_;
    std::unique_ptr<wl::ShmConverter> converter_;
    std::set<std::string> convert_said_; // each reason for converting is said once
    std::unique_ptr<wl::FrameFeedback> feedback_;
    std::unique_ptr<wl::WaylandInput> input_;
    std::unique_ptr<wl::WaylandCursor> cursor_;
    BufferId attached_ = 0;
    wl_buffer* attached_buffer_ = nullptr;
    uint32_t attached_w_ = 0, attached_h_ = 0;
    uint64_t damage_rects_ = 0, damage_pixels_ = 0, full_damages_ = 0, converted_frames_ = 0;
    bool lost_ = false;
};

} // namespace udmaview
