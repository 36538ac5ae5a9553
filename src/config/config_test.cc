#include "trackops/config.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trackops {
namespace {

using ::testing::HasSubstr;

constexpr const char* kMinimal =
    "debezium.source.database.user=cdc\n"
    "debezium.source.database.dbname=shop\n"
    "debezium.source.topic.prefix=shop\n"
    "debezium.source.snapshot.mode=no_data\n";

absl::StatusOr<Config> Build(const std::string& text, std::vector<std::string>* warnings) {
  absl::StatusOr<Properties> props = Properties::Parse(text);
  if (!props.ok()) return props.status();
  return Config::FromProperties(*props, warnings);
}

TEST(PropertiesTest, ParsesSeparatorsCommentsAndContinuations) {
  absl::StatusOr<Properties> p = Properties::Parse(
      "# comment\n"
      "! also a comment\n"
      "a=1\n"
      "  b : two words  \n"
      "c 3\n"
      "d=first,\\\n"
      "   second\n"
      "e=tab\\there \\u00e9\n"
      "f=\n");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p->Find("a"), "1");
  EXPECT_EQ(*p->Find("b"), "two words");
  EXPECT_EQ(*p->Find("c"), "3");
  EXPECT_EQ(*p->Find("d"), "first,second");
  EXPECT_EQ(*p->Find("e"), "tab\there \xc3\xa9");
  EXPECT_EQ(*p->Find("f"), "");
  EXPECT_EQ(p->Find("missing"), nullptr);
}

TEST(PropertiesTest, RejectsBrokenUnicodeEscape) {
  absl::StatusOr<Properties> p = Properties::Parse("a=\\u12\n");
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr("line 1"));
}

TEST(PropertiesTest, WithPrefixStripsThePrefix) {
  absl::StatusOr<Properties> p = Properties::Parse("x.a=1\nx.b=2\ny.c=3\n");
  ASSERT_TRUE(p.ok());
  Properties x = p->WithPrefix("x.");
  EXPECT_EQ(x.values().size(), 2u);
  EXPECT_EQ(*x.Find("b"), "2");
}

TEST(ConfigTest, AppliesDebeziumDefaults) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(kMinimal, &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.hostname, "localhost");
  EXPECT_EQ(c->connector.port, 5432);
  EXPECT_EQ(c->connector.slot_name, "debezium");
  EXPECT_EQ(c->connector.publication_name, "dbz_publication");
  EXPECT_EQ(c->connector.publication_autocreate_mode, PublicationAutocreateMode::kAllTables);
  EXPECT_TRUE(c->connector.key_schemas_enable);
  EXPECT_TRUE(c->connector.value_schemas_enable);
  EXPECT_TRUE(c->connector.tombstones_on_delete);
  EXPECT_EQ(c->sink_type, "stdout");
  EXPECT_TRUE(warnings.empty());
}

TEST(ConfigTest, ReadsEveryConnectorProperty) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c =
      Build(std::string(kMinimal) +
                "debezium.source.database.hostname=db\n"
                "debezium.source.database.port=6543\n"
                "debezium.source.database.password=secret\n"
                "debezium.source.slot.name=s1\n"
                "debezium.source.publication.name=p1\n"
                "debezium.source.publication.autocreate.mode=filtered\n"
                "debezium.source.table.include.list=public.orders, inv\\\\..*\n"
                "debezium.format.value.schemas.enable=false\n"
                "debezium.format.header.schemas.enable=false\n",
            &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.hostname, "db");
  EXPECT_EQ(c->connector.port, 6543);
  EXPECT_EQ(c->connector.password, "secret");
  EXPECT_EQ(c->connector.slot_name, "s1");
  EXPECT_EQ(c->connector.publication_name, "p1");
  EXPECT_EQ(c->connector.publication_autocreate_mode, PublicationAutocreateMode::kFiltered);
  EXPECT_THAT(c->connector.table_include_list, ::testing::ElementsAre("public.orders", "inv\\..*"));
  EXPECT_FALSE(c->connector.value_schemas_enable);
  EXPECT_FALSE(c->connector.header_schemas_enable);
  EXPECT_TRUE(c->connector.key_schemas_enable);
}

