// Compares two streams of Kafka records as Kafka Connect's JsonConverter
// writes them, record by record, and says exactly where they differ. This is
// the library behind the trackops-diff tool (main.cc); README.md describes the
// tool and its output.
//
// A record is one JSON object in the interchange form both TrackOps
// (sink/stdout_sink.h) and the conformance harness write, one per line:
//
//   {"topic":"...","key":<JSON or null>,"value":<JSON or null>,"headers":{"name":<JSON>,...}}
//
// "headers" may be left out (no headers); other members are ignored.
//
// Two records are equal when their topics, keys, values and headers are, where
// two JSON values are equal when they have the same type and
//   - numbers: the same text ("1.0" differs from "1" and from "1.00");
//   - strings: the same characters after unescaping ("\u0041" equals "A");
//   - objects: the same member names in the same order with equal values
//     (JsonConverter's field order is part of compatibility);
//   - arrays: the same length and equal elements.
// Normalizations (DiffOptions) replace chosen values by a placeholder on both
// sides before comparing; a member missing on one side is still a difference.
//
// Thread safety: a RecordDiffer is used by one thread at a time.

#ifndef TRACKOPS_TOOLS_TRACKOPS_DIFF_RECORD_DIFF_H_
#define TRACKOPS_TOOLS_TRACKOPS_DIFF_RECORD_DIFF_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace trackops::diff {

// One record as read from a stream.
struct InputRecord {
  std::string json;      // The record object's JSON text.
  std::string location;  // Where it is in its stream, for messages: "line 12".
};

// A stream of records. OpenJsonLinesFile reads files; a reader of Kafka topics
// (records turned into the interchange form above) fits the same interface.
class RecordReader {
 public:
  virtual ~RecordReader() = default;

  // Reads the next record into *record. Returns false at the end of the
  // stream, an error when the stream cannot be read.
  virtual absl::StatusOr<bool> Next(InputRecord* record) = 0;

  // The stream's name in messages (a file name).
  virtual const std::string& name() const = 0;
};

// Reads one record per line from the file at `path` ("-": standard input).
// Lines holding only whitespace are skipped; locations are "line N" with N
// counted from 1 over all lines. Errors: kNotFound (no such file),
// kPermissionDenied, kUnavailable (any other open or read failure).
absl::StatusOr<std::unique_ptr<RecordReader>> OpenJsonLinesFile(const std::string& path);

// The same over JSON lines held in memory, named `name`.
std::unique_ptr<RecordReader> NewJsonLinesReader(std::string name, std::string text);

// A value replaced by a placeholder on both sides before comparing.
struct Normalization {
  enum class Target {
    kValueField,  // `path`: a dotted path of member names into the value's
                  // payload (under "payload" when the value has a schema).
    kHeader,      // `path`: a header name.
  };
  std::string name;  // "value.ts_ms", "header.__debezium.context.runId".
  Target target;
  std::string path;
  std::string why;  // One line for --list-normalizations and the README.
};

// The normalizations on by default, in the order they are reported: values
// that legitimately differ between two connectors reading the same database
// at the same time.
//   value.ts_ms, value.ts_us, value.ts_ns   the envelope's processing clock
//                                           (not source.ts_*: commit time)
//   value.source.version                    the connector's version
//   header.__debezium.context.runId         a random id per connector run
const std::vector<Normalization>& BuiltinNormalizations();

struct DiffOptions {
  // Apply BuiltinNormalizations() (--no-normalize turns this off). Default true.
  bool builtin_normalizations = true;
  // Built-in normalizations left out, by name (--no-normalize=NAME).
  // Default none; an unknown name is an error.
  std::vector<std::string> disabled_normalizations;
  // More value members to normalize: dotted paths into the value payload,
  // e.g. "source.sequence" (--ignore-field). Default none. They apply even
  // when builtin_normalizations is false.
  std::vector<std::string> ignore_fields;
  // More headers to normalize, by name (--ignore-header). Default none.
  std::vector<std::string> ignore_headers;
  // Topics whose records are compared by shape only (--shape-only-topic), for
  // records made on a clock, such as heartbeats, whose number and place
  // differ between two connectors. DiffStreams takes them out of the
  // record-by-record pairing and compares every left one with the first
  // right one and every right one with the first left one (so all must be
  // the same: key, value schema and payload, headers) with the value's
  // ts_ms normalized (value.ts_ms stays in force for this even when the
  // built-in normalizations are turned off); each side must have at least
  // one. Default none.
  std::vector<std::string> shape_only_topics;
  // Topics whose records are not compared at all (--skip-topic): records
  // that differ by design, such as a signal table's watermarks written by
  // several connectors into one table. Their counts are reported. Default
  // none.
  std::vector<std::string> skip_topics;
  // How many difference blocks DiffStreams writes; the summary counts every
  // difference. Default 50.
  uint64_t max_diffs = 50;
  // The longest rendering of a value in a difference, in bytes; longer ones
  // are cut and marked. Default 120, at least 16.
  size_t max_value_bytes = 120;
};

