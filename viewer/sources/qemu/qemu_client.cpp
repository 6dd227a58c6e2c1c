// SPDX-License-Identifier: MIT
#include "sources/qemu/qemu_client.h"

#include <cerrno>
#include <utility>

namespace udmaview::qemu {

QemuClient::QemuClient(const QemuOptions& options, std::string bus_address, QemuEvents& events,
                       StatsCounter& stats)
    : opt_(options)
    , bus_address_(std::move(bus_address))
    , events_(events)
    , stats_(stats)
    , sizes_(options.follow_size, options.console, stats, events)
    , listener_(options, events, stats, *this)
    , input_(options, stats) {}

void QemuClient::run_in_loop(GSourceFunc f) {
    g_autoptr(GSource) idle = g_idle_source_new();
    g_source_set_priority(idle, G_PRIORITY_DEFAULT);
    g_source_set_callback(idle, f, this, nullptr);
    g_source_attach(idle, context_.get());
}

void QemuClient::run() {
    g_main_context_push_thread_default(context_.get());
    if (Status s = listener_.init(); !s) {
        post_end(s);
    } else {
        connect();
        g_main_loop_run(loop_.get());
    }
    end_session();
    // g_source_remove() would look in the default context: ours is private.
    if (retry_source_)
        if (GSource* pending = g_main_context_find_source_by_id(context_.get(), retry_source_))
            g_source_destroy(pending);
    retry_source_ = 0;
    listener_.release();
    g_main_context_pop_thread_default(context_.get());
}

void QemuClient::stop() {
    run_in_loop([](gpointer self) -> gboolean {
        auto* client = static_cast<QemuClient*>(self);
        client->ended_ = true;
        g_main_loop_quit(client->loop_.get());
        return G_SOURCE_REMOVE;
    });
}

void QemuClient::send_input(const InputEvent& event) {
    input_.queue(event);
    run_in_loop([](gpointer self) -> gboolean {
        auto* client = static_cast<QemuClient*>(self);
        client->input_.flush(client->listener_.shown_layout());
        return G_SOURCE_REMOVE;
    });
}

void QemuClient::request_size(const WantedSize& size) {
    {
        std::lock_guard lock(wanted_mutex_);
        wanted_ = size;
    }
    run_in_loop([](gpointer self) -> gboolean {
        auto* client = static_cast<QemuClient*>(self);
        std::optional<WantedSize> size;
        {
            std::lock_guard lock(client->wanted_mutex_);
            size = std::exchange(client->wanted_, std::nullopt);
        }
        if (size)
            client->sizes_.want(*size);
        return G_SOURCE_REMOVE;
    });
}

void QemuClient::reattach() {
    run_in_loop([](gpointer self) -> gboolean {
        auto* client = static_cast<QemuClient*>(self);
        client->resolver_retries_ = 0;
        client->connect();
        return G_SOURCE_REMOVE;
    });
}

void QemuClient::post_end(Status why) {
    if (ended_)
        return;
    ended_ = true;
    events_.post({QemuEvent::Kind::End, {}, 0, {}, std::move(why)});
}

// --- attaching ----------------------------------------------------------------------------

void QemuClient::connect() {
    if (ended_)
        return;
    end_session();
    session_ = std::make_unique<DbusSession>(static_cast<SessionObserver&>(*this), opt_.console);
    if (opt_.resolver)
        connect_resolved();
    else if (opt_.mode == QemuOptions::Mode::P2p)
        session_->open_p2p(opt_.address);
    else
        session_->open_bus(bus_address_);
}

// The resolver says where QEMU is now; when it is not there, its owner calls reattach() once
// it is (no retry timer).
void QemuClient::connect_resolved() {
    Result<DisplayTarget> target = opt_.resolver->resolve();
    if (!target) {
        if (target.error().errnum != ESRCH) {
            post_end(target.error());
            return;
        }
        session_.reset();
        if (ever_attached_ && !opt_.reconnect) {
            post_end({});
            return;
        }
        report_waiting(target.error().message);
        return;
    }
    if (target->p2p)
        session_->open_p2p_fd(std::move(target->p2p));
    else
        session_->open_bus(target->bus_address);
}

std::string QemuClient::where() const {
    if (opt_.resolver)
        return opt_.resolver->describe();
    return opt_.mode == QemuOptions::Mode::P2p ? "peer-to-peer via " + opt_.address
                                               : "bus " + bus_address_;
}

void QemuClient::schedule_connect() {
    if (!opt_.resolver)
        arm_retry();
}

void QemuClient::arm_retry() {
    if (retry_source_ || ended_)
        return;
    g_autoptr(GSource) timeout = g_timeout_source_new(opt_.retry_ms);
    g_source_set_callback(
        timeout,
        [](gpointer self) -> gboolean {
            auto* client = static_cast<QemuClient*>(self);
            client->retry_source_ = 0;
            client->connect();
            return G_SOURCE_REMOVE;
        },
        this, nullptr);
    retry_source_ = g_source_attach(timeout, context_.get());
}

void QemuClient::waiting(const std::string& why) {
    if (opt_.resolver) {
        // QEMU cancels a client's handshake when another client is added meanwhile (two
        // viewers attaching on the same start event): an attach that failed is tried again a
        // few times. Waiting for the display to come back is the resolver's business.
        if (resolver_retries_ < max_resolver_retries) {
            ++resolver_retries_;
            arm_retry();
            return;
        }
        report_waiting(why);
        return;
    }
    if (!waiting_reported_)
        log_line("waiting for QEMU: " + why + " (retrying every " + std::to_string(opt_.retry_ms) +
                 " ms; Ctrl+C to give up)");
    waiting_reported_ = true;
    schedule_connect();
}

void QemuClient::report_waiting(const std::string& why) {
    if (!waiting_reported_)
        log_line("waiting for QEMU: " + why + " (Ctrl+C to give up)");
    waiting_reported_ = true;
}

void QemuClient::attach() {
    DbusSession& s = *session_;
    if (s.attached)
        return;
    const ConsoleProxy& console = s.console();
    Result<std::vector<uint32_t>> ids = console.console_ids();
    if (!ids) {
        on_gone("cannot list consoles: " + ids.error().message);
        return;
    }
    bool found = false;
    for (uint32_t id : *ids)
        found = found || id == opt_.console;
    if (!found) {
        post_end(Error{"qemu: --console " + std::to_string(opt_.console) +
                           ": no such console; QEMU has:" + console.describe(*ids),
                       ENOENT});
        return;
    }
    if (opt_.verbose)
        log_line("consoles:" + console.describe(*ids));
    s.attached = true;
    ever_attached_ = true;
    resolver_retries_ = 0;
    waiting_reported_ = false;
    stats_.update([](QemuStats& st) { ++st.sessions; });

    const ConsoleInfo info = console.info(opt_.console);
    listener_.attach(console, {info.width, info.height});
    sizes_.attach(console, info.label);
    input_.attach(console, console.mouse_absolute());
    s.watch_console(*this);
    s.open_listener(listener_, [this] {
        log_line("attached to console " + std::to_string(opt_.console) + " (" + where() + ")");
    });
}

void QemuClient::on_qemu_found(const char* owner) {
    if (owner && opt_.verbose)
        log_line(std::string("org.qemu is owned by ") + owner);
    attach();
}

void QemuClient::on_console_change(const ConsoleChange& change) {
    input_.on_console_change(change);
    listener_.on_console_change(change);
}

// --- QEMU gone ----------------------------------------------------------------------------

void QemuClient::on_picture_size(uint32_t width, uint32_t height) {
    sizes_.guest_size(width, height);
}

void QemuClient::end_session() {
    sizes_.detach();
    listener_.detach();
    input_.detach();
    session_.reset();
}

void QemuClient::on_qemu_lost(const std::string& why) {
    if (session_ && session_->attached)
        on_gone(why);
    else
        report_waiting("no org.qemu on " + bus_address_ + " yet (start QEMU with -display dbus)");
}

void QemuClient::on_unreachable(const std::string& why) {
    end_session();
    waiting(why);
}

void QemuClient::on_fatal(Status why) {
    post_end(std::move(why));
}

void QemuClient::on_gone(const std::string& why) {
    if (!session_)
        return;
    const bool was_attached = session_->attached;
    end_session();
    if (ended_)
        return;
    if (!was_attached && (!ever_attached_ || opt_.resolver)) {
        waiting(why);
        return;
    }
    if (opt_.reconnect) {
        log_line("QEMU went away (" + why + "); --reconnect: waiting for it to come back");
        waiting_reported_ = true;
        schedule_connect();
        return;
    }
    log_line("QEMU went away (" + why + "); the last picture stays until udmaview ends");
    post_end({});
}

} // namespace udmaview::qemu
