// SPDX-License-Identifier: MIT
#include "cli/app.h"

#include <fstream>
#include <iostream>

#include "cli/output_factory.h"
#include "cli/source_factory.h"
#include "cli/test_hooks.h"
#include "udmaview/presenter.h"
#include "udmaview/timing.h"
#include "udmaview_config.h"

namespace udmaview {

namespace {

const char* describe(StopReason reason) {
    switch (reason) {
    case StopReason::FrameLimit:
        return "frame limit reached";
    case StopReason::Duration:
        return "duration elapsed";
    case StopReason::Signal:
        return "stopped by signal";
    case StopReason::SourceEnded:
        return "source ended";
    case StopReason::Quit:
        return "quit by user";
    case StopReason::Error:
        return "error";
    }
    return "?";
}

// The size and frame rate the options ask for, for the timing report: --size is the demo's,
// the region spec names its own, --fps paces both; a QEMU guest picks its own size and rate.
TimingRunInfo timing_run_info(const Options& options) {
    TimingRunInfo info;
    switch (options.source.kind) {
    case SourceSpec::Kind::Demo:
        info.width = options.size.width;
        info.height = options.size.height;
        info.source_fps = options.fps;
        break;
    case SourceSpec::Kind::Region:
        info.width = options.source.region.width;
        info.height = options.source.region.height;
        info.source_fps = options.fps;
        break;
    case SourceSpec::Kind::Qemu:
    case SourceSpec::Kind::Libvirt:
        break;
    }
    return info;
}

} // namespace

int run_app(const Options& options) {
    if (options.help) {
        std::cout << help_text();
        return 0;
    }
    if (options.version) {
        std::cout << "udmaview " << UDMAVIEW_VERSION << "\n";
        return 0;
    }
    if (options.list) {
        Status listed = list_displays(options, std::cout);
        if (!listed)
            std::cerr << "udmaview: " << listed.error().message << "\n";
        return listed ? 0 : 1;
    }
    // Fail before a long run, not after it, when the timing file cannot be written.
    if (!options.timing_file.empty()) {
        std::ofstream probe(options.timing_file, std::ios::app);
        if (!probe) {
            std::cerr << "udmaview: timing: cannot write '" << options.timing_file
                      << "': check that the directory exists and is writable\n";
            return 1;
        }
    }
    // Signals are blocked before any thread starts, so every thread inherits the mask and
    // only the presenter's signalfd sees them.
    Result<UniqueFd> signals = Presenter::block_signals();
    if (!signals) {
        std::cerr << "udmaview: " << signals.error().message << "\n";
        return 1;
    }
    Result<TestHooks> hooks = read_test_hooks();
    if (!hooks) {
        std::cerr << "udmaview: " << hooks.error().message << "\n";
        return 2;
    }
    Result<std::unique_ptr<Output>> output = make_output(options, *hooks);
    if (!output) {
        std::cerr << "udmaview: " << output.error().message << "\n";
        return output.error().errnum == EINVAL ? 2 : 1;
    }
    const bool several = options.sources.size() > 1;
    std::vector<std::unique_ptr<FrameSource>> sources;
    std::vector<FrameSource*> source_ptrs;
    std::vector<std::string> labels, names;
    for (const SourceOptions& spec : options.sources) {
        const std::string label =
            "--source #" + std::to_string(sources.size() + 1) + " (" + spec.source.text + ")";
        Result<std::unique_ptr<FrameSource>> source = make_source(spec, options.verbose);
        if (!source) {
            std::cerr << "udmaview: " << (several ? label + ": " : "") << source.error().message
                      << "\n";
            return source.error().errnum == EINVAL ? 2 : 1;
        }
        labels.push_back(label);
        names.push_back((*source)->name());
        source_ptrs.push_back(source->get());
        sources.push_back(std::move(*source));
    }

    std::string source_name = names.front();
    for (size_t i = 1; i < names.size(); ++i)
        source_name += " + " + names[i];
    TimingRecorder timing(source_name, (*output)->name());
    timing.set_run_info(timing_run_info(options));
    // Without a timing file only the exit summary needs the records: a bounded window (about
    // 2 MiB, 4.5 min at 60 fps) keeps a viewer that runs for weeks at a flat size.
    if (options.timing_file.empty())
        timing.set_window(16384);
    if (several)
        timing.set_source_names(names);
    PresenterOptions presenter_options;
    presenter_options.max_frames = options.frames;
    presenter_options.duration_ns = uint64_t(options.duration_s * 1e9);
    presenter_options.verbose = options.verbose;
    presenter_options.source_labels = labels;
    Presenter presenter(source_ptrs, **output, timing, presenter_options);
    Result<StopReason> stopped = presenter.run(std::move(*signals));

    int status = 0;
    if (!stopped) {
        std::cerr << "udmaview: " << stopped.error().message << "\n";
        status = 1;
    } else if (options.verbose) {
        std::cerr << "udmaview: " << describe(*stopped) << "\n";
    }
    if (!timing.records().empty() || stopped)
        TimingRecorder::print_summary(timing.summary(), std::cerr);
    if (!options.timing_file.empty()) {
        if (Status s = timing.write_file(options.timing_file); !s) {
            std::cerr << "udmaview: " << s.error().message << "\n";
            status = 1;
        }
    }
    return status;
}

} // namespace udmaview
