// SPDX-License-Identifier: MIT
// udmaview blit, fragment stage: samples the frame texture and puts the channels in place.
// An upload stores the buffer's bytes as they are (e.g. XRGB8888 is B,G,R,X in memory, so the
// texture's .r holds blue); u_swizzle maps texture channels to R,G,B,A and u_bias fills the
// channels a format does not have (alpha of X formats). A dma-buf import is already decoded
// by the driver and uses the identity.
#version 100

#ifdef GL_FRAGMENT_PRECISION_HIGH
precision highp float;
#else
precision mediump float;
#endif

uniform sampler2D u_texture;
uniform mat4 u_swizzle; // column-major: out = u_swizzle * texel + u_bias
uniform vec4 u_bias;

varying vec2 v_texcoord;

void main() {
    gl_FragColor = u_swizzle * texture2D(u_texture, v_texcoord) + u_bias;
}