TEST(ConfigTest, InvalidValueNamesTheProperty) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c =
      Build(std::string(kMinimal) + "debezium.source.database.port=http\n", &warnings);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("debezium.source.database.port"));

  c = Build(std::string(kMinimal) + "debezium.source.publication.autocreate.mode=some\n",
            &warnings);
  EXPECT_THAT(c.status().message(), HasSubstr("debezium.source.publication.autocreate.mode"));
  EXPECT_THAT(c.status().message(), HasSubstr("all_tables"));

  c = Build(std::string(kMinimal) + "debezium.format.key.schemas.enable=yes\n", &warnings);
  EXPECT_THAT(c.status().message(), HasSubstr("debezium.format.key.schemas.enable"));

  c = Build(std::string(kMinimal) + "debezium.source.table.include.list=(unclosed\n", &warnings);
  EXPECT_THAT(c.status().message(), HasSubstr("debezium.source.table.include.list"));
}

TEST(ConfigTest, MissingRequiredPropertyIsNamed) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build("debezium.source.database.user=u\n", &warnings);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("debezium.source.database.dbname"));
}

TEST(ConfigTest, SnapshotModeDefaultsToInitialAndTakesDebeziumsValues) {
  const std::string base =
      "debezium.source.database.user=u\ndebezium.source.database.dbname=d\n"
      "debezium.source.topic.prefix=t\n";
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(base, &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.snapshot_mode, SnapshotMode::kInitial);
  const std::pair<const char*, SnapshotMode> modes[] = {
      {"initial", SnapshotMode::kInitial},          {"always", SnapshotMode::kAlways},
      {"initial_only", SnapshotMode::kInitialOnly}, {"no_data", SnapshotMode::kNoData},
      {"when_needed", SnapshotMode::kWhenNeeded},   {"never", SnapshotMode::kNoData}};
  for (const auto& [name, mode] : modes) {
    c = Build(base + "debezium.source.snapshot.mode=" + name + "\n", &warnings);
    ASSERT_TRUE(c.ok()) << name << ": " << c.status();
    EXPECT_EQ(c->connector.snapshot_mode, mode) << name;
  }
  c = Build(base + "debezium.source.snapshot.mode=configuration_based\n", &warnings);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("configuration_based is not supported"));
  c = Build(base + "debezium.source.snapshot.mode=sometimes\n", &warnings);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("snapshot.mode"));
}

TEST(ConfigTest, SignalTableAndIncrementalSnapshotSettings) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(kMinimal, &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.signal_data_collection, "");
  EXPECT_EQ(c->connector.incremental_snapshot_chunk_size, 1024);
  c = Build(std::string(kMinimal) +
                "debezium.source.signal.data.collection=ops.signals\n"
                "debezium.source.incremental.snapshot.chunk.size=50\n"
                "debezium.source.incremental.snapshot.watermarking.strategy=insert_insert\n",
            &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.signal_data_collection, "ops.signals");
  EXPECT_EQ(c->connector.incremental_snapshot_chunk_size, 50);
  EXPECT_TRUE(warnings.empty());
  c = Build(std::string(kMinimal) + "debezium.source.signal.data.collection=signals\n", &warnings);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("expected schema.table"));
  c = Build(std::string(kMinimal) + "debezium.source.incremental.snapshot.chunk.size=0\n",
            &warnings);
  EXPECT_THAT(c.status().message(), HasSubstr("incremental.snapshot.chunk.size"));
  c = Build(std::string(kMinimal) +
                "debezium.source.incremental.snapshot.watermarking.strategy=insert_delete\n",
            &warnings);
  EXPECT_THAT(c.status().message(), HasSubstr("insert_delete is not supported"));
}

TEST(ConfigTest, UnknownPropertiesAreReported) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(std::string(kMinimal) +
                                       "debezium.source.no.such.thing=1\n"
                                       "quarkus.log.level=INFO\n",
                                   &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(warnings, ::testing::UnorderedElementsAre(HasSubstr("debezium.source.no.such.thing"),
                                                        HasSubstr("quarkus.log.level")));
}

