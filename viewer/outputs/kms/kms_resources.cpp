// SPDX-License-Identifier: MIT
#include "outputs/kms/kms_resources.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <xf86drm.h>

#include "outputs/kms/drm_ptr.h"
#include "outputs/kms/kms_properties.h"
#include "udmaview/format.h"

namespace udmaview::kms {

namespace {

bool parse_u32(std::string_view s, uint32_t& out) {
    if (s.empty())
        return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

std::string connector_type_name(uint32_t type) {
    const char* name = drmModeGetConnectorTypeName(type);
    return name ? name : "Unknown";
}

std::string fourcc_text(uint32_t f) {
    char s[5] = {char(f & 0xff), char(f >> 8 & 0xff), char(f >> 16 & 0xff), char(f >> 24), 0};
    return s;
}

const char* plane_type_name(uint64_t type) {
    switch (type) {
    case DRM_PLANE_TYPE_PRIMARY:
        return "primary";
    case DRM_PLANE_TYPE_CURSOR:
        return "cursor";
    case DRM_PLANE_TYPE_OVERLAY:
        return "overlay";
    }
    return "?";
}

} // namespace

Result<ModeRequest> parse_mode(const std::string& text) {
    ModeRequest r;
    const size_t x = text.find('x');
    const size_t at = text.find('@');
    const std::string_view t(text);
    if (x == std::string::npos || !parse_u32(t.substr(0, x), r.width) ||
        !parse_u32(t.substr(x + 1, at == std::string::npos ? std::string::npos : at - x - 1),
                   r.height) ||
        (at != std::string::npos && !parse_u32(t.substr(at + 1), r.refresh)) || !r.width ||
        !r.height)
        return Error{"--mode: '" + text +
                         "' is not WIDTHxHEIGHT or WIDTHxHEIGHT@HZ (e.g. 1024x768@60)",
                     EINVAL};
    return r;
}

std::string mode_string(const drmModeModeInfo& m) {
    return std::to_string(m.hdisplay) + "x" + std::to_string(m.vdisplay) + "@" +
           std::to_string(m.vrefresh);
}

bool PlaneInfo::supports(uint32_t fourcc) const {
    return std::find(formats.begin(), formats.end(), fourcc) != formats.end();
}

int CardResources::crtc_index(uint32_t crtc_id) const {
    for (size_t i = 0; i < crtcs.size(); ++i)
        if (crtcs[i].id == crtc_id)
            return int(i);
    return -1;
}

Result<CardResources> CardResources::read(const DrmDevice& dev) {
    const ModeResPtr res(drmModeGetResources(dev.fd()));
    if (!res)
        return Error::from_errno(errno ? errno : ENOTSUP,
                                 "kms: " + dev.describe() + " has no modesetting resources",
                                 "it is a render-only or non-KMS device; pick another --device");
    CardResources out;
    out.min_w = res->min_width;
    out.max_w = res->max_width;
    out.min_h = res->min_height;
    out.max_h = res->max_height;
    for (int i = 0; i < res->count_crtcs; ++i) {
        const ModeCrtcPtr c(drmModeGetCrtc(dev.fd(), res->crtcs[i]));
        CrtcInfo info;
        info.id = res->crtcs[i];
        if (c) {
            info.fb_id = c->buffer_id;
            info.x = int32_t(c->x);
            info.y = int32_t(c->y);
            info.mode_valid = c->mode_valid;
            info.mode = c->mode;
        }
        out.crtcs.push_back(info);
    }
    for (int i = 0; i < res->count_connectors; ++i) {
        const ModeConnectorPtr c(drmModeGetConnector(dev.fd(), res->connectors[i]));
        if (!c)
            continue;
        ConnectorInfo info;
        info.id = c->connector_id;
        info.name =
            connector_type_name(c->connector_type) + "-" + std::to_string(c->connector_type_id);
        info.connected = c->connection == DRM_MODE_CONNECTED;
        info.modes.assign(c->modes, c->modes + c->count_modes);
        info.mm_width = c->mmWidth;
        info.mm_height = c->mmHeight;
        for (int e = 0; e < c->count_encoders; ++e) {
            const ModeEncoderPtr enc(drmModeGetEncoder(dev.fd(), c->encoders[e]));
            if (!enc)
                continue;
            info.encoder_crtcs.push_back(enc->possible_crtcs);
            if (enc->encoder_id == c->encoder_id)
                info.current_crtc = enc->crtc_id;
        }
        out.connectors.push_back(std::move(info));
    }

    const ModePlaneResPtr planes(drmModeGetPlaneResources(dev.fd()));
    for (uint32_t i = 0; planes && i < planes->count_planes; ++i) {
        const ModePlanePtr p(drmModeGetPlane(dev.fd(), planes->planes[i]));
        if (!p)
            continue;
        PlaneInfo info;
        info.id = p->plane_id;
        info.possible_crtcs = p->possible_crtcs;
        info.formats.assign(p->formats, p->formats + p->count_formats);
        info.crtc_id = p->crtc_id;
        info.fb_id = p->fb_id;
        const KmsPlane props = KmsPlane::read(dev, info.id);
        info.type = props.initial_value(PlaneProp::type);
        info.has_damage_clips = props.has(PlaneProp::FB_DAMAGE_CLIPS);
        out.planes.push_back(std::move(info));
    }
    return out;
}

Result<Pipeline> choose_pipeline(const DrmDevice& dev, const CardResources& res,
                                 const std::string& connector_arg) {
    const ConnectorInfo* conn = nullptr;
    std::string names;
    for (const ConnectorInfo& c : res.connectors)
        names += (names.empty() ? "" : ", ") + c.name + " (id " + std::to_string(c.id) + ", " +
                 (c.connected ? "connected" : "disconnected") + ")";
    if (res.connectors.empty())
        return Error{"kms: " + dev.describe() +
                         " has no connectors (a render-only device?): pick a display card "
                         "with --device (see --list)",
                     ENODEV};
    if (connector_arg.empty()) {
        for (const ConnectorInfo& c : res.connectors)
            if (c.connected && !c.modes.empty()) {
                conn = &c;
                break;
            }
        if (!conn)
            return Error{"kms: no connected connector on " + dev.describe() + " (connectors: " +
                             names + "): plug in a display or choose one with --connector",
                         ENODEV};
    } else {
        uint32_t id = 0;
        const bool numeric = parse_u32(connector_arg, id);
        for (const ConnectorInfo& c : res.connectors)
            if (c.name == connector_arg || (numeric && c.id == id))
                conn = &c;
        if (!conn)
            return Error{"kms: --connector " + connector_arg + ": no such connector on " +
                             dev.describe() + "; connectors: " + names,
                         ENOENT};
        if (!conn->connected || conn->modes.empty())
            return Error{"kms: --connector " + connector_arg + " on " + dev.describe() +
                             " is not connected (or offers no modes): choose a connected one "
                             "(connectors: " +
                             names + ")",
                         ENODEV};
    }

    // Keep the CRTC the connector already drives (console handover without a flash); else
    // the first CRTC an encoder allows.
    int crtc_index = conn->current_crtc ? res.crtc_index(conn->current_crtc) : -1;
    if (crtc_index < 0) {
        uint32_t possible = 0;
        for (uint32_t mask : conn->encoder_crtcs)
            possible |= mask;
        for (size_t i = 0; i < res.crtcs.size() && crtc_index < 0; ++i)
            if (possible & (1u << i))
                crtc_index = int(i);
    }
    if (crtc_index < 0)
        return Error{"kms: connector " + conn->name + " on " + dev.describe() +
                         " has no usable CRTC (no encoder can drive it)",
                     ENODEV};
    const PlaneInfo* plane = nullptr;
    for (const PlaneInfo& p : res.planes)
        if (p.type == DRM_PLANE_TYPE_PRIMARY && (p.possible_crtcs & (1u << crtc_index))) {
            plane = &p;
            break;
        }
    if (!plane)
        return Error{"kms: CRTC " + std::to_string(res.crtcs[size_t(crtc_index)].id) + " of " +
                         dev.describe() + " has no primary plane",
                     ENODEV};
    return Pipeline{*conn, res.crtcs[size_t(crtc_index)], *plane};
}

std::pair<uint32_t, uint32_t> mode_target(uint32_t sources, bool guest_follows, uint32_t width,
                                          uint32_t height) {
    if (sources > 1 || guest_follows)
        return {0, 0};
    return {width, height};
}

Result<drmModeModeInfo> choose_mode(const ConnectorInfo& c,
                                    const std::optional<ModeRequest>& request, uint32_t prefer_w,
                                    uint32_t prefer_h) {
    if (c.modes.empty())
        return Error{"kms: connector " + c.name + " offers no modes", ENODEV};
    auto preferred = [&]() -> const drmModeModeInfo& {
        for (const drmModeModeInfo& m : c.modes)
            if (m.type & DRM_MODE_TYPE_PREFERRED)
                return m;
        return c.modes.front();
    };
    auto best_of_size = [&](uint32_t w, uint32_t h, uint32_t hz) -> const drmModeModeInfo* {
        const drmModeModeInfo* best = nullptr;
        for (const drmModeModeInfo& m : c.modes) {
            if (m.hdisplay != w || m.vdisplay != h || (hz && m.vrefresh != hz))
                continue;
            // Preferred first, then the highest refresh.
            if (!best ||
                ((m.type & DRM_MODE_TYPE_PREFERRED) && !(best->type & DRM_MODE_TYPE_PREFERRED)) ||
                (!(best->type & DRM_MODE_TYPE_PREFERRED) && m.vrefresh > best->vrefresh))
                best = &m;
        }
        return best;
    };
    if (request) {
        if (const drmModeModeInfo* m =
                best_of_size(request->width, request->height, request->refresh))
            return *m;
        std::string modes;
        for (const drmModeModeInfo& m : c.modes) {
            const std::string s = mode_string(m);
            if (modes.find(s) == std::string::npos)
                modes += (modes.empty() ? "" : ", ") + s;
        }
        return Error{"kms: --mode " + std::to_string(request->width) + "x" +
                         std::to_string(request->height) +
                         (request->refresh ? "@" + std::to_string(request->refresh) : "") +
                         ": connector " + c.name + " does not offer it; modes: " + modes,
                     EINVAL};
    }
    if (prefer_w && prefer_h)
        if (const drmModeModeInfo* m = best_of_size(prefer_w, prefer_h, 0))
            return *m;
    return preferred();
}

std::vector<std::string> card_paths(const std::string& only_device) {
    if (!only_device.empty())
        return {only_device};
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/dev/dri", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("card", 0) == 0)
            out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    return out;
}

Status list_cards(std::ostream& out, const std::string& only_device) {
    const std::vector<std::string> paths = card_paths(only_device);
    if (paths.empty())
        return Error{"kms: no DRM cards in /dev/dri: load a display driver (or this machine "
                     "has no display)",
                     ENODEV};
    for (const std::string& path : paths) {
        Result<std::unique_ptr<DrmDevice>> opened = DrmDevice::open(path);
        if (!opened) {
            out << path << ": " << opened.error().message << "\n";
            continue;
        }
        const std::unique_ptr<DrmDevice> dev = std::move(*opened);
        dev->enable_atomic(true);
        out << dev->describe() << ": atomic " << (dev->atomic() ? "yes" : "no") << ", prime import "
            << (dev->has_cap(DRM_CAP_PRIME) ? "cap set" : "no") << ", dumb buffers "
            << (dev->has_cap(DRM_CAP_DUMB_BUFFER) ? "yes" : "no") << ", fb modifiers "
            << (dev->has_cap(DRM_CAP_ADDFB2_MODIFIERS) ? "yes" : "no") << "\n";
        Result<CardResources> res = CardResources::read(*dev);
        if (!res) {
            out << "  " << res.error().message << "\n";
            continue;
        }
        for (const ConnectorInfo& c : res->connectors) {
            out << "  connector " << c.name << " (id " << c.id
                << "): " << (c.connected ? "connected" : "disconnected");
            if (c.current_crtc)
                out << ", on crtc " << c.current_crtc;
            out << "\n";
            if (!c.modes.empty()) {
                out << "    modes:";
                for (const drmModeModeInfo& m : c.modes)
                    out << " " << mode_string(m)
                        << ((m.type & DRM_MODE_TYPE_PREFERRED) ? "(preferred)" : "");
                out << "\n";
            }
        }
        for (const CrtcInfo& c : res->crtcs) {
            out << "  crtc " << c.id << ": ";
            if (c.mode_valid)
                out << "mode " << mode_string(c.mode) << ", fb " << c.fb_id << " at " << c.x << ","
                    << c.y << "\n";
            else
                out << "off\n";
        }
        for (const PlaneInfo& p : res->planes) {
            out << "  plane " << p.id << " (" << plane_type_name(p.type) << "): crtcs 0x"
                << std::hex << p.possible_crtcs << std::dec << ", damage clips "
                << (p.has_damage_clips ? "yes" : "no") << ", formats";
            for (uint32_t f : p.formats) {
                const Format* known = find_format(f);
                out << " " << (known ? std::string(known->name) : fourcc_text(f));
            }
            out << "\n";
        }
    }
    return {};
}

} // namespace udmaview::kms
