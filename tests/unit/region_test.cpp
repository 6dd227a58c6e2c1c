// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <random>
#include <set>

#include "udmaview/region.h"

using namespace udmaview;

namespace {

using PixelSet = std::set<std::pair<int, int>>;

PixelSet pixels(const std::vector<Rect>& rects) {
    PixelSet s;
    for (const Rect& r : rects)
        for (int y = r.y; y < r.bottom(); ++y)
            for (int x = r.x; x < r.right(); ++x)
                s.insert({x, y});
    return s;
}

PixelSet pixels(const Region& r) {
    return pixels(r.rects());
}

bool disjoint(const Region& r) {
    const auto& v = r.rects();
    for (size_t i = 0; i < v.size(); ++i) {
        if (v[i].empty())
            return false;
        for (size_t j = i + 1; j < v.size(); ++j)
            if (!v[i].intersect(v[j]).empty())
                return false;
    }
    return true;
}

std::vector<Rect> random_rects(std::mt19937& rng, int n) {
    std::uniform_int_distribution<int> pos(-8, 40), size(-2, 16);
    std::vector<Rect> v;
    for (int i = 0; i < n; ++i)
        v.push_back({pos(rng), pos(rng), size(rng), size(rng)});
    return v;
}

} // namespace

TEST(Rect, Basics) {
    Rect a{0, 0, 10, 10}, b{5, 5, 10, 10};
    EXPECT_EQ(a.intersect(b), (Rect{5, 5, 5, 5}));
    EXPECT_EQ(a.bounding(b), (Rect{0, 0, 15, 15}));
    EXPECT_TRUE(a.intersect({20, 20, 1, 1}).empty());
    EXPECT_EQ(Rect{}.bounding(b), b);
    EXPECT_EQ((Rect{0, 0, -3, 4}).area(), 0);
    EXPECT_TRUE(a.contains({2, 2, 3, 3}));
    EXPECT_FALSE(a.contains(b));
    EXPECT_EQ(a.translated(3, -2), (Rect{3, -2, 10, 10}));
}

TEST(Rect, ScaleRoundsOutwards) {
    EXPECT_EQ((Rect{1, 1, 1, 1}).scaled(3, 2, 3, 2), (Rect{1, 1, 2, 2})); // 1.5..3 → 1..3
    EXPECT_EQ((Rect{0, 0, 10, 10}).scaled(1, 3, 1, 3), (Rect{0, 0, 4, 4}));
    EXPECT_EQ((Rect{-3, -3, 2, 2}).scaled(1, 2, 1, 2), (Rect{-2, -2, 2, 2})); // -1.5..-0.5
    EXPECT_TRUE((Rect{0, 0, 4, 4}).scaled(1, 0, 1, 1).empty()) << "zero denominator";
}

TEST(Region, UnionOfOverlapsHasNoOverlaps) {
    Region r;
    r.add(Rect{0, 0, 10, 10});
    r.add(Rect{5, 5, 10, 10});
    EXPECT_EQ(r.area(), 175);
    EXPECT_TRUE(disjoint(r));
    EXPECT_EQ(r.bounds(), (Rect{0, 0, 15, 15}));
}

TEST(Region, CoalescesIntoFewRects) {
    Region r;
    for (int y = 0; y < 64; y += 16)
        for (int x = 0; x < 256; x += 64)
            r.add(Rect{x, y, 64, 16});
    ASSERT_EQ(r.rects().size(), 1u);
    EXPECT_EQ(r.rects()[0], (Rect{0, 0, 256, 64}));
}

TEST(Region, EmptyRectsAreIgnored) {
    Region r(Rect{0, 0, 0, 5});
    EXPECT_TRUE(r.empty());
    r.add(Rect{3, 3, -1, 2});
    EXPECT_TRUE(r.empty());
    EXPECT_EQ(r.area(), 0);
}

