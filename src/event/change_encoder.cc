#include "event/change_encoder.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "event/connect_schema.h"
#include "event/json_writer.h"
#include "event/topic.h"
#include "util/arithmetic.h"
#include "util/decimal_digits.h"
#include "util/status_macros.h"

namespace trackops::event {
namespace {

using pgoutput::TupleColumn;
using pgoutput::TupleKind;

constexpr std::string_view kNewKeyHeader = "__debezium.newkey";
constexpr std::string_view kOldKeyHeader = "__debezium.oldkey";
constexpr std::string_view kExtendedHeaderKeys[] = {
    "__debezium.context.connectorLogicalName",
    "__debezium.context.taskId",
    "__debezium.context.connectorName",
    "__debezium.context.runId",
};

std::string JsonString(std::string_view s) {
  std::string out;
  JsonWriter(&out).String(s);
  return out;
}

// A string header as JsonConverter writes it: {"schema":{"type":"string",
// "optional":false},"payload":"..."} or just the string.
std::string StringHeaderValue(std::string_view value, bool schemas_enable) {
  std::string out;
  if (schemas_enable)
    out.append("{\"schema\":{\"type\":\"string\",\"optional\":false},\"payload\":");
  JsonWriter(&out).String(value);
  if (schemas_enable) out.push_back('}');
  return out;
}

// `"ts_ms":<ms>,"ts_us":<us>,"ts_ns":<ns>` of one clock reading (the
// envelope's), then `closing`, in one append. For a reading of at least 10^6
// ns, the digits of ns / 1000 and ns / 1000000 are those of ns without its
// last 3 and 6, so one conversion serves the three.
void AppendEnvelopeTimes(int64_t ns, std::string_view closing, JsonWriter* out) {
  if (ns < 1000000) {  // Before 1970-01-01T00:00:00.001Z: floor divisions.
    out->Raw("\"ts_ms\":");
    out->Int(FloorDiv(ns, 1000000));
    out->Raw(",\"ts_us\":");
    out->Int(FloorDiv(ns, 1000));
    out->Raw(",\"ts_ns\":");
    out->Int(ns);
    out->Raw(closing);
    return;
  }
  char digits[kMaxDecimalDigits];
  const size_t length = FormatDecimal(static_cast<uint64_t>(ns), digits);
  char buffer[96];  // 26 chars of keys, at most 13 + 16 + 19 digits, `closing` (1-2).
  char* p = buffer;
  auto put = [&p](std::string_view part) {
    std::memcpy(p, part.data(), part.size());
    p += part.size();
  };
  put("\"ts_ms\":");
  put(std::string_view(digits, length - 6));
  put(",\"ts_us\":");
  put(std::string_view(digits, length - 3));
  put(",\"ts_ns\":");
  put(std::string_view(digits, length));
  put(closing);  // "}" or "}}".
  out->Raw(std::string_view(buffer, static_cast<size_t>(p - buffer)));
}

// What follows the "transaction" value up to the envelope's ts_ms, per op,
// and the same preceded by a null transaction.
std::string_view OpField(char op, bool null_transaction) {
  switch (op) {
    case 'c':
      return null_transaction ? "null,\"op\":\"c\"," : ",\"op\":\"c\",";
    case 'u':
      return null_transaction ? "null,\"op\":\"u\"," : ",\"op\":\"u\",";
    case 'd':
      return null_transaction ? "null,\"op\":\"d\"," : ",\"op\":\"d\",";
    case 'r':
      return null_transaction ? "null,\"op\":\"r\"," : ",\"op\":\"r\",";
    default:
      return null_transaction ? "null,\"op\":\"t\"," : ",\"op\":\"t\",";
  }
}

// `,"snapshot":"<marker>"`, as the source block writes it.
std::string_view SnapshotField(SnapshotMarker marker) {
  switch (marker) {
    case SnapshotMarker::kFalse:
      return ",\"snapshot\":\"false\"";
    case SnapshotMarker::kTrue:
      return ",\"snapshot\":\"true\"";
    case SnapshotMarker::kFirst:
      return ",\"snapshot\":\"first\"";
    case SnapshotMarker::kFirstInDataCollection:
      return ",\"snapshot\":\"first_in_data_collection\"";
    case SnapshotMarker::kLastInDataCollection:
      return ",\"snapshot\":\"last_in_data_collection\"";
    case SnapshotMarker::kLast:
      return ",\"snapshot\":\"last\"";
    case SnapshotMarker::kIncremental:
      return ",\"snapshot\":\"incremental\"";
  }
  return ",\"snapshot\":\"false\"";
}

}  // namespace

std::string_view SnapshotMarkerName(SnapshotMarker marker) {
  std::string_view field = SnapshotField(marker);
  // `,"snapshot":"` is 13 characters; the closing quote is the last.
  return field.substr(13, field.size() - 14);
}

void AppendTransactionBlock(TransactionOrder* order, JsonWriter* out) {
  ++order->total_order;
  int64_t table_order = 0;
  if (order->data_collection_order != nullptr) table_order = ++*order->data_collection_order;
  out->Raw("{\"id\":");
  out->String(order->id);
  out->Raw(",\"total_order\":");
  out->Int(order->total_order);
  out->Raw(",\"data_collection_order\":");
  out->Int(table_order);
  out->Raw('}');
}

ChangeEncoder::ChangeEncoder(EncoderOptions options) : options_(std::move(options)) {
  if (options_.extended_headers_enabled) {
    const std::string values[] = {options_.topic_prefix, options_.task_id, "postgresql",
                                  options_.run_id};
    for (const std::string& v : values) {
      extended_header_values_.push_back(StringHeaderValue(v, options_.header_schemas_enable));
    }
  }
  // headers_[0] is the primary key change header's slot, filled per record;
  // the rest never change.
  headers_.resize(1);
  for (size_t i = 0; i < extended_header_values_.size(); ++i) {
    headers_.push_back(Header{kExtendedHeaderKeys[i], extended_header_values_[i]});
  }
  source_open_ = absl::StrCat("{\"version\":", JsonString(options_.connector_version),
                              ",\"connector\":\"postgresql\",\"name\":",
                              JsonString(options_.topic_prefix), ",\"ts_ms\":");
  source_db_ = absl::StrCat(",\"db\":", JsonString(options_.database_name), ",\"sequence\":");
}

absl::StatusOr<std::unique_ptr<TableEncoding>> ChangeEncoder::NewTableEncoding(
    const schema::TableSchema& table) const {
  if (options_.topic_prefix.empty()) {
    return absl::InvalidArgumentError("topic.prefix must not be empty");
  }
  std::unique_ptr<TableEncoding> t(new TableEncoding());
  static std::atomic<uint64_t> last_id{0};
  t->id_ = ++last_id;
  t->schema_name_ = table.schema_name;
  t->table_name_ = table.table_name;
  t->topic_ = DataChangeTopic(options_.topic_prefix, table.schema_name, table.table_name);

  ConnectSchema value_schema;
  value_schema.type = "struct";
  value_schema.optional = true;
  value_schema.name = t->topic_ + ".Value";
  ConnectSchema key_schema;
  key_schema.type = "struct";
  key_schema.optional = false;
  key_schema.name = t->topic_ + ".Key";

  for (size_t i = 0; i < table.columns.size(); ++i) {
    const schema::ColumnSchema& column = table.columns[i];
    ColumnCodec codec = MakeColumnCodec(column, options_.type_modes);
    // In the value unless left out: by column.include/exclude.list
    // (in_value) or because Debezium drops its type (codec.included).
    std::string field;
    if (column.in_value && codec.included) {
      field = value_schema.fields.empty() ? "{" : ",";
      field += JsonString(column.name);
      field += ':';
      value_schema.fields.push_back({column.name, codec.schema});
    }
    t->has_value_fields_ |= !field.empty();
    t->value_fields_.push_back(std::move(field));
    if (column.is_key) t->key_columns_.push_back(i);
    t->columns_.push_back(std::move(codec));
  }
  // Key fields in the key's own order (Debezium: Table.primaryKeyColumns(),
  // the primary key's column order), attribute order when none is given.
  std::stable_sort(t->key_columns_.begin(), t->key_columns_.end(), [&](size_t a, size_t b) {
    return table.columns[a].key_position < table.columns[b].key_position;
  });
  for (size_t i : t->key_columns_) {
    std::string key_field = t->key_fields_.empty() ? "{" : ",";
    key_field += JsonString(table.columns[i].name);
    key_field += ':';
    t->key_fields_.push_back(std::move(key_field));
    key_schema.fields.push_back({table.columns[i].name, t->columns_[i].schema});
  }

  if (!t->key_columns_.empty()) {
    t->key_schema_json_ = SchemaJson(key_schema);
    t->key_open_with_schema_ = absl::StrCat("{\"schema\":", t->key_schema_json_, ",\"payload\":");
  }
  t->envelope_schema_json_ = SchemaJson(EnvelopeSchema(t->topic_ + ".Envelope", value_schema));
  if (options_.value_schemas_enable) {
    t->value_open_ =
        absl::StrCat("{\"schema\":", t->envelope_schema_json_, ",\"payload\":{\"before\":");
  } else {
    t->value_open_ = "{\"before\":";
  }
  t->source_table_ = absl::StrCat(",\"schema\":", JsonString(table.schema_name),
                                  ",\"table\":", JsonString(table.table_name), ",\"txId\":");
  return t;
}

absl::Status ChangeEncoder::CheckTuple(const TableEncoding& table, pgoutput::Tuple tuple,
                                       const ChangeContext& context, const char* what) const {
  if (tuple.size() == table.columns_.size()) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(what, " tuple of table \"", table.schema_name_, "\".\"",
                                          table.table_name_, "\" at LSN ", context.lsn.ToString(),
                                          " has ", tuple.size(), " columns, its schema has ",
                                          table.columns_.size()));
}

