#include "transforms/extract_new_record_state.h"

#include "absl/strings/str_cat.h"
#include "transforms/json_scan.h"
#include "util/string_view.h"

namespace trackops::transforms {
namespace {

constexpr std::string_view kDeletedEntry = R"({"type":"string","optional":true,"field":"__deleted"})";
constexpr std::string_view kOpHeaderSchema = R"({"type":"string","optional":false})";

void AppendHeaderValue(bool with_schema, std::string_view schema, std::string_view value,
                       std::string* out) {
  out->clear();
  if (!with_schema) {
    out->append(value);
    return;
  }
  absl::StrAppend(out, "{\"schema\":", ToAbsl(schema), ",\"payload\":", ToAbsl(value),
                  "}");
}

bool IsNull(std::string_view json) { return json.empty() || json == "null"; }

}  // namespace

absl::StatusOr<std::unique_ptr<Transform>> ExtractNewRecordState::Create(
    const TransformOptions& options, const RecordFormat& format) {
  std::unique_ptr<ExtractNewRecordState> t(new ExtractNewRecordState());
  t->format_ = format;
  OptionReader reader(options);
  std::string mode = reader.Get("delete.tombstone.handling.mode", "tombstone");
  if (mode == "drop") t->delete_mode_ = DeleteMode::kDrop;
  else if (mode == "tombstone") t->delete_mode_ = DeleteMode::kTombstone;
  else if (mode == "rewrite") t->delete_mode_ = DeleteMode::kRewrite;
  else if (mode == "rewrite-with-tombstone") t->delete_mode_ = DeleteMode::kRewriteWithTombstone;
  else if (mode == "delete-to-tombstone") t->delete_mode_ = DeleteMode::kDeleteToTombstone;
  else {
    return OptionReader::Invalid(
        "delete.tombstone.handling.mode", mode,
        "drop, tombstone, rewrite, rewrite-with-tombstone or delete-to-tombstone");
  }
  auto fields = ParseFieldReferences(reader.Get("add.fields.prefix", "__"),
                                     reader.Get("add.fields", ""));
  if (!fields.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("add.fields: ", fields.status().message()));
  }
  t->fields_ = *std::move(fields);
  auto headers = ParseFieldReferences(reader.Get("add.headers.prefix", "__"),
                                      reader.Get("add.headers", ""));
  if (!headers.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("add.headers: ", headers.status().message()));
  }
  t->headers_ = *std::move(headers);
  t->route_by_field_ = reader.Get("route.by.field", "");
  bool replace_null = true;
  absl::Status status = reader.GetBool("replace.null.with.default", true, &replace_null);
  if (!status.ok()) return status;
  if (!replace_null) {
    return OptionReader::Invalid("replace.null.with.default", "false",
                                 "only true is supported");
  }
  std::vector<std::string> unknown = reader.Unknown();
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(unknown[0], ": unknown option of ", kClassName));
  }
  return std::unique_ptr<Transform>(std::move(t));
}

absl::Status ExtractNewRecordState::MakeHeaders(const Record& record,
                                                const ChangeEventView* event) {
  out_headers_.assign(record.headers.begin(), record.headers.end());
  if (event == nullptr && last_was_delete_) {
    for (size_t i = 0; i < headers_.size(); ++i) {
      out_headers_.push_back(Header{headers_[i].new_field, delete_header_values_[i]});
    }
  }
  header_values_.resize(headers_.size());
  for (size_t i = 0; i < headers_.size(); ++i) {
    const FieldReference& ref = headers_[i];
    if (event == nullptr) {
      // A tombstone: Debezium adds only the "op" header, as "d".
      if (ref.field != "op") continue;
      AppendHeaderValue(format_.header_schemas_enable, kOpHeaderSchema, "\"d\"",
                        &header_values_[i]);
    } else {
      auto value = ref.Value(*event);
      if (!value.ok()) return value.status();
      AppendHeaderValue(format_.header_schemas_enable, ref.schema_json, *value,
                        &header_values_[i]);
    }
    out_headers_.push_back(Header{ref.new_field, header_values_[i]});
  }
  return absl::OkStatus();
}

