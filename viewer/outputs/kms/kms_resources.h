// SPDX-License-Identifier: MIT
// What a DRM card offers (connectors, CRTCs, planes, modes) and the choice of one pipeline
// (connector → CRTC → primary plane) and mode from the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <xf86drmMode.h>

#include "outputs/kms/drm_objects.h"
#include "udmaview/error.h"

namespace udmaview::kms {

// "--mode WxH[@R]"
struct ModeRequest {
    uint32_t width = 0, height = 0;
    uint32_t refresh = 0; // 0: any
};
Result<ModeRequest> parse_mode(const std::string& text);

std::string mode_string(const drmModeModeInfo& mode); // "1024x768@60"

struct ConnectorInfo {
    uint32_t id = 0;
    std::string name; // "Virtual-1", "HDMI-A-1"
    bool connected = false;
    std::vector<drmModeModeInfo> modes;
    std::vector<uint32_t> encoder_crtcs;  // bitmask of possible CRTC indices per encoder
    uint32_t current_crtc = 0;            // 0: not lit
    uint32_t mm_width = 0, mm_height = 0; // the screen's size (EDID), 0: unknown
};

struct PlaneInfo {
    uint32_t id = 0;
    uint32_t possible_crtcs = 0; // bitmask of CRTC indices
    uint64_t type = 0;           // DRM_PLANE_TYPE_*
    std::vector<uint32_t> formats;
    bool has_damage_clips = false;
    uint32_t crtc_id = 0, fb_id = 0;
    bool supports(uint32_t fourcc) const;
};

struct CrtcInfo {
    uint32_t id = 0;
    uint32_t fb_id = 0;
    int32_t x = 0, y = 0;
    bool mode_valid = false;
    drmModeModeInfo mode{};
};

// A snapshot of one card's KMS objects.
struct CardResources {
    std::vector<ConnectorInfo> connectors;
    std::vector<CrtcInfo> crtcs;
    std::vector<PlaneInfo> planes;
    uint32_t min_w = 0, max_w = 0, min_h = 0, max_h = 0;

    // Needs universal planes enabled on the fd for primary planes to show.
    static Result<CardResources> read(const DrmDevice& dev);
    int crtc_index(uint32_t crtc_id) const;
};

// The chosen connector → CRTC → primary plane.
struct Pipeline {
    ConnectorInfo connector;
    CrtcInfo crtc;
    PlaneInfo plane;
};

// connector_arg: "" (first connected), a name or a numeric id. Errors list the choices.
Result<Pipeline> choose_pipeline(const DrmDevice& dev, const CardResources& res,
                                 const std::string& connector_arg);

// The connector's mode for a request; nullopt request: preferred (or first) mode.
// prefer_w/h (when non-zero and no request): a mode of exactly that size wins.
Result<drmModeModeInfo> choose_mode(const ConnectorInfo& connector,
                                    const std::optional<ModeRequest>& request,
                                    uint32_t prefer_w = 0, uint32_t prefer_h = 0);

// The picture size the mode should have (0x0: the connector's preferred mode), for choose_mode's
// prefer_w/h. Tiles share the whole screen; a guest asked to follow the screen gets the native
// mode so that it can take that size; otherwise (or once it kept its own size) a mode of the
// picture's size, where the connector has one, shows it at 1:1 without scaling.
std::pair<uint32_t, uint32_t> mode_target(uint32_t sources, bool guest_follows, uint32_t width,
                                          uint32_t height);

// only_device when given, else /dev/dri/card0, card1, … that exist.
std::vector<std::string> card_paths(const std::string& only_device = {});

// Prints every card: driver, caps, connectors with modes, CRTCs with their state, planes
// with formats. Used by --list.
Status list_cards(std::ostream& out, const std::string& only_device = {});

} // namespace udmaview::kms