TEST(ConfigTest, UnsupportedSinkIsRejected) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c =
      Build(std::string(kMinimal) + "debezium.sink.type=pulsar\n", &warnings);
  EXPECT_THAT(c.status().message(), HasSubstr("debezium.sink.type"));
}

}  // namespace
}  // namespace trackops

#include "config/table_filter.h"

namespace trackops {
namespace {

TEST(TableFilterTest, IncludeListMatchesWholeNames) {
  TableFilter f({"public\\.orders", "inventory\\..*"}, {});
  EXPECT_TRUE(f.Includes("public", "orders"));
  EXPECT_FALSE(f.Includes("public", "orders_archive"));
  EXPECT_TRUE(f.Includes("inventory", "items"));
  EXPECT_FALSE(f.Includes("public", "customers"));
}

TEST(TableFilterTest, ExcludeListAndEmptyLists) {
  TableFilter all({}, {});
  EXPECT_TRUE(all.Includes("any", "thing"));
  TableFilter f({}, {"public\\.audit_.*"});
  EXPECT_FALSE(f.Includes("public", "audit_log"));
  EXPECT_TRUE(f.Includes("public", "orders"));
}

TEST(TableFilterTest, IncludePositionIsTheFirstPatternMatched) {
  TableFilter f({"inventory\\..*", "public\\.orders", "public\\..*"}, {});
  EXPECT_EQ(f.IncludePosition("inventory", "items"), 0u);
  EXPECT_EQ(f.IncludePosition("public", "orders"), 1u);
  EXPECT_EQ(f.IncludePosition("public", "customers"), 2u);
  EXPECT_EQ(f.IncludePosition("other", "t"), std::nullopt);
  TableFilter excluding({}, {"public\\.audit_.*"});
  EXPECT_EQ(excluding.IncludePosition("public", "orders"), 0u);
  EXPECT_EQ(excluding.IncludePosition("public", "audit_log"), std::nullopt);
}

TEST(ConfigTest, EventPropertiesHaveDebeziumDefaults) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(kMinimal, &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->connector.skip_creates);
  EXPECT_FALSE(c->connector.skip_updates);
  EXPECT_FALSE(c->connector.skip_deletes);
  EXPECT_TRUE(c->connector.skip_truncates);
  EXPECT_FALSE(c->connector.provide_transaction_metadata);
  EXPECT_TRUE(c->connector.messages);
  EXPECT_TRUE(c->connector.message_prefix_include_list.empty());
}

TEST(ConfigTest, ReadsSkippedOperations) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c =
      Build(std::string(kMinimal) + "debezium.source.skipped.operations=none\n", &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->connector.skip_truncates);
  EXPECT_FALSE(c->connector.skip_creates);

  c = Build(std::string(kMinimal) + "debezium.source.skipped.operations=c, D\n", &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->connector.skip_creates);
  EXPECT_FALSE(c->connector.skip_updates);
  EXPECT_TRUE(c->connector.skip_deletes);
  EXPECT_FALSE(c->connector.skip_truncates);

  c = Build(std::string(kMinimal) + "debezium.source.skipped.operations=c,x\n", &warnings);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("debezium.source.skipped.operations"));
}

TEST(ConfigTest, TransformsAndDeadLetterTopicAreKept) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(std::string(kMinimal) +
                                       "debezium.transforms=unwrap\n"
                                       "debezium.transforms.unwrap.type=x.Y\n"
                                       "debezium.predicates=p\n"
                                       "debezium.predicates.p.pattern=a.*\n"
                                       "debezium.transformsx=1\n"
                                       "debezium.source.errors.deadletterqueue.topic.name=dlq\n"
                                       "debezium.source.include.schema.comments=true\n",
                                   &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.dead_letter_topic, "dlq");
  ASSERT_NE(c->transforms.Find("transforms"), nullptr);
  EXPECT_EQ(*c->transforms.Find("transforms.unwrap.type"), "x.Y");
  EXPECT_EQ(*c->transforms.Find("predicates.p.pattern"), "a.*");
  EXPECT_EQ(c->transforms.Find("transformsx"), nullptr);
  // Only the look-alike is unknown; include.schema.comments is accepted.
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("debezium.transformsx"), std::string::npos) << warnings[0];
  EXPECT_FALSE(
      Build(std::string(kMinimal) + "debezium.source.include.schema.comments=maybe\n", &warnings)
          .ok());
}