absl::Status ExtractNewRecordState::MakeRow(const ChangeEventView& event, std::string_view row,
                                            std::string_view row_entry, bool deleted) {
  value_.clear();
  const bool with_schema = format_.value_schemas_enable;
  if (with_schema) {
    // The row's schema, rebuilt as Connect's copySchemaBasics does: the same
    // name and fields, not optional, then the added fields.
    value_.append("{\"schema\":{");
    bool first = true;
    absl::Status status = ForEachMember(row_entry, [&](std::string_view key, std::string_view v) {
      if (StringTokenEquals(key, "field")) return absl::OkStatus();
      if (!first) value_.push_back(',');
      first = false;
      value_.append(key);
      value_.push_back(':');
      if (StringTokenEquals(key, "optional")) {
        value_.append("false");
      } else if (StringTokenEquals(key, "fields")) {
        value_.push_back('[');
        std::string_view inner = Inner(v);
        value_.append(inner);
        bool any = !inner.empty();
        auto add = [&](std::string_view entry) {
          if (any) value_.push_back(',');
          any = true;
          value_.append(entry);
        };
        if (rewrite()) add(kDeletedEntry);
        for (const FieldReference& ref : fields_) {
          std::string_view schema = ref.schema_json;
          // The entry: the schema with "field":"<name>" appended.
          if (any) value_.push_back(',');
          any = true;
          value_.append(schema.substr(0, schema.size() - 1));
          value_.append(",\"field\":");
          value_.append(ref.new_field_json);
          value_.push_back('}');
        }
        value_.push_back(']');
      } else {
        value_.append(v);
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    value_.append("},\"payload\":");
  }
  value_.push_back('{');
  std::string_view inner = Inner(row);
  value_.append(inner);
  bool any = !inner.empty();
  if (rewrite()) {
    value_.append(any ? ",\"__deleted\":" : "\"__deleted\":");
    value_.append(deleted ? "\"true\"" : "\"false\"");
    any = true;
  }
  for (const FieldReference& ref : fields_) {
    auto v = ref.Value(event);
    if (!v.ok()) return v.status();
    if (any) value_.push_back(',');
    any = true;
    value_.append(ref.new_field_json);
    value_.push_back(':');
    value_.append(*v);
  }
  value_.push_back('}');
  if (with_schema) value_.push_back('}');
  return absl::OkStatus();
}

absl::Status ExtractNewRecordState::Route(std::string_view row, std::string_view fallback) {
  topic_.assign(fallback);
  if (route_by_field_.empty()) return absl::OkStatus();
  auto value = FindMember(row, route_by_field_);
  if (!value.ok()) return value.status();
  if (value->empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("route.by.field: the row has no field '", route_by_field_, "'"));
  }
  if (IsNull(*value)) return absl::OkStatus();
  if (value->front() != '"') {
    return absl::InvalidArgumentError(
        absl::StrCat("route.by.field: field '", route_by_field_, "' is not a string"));
  }
  std::string decoded;
  absl::Status status = DecodeString(*value, &decoded);
  if (!status.ok()) return status;
  // Debezium keeps the topic when the value is blank.
  if (decoded.find_first_not_of(" \t\n\r\f\v") != std::string::npos) topic_ = std::move(decoded);
  return absl::OkStatus();
}

absl::Status ExtractNewRecordState::Apply(const Record& record, Emit emit) {
  const bool tombstone = !record.value.has_value();
  if (tombstone) {
    const bool after_delete = last_was_delete_;
    last_was_delete_ = false;
    if (delete_mode_ != DeleteMode::kRewriteWithTombstone) return absl::OkStatus();
    last_was_delete_ = after_delete;
    absl::Status status = MakeHeaders(record, nullptr);
    last_was_delete_ = false;
    if (!status.ok()) return status;
    Record out = record;
    out.headers = out_headers_;
    return emit(out);
  }
  last_was_delete_ = false;
  if (record.kind != RecordKind::kChange) return emit(record);

  ChangeEventView event;
  absl::Status status = ParseChangeEvent(*record.value, format_.value_schemas_enable, &event);
  if (!status.ok()) return status;
  status = MakeHeaders(record, &event);
  if (!status.ok()) return status;
  if (event.values.op == "\"d\"") {
    delete_header_values_ = header_values_;
    last_was_delete_ = true;
  }

  Record out = record;
  out.headers = out_headers_;
  const bool has_after = !IsNull(event.values.after);
  if (has_after) {
    status = MakeRow(event, event.values.after, event.schema_fields.after, false);
    if (!status.ok()) return status;
    status = Route(event.values.after, record.topic);
    if (!status.ok()) return status;
    out.topic = topic_;
    out.value = std::string_view(value_);
    return emit(out);
  }
  if (IsNull(event.values.before)) return absl::OkStatus();  // Truncate: dropped.

  // A delete.
  switch (delete_mode_) {
    case DeleteMode::kDrop:
      return absl::OkStatus();
    case DeleteMode::kTombstone:
      // The "after" field extracted: a null value that keeps its schema, so
      // JsonConverter writes {"schema":...,"payload":null}, or null.
      value_.clear();
      if (format_.value_schemas_enable) {
        value_.append("{\"schema\":");
        status = AppendEntrySchema(event.schema_fields.after, "", &value_);
        if (!status.ok()) return status;
        value_.append(",\"payload\":null}");
      } else {
        value_.append("null");
      }
      out.value = std::string_view(value_);
      break;
    case DeleteMode::kDeleteToTombstone:
      out.value.reset();
      break;
    case DeleteMode::kRewrite:
    case DeleteMode::kRewriteWithTombstone:
      status = MakeRow(event, event.values.before, event.schema_fields.before, true);
      if (!status.ok()) return status;
      out.value = std::string_view(value_);
      break;
  }
  status = Route(event.values.before, record.topic);
  if (!status.ok()) return status;
  out.topic = topic_;
  return emit(out);
}

}  // namespace trackops::transforms
