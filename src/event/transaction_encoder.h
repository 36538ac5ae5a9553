// Transaction metadata records (provide.transaction.metadata=true): the
// BEGIN and END records Debezium 3.6.1's TransactionMonitor writes to the
// "<prefix>.transaction" topic, serialized as Kafka Connect's JsonConverter
// writes them.
//
//   key   io.debezium.connector.common.TransactionMetadataKey {id}
//   value io.debezium.connector.common.TransactionMetadataValue
//         {status, id, event_count, data_collections[{data_collection,
//          event_count}], ts_ms}
//
// The change events' own "transaction" block is written by ChangeEncoder
// (ChangeContext::transaction).
//
// Thread safety: one thread at a time. Buffers are reused: the steady state
// allocates nothing per record.

#ifndef TRACKOPS_EVENT_TRANSACTION_ENCODER_H_
#define TRACKOPS_EVENT_TRANSACTION_ENCODER_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "event/change_encoder.h"
#include "trackops/record.h"
#include "trackops/types.h"

namespace trackops::event {

// One data collection's event count in a transaction (END records).
struct DataCollectionCount {
  std::string_view data_collection;  // "schema.table".
  int64_t event_count = 0;
};

// Orders `counts` (given in first-event order) as Java's HashMap<String, Long>
// iterates them: by bucket (String.hashCode() spread, masked by the table
// capacity), then insertion order. `capacity` is the HashMap's table size, a
// power of two >= 16; HashMap never shrinks, so it is that of the largest
// transaction so far (see JavaHashMapCapacity).
void OrderLikeJavaHashMap(std::span<DataCollectionCount> counts, size_t capacity);

// The table capacity a java.util.HashMap with default settings has after
// holding `entries` entries (16, doubling when size exceeds 3/4 of it).
size_t JavaHashMapCapacity(size_t entries);

class TransactionEncoder {
 public:
  using Emit = absl::FunctionRef<absl::Status(const Record&)>;

  // Uses options.topic_prefix and the key/value schemas.enable flags.
  // Transaction records carry no headers (as Debezium's).
  explicit TransactionEncoder(const EncoderOptions& options);

  TransactionEncoder(const TransactionEncoder&) = delete;
  TransactionEncoder& operator=(const TransactionEncoder&) = delete;

  // "<prefix>.transaction".
  const std::string& topic() const { return topic_; }

  // The BEGIN record of transaction `id` ("<xid>:<lsn>"); `ts_ms` is the
  // transaction's commit time in milliseconds. Record::lsn is `lsn`.
  absl::Status EncodeBegin(std::string_view id, int64_t ts_ms, Lsn lsn, Emit emit);

  // The END record: `event_count` events, `counts` in the order to write.
  absl::Status EncodeEnd(std::string_view id, int64_t event_count,
                         std::span<const DataCollectionCount> counts, int64_t ts_ms, Lsn lsn,
                         Emit emit);

 private:
  void WriteKey(std::string_view id);
  absl::Status EmitRecord(Lsn lsn, Emit emit);

  bool key_schemas_enable_;
  bool value_schemas_enable_;
  std::string topic_;
  std::string key_open_;    // Up to `"id":`.
  std::string key_close_;
  std::string value_open_;  // Up to `"status":`.
  std::string value_close_;
  std::string key_;
  std::string value_;
};

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_TRANSACTION_ENCODER_H_
