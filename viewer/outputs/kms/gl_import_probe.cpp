// SPDX-License-Identifier: MIT
#include "outputs/kms/gl_import_probe.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
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
    NoSetup = 10,  // GBM, EGL or the udmabuf could not be made
    Refused = 11,  // import not offered, or eglCreateImage / the texture refused it
    Differs = 12,  // the imported picture is not the uploaded one
    NoUpload = 13, // the format cannot be uploaded: nothing to compare with
};

constexpr uint32_t xrgb8888 = make_fourcc('X', 'R', '2', '4');

// Draws buffer 1:1 with nearest sampling into the bound framebuffer and reads it back.
Result<RgbaImage> draw_once(EGLDisplay display, bool allow_import, const Frame& frame,
                            bool& imported) {
    const Layout& l = frame.buffer->layout();
    Result<std::unique_ptr<GlesRenderer>> r =
        GlesRenderer::create(display, RendererOptions{.scale = ScaleMode::None,
                                                      .linear = false,
                                                      .allow_import = allow_import,
                                                      .verbose = false});
    if (!r)
        return r.error();
    SubmitStats stats;
    if (Status s = (*r)->update(frame, stats); !s)
        return s.error();
    imported = (*r)->current_path() == "dma-buf import";
    (*r)->draw(l.width, l.height);
    return (*r)->read_pixels(l.width, l.height);
}

int run_child(const std::string& card_path, const Layout& wanted) {
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
    Layout layout = wanted;
    layout.offset = 0;
    Result<OwnedBuffer> owned =
        OwnedBuffer::create("udmaview-gl-probe", layout, &*udmabuf, "the GL import probe");
    if (!owned || !owned->buffer->dmabuf())
        return NoSetup;
    // Every byte different from its neighbours, so a wrong stride, offset or channel order
    // shows as a difference.
    uint8_t* p = owned->pixels.data();
    for (size_t i = 0; i < owned->pixels.size(); ++i)
        p[i] = uint8_t((i * 7 + i / layout.stride * 13) & 0xff);

    GlRenderbuffer colour;
    {
        GLuint id = 0;
        glGenRenderbuffers(1, &id);
        colour = GlRenderbuffer(id);
    }
    GlFramebuffer fbo;
    {
        GLuint id = 0;
        glGenFramebuffers(1, &id);
        fbo = GlFramebuffer(id);
    }
    glBindRenderbuffer(GL_RENDERBUFFER, colour.get());
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, GLsizei(layout.width), GLsizei(layout.height));
    glBindFramebuffer(GL_FRAMEBUFFER, fbo.get());
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour.get());
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
        return NoSetup;

    const Frame frame{.seq = 1,
                      .buffer = owned->buffer,
                      .damage = Region(layout.bounds()),
                      .produced_ns = now_ns(),
                      .source_bytes_copied = 0};
    bool imported = false;
    Result<RgbaImage> uploaded = draw_once((*egl)->display(), false, frame, imported);
    if (!uploaded)
        return NoUpload;
    Result<RgbaImage> sampled = draw_once((*egl)->display(), true, frame, imported);
    if (!sampled || !imported)
        return Refused;
    return sampled->pixels == uploaded->pixels ? Usable : Differs;
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
        return "the imported picture differs from the uploaded one";
    case NoUpload:
        return "the format cannot be uploaded to compare with";
    default:
        return "the probe process exited with status " + std::to_string(WEXITSTATUS(status));
    }
}

} // namespace

GlImportVerdict probe_gl_import(const std::string& card_path, const Layout& layout,
                                int timeout_ms) {
    const pid_t pid = ::fork();
    if (pid < 0)
        return {false, std::string("fork failed: ") + std::strerror(errno)};
    if (pid == 0) {
        // A crash here is expected on some drivers: no core file, no noise on the console.
        const rlimit no_core{0, 0};
        ::setrlimit(RLIMIT_CORE, &no_core);
        const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0) {
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
        }
        // _exit: the parent's objects (VT, CRTC restore) must not be torn down from here.
        ::_exit(run_child(card_path, layout));
    }
    const uint64_t deadline = now_ns() + uint64_t(timeout_ms) * 1000000u;
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid)
            break;
        if (done < 0 && errno != EINTR) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return {false, std::string("waitpid failed: ") + std::strerror(errno)};
        }
        if (now_ns() >= deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return {false, "the probe process did not finish within " + std::to_string(timeout_ms) +
                               " ms"};
        }
        ::usleep(10000);
    }
    const std::string why = describe_status(status);
    return {why.empty(), why};
}

} // namespace udmaview::kms
