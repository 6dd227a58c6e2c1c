// SPDX-License-Identifier: MIT
// Driver quirks as data: one row per driver and kernel range with a known misbehaviour, looked
// up by the DRM driver name and the running kernel's version. The damage code reads the row;
// nowhere else asks "is this cirrus?".
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <tuple>

#include "udmaview/region.h"

namespace udmaview::kms {

// A kernel release as major.minor.patch ("6.12.117+deb13-amd64" is {6, 12, 117}).
struct KernelVersion {
    uint32_t major = 0, minor = 0, patch = 0;
    friend auto operator<=>(const KernelVersion& a, const KernelVersion& b) {
        return std::tie(a.major, a.minor, a.patch) <=> std::tie(b.major, b.minor, b.patch);
    }
    friend bool operator==(const KernelVersion&, const KernelVersion&) = default;
};

// The leading numbers of a uname release string; {0, 0, 0} when it has none.
KernelVersion parse_kernel_release(std::string_view release);
// The running kernel (uname).
KernelVersion running_kernel();

struct DriverQuirks {
    std::string_view driver; // DRM driver name (drmVersion::name)
    // The row applies to kernels in [since, until); {0,0,0} as until means no upper bound.
    KernelVersion since{}, until{};
    // When the framebuffer pitch exceeds this many bytes, damage clips must span full rows
    // (0: never). 6.1 cirrus converts such framebuffers to 24 bpp and puts a clip with
    // x1 != 0 at x*4/3 with wrong colours (vm-testbed-facts.md); 6.12 draws such clips
    // correctly (measured by the kms-cirrus-damage VM case on both kernels).
    uint32_t full_row_clips_above_pitch = 0;
    // The driver copies the framebuffer into its own memory on commit/DirtyFB (shmem-helper
    // "copy" drivers): writes into the buffer are invisible until damage names them.
    bool copies_on_damage = false;
    // The plane takes SRC_X/SRC_Y but scans the framebuffer out from its top-left pixel
    // anyway: a picture cropped elsewhere must be composed by the gl or cpu path. 6.1 cirrus
    // blits the source rectangle into VRAM at its own offset and scans VRAM from 0.
    bool ignores_src_offset = false;
    std::string_view why; // shown with --verbose
};

std::span<const DriverQuirks> quirk_table();
// The row for driver on kernel, or a row of defaults (no quirks) carrying the name.
DriverQuirks quirks_for(std::string_view driver, KernelVersion kernel);

// Most clip rectangles sent with one commit or DirtyFB; more are merged (covering more).
constexpr size_t max_damage_clips = 32;

// The clip rectangles to signal for damage on a framebuffer of fb_width x fb_height pixels
// with the given pitch: clipped to the framebuffer, widened to full rows where the driver
// needs it, simplified to at most max_clips.
Region damage_clips(const Region& damage, uint32_t fb_width, uint32_t fb_height, uint32_t pitch,
                    const DriverQuirks& quirks, size_t max_clips = max_damage_clips);

} // namespace udmaview::kms
