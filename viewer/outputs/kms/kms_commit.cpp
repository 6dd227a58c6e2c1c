// SPDX-License-Identifier: MIT
#include "outputs/kms/kms_commit.h"

#include <cerrno>
#include <vector>

#include "outputs/kms/atomic_request.h"
#include "outputs/kms/kms_properties.h"

namespace udmaview::kms {

namespace {

// Every property through one AtomicRequest per apply.
class AtomicCommitter final : public Committer {
public:
    AtomicCommitter(const DrmDevice& dev, const Pipeline& pipe, void* event_data)
        : Committer(dev, pipe, event_data)
        , connector_(KmsConnector::read(dev, pipe.connector.id))
        , crtc_(KmsCrtc::read(dev, pipe.crtc.id))
        , plane_(KmsPlane::read(dev, pipe.plane.id)) {}

    Status set_mode(const drmModeModeInfo& mode) override {
        Result<PropertyBlob> blob = create_property_blob(dev_, &mode, sizeof mode, "MODE_ID");
        if (!blob)
            return blob.error();
        mode_ = mode;
        mode_blob_ = std::move(*blob);
        return {};
    }

    bool damage_in_commit() const override { return plane_.has(PlaneProp::FB_DAMAGE_CLIPS); }

    Status ready() const override {
        auto missing = [&](const char* what, uint32_t id, const char* name) {
            return Error{"kms: " + std::string(what) + " " + std::to_string(id) + " of " +
                             dev_.describe() + " does not list the atomic property " + name +
                             "; run with UDMAVIEW_KMS_LEGACY=1 to use the legacy API",
                         ENOTSUP};
        };
        if (!connector_.has(ConnectorProp::CRTC_ID))
            return missing("connector", connector_.id(), "CRTC_ID");
        for (CrtcProp p : {CrtcProp::MODE_ID, CrtcProp::ACTIVE})
            if (!crtc_.has(p))
                return missing("crtc", crtc_.id(), PropertyNames<CrtcProp>::names[size_t(p)]);
        for (size_t i = 0; i < size_t(PlaneProp::Count); ++i) {
            const auto p = PlaneProp(i);
            if (p != PlaneProp::type && p != PlaneProp::FB_DAMAGE_CLIPS && !plane_.has(p))
                return missing("plane", plane_.id(), PropertyNames<PlaneProp>::names[i]);
        }
        return {};
    }

    Status apply_state(const PlaneState& state, ApplyMode mode) override {
        AtomicRequest req(dev_);
        if (state.modeset) {
            req.add(connector_, ConnectorProp::CRTC_ID, crtc_.id());
            req.add(crtc_, CrtcProp::MODE_ID, mode_blob_.id());
            req.add(crtc_, CrtcProp::ACTIVE, 1);
        }
        add_plane(req, state);
        PropertyBlob damage; // the kernel keeps its own reference once committed
        if (!state.damage.empty() && damage_in_commit()) {
            std::vector<drm_mode_rect> rects;
            for (const Rect& r : state.damage.rects())
                rects.push_back({r.x, r.y, r.right(), r.bottom()});
            Result<PropertyBlob> blob = create_property_blob(
                dev_, rects.data(), rects.size() * sizeof rects[0], "FB_DAMAGE_CLIPS");
            if (!blob)
                return blob.error();
            damage = std::move(*blob);
            req.add(plane_, PlaneProp::FB_DAMAGE_CLIPS, damage.id());
        }
        uint32_t flags = state.modeset ? DRM_MODE_ATOMIC_ALLOW_MODESET : 0;
        if (mode == ApplyMode::TestOnly)
            flags |= DRM_MODE_ATOMIC_TEST_ONLY;
        else if (mode == ApplyMode::Async)
            flags |= DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT;
        const int err = req.commit(flags, mode == ApplyMode::Async ? event_data_ : nullptr);
        if (!err)
            return {};
        if (mode == ApplyMode::TestOnly)
            return Error::from_errno(err, "kms: test commit on crtc " + std::to_string(crtc_id_) +
                                              " of " + dev_.describe() + " refused");
        if (state.modeset)
            return Error::from_errno(err, "kms: modeset of crtc " + std::to_string(crtc_id_) +
                                              " to " + mode_string(mode_) + " on " +
                                              dev_.describe() + " failed");
        return Error::from_errno(err, "kms: page flip on crtc " + std::to_string(crtc_id_) +
                                          " of " + dev_.describe() + " failed");
    }

private:
    void add_plane(AtomicRequest& req, const PlaneState& s) {
        const Placement& p = s.placement;
        req.add(plane_, PlaneProp::FB_ID, s.fb_id);
        req.add(plane_, PlaneProp::CRTC_ID, crtc_.id());
        // SRC_* are 16.16 fixed point, CRTC_* whole (signed) pixels.
        req.add(plane_, PlaneProp::SRC_X, uint64_t(p.src.x) << 16);
        req.add(plane_, PlaneProp::SRC_Y, uint64_t(p.src.y) << 16);
        req.add(plane_, PlaneProp::SRC_W, uint64_t(p.src.w) << 16);
        req.add(plane_, PlaneProp::SRC_H, uint64_t(p.src.h) << 16);
        req.add(plane_, PlaneProp::CRTC_X, uint64_t(int64_t(p.dst.x)));
        req.add(plane_, PlaneProp::CRTC_Y, uint64_t(int64_t(p.dst.y)));
        req.add(plane_, PlaneProp::CRTC_W, uint64_t(p.dst.w));
        req.add(plane_, PlaneProp::CRTC_H, uint64_t(p.dst.h));
    }