absl::Status ChangeEncoder::AppendColumn(const TableEncoding& table, size_t index,
                                         pgoutput::Tuple tuple, pgoutput::Tuple toast_source,
                                         bool in_key, const ChangeContext& context,
                                         JsonWriter* out) {
  const ColumnCodec& codec = table.columns_[index];
  const TupleColumn& value = tuple[index];
  const size_t mark = out->size();
  absl::Status status;
  switch (value.kind) {
    case TupleKind::kNull:
      converter_.AppendMissing(codec, out);
      return absl::OkStatus();
    case TupleKind::kText:
      status = converter_.AppendValue(codec, value.data, out);
      break;
    case TupleKind::kUnchangedToast:
      // PostgresChangeRecordEmitter: the old tuple's value when it has one.
      if (index < toast_source.size() && toast_source[index].kind == TupleKind::kText) {
        status = converter_.AppendValue(codec, toast_source[index].data, out);
      } else {
        status =
            converter_.AppendUnchangedToast(codec, options_.unavailable_value_placeholder, out);
      }
      break;
    case TupleKind::kBinary:
      status = absl::UnimplementedError("binary tuple values are not supported (use text)");
      break;
    default:
      status = absl::DataLossError(absl::StrCat("unknown tuple column kind 0x",
                                                absl::Hex(static_cast<unsigned char>(value.kind))));
      break;
  }
  if (status.ok()) return status;
  if (status.code() == absl::StatusCode::kFailedPrecondition && !in_key && codec.optional) {
    // Debezium's converter throws for this value; TableSchemaBuilder's value
    // generator catches it (event.converting.failure.handling.mode=warn, the
    // default) and leaves the field null. In a key, or for a NOT NULL field
    // (which JsonConverter then refuses), the connector fails.
    // JsonConverter then writes the field's default, if it has one.
    out->Truncate(mark);
    converter_.AppendMissing(codec, out);
    return absl::OkStatus();
  }
  return absl::Status(status.code(),
                      absl::StrCat("table \"", table.schema_name_, "\".\"", table.table_name_,
                                   "\" column \"", codec.name, "\" (", codec.type_name, ") at LSN ",
                                   context.lsn.ToString(), ": ", status.message()));
}

