// SPDX-License-Identifier: MIT
#include "render/gles_renderer.h"
#include "render/extension_list.h"
#include "render/gl_program.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <sstream>
#include <sys/mman.h>

#include "udmaview/clock.h"
#include "udmaview/dma_buf.h"

namespace udmaview {

namespace {

std::string gl_string(GLenum name) {
    const auto* s = reinterpret_cast<const char*>(glGetString(name));
    return s ? s : "";
}

std::string hex(unsigned v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04x", v);
    return buf;
}

} // namespace

GlesRenderer::GlesRenderer(EGLDisplay display, RendererOptions options)
    : display_(display)
    , options_(options) {}

GlesRenderer::~GlesRenderer() = default;

Result<std::unique_ptr<GlesRenderer>> GlesRenderer::create(EGLDisplay display,
                                                           RendererOptions options) {
    std::unique_ptr<GlesRenderer> r(new GlesRenderer(display, options));
    if (Status s = r->init(); !s)
        return s.error();
    return r;
}

Status GlesRenderer::init() {
    gl_renderer_ = gl_string(GL_RENDERER);
    gl_version_ = gl_string(GL_VERSION);
    if (gl_version_.empty())
        return Error{"egl: no current GLES context (glGetString(GL_VERSION) returned nothing)",
                     EIO};
    int major = 0, minor = 0;
    if (std::sscanf(gl_version_.c_str(), "OpenGL ES %d.%d", &major, &minor) != 2)
        return Error{"egl: the context is not OpenGL ES (GL_VERSION '" + gl_version_ + "')",
                     ENOTSUP};
    gles3_ = major >= 3;
    const auto* gl_ext = reinterpret_cast<const char*>(glGetString(GL_EXTENSIONS));
    have_row_length_ = gles3_ || has_extension(gl_ext, "GL_EXT_unpack_subimage");
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_texture_size_);

    Result<BlitProgram> blit = BlitProgram::create("blit");
    if (!blit)
        return blit.error();
    blit_ = std::move(*blit);

    if (display_ != EGL_NO_DISPLAY) {
        const char* egl_ext = eglQueryString(display_, EGL_EXTENSIONS);
        if (has_extension(egl_ext, "EGL_EXT_image_dma_buf_import") &&
            has_extension(gl_ext, "GL_OES_EGL_image")) {
            import_.create =
                reinterpret_cast<PFNEGLCREATEIMAGEKHRPROC>(eglGetProcAddress("eglCreateImageKHR"));
            import_.destroy = reinterpret_cast<PFNEGLDESTROYIMAGEKHRPROC>(
                eglGetProcAddress("eglDestroyImageKHR"));
            import_.target = reinterpret_cast<PFNGLEGLIMAGETARGETTEXTURE2DOESPROC>(
                eglGetProcAddress("glEGLImageTargetTexture2DOES"));
            if (!import_.create || !import_.destroy || !import_.target)
                import_ = {};
            import_modifiers_ = has_extension(egl_ext, "EGL_EXT_image_dma_buf_import_modifiers");
        }
    }
    const GLenum err = glGetError();
    if (err != GL_NO_ERROR)
        return Error{"egl: setting up the blit failed (GL error " + hex(err) + ")", EIO};
    return {};
}

int GlesRenderer::import_fd(const Buffer& buffer) const {
    if (const DmaBuf* dmabuf = buffer.dmabuf())
        return dmabuf->fd();
    const std::vector<Backing>& b = buffer.backing();
    if (options_.import_memfd && b.size() == 1 && b[0].offset == 0 && b[0].memfd)
        return b[0].memfd->get();
    return -1;
}

