#include "trackops/config.h"

#include <charconv>
#include <regex>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "util/status_macros.h"
#include "util/string_view.h"

namespace trackops {
namespace {

constexpr char kSourcePrefix[] = "debezium.source.";
constexpr char kSinkPrefix[] = "debezium.sink.";
constexpr char kFormatPrefix[] = "debezium.format.";

// debezium.transforms[.*] and debezium.predicates[.*]: read by the transforms
// module when the engine is created.
bool IsTransformKey(std::string_view key) {
  for (std::string_view chain : {"debezium.transforms", "debezium.predicates"}) {
    if (key.starts_with(chain) && (key.size() == chain.size() || key[chain.size()] == '.')) {
      return true;
    }
  }
  return false;
}

// Reads the properties, remembering which ones were consumed so that the rest
// can be reported as unknown.
class Reader {
 public:
  explicit Reader(const Properties& props) : props_(props) {}

  const std::string* Get(absl::string_view key) {
    used_.insert(std::string(key));
    const std::string* v = props_.Find(ToStd(key));
    return (v != nullptr && !v->empty()) ? v : nullptr;
  }

  absl::Status String(absl::string_view key, std::string* out) {
    if (const std::string* v = Get(key)) *out = *v;
    return absl::OkStatus();
  }

  absl::Status Required(absl::string_view key, std::string* out) {
    const std::string* v = Get(key);
    if (v == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("missing required property ", key));
    }
    *out = *v;
    return absl::OkStatus();
  }

  absl::Status Int(absl::string_view key, int64_t min, int64_t max, int64_t* out) {
    const std::string* v = Get(key);
    if (v == nullptr) return absl::OkStatus();
    absl::string_view s = absl::StripAsciiWhitespace(*v);
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || ptr != s.data() + s.size() || value < min || value > max) {
      return absl::InvalidArgumentError(absl::StrCat("invalid value '", *v, "' for property ", key,
                                                     ": expected an integer from ", min, " to ",
                                                     max));
    }
    *out = value;
    return absl::OkStatus();
  }

  absl::Status Bool(absl::string_view key, bool* out) {
    const std::string* v = Get(key);
    if (v == nullptr) return absl::OkStatus();
    std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(*v));
    if (lower == "true") {
      *out = true;
    } else if (lower == "false") {
      *out = false;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid value '", *v, "' for property ", key, ": expected true or false"));
    }
    return absl::OkStatus();
  }

  template <typename E>
  absl::Status Enum(absl::string_view key, std::initializer_list<std::pair<const char*, E>> choices,
                    E* out) {
    const std::string* v = Get(key);
    if (v == nullptr) return absl::OkStatus();
    std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(*v));
    std::string allowed;
    for (const auto& [name, value] : choices) {
      if (lower == name) {
        *out = value;
        return absl::OkStatus();
      }
      absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", name);
    }
    return absl::InvalidArgumentError(
        absl::StrCat("invalid value '", *v, "' for property ", key, ": expected one of ", allowed));
  }

  absl::Status RegexList(absl::string_view key, std::vector<std::string>* out) {
    const std::string* v = Get(key);
    if (v == nullptr) return absl::OkStatus();
    for (absl::string_view part : absl::StrSplit(*v, ',', absl::SkipWhitespace())) {
      std::string pattern(absl::StripAsciiWhitespace(part));
      try {
        std::regex re(pattern);
      } catch (const std::regex_error& e) {
        return absl::InvalidArgumentError(absl::StrCat("invalid regular expression '", pattern,
                                                       "' in property ", key, ": ", e.what()));
      }
      out->push_back(std::move(pattern));
    }
    return absl::OkStatus();
  }

  // Keys that were present but never read.
  std::vector<std::string> Unused() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : props_.values()) {
      if (!used_.contains(k)) out.push_back(k);
    }
    return out;
  }

 private:
  const Properties& props_;
  std::set<std::string, std::less<>> used_;
};

// Wraps an error with the full property name the user wrote.
absl::Status InScope(absl::Status status, absl::string_view prefix) {
  if (status.ok()) return status;
  std::string msg(status.message());
  // Messages name the property as "property <key>": make it "property <prefix><key>".
  size_t at = msg.find("property ");
  if (at != std::string::npos) msg.insert(at + 9, std::string(prefix));
  return absl::Status(status.code(), msg);
}

