#include "event/heartbeat_encoder.h"

#include "absl/strings/str_cat.h"
#include "event/connect_schema.h"
#include "event/json_writer.h"
#include "util/string_view.h"

namespace trackops::event {
namespace {

// SchemaFactory.heartbeatKeySchema / heartbeatValueSchema (3.6.1).
ConnectSchema KeySchema() {
  ConnectSchema s;
  s.type = "struct";
  s.optional = false;
  s.name = "io.debezium.connector.common.ServerNameKey";
  s.version = 1;
  s.fields = {{"serverName", PrimitiveSchema("string", false)}};
  return s;
}

ConnectSchema ValueSchema() {
  ConnectSchema s;
  s.type = "struct";
  s.optional = false;
  s.name = "io.debezium.connector.common.Heartbeat";
  s.version = 1;
  s.fields = {{"ts_ms", PrimitiveSchema("int64", false)}};
  return s;
}

}  // namespace

HeartbeatEncoder::HeartbeatEncoder(const EncoderOptions& options,
                                   std::string_view heartbeat_topic_prefix)
    : topic_(absl::StrCat(ToAbsl(heartbeat_topic_prefix), ".", options.topic_prefix)) {
  std::string payload = "{\"serverName\":";
  JsonWriter(&payload).String(options.topic_prefix);
  payload.push_back('}');
  key_ = options.key_schemas_enable
             ? absl::StrCat("{\"schema\":", SchemaJson(KeySchema()), ",\"payload\":", payload, "}")
             : payload;
  if (options.value_schemas_enable) {
    value_open_ =
        absl::StrCat("{\"schema\":", SchemaJson(ValueSchema()), ",\"payload\":{\"ts_ms\":");
    value_close_ = "}}";
  } else {
    value_open_ = "{\"ts_ms\":";
    value_close_ = "}";
  }
}

absl::Status HeartbeatEncoder::Encode(int64_t ts_ms, Lsn lsn, Emit emit) {
  value_.clear();
  JsonWriter w(&value_);
  w.Raw(value_open_);
  w.Int(ts_ms);
  w.Raw(value_close_);

  Record record;
  record.kind = RecordKind::kHeartbeat;
  record.topic = topic_;
  record.key = std::string_view(key_);
  record.value = std::string_view(value_);
  record.lsn = lsn;
  return emit(record);
}

}  // namespace trackops::event
