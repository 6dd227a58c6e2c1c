// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <memory>
#include <string>

#include "udmaview/mapping.h"
#include "udmaview/output.h"
#include "udmaview/png.h"
#include "udmaview/scale_mode.h"

namespace udmaview {

enum class HeadlessRender { Cpu, Gl, Pixman };

struct HeadlessOptions {
    std::string dump_png;  // write the last frame here when the run ends; empty: no dump
    bool checksum = false; // read every damaged pixel into checksum()
    // --render gl / pixman: draw every frame with the GLES renderer offscreen (headless_gl.h)
    // or with pixman into memory (headless_pixman.h) at width × height (0: the buffer's size)
    // with scale and filter; the dump is that picture.
    HeadlessRender render = HeadlessRender::Cpu;
    uint32_t width = 0, height = 0;
    ScaleMode scale = ScaleMode::Fit;
    bool linear = true;
    bool allow_import = true; // --render gl: false uploads even where the import works
    bool verbose = false;
};

class HeadlessGlView;
class HeadlessPixmanView;

// Consumes frames without a display: maps each buffer once (cached per BufferId), presents at
// once, and can dump the last frame. It reads pixels only when asked (dump_png, checksum): a
// read nobody looks at would only add its cost to every measurement of the source.
class HeadlessOutput : public Output {
public:
    explicit HeadlessOutput(HeadlessOptions options);
    ~HeadlessOutput() override;

    std::string name() const override { return "headless"; }
    Status start() override;
    void stop() override;
    bool busy() const override { return false; }
    Status submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) override;
    void retire(BufferId id) override;
    Status finish(const Frame* last) override;
    // The PNG dump shows the source's pointer (alpha-blended at its hot spot) when visible.
    void set_cursor(const CursorState& cursor) override;
    std::vector<std::pair<std::string, uint64_t>> counters() const override;

    // With options.checksum: a checksum of every damaged pixel read so far (else 0).
    uint64_t checksum() const { return checksum_; }
    size_t cached_mappings() const { return mappings_.size(); }

private:
    Result<const Mapping*> mapping_for(const Buffer& buffer, SubmitStats& stats);
    uint64_t checksum_damage(const Frame& frame, const uint8_t* mapped) const;

    HeadlessOptions options_;
    std::map<BufferId, Mapping> mappings_;
    std::unique_ptr<HeadlessGlView> gl_;         // --render gl, from start() to stop()
    std::unique_ptr<HeadlessPixmanView> pixman_; // --render pixman
    uint64_t checksum_ = 0;
    CursorState cursor_;
};

// Alpha-blends the cursor image (ARGB8888, straight alpha) onto image with its hot spot at
// (cursor.x, cursor.y), clipped to the image; nothing when invisible or without an image.
void draw_cursor(RgbaImage& image, const CursorState& cursor);

} // namespace udmaview