TEST(Region, PropertyOpsMatchPixelSets) {
    std::mt19937 rng(1234);
    for (int round = 0; round < 300; ++round) {
        const auto ra = random_rects(rng, 1 + int(rng() % 6));
        const auto rb = random_rects(rng, 1 + int(rng() % 6));
        const Region a = Region::from_rects(ra), b = Region::from_rects(rb);
        const PixelSet pa = pixels(ra), pb = pixels(rb);
        ASSERT_EQ(pixels(a), pa);
        ASSERT_TRUE(disjoint(a));

        PixelSet u = pa, i, d;
        u.insert(pb.begin(), pb.end());
        for (auto p : pa)
            (pb.count(p) ? i : d).insert(p);
        const Region ru = a.united(b), ri = a.intersected(b), rd = a.subtracted(b);
        ASSERT_EQ(pixels(ru), u) << a.to_string() << " ∪ " << b.to_string();
        ASSERT_EQ(pixels(ri), i);
        ASSERT_EQ(pixels(rd), d);
        ASSERT_TRUE(disjoint(ru) && disjoint(ri) && disjoint(rd));
        ASSERT_EQ(ru.area(), int64_t(u.size()));

        const Rect clip{0, 0, 24, 24};
        Region c = a;
        c.clip(clip);
        for (auto p : pixels(c))
            ASSERT_TRUE(clip.contains_point(p.first, p.second));
        ASSERT_EQ(c, a.intersected(Region(clip)));

        PixelSet moved;
        for (auto p : pa)
            moved.insert({p.first + 7, p.second - 3});
        ASSERT_EQ(pixels(a.translated(7, -3)), moved);
    }
}

TEST(Region, SimplifyCoversAndBoundsCount) {
    std::mt19937 rng(99);
    for (int round = 0; round < 200; ++round) {
        const Region a = Region::from_rects(random_rects(rng, 2 + int(rng() % 12)));
        for (size_t max : {size_t(1), size_t(2), size_t(4), size_t(8)}) {
            const Region s = a.simplified(max);
            ASSERT_LE(s.rects().size(), max);
            ASSERT_TRUE(disjoint(s)) << s.to_string();
            ASSERT_EQ(s.intersected(a), a) << "must cover every original pixel";
            ASSERT_LE(s.area(), a.bounds().area());
        }
    }
}

TEST(Region, SimplifyManyTilesStaysFastAndBounded) {
    Region tiles;
    std::vector<Rect> v;
    for (int y = 0; y < 1080; y += 32)
        for (int x = (y / 32) % 2 * 64; x < 1920; x += 128)
            v.push_back({x, y, 64, 16});
    tiles = Region::from_rects(v);
    ASSERT_GT(tiles.rects().size(), 400u);
    const Region s = tiles.simplified(16);
    EXPECT_LE(s.rects().size(), 16u);
    EXPECT_EQ(s.intersected(tiles), tiles);
}

TEST(Region, SimplifyKeepsSmallRegionsExact) {
    Region r;
    r.add(Rect{0, 0, 4, 4});
    r.add(Rect{100, 100, 4, 4});
    EXPECT_EQ(r.simplified(4), r);
    EXPECT_EQ(r.simplified(1).rects().size(), 1u);
    EXPECT_EQ(r.simplified(1).area(), 104 * 104);
}

TEST(Region, ScaleCoversScaledPixels) {
    Region r = Region::from_rects(std::vector<Rect>{{0, 0, 3, 3}, {5, 5, 1, 1}});
    Region s = r.scaled(2, 1, 2, 1);
    EXPECT_EQ(s.area(), 4 * 9 + 4);
    Region down = r.scaled(1, 2, 1, 2);
    EXPECT_TRUE(down.contains_point(0, 0));
    EXPECT_TRUE(down.contains_point(2, 2));
}

TEST(Region, WidenToRows) {
    Region r = Region::from_rects(std::vector<Rect>{{10, 5, 4, 4}, {300, 50, 1, 2}});
    Region w = r.widened_to_rows(0, 800);
    EXPECT_EQ(w.area(), 800 * 6);
    for (const Rect& rect : w.rects()) {
        EXPECT_EQ(rect.x, 0);
        EXPECT_EQ(rect.w, 800);
    }
}
