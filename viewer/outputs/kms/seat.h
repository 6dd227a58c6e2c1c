// SPDX-License-Identifier: MIT
// The seat, through libseat: a seat manager (seatd or systemd-logind) owns the VT and hands
// out the DRM card and the evdev devices. It drives VT switches (the seat is disabled when
// the user switches away and enabled when back) and puts the console back when this process
// ends in any way, SIGKILL included, so no VT code of our own runs under it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "outputs/kms/device_node.h"
#include "udmaview/error.h"

struct libseat;

namespace udmaview::kms {

class Seat {
public:
    // Whether a seat manager serves this process: LIBSEAT_BACKEND names one (other than
    // builtin), seatd's socket exists, or this is a logind session. Without one, root uses
    // its own VT handling (vt_console.h) and anyone else gets an error saying what to set up.
    static bool manager_present();
    // Opens the seat and waits (up to 5 s) until the manager enables it.
    static Result<std::unique_ptr<Seat>> open();
    ~Seat();
    Seat(const Seat&) = delete;
    Seat& operator=(const Seat&) = delete;

    const std::string& name() const { return name_; }
    int fd() const;
    bool active() const { return active_; }

    // A device node through the seat; the node tells the seat when it is closed.
    Result<DeviceNode> open_device(const std::string& path);
    DeviceOpener opener();

    enum class Event { Enable, Disable };
    // What the manager sent since the last call (in order). Error: the connection to the
    // manager is gone (it stopped, or revoked the session).
    Result<std::vector<Event>> dispatch();
    // After a Disable: the display and input are dropped; the manager may switch away.
    void ack_disable();
    // Ctrl+Alt+Fn: asks the manager to switch to session (VT) n.
    void switch_session(int n);

private:
    Seat() = default;
    struct libseat* seat_ = nullptr;
    std::string name_;
    bool active_ = false;
    std::vector<Event> events_;
    // Shared with every DeviceNode's release: a node outliving the seat must not call it.
    std::shared_ptr<Seat*> self_;
};

} // namespace udmaview::kms
