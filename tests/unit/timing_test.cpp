// SPDX-License-Identifier: MIT
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

#include "temp_dir.h"
#include "udmaview/timing.h"

using namespace udmaview;

namespace {

TimingRecorder sample(size_t window = 0, uint32_t sources = 1) {
    TimingRecorder t("src", "out");
    t.set_window(window);
    for (uint64_t i = 1; i <= 100; ++i) {
        FrameRecord r;
        r.seq = i;
        r.buffer_id = 7;
        r.produced_ns = i * 10'000'000;
        r.imported_ns = r.produced_ns + 1'000'000;
        r.submitted_ns = r.imported_ns + 1'000'000;
        r.presented_ns = r.submitted_ns + i * 100'000; // 0.1 .. 10 ms
        r.bytes_copied = 400;
        r.imports = i == 1;
        r.source = uint32_t(i % sources);
        if (i % 10 == 0) {
            r.dropped = true;
            r.imported_ns = r.submitted_ns = r.presented_ns = 0;
            r.bytes_copied = 0;
        }
        t.add(r);
    }
    return t;
}

} // namespace

TEST(Timing, PercentilesNearestRank) {
    std::vector<double> v;
    for (int i = 1; i <= 100; ++i)
        v.push_back(i);
    StageStats s = stage_stats(v);
    EXPECT_EQ(s.p50_ms, 50);
    EXPECT_EQ(s.p95_ms, 95);
    EXPECT_EQ(s.p99_ms, 99);
    EXPECT_EQ(s.max_ms, 100);
    EXPECT_EQ(stage_stats({}).samples, 0u);
    EXPECT_EQ(stage_stats({3}).p99_ms, 3);
}

TEST(Timing, SummaryCountsDropsCopiesAndImports) {
    TimingSummary s = sample().summary();
    EXPECT_EQ(s.frames, 100u);
    EXPECT_EQ(s.dropped, 10u);
    EXPECT_EQ(s.presented, 90u);
    EXPECT_EQ(s.bytes_copied_total, 90u * 400);
    EXPECT_DOUBLE_EQ(s.bytes_copied_per_frame, 400);
    EXPECT_EQ(s.imports_total, 1u);
    EXPECT_EQ(s.submitted_to_presented.samples, 90u);
    EXPECT_NEAR(s.produced_to_imported.p50_ms, 1.0, 1e-9);
    // 90 presentations spread over ~0.99 s (presentation latency grows by 0.1 ms a frame).
    EXPECT_NEAR(s.fps, 89.9, 0.5);
}

TEST(Timing, JsonHasOneRecordPerFrameWithAllFields) {
    std::ostringstream out;
    sample().write_json(out);
    const std::string json = out.str();
    size_t records = 0;
    for (size_t p = 0; (p = json.find("{\"seq\": ", p)) != std::string::npos; ++p)
        ++records;
    EXPECT_EQ(records, 100u);
    for (const char* field : {"produced_ns", "imported_ns", "submitted_ns", "presented_ns",
                              "bytes_copied", "imports", "dropped", "p99_ms", "fps"})
        EXPECT_NE(json.find(field), std::string::npos) << field;
}

TEST(Timing, CsvHasHeaderAndRows) {
    std::ostringstream out;
    sample().write_csv(out);
    std::istringstream in(out.str());
    std::string line;
    int lines = 0;
    while (std::getline(in, line))
        ++lines;
    EXPECT_EQ(lines, 101);
    EXPECT_EQ(out.str().rfind("seq,buffer_id,", 0), 0u);
}

TEST(Timing, WriteFileChoosesByExtensionAndReportsErrors) {
    TimingRecorder t = sample();
    const std::string dir = temp_dir();
    EXPECT_TRUE(t.write_file(dir + "/t.csv"));
    EXPECT_TRUE(t.write_file(dir + "/t.json"));
    std::ifstream in(dir + "/t.json");
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first, "{");
    Status bad_ext = t.write_file(dir + "/t.txt");
    ASSERT_FALSE(bad_ext);
    EXPECT_NE(bad_ext.error().message.find(".json or .csv"), std::string::npos);
    EXPECT_FALSE(t.write_file("/nonexistent-dir/t.json"));
}

TEST(Timing, SummaryPrintsAllStages) {
    std::ostringstream out;
    TimingRecorder::print_summary(sample().summary(), out);
    for (const char* s : {"100 frames", "10 dropped", "produced -> presented", "bytes/frame"})
        EXPECT_NE(out.str().find(s), std::string::npos) << s;
}

