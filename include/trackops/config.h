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
enum class SnapshotMode { kInitial, kAlways, kInitialOnly, kNoData, kWhenNeeded, kConfigurationBased };
enum class StreamingMode { kOff, kOn, kParallel };

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
  std::string slot_name = "debezium";                 // slot.name
  std::string publication_name = "dbz_publication";  // publication.name
  PublicationAutocreateMode publication_autocreate_mode =
      PublicationAutocreateMode::kAllTables;  // publication.autocreate.mode
  bool slot_drop_on_stop = false;              // slot.drop.on.stop

  // Filters: Java-style regular expressions matched against "schema.table".
  std::vector<std::string> table_include_list;  // table.include.list
  std::vector<std::string> table_exclude_list;  // table.exclude.list

  SnapshotMode snapshot_mode = SnapshotMode::kInitial;  // snapshot.mode

  // Events.
  bool tombstones_on_delete = true;  // tombstones.on.delete
  bool key_schemas_enable = true;    // debezium.format.key.schemas.enable
  bool value_schemas_enable = true;  // debezium.format.value.schemas.enable
  bool header_schemas_enable = true; // debezium.format.header.schemas.enable

  // Replication stream (TrackOps extensions; Debezium always uses protocol 1, text).
  int protocol_version = 1;                          // trackops.pgoutput.protocol.version
  StreamingMode streaming = StreamingMode::kOff;     // trackops.pgoutput.streaming
  bool binary = false;                               // trackops.pgoutput.binary
  bool messages = false;                             // trackops.pgoutput.messages

  // Timing.
  int64_t status_update_interval_ms = 10000;        // status.update.interval.ms
  int64_t retriable_restart_wait_ms = 10000;        // retriable.restart.connector.wait.ms
  int64_t max_retries = -1;                         // errors.max.retries (-1: forever)

  // A libpq keyword/value conninfo for this database (no replication keyword).
  std::string ConnInfo() const;
};

struct Config {
  ConnectorConfig connector;
  std::string sink_type = "stdout";  // debezium.sink.type
  bool sink_pretty = false;          // debezium.sink.stdout.pretty
  Properties sink;                   // debezium.sink.<type>.* (prefix removed)

  // Builds the configuration. Fails with kInvalidArgument naming the property
  // on a value that is invalid or a required property that is missing.
  // Properties TrackOps does not know are appended to `warnings`.
  static absl::StatusOr<Config> FromProperties(const Properties& properties,
                                               std::vector<std::string>* warnings);
};

}  // namespace trackops

#endif  // TRACKOPS_CONFIG_H_
