// SPDX-License-Identifier: MIT
#include <cstdint>
#include <gtest/gtest.h>

#include "udmaview/parse.h"

using namespace udmaview;

TEST(Parse, Size) {
    EXPECT_EQ(*parse_size("1280x720"), (Size{1280, 720}));
    EXPECT_EQ(*parse_size("1x1"), (Size{1, 1}));
    EXPECT_EQ(*parse_size("16384x16384"), (Size{16384, 16384}));
    for (const char* bad : {"", "x", "640", "0x480", "640x0", "16385x2", "-1x2", "2x-1", "2x2x2",
                            " 2x2", "2x2 ", "axb", "0x10x10"})
        EXPECT_FALSE(parse_size(bad)) << bad;
    EXPECT_NE(parse_size("640").error().message.find("WIDTHxHEIGHT"), std::string::npos);
    EXPECT_NE(parse_size("0x2").error().message.find("1 to 16384"), std::string::npos);
}

TEST(Parse, UnsignedDecimalAndHex) {
    EXPECT_EQ(*parse_uint("0", 0, 10), 0u);
    EXPECT_EQ(*parse_uint("10", 0, 10), 10u);
    EXPECT_FALSE(parse_uint("11", 0, 10));
    EXPECT_FALSE(parse_uint("0", 1, 10));
    EXPECT_FALSE(parse_uint("0x10", 0, 100)); // hex only when asked for
    EXPECT_EQ(*parse_uint("0x10", 0, 100, true), 16u);
    EXPECT_EQ(*parse_uint("0X1f", 0, 100, true), 31u);
    EXPECT_EQ(*parse_uint("18446744073709551615", 0, UINT64_MAX), UINT64_MAX);
    for (const char* bad : {"", "-1", "+1", "1.5", "0x", "12x", "18446744073709551616", " 1"})
        EXPECT_FALSE(parse_uint(bad, 0, UINT64_MAX, true)) << bad;
    EXPECT_NE(parse_uint("99", 0, 10).error().message.find("from 0 to 10"), std::string::npos);
}

TEST(Parse, Double) {
    EXPECT_DOUBLE_EQ(*parse_double("30.5", 0, 1000), 30.5);
    EXPECT_DOUBLE_EQ(*parse_double("0", 0, 1000), 0);
    EXPECT_DOUBLE_EQ(*parse_double("1e3", 0, 1000), 1000);
    for (const char* bad : {"", "nan", "inf", "-1", "1001", "1,5", "2.5s", "x"})
        EXPECT_FALSE(parse_double(bad, 0, 1000)) << bad;
    EXPECT_NE(parse_double("-1", 0, 1000).error().message.find("from 0 to 1000"),
              std::string::npos);
}
