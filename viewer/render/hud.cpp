// SPDX-License-Identifier: MIT
#include "render/hud.h"

#include <algorithm>
#include <cstdio>

namespace udmaview {

namespace {

constexpr HudColor background{0, 0, 0, 176};
constexpr HudColor text_color{255, 255, 255, 255};
constexpr HudColor bar_color{64, 224, 96, 255};
constexpr HudColor grid_color{128, 128, 128, 255};
constexpr int32_t margin = 4;

std::string format(const char* fmt, double a, double b = 0) {
    char buf[96];
    std::snprintf(buf, sizeof buf, fmt, a, b);
    return buf;
}

// Nearest-rank percentile, as the timing report computes it.
uint64_t percentile(std::vector<uint64_t> values, double p) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    size_t rank = size_t(p / 100.0 * double(values.size()) + 0.999999);
    return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

} // namespace

Hud::Hud()
    : canvas_(width, height) {}

void Hud::record(uint64_t produced_ns, uint64_t presented_ns, uint64_t bytes_copied,
                 uint32_t imports, const std::string& path) {
    const uint64_t latency = presented_ns > produced_ns ? presented_ns - produced_ns : 0;
    samples_.push_back(Sample{presented_ns, latency, bytes_copied, imports});
    while (!samples_.empty() && presented_ns - samples_.front().presented_ns > window_ns)
        samples_.pop_front();
    path_ = path;
    dirty_ = true;
}

std::vector<std::string> Hud::lines() const {
    std::vector<std::string> out;
    if (samples_.empty()) {
        out.push_back("udmaview hud: waiting for frames");
        return out;
    }
    // fps over the last second of samples.
    const uint64_t newest = samples_.back().presented_ns;
    uint64_t first = newest;
    size_t in_second = 0;
    for (auto it = samples_.rbegin(); it != samples_.rend(); ++it) {
        if (newest - it->presented_ns > 1'000'000'000)
            break;
        first = it->presented_ns;
        ++in_second;
    }
    const double fps = in_second > 1 && newest > first
                           ? double(in_second - 1) * 1e9 / double(newest - first)
                           : 0.0;
    std::vector<uint64_t> latencies;
    uint64_t bytes = 0, imports = 0;
    for (const Sample& s : samples_) {
        latencies.push_back(s.latency_ns);
        bytes += s.bytes_copied;
        imports += s.imports;
    }
    const double n = double(samples_.size());
    out.push_back(format("fps %.1f", fps));
    out.push_back(format("produced->presented last %.2f ms  p99 %.2f ms",
                         double(samples_.back().latency_ns) / 1e6,
                         double(percentile(latencies, 99)) / 1e6));
    out.push_back(format("copied %.0f bytes/frame  imports %.2f/frame", double(bytes) / n,
                         double(imports) / n));
    out.push_back("path " + path_);
    return out;
}

bool Hud::refresh(uint64_t now_ns) {
    if (!dirty_ || (refreshed_ns_ && now_ns - refreshed_ns_ < refresh_ns))
        return false;
    refreshed_ns_ = now_ns;
    dirty_ = false;
    canvas_.fill(Rect{0, 0, int32_t(width), int32_t(height)}, background);
    int32_t y = margin;
    for (const std::string& line : lines()) {
        hud_font::draw_text(canvas_, margin, y, line, text_color);
        y += hud_font::line_height;
    }
    draw_graph(now_ns,
               Rect{margin, y + 2, int32_t(width) - 2 * margin, int32_t(height) - y - 2 - margin});
    return true;
}

// One bar per frame at its presentation time, its height the frame's latency; the scale
// is the slowest frame in view (at least one 60 Hz period), printed at the top left.
void Hud::draw_graph(uint64_t now_ns, Rect area) {
    if (area.w <= 0 || area.h <= hud_font::line_height)
        return;
    uint64_t scale = 16'666'667;
    for (const Sample& s : samples_)
        scale = std::max(scale, s.latency_ns);
    canvas_.fill(Rect{area.x, area.bottom() - 1, area.w, 1}, grid_color);
    canvas_.fill(Rect{area.x, area.y, 1, area.h}, grid_color);
    for (const Sample& s : samples_) {
        const uint64_t age = now_ns > s.presented_ns ? now_ns - s.presented_ns : 0;
        if (age > window_ns)
            continue;
        const int32_t x =
            area.right() - 1 - int32_t(double(age) / double(window_ns) * (area.w - 2));
        const int32_t h = std::max(1, int32_t(double(s.latency_ns) / double(scale) * (area.h - 1)));
        canvas_.fill(Rect{x, area.bottom() - 1 - h, 1, h}, bar_color);
    }
    hud_font::draw_text(canvas_, area.x + 3, area.y, format("%.1f ms", double(scale) / 1e6),
                        text_color);
}

} // namespace udmaview
