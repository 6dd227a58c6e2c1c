// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "udmaview/scale_mode.h"

using namespace udmaview;

TEST(ScaleMode, ParsesEveryModeAndNamesTheChoices) {
    for (ScaleMode m : {ScaleMode::Fit, ScaleMode::Integer, ScaleMode::None})
        EXPECT_EQ(*parse_scale_mode(to_string(m)), m);
    EXPECT_EQ(*parse_scale_mode("fit"), ScaleMode::Fit);
    EXPECT_EQ(*parse_scale_mode("integer"), ScaleMode::Integer);
    EXPECT_EQ(*parse_scale_mode("none"), ScaleMode::None);
    Result<ScaleMode> bad = parse_scale_mode("stretch");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().errnum, EINVAL);
    EXPECT_NE(bad.error().message.find("fit, integer or none"), std::string::npos);
    EXPECT_FALSE(parse_scale_mode(""));
    EXPECT_FALSE(parse_scale_mode("Fit"));
}
