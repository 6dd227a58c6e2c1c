// SPDX-License-Identifier: MIT
// udmaview blit, vertex stage (GLSL ES 1.00: runs on GLES 2.0 and 3.x contexts).
// Draws one quad that covers the viewport (glViewport holds the letterboxed picture rect).
#version 100

attribute vec2 a_corner; // (0,0) bottom left ... (1,1) top right of the picture

// 1.0 when the buffer's row 0 is the top row (Layout::y0_top), 0.0 when rows are bottom-up.
uniform float u_y0_top;
// Subtracted from every sample point: moves nearest's ties to the texel before (see
// nearest_nudge in viewer/render/gl_program.h); zero for linear filtering.
uniform vec2 u_nudge;

varying vec2 v_texcoord;

void main() {
    // Texture row 0 (t = 0) is the buffer's first row in memory.
    float t = mix(a_corner.y, 1.0 - a_corner.y, u_y0_top);
    v_texcoord = vec2(a_corner.x, t) - u_nudge;
    gl_Position = vec4(a_corner * 2.0 - 1.0, 0.0, 1.0);
}
