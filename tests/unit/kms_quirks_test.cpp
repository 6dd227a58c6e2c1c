// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "outputs/kms/kms_quirks.h"

using namespace udmaview;
using namespace udmaview::kms;

namespace {
constexpr KernelVersion k61{6, 1, 192};
constexpr KernelVersion k612{6, 12, 117};
} // namespace

TEST(KmsQuirks, TableLookup) {
    const DriverQuirks cirrus = quirks_for("cirrus", k61);
    EXPECT_EQ(cirrus.full_row_clips_above_pitch, 4088u);
    EXPECT_TRUE(cirrus.copies_on_damage);
    EXPECT_TRUE(cirrus.ignores_src_offset);
    const DriverQuirks none = quirks_for("i915", k61);
    EXPECT_EQ(none.driver, "i915");
    EXPECT_EQ(none.full_row_clips_above_pitch, 0u);
    EXPECT_FALSE(none.copies_on_damage);
    EXPECT_FALSE(none.ignores_src_offset);
    for (const DriverQuirks& q : quirk_table())
        EXPECT_FALSE(q.why.empty()) << q.driver;
}

TEST(KmsQuirks, KernelReleaseParses) {
    EXPECT_EQ(parse_kernel_release("6.12.117+deb13-amd64"), k612);
    EXPECT_EQ(parse_kernel_release("6.1.0-57-amd64"), (KernelVersion{6, 1, 0}));
    EXPECT_EQ(parse_kernel_release("6.15"), (KernelVersion{6, 15, 0}));
    EXPECT_EQ(parse_kernel_release("weird"), KernelVersion{});
    EXPECT_LT((KernelVersion{6, 11, 99}), (KernelVersion{6, 12, 0}));
}

TEST(KmsQuirks, CirrusPitchQuirkIsKeyedOnTheKernel) {
    const Region damage(Rect{300, 200, 40, 30});
    // Measured in the VM: 6.1 cirrus misplaces such clips, 6.12 draws them in place.
    EXPECT_EQ(damage_clips(damage, 1024, 768, 4096, quirks_for("cirrus", k61)),
              Region(Rect{0, 200, 1024, 30}));
    const DriverQuirks cirrus612 = quirks_for("cirrus", k612);
    EXPECT_EQ(damage_clips(damage, 1024, 768, 4096, cirrus612), damage);
    // The other cirrus quirks were not measured gone: they stay.
    EXPECT_TRUE(cirrus612.copies_on_damage);
    EXPECT_TRUE(cirrus612.ignores_src_offset);
    EXPECT_EQ(quirks_for("cirrus", KernelVersion{7, 0, 0}).full_row_clips_above_pitch, 0u);
    EXPECT_EQ(quirks_for("cirrus", KernelVersion{6, 11, 9}).full_row_clips_above_pitch, 4088u);
}

TEST(KmsQuirks, CirrusSmallPitchKeepsClipsExact) {
    const Region damage(Rect{300, 200, 40, 30});
    EXPECT_EQ(damage_clips(damage, 800, 600, 3200, quirks_for("cirrus", k61)), damage);
    EXPECT_EQ(damage_clips(damage, 1018, 600, 4072, quirks_for("cirrus", k61)), damage);
}

TEST(KmsQuirks, CirrusLargePitchWidensToFullRows) {
    const Region damage(Rect{300, 200, 40, 30});
    const Region clips = damage_clips(damage, 1024, 768, 4096, quirks_for("cirrus", k61));
    EXPECT_EQ(clips, Region(Rect{0, 200, 1024, 30}));
    for (const Rect& r : clips.rects())
        EXPECT_EQ(r.x, 0);
    // Other drivers with the same pitch keep exact clips.
    EXPECT_EQ(damage_clips(damage, 1024, 768, 4096, quirks_for("bochs-drm", k61)), damage);
}

TEST(KmsQuirks, ClipsAreClippedToTheFramebuffer) {
    const Region damage(Rect{780, 590, 50, 50});
    EXPECT_EQ(damage_clips(damage, 800, 600, 3200, quirks_for("x", k61)),
              Region(Rect{780, 590, 20, 10}));
    EXPECT_TRUE(
        damage_clips(Region(Rect{900, 0, 5, 5}), 800, 600, 3200, quirks_for("x", k61)).empty());
}

TEST(KmsQuirks, ManyRectsAreMergedButStillCovered) {
    Region damage;
    for (int i = 0; i < 100; ++i)
        damage.add(Rect{(i % 10) * 70, (i / 10) * 55, 8, 8});
    const Region clips = damage_clips(damage, 800, 600, 3200, quirks_for("x", k61), 16);
    EXPECT_LE(clips.rects().size(), 16u);
    EXPECT_TRUE(damage.subtracted(clips).empty());
}
