// SPDX-License-Identifier: MIT
#pragma once

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES3/gl3.h>

#include <GLES2/gl2ext.h> // after gl3.h, which defines GL_APIENTRY
#include <map>
#include <memory>
#include <string>

#include "render/gl_format.h"
#include "render/gl_objects.h"
#include "render/gl_program.h"
#include "render/viewport.h"
#include "udmaview/frame.h"
#include "udmaview/mapping.h"
#include "udmaview/output.h"
#include "udmaview/png.h"

namespace udmaview {

struct RendererOptions {
    ScaleMode scale = ScaleMode::Fit;
    bool linear = true;       // --filter linear (else nearest)
    bool allow_import = true; // false: always take the upload path
    // The driver imports any fd it can mmap (Mesa's swrast on the EGL device platform), so a
    // buffer without a dma-buf is imported from its memfd when one memfd holds it all.
    bool import_memfd = false;
    bool verbose = false;
};

// The GL half of the sdl output and of the KMS gl path: keeps one texture per BufferId,
// made by importing the buffer's dma-buf (EGL_EXT_image_dma_buf_import → EGLImage →
// glEGLImageTargetTexture2DOES, zero copy) or, when that is missing or refused, by uploading
// only the damaged rectangles of a CPU mapping (glTexSubImage2D, counted as copied bytes),
// and draws the current one letterboxed with the format swizzle of shaders/blit.frag.
// Every call needs the GLES context current that create() ran in.
class GlesRenderer {
public:
    // display may be EGL_NO_DISPLAY (e.g. a GLX context): then only the upload path exists.
    static Result<std::unique_ptr<GlesRenderer>> create(EGLDisplay display,
                                                        RendererOptions options);
    ~GlesRenderer();
    GlesRenderer(const GlesRenderer&) = delete;
    GlesRenderer& operator=(const GlesRenderer&) = delete;

    // EGL_EXT_image_dma_buf_import and GL_OES_EGL_image are both there.
    bool can_import() const { return import_.create != nullptr; }
    bool has_import_modifiers() const { return import_modifiers_; }
    const std::string& gl_renderer() const { return gl_renderer_; }
    const std::string& gl_version() const { return gl_version_; }
    int max_texture_size() const { return max_texture_size_; }

    // Makes frame's buffer current: imports it when new (cached per BufferId), or uploads
    // what its texture is missing: the damage of every frame since that texture was last
    // brought up to date (per-texture staleness, so a buffer switch stays correct).
    Status update(const Frame& frame, SubmitStats& stats);
    // Clears the bound framebuffer of win_w × win_h pixels to black and draws the current
    // buffer into its viewport.
    void draw(uint32_t win_w, uint32_t win_h);
    // What changed on screen by the last update(), in window pixels (y down); the whole
    // window after the view changed (new size, new buffer size, first frame).
    Region window_damage(uint32_t win_w, uint32_t win_h) const;
    // Forces the next window_damage() to be the whole window (resize, expose).
    void invalidate_view() { view_changed_ = true; }
    void clear_damage() {
        last_damage_ = Region();
        view_changed_ = false;
    }
    // Where the picture lands in a window of win_w × win_h (empty without a frame).
    Rect viewport(uint32_t win_w, uint32_t win_h) const;
    // Several sources (Frame::source): the buffer each shows now (0: none yet), a buffer's
    // layout (nullptr: not cached), and drawing one buffer into vp (window pixels, y down) of
    // a framebuffer win_h pixels high; the caller clears and sets the blend state.
    BufferId shown(uint32_t source) const;
    const Layout* layout_of(BufferId id) const;
    void draw_buffer(BufferId id, const Rect& vp, uint32_t win_h);
    const Layout* current_layout() const;
    // "dma-buf import" or "upload": how the current buffer reaches the GPU.
    std::string current_path() const;
    void retire(BufferId id);
    // Turns the import path on later (once it is proven to work): textures made by upload
    // are dropped, so each buffer is imported on its next update.
    void enable_import();
    size_t cached_textures() const { return entries_.size(); }

    // Reads the bound framebuffer (win_w × win_h) back as RGBA, top row first.
    RgbaImage read_pixels(uint32_t win_w, uint32_t win_h) const;

private:
    struct Entry {
        std::shared_ptr<const Buffer> buffer; // kept until retired: the mapping points into it
        GlTexture texture;
        EglImage image; // set: imported, the texture samples the dma-buf itself
        Mapping mapping;
        GlTextureFormat format;
        Region stale;        // pixels the texture does not have yet
        uint32_t source = 0; // Frame::source: only its frames make the texture stale
    };
    struct ImportFns {
        PFNEGLCREATEIMAGEKHRPROC create = nullptr;
        PFNEGLDESTROYIMAGEKHRPROC destroy = nullptr;
        PFNGLEGLIMAGETARGETTEXTURE2DOESPROC target = nullptr;
    };

    GlesRenderer(EGLDisplay display, RendererOptions options);
    Status init();
    Result<Entry*> entry_for(const Frame& frame, SubmitStats& stats);
    bool try_import(Entry& entry);
    int import_fd(const Buffer& buffer) const; // the fd to import, -1 for none
    Status upload(Entry& entry, SubmitStats& stats);

    EGLDisplay display_;
    RendererOptions options_;
    ImportFns import_;
    bool import_modifiers_ = false;
    bool import_warned_ = false;
    bool gles3_ = false;
    bool have_row_length_ = false;
    int max_texture_size_ = 0;
    std::string gl_renderer_, gl_version_;

    BlitProgram blit_;

    std::map<BufferId, Entry> entries_;
    BufferId current_ = 0;
    std::map<uint32_t, BufferId> shown_; // per source: what its last update() made current
    Region last_damage_;                 // buffer pixels changed by the last update
    bool view_changed_ = true;
    uint32_t last_win_w_ = 0, last_win_h_ = 0;
};

} // namespace udmaview