absl::Status ChangeEncoder::AppendRow(const TableEncoding& table, pgoutput::Tuple tuple,
                                      pgoutput::Tuple toast_source, const ChangeContext& context,
                                      JsonWriter* out) {
  if (!table.has_value_fields_) {
    out->Raw("{}");
    return absl::OkStatus();
  }
  for (size_t i = 0; i < table.columns_.size(); ++i) {
    if (table.value_fields_[i].empty()) continue;  // Not included.
    out->Raw(table.value_fields_[i]);  // The first one opens the object.
    if (tuple[i].kind == TupleKind::kText &&
        converter_.TryAppendValue(table.columns_[i], tuple[i].data, out)) {
      continue;
    }
    TRACKOPS_RETURN_IF_ERROR(
        AppendColumn(table, i, tuple, toast_source, /*in_key=*/false, context, out));
  }
  out->Raw('}');
  return absl::OkStatus();
}

absl::Status ChangeEncoder::WriteKey(const TableEncoding& table, pgoutput::Tuple tuple,
                                     const ChangeContext& context, bool schemas_enable,
                                     JsonBuffer* out) {
  out->clear();
  JsonWriter w(out);
  if (schemas_enable) w.Raw(table.key_open_with_schema_);
  for (size_t k = 0; k < table.key_columns_.size(); ++k) {
    w.Raw(table.key_fields_[k]);  // The first one opens the object.
    const size_t index = table.key_columns_[k];
    if (tuple[index].kind == TupleKind::kText &&
        converter_.TryAppendValue(table.columns_[index], tuple[index].data, &w)) {
      continue;
    }
    // Key columns are never unchanged TOAST in practice (PostgreSQL logs the
    // old key detoasted); without a source the placeholder applies.
    TRACKOPS_RETURN_IF_ERROR(AppendColumn(table, table.key_columns_[k], tuple, pgoutput::Tuple(),
                                          /*in_key=*/true, context, &w));
  }
  w.Raw(schemas_enable ? std::string_view("}}") : std::string_view("}"));
  return absl::OkStatus();
}

