// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "udmaview/cursor.h"
#include "udmaview/source.h"
#include "udmaview/unique_fd.h"

namespace udmaview::qemu {

struct QemuOptions {
    enum class Mode { Bus, P2p };
    Mode mode = Mode::Bus;
    std::string address;    // bus: D-Bus address ("" = session bus); p2p: QMP socket path
    uint32_t console = 0;   // console ID (/org/qemu/Display1/Console_N)
    bool reconnect = false; // QEMU gone → wait for it again instead of ending
    bool verbose = false;
    bool use_udmabuf = true;
    uint32_t retry_ms = 250; // while waiting for QEMU
};

// Parses "qemu", "qemu:ADDRESS", "qemu-p2p:QMP_SOCKET" into mode + address.
Result<QemuOptions> parse_qemu_source(const std::string& spec);

// What the source did, for tests and the closing summary.
struct QemuStats {
    uint64_t scanouts = 0, updates = 0, bytes_copied = 0;
    uint64_t dmabuf_scanouts = 0, dmabuf_updates = 0;
    uint64_t rejected = 0, surfaces = 0, sessions = 0, inputs_sent = 0;
};

// QEMU's D-Bus display (-display dbus, org.qemu.Display1) as a frame source. GDBus runs on a
// thread of its own with its own GMainContext: it attaches (bus or peer-to-peer, waiting for
// QEMU to appear), registers a listener and serves it; frames, retirements, cursor changes and
// the end are queued and signalled to the presenter through an eventfd (poll_fd/dispatch).
// Input from the output is handed to that thread and sent as Keyboard/Mouse calls.
class QemuSource : public FrameSource {
public:
    explicit QemuSource(QemuOptions options);
    ~QemuSource() override;

    std::string name() const override;
    Status start() override;
    void stop() override;
    int poll_fd() const override { return event_.get(); }
    void dispatch(SourceSink& sink) override;
    void send_input(const InputEvent& event) override;

    QemuStats stats() const;

    struct Impl; // the GLib side (qemu_source.cpp)

private:
    friend struct Impl;
    enum class Kind { Frame, Retire, Cursor, End };
    struct Event {
        Kind kind;
        Frame frame;
        BufferId retired = 0;
        CursorState cursor;
        Status status;
    };
    void post(Event event);

    QemuOptions options_;
    UniqueFd event_;
    std::unique_ptr<Impl> impl_;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::vector<Event> ready_;
    std::deque<InputEvent> input_;
    QemuStats stats_;
    bool end_reported_ = false;
};

} // namespace udmaview::qemu