    KmsConnector connector_;
    KmsCrtc crtc_;
    KmsPlane plane_;
    PropertyBlob mode_blob_;
};

// SetCrtc for modesets, PageFlip for flips. The legacy API cannot scale or place a plane:
// the CRTC scans the framebuffer 1:1 from (src.x, src.y), so only a placement covering the
// whole mode unscaled passes the test.
class LegacyCommitter final : public Committer {
public:
    LegacyCommitter(const DrmDevice& dev, const Pipeline& pipe, void* event_data)
        : Committer(dev, pipe, event_data) {}

    Status set_mode(const drmModeModeInfo& mode) override {
        mode_ = mode;
        return {};
    }

    bool damage_in_commit() const override { return false; }

    Status apply_state(const PlaneState& state, ApplyMode mode) override {
        const Placement& p = state.placement;
        const std::string crtc = "crtc " + std::to_string(crtc_id_);
        if (mode == ApplyMode::TestOnly) {
            if (state.modeset && !p.scaled() && p.full_screen(mode_.hdisplay, mode_.vdisplay))
                return {};
            return Error{"kms: the legacy API on " + crtc + " of " + dev_.describe() +
                             " cannot show " + p.to_string() + " on " + mode_string(mode_) +
                             ": it scans out whole framebuffers 1:1",
                         EINVAL};
        }
        if (state.modeset && mode == ApplyMode::Sync) {
            uint32_t conn = connector_id_;
            if (drmModeSetCrtc(dev_.fd(), crtc_id_, state.fb_id, uint32_t(p.src.x),
                               uint32_t(p.src.y), &conn, 1, &mode_) != 0)
                return Error::from_errno(errno, "kms: drmModeSetCrtc of " + crtc + " to " +
                                                    mode_string(mode_) + " on " + dev_.describe() +
                                                    " failed");
            return {};
        }
        if (!state.modeset && mode == ApplyMode::Async) {
            if (drmModePageFlip(dev_.fd(), crtc_id_, state.fb_id, DRM_MODE_PAGE_FLIP_EVENT,
                                event_data_) != 0)
                return Error::from_errno(errno, "kms: drmModePageFlip on " + crtc + " of " +
                                                    dev_.describe() + " failed");
            return {};
        }
        return Error{"kms: the legacy API on " + dev_.describe() + " has no " +
                         (state.modeset ? "non-blocking modeset" : "blocking page flip"),
                     EINVAL};
    }
};

} // namespace

std::unique_ptr<Committer> Committer::create(const DrmDevice& dev, const Pipeline& pipe,
                                             const DriverQuirks& quirks, void* event_data) {
    std::unique_ptr<Committer> c;
    if (dev.atomic())
        c = std::make_unique<AtomicCommitter>(dev, pipe, event_data);
    else
        c = std::make_unique<LegacyCommitter>(dev, pipe, event_data);
    c->ignores_src_offset_ = quirks.ignores_src_offset;
    return c;
}

Status Committer::apply(const PlaneState& state, ApplyMode mode) {
    const Rect& src = state.placement.src;
    if (mode == ApplyMode::TestOnly && ignores_src_offset_ && (src.x || src.y))
        return Error{"kms: plane " + std::to_string(plane_id_) + " of " + dev_.describe() +
                         " ignores the source offset " + std::to_string(src.x) + "," +
                         std::to_string(src.y) + " and would show the framebuffer's top-left",
                     EINVAL};
    return apply_state(state, mode);
}

Status Committer::dirty(uint32_t fb_id, const Region& clips) {
    if (dirtyfb_unsupported_ || clips.empty())
        return {};
    std::vector<drmModeClip> rects;
    for (const Rect& r : clips.rects())
        rects.push_back({uint16_t(r.x), uint16_t(r.y), uint16_t(r.right()), uint16_t(r.bottom())});
    if (drmModeDirtyFB(dev_.fd(), fb_id, rects.data(), uint32_t(rects.size())) != 0) {
        const int err = errno;
        if (err == ENOSYS) { // the driver scans out directly: nothing to tell it
            dirtyfb_unsupported_ = true;
            return {};
        }
        return Error::from_errno(err, "kms: drmModeDirtyFB on framebuffer " +
                                          std::to_string(fb_id) + " of " + dev_.describe() +
                                          " failed");
    }
    return {};
}

} // namespace udmaview::kms
