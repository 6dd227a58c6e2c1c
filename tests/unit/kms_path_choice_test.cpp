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
        {"forced copy beats the plane", [](PathInputs& i) { i.force_copy = true; },
         ScanoutPath::Cpu, "forced"},
        {"forced copy beats gl asked",
         [](PathInputs& i) {
             i.force_copy = true;
             i.asked = KmsPath::Gl;
         },
         ScanoutPath::Cpu, "forced"},
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
        {"tiles beat forced copy",
         [](PathInputs& i) {
             i.sources = 2;
             i.force_copy = true;
         },
         ScanoutPath::Gl, ""},
        {"tiles, no gl built: refused at start",
         [](PathInputs& i) {
             i.sources = 2;
             i.gl_built = false;
         },
         ScanoutPath::Gl, "", true},
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
              "kms: plane 31 of cirrus cannot scan out XRGB8888; converting and copying damaged "
              "regions");
    in = plane_can_show();
    in.sources = 3;
    in.gl_built = false;
    const std::string refusal = choose_scanout_path(in).refusal;
    EXPECT_NE(refusal.find("3 sources"), std::string::npos) << refusal;
    EXPECT_NE(refusal.find("one --source"), std::string::npos) << refusal;
}

TEST(KmsPathChoice, FallbackNote) {
    PathInputs in = plane_can_show();
    EXPECT_EQ(fallback_note(in), "; composing it with GL");
    in.gl_refused = "eglInitialize failed";
    EXPECT_EQ(fallback_path(in), ScanoutPath::Cpu);
    EXPECT_EQ(fallback_note(in), "; copying damaged regions");
}

} // namespace
