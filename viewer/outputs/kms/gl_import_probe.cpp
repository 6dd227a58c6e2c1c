// SPDX-License-Identifier: MIT
#include "outputs/kms/gl_import_probe.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <optional>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outputs/kms/gl_import_check.h"
#include "udmaview/clock.h"
#include "udmaview_config.h"

extern char** environ;

namespace udmaview::kms {

namespace {

constexpr const char* helper_name = "udmaview-gl-probe";

std::string describe_status(int status) {
    if (WIFSIGNALED(status)) {
        const char* name = sigabbrev_np(WTERMSIG(status));
        return std::string("the probe process was killed by SIG") + (name ? name : "?") +
               " while sampling the imported buffer";
    }
    switch (WEXITSTATUS(status)) {
    case GlImportUsable:
        return "";
    case GlImportNoSetup:
        return "the probe process could not set up GBM, EGL or a udmabuf";
    case GlImportRefused:
        return "EGL refused the dma-buf import";
    case GlImportDiffers:
        return "the imported picture read back differs from the buffer";
    default:
        return "the probe process exited with status " + std::to_string(WEXITSTATUS(status));
    }
}

// Next to this executable in the build dir (so tests run the helper built with it), else
// where `meson install` put it.
std::string helper_path() {
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        std::string path(self, size_t(n));
        path = path.substr(0, path.rfind('/') + 1) + helper_name;
        if (::access(path.c_str(), X_OK) == 0)
            return path;
    }
    return std::string(UDMAVIEW_LIBEXECDIR) + "/" + helper_name;
}

// One probe process per card, for the whole process: the driver does not change meanwhile.
struct Probe {
    pid_t pid = -1;
    uint64_t deadline_ns = 0;
    int timeout_ms = 0;
    std::optional<GlImportVerdict> verdict;
};

class Probes {
public:
    ~Probes() { // at exit: no probe outlives the viewer
        for (auto& [path, p] : probes_)
            finish(p, "");
    }
    std::mutex lock;
    std::map<std::string, Probe> probes_;

    static void finish(Probe& p, const std::string& why) {
        if (p.verdict || p.pid <= 0)
            return;
        ::kill(p.pid, SIGKILL);
        ::waitpid(p.pid, nullptr, 0);
        p.verdict = GlImportVerdict{false, why};
    }
};

Probes& probes() {
    static Probes all;
    return all;
}

// The helper starts with default signal handling and an empty mask (this process blocks the
// signals it reads from signalfds), stdio on /dev/null, and none of this process' other fds.
Probe start_helper(const std::string& card_path, int timeout_ms) {
    Probe p;
    p.timeout_ms = timeout_ms;
    const std::string path = helper_path();
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addclosefrom_np(&files, STDERR_FILENO + 1);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char* const argv[] = {const_cast<char*>(path.c_str()), const_cast<char*>(card_path.c_str()),
                          nullptr};
    const int err = ::posix_spawn(&p.pid, path.c_str(), &files, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&files);
    if (err != 0) {
        p.pid = -1;
        p.verdict = GlImportVerdict{false, "cannot start the probe process " + path + " (" +
                                               std::strerror(err) + "; reinstall udmaview)"};
        return p;
    }
    p.deadline_ns = now_ns() + uint64_t(timeout_ms) * 1000000u;
    return p;
}

void poll_helper(Probe& p) {
    if (p.verdict)
        return;
    int status = 0;
    const pid_t done = ::waitpid(p.pid, &status, WNOHANG);
    if (done == p.pid) {
        const std::string why = describe_status(status);
        p.verdict = GlImportVerdict{why.empty(), why, WIFSIGNALED(status) ? WTERMSIG(status) : 0};
    } else if (done < 0 && errno != EINTR) {
        Probes::finish(p, std::string("waitpid failed: ") + std::strerror(errno));
    } else if (now_ns() >= p.deadline_ns) {
        Probes::finish(p, "the probe process did not finish within " +
                              std::to_string(p.timeout_ms) + " ms");
    }
}

} // namespace

void start_gl_import_probe(const std::string& card_path, int timeout_ms) {
    Probes& all = probes();
    const std::lock_guard<std::mutex> hold(all.lock);
    if (!all.probes_.contains(card_path))
        all.probes_.emplace(card_path, start_helper(card_path, timeout_ms));
}

std::optional<GlImportVerdict> gl_import_verdict(const std::string& card_path) {
    Probes& all = probes();
    const std::lock_guard<std::mutex> hold(all.lock);
    auto it = all.probes_.find(card_path);
    if (it == all.probes_.end())
        return std::nullopt;
    poll_helper(it->second);
    return it->second.verdict;
}

} // namespace udmaview::kms
