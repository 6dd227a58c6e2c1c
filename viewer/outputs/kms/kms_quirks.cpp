// SPDX-License-Identifier: MIT
#include "outputs/kms/kms_quirks.h"

#include <array>

namespace udmaview::kms {

namespace {

constexpr std::array quirks{
    DriverQuirks{"cirrus", 4088, true, true,
                 "6.1 cirrus converts pitches > 4088 to 24 bpp and misplaces clips with x1 != 0; "
                 "clips are widened to full rows; it ignores the plane's source offset"},
    DriverQuirks{"udl", 0, true, false, "udl copies damaged regions to the USB device"},
    DriverQuirks{"gm12u320", 0, true, false, "gm12u320 copies damaged regions to the USB device"},
};

} // namespace

std::span<const DriverQuirks> quirk_table() {
    return quirks;
}

DriverQuirks quirks_for(std::string_view driver) {
    for (const DriverQuirks& q : quirks)
        if (q.driver == driver)
            return q;
    DriverQuirks none;
    none.driver = driver;
    return none;
}

Region damage_clips(const Region& damage, uint32_t fb_width, uint32_t fb_height, uint32_t pitch,
                    const DriverQuirks& quirks, size_t max_clips) {
    const Rect fb{0, 0, int32_t(fb_width), int32_t(fb_height)};
    Region clips = damage.intersected(fb);
    if (quirks.full_row_clips_above_pitch && pitch > quirks.full_row_clips_above_pitch)
        clips = clips.widened_to_rows(0, int32_t(fb_width));
    if (max_clips && clips.rects().size() > max_clips)
        clips = clips.simplified(max_clips);
    return clips;
}

} // namespace udmaview::kms
