// SPDX-License-Identifier: MIT
// Finds the card to drive: the one asked for, or the first in /dev/dri with a connected
// connector, opened with the API wanted and its pipeline chosen.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "outputs/kms/drm_objects.h"
#include "outputs/kms/kms_resources.h"

namespace udmaview::kms {

struct OpenedCard {
    std::unique_ptr<DrmDevice> dev;
    Pipeline pipe;
    std::vector<uint32_t> lit_connectors; // what the pipeline's CRTC drives now (to restore)
};

// device "": every card in turn (the errors of those that do not fit are listed when none
// does); else only that one. mode: checked against the chosen connector's modes.
Result<OpenedCard> open_card(const std::string& device, const std::string& connector,
                             bool allow_atomic, const std::optional<ModeRequest>& mode,
                             const DeviceOpener& opener = {});

} // namespace udmaview::kms
