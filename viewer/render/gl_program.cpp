// SPDX-License-Identifier: MIT
#include "render/gl_program.h"

#include <blit_shaders.h>
#include <cerrno>
#include <string>

namespace udmaview {

namespace {

Result<GlShader> compile(GLenum stage, const char* source, const char* what) {
    GlShader shader(glCreateShader(stage));
    if (!shader)
        return Error{std::string("egl: glCreateShader failed for the ") + what + " shader", EIO};
    glShaderSource(shader.get(), 1, &source, nullptr);
    glCompileShader(shader.get());
    GLint ok = GL_FALSE;
    glGetShaderiv(shader.get(), GL_COMPILE_STATUS, &ok);
    if (ok != GL_TRUE) {
        char log[1024] = {};
        glGetShaderInfoLog(shader.get(), sizeof log, nullptr, log);
        for (char& c : log)
            if (c == '\n')
                c = ' ';
        return Error{std::string("egl: the ") + what + " shader does not compile: " + log, EIO};
    }
    return shader;
}

} // namespace

Result<GlProgram> build_blit_program(const char* what) {
    Result<GlShader> vs = compile(GL_VERTEX_SHADER, shaders::blit_vert, "vertex");
    if (!vs)
        return vs.error();
    Result<GlShader> fs = compile(GL_FRAGMENT_SHADER, shaders::blit_frag, "fragment");
    if (!fs)
        return fs.error();
    GlProgram program(glCreateProgram());
    glAttachShader(program.get(), vs->get());
    glAttachShader(program.get(), fs->get());
    glBindAttribLocation(program.get(), 0, "a_corner");
    glLinkProgram(program.get());
    GLint linked = GL_FALSE;
    glGetProgramiv(program.get(), GL_LINK_STATUS, &linked);
    if (linked != GL_TRUE) {
        char log[1024] = {};
        glGetProgramInfoLog(program.get(), sizeof log, nullptr, log);
        return Error{std::string("egl: the ") + what + " program does not link: " + log, EIO};
    }
    return program;
}

Result<BlitProgram> BlitProgram::create(const char* what) {
    Result<GlProgram> program = build_blit_program(what);
    if (!program)
        return program.error();
    BlitProgram b;
    b.program_ = std::move(*program);
    const GLuint id = b.program_.get();
    b.corner_ = glGetAttribLocation(id, "a_corner");
    b.y0_top_ = glGetUniformLocation(id, "u_y0_top");
    b.texture_ = glGetUniformLocation(id, "u_texture");
    b.swizzle_ = glGetUniformLocation(id, "u_swizzle");
    b.bias_ = glGetUniformLocation(id, "u_bias");
    b.nudge_ = glGetUniformLocation(id, "u_nudge");

    static const GLfloat corners[] = {0, 0, 1, 0, 0, 1, 1, 1};
    b.quad_ = make_buffer();
    glBindBuffer(GL_ARRAY_BUFFER, b.quad_.get());
    glBufferData(GL_ARRAY_BUFFER, sizeof corners, corners, GL_STATIC_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    return b;
}

Nudge nearest_nudge(uint32_t src_w, uint32_t src_h, int32_t dst_w, int32_t dst_h) {
    const auto along = [](uint32_t src, int32_t dst) {
        return src && dst > 0 ? GLfloat(1.0 / (4.0 * double(dst) * double(src))) : 0.0f;
    };
    return Nudge{{along(src_w, dst_w), along(src_h, dst_h)}};
}

void BlitProgram::draw(bool y0_top, const GLfloat* swizzle, const GLfloat* bias,
                       const GLfloat* nudge) const {
    static const GLfloat none[2] = {0, 0};
    glUseProgram(program_.get());
    glUniform2fv(nudge_, 1, nudge ? nudge : none);
    glUniform1i(texture_, 0);
    glUniform1f(y0_top_, y0_top ? 1.0f : 0.0f);
    glUniformMatrix4fv(swizzle_, 1, GL_FALSE, swizzle);
    glUniform4fv(bias_, 1, bias);
    glBindBuffer(GL_ARRAY_BUFFER, quad_.get());
    glEnableVertexAttribArray(GLuint(corner_));
    glVertexAttribPointer(GLuint(corner_), 2, GL_FLOAT, GL_FALSE, 0, nullptr);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glDisableVertexAttribArray(GLuint(corner_));
    glBindBuffer(GL_ARRAY_BUFFER, 0);
}

void BlitProgram::draw_blended(GLuint texture, const GLfloat* nudge) const {
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_ONE, GL_ONE_MINUS_SRC_ALPHA, GL_ZERO, GL_ONE);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture);
    static const GLfloat identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    static const GLfloat no_bias[4] = {0, 0, 0, 0};
    draw(true, identity, no_bias, nudge);
    glDisable(GL_BLEND);
    glBindTexture(GL_TEXTURE_2D, 0);
}

} // namespace udmaview