absl::Status ReadConnector(Reader& r, ConnectorConfig* c, std::vector<std::string>* warnings) {
  TRACKOPS_RETURN_IF_ERROR(r.String("database.hostname", &c->hostname));
  int64_t port = c->port;
  TRACKOPS_RETURN_IF_ERROR(r.Int("database.port", 1, 65535, &port));
  c->port = static_cast<int>(port);
  TRACKOPS_RETURN_IF_ERROR(r.Required("database.user", &c->user));
  TRACKOPS_RETURN_IF_ERROR(r.String("database.password", &c->password));
  TRACKOPS_RETURN_IF_ERROR(r.Required("database.dbname", &c->dbname));
  TRACKOPS_RETURN_IF_ERROR(r.String("database.sslmode", &c->sslmode));
  TRACKOPS_RETURN_IF_ERROR(r.Required("topic.prefix", &c->topic_prefix));
  TRACKOPS_RETURN_IF_ERROR(r.String("slot.name", &c->slot_name));
  TRACKOPS_RETURN_IF_ERROR(r.String("publication.name", &c->publication_name));
  TRACKOPS_RETURN_IF_ERROR(r.String("errors.deadletterqueue.topic.name", &c->dead_letter_topic));
  TRACKOPS_RETURN_IF_ERROR(
      r.Enum<PublicationAutocreateMode>("publication.autocreate.mode",
                                        {{"all_tables", PublicationAutocreateMode::kAllTables},
                                         {"filtered", PublicationAutocreateMode::kFiltered},
                                         {"disabled", PublicationAutocreateMode::kDisabled},
                                         {"no_tables", PublicationAutocreateMode::kNoTables}},
                                        &c->publication_autocreate_mode));
  TRACKOPS_RETURN_IF_ERROR(r.Bool("slot.drop.on.stop", &c->slot_drop_on_stop));
  TRACKOPS_RETURN_IF_ERROR(r.RegexList("table.include.list", &c->table_include_list));
  TRACKOPS_RETURN_IF_ERROR(r.RegexList("table.exclude.list", &c->table_exclude_list));
  if (!c->table_include_list.empty() && !c->table_exclude_list.empty()) {
    return absl::InvalidArgumentError(
        "properties table.include.list and table.exclude.list cannot both be set");
  }
  TRACKOPS_RETURN_IF_ERROR(r.RegexList("column.include.list", &c->column_include_list));
  TRACKOPS_RETURN_IF_ERROR(r.RegexList("column.exclude.list", &c->column_exclude_list));
  if (!c->column_include_list.empty() && !c->column_exclude_list.empty()) {
    return absl::InvalidArgumentError(
        "properties column.include.list and column.exclude.list cannot both be set");
  }
  TRACKOPS_RETURN_IF_ERROR(
      r.Enum<SnapshotMode>("snapshot.mode",
                           {{"initial", SnapshotMode::kInitial},
                            {"always", SnapshotMode::kAlways},
                            {"initial_only", SnapshotMode::kInitialOnly},
                            {"no_data", SnapshotMode::kNoData},
                            {"never", SnapshotMode::kNoData},
                            {"when_needed", SnapshotMode::kWhenNeeded},
                            {"configuration_based", SnapshotMode::kConfigurationBased}},
                           &c->snapshot_mode));
  if (c->snapshot_mode == SnapshotMode::kConfigurationBased) {
    return absl::InvalidArgumentError(
        "property snapshot.mode=configuration_based is not supported: use initial, always, "
        "initial_only, no_data or when_needed");
  }
  TRACKOPS_RETURN_IF_ERROR(r.Int("snapshot.max.threads", 1, 64, &c->snapshot_max_threads));
  TRACKOPS_RETURN_IF_ERROR(
      r.RegexList("snapshot.include.collection.list", &c->snapshot_include_list));
  TRACKOPS_RETURN_IF_ERROR(
      r.Int("trackops.snapshot.chunk.pages", 1, INT32_MAX, &c->snapshot_chunk_pages));
  TRACKOPS_RETURN_IF_ERROR(r.String("signal.data.collection", &c->signal_data_collection));
  if (!c->signal_data_collection.empty() &&
      c->signal_data_collection.find('.') == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid value '", c->signal_data_collection,
                     "' for property signal.data.collection: expected schema.table (e.g. "
                     "public.debezium_signal)"));
  }
  TRACKOPS_RETURN_IF_ERROR(
      r.Int("incremental.snapshot.chunk.size", 1, 1000000, &c->incremental_snapshot_chunk_size));
  if (const std::string* strategy = r.Get("incremental.snapshot.watermarking.strategy");
      strategy != nullptr && *strategy != "insert_insert" && *strategy != "INSERT_INSERT") {
    return absl::InvalidArgumentError(
        absl::StrCat("property incremental.snapshot.watermarking.strategy=", *strategy,
                     " is not supported: use insert_insert (the default)"));
  }
  if (const std::string* given = r.Get("snapshot.mode"); given != nullptr && *given == "never") {
    warnings->push_back("snapshot.mode=never is Debezium's old name of no_data; using no_data");
  }
  std::string plugin = "pgoutput";
  TRACKOPS_RETURN_IF_ERROR(r.String("plugin.name", &plugin));
  if (plugin == "decoderbufs") {
    warnings->push_back("plugin.name=decoderbufs: TrackOps reads pgoutput only; using pgoutput");
  } else if (plugin != "pgoutput") {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid value '", plugin, "' for property plugin.name: only pgoutput is supported"));
  }
  TRACKOPS_RETURN_IF_ERROR(r.Bool("tombstones.on.delete", &c->tombstones_on_delete));
  TRACKOPS_RETURN_IF_ERROR(r.Enum<DecimalHandlingMode>("decimal.handling.mode",
                                                       {{"precise", DecimalHandlingMode::kPrecise},
                                                        {"double", DecimalHandlingMode::kDouble},
                                                        {"string", DecimalHandlingMode::kString}},
                                                       &c->decimal_handling_mode));
  TRACKOPS_RETURN_IF_ERROR(r.Enum<TimePrecisionMode>(
      "time.precision.mode",
      {{"adaptive", TimePrecisionMode::kAdaptive},
       {"adaptive_time_microseconds", TimePrecisionMode::kAdaptiveTimeMicroseconds},
       {"connect", TimePrecisionMode::kConnect}},
      &c->time_precision_mode));
  TRACKOPS_RETURN_IF_ERROR(
      r.Enum<BinaryHandlingMode>("binary.handling.mode",
                                 {{"bytes", BinaryHandlingMode::kBytes},
                                  {"base64", BinaryHandlingMode::kBase64},
                                  {"base64-url-safe", BinaryHandlingMode::kBase64UrlSafe},
                                  {"hex", BinaryHandlingMode::kHex}},
                                 &c->binary_handling_mode));
  TRACKOPS_RETURN_IF_ERROR(r.Enum<IntervalHandlingMode>(
      "interval.handling.mode",
      {{"numeric", IntervalHandlingMode::kNumeric}, {"string", IntervalHandlingMode::kString}},
      &c->interval_handling_mode));
  TRACKOPS_RETURN_IF_ERROR(r.Enum<HStoreHandlingMode>(
      "hstore.handling.mode",
      {{"json", HStoreHandlingMode::kJson}, {"map", HStoreHandlingMode::kMap}},
      &c->hstore_handling_mode));
  if (const std::string* ops = r.Get("skipped.operations")) {
    c->skip_creates = c->skip_updates = c->skip_deletes = c->skip_truncates = false;
    for (absl::string_view part : absl::StrSplit(*ops, ',', absl::SkipWhitespace())) {
      std::string op = absl::AsciiStrToLower(absl::StripAsciiWhitespace(part));
      if (op == "c") {
        c->skip_creates = true;
      } else if (op == "u") {
        c->skip_updates = true;
      } else if (op == "d") {
        c->skip_deletes = true;
      } else if (op == "t") {
        c->skip_truncates = true;
      } else if (op != "none") {
        return absl::InvalidArgumentError(
            absl::StrCat("invalid value '", *ops,
                         "' for property skipped.operations: expected a comma-separated list of "
                         "c, u, d, t, or none"));
      }
    }
  }
  TRACKOPS_RETURN_IF_ERROR(
      r.Bool("provide.transaction.metadata", &c->provide_transaction_metadata));
  TRACKOPS_RETURN_IF_ERROR(
      r.RegexList("message.prefix.include.list", &c->message_prefix_include_list));
  TRACKOPS_RETURN_IF_ERROR(
      r.RegexList("message.prefix.exclude.list", &c->message_prefix_exclude_list));
  if (!c->message_prefix_include_list.empty() && !c->message_prefix_exclude_list.empty()) {
    return absl::InvalidArgumentError(
        "properties message.prefix.include.list and message.prefix.exclude.list cannot both "
        "be set");
  }
  int64_t proto = c->protocol_version;
  TRACKOPS_RETURN_IF_ERROR(r.Int("trackops.pgoutput.protocol.version", 1, 4, &proto));
  c->protocol_version = static_cast<int>(proto);
  TRACKOPS_RETURN_IF_ERROR(r.Enum<StreamingMode>("trackops.pgoutput.streaming",
                                                 {{"off", StreamingMode::kOff},
                                                  {"on", StreamingMode::kOn},
                                                  {"parallel", StreamingMode::kParallel}},
                                                 &c->streaming));
  if (c->streaming == StreamingMode::kOn && c->protocol_version < 2) {
    return absl::InvalidArgumentError(
        "property trackops.pgoutput.streaming=on needs trackops.pgoutput.protocol.version >= 2");
  }
  if (c->streaming == StreamingMode::kParallel && c->protocol_version < 4) {
    return absl::InvalidArgumentError(
        "property trackops.pgoutput.streaming=parallel needs "
        "trackops.pgoutput.protocol.version = 4");
  }
  TRACKOPS_RETURN_IF_ERROR(
      r.Int("trackops.pgoutput.streaming.memory.bytes", 0, INT64_MAX, &c->streaming_memory_bytes));
  // Checked for existence and permissions when the engine is created.
  TRACKOPS_RETURN_IF_ERROR(
      r.String("trackops.pgoutput.streaming.spill.directory", &c->streaming_spill_directory));
  TRACKOPS_RETURN_IF_ERROR(r.Bool("trackops.pgoutput.binary", &c->binary));
  if (c->binary) {
    return absl::InvalidArgumentError(
        "property trackops.pgoutput.binary=true is not supported yet: values are converted "
        "from PostgreSQL's text format");
  }
  TRACKOPS_RETURN_IF_ERROR(r.Bool("trackops.pgoutput.messages", &c->messages));
  TRACKOPS_RETURN_IF_ERROR(
      r.Int("status.update.interval.ms", 1, 3600000, &c->status_update_interval_ms));
  TRACKOPS_RETURN_IF_ERROR(
      r.Int("trackops.replication.receive.timeout.ms", 0, 86400000, &c->receive_timeout_ms));
  TRACKOPS_RETURN_IF_ERROR(
      r.Int("trackops.replication.read.coalesce.us", 0, 100000, &c->read_coalesce_us));
  TRACKOPS_RETURN_IF_ERROR(
      r.Int("retriable.restart.connector.wait.ms", 1, 3600000, &c->retriable_restart_wait_ms));
  TRACKOPS_RETURN_IF_ERROR(r.Int("errors.max.retries", -1, INT32_MAX, &c->max_retries));
  TRACKOPS_RETURN_IF_ERROR(r.Int("heartbeat.interval.ms", 0, INT32_MAX, &c->heartbeat_interval_ms));
  TRACKOPS_RETURN_IF_ERROR(r.String("topic.heartbeat.prefix", &c->heartbeat_topic_prefix));
  TRACKOPS_RETURN_IF_ERROR(r.String("heartbeat.action.query", &c->heartbeat_action_query));
  // Accepted as Debezium Server files always carry them.
  std::string ignored;
  TRACKOPS_RETURN_IF_ERROR(r.String("connector.class", &ignored));
  if (!ignored.empty() && ignored != "io.debezium.connector.postgresql.PostgresConnector") {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid value '", ignored,
        "' for property connector.class: only io.debezium.connector.postgresql.PostgresConnector"));
  }
  // include.schema.comments: streamed events carry no column comments in
  // Debezium either (its table schema comes from the Relation message), so the
  // value changes nothing; it is checked and accepted.
  bool comments = false;
  TRACKOPS_RETURN_IF_ERROR(r.Bool("include.schema.comments", &comments));
  for (const char* key :
       {"offset.storage", "offset.storage.file.filename", "offset.flush.interval.ms"}) {
    if (r.Get(key) != nullptr) {
      warnings->push_back(absl::StrCat(
          "debezium.source.", key,
          " is ignored: the replication slot holds the position (the Kafka sink keeps its own)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string ConnectorConfig::ConnInfo() const {
  auto quote = [](const std::string& v) {
    std::string out = "'";
    for (char ch : v) {
      if (ch == '\'' || ch == '\\') out.push_back('\\');
      out.push_back(ch);
    }
    return out + "'";
  };
  return absl::StrCat("host=", quote(hostname), " port=", port, " user=", quote(user),
                      " password=", quote(password), " dbname=", quote(dbname),
                      " sslmode=", quote(sslmode), " application_name='trackops'");
}

absl::StatusOr<Config> Config::FromProperties(const Properties& properties,
                                              std::vector<std::string>* warnings) {
  Config config;
  Properties source = properties.WithPrefix(kSourcePrefix);
  Reader source_reader(source);
  TRACKOPS_RETURN_IF_ERROR(
      InScope(ReadConnector(source_reader, &config.connector, warnings), kSourcePrefix));

  Properties format = properties.WithPrefix(kFormatPrefix);
  Reader format_reader(format);
  TRACKOPS_RETURN_IF_ERROR(
      InScope(format_reader.Bool("key.schemas.enable", &config.connector.key_schemas_enable),
              kFormatPrefix));
  TRACKOPS_RETURN_IF_ERROR(
      InScope(format_reader.Bool("value.schemas.enable", &config.connector.value_schemas_enable),
              kFormatPrefix));
  TRACKOPS_RETURN_IF_ERROR(
      InScope(format_reader.Bool("header.schemas.enable", &config.connector.header_schemas_enable),
              kFormatPrefix));
  for (const char* key : {"key", "value", "header"}) {
    std::string fmt = "json";
    TRACKOPS_RETURN_IF_ERROR(format_reader.String(key, &fmt));
    if (fmt != "json") {
      return absl::InvalidArgumentError(absl::StrCat("invalid value '", fmt, "' for property ",
                                                     kFormatPrefix, key,
                                                     ": only json is supported"));
    }
  }

  Properties sink = properties.WithPrefix(kSinkPrefix);
  Reader sink_reader(sink);
  TRACKOPS_RETURN_IF_ERROR(sink_reader.String("type", &config.sink_type));
  if (config.sink_type != "stdout" && config.sink_type != "kafka") {
    return absl::InvalidArgumentError(absl::StrCat("invalid value '", config.sink_type,
                                                   "' for property ", kSinkPrefix,
                                                   "type: supported sinks: stdout, kafka"));
  }
  // debezium.sink.<type>.* belong to the sink, which checks them when it is
  // made (sink/sink_factory.h); stdout's are read here.
  config.sink = sink.WithPrefix(config.sink_type + ".");
  if (config.sink_type == "stdout") {
    Reader stdout_reader(config.sink);
    TRACKOPS_RETURN_IF_ERROR(InScope(stdout_reader.Bool("pretty", &config.sink_pretty),
                                     absl::StrCat(kSinkPrefix, "stdout.")));
    for (const std::string& key : stdout_reader.Unused()) {
      warnings->push_back(
          absl::StrCat("unknown property ", kSinkPrefix, "stdout.", key, " (ignored)"));
    }
  }

  for (const std::string& key : source_reader.Unused()) {
    warnings->push_back(absl::StrCat("unknown property ", kSourcePrefix, key, " (ignored)"));
  }
  for (const std::string& key : format_reader.Unused()) {
    warnings->push_back(absl::StrCat("unknown property ", kFormatPrefix, key, " (ignored)"));
  }
  for (const std::string& key : sink_reader.Unused()) {
    if (!key.starts_with(config.sink_type + ".")) {
      warnings->push_back(absl::StrCat("unknown property ", kSinkPrefix, key, " (ignored)"));
    }
  }
  for (const auto& [key, value] : properties.values()) {
    if (IsTransformKey(key)) {
      config.transforms.Set(key.substr(sizeof("debezium.") - 1), value);
    } else if (!key.starts_with(kSourcePrefix) && !key.starts_with(kSinkPrefix) &&
               !key.starts_with(kFormatPrefix)) {
      warnings->push_back(absl::StrCat("unknown property ", key, " (ignored)"));
    }
  }
  return config;
}

}  // namespace trackops
