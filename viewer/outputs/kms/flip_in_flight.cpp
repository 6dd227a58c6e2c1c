// SPDX-License-Identifier: MIT
#include "outputs/kms/flip_in_flight.h"

namespace udmaview::kms {

void Flip::report(uint64_t presented_ns, OutputSink& sink) const {
    for (uint64_t seq : seqs)
        sink.on_presented(seq, presented_ns);
}

std::optional<Flip> FlipInFlight::complete() {
    std::optional<Flip> done = std::move(flip_);
    flip_.reset();
    return done;
}

} // namespace udmaview::kms
