#include "transforms/change_event.h"

#include "absl/strings/str_cat.h"
#include "transforms/json_scan.h"

namespace trackops::transforms {
namespace {

void Assign(std::string_view raw_key, std::string_view value, EnvelopeParts* parts) {
  if (StringTokenEquals(raw_key, "before")) parts->before = value;
  else if (StringTokenEquals(raw_key, "after")) parts->after = value;
  else if (StringTokenEquals(raw_key, "source")) parts->source = value;
  else if (StringTokenEquals(raw_key, "transaction")) parts->transaction = value;
  else if (StringTokenEquals(raw_key, "op")) parts->op = value;
  else if (StringTokenEquals(raw_key, "ts_ms")) parts->ts_ms = value;
  else if (StringTokenEquals(raw_key, "ts_us")) parts->ts_us = value;
  else if (StringTokenEquals(raw_key, "ts_ns")) parts->ts_ns = value;
}

absl::StatusOr<std::string_view> EntryField(std::string_view entry) {
  return FindMember(entry, "field");
}

}  // namespace

absl::Status ParseChangeEvent(std::string_view value, bool with_schema, ChangeEventView* view) {
  *view = ChangeEventView();
  if (with_schema) {
    absl::Status status = ForEachMember(value, [&](std::string_view key, std::string_view v) {
      if (StringTokenEquals(key, "schema")) view->schema = v;
      else if (StringTokenEquals(key, "payload")) view->payload = v;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    if (view->schema.empty() || view->payload.empty()) {
      return absl::InvalidArgumentError("change event value without schema and payload");
    }
    auto fields = FindMember(view->schema, "fields");
    if (!fields.ok()) return fields.status();
    status = ForEachElement(*fields, [&](std::string_view entry) {
      auto name = EntryField(entry);
      if (!name.ok()) return name.status();
      Assign(*name, entry, &view->schema_fields);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
  } else {
    view->payload = value;
  }
  if (view->payload.empty() || view->payload.front() != '{') {
    return absl::InvalidArgumentError("change event payload is not an object");
  }
  return ForEachMember(view->payload, [&](std::string_view key, std::string_view v) {
    Assign(key, v, &view->values);
    return absl::OkStatus();
  });
}

absl::StatusOr<FieldRef> FindField(std::string_view payload, std::string_view schema,
                                   std::string_view name) {
  FieldRef ref;
  if (!payload.empty() && payload.front() == '{') {
    auto value = FindMember(payload, name);
    if (!value.ok()) return value.status();
    ref.value = *value;
  }
  if (!schema.empty()) {
    auto fields = FindMember(schema, "fields");
    if (!fields.ok()) return fields.status();
    if (!fields->empty()) {
      bool found = false;
      absl::Status status = ForEachElement(*fields, [&](std::string_view entry) {
        if (found) return absl::OkStatus();
        auto field = EntryField(entry);
        if (!field.ok()) return field.status();
        if (StringTokenEquals(*field, name)) {
          ref.schema_entry = entry;
          found = true;
        }
        return absl::OkStatus();
      });
      if (!status.ok()) return status;
    }
  }
  return ref;
}

absl::Status FieldEntryName(std::string_view entry, std::string* name) {
  name->clear();
  auto field = EntryField(entry);
  if (!field.ok()) return field.status();
  if (field->empty()) return absl::OkStatus();
  return DecodeString(*field, name);
}

absl::Status AppendEntrySchema(std::string_view entry, std::string_view optional,
                               std::string* out) {
  out->push_back('{');
  bool first = true;
  absl::Status status = ForEachMember(entry, [&](std::string_view key, std::string_view value) {
    if (StringTokenEquals(key, "field")) return absl::OkStatus();
    if (!first) out->push_back(',');
    first = false;
    out->append(key);
    out->push_back(':');
    if (!optional.empty() && StringTokenEquals(key, "optional")) {
      out->append(optional);
    } else {
      out->append(value);
    }
    return absl::OkStatus();
  });
  out->push_back('}');
  return status;
}

}  // namespace trackops::transforms
