#include "transforms/outbox_event_router.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "event/json_writer.h"
#include "transforms/change_event.h"
#include "transforms/json_scan.h"
#include "util/log.h"
#include "util/string_view.h"

namespace trackops::transforms {
namespace {

bool IsNull(std::string_view json) { return json.empty() || json == "null"; }

// `{"schema":<schema>,"payload":<value>}` or `<value>`.
void AppendWithSchema(bool with_schema, std::string_view schema, std::string_view value,
                      std::string* out) {
  if (!with_schema) {
    out->append(value);
    return;
  }
  out->append("{\"schema\":");
  out->append(schema);
  out->append(",\"payload\":");
  out->append(value);
  out->push_back('}');
}

}  // namespace

absl::StatusOr<std::unique_ptr<Transform>> OutboxEventRouter::Create(
    const TransformOptions& options, const RecordFormat& format) {
  OptionReader reader(options);
  auto regex = JavaRegex::Compile(reader.Get("route.topic.regex", "(?<routedByValue>.*)"));
  if (!regex.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("route.topic.regex: ", regex.status().message()));
  }
  std::unique_ptr<OutboxEventRouter> t(new OutboxEventRouter(*std::move(regex)));
  t->format_ = format;
  if ((format.header_schemas_enable || format.key_schemas_enable) &&
      !format.value_schemas_enable) {
    return absl::InvalidArgumentError(
        "the key and header schemas of outbox events come from the value's schema: with "
        "debezium.format.value.schemas.enable=false, key and header schemas must be disabled too");
  }
  std::string invalid = reader.Get("table.op.invalid.behavior", "warn");
  if (invalid == "warn") t->invalid_op_ = InvalidOp::kWarn;
  else if (invalid == "error") t->invalid_op_ = InvalidOp::kError;
  else if (invalid == "fatal") t->invalid_op_ = InvalidOp::kFatal;
  else return OptionReader::Invalid("table.op.invalid.behavior", invalid, "warn, error or fatal");
  t->field_id_ = reader.Get("table.field.event.id", "id");
  t->field_key_ = reader.Get("table.field.event.key", "aggregateid");
  t->field_payload_ = reader.Get("table.field.event.payload", "payload");
  reader.Get("table.field.event.type", "type");  // Used by placements only.
  t->route_by_field_ = reader.Get("route.by.field", "aggregatetype");
  t->topic_replacement_ = reader.Get("route.topic.replacement", "outbox.event.${routedByValue}");
  absl::Status status =
      reader.GetBool("route.tombstone.on.empty.payload", false, &t->tombstone_on_empty_payload_);
  if (!status.ok()) return status;
  bool expand = false;
  status = reader.GetBool("table.expand.json.payload", false, &expand);
  if (!status.ok()) return status;
  std::string null_behavior = reader.Get("table.json.payload.null.behavior", "ignore");
  if (null_behavior != "ignore" && null_behavior != "optional_bytes") {
    return OptionReader::Invalid("table.json.payload.null.behavior", null_behavior,
                                 "ignore or optional_bytes");
  }
  if (expand) t->expansion_ = std::make_unique<JsonExpansion>(null_behavior == "optional_bytes");
  for (const char* unsupported : {"table.field.event.timestamp", "table.field.event.schema.version"}) {
    std::string value = reader.Get(unsupported, "");
    if (!value.empty()) return OptionReader::Invalid(unsupported, value, "not supported");
  }
  std::string missing = reader.Get("table.field.additional.missing", "error");
  if (missing == "ignore") t->ignore_missing_additional_ = true;
  else if (missing != "error") {
    return OptionReader::Invalid("table.field.additional.missing", missing, "error or ignore");
  }
  std::string placements = reader.Get("table.fields.additional.placement", "");
  if (!placements.empty()) {
    for (absl::string_view entry : absl::StrSplit(placements, ',')) {
      std::vector<absl::string_view> parts = absl::StrSplit(entry, ':');
      for (absl::string_view& p : parts) p = absl::StripAsciiWhitespace(p);
      if (parts.size() < 2 || parts.size() > 3 || parts[0].empty()) {
        return OptionReader::Invalid("table.fields.additional.placement", ToStd(entry),
                                     "field:placement[:alias], comma-separated");
      }
      Additional a;
      a.field = std::string(parts[0]);
      a.alias = std::string(parts.size() == 3 ? parts[2] : parts[0]);
      event::JsonWriter(&a.alias_json).String(a.alias);
      if (parts[1] == "header") a.header = true;
      else if (parts[1] == "envelope") t->envelope_ = true;
      else {
        return OptionReader::Invalid("table.fields.additional.placement", ToStd(entry),
                                     "placement header or envelope");
      }
      t->additional_.push_back(std::move(a));
    }
  }
  std::vector<std::string> unknown = reader.Unknown();
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(unknown[0], ": unknown option of ", kClassName));
  }
  return std::unique_ptr<Transform>(std::move(t));
}

