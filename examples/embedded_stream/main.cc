// embedded_stream: a service receiving change events in-process, with no
// daemon in between. It prints one line per event and stops after
// --max-events events (or on Ctrl-C).
//
//   embedded_stream --config application.properties [--max-events N]

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <string>

#include "trackops/callback_sink.h"
#include "trackops/config.h"
#include "trackops/engine.h"

namespace {

std::atomic<trackops::Engine*> g_engine{nullptr};

void OnSignal(int) {
  if (trackops::Engine* e = g_engine.load()) e->Stop();
}

// The value of "op" in a Debezium value, found without a JSON library.
std::string OpOf(std::string_view value) {
  size_t at = value.rfind("\"op\":\"");
  return at == std::string_view::npos ? "?" : std::string(value.substr(at + 6, 1));
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  long max_events = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--config") {
      config_path = argv[i + 1];
    } else if (flag == "--max-events") {
      max_events = std::stol(argv[i + 1]);
    }
  }
  if (config_path.empty()) {
    fprintf(stderr, "usage: embedded_stream --config FILE [--max-events N]\n");
    return 2;
  }
  absl::StatusOr<trackops::Properties> props = trackops::Properties::Load(config_path);
  std::vector<std::string> warnings;
  absl::StatusOr<trackops::Config> config =
      props.ok() ? trackops::Config::FromProperties(*props, &warnings)
                 : absl::StatusOr<trackops::Config>(props.status());
  if (!config.ok()) {
    fprintf(stderr, "embedded_stream: %s\n", config.status().ToString().c_str());
    return 2;
  }

  long seen = 0;
  trackops::CallbackSink sink([&](const trackops::Record& r) {
    // Views are valid only during the call: print (or copy) now.
    printf("%.*s op=%s key=%.*s\n", static_cast<int>(r.topic.size()), r.topic.data(),
           r.value ? OpOf(*r.value).c_str() : "tombstone",
           r.key ? static_cast<int>(r.key->size()) : 4, r.key ? r.key->data() : "null");
    fflush(stdout);
    if (++seen == max_events) g_engine.load()->Stop();
    return absl::OkStatus();
  });

  absl::StatusOr<std::unique_ptr<trackops::Engine>> engine =
      trackops::Engine::Create(*config, &sink);
  if (!engine.ok()) {
    fprintf(stderr, "embedded_stream: %s\n", engine.status().ToString().c_str());
    return 2;
  }
  g_engine.store(engine->get());
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  absl::Status status = (*engine)->Run();
  if (!status.ok()) {
    fprintf(stderr, "embedded_stream: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
