// SPDX-License-Identifier: MIT
// The KMS path choice as a table: each row changes one input from a buffer the plane can
// scan out, and names the path, the one line's key (said once) and any refusal.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "outputs/kms/path_choice.h"

using namespace udmaview::kms;

namespace {

struct Row {
    const char* name;
    std::function<void(PathInputs&)> change;
    ScanoutPath path;
    const char* key; // "" : no line
    bool refused = false;
};

PathInputs plane_can_show() {
    PathInputs in;
    in.origin = "demo";
    in.driver = "cirrus";
    in.plane_id = 31;
    in.format_name = "XRGB8888";
    return in;
}

const std::vector<Row>& table() {
    static const std::vector<Row> rows = {
        {"auto, plane can show it", [](PathInputs&) {}, ScanoutPath::Plane, ""},
        {"plane asked, plane can show it", [](PathInputs& i) { i.asked = KmsPath::Plane; },
         ScanoutPath::Plane, ""},
        {"cpu asked", [](PathInputs& i) { i.asked = KmsPath::Copy; }, ScanoutPath::Cpu, ""},
        {"gl asked", [](PathInputs& i) { i.asked = KmsPath::Gl; }, ScanoutPath::Gl, ""},
        {"gl asked, no gl built",
         [](PathInputs& i) {
             i.asked = KmsPath::Gl;
             i.gl_built = false;
         },
         ScanoutPath::Gl, "", true},
        {"auto, no dma-buf", [](PathInputs& i) { i.dmabuf = false; }, ScanoutPath::Gl, "no-dmabuf"},
        {"plane asked, no dma-buf",
         [](PathInputs& i) {
             i.asked = KmsPath::Plane;
             i.dmabuf = false;
         },
         ScanoutPath::Cpu, "no-dmabuf"},
        {"auto, no dma-buf, gl refused",
         [](PathInputs& i) {
             i.dmabuf = false;
             i.gl_refused = "no EGL";
         },
         ScanoutPath::Cpu, "no-dmabuf"},
        {"auto, no dma-buf, no gl built",
         [](PathInputs& i) {
             i.dmabuf = false;
             i.gl_built = false;
         },
         ScanoutPath::Cpu, "no-dmabuf"},
        {"auto, format the plane lacks", [](PathInputs& i) { i.plane_format = false; },
         ScanoutPath::Gl, "format"},
        {"plane asked, format the plane lacks",
         [](PathInputs& i) {
             i.asked = KmsPath::Plane;
             i.plane_format = false;
         },
         ScanoutPath::Cpu, "format"},
        {"auto, modifier the card cannot take", [](PathInputs& i) { i.modifier_ok = false; },
         ScanoutPath::Gl, "modifier"},
        {"auto, import refused (said where refused)",
         [](PathInputs& i) { i.import_refused = "EINVAL"; }, ScanoutPath::Gl, ""},
        {"plane asked, import refused",
         [](PathInputs& i) {
             i.asked = KmsPath::Plane;
             i.import_refused = "EINVAL";
         },
         ScanoutPath::Cpu, ""},
        {"auto, placement refused", [](PathInputs& i) { i.placement_refused = true; },
         ScanoutPath::Gl, ""},
        {"tiles: gl", [](PathInputs& i) { i.sources = 4; }, ScanoutPath::Gl, ""},
        {"cpu asked beats tiles",
         [](PathInputs& i) {
             i.sources = 2;
             i.asked = KmsPath::Copy;
         },
         ScanoutPath::Cpu, ""},
        {"tiles, no gl built: pixman",
         [](PathInputs& i) {
             i.sources = 2;
             i.gl_built = false;
         },
         ScanoutPath::Cpu, ""},
        {"tiles, cpu asked",
         [](PathInputs& i) {
             i.sources = 2;
             i.asked = KmsPath::Copy;
         },
         ScanoutPath::Cpu, ""},
        {"tiles, plane asked: the plane cannot compose them",
         [](PathInputs& i) {
             i.sources = 3;
             i.asked = KmsPath::Plane;
         },
         ScanoutPath::Cpu, ""},
        {"tiles, gl is a CPU rasterizer",
         [](PathInputs& i) {
             i.sources = 4;
             i.gl_software = "llvmpipe (LLVM 15.0.6, 256 bits)";
         },
         ScanoutPath::Cpu, ""},
        {"tiles, gl refused",
         [](PathInputs& i) {
             i.sources = 4;
             i.gl_refused = "no EGL";
         },
         ScanoutPath::Cpu, ""},
        {"auto, plane can show it, gl is a CPU rasterizer: plane",
         [](PathInputs& i) { i.gl_software = "llvmpipe"; }, ScanoutPath::Plane, ""},
        {"auto, no dma-buf, gl is a CPU rasterizer",
         [](PathInputs& i) {
             i.dmabuf = false;
             i.gl_software = "llvmpipe";
         },
         ScanoutPath::Cpu, "no-dmabuf"},
        {"auto, placement refused, gl is a CPU rasterizer",
         [](PathInputs& i) {
             i.placement_refused = true;
             i.gl_software = "softpipe";
         },
         ScanoutPath::Cpu, ""},
        {"auto, format the plane lacks, gl is a CPU rasterizer",
         [](PathInputs& i) {
             i.plane_format = false;
             i.gl_software = "swrast";
         },
         ScanoutPath::Cpu, "format"},
        {"gl asked, gl is a CPU rasterizer: gl as asked",
         [](PathInputs& i) {
             i.asked = KmsPath::Gl;
             i.gl_software = "llvmpipe";
         },
         ScanoutPath::Gl, ""},
    };
    return rows;
}

TEST(KmsPathChoice, Table) {
    for (const Row& row : table()) {
        PathInputs in = plane_can_show();
        row.change(in);
        const PathChoice c = choose_scanout_path(in);
        EXPECT_EQ(scanout_path_name(c.path), std::string(scanout_path_name(row.path))) << row.name;
        EXPECT_EQ(c.key, row.key) << row.name;
        EXPECT_EQ(c.line.empty(), std::string(row.key).empty()) << row.name;
        EXPECT_EQ(!c.refusal.empty(), row.refused) << row.name;
    }
}

TEST(KmsPathChoice, LinesNameTheObjectAndTheWayOut) {
    PathInputs in = plane_can_show();
    in.plane_format = false;
    EXPECT_EQ(choose_scanout_path(in).line,
              "kms: plane 31 of cirrus cannot scan out XRGB8888; composing it with GL");
    in.asked = KmsPath::Plane;
    EXPECT_EQ(choose_scanout_path(in).line,
              "kms: plane 31 of cirrus cannot scan out XRGB8888; composing it with pixman");
}

TEST(KmsPathChoice, AutoCpuLineSaysWhy) {
    const std::string sw = auto_cpu_line("llvmpipe (LLVM 15.0.6, 256 bits)", "");
    EXPECT_NE(sw.find("auto chose cpu"), std::string::npos) << sw;
    EXPECT_NE(sw.find("llvmpipe (LLVM 15.0.6, 256 bits)"), std::string::npos) << sw;
    EXPECT_NE(sw.find("--kms-path gl"), std::string::npos) << sw;
    const std::string none = auto_cpu_line("", "kms: eglInitialize failed");
    EXPECT_NE(none.find("cannot start"), std::string::npos) << none;
    EXPECT_NE(none.find("eglInitialize failed"), std::string::npos) << none;
}

TEST(KmsPathChoice, FallbackNote) {
    PathInputs in = plane_can_show();
    EXPECT_EQ(fallback_note(in), "; composing it with GL");
    in.gl_refused = "eglInitialize failed";
    EXPECT_EQ(fallback_path(in), ScanoutPath::Cpu);
    EXPECT_EQ(fallback_note(in), "; composing it with pixman");
    in = plane_can_show();
    in.gl_software = "llvmpipe";
    EXPECT_EQ(fallback_path(in), ScanoutPath::Cpu);
}

} // namespace
