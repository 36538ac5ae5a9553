// Configuration, read from Debezium Server style `application.properties`.
//
//   debezium.source.*   connector properties, with Debezium's names and defaults
//   debezium.sink.*     where records go (debezium.sink.type=stdout)
//   debezium.format.*   JsonConverter settings (key/value schemas.enable)
//
// docs/configuration.md lists every property and its default.

#ifndef TRACKOPS_CONFIG_H_
#define TRACKOPS_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace trackops {

// An ordered key -> value map parsed from a Java-style .properties text:
// `key=value` or `key: value`, `#`/`!` comments, `\` line continuations and
// the escapes \t \n \r \f \\ \uXXXX.
class Properties {
 public:
  static absl::StatusOr<Properties> Parse(std::string_view text);
  static absl::StatusOr<Properties> Load(const std::string& path);

  void Set(std::string key, std::string value) { values_[std::move(key)] = std::move(value); }
  const std::string* Find(std::string_view key) const;
  const std::map<std::string, std::string, std::less<>>& values() const { return values_; }

  // The properties under `prefix` (e.g. "debezium.source."), prefix removed.
  Properties WithPrefix(std::string_view prefix) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

enum class PublicationAutocreateMode { kAllTables, kFiltered, kDisabled, kNoTables };
enum class SnapshotMode {
  kInitial,
  kAlways,
  kInitialOnly,
  kNoData,
  kWhenNeeded,
  kConfigurationBased
};
enum class StreamingMode { kOff, kOn, kParallel };
// decimal.handling.mode: numeric and money as Kafka Connect Decimal (precise),
// double, or their plain text (string).
enum class DecimalHandlingMode { kPrecise, kDouble, kString };
// time.precision.mode: adaptive (time/timestamp precision picks Time/MicroTime,
// Timestamp/MicroTimestamp), adaptive_time_microseconds (time always MicroTime),
// connect (Kafka Connect's Date/Time/Timestamp, milliseconds).
enum class TimePrecisionMode { kAdaptive, kAdaptiveTimeMicroseconds, kConnect };
// binary.handling.mode: bytea as bytes, or a string in base64, base64-url-safe or hex.
enum class BinaryHandlingMode { kBytes, kBase64, kBase64UrlSafe, kHex };
// interval.handling.mode: MicroDuration microseconds (numeric) or an ISO 8601 string.
enum class IntervalHandlingMode { kNumeric, kString };
// hstore.handling.mode: a JSON string (io.debezium.data.Json) or a map.
enum class HStoreHandlingMode { kJson, kMap };

struct ConnectorConfig {
  // Connection.
  std::string hostname = "localhost";  // database.hostname
  int port = 5432;                     // database.port
  std::string user;                    // database.user (required)
  std::string password;                // database.password
  std::string dbname;                  // database.dbname (required)
  std::string sslmode = "prefer";      // database.sslmode

  // Naming.
  std::string topic_prefix;  // topic.prefix (required)

  // Slot and publication.
  std::string slot_name = "debezium";                // slot.name
  std::string publication_name = "dbz_publication";  // publication.name
  PublicationAutocreateMode publication_autocreate_mode =
      PublicationAutocreateMode::kAllTables;  // publication.autocreate.mode
  bool slot_drop_on_stop = false;             // slot.drop.on.stop

  // Filters: Java-style regular expressions matched against "schema.table".
  std::vector<std::string> table_include_list;  // table.include.list
  std::vector<std::string> table_exclude_list;  // table.exclude.list
  // Java-style regular expressions matched against "schema.table.column":
  // columns left out of every event (schemas and values).
  std::vector<std::string> column_include_list;  // column.include.list
  std::vector<std::string> column_exclude_list;  // column.exclude.list

  SnapshotMode snapshot_mode = SnapshotMode::kInitial;  // snapshot.mode
  // snapshot.max.threads: connections reading a snapshot at once; above 1,
  // tables larger than trackops.snapshot.chunk.pages heap pages are read in
  // ranges of that many pages.
  int64_t snapshot_max_threads = 1;
  // snapshot.include.collection.list: regular expressions matched against
  // "schema.table"; when set, a snapshot reads only the captured tables that
  // match one (the others are streamed only).
  std::vector<std::string> snapshot_include_list;
  int64_t snapshot_chunk_pages = 4096;  // trackops.snapshot.chunk.pages (32 MiB)
  // signal.data.collection: "schema.table" of the signal table (empty: no
  // signals), whose inserted rows (id, type, data) are acted on: incremental
  // snapshots.
  std::string signal_data_collection;
  int64_t incremental_snapshot_chunk_size = 1024;  // incremental.snapshot.chunk.size

