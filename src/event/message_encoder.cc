#include "event/message_encoder.h"

#include "absl/strings/str_cat.h"
#include "event/connect_schema.h"
#include "event/json_writer.h"
#include "util/arithmetic.h"

namespace trackops::event {
namespace {

std::string JsonString(std::string_view s) {
  std::string out;
  JsonWriter(&out).String(s);
  return out;
}

// PostgresSchema / LogicalDecodingMessage schemas (3.6.1).
ConnectSchema KeySchema() {
  ConnectSchema s;
  s.type = "struct";
  s.optional = false;
  s.name = "io.debezium.connector.postgresql.MessageKey";
  s.version = 1;
  s.fields = {{"prefix", PrimitiveSchema("string", true)}};
  return s;
}

ConnectSchema ValueSchema() {
  ConnectSchema message;
  message.type = "struct";
  message.optional = false;
  message.name = "io.debezium.connector.postgresql.Message";
  message.version = 1;
  message.fields = {{"prefix", PrimitiveSchema("string", true)},
                    {"content", PrimitiveSchema("bytes", true)}};
  ConnectSchema s;
  s.type = "struct";
  s.optional = false;
  s.name = "io.debezium.connector.postgresql.MessageValue";
  s.version = 1;
  s.fields = {{"op", PrimitiveSchema("string", false)},
              {"ts_ms", PrimitiveSchema("int64", true)},
              {"source", PostgresSourceSchema()},
              {"transaction", TransactionBlockSchema()},
              {"message", message}};
  return s;
}

void AppendLsnString(Lsn lsn, JsonWriter* w) {
  if (lsn.is_valid()) {
    w->Raw("\\\"");
    w->UInt(lsn.value());
    w->Raw("\\\"");
  } else {
    w->Raw("null");
  }
}

}  // namespace

MessageEncoder::MessageEncoder(const EncoderOptions& options)
    : key_schemas_enable_(options.key_schemas_enable),
      value_schemas_enable_(options.value_schemas_enable),
      topic_(absl::StrCat(options.topic_prefix, ".message")) {
  if (key_schemas_enable_) {
    key_open_ =
        absl::StrCat("{\"schema\":", SchemaJson(KeySchema()), ",\"payload\":{\"prefix\":");
    key_close_ = "}}";
  } else {
    key_open_ = "{\"prefix\":";
    key_close_ = "}";
  }
  value_open_ = value_schemas_enable_
                    ? absl::StrCat("{\"schema\":", SchemaJson(ValueSchema()),
                                   ",\"payload\":{\"op\":\"m\",\"ts_ms\":")
                    : "{\"op\":\"m\",\"ts_ms\":";
  source_open_ = absl::StrCat(
      "{\"version\":", JsonString(options.connector_version),
      ",\"connector\":\"postgresql\",\"name\":", JsonString(options.topic_prefix), ",\"ts_ms\":");
  source_db_ = absl::StrCat(",\"snapshot\":\"false\",\"db\":", JsonString(options.database_name),
                            ",\"sequence\":");
}

absl::Status MessageEncoder::Encode(const pgoutput::LogicalMessage& message,
                                    const ChangeContext& context, Emit emit) {
  key_.clear();
  JsonWriter k(&key_);
  k.Raw(key_open_);
  k.String(message.prefix);
  k.Raw(key_close_);

  const bool transactional = message.transactional();
  // Non-transactional: no commit time; Debezium writes its clock.
  const int64_t ts_ns = transactional ? context.commit_time * 1000 : context.processing_time_ns;
  value_.clear();
  JsonWriter w(&value_);
  w.Raw(value_open_);
  w.Int(FloorDiv(context.processing_time_ns, 1000000));
  w.Raw(",\"source\":");
  w.Raw(source_open_);
  w.Int(FloorDiv(ts_ns, 1000000));
  w.Raw(source_db_);
  w.Raw("\"[");
  AppendLsnString(context.last_commit_lsn, &w);
  w.Raw(',');
  AppendLsnString(context.lsn, &w);
  w.Raw("]\",\"ts_us\":");
  w.Int(FloorDiv(ts_ns, 1000));
  w.Raw(",\"ts_ns\":");
  w.Int(ts_ns);
  w.Raw(",\"schema\":\"\",\"table\":\"\",\"txId\":");
  if (transactional && context.xid.value() != 0) {
    w.UInt(context.xid.value());
  } else {
    w.Null();
  }
  w.Raw(",\"lsn\":");
  if (context.lsn.is_valid()) {
    w.UInt(context.lsn.value());
  } else {
    w.Null();
  }
  w.Raw(",\"xmin\":null,\"origin\":");
  if (context.origin.empty()) {
    w.Null();
  } else {
    w.String(context.origin);
  }
  w.Raw(",\"origin_lsn\":");
  if (context.origin_lsn.is_valid()) {
    w.UInt(context.origin_lsn.value());
  } else {
    w.Null();
  }
  w.Raw("},\"transaction\":");
  if (context.transaction != nullptr) {
    AppendTransactionBlock(context.transaction, &w);
  } else {
    w.Null();
  }
  w.Raw(",\"message\":{\"prefix\":");
  w.String(message.prefix);
  w.Raw(",\"content\":");
  w.Base64(message.content);
  w.Raw("}}");
  if (value_schemas_enable_) w.Raw('}');

  Record record;
  record.kind = RecordKind::kMessage;
  record.topic = topic_;
  record.key = std::string_view(key_);
  record.value = std::string_view(value_);
  record.lsn = context.lsn;
  return emit(record);
}

}  // namespace trackops::event
