// SPDX-License-Identifier: MIT
#include "outputs/kms/gl_import_probe.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <optional>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outputs/kms/egl_gbm.h"
#include "outputs/kms/gbm_surface.h"
#include "render/gles_renderer.h"
#include "udmaview/clock.h"
#include "udmaview/udmabuf.h"

namespace udmaview::kms {

namespace {

// The child's exit codes.
enum Outcome : int {
    Usable = 0,
    NoSetup = 10, // GBM, EGL or the udmabuf could not be made
    Refused = 11, // import not offered, or eglCreateImage / the texture refused it
    Differs = 12, // the imported picture read back is not the buffer's
};

constexpr uint32_t xrgb8888 = make_fourcc('X', 'R', '2', '4');

// A small picture: LLVM compiles the blit shader on first use, which is slow on an emulated
// CPU, and the import path's fate does not depend on the size.
constexpr uint32_t probe_size = 64;

// Every pixel's channels differ from its neighbours', so a wrong stride, offset or channel
// order shows.
uint32_t probe_pixel(uint32_t x, uint32_t y) {
    return (x * 4 + 1) << 16 | (y * 4 + 2) << 8 | ((x + y) * 2 + 3);
}

int run_child(const std::string& card_path) {
    Result<std::unique_ptr<DrmDevice>> dev = DrmDevice::open(card_path);
    if (!dev)
        return NoSetup;
    Result<std::unique_ptr<GbmDevice>> gbm = GbmDevice::create(**dev);
    if (!gbm)
        return NoSetup;
    Result<std::unique_ptr<EglGbm>> egl = EglGbm::create((*gbm)->get(), nullptr, xrgb8888);
    if (!egl)
        return NoSetup;
    Result<Udmabuf> udmabuf = Udmabuf::open();
    if (!udmabuf)
        return NoSetup;
    const Layout layout{.width = probe_size,
                        .height = probe_size,
                        .stride = probe_size * 4,
                        .offset = 0,
                        .format = find_format(xrgb8888),
                        .modifier = modifier_linear,
                        .y0_top = true};
    Result<OwnedBuffer> owned =
        OwnedBuffer::create("udmaview-gl-probe", layout, &*udmabuf, "the GL import probe");
    if (!owned || !owned->buffer->dmabuf())
        return NoSetup;
    auto* px = reinterpret_cast<uint32_t*>(owned->pixels.data());
    for (uint32_t y = 0; y < probe_size; ++y)
        for (uint32_t x = 0; x < probe_size; ++x)
            px[y * probe_size + x] = probe_pixel(x, y);

    GLuint id = 0;
    glGenRenderbuffers(1, &id);
    GlRenderbuffer colour(id);
    glGenFramebuffers(1, &id);
    GlFramebuffer fbo(id);
    glBindRenderbuffer(GL_RENDERBUFFER, colour.get());
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, probe_size, probe_size);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo.get());
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour.get());
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
        return NoSetup;

    Result<std::unique_ptr<GlesRenderer>> r = GlesRenderer::create(
        (*egl)->display(),
        RendererOptions{
            .scale = ScaleMode::None, .linear = false, .allow_import = true, .verbose = false});
    if (!r)
        return NoSetup;
    const Frame frame{.seq = 1,
                      .buffer = owned->buffer,
                      .damage = Region(layout.bounds()),
                      .produced_ns = now_ns(),
                      .source_bytes_copied = 0};
    SubmitStats stats;
    if (Status s = (*r)->update(frame, stats); !s || (*r)->current_path() != "dma-buf import")
        return Refused;
    (*r)->draw(probe_size, probe_size); // where llvmpipe crashes
    const RgbaImage got = (*r)->read_pixels(probe_size, probe_size);
    for (uint32_t y = 0; y < probe_size; ++y)
        for (uint32_t x = 0; x < probe_size; ++x) {
            const uint32_t want = probe_pixel(x, y);
            const uint8_t* p = got.at(x, y);
            if (p[0] != uint8_t(want >> 16) || p[1] != uint8_t(want >> 8) || p[2] != uint8_t(want))
                return Differs;
        }
    return Usable;
}

std::string describe_status(int status) {
    if (WIFSIGNALED(status)) {
        const char* name = sigabbrev_np(WTERMSIG(status));
        return std::string("the probe process was killed by SIG") + (name ? name : "?") +
               " while sampling the imported buffer";
    }
    switch (WEXITSTATUS(status)) {
    case Usable:
        return "";
    case NoSetup:
        return "the probe process could not set up GBM, EGL or a udmabuf";
    case Refused:
        return "EGL refused the dma-buf import";
    case Differs:
        return "the imported picture read back differs from the buffer";
    default:
        return "the probe process exited with status " + std::to_string(WEXITSTATUS(status));
    }
}

// One probe child per card, for the whole process: the driver does not change meanwhile.
struct Probe {
    pid_t pid = -1;
    uint64_t deadline_ns = 0;
    int timeout_ms = 0;
    std::optional<GlImportVerdict> verdict;
};

class Probes {
public:
    ~Probes() { // at exit: no child outlives the viewer
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

Probe start_child(const std::string& card_path, int timeout_ms) {
    Probe p;
    p.timeout_ms = timeout_ms;
    p.pid = ::fork();
    if (p.pid < 0) {
        p.verdict = GlImportVerdict{false, std::string("fork failed: ") + std::strerror(errno)};
        return p;
    }
    if (p.pid == 0) {
        // A crash here is expected on some drivers: no core file, no noise on the console.
        const rlimit no_core{0, 0};
        ::setrlimit(RLIMIT_CORE, &no_core);
        const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0) {
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
        }
        // _exit: the parent's objects (VT, CRTC restore) must not be torn down from here.
        ::_exit(run_child(card_path));
    }
    p.deadline_ns = now_ns() + uint64_t(timeout_ms) * 1000000u;
    return p;
}

void poll_child(Probe& p) {
    if (p.verdict)
        return;
    int status = 0;
    const pid_t done = ::waitpid(p.pid, &status, WNOHANG);
    if (done == p.pid) {
        const std::string why = describe_status(status);
        p.verdict = GlImportVerdict{why.empty(), why};
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
        all.probes_.emplace(card_path, start_child(card_path, timeout_ms));
}

std::optional<GlImportVerdict> gl_import_verdict(const std::string& card_path) {
    Probes& all = probes();
    const std::lock_guard<std::mutex> hold(all.lock);
    auto it = all.probes_.find(card_path);
    if (it == all.probes_.end())
        return std::nullopt;
    poll_child(it->second);
    return it->second.verdict;
}

} // namespace udmaview::kms