  // Events.
  bool tombstones_on_delete = true;  // tombstones.on.delete
  // Type handling (Debezium's names and defaults).
  DecimalHandlingMode decimal_handling_mode =
      DecimalHandlingMode::kPrecise;                                     // decimal.handling.mode
  TimePrecisionMode time_precision_mode = TimePrecisionMode::kAdaptive;  // time.precision.mode
  BinaryHandlingMode binary_handling_mode = BinaryHandlingMode::kBytes;  // binary.handling.mode
  IntervalHandlingMode interval_handling_mode =
      IntervalHandlingMode::kNumeric;                                   // interval.handling.mode
  HStoreHandlingMode hstore_handling_mode = HStoreHandlingMode::kJson;  // hstore.handling.mode
  // skipped.operations: a comma-separated list of c, u, d, t, or "none".
  // Default "t": TRUNCATE emits nothing.
  bool skip_creates = false;
  bool skip_updates = false;
  bool skip_deletes = false;
  bool skip_truncates = true;
  // provide.transaction.metadata: BEGIN/END records on "<prefix>.transaction"
  // and the "transaction" block in every change event.
  bool provide_transaction_metadata = false;
  // Java-style regular expressions matched against a logical decoding
  // message's whole prefix; at most one of the two lists may be set.
  std::vector<std::string> message_prefix_include_list;  // message.prefix.include.list
  std::vector<std::string> message_prefix_exclude_list;  // message.prefix.exclude.list
  bool key_schemas_enable = true;                        // debezium.format.key.schemas.enable
  bool value_schemas_enable = true;                      // debezium.format.value.schemas.enable
  bool header_schemas_enable = true;                     // debezium.format.header.schemas.enable

  // Replication stream (TrackOps extensions; Debezium always uses protocol 1, text).
  int protocol_version = 1;                       // trackops.pgoutput.protocol.version
  StreamingMode streaming = StreamingMode::kOff;  // trackops.pgoutput.streaming
  // streaming on: the bytes of streamed in-progress transactions held in
  // memory, in all; past it, transactions move to anonymous spill files in
  // streaming_spill_directory (empty: $TMPDIR, else /tmp).
  int64_t streaming_memory_bytes = 64 << 20;  // trackops.pgoutput.streaming.memory.bytes
  std::string streaming_spill_directory;      // trackops.pgoutput.streaming.spill.directory
  bool binary = false;                        // trackops.pgoutput.binary
  // Logical decoding messages (the "<prefix>.message" topic). Like Debezium,
  // requested only from PostgreSQL 14 on.
  bool messages = true;  // trackops.pgoutput.messages

  // Timing.
  int64_t status_update_interval_ms = 10000;  // status.update.interval.ms
  // No message from the walsender for this long while waiting for one (a
  // reply is asked for at half of it): the connection is dead or stalled,
  // drop it and reconnect. 0: never (trackops.replication.receive.timeout.ms).
  int64_t receive_timeout_ms = 60000;
  // Once caught up with the walsender, which sends each message as it
  // decodes it, wait this long after data arrives before reading, so that one
  // read takes a run of messages. 0: read at once
  // (trackops.replication.read.coalesce.us).
  int64_t read_coalesce_us = 1000;
  int64_t retriable_restart_wait_ms = 10000;  // retriable.restart.connector.wait.ms
  int64_t max_retries = -1;                   // errors.max.retries (-1: forever)
  // A record a transform cannot process goes to this topic (with headers
  // naming the error) instead of stopping the engine. Empty: it stops.
  std::string dead_letter_topic;  // errors.deadletterqueue.topic.name

  // Heartbeats: while streaming, a record on "<heartbeat_topic_prefix>.<topic
  // prefix>" every heartbeat_interval_ms (0: none), also when idle.
  int64_t heartbeat_interval_ms = 0;                            // heartbeat.interval.ms
  std::string heartbeat_topic_prefix = "__debezium-heartbeat";  // topic.heartbeat.prefix
  // SQL run at each heartbeat on a normal connection (empty: none); its
  // errors are logged and counted, never fatal.
  std::string heartbeat_action_query;  // heartbeat.action.query

  // A libpq keyword/value conninfo for this database (no replication keyword).
  std::string ConnInfo() const;
};

struct Config {
  ConnectorConfig connector;
  std::string sink_type = "stdout";  // debezium.sink.type
  bool sink_pretty = false;          // debezium.sink.stdout.pretty
  Properties sink;                   // debezium.sink.<type>.* (prefix removed)
  // debezium.transforms* and debezium.predicates*, "debezium." removed
  // ("transforms", "transforms.unwrap.type", ...): the transform chain,
  // checked when the engine is created.
  Properties transforms;

  // Builds the configuration. Fails with kInvalidArgument naming the property
  // on a value that is invalid or a required property that is missing.
  // Properties TrackOps does not know are appended to `warnings`.
  static absl::StatusOr<Config> FromProperties(const Properties& properties,
                                               std::vector<std::string>* warnings);
};

}  // namespace trackops

#endif  // TRACKOPS_CONFIG_H_
