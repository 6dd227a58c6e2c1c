// SPDX-License-Identifier: MIT
// The KMS output: a full-screen plane on a bare TTY, scanning out the source's dma-buf.
//
// Per BufferId the dma-buf is imported once (PRIME → GEM handle → framebuffer) and cached;
// afterwards a frame is only a page flip (new buffer) or damage (same buffer: FB_DAMAGE_CLIPS
// on the commit, or drmModeDirtyFB where the plane has no such property). Where the driver
// refuses the import, the format or the placement, two dumb buffers take the frame and only
// damaged rectangles are copied (counted in SubmitStats::bytes_copied).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <xf86drmMode.h>

#include "outputs/kms/drm_objects.h"
#include "outputs/kms/dumb_swapchain.h"
#include "outputs/kms/evdev_keyboard.h"
#include "outputs/kms/kms_geometry.h"
#include "outputs/kms/kms_quirks.h"
#include "outputs/kms/kms_resources.h"
#include "outputs/kms/saved_crtc.h"
#include "outputs/kms/vt_console.h"
#include "udmaview/output.h"

namespace udmaview::kms {

struct KmsOptions {
    std::string device;    // "" : first card with a connected connector
    std::string connector; // "" : first connected
    std::string mode;      // "" : a mode of the source's size if offered, else preferred
    ScaleMode scale = ScaleMode::Fit;
    bool verbose = false;
    bool atomic = true;      // false: legacy SetCrtc/PageFlip (env UDMAVIEW_KMS_LEGACY=1)
    bool force_copy = false; // always the dumb-buffer path (env UDMAVIEW_KMS_COPY=1)
    bool console = true;     // take the VT (KD_GRAPHICS, VT_PROCESS)
    bool keyboard = true;    // read evdev keyboards
};

// Options from the environment that exist for tests and driver debugging.
KmsOptions kms_options_from_env(KmsOptions options);

class KmsOutput : public Output {
public:
    explicit KmsOutput(KmsOptions options);
    ~KmsOutput() override;

    std::string name() const override { return "kms"; }
    Status start() override;
    void stop() override;
    int poll_fd() const override { return epoll_.get(); }
    void dispatch(OutputSink& sink) override;
    bool busy() const override { return inflight_.has_value(); }
    Status submit(const Frame& frame, SubmitStats& stats, OutputSink& sink) override;
    void retire(BufferId id) override;

    // For tests and --verbose.
    enum class Path { None, Import, Copy };
    Path path() const { return path_; }
    const std::string& driver() const { return driver_; }
    // The clips signalled for the last frame (FB_DAMAGE_CLIPS or DirtyFB), in framebuffer
    // pixels; empty for a full update (modeset, flip without clips).
    const Region& last_clips() const { return last_clips_; }
    uint64_t total_imports() const { return total_imports_; }
    size_t cached_framebuffers() const { return fbs_.size(); }
    const Placement& placement() const { return placement_; }
    // Blocks until the commit in flight (if any) is done, at most timeout_ms.
    void wait_idle(OutputSink* sink, int timeout_ms);

private:
    struct Inflight {
        uint64_t seq;
        uint32_t fb_id;
        int dumb_index; // -1: an imported framebuffer
    };
    struct Imported {
        Framebuffer fb;
        Layout layout;
    };
    struct Configured {
        uint32_t width = 0, height = 0; // source size
        const Format* format = nullptr;
        Path path = Path::None;
        bool operator==(const Configured&) const = default;
    };

    Status open_device();
    Status configure(const Frame& frame);
    Status choose_path(const Buffer& buffer);
    void announce(const std::string& key, const std::string& message);
    Result<uint32_t> import(const Buffer& buffer, SubmitStats& stats);
    Status submit_import(const Frame& frame, SubmitStats& stats, OutputSink& sink);
    Status submit_copy(const Frame& frame, SubmitStats& stats, OutputSink& sink);
    Status make_dumb_buffers();
    Result<const Mapping*> mapping_for(const Buffer& buffer, SubmitStats& stats);
    Status modeset(uint32_t fb_id, const Placement& placement);
    // Page flip (new fb) or same-fb damage commit; non-blocking with an event.
    Status flip(uint32_t fb_id, const Placement& placement, const Region& clips, uint64_t seq,
                int dumb_index);
    Status dirty(uint32_t fb_id, const Region& clips);
    Status test_placement(uint32_t fb_id, const Placement& placement);
    void add_plane_props(drmModeAtomicReqPtr req, uint32_t fb_id, const Placement& placement);
    void on_flip_done(uint64_t presented_ns);
    void release_zombies();
    void vt_release(OutputSink& sink);
    void vt_acquire(OutputSink& sink);
    void redraw(OutputSink& sink);
    static void page_flip_handler(int fd, unsigned seq, unsigned sec, unsigned usec,
                                  unsigned crtc_id, void* data);

    KmsOptions options_;
    std::optional<ModeRequest> mode_request_;
    std::optional<DrmDevice> dev_;
    std::string driver_;
    DriverQuirks quirks_;
    Pipeline pipe_;
    ObjectProperties conn_props_, crtc_props_, plane_props_;
    SavedCrtc saved_crtc_;

    std::unique_ptr<VtConsole> vt_;
    EvdevKeyboards keyboards_;
    KeyChords chords_;
    UniqueFd epoll_;
    bool vt_active_ = true;
    bool started_ = false;

    // Current configuration.
    Configured configured_;
    drmModeModeInfo mode_{};
    PropertyBlob mode_blob_;
    Placement placement_;
    bool needs_modeset_ = true;
    Path path_ = Path::None;
    std::string import_refused_; // why the import path is off ("" : allowed)
    // A source size the plane cannot show directly (placement refused by the test commit).
    std::optional<std::pair<uint32_t, uint32_t>> no_direct_size_;

    std::map<BufferId, Imported> fbs_;
    std::vector<Framebuffer> zombies_; // retired but maybe still on screen
    uint32_t screen_fb_ = 0;           // on screen now
    std::optional<Inflight> inflight_;
    OutputSink* flip_sink_ = nullptr;
    bool dirtyfb_unsupported_ = false;

    // Copy path.
    DumbSwapchain dumb_;
    std::map<BufferId, Mapping> maps_;

    std::optional<Frame> last_frame_; // for redraws after a VT switch back
    Region last_clips_;
    uint64_t total_imports_ = 0;
    std::set<std::string> announced_;
};

} // namespace udmaview::kms