TEST(Timing, SourceCountersInJsonSummaryAndStderrOnlyWhenSet) {
    TimingRecorder plain = sample();
    std::ostringstream json, text;
    plain.write_json(json);
    TimingRecorder::print_summary(plain.summary(), text);
    EXPECT_EQ(json.str().find("source_counters"), std::string::npos);
    EXPECT_EQ(text.str().find("src:"), std::string::npos);

    TimingRecorder t("qemu-p2p /run/qmp.sock", "out");
    t.add(FrameRecord{});
    t.set_source_counters({{"scanout", 2}, {"update", 30}, {"rejected", 0}});
    std::ostringstream with_json, with_text;
    t.write_json(with_json);
    TimingRecorder::print_summary(t.summary(), with_text);
    const std::string j = with_json.str();
    const size_t counters = j.find("\"source_counters\": {\"scanout\": 2, \"update\": 30, "
                                   "\"rejected\": 0}");
    ASSERT_NE(counters, std::string::npos) << j;
    // Inside the summary object, before the frame records.
    EXPECT_LT(j.find("\"summary\""), counters);
    EXPECT_LT(counters, j.find("\"frames\": ["));
    EXPECT_NE(with_text.str().find("\n  qemu: scanout=2 update=30 rejected=0\n"), std::string::npos)
        << with_text.str();
}

TEST(Timing, OutputCountersInJsonSummaryOnlyNotOnStderr) {
    TimingRecorder plain = sample();
    std::ostringstream json;
    plain.write_json(json);
    EXPECT_EQ(json.str().find("output_counters"), std::string::npos);

    TimingRecorder t("demo", "sdl");
    t.add(FrameRecord{});
    t.set_output_counters({{"egl_swap_with_damage", 1}, {"swaps_full", 0}});
    std::ostringstream with_json, with_text;
    t.write_json(with_json);
    TimingRecorder::print_summary(t.summary(), with_text);
    const std::string j = with_json.str();
    const size_t counters =
        j.find("\"output_counters\": {\"egl_swap_with_damage\": 1, \"swaps_full\": 0}");
    ASSERT_NE(counters, std::string::npos) << j;
    EXPECT_LT(j.find("\"summary\""), counters);
    EXPECT_LT(counters, j.find("\"frames\": ["));
    EXPECT_EQ(with_text.str().find("egl_swap_with_damage"), std::string::npos) << with_text.str();
}

TEST(Timing, WindowKeepsCountsExactAndMemoryBounded) {
    const TimingSummary all = sample().summary();
    TimingRecorder windowed = sample(8);
    EXPECT_EQ(windowed.records().size(), 8u);
    EXPECT_EQ(windowed.records().front().seq, 93u) << "the newest records stay";
    const TimingSummary w = windowed.summary();
    EXPECT_EQ(w.frames, all.frames);
    EXPECT_EQ(w.presented, all.presented);
    EXPECT_EQ(w.dropped, all.dropped);
    EXPECT_EQ(w.bytes_copied_total, all.bytes_copied_total);
    EXPECT_EQ(w.imports_total, all.imports_total);
    EXPECT_DOUBLE_EQ(w.duration_s, all.duration_s);
    EXPECT_DOUBLE_EQ(w.fps, all.fps);
    EXPECT_DOUBLE_EQ(w.bytes_copied_per_frame, all.bytes_copied_per_frame);
    EXPECT_EQ(all.stage_frames, 100u);
    EXPECT_EQ(w.stage_frames, 8u);
    EXPECT_EQ(w.produced_to_presented.samples, 7u) << "percentiles of the newest 8 (one dropped)";
    EXPECT_EQ(windowed.find(5), nullptr) << "let go";
    EXPECT_NE(windowed.find(99), nullptr);
    std::ostringstream text;
    TimingRecorder::print_summary(w, text);
    EXPECT_NE(text.str().find("newest 8 frames"), std::string::npos) << text.str();
}

TEST(Timing, WindowKeepsPerSourceCountsExact) {
    TimingRecorder all = sample(0, 3), windowed = sample(5, 3);
    all.set_source_names({"a", "b", "c"});
    windowed.set_source_names({"a", "b", "c"});
    const TimingSummary a = all.summary(), w = windowed.summary();
    ASSERT_EQ(w.sources.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(w.sources[i].frames, a.sources[i].frames) << i;
        EXPECT_EQ(w.sources[i].presented, a.sources[i].presented) << i;
        EXPECT_EQ(w.sources[i].dropped, a.sources[i].dropped) << i;
        EXPECT_DOUBLE_EQ(w.sources[i].fps, a.sources[i].fps) << i;
    }
}
