// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sources/demo/demo_scene.h"
#include "udmaview/event_queue.h"
#include "udmaview/frame.h"
#include "udmaview/memfd.h"
#include "udmaview/source.h"

namespace udmaview {

struct DemoOptions {
    uint32_t width = 1024, height = 768;
    const Format* format = nullptr; // XRGB8888 when null
    double fps = 60;                // 0: as fast as the producer can draw
    unsigned patterns = DemoScene::All;
    uint64_t seed = 1;
    bool use_udmabuf = true; // try /dev/udmabuf; fall back to memfd mapping
    std::string udmabuf_path = "/dev/udmabuf";
    bool log_input = false; // print every input event from the output (--verbose)
};

// A stand-in guest: a producer thread draws DemoScene frames into memfd-backed buffers
// (wrapped as udmabuf dma-bufs when the device exists) and reports exact damage.
class DemoSource : public FrameSource {
public:
    explicit DemoSource(DemoOptions options);
    ~DemoSource() override;

    std::string name() const override;
    Status start() override;
    void stop() override;
    int poll_fd() const override { return ready_.poll_fd(); }
    void dispatch(SourceSink& sink) override;
    void set_frame_limit(uint64_t frames) override { limit_ = frames; }
    // The demo has no guest to feed; with log_input it prints one line per event to stderr
    // ("demo: input key 30 pressed"), so tests can see input arrive.
    void send_input(const InputEvent& event) override;

    const DemoScene& scene() const { return scene_; }
    // True when the buffers carry a dma-buf (udmabuf was available).
    bool has_dmabuf() const { return has_dmabuf_; }

private:
    Status make_surfaces();
    void produce();
    void publish(Frame frame, bool end);
    // Waits until deadline_ns (CLOCK_MONOTONIC) or stop(), whichever comes first.
    void sleep_until(uint64_t deadline_ns);

    DemoOptions options_;
    DemoScene scene_;
    Layout layout_;
    std::vector<OwnedBuffer> surfaces_;
    bool has_dmabuf_ = false;
    uint64_t limit_ = 0;

    // A drawn frame; end marks the last one (--frames reached).
    struct Drawn {
        Frame frame;
        bool end = false;
    };
    EventQueue<Drawn> ready_;
    std::thread producer_;
    std::atomic<bool> stopping_{false};
    std::mutex wake_mutex_; // with wake_: stop() interrupts the wait for the next frame
    std::condition_variable wake_;
    bool end_reported_ = false;
};

} // namespace udmaview
