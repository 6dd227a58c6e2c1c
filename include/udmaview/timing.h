// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <deque>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "udmaview/error.h"

namespace udmaview {

// What happened to one source frame. Times are CLOCK_MONOTONIC ns, 0 when the stage did not
// happen (a dropped frame is never submitted nor presented).
struct FrameRecord {
    uint64_t seq = 0;
    uint32_t source = 0; // Frame::source
    uint64_t buffer_id = 0;
    uint64_t produced_ns = 0;
    uint64_t imported_ns = 0;
    uint64_t submitted_ns = 0;
    uint64_t presented_ns = 0;
    uint64_t bytes_copied = 0; // by the source to make the frame plus by the output to show it
    uint32_t imports = 0;
    uint32_t damage_rects = 0;
    uint64_t damage_pixels = 0;
    bool dropped = false; // replaced by a newer frame before it could be submitted
    std::string path;
};

struct StageStats {
    double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
    uint64_t samples = 0;
};

// A source's protocol counters (FrameSource::counters()), in the source's order.
using SourceCounters = std::vector<std::pair<std::string, uint64_t>>;

// One source's share of a run with several sources (JSON summary "sources").
struct SourceSummary {
    uint32_t source = 0; // FrameRecord::source
    std::string name;
    uint64_t frames = 0, presented = 0, dropped = 0;
    double fps = 0;
    StageStats produced_to_presented;
    double bytes_copied_per_frame = 0, imports_per_frame = 0;
    SourceCounters source_counters;
};

struct TimingSummary {
    std::string source, output;
    uint64_t frames = 0, presented = 0, dropped = 0;
    double duration_s = 0, fps = 0;
    StageStats produced_to_imported, imported_to_submitted, submitted_to_presented,
        produced_to_presented;
    double bytes_copied_per_frame = 0, imports_per_frame = 0;
    uint64_t bytes_copied_total = 0, imports_total = 0;
    // The frames the stage percentiles come from: all of them, or the newest ones when the
    // recorder keeps a window (TimingRecorder::set_window).
    uint64_t stage_frames = 0;
    SourceCounters source_counters;
    SourceCounters output_counters;     // Output::counters(), same shape
    std::vector<SourceSummary> sources; // one per source when there are several, else empty
};

// What the run asked for that the frames do not tell: the picture size and the source's frame
// rate (0: as fast as possible), each 0 too when the options do not set it (a QEMU guest picks
// its own). Report readers use it to title plots and find the frame period.
struct TimingRunInfo {
    uint32_t width = 0, height = 0;
    double source_fps = 0;
};

// Counts that stay exact when old records are let go: what summary() needs besides the
// stage percentiles.
struct FrameTotals {
    uint64_t frames = 0, dropped = 0, presented = 0, bytes_copied = 0, imports = 0;
    uint64_t first_produced_ns = 0, first_presented_ns = 0, last_presented_ns = 0;
    void add(const FrameRecord& r);
    void merge(const FrameTotals& t);
};

class TimingRecorder {
public:
    TimingRecorder(std::string source, std::string output)
        : source_(std::move(source))
        , output_(std::move(output)) {}

    void set_run_info(const TimingRunInfo& info) { run_info_ = info; }
    // Keep only the newest `frames` records (0: all, what a timing file needs). Older ones are
    // folded into exact totals, so a viewer that runs for days without --timing keeps its
    // memory flat; the percentiles then describe the newest frames.
    void set_window(size_t frames) { window_ = frames; }
    FrameRecord& add(const FrameRecord& record);
    // The record of seq, or nullptr (already summarised records stay available while they
    // are in the window).
    FrameRecord* find(uint64_t seq);
    const std::deque<FrameRecord>& records() const { return records_; }
    // The source's counters at the end of the run; written in the JSON summary as the object
    // "source_counters" and printed by print_summary() (the CSV holds frame records only).
    void set_source_counters(SourceCounters counters) {
        set_source_counters(0, std::move(counters));
    }
    // Several sources: each one's name and counters, by FrameRecord::source. The top-level
    // "source_counters" stay the first source's, for readers of single-source reports.
    void set_source_names(std::vector<std::string> names) { names_ = std::move(names); }
    void set_source_counters(uint32_t source, SourceCounters counters);
    // The output's counters at the end of the run; JSON summary "output_counters" only.
    void set_output_counters(SourceCounters counters) { output_counters_ = std::move(counters); }

    TimingSummary summary() const;
    void write_json(std::ostream& out) const;
    void write_csv(std::ostream& out) const;
    // Writes JSON or CSV by the file name's extension (.json / .csv).
    Status write_file(const std::string& path) const;
    static void print_summary(const TimingSummary& s, std::ostream& out);

private:
    std::vector<SourceSummary> source_summaries() const;

    std::string source_, output_;
    TimingRunInfo run_info_;
    std::deque<FrameRecord> records_;
    size_t window_ = 0;
    std::vector<FrameTotals> evicted_; // by FrameRecord::source
    SourceCounters counters_;
    SourceCounters output_counters_;
    std::vector<std::string> names_;
    std::vector<SourceCounters> lane_counters_;
};

// Percentiles of a sample set (nearest-rank); exposed for tests.
StageStats stage_stats(std::vector<double> samples_ms);

} // namespace udmaview
