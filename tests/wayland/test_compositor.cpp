// SPDX-License-Identifier: MIT
// The test compositor's main: options, globals, the 60 Hz tick that answers frame callbacks
// and presentation feedback, and the end (the first client gone, or SIGTERM): the picture's
// last pixels written to OUT/picture.raw with OUT/picture.json (the cursor surface's to
// OUT/cursor.raw and OUT/cursor.json), a summary line in OUT/events.jsonl.
//
// usage: udmaview-test-compositor --socket NAME --out DIR [--size WxH] [--no-dmabuf]
//        [--dmabuf-version 3|4] [--dmabuf-modifier linear|invalid]
//        [--dmabuf-formats XR24,AR24,…] [--script FILE]
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "test_compositor.h"

namespace testcomp {

namespace {

Server the_server;
constexpr int tick_ms = 16;
wl_event_source* tick_source = nullptr;

uint32_t parse_fourcc(const std::string& s) {
    if (s.size() != 4)
        return 0;
    return uint32_t(uint8_t(s[0])) | uint32_t(uint8_t(s[1])) << 8 | uint32_t(uint8_t(s[2])) << 16 |
           uint32_t(uint8_t(s[3])) << 24;
}

int usage(const std::string& why) {
    std::cerr << "udmaview-test-compositor: " << why
              << "\nusage: udmaview-test-compositor --socket NAME --out DIR [--size WxH] "
                 "[--no-dmabuf] [--dmabuf-version 3|4] [--dmabuf-modifier linear|invalid] "
                 "[--dmabuf-formats XR24,AR24,...] [--script FILE]\n";
    return 2;
}

int parse(int argc, char** argv, Options& o) {
    o.dmabuf_formats = {parse_fourcc("XR24"), parse_fourcc("AR24"), parse_fourcc("XB24"),
                        parse_fourcc("AB24"), parse_fourcc("RG16"), parse_fourcc("RG24")};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            return i + 1 < argc ? argv[++i] : "";
        };
        if (a == "--socket") {
            o.socket = value();
        } else if (a == "--out") {
            o.out_dir = value();
        } else if (a == "--size") {
            if (std::sscanf(value().c_str(), "%dx%d", &o.width, &o.height) != 2)
                return usage("--size wants WxH");
        } else if (a == "--no-dmabuf") {
            o.dmabuf = false;
        } else if (a == "--dmabuf-modifier") {
            const std::string m = value();
            if (m != "linear" && m != "invalid")
                return usage("--dmabuf-modifier is linear or invalid");
            o.dmabuf_modifier = m == "linear" ? 0 : 0x00ffffffffffffffull;
        } else if (a == "--dmabuf-version") {
            o.dmabuf_version = std::atoi(value().c_str());
            if (o.dmabuf_version != 3 && o.dmabuf_version != 4)
                return usage("--dmabuf-version is 3 or 4");
        } else if (a == "--dmabuf-formats") {
            o.dmabuf_formats.clear();
            std::istringstream in(value());
            for (std::string f; std::getline(in, f, ',');)
                if (uint32_t code = parse_fourcc(f))
                    o.dmabuf_formats.push_back(code);
                else
                    return usage("--dmabuf-formats: " + f + " is no fourcc (XR24, AR24, ...)");
        } else if (a == "--script") {
            std::ifstream in(value());
            if (!in)
                return usage("--script: cannot read the file");
            for (std::string l; std::getline(in, l);)
                if (!l.empty())
                    o.script.push_back(l);
        } else {
            return usage("unknown argument " + a);
        }
    }
    return 0;
}

int tick(void*) {
    Server& s = server();
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    // Both lists are taken first: destroying a resource takes it out of them.
    std::vector<wl_resource*> frames = std::move(s.frames), feedback = std::move(s.feedback);
    s.frames.clear();
    s.feedback.clear();
    for (wl_resource* cb : frames) {
        wl_callback_send_done(cb, uint32_t(ts.tv_sec * 1000 + ts.tv_nsec / 1000000));
        wl_resource_destroy(cb);
        ++s.frames_done;
    }
    for (wl_resource* fb : feedback)
        send_presented(fb, ts, s.presented++);
    release_replaced(s);
    wl_event_source_timer_update(tick_source, tick_ms);
    return 0;
}

