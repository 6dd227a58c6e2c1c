// SPDX-License-Identifier: MIT
// Stand-ins the presenter tests share: a one-page buffer and a source that runs a script.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "udmaview/memfd.h"
#include "udmaview/source.h"

namespace udmaview::test {

// A 16x16 XR24 buffer on one memfd page.
inline std::shared_ptr<const Buffer> make_buffer(const std::string& memfd_name) {
    Result<Memfd> m = Memfd::create(memfd_name, page_size());
    Result<UniqueFd> fd = m->dup_fd();
    Layout layout{16, 16, 64, 0, find_format(make_fourcc('X', 'R', '2', '4'))};
    return std::make_shared<const Buffer>(
        layout,
        std::vector<Backing>{{std::make_shared<const UniqueFd>(std::move(*fd)), 0, page_size()}},
        std::nullopt, "test");
}

// Each dispatch() runs the next step of a script; records what the presenter asks of it.
class ScriptedSource : public FrameSource {
public:
    std::deque<std::function<void(SourceSink&)>> steps;
    std::vector<InputEvent> input;
    Status start_status;
    bool started = false, stopped = false;
    uint64_t limit = 0;

    std::string name() const override { return "scripted"; }
    Status start() override {
        started = true;
        return start_status;
    }
    void stop() override { stopped = true; }
    int poll_fd() const override { return -1; }
    uint64_t dispatch_interval_ns() const override { return 1'000'000; }
    void dispatch(SourceSink& sink) override {
        if (steps.empty())
            return;
        auto step = std::move(steps.front());
        steps.pop_front();
        step(sink);
    }
    void send_input(const InputEvent& e) override { input.push_back(e); }
    void set_frame_limit(uint64_t n) override { limit = n; }
};

} // namespace udmaview::test
