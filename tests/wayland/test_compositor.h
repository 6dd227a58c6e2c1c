// SPDX-License-Identifier: MIT
// A minimal Wayland compositor for the tests of --output wayland (libwayland-server). It
// composes nothing: it "imports" each buffer committed to a surface by reading its pixels
// (a dma-buf by mmap() of its fd, wl_shm through libwayland's pool), records every commit
// as a JSON line (buffer kind, format, modifier, damage, placement), keeps the picture
// subsurface's last pixels for a dump, releases buffers, answers frame callbacks and
// presentation feedback on a 60 Hz tick, and can send scripted keyboard and pointer input.
// The cursor surface a client sets (wl_pointer.set_cursor) is recorded the same way.
#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <wayland-server.h>

namespace testcomp {

struct Options {
    std::string socket = "wayland-testcomp";
    std::string out_dir = ".";
    int32_t width = 640, height = 480;    // the toplevel's configure
    bool dmabuf = true;                   // offer zwp_linux_dmabuf_v1
    int dmabuf_version = 4;               // 4: default feedback; 3: modifier events
    std::vector<uint32_t> dmabuf_formats; // listed with dmabuf_modifier
    uint64_t dmabuf_modifier = 0;         // DRM_FORMAT_MOD_LINEAR, or _INVALID (implicit)
    std::vector<std::string> script;      // input steps, sent after the first picture
};

// A dma-buf wl_buffer: the planes' parameters and the mapping made at import.
struct DmabufBuffer {
    wl_resource* resource = nullptr;
    int fd = -1;
    uint32_t offset = 0, stride = 0, format = 0;
    uint64_t modifier = 0;
    int32_t width = 0, height = 0;
    bool y_invert = false; // rows stored bottom-up (the client's Y_INVERT flag)
    const uint8_t* map = nullptr;
    size_t map_size = 0;
    ~DmabufBuffer();
};

struct Surface {
    wl_resource* resource = nullptr;
    uint32_t id = 0;                // 1, 2, … in creation order
    bool sub = false;               // has the wl_subsurface role: the picture
    bool cursor = false;            // given to wl_pointer.set_cursor
    int32_t x = 0, y = 0;           // its position in the parent (subsurfaces)
    int32_t dst_w = -1, dst_h = -1; // its viewport's destination
    wl_resource* pending_buffer = nullptr;
    bool pending_attach = false;
    std::vector<std::vector<int32_t>> pending_damage;
    std::vector<wl_resource*> pending_frames, pending_feedback;
    wl_resource* current = nullptr; // committed buffer not released yet
    wl_listener current_gone{};     // current's destroy
};

struct Server {
    Options opt;
    wl_display* display = nullptr;
    FILE* events = nullptr;
    std::map<wl_resource*, Surface*> surfaces;
    std::set<wl_resource*> seen_buffers;        // picture wl_buffers ever committed
    std::vector<wl_resource*> frames, feedback; // answered on the next tick
    std::vector<wl_resource*> keyboards, pointers;
    wl_resource* toplevel = nullptr;
    wl_resource* xdg_surface = nullptr;
    Surface* picture = nullptr;
    uint32_t commits = 0, releases = 0, frames_done = 0, presented = 0;
    uint32_t held_destroyed = 0; // buffers destroyed while shown, before their release
    bool script_sent = false;
    bool client_gone = false;
    // The picture's last committed pixels (rows of stride bytes) and their description.
    std::vector<uint8_t> pixels;
    std::string pixels_json;
    // The cursor surface's last committed pixels, the same way.
    std::vector<uint8_t> cursor_pixels;
    std::string cursor_json;
    uint32_t next_surface = 1;
};

Server& server();
void line(const std::string& json); // one JSON line to events.jsonl

void add_compositor_globals(Server& s); // wl_compositor, wl_subcompositor
void add_shell_globals(Server& s);      // xdg_wm_base, wp_viewporter, wp_presentation
void add_dmabuf_global(Server& s);      // zwp_linux_dmabuf_v1 v4
void close_dmabuf_table();
void add_seat_global(Server& s); // wl_seat: keyboard + pointer
Surface* surface_of(wl_resource* surface_resource);
// wl_buffer.release for the buffers replaced two ticks ago.
void release_replaced(Server& s);
// A committed buffer's pixels and description; false when it is neither shm nor dma-buf.
bool read_buffer(wl_resource* buffer, std::vector<uint8_t>& pixels, std::string& json);
// The script's steps, once, after the first picture commit.
void send_script(Server& s);
std::string fourcc_name(uint32_t fourcc);
// wp_presentation_feedback.presented (flags 0: no claims) for a tick at ts, then destroyed.
void send_presented(wl_resource* feedback, const timespec& ts, uint32_t seq);

} // namespace testcomp
