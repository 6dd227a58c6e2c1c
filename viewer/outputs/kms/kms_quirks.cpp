// SPDX-License-Identifier: MIT
#include "outputs/kms/kms_quirks.h"

#include <array>
#include <charconv>
#include <sys/utsname.h>

namespace udmaview::kms {

namespace {

// Kernel ranges are what was measured: the cirrus pitch bug is present in 6.1 and gone in
// 6.12; the releases between were not measured and keep the workaround.
constexpr std::array quirks{
    DriverQuirks{"cirrus",
                 {},
                 {6, 12, 0},
                 4088,
                 true,
                 true,
                 "6.1 cirrus converts pitches > 4088 to 24 bpp and misplaces clips with x1 != 0; "
                 "clips are widened to full rows; it ignores the plane's source offset"},
    DriverQuirks{"cirrus",
                 {6, 12, 0},
                 {},
                 0,
                 true,
                 true,
                 "cirrus copies damaged regions into VRAM and ignores the plane's source offset"},
    DriverQuirks{"udl", {}, {}, 0, true, false, "udl copies damaged regions to the USB device"},
    DriverQuirks{
        "gm12u320", {}, {}, 0, true, false, "gm12u320 copies damaged regions to the USB device"},
};

bool in_range(const DriverQuirks& q, KernelVersion kernel) {
    return kernel >= q.since && (q.until == KernelVersion{} || kernel < q.until);
}

} // namespace

std::span<const DriverQuirks> quirk_table() {
    return quirks;
}

KernelVersion parse_kernel_release(std::string_view release) {
    uint32_t parts[3] = {0, 0, 0};
    const char* p = release.data();
    const char* end = p + release.size();
    for (uint32_t& part : parts) {
        auto [next, ec] = std::from_chars(p, end, part);
        if (ec != std::errc{})
            break;
        p = next;
        if (p == end || *p != '.')
            break;
        ++p;
    }
    return {parts[0], parts[1], parts[2]};
}

KernelVersion running_kernel() {
    utsname u{};
    if (::uname(&u) != 0)
        return {};
    return parse_kernel_release(u.release);
}

DriverQuirks quirks_for(std::string_view driver, KernelVersion kernel) {
    for (const DriverQuirks& q : quirks)
        if (q.driver == driver && in_range(q, kernel))
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
