// SPDX-License-Identifier: MIT
#include "sources/demo/demo_source.h"

#include <cerrno>
#include <cmath>
#include <ctime>
#include <iostream>
#include <sys/mman.h>
#include <type_traits>
#include <variant>

#include "udmaview/clock.h"
#include "udmaview/udmabuf.h"

namespace udmaview {

DemoSource::DemoSource(DemoOptions options)
    : options_(std::move(options))
    , scene_(options_.width, options_.height, options_.patterns, options_.seed) {
    if (!options_.format)
        options_.format = find_format(make_fourcc('X', 'R', '2', '4'));
}

DemoSource::~DemoSource() {
    stop();
}

std::string DemoSource::name() const {
    return "demo " + std::to_string(options_.width) + "x" + std::to_string(options_.height) + " " +
           std::string(options_.format->name);
}

Status DemoSource::make_surfaces() {
    layout_.width = options_.width;
    layout_.height = options_.height;
    layout_.format = options_.format;
    layout_.stride =
        uint32_t(align_up(uint64_t(options_.width) * options_.format->bytes_per_pixel, 64));
    // udmabuf wants whole pages; KMS wants pitch alignment (64 covers every driver we know).
    const uint64_t size = align_up(uint64_t(layout_.stride) * layout_.height, page_size());
    if (Status s = layout_.validate(size); !s)
        return Error{"demo: " + s.error().message, s.error().errnum};

    std::optional<Udmabuf> udmabuf;
    if (options_.use_udmabuf) {
        Result<Udmabuf> dev = Udmabuf::open(options_.udmabuf_path);
        if (dev)
            udmabuf = std::move(*dev);
        else
            std::cerr << "demo: no dma-buf: " << dev.error().message
                      << "; outputs map the memfd instead (the mmap fallback)\n";
    }
    for (unsigned i = 0; i < scene_.buffer_count(); ++i) {
        Result<OwnedBuffer> surface = OwnedBuffer::create(
            "udmaview-demo-" + std::to_string(i), layout_, udmabuf ? &*udmabuf : nullptr, "demo");
        if (!surface)
            return Error{"demo: " + surface.error().message, surface.error().errnum};
        surfaces_.push_back(std::move(*surface));
    }
    has_dmabuf_ = udmabuf.has_value();
    return {};
}

Status DemoSource::start() {
    if (producer_.joinable())
        return {};
    if (Status s = ready_.open("demo"); !s)
        return s;
    if (Status s = make_surfaces(); !s)
        return s;
    stopping_ = false;
    producer_ = std::thread([this] { produce(); });
    return {};
}

void DemoSource::sleep_until(uint64_t deadline_ns) {
    // steady_clock is CLOCK_MONOTONIC (clock.h's now_ns()); stop() wakes the wait, so a slow
    // frame rate never delays the end of a run.
    const std::chrono::steady_clock::time_point deadline{std::chrono::nanoseconds(deadline_ns)};
    std::unique_lock lock(wake_mutex_);
    wake_.wait_until(lock, deadline, [this] { return stopping_.load(); });
}

void DemoSource::stop() {
    {
        std::lock_guard lock(wake_mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (producer_.joinable())
        producer_.join();
}

void DemoSource::produce() {
    const uint64_t start = now_ns();
    const double period_ns = options_.fps > 0 ? 1e9 / options_.fps : 0;
    for (uint64_t n = 1; !stopping_ && (!limit_ || n <= limit_); ++n) {
        if (period_ns > 0)
            sleep_until(start + uint64_t(std::llround(double(n - 1) * period_ns)));
        OwnedBuffer& surface = surfaces_[scene_.buffer_index(n)];
        const Region damage = scene_.damage(n);
        {
            std::optional<DmaBufSync> sync = surface.buffer->cpu_access(DmaBufSync::Write);
            scene_.render(n, damage, *layout_.format, surface.pixels.data(), layout_.stride);
        }
        publish(Frame{n, surface.buffer, damage, now_ns()}, limit_ && n == limit_);
    }
}

void DemoSource::publish(Frame frame, bool end) {
    ready_.post({std::move(frame), end});
}

void DemoSource::dispatch(SourceSink& sink) {
    bool ended = false;
    for (Drawn& d : ready_.drain()) {
        sink.on_frame(std::move(d.frame));
        ended = ended || d.end;
    }
    if (ended && !end_reported_) {
        end_reported_ = true;
        sink.on_source_end({});
    }
}

void DemoSource::send_input(const InputEvent& event) {
    if (!options_.log_input)
        return;
    std::visit(
        [](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, KeyEvent>)
                std::cerr << "demo: input key " << e.code << (e.pressed ? " pressed" : " released");
            else if constexpr (std::is_same_v<T, PointerMove>)
                std::cerr << "demo: input move " << e.x << " " << e.y;
            else if constexpr (std::is_same_v<T, PointerMotion>)
                std::cerr << "demo: input motion " << e.dx << " " << e.dy;
            else if constexpr (std::is_same_v<T, PointerButton>)
                std::cerr << "demo: input button " << e.code
                          << (e.pressed ? " pressed" : " released");
            else
                std::cerr << "demo: input wheel " << e.dx << " " << e.dy;
            std::cerr << "\n";
        },
        event);
}

} // namespace udmaview
