// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "sources/region/region_spec.h"
#include "udmaview/mapping.h"
#include "udmaview/source.h"
#include "udmaview/tile_damage.h"
#include "udmaview/unique_fd.h"

namespace udmaview {

struct RegionOptions {
    RegionSpec spec;
    double fps = 60; // how often the region is scanned for changes
    bool use_udmabuf = true;
    std::string udmabuf_path = "/dev/udmabuf";
};

// A framebuffer that lives inside someone else's memory file, e.g. a guest's linear
// framebuffer inside QEMU's memory-backend-memfd RAM (/proc/PID/fd/N). One UDMABUF_CREATE
// over the enclosing pages makes it a dma-buf; as no damage information arrives, the tile-hash
// detector finds what changed. When the path is under /proc/PID/, the source ends when that
// process exits.
class RegionSource : public FrameSource {
public:
    explicit RegionSource(RegionOptions options)
        : options_(std::move(options)) {}

    std::string name() const override { return "region " + options_.spec.to_string(); }
    Status start() override;
    void stop() override {}
    int poll_fd() const override { return epoll_.get(); }
    void dispatch(SourceSink& sink) override;
    void set_frame_limit(uint64_t frames) override { limit_ = frames; }

    bool has_dmabuf() const { return buffer_ && buffer_->dmabuf(); }

private:
    Status open_region();
    Status watch_owner();

    RegionOptions options_;
    std::shared_ptr<const Buffer> buffer_;
    Mapping view_; // read-only, for the damage detector
    std::unique_ptr<TileDamage> damage_;
    UniqueFd epoll_, timer_, owner_pidfd_;
    uint64_t seq_ = 0, limit_ = 0;
    bool ended_ = false;
};

} // namespace udmaview
