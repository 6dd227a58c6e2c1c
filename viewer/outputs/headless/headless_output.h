// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <string>

#include "udmaview/mapping.h"
#include "udmaview/output.h"
#include "udmaview/png.h"

namespace udmaview {

struct HeadlessOptions {
    std::string dump_png;  // write the last frame here when the run ends; empty: no dump
    bool checksum = false; // read every damaged pixel into checksum()
};

// Consumes frames without a display: maps each buffer once (cached per BufferId), presents at
// once, and can dump the last frame. It reads pixels only when asked (dump_png, checksum): a
// read nobody looks at would only add its cost to every measurement of the source.
class HeadlessOutput : public Output {
public:
    explicit HeadlessOutput(HeadlessOptions options)
        : options_(std::move(options)) {}

    std::string name() const override { return "headless"; }
    Status start() override { return {}; }
    void stop() override { mappings_.clear(); }
    bool busy() const override { return false; }
    Status submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) override;
    void retire(BufferId id) override { mappings_.erase(id); }
    Status finish(const Frame* last) override;
    // The PNG dump shows the source's pointer (alpha-blended at its hot spot) when visible.
    void set_cursor(const CursorState& cursor) override { cursor_ = cursor; }

    // With options.checksum: a checksum of every damaged pixel read so far (else 0).
    uint64_t checksum() const { return checksum_; }
    size_t cached_mappings() const { return mappings_.size(); }

private:
    Result<const Mapping*> mapping_for(const Buffer& buffer, SubmitStats& stats);
    uint64_t checksum_damage(const Frame& frame, const uint8_t* mapped) const;

    HeadlessOptions options_;
    std::map<BufferId, Mapping> mappings_;
    uint64_t checksum_ = 0;
    CursorState cursor_;
};

// Alpha-blends the cursor image (ARGB8888, straight alpha) onto image with its hot spot at
// (cursor.x, cursor.y), clipped to the image; nothing when invisible or without an image.
void draw_cursor(RgbaImage& image, const CursorState& cursor);

} // namespace udmaview