void ChangeEncoder::PrepareSource(const ChangeContext& context) {
  TransactionSource& s = source_;
  if (s.valid && s.commit_time == context.commit_time && s.xid == context.xid &&
      s.last_commit_lsn == context.last_commit_lsn && s.origin == context.origin &&
      s.origin_lsn == context.origin_lsn && s.snapshot == context.snapshot) {
    return;
  }
  s.valid = true;
  s.table_id = 0;  // middle is stale.
  s.commit_time = context.commit_time;
  s.xid = context.xid;
  s.last_commit_lsn = context.last_commit_lsn;
  s.origin.assign(context.origin.data(), context.origin.size());
  s.origin_lsn = context.origin_lsn;
  s.snapshot = context.snapshot;

  s.head.clear();
  JsonWriter head(&s.head);
  head.Raw(",\"source\":");
  head.Raw(source_open_);
  head.Int(FloorDiv(context.commit_time, 1000));
  head.Raw(SnapshotField(context.snapshot));
  head.Raw(source_db_);
  // SourceInfo.sequence(): a JSON array of two strings, itself as a string.
  head.Raw("\"[");
  if (context.last_commit_lsn.is_valid()) {
    head.Raw("\\\"");
    head.UInt(context.last_commit_lsn.value());
    head.Raw("\\\"");
  } else {
    head.Raw("null");
  }
  head.Raw(',');

  s.times.clear();
  JsonWriter times(&s.times);
  times.Raw("]\",\"ts_us\":");
  times.Int(context.commit_time);
  times.Raw(",\"ts_ns\":");
  times.Int(context.commit_time * 1000);

  s.tx_id.clear();
  JsonWriter tx_id(&s.tx_id);
  tx_id.UInt(context.xid.value());
  tx_id.Raw(",\"lsn\":");

  s.tail.clear();
  JsonWriter tail(&s.tail);
  tail.Raw(",\"xmin\":null,\"origin\":");
  if (context.origin.empty()) {
    tail.Null();
  } else {
    tail.String(context.origin);
  }
  tail.Raw(",\"origin_lsn\":");
  if (context.origin_lsn.is_valid()) {
    tail.UInt(context.origin_lsn.value());
  } else {
    tail.Null();
  }
  tail.Raw("},\"transaction\":");
}

void ChangeEncoder::AppendSource(const TableEncoding& table, const ChangeContext& context,
                                 JsonWriter* out) {
  PrepareSource(context);
  // The event's LSN appears twice: quoted in source.sequence and as
  // source.lsn. quoted = `\"<lsn>\"`, lsn its digits; both "null" without one.
  char buffer[kMaxDecimalDigits + 4];
  std::string_view quoted = "null";
  std::string_view lsn = "null";
  if (context.lsn.is_valid()) {
    buffer[0] = '\\';
    buffer[1] = '"';
    const size_t length = FormatDecimal(context.lsn.value(), buffer + 2);
    buffer[2 + length] = '\\';
    buffer[3 + length] = '"';
    quoted = std::string_view(buffer, length + 4);
    lsn = quoted.substr(2, length);
  }
  if (source_.table_id != table.id_) {
    // `]","ts_us":..,"ts_ns":..,"schema":..,"table":..,"txId":<xid>,"lsn":`
    source_.table_id = table.id_;
    source_.middle.clear();
    JsonWriter middle(&source_.middle);
    middle.Raw(source_.times.view());
    middle.Raw(table.source_table_);
    middle.Raw(source_.tx_id.view());
  }
  out->Raw(source_.head.view());
  out->Raw(quoted);
  out->Raw(source_.middle.view());
  out->Raw(lsn);
  out->Raw(source_.tail.view());
}