bool GlesRenderer::try_import(Entry& entry) {
    const Buffer& buffer = *entry.buffer;
    const Layout& l = buffer.layout();
    auto refuse = [&](const std::string& why) {
        if (!import_warned_ || options_.verbose)
            std::cerr << "egl: dma-buf import of " << l.to_string() << " from " << buffer.origin()
                      << " failed (" << why << "); uploading damaged rectangles instead\n";
        import_warned_ = true;
        return false;
    };
    if (l.offset > uint64_t(INT32_MAX) || l.stride > uint32_t(INT32_MAX))
        return refuse("offset or stride too large for EGL attributes");
    if (l.modifier != modifier_linear && !import_modifiers_)
        return refuse("modifier set but no EGL_EXT_image_dma_buf_import_modifiers");
    EGLint attribs[32];
    int n = 0;
    auto put = [&](EGLint k, EGLint v) {
        attribs[n++] = k;
        attribs[n++] = v;
    };
    put(EGL_WIDTH, EGLint(l.width));
    put(EGL_HEIGHT, EGLint(l.height));
    put(EGL_LINUX_DRM_FOURCC_EXT, EGLint(l.format->fourcc));
    put(EGL_DMA_BUF_PLANE0_FD_EXT, import_fd(buffer));
    put(EGL_DMA_BUF_PLANE0_OFFSET_EXT, EGLint(l.offset));
    put(EGL_DMA_BUF_PLANE0_PITCH_EXT, EGLint(l.stride));
    if (import_modifiers_) {
        put(EGL_DMA_BUF_PLANE0_MODIFIER_LO_EXT, EGLint(l.modifier & 0xffffffffu));
        put(EGL_DMA_BUF_PLANE0_MODIFIER_HI_EXT, EGLint(l.modifier >> 32));
    }
    attribs[n] = EGL_NONE;
    EGLImageKHR image =
        import_.create(display_, EGL_NO_CONTEXT, EGL_LINUX_DMA_BUF_EXT, nullptr, attribs);
    if (image == EGL_NO_IMAGE_KHR)
        return refuse("eglCreateImageKHR: EGL error " + hex(unsigned(eglGetError())));
    EglImage owned(display_, image, import_.destroy);
    while (glGetError() != GL_NO_ERROR) {
    }
    glBindTexture(GL_TEXTURE_2D, entry.texture.get());
    import_.target(GL_TEXTURE_2D, owned.get());
    if (const GLenum err = glGetError(); err != GL_NO_ERROR)
        return refuse("glEGLImageTargetTexture2DOES: GL error " + hex(err));
    entry.image = std::move(owned);
    entry.format = gl_import_format(*l.format);
    return true;
}

Result<GlesRenderer::Entry*> GlesRenderer::entry_for(const Frame& frame, SubmitStats& stats) {
    const Buffer& buffer = *frame.buffer;
    if (auto it = entries_.find(buffer.id()); it != entries_.end())
        return &it->second;
    const Layout& l = buffer.layout();
    Entry entry;
    entry.buffer = frame.buffer;
    entry.source = frame.source;
    entry.texture = make_texture();
    glBindTexture(GL_TEXTURE_2D, entry.texture.get());
    const GLint filter = options_.linear ? GL_LINEAR : GL_NEAREST;
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);

    if (!(options_.allow_import && can_import() && import_fd(buffer) >= 0 && try_import(entry))) {
        std::optional<GlTextureFormat> f = gl_upload_format(*l.format);
        if (!f)
            return Error{"egl: " + std::string(l.format->name) +
                             " cannot be uploaded to a GLES texture (and was not imported)",
                         ENOTSUP};
        entry.format = *f;
        Result<Mapping> mapping = buffer.map(PROT_READ);
        if (!mapping)
            return Error{"egl: " + mapping.error().message, mapping.error().errnum};
        entry.mapping = std::move(*mapping);
        while (glGetError() != GL_NO_ERROR) {
        }
        glBindTexture(GL_TEXTURE_2D, entry.texture.get());
        glTexImage2D(GL_TEXTURE_2D, 0,
                     GLint(gles3_ ? entry.format.internal_format : entry.format.unsized_format),
                     GLsizei(l.width), GLsizei(l.height), 0, entry.format.format, entry.format.type,
                     nullptr);
        if (const GLenum err = glGetError(); err != GL_NO_ERROR)
            return Error{"egl: cannot make a " + l.to_string() + " texture (GL error " + hex(err) +
                             "; out of memory?)",
                         ENOMEM};
        entry.stale = Region(l.bounds());
    }
    ++stats.imports;
    return &entries_.emplace(buffer.id(), std::move(entry)).first->second;
}

