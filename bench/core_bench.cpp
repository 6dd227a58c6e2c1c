// SPDX-License-Identifier: MIT
// Core benchmarks. The numbers we track are ratios measured in the same run (printed at the
// end), never absolute times: tile-hash damage detection vs memcpy of the same buffer.
#include <benchmark/benchmark.h>
#include <cstring>
#include <iostream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "udmaview/region.h"
#include "udmaview/tile_damage.h"

using namespace udmaview;

namespace {

struct Size {
    uint32_t w, h;
};
// The last size fits in a core's L2 cache: there the hash's own speed shows, while the larger
// frames are bound by memory bandwidth (shared with everything else running on the machine).
constexpr Size sizes[] = {{1024, 768}, {1920, 1080}, {512, 384}};

std::vector<uint8_t> random_frame(const Size& s) {
    std::vector<uint8_t> fb(size_t(s.w) * s.h * 4);
    std::mt19937 rng(1);
    for (auto& b : fb)
        b = uint8_t(rng());
    return fb;
}

void BM_Memcpy(benchmark::State& state) {
    const Size s = sizes[state.range(0)];
    std::vector<uint8_t> src = random_frame(s), dst(src.size());
    for (auto _ : state) {
        std::memcpy(dst.data(), src.data(), src.size());
        benchmark::DoNotOptimize(dst.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(src.size()));
}

// Worst case for the detector: nothing changed, so every tile must be hashed completely.
void BM_TileDamage(benchmark::State& state) {
    const Size s = sizes[state.range(0)];
    std::vector<uint8_t> fb = random_frame(s);
    TileDamage td = *TileDamage::create(s.w, s.h, 4, s.w * 4);
    (void)td.update(fb.data());
    for (auto _ : state) {
        Region r = td.update(fb.data());
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(fb.size()));
}

void BM_RegionUnion(benchmark::State& state) {
    std::mt19937 rng(2);
    std::vector<Rect> rects;
    for (int64_t i = 0; i < state.range(0); ++i)
        rects.push_back({int32_t(rng() % 1800), int32_t(rng() % 1000), int32_t(8 + rng() % 120),
                         int32_t(8 + rng() % 80)});
    for (auto _ : state) {
        Region r;
        for (const Rect& rect : rects)
            r.add(rect);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * state.range(0));
}

void BM_RegionSimplify(benchmark::State& state) {
    std::vector<Rect> tiles;
    for (int y = 0; y < 1080; y += 32)
        for (int x = (y / 32) % 2 * 64; x < 1920; x += 128)
            tiles.push_back({x, y, 64, 16});
    const Region r = Region::from_rects(tiles);
    for (auto _ : state) {
        Region s = r.simplified(size_t(state.range(0)));
        benchmark::DoNotOptimize(s);
    }
}

BENCHMARK(BM_Memcpy)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(BM_TileDamage)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(BM_RegionUnion)->Arg(8)->Arg(64);
BENCHMARK(BM_RegionSimplify)->Arg(4)->Arg(16);

// Keeps bytes/second of each run so the ratios can be printed after all runs.
class RatioReporter : public benchmark::ConsoleReporter {
public:
    std::map<std::string, double> bytes_per_second;
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const Run& run : runs) {
            auto it = run.counters.find("bytes_per_second");
            if (it != run.counters.end())
                bytes_per_second[run.benchmark_name()] = it->second;
        }
        ConsoleReporter::ReportRuns(runs);
    }
};

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    std::cout << "\nratios (same run; target tile_damage/memcpy >= 0.7):\n";
    for (int i = 0; i < int(std::size(sizes)); ++i) {
        const std::string arg = "/" + std::to_string(i);
        const double td = reporter.bytes_per_second["BM_TileDamage" + arg];
        const double mc = reporter.bytes_per_second["BM_Memcpy" + arg];
        if (td > 0 && mc > 0)
            std::cout << "  " << sizes[i].w << "x" << sizes[i].h
                      << " XRGB8888: tile_damage/memcpy = " << td / mc << "\n";
    }
    benchmark::Shutdown();
    return 0;
}
