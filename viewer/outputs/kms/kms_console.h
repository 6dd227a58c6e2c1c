// SPDX-License-Identifier: MIT
// The KMS output's console: the seat (seatd or logind, through libseat) or, without a seat
// manager, the VT itself (graphics mode, switch signals), the keyboards, and the epoll fd the
// presenter polls over them and the DRM device. Switches away and back are handled here and
// handed out as events; so are the keys and the loss of the seat.
#pragma once

#include <memory>
#include <string>

#include "outputs/kms/console_keyboards.h"
#include "outputs/kms/device_node.h"
#include "outputs/kms/vt_console.h"
#include "udmaview/error.h"
#include "udmaview/input.h"
#include "udmaview/unique_fd.h"
#include "udmaview_config.h"
#if UDMAVIEW_HAVE_LIBSEAT
#include "outputs/kms/seat.h"
#endif

namespace udmaview::kms {

// What the console tells its user.
class ConsoleEvents {
public:
    virtual ~ConsoleEvents() = default;
    // The DRM device's fd is readable (page flip events).
    virtual void on_device_ready() = 0;
    // Switched away (where: the VT or seat): stop drawing and drop DRM master before the
    // console lets the switch go on.
    virtual void on_released(const std::string& where) = 0;
    // Back: take DRM master and redraw; false when the display could not be taken.
    virtual bool on_acquired(const std::string& where) = 0;
    // A chord for the output: Quit, ToggleHud, FocusPrev, FocusNext, ToggleTiles.
    virtual void on_key_action(KeyAction action) = 0;
    // A key for the source (only while the console is ours).
    virtual void on_key(const KeyEvent& key) = 0;
    // The seat manager ended the session: nothing more comes.
    virtual void on_lost(const Error& error) = 0;
};

// Where a key goes: a pure function of its chord meaning and whether the console is ours.
enum class KeyRoute { Drop, Forward, SwitchVt, Output };
KeyRoute route_key(KeyAction action, bool active);

struct ConsoleOptions {
    bool console = true;    // take the VT or the seat
    bool keyboard = true;   // read evdev keyboards
    bool take_over = false; // reset a VT a dead program left in graphics mode, and use it
    bool tile_keys = false; // several sources: the tile chords
    bool verbose = false;
};

class KmsConsole {
public:
    explicit KmsConsole(ConsoleOptions options);
    ~KmsConsole();
    KmsConsole(const KmsConsole&) = delete;
    KmsConsole& operator=(const KmsConsole&) = delete;

    // Before the device: the seat from seatd or logind when one serves us.
    Status open_seat();
    // How to open device nodes: through the seat, or directly (empty).
    DeviceOpener opener() const;
    // After the device (device_fd, named card in messages): the VT when no seat manager has
    // it, the epoll fd over everything, the keyboards.
    Status open(int device_fd, const std::string& card);
    int poll_fd() const { return epoll_.get(); }
    // False while switched away.
    bool active() const { return active_; }
    // Reads what is ready (never blocks) and hands it to events.
    void dispatch(ConsoleEvents& events);
    // After the CRTC is restored, so fbcon redraws onto its own framebuffer: the VT back to
    // text mode, the keyboards and the epoll fd closed.
    void restore_vt();
    // After the device is closed: the seat manager gives the VT back to the console.
    void close_seat();

private:
    void dispatch_seat(ConsoleEvents& events);
    void dispatch_vt(ConsoleEvents& events);
    void watch(int fd);
    void open_keyboards();
    bool is_seat_fd(int fd) const;

    ConsoleOptions options_;
#if UDMAVIEW_HAVE_LIBSEAT
    std::unique_ptr<Seat> seat_; // outlives the devices it handed out
    bool seat_lost_ = false;     // the manager ended the session: nothing more to read
#endif
    std::unique_ptr<VtConsole> vt_;
    ConsoleKeyboards keyboards_;
    UniqueFd epoll_;
    int device_fd_ = -1;
    bool active_ = true;
};

} // namespace udmaview::kms
