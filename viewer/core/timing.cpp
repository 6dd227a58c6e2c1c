// SPDX-License-Identifier: MIT
#include "udmaview/timing.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <ostream>

namespace udmaview {

namespace {

double ms_between(uint64_t from, uint64_t to) {
    return double(to - from) / 1e6;
}

StageStats stage(const std::deque<FrameRecord>& records, uint64_t FrameRecord::*from,
                 uint64_t FrameRecord::*to) {
    std::vector<double> samples;
    for (const FrameRecord& r : records)
        if (r.*from && r.*to && r.*to >= r.*from)
            samples.push_back(ms_between(r.*from, r.*to));
    return stage_stats(std::move(samples));
}

std::string json_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (uint8_t(c) < 0x20) {
            out += ' ';
            continue;
        }
        out += c;
    }
    return out;
}

void write_stage_json(std::ostream& out, const char* name, const StageStats& s) {
    out << "    \"" << name << "\": {\"samples\": " << s.samples << ", \"p50_ms\": " << s.p50_ms
        << ", \"p95_ms\": " << s.p95_ms << ", \"p99_ms\": " << s.p99_ms
        << ", \"max_ms\": " << s.max_ms << "}";
}

void write_run_info_json(std::ostream& out, const TimingRunInfo& info) {
    out << "    \"width\": " << info.width << ", \"height\": " << info.height
        << ", \"source_fps\": " << info.source_fps << ",\n";
}

void write_counters_json(std::ostream& out, const char* key, const SourceCounters& counters) {
    out << "    \"" << key << "\": {";
    for (size_t i = 0; i < counters.size(); ++i)
        out << (i ? ", " : "") << '"' << json_escape(counters[i].first)
            << "\": " << counters[i].second;
    out << "}";
}

void write_source_json(std::ostream& out, const SourceSummary& s, bool last) {
    out << "      {\"source\": " << s.source << ", \"name\": \"" << json_escape(s.name)
        << "\", \"frames\": " << s.frames << ", \"presented\": " << s.presented
        << ", \"dropped\": " << s.dropped << ", \"fps\": " << s.fps
        << ", \"bytes_copied_per_frame\": " << s.bytes_copied_per_frame
        << ", \"imports_per_frame\": " << s.imports_per_frame << ",\n  ";
    write_stage_json(out, "produced_to_presented", s.produced_to_presented);
    out << ",\n  ";
    write_counters_json(out, "source_counters", s.source_counters);
    out << "}" << (last ? "\n" : ",\n");
}

// The kind of source in its name ("qemu" for "qemu-p2p /run/qmp.sock"), to label its counters.
std::string source_kind(const std::string& name) {
    return name.substr(0, name.find_first_of(" -"));
}

bool ends_with(const std::string& s, const char* suffix) {
    const size_t n = std::strlen(suffix);
    return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

} // namespace

StageStats stage_stats(std::vector<double> samples) {
    StageStats s;
    s.samples = samples.size();
    if (samples.empty())
        return s;
    std::sort(samples.begin(), samples.end());
    auto rank = [&](double p) {
        size_t k = size_t(std::ceil(p / 100.0 * double(samples.size())));
        return samples[std::clamp<size_t>(k, 1, samples.size()) - 1];
    };
    s.p50_ms = rank(50);
    s.p95_ms = rank(95);
    s.p99_ms = rank(99);
    s.max_ms = samples.back();
    return s;
}

void FrameTotals::add(const FrameRecord& r) {
    ++frames;
    dropped += r.dropped;
    if (r.produced_ns && (!first_produced_ns || r.produced_ns < first_produced_ns))
        first_produced_ns = r.produced_ns;
    if (r.presented_ns) {
        ++presented;
        if (!first_presented_ns || r.presented_ns < first_presented_ns)
            first_presented_ns = r.presented_ns;
        last_presented_ns = std::max(last_presented_ns, r.presented_ns);
    }
    bytes_copied += r.bytes_copied;
    imports += r.imports;
}

void FrameTotals::merge(const FrameTotals& t) {
    auto earliest = [](uint64_t a, uint64_t b) {
        return !a ? b : !b ? a : std::min(a, b);
    };
    frames += t.frames;
    dropped += t.dropped;
    presented += t.presented;
    bytes_copied += t.bytes_copied;
    imports += t.imports;
    first_produced_ns = earliest(first_produced_ns, t.first_produced_ns);
    first_presented_ns = earliest(first_presented_ns, t.first_presented_ns);
    last_presented_ns = std::max(last_presented_ns, t.last_presented_ns);
}

FrameRecord& TimingRecorder::add(const FrameRecord& record) {
    // A deque: references to kept records stay valid while old ones go.
    records_.push_back(record);
    while (window_ && records_.size() > window_) {
        const FrameRecord& old = records_.front();
        if (evicted_.size() <= old.source)
            evicted_.resize(old.source + 1);
        evicted_[old.source].add(old);
        records_.pop_front();
    }
    return records_.back();
}

