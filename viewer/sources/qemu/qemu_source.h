// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sources/qemu/qemu_options.h"
#include "sources/qemu/qemu_report.h"
#include "udmaview/source.h"

namespace udmaview::qemu {

class QemuClient;

// QEMU's D-Bus display (-display dbus, org.qemu.Display1) as a frame source. GDBus runs on a
// thread of its own (QemuClient): it attaches (bus or peer-to-peer, waiting for QEMU to
// appear), registers a listener and serves it; frames, retirements, cursor changes and the
// end are queued and signalled to the presenter through an EventQueue (poll_fd/dispatch).
// Input from the output is handed to that thread and sent as Keyboard/Mouse calls.
class QemuSource : public FrameSource {
public:
    explicit QemuSource(QemuOptions options);
    ~QemuSource() override;

    std::string name() const override;
    Status start() override;
    void stop() override;
    int poll_fd() const override { return events_.poll_fd(); }
    void dispatch(SourceSink& sink) override;
    void send_input(const InputEvent& event) override;
    // Console.SetUIInfo, paced (UiInfoSender); never with QemuOptions::follow_size false.
    void request_size(const WantedSize& size) override;
    // scanout, update, bytes_copied, scanout_dmabuf, update_dmabuf, rejected, input_calls,
    // key_calls, scanout_map, update_map, ui_info_calls, ui_info_width, ui_info_height,
    // guest_size_changes, guest_width, guest_height, guest_size_ignored.
    std::vector<std::pair<std::string, uint64_t>> counters() const override;

    QemuStats stats() const { return stats_.get(); }
    // Any thread: attach again now (QemuOptions::resolver's display came back).
    void reattach();
    // Any thread: the source ends with why (its owner learnt the display is gone for good).
    void end(Status why);

private:
    QemuOptions options_;
    QemuEvents events_;
    StatsCounter stats_;
    std::unique_ptr<QemuClient> client_;
    std::thread thread_;
    bool end_reported_ = false;
};

} // namespace udmaview::qemu
