// SPDX-License-Identifier: MIT
#include "outputs/kms/card_probe.h"

#include <cerrno>

namespace udmaview::kms {

Result<OpenedCard> open_card(const std::string& device, const std::string& connector,
                             bool allow_atomic, const std::optional<ModeRequest>& mode,
                             const DeviceOpener& opener) {
    const std::vector<std::string> paths = card_paths(device);
    if (paths.empty())
        return Error{"kms: no DRM device in /dev/dri: load the display driver (or pass "
                     "--device); this machine may have no display",
                     ENODEV};
    std::string reasons;
    for (const std::string& path : paths) {
        Result<std::unique_ptr<DrmDevice>> dev = DrmDevice::open(path, opener);
        Result<CardResources> res = Error{};
        Result<Pipeline> pipe = Error{};
        if (dev) {
            (*dev)->enable_atomic(allow_atomic);
            res = CardResources::read(**dev);
            if (res)
                pipe = choose_pipeline(**dev, *res, connector);
        }
        const Error* failed = !dev    ? &dev.error()
                              : !res  ? &res.error()
                              : !pipe ? &pipe.error()
                                      : nullptr;
        if (failed) {
            if (!device.empty())
                return *failed;
            reasons += "\n  " + failed->message;
            continue;
        }
        if (mode)
            if (Result<drmModeModeInfo> m = choose_mode(pipe->connector, mode); !m)
                return m.error();
        OpenedCard card{std::move(*dev), *pipe, {}};
        for (const ConnectorInfo& c : res->connectors)
            if (c.current_crtc == card.pipe.crtc.id)
                card.lit_connectors.push_back(c.id);
        return card;
    }
    return Error{"kms: no DRM device with a connected connector:" + reasons, ENODEV};
}

} // namespace udmaview::kms