absl::Status ChangeEncoder::WriteValue(const TableEncoding& table, Op op,
                                       const pgoutput::Tuple* before, const pgoutput::Tuple* after,
                                       pgoutput::Tuple toast_source, const ChangeContext& context) {
  value_.clear();
  JsonWriter w(&value_);
  w.Raw(table.value_open_);
  if (before != nullptr) {
    TRACKOPS_RETURN_IF_ERROR(AppendRow(table, *before, pgoutput::Tuple(), context, &w));
    w.Raw(",\"after\":");
  } else {
    w.Raw("null,\"after\":");
  }
  if (after != nullptr) {
    TRACKOPS_RETURN_IF_ERROR(AppendRow(table, *after, toast_source, context, &w));
  } else {
    w.Null();
  }
  // `,"source":{...},"transaction":`
  AppendSource(table, context, &w);
  if (context.transaction != nullptr) {
    AppendTransactionBlock(context.transaction, &w);
    w.Raw(OpField(static_cast<char>(op), /*null_transaction=*/false));
  } else {
    w.Raw(OpField(static_cast<char>(op), /*null_transaction=*/true));
  }
  AppendEnvelopeTimes(context.processing_time_ns, options_.value_schemas_enable ? "}}" : "}", &w);
  return absl::OkStatus();
}

void ChangeEncoder::SetHeaders(std::string_view key, std::string_view value) {
  headers_[0] = Header{key, value};
  record_headers_ = std::span<const Header>(headers_);
  if (key.empty()) record_headers_ = record_headers_.subspan(1);
}

absl::Status ChangeEncoder::EmitRecord(const TableEncoding& table, const JsonBuffer* key,
                                       const JsonBuffer* value, const ChangeContext& context,
                                       Emit emit) {
  Record record;
  record.kind = RecordKind::kChange;
  record.topic = table.topic_;
  if (key != nullptr) record.key = key->view();
  if (value != nullptr) record.value = value->view();
  record.headers = record_headers_;
  record.lsn = context.lsn;
  return emit(record);
}

absl::Status ChangeEncoder::EncodeInsert(const TableEncoding& table, const pgoutput::Insert& insert,
                                         const ChangeContext& context, Emit emit) {
  TRACKOPS_RETURN_IF_ERROR(CheckTuple(table, insert.new_tuple, context, "insert"));
  const bool has_key = table.has_key();
  if (has_key) {
    TRACKOPS_RETURN_IF_ERROR(
        WriteKey(table, insert.new_tuple, context, options_.key_schemas_enable, &key_));
  }
  TRACKOPS_RETURN_IF_ERROR(
      WriteValue(table, Op::kCreate, nullptr, &insert.new_tuple, pgoutput::Tuple(), context));
  SetHeaders("", "");
  return EmitRecord(table, has_key ? &key_ : nullptr, &value_, context, emit);
}

absl::Status ChangeEncoder::EncodeRead(const TableEncoding& table, pgoutput::Tuple row,
                                       const ChangeContext& context, Emit emit) {
  TRACKOPS_RETURN_IF_ERROR(CheckTuple(table, row, context, "snapshot row"));
  const bool has_key = table.has_key();
  if (has_key) {
    TRACKOPS_RETURN_IF_ERROR(WriteKey(table, row, context, options_.key_schemas_enable, &key_));
  }
  TRACKOPS_RETURN_IF_ERROR(WriteValue(table, Op::kRead, nullptr, &row, pgoutput::Tuple(), context));
  SetHeaders("", "");
  return EmitRecord(table, has_key ? &key_ : nullptr, &value_, context, emit);
}