FrameRecord* TimingRecorder::find(uint64_t seq) {
    // Records arrive in seq order; the ones asked for are nearly always the newest.
    for (auto it = records_.rbegin(); it != records_.rend(); ++it)
        if (it->seq == seq)
            return &*it;
    return nullptr;
}

void TimingRecorder::set_source_counters(uint32_t source, SourceCounters counters) {
    if (source == 0)
        counters_ = counters;
    if (lane_counters_.size() <= source)
        lane_counters_.resize(source + 1);
    lane_counters_[source] = std::move(counters);
}

std::vector<SourceSummary> TimingRecorder::source_summaries() const {
    std::vector<SourceSummary> out;
    if (names_.size() < 2)
        return out;
    for (uint32_t i = 0; i < names_.size(); ++i) {
        TimingRecorder one(names_[i], output_);
        for (const FrameRecord& r : records_)
            if (r.source == i)
                one.records_.push_back(r);
        if (i < evicted_.size())
            one.evicted_ = {evicted_[i]};
        const TimingSummary t = one.summary();
        SourceSummary s;
        s.source = i;
        s.name = names_[i];
        s.frames = t.frames;
        s.presented = t.presented;
        s.dropped = t.dropped;
        s.fps = t.fps;
        s.produced_to_presented = t.produced_to_presented;
        s.bytes_copied_per_frame = t.bytes_copied_per_frame;
        s.imports_per_frame = t.imports_per_frame;
        if (i < lane_counters_.size())
            s.source_counters = lane_counters_[i];
        out.push_back(std::move(s));
    }
    return out;
}

TimingSummary TimingRecorder::summary() const {
    TimingSummary s;
    s.source = source_;
    s.output = output_;
    s.source_counters = counters_;
    s.output_counters = output_counters_;
    FrameTotals t;
    for (const FrameTotals& e : evicted_)
        t.merge(e);
    for (const FrameRecord& r : records_)
        t.add(r);
    s.frames = t.frames;
    s.dropped = t.dropped;
    s.presented = t.presented;
    s.bytes_copied_total = t.bytes_copied;
    s.imports_total = t.imports;
    s.stage_frames = records_.size();
    if (t.first_produced_ns && t.last_presented_ns > t.first_produced_ns)
        s.duration_s = double(t.last_presented_ns - t.first_produced_ns) / 1e9;
    if (s.presented > 1 && t.last_presented_ns > t.first_presented_ns)
        s.fps =
            double(s.presented - 1) / (double(t.last_presented_ns - t.first_presented_ns) / 1e9);
    s.produced_to_imported = stage(records_, &FrameRecord::produced_ns, &FrameRecord::imported_ns);
    s.imported_to_submitted =
        stage(records_, &FrameRecord::imported_ns, &FrameRecord::submitted_ns);
    s.submitted_to_presented =
        stage(records_, &FrameRecord::submitted_ns, &FrameRecord::presented_ns);
    s.produced_to_presented =
        stage(records_, &FrameRecord::produced_ns, &FrameRecord::presented_ns);
    const uint64_t submitted = s.frames - s.dropped;
    if (submitted) {
        s.bytes_copied_per_frame = double(s.bytes_copied_total) / double(submitted);
        s.imports_per_frame = double(s.imports_total) / double(submitted);
    }
    s.sources = source_summaries();
    return s;
}

void TimingRecorder::write_json(std::ostream& out) const {
    const TimingSummary s = summary();
    out << std::setprecision(6) << "{\n  \"source\": \"" << json_escape(source_)
        << "\",\n  \"output\": \"" << json_escape(output_) << "\",\n  \"clock\": "
        << "\"CLOCK_MONOTONIC ns\",\n  \"summary\": {\n"
        << "    \"frames\": " << s.frames << ", \"presented\": " << s.presented
        << ", \"dropped\": " << s.dropped << ", \"duration_s\": " << s.duration_s
        << ", \"fps\": " << s.fps << ",\n    \"bytes_copied_total\": " << s.bytes_copied_total
        << ", \"bytes_copied_per_frame\": " << s.bytes_copied_per_frame
        << ", \"imports_total\": " << s.imports_total
        << ", \"imports_per_frame\": " << s.imports_per_frame << ",\n";
    write_run_info_json(out, run_info_);
    write_stage_json(out, "produced_to_imported", s.produced_to_imported);
    out << ",\n";
    write_stage_json(out, "imported_to_submitted", s.imported_to_submitted);
    out << ",\n";
    write_stage_json(out, "submitted_to_presented", s.submitted_to_presented);
    out << ",\n";
    write_stage_json(out, "produced_to_presented", s.produced_to_presented);
    if (!s.source_counters.empty()) {
        out << ",\n";
        write_counters_json(out, "source_counters", s.source_counters);
    }
    if (!s.output_counters.empty()) {
        out << ",\n";
        write_counters_json(out, "output_counters", s.output_counters);
    }
    if (!s.sources.empty()) {
        out << ",\n    \"sources\": [\n";
        for (size_t i = 0; i < s.sources.size(); ++i)
            write_source_json(out, s.sources[i], i + 1 == s.sources.size());
        out << "    ]";
    }
    out << "\n  },\n  \"frames\": [\n";
    for (size_t i = 0; i < records_.size(); ++i) {
        const FrameRecord& r = records_[i];
        out << "    {\"seq\": " << r.seq << ", \"source\": " << r.source
            << ", \"buffer_id\": " << r.buffer_id << ", \"produced_ns\": " << r.produced_ns
            << ", \"imported_ns\": " << r.imported_ns << ", \"submitted_ns\": " << r.submitted_ns
            << ", \"presented_ns\": " << r.presented_ns << ", \"bytes_copied\": " << r.bytes_copied
            << ", \"imports\": " << r.imports << ", \"damage_rects\": " << r.damage_rects
            << ", \"damage_pixels\": " << r.damage_pixels
            << ", \"dropped\": " << (r.dropped ? "true" : "false") << ", \"path\": \""
            << json_escape(r.path) << "\"}" << (i + 1 < records_.size() ? ",\n" : "\n");
    }
    out << "  ]\n}\n";
}

