#include "transforms/transforming_sink.h"

#include "absl/strings/str_cat.h"
#include "event/json_writer.h"
#include "transforms/change_event.h"
#include "transforms/json_scan.h"
#include "util/log.h"
#include "util/string_view.h"

namespace trackops::transforms {
namespace {

// "<schema>.<table>" from a change event's source block; empty otherwise.
std::string TableOf(const Record& record, bool with_schema) {
  if (record.kind != RecordKind::kChange || !record.value.has_value()) return "";
  ChangeEventView event;
  if (!ParseChangeEvent(*record.value, with_schema, &event).ok()) return "";
  std::string schema, table;
  auto s = FindMember(event.values.source, "schema");
  auto t = FindMember(event.values.source, "table");
  if (!s.ok() || !t.ok() || s->empty() || t->empty()) return "";
  if (!DecodeString(*s, &schema).ok() || !DecodeString(*t, &table).ok()) return "";
  return absl::StrCat(schema, ".", table);
}

}  // namespace

TransformingSink::TransformingSink(std::unique_ptr<TransformChain> chain, Sink* sink,
                                   std::string dead_letter_topic, RecordFormat format)
    : chain_(std::move(chain)),
      sink_(sink),
      dead_letter_topic_(std::move(dead_letter_topic)),
      format_(format) {}

absl::Status TransformingSink::Write(const Record& record) {
  TransformFailure failure;
  absl::Status status =
      chain_->Apply(record, [this](const Record& r) { return sink_->Write(r); }, &failure);
  if (status.ok() || failure.status.ok()) return status;  // The sink's own error, as is.
  if (dead_letter_topic_.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "transform '", failure.transform, "' (", failure.class_name,
        ") cannot process the record for topic ", ToAbsl(record.topic), " at LSN ",
        record.lsn.ToString(), ": ", failure.status.message(),
        ". Set debezium.source.errors.deadletterqueue.topic.name to route such records to a "
        "dead-letter topic instead of stopping"));
  }
  return DeadLetter(record, failure);
}

absl::Status TransformingSink::DeadLetter(const Record& record, const TransformFailure& failure) {
  const std::string table = TableOf(record, format_.value_schemas_enable);
  const std::string transform = absl::StrCat(failure.transform, " (", failure.class_name, ")");
  struct Entry {
    const char* key;
    std::string_view text;  // A string value; empty `number` then.
    std::string number;
  };
  const Entry entries[] = {
      {"__connect.errors.topic", record.topic, ""},
      {"__connect.errors.stage", "TRANSFORMATION", ""},
      {"__connect.errors.class.name", failure.class_name, ""},
      {"__connect.errors.exception.message", ToStd(failure.status.message()), ""},
      {"__trackops.errors.transform", transform, ""},
      {"__trackops.errors.table", table, ""},
      {"__trackops.errors.lsn", "", std::to_string(record.lsn.value())},
  };
  header_values_.resize(std::size(entries));
  headers_.assign(record.headers.begin(), record.headers.end());
  for (size_t i = 0; i < std::size(entries); ++i) {
    std::string& out = header_values_[i];
    out.clear();
    const bool number = !entries[i].number.empty();
    if (format_.header_schemas_enable) {
      out.append(number ? R"({"schema":{"type":"int64","optional":false},"payload":)"
                        : R"({"schema":{"type":"string","optional":false},"payload":)");
    }
    if (number) out.append(entries[i].number);
    else event::JsonWriter(&out).String(entries[i].text);
    if (format_.header_schemas_enable) out.push_back('}');
    headers_.push_back(Header{entries[i].key, out});
  }
  Record letter = record;
  letter.topic = dead_letter_topic_;
  letter.headers = headers_;
  dead_lettered_.fetch_add(1, std::memory_order_relaxed);
  Log(LogLevel::kWarning, "transform %s failed on %s at LSN %s: %s; sent to %s",
      transform, ToAbsl(record.topic), record.lsn.ToString(), failure.status.message(),
      dead_letter_topic_);
  return sink_->Write(letter);
}

}  // namespace trackops::transforms