absl::Status ChangeEncoder::EncodeUpdate(const TableEncoding& table, const pgoutput::Update& update,
                                         const ChangeContext& context, Emit emit) {
  TRACKOPS_RETURN_IF_ERROR(CheckTuple(table, update.new_tuple, context, "update new"));
  const bool has_old = update.old_tuple_kind != 0;
  if (has_old) TRACKOPS_RETURN_IF_ERROR(CheckTuple(table, update.old_tuple, context, "update old"));
  const bool has_key = table.has_key();
  if (has_key) {
    TRACKOPS_RETURN_IF_ERROR(
        WriteKey(table, update.new_tuple, context, options_.key_schemas_enable, &key_));
  }
  const pgoutput::Tuple toast_source = has_old ? update.old_tuple : pgoutput::Tuple();

  bool key_changed = false;
  if (has_old && has_key) {
    TRACKOPS_RETURN_IF_ERROR(
        WriteKey(table, update.old_tuple, context, options_.key_schemas_enable, &old_key_));
    key_changed = old_key_.view() != key_.view();
  }

  if (!key_changed) {
    TRACKOPS_RETURN_IF_ERROR(WriteValue(table, Op::kUpdate, has_old ? &update.old_tuple : nullptr,
                                        &update.new_tuple, toast_source, context));
    SetHeaders("", "");
    return EmitRecord(table, has_key ? &key_ : nullptr, &value_, context, emit);
  }

  // RelationalChangeRecordEmitter.emitUpdateAsPrimaryKeyChangeRecord: a
  // delete of the old key carrying the new key, its tombstone, then a create
  // of the new key carrying the old key. Header values are the keys as the
  // header converter writes them.
  const bool same_format = options_.header_schemas_enable == options_.key_schemas_enable;
  if (!same_format) {
    TRACKOPS_RETURN_IF_ERROR(
        WriteKey(table, update.new_tuple, context, options_.header_schemas_enable, &header_value_));
  }
  TRACKOPS_RETURN_IF_ERROR(
      WriteValue(table, Op::kDelete, &update.old_tuple, nullptr, pgoutput::Tuple(), context));
  SetHeaders(kNewKeyHeader, same_format ? key_.view() : header_value_.view());
  TRACKOPS_RETURN_IF_ERROR(EmitRecord(table, &old_key_, &value_, context, emit));
  if (options_.tombstones_on_delete) {
    TRACKOPS_RETURN_IF_ERROR(EmitRecord(table, &old_key_, nullptr, context, emit));
  }

  if (!same_format) {
    TRACKOPS_RETURN_IF_ERROR(
        WriteKey(table, update.old_tuple, context, options_.header_schemas_enable, &header_value_));
  }
  TRACKOPS_RETURN_IF_ERROR(
      WriteValue(table, Op::kCreate, nullptr, &update.new_tuple, toast_source, context));
  SetHeaders(kOldKeyHeader, same_format ? old_key_.view() : header_value_.view());
  return EmitRecord(table, &key_, &value_, context, emit);
}

absl::Status ChangeEncoder::EncodeDelete(const TableEncoding& table, const pgoutput::Delete& del,
                                         const ChangeContext& context, Emit emit) {
  TRACKOPS_RETURN_IF_ERROR(CheckTuple(table, del.old_tuple, context, "delete old"));
  const bool has_key = table.has_key();
  if (has_key) {
    TRACKOPS_RETURN_IF_ERROR(
        WriteKey(table, del.old_tuple, context, options_.key_schemas_enable, &key_));
  }
  TRACKOPS_RETURN_IF_ERROR(
      WriteValue(table, Op::kDelete, &del.old_tuple, nullptr, pgoutput::Tuple(), context));
  SetHeaders("", "");
  const JsonBuffer* key = has_key ? &key_ : nullptr;
  TRACKOPS_RETURN_IF_ERROR(EmitRecord(table, key, &value_, context, emit));
  if (options_.tombstones_on_delete) {
    TRACKOPS_RETURN_IF_ERROR(EmitRecord(table, key, nullptr, context, emit));
  }
  return absl::OkStatus();
}

absl::Status ChangeEncoder::EncodeTruncate(const TableEncoding& table,
                                           const ChangeContext& context, Emit emit) {
  // RelationalChangeRecordEmitter.emitTruncateRecord: no key, no row.
  TRACKOPS_RETURN_IF_ERROR(
      WriteValue(table, Op::kTruncate, nullptr, nullptr, pgoutput::Tuple(), context));
  SetHeaders("", "");
  return EmitRecord(table, nullptr, &value_, context, emit);
}

}  // namespace trackops::event