// What identifies a record to a person.
struct RecordContext {
  std::string topic;
  std::string table;  // "schema.table" from the value's source block, or "".
  std::string key;    // The key (its payload when it has a schema), compact
                      // and cut to max_value_bytes; "null" for a null key.
  std::string lsn;    // source.lsn as written, or "" when absent or null.
};

// The outcome of comparing two records.
struct RecordComparison {
  bool identical = true;
  // When !identical: the JSON path of the first differing element, e.g.
  // `value.payload.after.amount`, `headers["__debezium.oldkey"]`, `key`,
  // `topic`; array elements as `[3]`.
  std::string path;
  // When !identical and there is more to say than two values, e.g.
  // "field order differs" or "strings differ at byte 4012"; else "".
  std::string what;
  // When !identical: the element on each side, rendered as compact JSON (cut
  // to max_value_bytes), or "(missing)", or "null (tombstone)" for a null value.
  std::string left;
  std::string right;
  // Taken from the left record where it has them, else from the right. Only
  // the topic when identical.
  RecordContext context;
  // Names of the normalizations that replaced two different values (only
  // those met before the first difference).
  std::vector<std::string> normalized;
};

struct TopicCounts {
  uint64_t identical = 0;
  uint64_t different = 0;
  uint64_t only_left = 0;
  uint64_t only_right = 0;
};

struct DiffSummary {
  uint64_t compared = 0;  // identical + different + only_left + only_right.
  uint64_t identical = 0;
  uint64_t different = 0;
  uint64_t only_left = 0;
  uint64_t only_right = 0;
  // Per topic (the left record's topic for a differing pair).
  std::map<std::string, TopicCounts> topics;
  // Per shape-only topic (DiffOptions::shape_only_topics), in option order:
  // the number of its records on each side.
  struct ShapeOnlyCount {
    std::string topic;
    uint64_t left = 0;
    uint64_t right = 0;
  };
  std::vector<ShapeOnlyCount> shape_only;
  // Each normalization in force, in order, with the number of identical
  // records in which it replaced two different values.
  std::vector<std::pair<std::string, uint64_t>> normalized;

  bool Same() const { return different == 0 && only_left == 0 && only_right == 0; }
};

// Receives report text as it is produced (whole lines, each ending in '\n').
using ReportSink = std::function<void(std::string_view text)>;

class RecordDiffer {
 public:
  // Errors: kInvalidArgument for an unknown normalization name, an empty
  // path or path segment, max_value_bytes below 16.
  static absl::StatusOr<std::unique_ptr<RecordDiffer>> Create(const DiffOptions& options);

  ~RecordDiffer();
  RecordDiffer(const RecordDiffer&) = delete;
  RecordDiffer& operator=(const RecordDiffer&) = delete;

  // Compares two records. Errors: kDataLoss when either is not JSON or not a
  // record object; the message names the side ("left" or "right") and the
  // record's location.
  absl::StatusOr<RecordComparison> Compare(const InputRecord& left, const InputRecord& right);

  // Reads both streams to their ends, comparing the records pairwise in
  // order. Writes a block per difference (at most max_diffs), then the
  // summary (FormatSummary) to `out`, and returns the counts. Errors: the
  // readers' errors and kDataLoss for a malformed record, whose message names
  // the stream and the location ("left.jsonl line 7: not JSON: ...").
  absl::StatusOr<DiffSummary> DiffStreams(RecordReader& left, RecordReader& right,
                                          const ReportSink& out);

  // The names of the normalizations in force, in order.
  std::vector<std::string> ActiveNormalizations() const;

 private:
  class Impl;
  explicit RecordDiffer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One difference block, one line:
//   record 12 (left line 12, right line 12) shop.public.orders key {"id":3} lsn 22055176:
//   value.payload.after.amount: left "APaO" right "AfQ="
// (without the break). The table is named ("table public.orders") when the
// topic does not already end in it; lsn only when known. A comparison with an
// empty path (a record present on one side only) ends in just its `what`
// ("only left"); the missing side's location is "-".
std::string FormatDifference(uint64_t record_number, std::string_view left_location,
                             std::string_view right_location, const RecordComparison& comparison);

// The report's end: a line per normalization in force, a line per
// shape-only topic
//   shape only __debezium-heartbeat.shop: 8 left, 11 right
// the summary line
//   compared N records: M identical, K different, L only left, R only right
// and, when there are differences, a table of counts per topic.
std::string FormatSummary(const DiffSummary& summary);

}  // namespace trackops::diff

#endif  // TRACKOPS_TOOLS_TRACKOPS_DIFF_RECORD_DIFF_H_