void TimingRecorder::write_csv(std::ostream& out) const {
    out << "seq,buffer_id,produced_ns,imported_ns,submitted_ns,presented_ns,bytes_copied,"
           "imports,damage_rects,damage_pixels,dropped,path,source\n";
    for (const FrameRecord& r : records_)
        out << r.seq << ',' << r.buffer_id << ',' << r.produced_ns << ',' << r.imported_ns << ','
            << r.submitted_ns << ',' << r.presented_ns << ',' << r.bytes_copied << ',' << r.imports
            << ',' << r.damage_rects << ',' << r.damage_pixels << ',' << (r.dropped ? 1 : 0) << ','
            << r.path << ',' << r.source << '\n';
}

Status TimingRecorder::write_file(const std::string& path) const {
    const bool csv = ends_with(path, ".csv");
    if (!csv && !ends_with(path, ".json"))
        return Error{"timing: '" + path + "' must end in .json or .csv", EINVAL};
    std::ofstream out(path, std::ios::trunc);
    if (!out)
        return Error::from_errno(errno ? errno : EIO, "timing: cannot write '" + path + "'");
    csv ? write_csv(out) : write_json(out);
    out.flush();
    if (!out)
        return Error::from_errno(errno ? errno : EIO, "timing: writing '" + path + "' failed");
    return {};
}

void TimingRecorder::print_summary(const TimingSummary& s, std::ostream& out) {
    auto line = [&](const char* name, const StageStats& st) {
        out << "  " << std::left << std::setw(24) << name << std::right << std::fixed
            << std::setprecision(3) << "p50 " << std::setw(8) << st.p50_ms << " ms  p95 "
            << std::setw(8) << st.p95_ms << " ms  p99 " << std::setw(8) << st.p99_ms << " ms  ("
            << st.samples << " samples)\n";
    };
    out << "udmaview: " << s.source << " -> " << s.output << ": " << s.frames << " frames, "
        << s.presented << " presented, " << s.dropped << " dropped, " << std::fixed
        << std::setprecision(1) << s.fps << " fps over " << std::setprecision(2) << s.duration_s
        << " s\n";
    line("produced -> imported", s.produced_to_imported);
    line("imported -> submitted", s.imported_to_submitted);
    line("submitted -> presented", s.submitted_to_presented);
    line("produced -> presented", s.produced_to_presented);
    if (s.stage_frames < s.frames)
        out << "  (percentiles over the newest " << s.stage_frames << " frames; counts over all)\n";
    out << "  copied " << std::setprecision(0) << s.bytes_copied_per_frame << " bytes/frame ("
        << s.bytes_copied_total << " total), imports " << std::setprecision(3)
        << s.imports_per_frame << "/frame (" << s.imports_total << " total)\n";
    if (!s.source_counters.empty()) {
        out << "  " << source_kind(s.source) << ":";
        for (const auto& [key, value] : s.source_counters)
            out << " " << key << "=" << value;
        out << "\n";
    }
    for (const SourceSummary& src : s.sources)
        out << "  source " << src.source << " (" << src.name << "): " << src.frames << " frames, "
            << src.presented << " presented, " << src.dropped << " dropped, "
            << std::setprecision(1) << src.fps << " fps, produced -> presented p50 "
            << std::setprecision(3) << src.produced_to_presented.p50_ms << " ms p99 "
            << src.produced_to_presented.p99_ms << " ms\n";
    out.unsetf(std::ios::floatfield);
}

} // namespace udmaview
