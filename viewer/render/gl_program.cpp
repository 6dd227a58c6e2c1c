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

} // namespace udmaview