absl::Status OutboxEventRouter::Apply(const Record& record, Emit emit) {
  if (!record.value.has_value()) return absl::OkStatus();  // Tombstones: dropped.
  if (record.kind != RecordKind::kChange) return emit(record);

  ChangeEventView event;
  absl::Status status = ParseChangeEvent(*record.value, format_.value_schemas_enable, &event);
  if (!status.ok()) return status;
  std::string_view op = event.values.op;
  if (op == "\"d\"") return absl::OkStatus();
  if (op == "\"u\"") {
    switch (invalid_op_) {
      case InvalidOp::kWarn:
      case InvalidOp::kError:
        Log(invalid_op_ == InvalidOp::kWarn ? LogLevel::kWarning : LogLevel::kError,
            "outbox: update of %s at %s ignored (outbox rows are inserted, then deleted)",
            ToAbsl(record.topic), record.lsn.ToString());
        return absl::OkStatus();
      case InvalidOp::kFatal:
        return absl::FailedPreconditionError(
            "outbox: unexpected update (table.op.invalid.behavior=fatal)");
    }
  }
  std::string_view row = event.values.after;
  if (IsNull(row)) {
    return absl::InvalidArgumentError(absl::StrCat("outbox: event with op ", ToAbsl(op),
                                                   " has no row after the change"));
  }
  std::string_view row_schema = event.schema_fields.after;
  auto field = [&](std::string_view name, std::string_view what) -> absl::StatusOr<FieldRef> {
    auto ref = FindField(row, row_schema, name);
    if (!ref.ok()) return ref.status();
    if (ref->value.empty() || (format_.value_schemas_enable && ref->schema_entry.empty())) {
      return absl::InvalidArgumentError(absl::StrCat("outbox: unable to find ", ToAbsl(what),
                                                     " field '", ToAbsl(name),
                                                     "' in the row"));
    }
    return ref;
  };
  auto payload = field(field_payload_, "payload");
  if (!payload.ok()) return payload.status();
  auto id = field(field_id_, "event id");
  if (!id.ok()) return id.status();
  auto key = field(field_key_, "event key");
  if (!key.ok()) return key.status();
  auto route = field(route_by_field_, "route");
  if (!route.ok()) return route.status();
  if (IsNull(route->value) || route->value.front() != '"') {
    return absl::InvalidArgumentError(absl::StrCat("outbox: route field '", route_by_field_,
                                                   "' is null or not a string"));
  }
  status = DecodeString(route->value, &route_);
  if (!status.ok()) return status;
  auto replaced = topic_regex_.Replace(route_, topic_replacement_, &topic_);
  if (!replaced.ok()) return replaced.status();
  if (!*replaced) topic_ = route_;

  // Headers: the record's, then "id", then the header placements.
  headers_.assign(record.headers.begin(), record.headers.end());
  header_values_.resize(1 + additional_.size());
  auto add_header = [&](size_t slot, std::string_view name, const FieldRef& ref) {
    std::string& value = header_values_[slot];
    value.clear();
    if (format_.header_schemas_enable) {
      scratch_.clear();
      absl::Status s = AppendEntrySchema(ref.schema_entry, "", &scratch_);
      if (!s.ok()) return s;
    }
    AppendWithSchema(format_.header_schemas_enable, scratch_, ref.value, &value);
    headers_.push_back(Header{name, value});
    return absl::OkStatus();
  };
  status = add_header(0, "id", *id);
  if (!status.ok()) return status;

  // Value: the payload, or an envelope struct {payload, envelope fields}.
  value_.clear();
  std::string_view payload_value = payload->value;
  bool empty_payload = IsNull(payload_value);
  if (!empty_payload && payload_value.front() == '"') {
    status = DecodeString(payload_value, &scratch_);
    if (!status.ok()) return status;
    empty_payload = scratch_.find_first_not_of(" \t\n\r\f\v") == std::string::npos;
  }
  envelope_schema_.clear();
  envelope_value_.clear();
  for (size_t i = 0; i < additional_.size(); ++i) {
    const Additional& a = additional_[i];
    auto ref = FindField(row, row_schema, a.field);
    if (!ref.ok()) return ref.status();
    if (ref->value.empty()) {
      if (ignore_missing_additional_) continue;
      return absl::InvalidArgumentError(
          absl::StrCat("outbox: unable to find additional field '", a.field, "' in the row"));
    }
    if (a.header) {
      status = add_header(1 + i, a.alias, *ref);
      if (!status.ok()) return status;
      continue;
    }
    absl::StrAppend(&envelope_value_, ",", a.alias_json, ":", ToAbsl(ref->value));
    if (format_.value_schemas_enable) {
      envelope_schema_.push_back(',');
      status = AppendEntrySchema(ref->schema_entry, "", &envelope_schema_);
      if (!status.ok()) return status;
      envelope_schema_.pop_back();
      absl::StrAppend(&envelope_schema_, ",\"field\":", a.alias_json, "}");
    }
  }

  // table.expand.json.payload: a JSON object text becomes a struct.
  bool expanded = false;
  if (expansion_ != nullptr && !IsNull(payload_value)) {
    if (payload_value.front() != '"') {
      Log(LogLevel::kWarning, "outbox: expand JSON payload is on but the payload of %s at %s "
          "is not a string", ToAbsl(record.topic), record.lsn.ToString());
    } else {
      status = DecodeString(payload_value, &scratch_);
      if (!status.ok()) return status;
      if (!scratch_.empty() && (scratch_.front() == '{' || scratch_.front() == '[')) {
        absl::Status s = expansion_->Expand(field_payload_, scratch_, &expanded_schema_,
                                            &expanded_value_);
        if (s.ok()) {
          expanded = true;
          payload_value = expanded_value_;
        } else {
          Log(LogLevel::kWarning, "outbox: JSON expansion failed for %s at %s (%s); payload "
              "left a string", ToAbsl(record.topic), record.lsn.ToString(), s.message());
        }
      } else {
        Log(LogLevel::kWarning, "outbox: JSON expansion failed for %s at %s: the payload does "
            "not start with '{' or '['", ToAbsl(record.topic), record.lsn.ToString());
      }
    }
  }

  Record out = record;
  out.topic = topic_;
  out.headers = headers_;
  key_.clear();
  scratch_.clear();
  if (format_.key_schemas_enable) {
    status = AppendEntrySchema(key->schema_entry, "", &scratch_);
    if (!status.ok()) return status;
  }
  AppendWithSchema(format_.key_schemas_enable, scratch_, key->value, &key_);
  out.key = std::string_view(key_);

  if (empty_payload && tombstone_on_empty_payload_) {
    out.value.reset();
    return emit(out);
  }
  scratch_.clear();
  if (expanded) {
    scratch_ = expanded_schema_;
  } else if (format_.value_schemas_enable) {
    status = AppendEntrySchema(payload->schema_entry, "", &scratch_);
    if (!status.ok()) return status;
  }
  if (!envelope_) {
    AppendWithSchema(format_.value_schemas_enable, scratch_, payload_value, &value_);
  } else {
    // {"schema":{struct: payload + envelope fields},"payload":{...}}, or the
    // struct alone without schemas.
    if (format_.value_schemas_enable) {
      auto it = schema_names_.find(scratch_);
      if (it == schema_names_.end()) {
        std::string row_name;
        auto name_token = FindMember(row_schema, "name");
        if (!name_token.ok()) return name_token.status();
        if (!name_token->empty()) {
          status = DecodeString(*name_token, &row_name);
          if (!status.ok()) return status;
        }
        size_t dot = row_name.rfind('.');
        std::string name = row_name.empty() ? route_
                           : dot == std::string::npos
                               ? absl::StrCat(route_, ".", row_name)
                               : absl::StrCat(row_name.substr(0, dot + 1), route_, ".",
                                              row_name.substr(dot + 1));
        it = schema_names_.emplace(scratch_, std::move(name)).first;
      }
      value_.append("{\"schema\":{\"type\":\"struct\",\"fields\":[");
      value_.append(scratch_, 0, scratch_.size() - 1);  // The payload's entry.
      value_.append(",\"field\":\"payload\"}");
      value_.append(envelope_schema_);
      value_.append("],\"optional\":false,\"name\":");
      event::JsonWriter(&value_).String(it->second);
      value_.append("},\"payload\":");
    }
    value_.append("{\"payload\":");
    value_.append(payload_value);
    value_.append(envelope_value_);
    value_.push_back('}');
    if (format_.value_schemas_enable) value_.push_back('}');
  }
  out.value = std::string_view(value_);
  return emit(out);
}

}  // namespace trackops::transforms