TEST(ConfigTest, ReadsStreamingSpillProperties) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(kMinimal, &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.streaming_memory_bytes, 67108864);
  EXPECT_EQ(c->connector.streaming_spill_directory, "");  // $TMPDIR, else /tmp.

  c = Build(std::string(kMinimal) +
                "debezium.source.trackops.pgoutput.protocol.version=2\n"
                "debezium.source.trackops.pgoutput.streaming=on\n"
                "debezium.source.trackops.pgoutput.streaming.memory.bytes=65536\n"
                "debezium.source.trackops.pgoutput.streaming.spill.directory=/var/spill\n",
            &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.streaming_memory_bytes, 65536);
  EXPECT_EQ(c->connector.streaming_spill_directory, "/var/spill");
  EXPECT_TRUE(warnings.empty());

  for (const char* bad : {"-1", "64MB", "1e6", "99999999999999999999"}) {
    c = Build(std::string(kMinimal) +
                  "debezium.source.trackops.pgoutput.streaming.memory.bytes=" + bad + "\n",
              &warnings);
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(c.status().message(),
                HasSubstr("debezium.source.trackops.pgoutput.streaming.memory.bytes"));
    EXPECT_THAT(c.status().message(), HasSubstr("expected an integer from 0"));
  }
}

TEST(ConfigTest, ReadsReceiveTimeout) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(kMinimal, &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.receive_timeout_ms, 60000);
  c = Build(std::string(kMinimal) + "debezium.source.trackops.replication.receive.timeout.ms=0\n",
            &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.receive_timeout_ms, 0);  // Never.
  EXPECT_TRUE(warnings.empty());
  c = Build(std::string(kMinimal) + "debezium.source.trackops.replication.receive.timeout.ms=-5\n",
            &warnings);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(),
              HasSubstr("debezium.source.trackops.replication.receive.timeout.ms"));
}

TEST(ConfigTest, ReadsReadCoalescing) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(kMinimal, &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.read_coalesce_us, 1000);
  c = Build(std::string(kMinimal) + "debezium.source.trackops.replication.read.coalesce.us=0\n",
            &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.read_coalesce_us, 0);
  EXPECT_TRUE(warnings.empty());
  for (const char* bad : {"-1", "100001", "1ms"}) {
    c = Build(
        absl::StrCat(kMinimal, "debezium.source.trackops.replication.read.coalesce.us=", bad, "\n"),
        &warnings);
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(c.status().message(),
                HasSubstr("debezium.source.trackops.replication.read.coalesce.us"));
  }
}

TEST(ConfigTest, ReadsHeartbeatProperties) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(kMinimal, &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.heartbeat_interval_ms, 0);
  EXPECT_EQ(c->connector.heartbeat_topic_prefix, "__debezium-heartbeat");
  EXPECT_EQ(c->connector.heartbeat_action_query, "");

  c = Build(std::string(kMinimal) +
                "debezium.source.heartbeat.interval.ms=250\n"
                "debezium.source.topic.heartbeat.prefix=beats\n"
                "debezium.source.heartbeat.action.query=INSERT INTO hb VALUES (now())\n",
            &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.heartbeat_interval_ms, 250);
  EXPECT_EQ(c->connector.heartbeat_topic_prefix, "beats");
  EXPECT_EQ(c->connector.heartbeat_action_query, "INSERT INTO hb VALUES (now())");
  EXPECT_TRUE(warnings.empty());

  c = Build(std::string(kMinimal) + "debezium.source.heartbeat.interval.ms=-1\n", &warnings);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("debezium.source.heartbeat.interval.ms"));
}