void write_end(Server& s) {
    if (!s.pixels.empty()) {
        std::ofstream(s.opt.out_dir + "/picture.raw", std::ios::binary)
            .write(reinterpret_cast<const char*>(s.pixels.data()),
                   std::streamsize(s.pixels.size()));
        std::ofstream(s.opt.out_dir + "/picture.json") << s.pixels_json << "\n";
    }
    if (!s.cursor_pixels.empty()) {
        std::ofstream(s.opt.out_dir + "/cursor.raw", std::ios::binary)
            .write(reinterpret_cast<const char*>(s.cursor_pixels.data()),
                   std::streamsize(s.cursor_pixels.size()));
        std::ofstream(s.opt.out_dir + "/cursor.json") << s.cursor_json << "\n";
    }
    line("{\"end\":true,\"commits\":" + std::to_string(s.commits) + ",\"releases\":" +
         std::to_string(s.releases) + ",\"held_destroyed\":" + std::to_string(s.held_destroyed) +
         ",\"frames_done\":" + std::to_string(s.frames_done) +
         ",\"presented\":" + std::to_string(s.presented) +
         ",\"picture_buffers\":" + std::to_string(s.seen_buffers.size()) + "}");
}

int stop(int, void* data) {
    static_cast<Server*>(data)->client_gone = true;
    return 0;
}

wl_listener client_created{}, client_destroyed{};

} // namespace

Server& server() {
    return the_server;
}

void line(const std::string& json) {
    if (server().events) {
        std::fputs((json + "\n").c_str(), server().events);
        std::fflush(server().events);
    }
}

std::string fourcc_name(uint32_t f) {
    std::string n(4, ' ');
    for (int i = 0; i < 4; ++i)
        n[size_t(i)] = char((f >> (8 * i)) & 0xff);
    return n;
}

} // namespace testcomp

int main(int argc, char** argv) {
    using namespace testcomp;
    Server& s = server();
    if (int rc = parse(argc, argv, s.opt))
        return rc;
    const std::string events = s.opt.out_dir + "/events.jsonl";
    s.events = std::fopen(events.c_str(), "w");
    if (!s.events) {
        std::cerr << "udmaview-test-compositor: cannot write " << events << ": "
                  << std::strerror(errno) << "\n";
        return 1;
    }
    s.display = wl_display_create();
    if (wl_display_add_socket(s.display, s.opt.socket.c_str()) != 0) {
        std::cerr << "udmaview-test-compositor: cannot listen on " << s.opt.socket
                  << " in $XDG_RUNTIME_DIR: " << std::strerror(errno) << "\n";
        return 1;
    }
    wl_display_init_shm(s.display);
    for (const char* f : {"XB24", "AB24", "RG16"})
        wl_display_add_shm_format(s.display, parse_fourcc(f));
    add_compositor_globals(s);
    add_shell_globals(s);
    if (s.opt.dmabuf)
        add_dmabuf_global(s);
    add_seat_global(s);
    wl_event_loop* loop = wl_display_get_event_loop(s.display);
    tick_source = wl_event_loop_add_timer(loop, tick, nullptr);
    wl_event_source_timer_update(tick_source, tick_ms);
    wl_event_source* term = wl_event_loop_add_signal(loop, SIGTERM, stop, &s);
    wl_event_source* intr = wl_event_loop_add_signal(loop, SIGINT, stop, &s);
    // One client is the test's udmaview: the run ends when it goes.
    client_created.notify = [](wl_listener*, void* data) {
        if (client_destroyed.notify)
            return;
        client_destroyed.notify = [](wl_listener*, void*) {
            server().client_gone = true;
        };
        wl_client_add_destroy_listener(static_cast<wl_client*>(data), &client_destroyed);
    };
    wl_display_add_client_created_listener(s.display, &client_created);
    std::cerr << "udmaview-test-compositor: listening on " << s.opt.socket << "\n";
    while (!s.client_gone) {
        wl_display_flush_clients(s.display);
        wl_event_loop_dispatch(loop, -1);
    }
    write_end(s);
    std::fclose(s.events);
    s.events = nullptr;
    // The loop frees only the sources taken out of it.
    for (wl_event_source* e : {tick_source, term, intr})
        wl_event_source_remove(e);
    // Every resource's destructor frees what it holds (a client still connected after
    // SIGTERM included), so a leak checker sees nothing left.
    wl_display_destroy_clients(s.display);
    wl_display_destroy(s.display);
    close_dmabuf_table();
    return 0;
}