Status GlesRenderer::upload(Entry& entry, SubmitStats& stats) {
    if (entry.stale.empty())
        return {};
    const Buffer& buffer = *entry.buffer;
    const Layout& l = buffer.layout();
    const UploadPlan plan = plan_upload(l, entry.stale, have_row_length_);
    const uint8_t* base = entry.mapping.data();
    std::optional<DmaBufSync> sync = buffer.cpu_access(DmaBufSync::Read);
    glBindTexture(GL_TEXTURE_2D, entry.texture.get());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    for (const UploadOp& op : plan.ops) {
        if (op.row_length) {
            glPixelStorei(GL_UNPACK_ROW_LENGTH, GLint(op.row_length));
            glTexSubImage2D(GL_TEXTURE_2D, 0, op.rect.x, op.rect.y, op.rect.w, op.rect.h,
                            entry.format.format, entry.format.type, base + op.byte_offset);
        } else {
            for (int32_t row = 0; row < op.rect.h; ++row)
                glTexSubImage2D(GL_TEXTURE_2D, 0, op.rect.x, op.rect.y + row, op.rect.w, 1,
                                entry.format.format, entry.format.type,
                                base + op.byte_offset + uint64_t(row) * l.stride);
        }
    }
    if (have_row_length_)
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    sync.reset();
    stats.bytes_copied += plan.bytes;
    entry.stale = Region();
    if (const GLenum err = glGetError(); err != GL_NO_ERROR)
        return Error{"egl: glTexSubImage2D of " + l.to_string() + " failed (GL error " + hex(err) +
                         ")",
                     EIO};
    return {};
}

Status GlesRenderer::update(const Frame& frame, SubmitStats& stats) {
    if (!frame.buffer)
        return Error{"egl: frame " + std::to_string(frame.seq) + " has no buffer", EINVAL};
    const Buffer& buffer = *frame.buffer;
    const Layout& l = buffer.layout();
    if (Status s = l.validate(buffer.size()); !s)
        return Error{"egl: buffer from " + buffer.origin() + ": " + s.error().message,
                     s.error().errnum};
    if (l.width > uint32_t(max_texture_size_) || l.height > uint32_t(max_texture_size_))
        return Error{"egl: a " + std::to_string(l.width) + "x" + std::to_string(l.height) +
                         " frame is larger than this GPU's textures can be (GL_MAX_TEXTURE_SIZE " +
                         std::to_string(max_texture_size_) + ")",
                     EFBIG};
    // Every texture misses what changed in the picture since it was last brought up to date.
    const Region damage = frame.damage.intersected(l.bounds());
    for (auto& [id, e] : entries_)
        if (e.source == frame.source)
            e.stale.add(damage.intersected(e.buffer->layout().bounds()));

    Result<Entry*> entry = entry_for(frame, stats);
    if (!entry)
        return entry.error();
    if ((*entry)->image) {
        (*entry)->stale = Region(); // the texture is the buffer
        stats.path = "dma-buf import";
    } else {
        stats.path = "upload";
    }
    stats.imported_ns = now_ns();
    if (!(*entry)->image)
        if (Status s = upload(**entry, stats); !s)
            return s;

    const Layout* before = current_layout();
    if (!before || before->width != l.width || before->height != l.height ||
        before->y0_top != l.y0_top)
        view_changed_ = true;
    current_ = buffer.id();
    shown_[frame.source] = buffer.id();
    last_damage_.add(damage);
    return {};
}

