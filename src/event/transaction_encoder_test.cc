#include "event/transaction_encoder.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "event/test_capture.h"

// Expected JSON: records of a real Debezium 3.6.1 run (conformance case
// transaction_metadata), TransactionMonitor / PostgresTransactionMonitor.

namespace trackops::event {
namespace {

class TransactionEncoderTest : public CapturingTest {};

TEST_F(TransactionEncoderTest, BeginAndEndWithoutSchemas) {
  TransactionEncoder encoder(TestOptions(false));
  EXPECT_EQ(encoder.topic(), "conf.transaction");
  ASSERT_TRUE(encoder.EncodeBegin("736:22081800", 1795646541783, Lsn(22081800), sink_).ok());
  std::vector<DataCollectionCount> counts = {{"public.tx_b", 3}, {"public.tx_a", 2}};
  ASSERT_TRUE(
      encoder.EncodeEnd("736:22082472", 5, counts, 1795646541783, Lsn(22082472), sink_).ok());
  ASSERT_EQ(records_.size(), 2u);
  EXPECT_EQ(records_[0].topic, "conf.transaction");
  EXPECT_EQ(records_[0].key, R"({"id":"736:22081800"})");
  EXPECT_EQ(records_[0].value,
            R"({"status":"BEGIN","id":"736:22081800","event_count":null,"data_collections":null,)"
            R"("ts_ms":1795646541783})");
  EXPECT_EQ(records_[0].headers, 0u);
  EXPECT_EQ(records_[0].lsn, Lsn(22081800));
  EXPECT_EQ(records_[1].key, R"({"id":"736:22082472"})");
  EXPECT_EQ(records_[1].value,
            R"({"status":"END","id":"736:22082472","event_count":5,"data_collections":[)"
            R"({"data_collection":"public.tx_b","event_count":3},)"
            R"({"data_collection":"public.tx_a","event_count":2}],"ts_ms":1795646541783})");
}

TEST_F(TransactionEncoderTest, EmptyEndAndSchemas) {
  TransactionEncoder encoder(TestOptions(true));
  ASSERT_TRUE(encoder.EncodeEnd("737:22082744", 0, {}, 1795646541783, Lsn(22082744), sink_).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].key,
            R"({"schema":{"type":"struct","fields":[{"type":"string","optional":false,)"
            R"("field":"id"}],"optional":false,)"
            R"("name":"io.debezium.connector.common.TransactionMetadataKey","version":1},)"
            R"("payload":{"id":"737:22082744"}})");
  EXPECT_EQ(records_[0].value,
            R"({"schema":{"type":"struct","fields":[{"type":"string","optional":false,)"
            R"("field":"status"},{"type":"string","optional":false,"field":"id"},)"
            R"({"type":"int64","optional":true,"field":"event_count"},{"type":"array",)"
            R"("items":{"type":"struct","fields":[{"type":"string","optional":false,)"
            R"("field":"data_collection"},{"type":"int64","optional":false,)"
            R"("field":"event_count"}],"optional":true,"name":"event.collection","version":1},)"
            R"("optional":true,"field":"data_collections"},{"type":"int64","optional":false,)"
            R"("field":"ts_ms"}],"optional":false,)"
            R"("name":"io.debezium.connector.common.TransactionMetadataValue","version":1},)"
            R"("payload":{"status":"END","id":"737:22082744","event_count":0,)"
            R"("data_collections":[],"ts_ms":1795646541783}})");
}

TEST(JavaHashMapTest, OrdersLikeHashMap) {
  // Debezium wrote public.tx_b before public.tx_a although tx_a came first.
  std::vector<DataCollectionCount> counts = {{"public.tx_a", 2}, {"public.tx_b", 3}};
  OrderLikeJavaHashMap(counts, 16);
  EXPECT_EQ(counts[0].data_collection, "public.tx_b");
  EXPECT_EQ(counts[1].data_collection, "public.tx_a");
  // "Aa" and "BB" share a hash: insertion order stays.
  std::vector<DataCollectionCount> same = {{"BB", 1}, {"Aa", 1}};
  OrderLikeJavaHashMap(same, 16);
  EXPECT_EQ(same[0].data_collection, "BB");
}

TEST(JavaHashMapTest, CapacityGrowsAtThreeQuarters) {
  EXPECT_EQ(JavaHashMapCapacity(0), 16u);
  EXPECT_EQ(JavaHashMapCapacity(12), 16u);
  EXPECT_EQ(JavaHashMapCapacity(13), 32u);
  EXPECT_EQ(JavaHashMapCapacity(25), 64u);
}

}  // namespace
}  // namespace trackops::event
