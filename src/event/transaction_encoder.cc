#include "event/transaction_encoder.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "event/connect_schema.h"
#include "event/java_hash.h"
#include "event/json_writer.h"
#include "util/status_macros.h"

namespace trackops::event {
namespace {

// TransactionMonitor's schemas (3.6.1): key TransactionMetadataKey v1, value
// TransactionMetadataValue v1 with data_collections of event.collection v1.
ConnectSchema KeySchema() {
  ConnectSchema s;
  s.type = "struct";
  s.optional = false;
  s.name = "io.debezium.connector.common.TransactionMetadataKey";
  s.version = 1;
  s.fields = {{"id", PrimitiveSchema("string", false)}};
  return s;
}

ConnectSchema ValueSchema() {
  auto collection = std::make_shared<ConnectSchema>();
  collection->type = "struct";
  collection->optional = true;
  collection->name = "event.collection";
  collection->version = 1;
  collection->fields = {{"data_collection", PrimitiveSchema("string", false)},
                        {"event_count", PrimitiveSchema("int64", false)}};
  ConnectSchema collections;
  collections.type = "array";
  collections.optional = true;
  collections.items = collection;

  ConnectSchema s;
  s.type = "struct";
  s.optional = false;
  s.name = "io.debezium.connector.common.TransactionMetadataValue";
  s.version = 1;
  s.fields = {{"status", PrimitiveSchema("string", false)},
              {"id", PrimitiveSchema("string", false)},
              {"event_count", PrimitiveSchema("int64", true)},
              {"data_collections", collections},
              {"ts_ms", PrimitiveSchema("int64", false)}};
  return s;
}

}  // namespace

size_t JavaHashMapCapacity(size_t entries) {
  size_t capacity = 16;
  while (entries > capacity / 4 * 3) capacity *= 2;
  return capacity;
}

void OrderLikeJavaHashMap(std::span<DataCollectionCount> counts, size_t capacity) {
  auto bucket = [capacity](const DataCollectionCount& c) {
    return JavaHashMapBucket(JavaStringHash(c.data_collection), capacity);
  };
  // Within a bucket HashMap keeps insertion order (resizes split buckets
  // preserving it): a stable sort by bucket.
  std::stable_sort(counts.begin(), counts.end(),
                   [&](const DataCollectionCount& a, const DataCollectionCount& b) {
                     return bucket(a) < bucket(b);
                   });
}

TransactionEncoder::TransactionEncoder(const EncoderOptions& options)
    : key_schemas_enable_(options.key_schemas_enable),
      value_schemas_enable_(options.value_schemas_enable),
      topic_(absl::StrCat(options.topic_prefix, ".transaction")) {
  if (key_schemas_enable_) {
    key_open_ = absl::StrCat("{\"schema\":", SchemaJson(KeySchema()), ",\"payload\":{\"id\":");
    key_close_ = "}}";
  } else {
    key_open_ = "{\"id\":";
    key_close_ = "}";
  }
  if (value_schemas_enable_) {
    value_open_ =
        absl::StrCat("{\"schema\":", SchemaJson(ValueSchema()), ",\"payload\":{\"status\":");
    value_close_ = "}}";
  } else {
    value_open_ = "{\"status\":";
    value_close_ = "}";
  }
}

void TransactionEncoder::WriteKey(std::string_view id) {
  key_.clear();
  JsonWriter w(&key_);
  w.Raw(key_open_);
  w.String(id);
  w.Raw(key_close_);
}

absl::Status TransactionEncoder::EmitRecord(Lsn lsn, Emit emit) {
  // TransactionMonitor's records carry no headers.
  Record record;
  record.kind = RecordKind::kTransaction;
  record.topic = topic_;
  record.key = std::string_view(key_);
  record.value = std::string_view(value_);
  record.lsn = lsn;
  return emit(record);
}

absl::Status TransactionEncoder::EncodeBegin(std::string_view id, int64_t ts_ms, Lsn lsn,
                                             Emit emit) {
  WriteKey(id);
  value_.clear();
  JsonWriter w(&value_);
  w.Raw(value_open_);
  w.Raw("\"BEGIN\",\"id\":");
  w.String(id);
  w.Raw(",\"event_count\":null,\"data_collections\":null,\"ts_ms\":");
  w.Int(ts_ms);
  w.Raw(value_close_);
  return EmitRecord(lsn, emit);
}

absl::Status TransactionEncoder::EncodeEnd(std::string_view id, int64_t event_count,
                                           std::span<const DataCollectionCount> counts,
                                           int64_t ts_ms, Lsn lsn, Emit emit) {
  WriteKey(id);
  value_.clear();
  JsonWriter w(&value_);
  w.Raw(value_open_);
  w.Raw("\"END\",\"id\":");
  w.String(id);
  w.Raw(",\"event_count\":");
  w.Int(event_count);
  w.Raw(",\"data_collections\":[");
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i > 0) w.Raw(',');
    w.Raw("{\"data_collection\":");
    w.String(counts[i].data_collection);
    w.Raw(",\"event_count\":");
    w.Int(counts[i].event_count);
    w.Raw('}');
  }
  w.Raw("],\"ts_ms\":");
  w.Int(ts_ms);
  w.Raw(value_close_);
  return EmitRecord(lsn, emit);
}

}  // namespace trackops::event