const Layout* GlesRenderer::current_layout() const {
    auto it = entries_.find(current_);
    return it == entries_.end() ? nullptr : &it->second.buffer->layout();
}

std::string GlesRenderer::current_path() const {
    auto it = entries_.find(current_);
    if (it == entries_.end())
        return "";
    return it->second.image ? "dma-buf import" : "upload";
}

Rect GlesRenderer::viewport(uint32_t win_w, uint32_t win_h) const {
    const Layout* l = current_layout();
    return l ? compute_viewport(l->width, l->height, win_w, win_h, options_.scale) : Rect{};
}

void GlesRenderer::draw(uint32_t win_w, uint32_t win_h) {
    if (win_w != last_win_w_ || win_h != last_win_h_) {
        view_changed_ = true;
        last_win_w_ = win_w;
        last_win_h_ = win_h;
    }
    glViewport(0, 0, GLsizei(win_w), GLsizei(win_h));
    glDisable(GL_BLEND);
    glClearColor(0, 0, 0, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    draw_buffer(current_, viewport(win_w, win_h), win_h);
}

BufferId GlesRenderer::shown(uint32_t source) const {
    auto it = shown_.find(source);
    return it == shown_.end() ? 0 : it->second;
}

const Layout* GlesRenderer::layout_of(BufferId id) const {
    auto it = entries_.find(id);
    return it == entries_.end() ? nullptr : &it->second.buffer->layout();
}

void GlesRenderer::draw_buffer(BufferId id, const Rect& vp, uint32_t win_h) {
    auto it = entries_.find(id);
    if (it == entries_.end())
        return;
    const Entry& e = it->second;
    // GL's window origin is the bottom left.
    glViewport(vp.x, int32_t(win_h) - vp.y - vp.h, vp.w, vp.h);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, e.texture.get());
    const Layout& l = e.buffer->layout();
    const Nudge nudge = nearest_nudge(l.width, l.height, vp.w, vp.h);
    blit_.draw(l.y0_top, e.format.swizzle.data(), e.format.bias.data(),
               options_.linear ? nullptr : nudge.st);
}

Region GlesRenderer::window_damage(uint32_t win_w, uint32_t win_h) const {
    const Rect window{0, 0, int32_t(win_w), int32_t(win_h)};
    const Layout* l = current_layout();
    if (view_changed_ || !l)
        return Region(window);
    Region damage;
    if (l->y0_top) {
        damage = last_damage_;
    } else { // buffer rows are bottom-up: row y is shown at height - 1 - y
        for (const Rect& r : last_damage_.rects())
            damage.add(Rect{r.x, int32_t(l->height) - r.bottom(), r.w, r.h});
    }
    return source_to_window(damage, viewport(win_w, win_h), l->width, l->height, win_w, win_h);
}

void GlesRenderer::enable_import() {
    if (options_.allow_import)
        return;
    options_.allow_import = true;
    std::erase_if(entries_, [](const auto& e) { return !e.second.image; });
}

void GlesRenderer::retire(BufferId id) {
    if (id == current_)
        return; // still on screen; the presenter retires it once another buffer is shown
    for (const auto& [source, shown] : shown_)
        if (id == shown)
            return;
    entries_.erase(id);
}

RgbaImage GlesRenderer::read_pixels(uint32_t win_w, uint32_t win_h) const {
    RgbaImage image;
    image.width = win_w;
    image.height = win_h;
    std::vector<uint8_t> raw(size_t(win_w) * win_h * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, GLsizei(win_w), GLsizei(win_h), GL_RGBA, GL_UNSIGNED_BYTE, raw.data());
    image.pixels.resize(raw.size());
    const size_t row = size_t(win_w) * 4;
    for (uint32_t y = 0; y < win_h; ++y)
        std::memcpy(&image.pixels[y * row], &raw[(win_h - 1 - y) * row], row);
    for (size_t i = 3; i < image.pixels.size(); i += 4)
        image.pixels[i] = 255;
    return image;
}

} // namespace udmaview