TEST(ConfigTest, ReadsTransactionAndMessageProperties) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(std::string(kMinimal) +
                                       "debezium.source.provide.transaction.metadata=true\n"
                                       "debezium.source.message.prefix.include.list=audit.*,x\n",
                                   &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->connector.provide_transaction_metadata);
  EXPECT_THAT(c->connector.message_prefix_include_list, ::testing::ElementsAre("audit.*", "x"));
  EXPECT_TRUE(warnings.empty());

  c = Build(std::string(kMinimal) +
                "debezium.source.message.prefix.include.list=a\n"
                "debezium.source.message.prefix.exclude.list=b\n",
            &warnings);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("message.prefix.exclude.list"));
}

TEST(ConfigTest, ReadsColumnFilters) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(
      std::string(kMinimal) + "debezium.source.column.exclude.list=public\\\\.users\\\\.pw.*\n",
      &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->connector.column_exclude_list, ::testing::ElementsAre("public\\.users\\.pw.*"));
  EXPECT_TRUE(warnings.empty());

  c = Build(std::string(kMinimal) +
                "debezium.source.column.include.list=a\n"
                "debezium.source.column.exclude.list=b\n",
            &warnings);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("column.include.list"));
}

TEST(ConfigTest, TypeHandlingModesHaveDebeziumDefaults) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(kMinimal, &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.decimal_handling_mode, DecimalHandlingMode::kPrecise);
  EXPECT_EQ(c->connector.time_precision_mode, TimePrecisionMode::kAdaptive);
  EXPECT_EQ(c->connector.binary_handling_mode, BinaryHandlingMode::kBytes);
  EXPECT_EQ(c->connector.interval_handling_mode, IntervalHandlingMode::kNumeric);
  EXPECT_EQ(c->connector.hstore_handling_mode, HStoreHandlingMode::kJson);
}

TEST(ConfigTest, ReadsTypeHandlingModes) {
  std::vector<std::string> warnings;
  absl::StatusOr<Config> c = Build(std::string(kMinimal) +
                                       "debezium.source.decimal.handling.mode=string\n"
                                       "debezium.source.time.precision.mode=connect\n"
                                       "debezium.source.binary.handling.mode=base64-url-safe\n"
                                       "debezium.source.interval.handling.mode=string\n"
                                       "debezium.source.hstore.handling.mode=map\n",
                                   &warnings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->connector.decimal_handling_mode, DecimalHandlingMode::kString);
  EXPECT_EQ(c->connector.time_precision_mode, TimePrecisionMode::kConnect);
  EXPECT_EQ(c->connector.binary_handling_mode, BinaryHandlingMode::kBase64UrlSafe);
  EXPECT_EQ(c->connector.interval_handling_mode, IntervalHandlingMode::kString);
  EXPECT_EQ(c->connector.hstore_handling_mode, HStoreHandlingMode::kMap);

  c = Build(std::string(kMinimal) + "debezium.source.decimal.handling.mode=exact\n", &warnings);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("decimal.handling.mode"));
  EXPECT_THAT(c.status().message(), HasSubstr("precise, double, string"));
  c = Build(std::string(kMinimal) + "debezium.source.time.precision.mode=nanos\n", &warnings);
  EXPECT_THAT(c.status().message(), HasSubstr("time.precision.mode"));
  c = Build(std::string(kMinimal) + "debezium.source.binary.handling.mode=base32\n", &warnings);
  EXPECT_THAT(c.status().message(), HasSubstr("binary.handling.mode"));
  c = Build(std::string(kMinimal) + "debezium.source.interval.handling.mode=iso\n", &warnings);
  EXPECT_THAT(c.status().message(), HasSubstr("interval.handling.mode"));
  c = Build(std::string(kMinimal) + "debezium.source.hstore.handling.mode=text\n", &warnings);
  EXPECT_THAT(c.status().message(), HasSubstr("hstore.handling.mode"));
}

}  // namespace
}  // namespace trackops
