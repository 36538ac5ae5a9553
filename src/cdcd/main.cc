// trackops-cdcd: the event relay. Streams a PostgreSQL database's changes as
// Debezium change events to a sink, configured like Debezium Server.

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sink/sink_factory.h"
#include "snapshot/progress.h"
#include "trackops/config.h"
#include "trackops/engine.h"
#include "trackops/version.h"
#include "util/log.h"

namespace {

// Exit codes.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;        // Stream failed (data, or retries exhausted).
constexpr int kExitMisconfigured = 2;  // Configuration or database set-up a person must fix.

constexpr const char* kUsage =
    "Usage: trackops-cdcd [--config FILE] [--progress SECONDS]\n"
    "\n"
    "Streams row changes of a PostgreSQL database (logical replication, pgoutput)\n"
    "as Debezium change events to the configured sink.\n"
    "\n"
    "  --config FILE       Debezium Server style properties (default:\n"
    "                      conf/application.properties)\n"
    "  --progress SECONDS  log progress every SECONDS (default 10; 0: never)\n"
    "  --help              this text\n"
    "  --version           the version\n"
    "\n"
    "Exit codes: 0 stopped by SIGINT/SIGTERM after confirming its position;\n"
    "1 the stream failed; 2 invalid configuration or a database set-up to fix.\n"
    "Properties: docs/configuration.md.\n";

std::atomic<trackops::Engine*> g_engine{nullptr};
std::atomic<int> g_signals{0};

void OnSignal(int) {
  if (g_signals.fetch_add(1) > 0) {
    // Second signal: leave now. Nothing is lost: the slot was confirmed only
    // up to what the sink made durable.
    _exit(130);
  }
  if (trackops::Engine* e = g_engine.load()) e->Stop();
}

int ExitCodeFor(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kOk:
      return kExitOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
      return kExitMisconfigured;
    default:
      return kExitFailure;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path = "conf/application.properties";
  int progress_seconds = 10;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      fputs(kUsage, stdout);
      return kExitOk;
    }
    if (arg == "--version") {
      printf("trackops-cdcd %s\n", TRACKOPS_VERSION);
      return kExitOk;
    }
    if ((arg == "--config" || arg == "--progress") && i + 1 < argc) {
      std::string value = argv[++i];
      if (arg == "--config") {
        config_path = value;
      } else if (!absl::SimpleAtoi(value, &progress_seconds) || progress_seconds < 0) {
        fprintf(stderr, "trackops-cdcd: --progress needs a number of seconds, not '%s'\n",
                value.c_str());
        return kExitMisconfigured;
      }
      continue;
    }
    if (arg.starts_with("--config=")) {
      config_path = arg.substr(9);
      continue;
    }
    fprintf(stderr, "trackops-cdcd: unknown argument '%s'\n\n%s", arg.c_str(), kUsage);
    return kExitMisconfigured;
  }

  absl::StatusOr<trackops::Properties> props = trackops::Properties::Load(config_path);
  if (!props.ok()) {
    fprintf(stderr, "trackops-cdcd: %s\n", std::string(props.status().message()).c_str());
    return kExitMisconfigured;
  }
  std::vector<std::string> warnings;
  absl::StatusOr<trackops::Config> config = trackops::Config::FromProperties(*props, &warnings);
  for (const std::string& w : warnings) trackops::Log(trackops::LogLevel::kWarning, "%s", w);
  if (!config.ok()) {
    fprintf(stderr, "trackops-cdcd: %s: %s\n", config_path.c_str(),
            std::string(config.status().message()).c_str());
    return kExitMisconfigured;
  }

  // stdout carries records only; a large buffer, flushed at every commit.
  static char out_buffer[1 << 20];
  setvbuf(stdout, out_buffer, _IOFBF, sizeof(out_buffer));
  absl::StatusOr<std::unique_ptr<trackops::Sink>> sink = trackops::sink::NewSink(*config, stdout);
  if (!sink.ok()) {
    fprintf(stderr, "trackops-cdcd: %s: %s\n", config_path.c_str(),
            std::string(sink.status().message()).c_str());
    return kExitMisconfigured;
  }

  absl::StatusOr<std::unique_ptr<trackops::Engine>> engine =
      trackops::Engine::Create(*config, sink->get());
  if (!engine.ok()) {
    fprintf(stderr, "trackops-cdcd: %s\n", std::string(engine.status().message()).c_str());
    return ExitCodeFor(engine.status());
  }
  g_engine.store(engine->get());
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  trackops::Log(trackops::LogLevel::kInfo,
                "trackops-cdcd %s starting: database %s@%s:%d/%s, "
                "topic.prefix %s, sink %s",
                TRACKOPS_VERSION, config->connector.user, config->connector.hostname,
                config->connector.port, config->connector.dbname, config->connector.topic_prefix,
                config->sink_type);

  std::atomic<bool> done{false};
  std::thread progress([&] {
    if (progress_seconds == 0) return;
    uint64_t last_events = 0;
    auto next = std::chrono::steady_clock::now() + std::chrono::seconds(progress_seconds);
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (std::chrono::steady_clock::now() < next) continue;
      next += std::chrono::seconds(progress_seconds);
      trackops::EngineStats s = (*engine)->stats();
      if (s.snapshot_running) {
        trackops::Log(trackops::LogLevel::kInfo,
                      "progress: snapshot, %d rows, %d of %d tables read", s.snapshot_rows,
                      s.snapshot_tables_done, s.snapshot_tables_total);
        continue;
      }
      if (s.incremental_snapshot_running) {
        trackops::Log(
            trackops::LogLevel::kInfo,
            "progress: incremental snapshot, %d rows read; this table %s; %d tables queued; %d "
            "transactions, %d events",
            s.incremental_snapshot_rows,
            trackops::snapshot::DescribeProgress(
                s.incremental_snapshot_table_rows, s.incremental_snapshot_table_estimated_rows,
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(s.incremental_snapshot_table_seconds))),
            s.incremental_snapshot_tables_queued, s.transactions, s.events);
        continue;
      }
      if (s.events == last_events && s.events != 0) continue;
      trackops::Log(trackops::LogLevel::kInfo,
                    "progress: %d transactions, %d events (%d skipped), received %s, "
                    "confirmed %s, %d reconnects%s",
                    s.transactions, s.events, s.skipped, s.received_lsn.ToString(),
                    s.confirmed_lsn.ToString(), s.reconnects,
                    s.spilled_transactions == 0 ? std::string()
                                                : absl::StrCat(", ", s.spilled_transactions,
                                                               " streamed transactions spilled (",
                                                               s.spilled_bytes, " bytes)"));
      last_events = s.events;
    }
  });

  absl::Status status = (*engine)->Run();
  done.store(true);
  progress.join();
  g_engine.store(nullptr);
  trackops::EngineStats s = (*engine)->stats();
  if (!status.ok()) {
    trackops::Log(trackops::LogLevel::kError, "%s", status.message());
    fprintf(stderr, "trackops-cdcd: %s\n", std::string(status.message()).c_str());
    return ExitCodeFor(status);
  }
  trackops::Log(trackops::LogLevel::kInfo, "done: %d transactions, %d events, confirmed %s",
                s.transactions, s.events, s.confirmed_lsn.ToString());
  return kExitOk;
}
