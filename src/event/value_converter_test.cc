#include "event/value_converter.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

// Expected values come from Debezium's AbstractRecordsProducerTest (3.6.1),
// the DDL in postgres_create_tables.ddl, and Kafka's documented encodings
// (Decimal: BigInteger.toByteArray() in base64), not from this encoder.

namespace trackops::event {
namespace {

using ::testing::HasSubstr;

constexpr int32_t NumericTypmod(int precision, int scale) {
  return ((precision << 16) | scale) + 4;
}

schema::ColumnSchema Column(uint32_t oid, int32_t typmod = -1, bool optional = true) {
  schema::ColumnSchema c;
  c.name = "c";
  c.type_oid = oid;
  c.type_modifier = typmod;
  c.optional = optional;
  return c;
}

class ValueConverterTest : public ::testing::Test {
 protected:
  // The JSON of `text` in a column of the given type, or "error: <status>".
  std::string Convert(uint32_t oid, std::string_view text, int32_t typmod = -1) {
    ColumnCodec codec = MakeColumnCodec(Column(oid, typmod));
    std::string out;
    JsonWriter w(&out);
    absl::Status s = converter_.AppendValue(codec, text, &w);
    if (!s.ok()) return "error: " + s.ToString();
    return out;
  }

  std::string Missing(uint32_t oid, int32_t typmod = -1, bool optional = false) {
    ColumnCodec codec = MakeColumnCodec(Column(oid, typmod, optional));
    std::string out;
    JsonWriter w(&out);
    converter_.AppendMissing(codec, &w);
    return out;
  }

  std::string Schema(uint32_t oid, int32_t typmod = -1, bool optional = true) {
    std::string out;
    AppendSchemaJson(MakeColumnCodec(Column(oid, typmod, optional)).schema, "c", &out);
    return out;
  }

  absl::Status Error(uint32_t oid, std::string_view text, int32_t typmod = -1) {
    ColumnCodec codec = MakeColumnCodec(Column(oid, typmod));
    std::string out;
    JsonWriter w(&out);
    return converter_.AppendValue(codec, text, &w);
  }

  ValueConverter converter_;
};

// schemasAndValuesForNumericType: si smallint 1, i 123456, bi 1234567890123,
// r real 3.3, db 4.44, r_int 3.0, db_int 4.0, NaN / Infinity, b true, o oid
// 4000000000 (int64).
TEST_F(ValueConverterTest, NumericTable) {
  EXPECT_EQ(Convert(pg_oid::kInt2, "1"), "1");
  EXPECT_EQ(Convert(pg_oid::kInt4, "123456"), "123456");
  EXPECT_EQ(Convert(pg_oid::kInt8, "1234567890123"), "1234567890123");
  EXPECT_EQ(Convert(pg_oid::kFloat4, "3.3"), "3.3");
  EXPECT_EQ(Convert(pg_oid::kFloat8, "4.44"), "4.44");
  EXPECT_EQ(Convert(pg_oid::kFloat4, "3"), "3.0");
  EXPECT_EQ(Convert(pg_oid::kFloat8, "4"), "4.0");
  EXPECT_EQ(Convert(pg_oid::kFloat4, "NaN"), "\"NaN\"");
  EXPECT_EQ(Convert(pg_oid::kFloat8, "NaN"), "\"NaN\"");
  EXPECT_EQ(Convert(pg_oid::kFloat4, "Infinity"), "\"Infinity\"");
  EXPECT_EQ(Convert(pg_oid::kFloat8, "-Infinity"), "\"-Infinity\"");
  EXPECT_EQ(Convert(pg_oid::kBool, "t"), "true");
  EXPECT_EQ(Convert(pg_oid::kBool, "f"), "false");
  EXPECT_EQ(Convert(pg_oid::kOid, "4000000000"), "4000000000");
  EXPECT_EQ(Convert(pg_oid::kFloat8, "1e+100"), "1.0E100");
  EXPECT_EQ(Convert(pg_oid::kFloat8, "-1.5e-07"), "-1.5E-7");
  EXPECT_EQ(Convert(pg_oid::kInt8, "-9223372036854775808"), "-9223372036854775808");
}

TEST_F(ValueConverterTest, IntegerAndFloatSchemas) {
  EXPECT_EQ(Schema(pg_oid::kInt2), R"({"type":"int16","optional":true,"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kInt4, -1, false), R"({"type":"int32","optional":false,"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kInt8), R"({"type":"int64","optional":true,"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kOid), R"({"type":"int64","optional":true,"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kFloat4), R"({"type":"float","optional":true,"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kFloat8), R"({"type":"double","optional":true,"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kBool), R"({"type":"boolean","optional":true,"field":"c"})");
}

// schemasAndValuesForBigDecimalEncodedNumericTypes, numeric_decimal_table:
// d DECIMAL(3,2), dzs DECIMAL(4), dvs DECIMAL, n NUMERIC(6,4), nvs NUMERIC.
TEST_F(ValueConverterTest, DecimalTable) {
  EXPECT_EQ(Convert(pg_oid::kNumeric, "1.10", NumericTypmod(3, 2)), "\"bg==\"");  // 1.10
  EXPECT_EQ(Convert(pg_oid::kNumeric, "10", NumericTypmod(4, 0)), "\"Cg==\"");    // 10
  EXPECT_EQ(Convert(pg_oid::kNumeric, "10.1111"), R"({"scale":4,"value":"AYr3"})");
  EXPECT_EQ(Convert(pg_oid::kNumeric, "3.30", NumericTypmod(3, 2)), "\"AUo=\"");  // 3.30
  EXPECT_EQ(Convert(pg_oid::kNumeric, "22.2200", NumericTypmod(6, 4)), "\"A2P4\"");
  EXPECT_EQ(Convert(pg_oid::kNumeric, "22", NumericTypmod(4, 0)), "\"Fg==\"");
  EXPECT_EQ(Convert(pg_oid::kNumeric, "22.2222"), R"({"scale":4,"value":"A2QO"})");
  EXPECT_EQ(Convert(pg_oid::kNumeric, "1.00", NumericTypmod(3, 2)), "\"ZA==\"");     // d_int
  EXPECT_EQ(Convert(pg_oid::kNumeric, "10"), R"({"scale":0,"value":"Cg=="})");       // dvs_int
  EXPECT_EQ(Convert(pg_oid::kNumeric, "22.0000", NumericTypmod(6, 4)), "\"A1tg\"");  // n_int
  EXPECT_EQ(Convert(pg_oid::kNumeric, "22"), R"({"scale":0,"value":"Fg=="})");       // nvs_int
}

TEST_F(ValueConverterTest, DecimalEdgeValues) {
  EXPECT_EQ(Convert(pg_oid::kNumeric, "-1.10", NumericTypmod(3, 2)), "\"kg==\"");
  EXPECT_EQ(Convert(pg_oid::kNumeric, "0.00", NumericTypmod(3, 2)), "\"AA==\"");
  EXPECT_EQ(Convert(pg_oid::kNumeric, "1.23", NumericTypmod(3, 2)), "\"ew==\"");
  // Fewer digits than the scale: padded (BigDecimal.setScale).
  EXPECT_EQ(Convert(pg_oid::kNumeric, "1.1", NumericTypmod(3, 2)), "\"bg==\"");
  EXPECT_EQ(Convert(pg_oid::kNumeric, "1.230", NumericTypmod(3, 2)), "\"ew==\"");
  EXPECT_EQ(
      Convert(pg_oid::kNumeric, "-99999999999999999999999999999999999999", NumericTypmod(38, 0)),
      "\"tMSzV6V5O4X2dd3AAAAAAQ==\"");
  // VariableScaleDecimal strips trailing zeros, never to a negative scale.
  EXPECT_EQ(Convert(pg_oid::kNumeric, "22.2200"), R"({"scale":2,"value":"CK4="})");
  EXPECT_EQ(Convert(pg_oid::kNumeric, "1000"), R"({"scale":0,"value":"A+g="})");
  EXPECT_EQ(Convert(pg_oid::kNumeric, "0.000"), R"({"scale":0,"value":"AA=="})");
  EXPECT_EQ(Convert(pg_oid::kNumeric, "-0.50"), R"({"scale":1,"value":"+w=="})");
  EXPECT_EQ(Convert(pg_oid::kNumeric, "12345678901234567890123456789"),
            R"({"scale":0,"value":"J+QbMka+ybFuOYEV"})");
}

TEST_F(ValueConverterTest, DecimalSchemas) {
  EXPECT_EQ(Schema(pg_oid::kNumeric, NumericTypmod(3, 2)),
            R"({"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal",)"
            R"("version":1,"parameters":{"scale":"2","connect.decimal.precision":"3"},)"
            R"("field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kNumeric, -1, false),
            R"({"type":"struct","fields":[{"type":"int32","optional":false,"field":"scale"},)"
            R"({"type":"bytes","optional":false,"field":"value"}],"optional":false,)"
            R"("name":"io.debezium.data.VariableScaleDecimal","version":1,)"
            R"("doc":"Variable scaled decimal","field":"c"})");
}

// SpecialValueDecimal.fromLogical: NaN / Infinity only with decimal mode
// string or double; precise fails.
TEST_F(ValueConverterTest, NumericNaNIsAnError) {
  for (int32_t typmod : {-1, NumericTypmod(3, 2)}) {
    for (const char* text : {"NaN", "Infinity", "-Infinity"}) {
      absl::Status s = Error(pg_oid::kNumeric, text, typmod);
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << text;
      EXPECT_THAT(s.message(), HasSubstr("decimal.handling.mode")) << text;
    }
  }
}

TEST_F(ValueConverterTest, MalformedTextIsDataLoss) {
  struct Case {
    uint32_t oid;
    const char* text;
    int32_t typmod;
  };
  for (const Case& c :
       {Case{pg_oid::kInt2, "32768", -1}, Case{pg_oid::kInt4, "1.5", -1},
        Case{pg_oid::kInt8, "", -1}, Case{pg_oid::kOid, "-1", -1}, Case{pg_oid::kBool, "yes", -1},
        Case{pg_oid::kFloat8, "abc", -1}, Case{pg_oid::kNumeric, "1.2.3", -1},
        Case{pg_oid::kNumeric, "1.234", NumericTypmod(3, 2)}, Case{pg_oid::kDate, "2016-02-30", -1},
        Case{pg_oid::kTimestamp, "2016-11-04T13:51:30", -1},
        Case{pg_oid::kTimestampTz, "2016-11-04 13:51:30", -1}, Case{pg_oid::kBytea, "\\001", -1}}) {
    absl::Status s = Error(c.oid, c.text, c.typmod);
    EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << c.text;
    EXPECT_THAT(s.message(), HasSubstr(MakeColumnCodec(Column(c.oid, c.typmod)).type_name));
  }
}

// schemaAndValuesForDateTimeTypes (time_table; adaptive precision).
TEST_F(ValueConverterTest, Dates) {
  EXPECT_EQ(Schema(pg_oid::kDate),
            R"({"type":"int32","optional":true,"name":"io.debezium.time.Date","version":1,)"
            R"("field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kDate, "2016-11-04"), "17109");
  EXPECT_EQ(Convert(pg_oid::kDate, "1969-12-31"), "-1");
  EXPECT_EQ(Convert(pg_oid::kDate, "1900-01-01"), "-25567");
  EXPECT_EQ(Convert(pg_oid::kDate, "0001-01-01 BC"), "-719528");
  EXPECT_EQ(Convert(pg_oid::kDate, "4714-11-24 BC"), "-2440588");
  // DateTimeFormat.date: infinity -> LocalDate -5877611-06-21, -infinity ->
  // -5877611-06-22 (PostgresValueConverter), then toEpochDay.
  EXPECT_EQ(Convert(pg_oid::kDate, "infinity"), "-2147472692");
  EXPECT_EQ(Convert(pg_oid::kDate, "-infinity"), "-2147472691");
}

TEST_F(ValueConverterTest, Timestamps) {
  constexpr int32_t kMillis = 3, kMicros = 6;
  EXPECT_EQ(Schema(pg_oid::kTimestamp),
            R"({"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp",)"
            R"("version":1,"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kTimestamp, kMillis),
            R"({"type":"int64","optional":true,"name":"io.debezium.time.Timestamp",)"
            R"("version":1,"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kTimestamp, 0), Schema(pg_oid::kTimestamp, kMillis));
  EXPECT_EQ(Schema(pg_oid::kTimestamp, 4), Schema(pg_oid::kTimestamp));
  // ts / ts_us: asEpochMicros("2016-11-04T13:51:30.123456")
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "2016-11-04 13:51:30.123456"), "1478267490123456");
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "2016-11-04 13:51:30.123456", kMicros), "1478267490123456");
  // tsneg: asEpochMicros("1936-10-25T22:10:12.608")
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "1936-10-25 22:10:12.608", kMicros), "-1047174587392000");
  // ts_ms: TIMESTAMP(3) of the same value, asEpochMillis
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "2016-11-04 13:51:30.123", kMillis), "1478267490123");
  // ts_large, ts_large_us, ts_large_ms
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "21016-11-04 13:51:30.123456"), "601060312290123456");
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "21016-11-04 13:51:30.123457", kMicros),
            "601060312290123457");
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "21016-11-04 13:51:30.124", kMillis), "601060312290124");
  // ts_max: 9223371331200000000 - 1; ts_min: -210831897600000001
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "294247-01-01 23:59:59.999999", kMicros),
            "9223371331199999999");
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "4713-12-31 23:59:59.999999 BC", kMicros),
            "-210831897600000001");
  // ts_pinf / ts_ninf: PGStatement.DATE_POSITIVE_INFINITY / NEGATIVE_INFINITY
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "infinity", kMicros), "9223372036825200000");
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "-infinity", kMicros), "-9223372036832400000");
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "infinity", kMillis), "9223372036825200");
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "-infinity", kMillis), "-9223372036832400");
  EXPECT_EQ(Convert(pg_oid::kTimestamp, "1969-12-31 23:59:59.5", 1), "-500");
}

TEST_F(ValueConverterTest, TimestampsWithTimeZone) {
  EXPECT_EQ(Schema(pg_oid::kTimestampTz),
            R"({"type":"string","optional":true,"name":"io.debezium.time.ZonedTimestamp",)"
            R"("version":1,"field":"c"})");
  // tz: '2016-11-04T13:51:30.123456+02:00' -> "2016-11-04T11:51:30.123456Z",
  // whatever the session TimeZone PostgreSQL printed it in.
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "2016-11-04 11:51:30.123456+00"),
            "\"2016-11-04T11:51:30.123456Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "2016-11-04 12:51:30.123456+01"),
            "\"2016-11-04T11:51:30.123456Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "2016-11-04 07:21:30.123456-04:30"),
            "\"2016-11-04T11:51:30.123456Z\"");
  // tz_large / tz_zero (unconstrained precision: always six digits).
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "21016-11-04 13:51:30.123456+07"),
            "\"+21016-11-04T06:51:30.123456Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "21016-11-04 06:51:30+00"),
            "\"+21016-11-04T06:51:30.000000Z\"");
  // tz_max / tz_min
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "294247-01-01 23:59:59.999999+00"),
            "\"+294247-01-01T23:59:59.999999Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "4714-12-31 23:59:59.999999+00 BC"),
            "\"-4713-12-31T23:59:59.999999Z\"");
  // tz_pinf / tz_ninf
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "infinity"), "\"infinity\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "-infinity"), "\"-infinity\"");
  // The offset moves the date; years 1 BC and 2 BC are 0000 and -0001.
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "2016-01-01 01:00:00+05:30"),
            "\"2015-12-31T19:30:00.000000Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "1890-01-01 00:57:44+00:57:44"),
            "\"1890-01-01T00:00:00.000000Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "0001-06-01 00:00:00+00 BC"),
            "\"0000-06-01T00:00:00.000000Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "0002-06-01 00:00:00+00 BC"),
            "\"-0001-06-01T00:00:00.000000Z\"");
}

// ZonedTimestamp.toIsoString: the column precision fixes the fraction width;
// precision 0 uses ISO_OFFSET_DATE_TIME (no fraction when zero).
TEST_F(ValueConverterTest, TimestampWithTimeZonePrecision) {
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "2016-11-04 13:51:30.1+02", 3),
            "\"2016-11-04T11:51:30.100Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "2016-11-04 13:51:30.12+02", 1),
            "\"2016-11-04T11:51:30.1Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "2016-11-04 13:51:30+02", 3),
            "\"2016-11-04T11:51:30.000Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "2016-11-04 13:51:30+02", 0), "\"2016-11-04T11:51:30Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "2016-11-04 13:51:30.12345+02", 5),
            "\"2016-11-04T11:51:30.12345Z\"");
}

// schemasAndValuesForTextTypes / string_table: json, jsonb, uuid, strings.
TEST_F(ValueConverterTest, StringTypes) {
  EXPECT_EQ(Schema(pg_oid::kUuid),
            R"({"type":"string","optional":true,"name":"io.debezium.data.Uuid","version":1,)"
            R"("field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kJson),
            R"({"type":"string","optional":true,"name":"io.debezium.data.Json","version":1,)"
            R"("field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kJsonb), Schema(pg_oid::kJson));
  EXPECT_EQ(Schema(pg_oid::kXml),
            R"({"type":"string","optional":true,"name":"io.debezium.data.Xml","version":1,)"
            R"("field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kText), R"({"type":"string","optional":true,"field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kUuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
            "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"");
  EXPECT_EQ(Convert(pg_oid::kJson, "{\"bar\": \"baz\"}"), R"("{\"bar\": \"baz\"}")");
  EXPECT_EQ(Convert(pg_oid::kJsonb, "{\"bar\": \"baz\"}"), R"("{\"bar\": \"baz\"}")");
  EXPECT_EQ(Convert(pg_oid::kVarchar, "\u017E\u0161"), "\"\u017E\u0161\"");
  EXPECT_EQ(Convert(pg_oid::kBpchar, "cdef"), "\"cdef\"");
  EXPECT_EQ(Convert(pg_oid::kBpchar, "abc "), "\"abc \"");
  EXPECT_EQ(Convert(pg_oid::kText, "some text"), "\"some text\"");
  EXPECT_EQ(Convert(pg_oid::kText, "tab\there\nquote\"\x01"), "\"tab\\there\\nquote\\\"\\u0001\"");
  EXPECT_EQ(Convert(pg_oid::kInet, "192.168.2.0/12"), "\"192.168.2.0/12\"");
  EXPECT_EQ(Convert(pg_oid::kInt4Range, "[1000,6000)"), "\"[1000,6000)\"");
}

// name: ReplicationMessageColumnValueResolver has no case for it, so the
// streamed value is null ("" when NOT NULL).
TEST_F(ValueConverterTest, NameHasNoStreamedValue) {
  EXPECT_EQ(Schema(pg_oid::kName), R"({"type":"string","optional":true,"field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kName, "anything"), "null");
  ColumnCodec not_null = MakeColumnCodec(Column(pg_oid::kName, -1, false));
  std::string out;
  JsonWriter w(&out);
  ASSERT_TRUE(converter_.AppendValue(not_null, "anything", &w).ok());
  EXPECT_EQ(out, "\"\"");
}

// schemaAndValueForByteaBytes: E'\\001\\002\\003'::bytea -> bytes {1, 2, 3}.
TEST_F(ValueConverterTest, Bytea) {
  EXPECT_EQ(Schema(pg_oid::kBytea), R"({"type":"bytes","optional":true,"field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kBytea, "\\x010203"), "\"AQID\"");
  EXPECT_EQ(Convert(pg_oid::kBytea, "\\x000102"), "\"AAEC\"");
  EXPECT_EQ(Convert(pg_oid::kBytea, "\\x"), "\"\"");
}

// PostgresValueConverter.schemaBuilder returns null for these (explicitly
// for money[] name[] interval[] varbit[] xml[] point[] refcursor[]; JDBC type
// OTHER / DISTINCT / STRUCT for the rest, arrays of domains included):
// Debezium leaves such columns out.
TEST_F(ValueConverterTest, TypesWithoutSchemaAreLeftOut) {
  constexpr uint32_t kUnsupported[] = {
      603,   // box
      718,   // circle
      628,   // line
      601,   // lseg
      602,   // path
      604,   // polygon
      791,   // money[]
      1003,  // name[]
      1187,  // interval[]
      1563,  // varbit[]
      143,   // xml[]
      1017,  // point[]
      1790,  // refcursor
      2201,  // refcursor[]
      3220,  // pg_lsn
      3615,  // tsquery
      4072,  // jsonpath
      4451,  // int4multirange
      28,    // xid
  };
  for (uint32_t oid : kUnsupported) {
    EXPECT_FALSE(MakeColumnCodec(Column(oid)).included) << oid;
  }
  schema::ColumnSchema domain_array = Column(16390);
  domain_array.type_name = "_posint";
  EXPECT_FALSE(MakeColumnCodec(domain_array).included);
  EXPECT_EQ(MakeColumnCodec(domain_array).type_name, "_posint");
  schema::ColumnSchema composite = Column(16395);
  composite.type_name = "pair";
  EXPECT_FALSE(MakeColumnCodec(composite).included);

  EXPECT_TRUE(MakeColumnCodec(Column(pg_oid::kInet)).included);
  EXPECT_TRUE(MakeColumnCodec(Column(pg_oid::kName)).included);
  EXPECT_TRUE(MakeColumnCodec(Column(pg_oid::kXml)).included);
  EXPECT_TRUE(MakeColumnCodec(Column(pg_oid::kTextArray)).included);
}

// bit(n)[]: schemaBuilder's case BIT_ARRAY gives bit(n)'s schema, and the
// array value never converts into it: null in an optional column
// (conformance probe: Debezium warns "Failed to read value of array").
TEST_F(ValueConverterTest, BitArrayHasBitSchemaAndNoValue) {
  EXPECT_EQ(Schema(pg_oid::kBitArray, 3),
            R"({"type":"bytes","optional":true,"name":"io.debezium.data.Bits","version":1,)"
            R"("parameters":{"length":"3"},"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kBitArray, 1), R"({"type":"boolean","optional":true,"field":"c"})");
  EXPECT_THAT(Convert(pg_oid::kBitArray, "{101,010}", 3), HasSubstr("FAILED_PRECONDITION"));
}

// TypeRegistry recognizes extension types by name, in any schema.
TEST_F(ValueConverterTest, ExtensionTypesByName) {
  schema::ColumnSchema citext = Column(16400);
  citext.type_name = "citext";
  ColumnCodec codec = MakeColumnCodec(citext);
  EXPECT_TRUE(codec.included);
  EXPECT_EQ(codec.type_name, "citext");
  EXPECT_EQ(SchemaJson(codec.schema), R"({"type":"string","optional":true})");

  schema::ColumnSchema citext_array = Column(16405);
  citext_array.type_name = "_citext";
  codec = MakeColumnCodec(citext_array);
  EXPECT_EQ(SchemaJson(codec.schema),
            R"({"type":"array","items":{"type":"string","optional":true},"optional":true})");
  std::string out;
  JsonWriter w(&out);
  ASSERT_TRUE(converter_.AppendValue(codec, R"({MiXeD,NULL,"a b"})", &w).ok());
  EXPECT_EQ(out, R"(["MiXeD",null,"a b"])");

  schema::ColumnSchema ltree = Column(16410);
  ltree.type_name = "ltree";
  EXPECT_EQ(SchemaJson(MakeColumnCodec(ltree).schema),
            R"({"type":"string","optional":true,"name":"io.debezium.data.Ltree","version":1})");

  // Without catalog facts (no type name) an extension type is not known.
  EXPECT_FALSE(MakeColumnCodec(Column(16400)).included);
}

// tsvector: io.debezium.data.Tsvector (the LOGICAL_NAME's spelling), the text.
// tsvector[] goes through arrayElementSchema: the element schema as built,
// not optional.
TEST_F(ValueConverterTest, Tsvector) {
  EXPECT_EQ(Schema(pg_oid::kTsvector),
            R"({"type":"string","optional":true,"name":"io.debezium.data.Tsvector",)"
            R"("version":1,"field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kTsvector, "'fat':2 'rat':3"), R"("'fat':2 'rat':3")");
  EXPECT_EQ(Schema(pg_oid::kTsvectorArray),
            R"({"type":"array","items":{"type":"string","optional":false,)"
            R"("name":"io.debezium.data.Tsvector","version":1},"optional":true,"field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kTsvectorArray, R"({"'a' 'b'",'c'})"), R"(["'a' 'b'","'c'"])");
}

// Point.builder() and Point.createValue: x, y, little-endian WKB of the
// point (1, 1, x, y), srid null; NOT NULL fallback Point(0, 0).
TEST_F(ValueConverterTest, Point) {
  EXPECT_EQ(Schema(pg_oid::kPoint),
            R"({"type":"struct","fields":[{"type":"double","optional":false,"field":"x"},)"
            R"({"type":"double","optional":false,"field":"y"},)"
            R"({"type":"bytes","optional":true,"field":"wkb"},)"
            R"({"type":"int32","optional":true,"field":"srid"}],"optional":true,)"
            R"j("name":"io.debezium.data.geometry.Point","version":1,"doc":"Geometry (POINT)",)j"
            R"("field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kPoint, "(1,2)"),
            R"({"x":1.0,"y":2.0,"wkb":"AQEAAAAAAAAAAADwPwAAAAAAAABA","srid":null})");
  EXPECT_EQ(Convert(pg_oid::kPoint, "(-1.5,1e+20)"),
            R"({"x":-1.5,"y":1.0E20,"wkb":"AQEAAAAAAAAAAAD4v0CMtXgdrxVE","srid":null})");
  EXPECT_EQ(Missing(pg_oid::kPoint),
            R"({"x":0.0,"y":0.0,"wkb":"AQEAAAAAAAAAAAAAAAAAAAAAAAAA","srid":null})");
  EXPECT_THAT(Convert(pg_oid::kPoint, "(1;2)"), HasSubstr("malformed point"));
}

// hstore: HStoreConverter.fromString fills a java.util.HashMap, so entries
// come in bucket order ("a" hashes to 97, bucket 1; "b" to 98, bucket 2),
// not in the text's order.
TEST_F(ValueConverterTest, HstoreJsonAndMap) {
  schema::ColumnSchema column = Column(16420);
  column.type_name = "hstore";
  ColumnCodec json = MakeColumnCodec(column);
  EXPECT_EQ(SchemaJson(json.schema),
            R"({"type":"string","optional":true,"name":"io.debezium.data.Json","version":1})");
  TypeModes map_mode;
  map_mode.hstore = HStoreHandlingMode::kMap;
  ColumnCodec map = MakeColumnCodec(column, map_mode);
  EXPECT_EQ(SchemaJson(map.schema),
            R"({"type":"map","keys":{"type":"string","optional":false},)"
            R"("values":{"type":"string","optional":true},"optional":true})");

  auto convert = [this](const ColumnCodec& codec, std::string_view text) {
    std::string out;
    JsonWriter w(&out);
    absl::Status s = converter_.AppendValue(codec, text, &w);
    return s.ok() ? out : "error: " + s.ToString();
  };
  EXPECT_EQ(convert(json, R"("b"=>"2", "a"=>"1", "n"=>NULL)"),
            R"("{\"a\":\"1\",\"b\":\"2\",\"n\":null}")");
  EXPECT_EQ(convert(map, R"("b"=>"2", "a"=>"1", "n"=>NULL)"), R"({"a":"1","b":"2","n":null})");
  EXPECT_EQ(convert(json, ""), R"("{}")");
  // Escapes: the inner JSON escapes `"` and `\`, then the string is escaped
  // again; a supplementary character stays raw inside, so only the outer
  // level writes it as escaped surrogates.
  EXPECT_EQ(convert(json, "\"q\\\"x\"=>\"b\\\\s\xF0\x9F\x98\x80\""),
            R"("{\"q\\\"x\":\"b\\\\s\uD83D\uDE00\"}")");
  EXPECT_EQ(convert(map, "\"q\\\"x\"=>\"b\\\\s\""), R"({"q\"x":"b\\s"})");
  EXPECT_THAT(convert(json, R"("a"="1")"), HasSubstr("malformed hstore"));

  std::string out;
  JsonWriter w(&out);
  ASSERT_TRUE(converter_.AppendUnchangedToast(json, "__p", &w).ok());
  EXPECT_EQ(out, R"("{\"__p\":\"__p\"}")");
  out.clear();
  ASSERT_TRUE(converter_.AppendUnchangedToast(map, "__p", &w).ok());
  EXPECT_EQ(out, R"({"__p":"__p"})");
}

TEST_F(ValueConverterTest, MissingValues) {
  EXPECT_EQ(Missing(pg_oid::kInt4, -1, /*optional=*/true), "null");
  EXPECT_EQ(Missing(pg_oid::kNumeric, NumericTypmod(3, 2), true), "null");
  // NOT NULL: JdbcValueConverters' fallbacks.
  EXPECT_EQ(Missing(pg_oid::kBool), "false");
  EXPECT_EQ(Missing(pg_oid::kInt2), "0");
  EXPECT_EQ(Missing(pg_oid::kInt4), "0");
  EXPECT_EQ(Missing(pg_oid::kInt8), "0");
  EXPECT_EQ(Missing(pg_oid::kFloat4), "0.0");
  EXPECT_EQ(Missing(pg_oid::kFloat8), "0.0");
  EXPECT_EQ(Missing(pg_oid::kNumeric, NumericTypmod(3, 2)), "\"AA==\"");
  EXPECT_EQ(Missing(pg_oid::kNumeric), R"({"scale":0,"value":"AA=="})");
  EXPECT_EQ(Missing(pg_oid::kText), "\"\"");
  EXPECT_EQ(Missing(pg_oid::kUuid), "\"\"");
  EXPECT_EQ(Missing(pg_oid::kJsonb), "\"\"");
  EXPECT_EQ(Missing(pg_oid::kBytea), "\"\"");
  EXPECT_EQ(Missing(pg_oid::kDate), "0");
  EXPECT_EQ(Missing(pg_oid::kTimestamp), "0");
  EXPECT_EQ(Missing(pg_oid::kTimestamp, 3), "0");
  EXPECT_EQ(Missing(pg_oid::kTimestampTz), "\"1970-01-01T00:00:00Z\"");
  // Conformance case types_delete_fallbacks (Debezium's output).
  EXPECT_EQ(Missing(pg_oid::kTime, 3), "0");
  EXPECT_EQ(Missing(pg_oid::kTimeTz), "\"00:00:00Z\"");
  EXPECT_EQ(Missing(pg_oid::kInterval), "0");
  EXPECT_EQ(Missing(pg_oid::kMoney), "\"AA==\"");
  EXPECT_EQ(Missing(pg_oid::kBit, 1), "false");
  EXPECT_EQ(Missing(pg_oid::kBit, 8), "\"\"");
  EXPECT_EQ(Missing(pg_oid::kVarbit), "\"\"");
  EXPECT_EQ(Missing(pg_oid::kTextArray), "[]");
  EXPECT_EQ(Missing(pg_oid::kXml), "\"\"");
}

TEST_F(ValueConverterTest, UnchangedToastPlaceholder) {
  auto toast = [&](uint32_t oid, int32_t typmod = -1) {
    std::string out;
    JsonWriter w(&out);
    absl::Status s = converter_.AppendUnchangedToast(MakeColumnCodec(Column(oid, typmod)),
                                                     kDefaultUnavailablePlaceholder, &w);
    return s.ok() ? out : "error: " + s.ToString();
  };
  EXPECT_EQ(toast(pg_oid::kText), "\"__debezium_unavailable_value\"");
  EXPECT_EQ(toast(pg_oid::kVarchar), "\"__debezium_unavailable_value\"");
  EXPECT_EQ(toast(pg_oid::kJsonb), "\"__debezium_unavailable_value\"");
  EXPECT_EQ(toast(pg_oid::kBytea), "\"X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==\"");
  EXPECT_THAT(toast(pg_oid::kNumeric, NumericTypmod(10, 2)), HasSubstr("FAILED_PRECONDITION"));
}

// Arrays: UnchangedToastedReplicationMessageColumn by type name, values from
// UnchangedToastedPlaceholder: a list of the string for text-like and json
// arrays, of the bytes for bytea[], the bytes as numbers for int4[] / date[]
// / int8[], UUID.nameUUIDFromBytes for uuid[]; other arrays get the string,
// which their schema refuses (the field stays null). Values as in the
// conformance case types_unchanged_toast_arrays.
TEST_F(ValueConverterTest, UnchangedToastPlaceholderInArrays) {
  auto toast = [&](uint32_t oid, std::string_view placeholder = kDefaultUnavailablePlaceholder) {
    std::string out;
    JsonWriter w(&out);
    absl::Status s =
        converter_.AppendUnchangedToast(MakeColumnCodec(Column(oid)), placeholder, &w);
    return s.ok() ? out : "error: " + s.ToString();
  };
  EXPECT_EQ(toast(pg_oid::kTextArray), R"(["__debezium_unavailable_value"])");
  EXPECT_EQ(toast(pg_oid::kVarcharArray), R"(["__debezium_unavailable_value"])");
  EXPECT_EQ(toast(pg_oid::kBpcharArray), R"(["__debezium_unavailable_value"])");
  EXPECT_EQ(toast(pg_oid::kJsonbArray), R"(["__debezium_unavailable_value"])");
  EXPECT_EQ(toast(pg_oid::kByteaArray), R"(["X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ=="])");
  const char* bytes =
      "[95,95,100,101,98,101,122,105,117,109,95,117,110,97,118,97,105,108,97,98,108,101,95,118,"
      "97,108,117,101]";
  EXPECT_EQ(toast(pg_oid::kInt4Array), bytes);
  EXPECT_EQ(toast(pg_oid::kInt8Array), bytes);
  EXPECT_EQ(toast(pg_oid::kDateArray), bytes);
  EXPECT_EQ(toast(pg_oid::kInt4Array, "\xC3\xA9"), "[-61,-87]");  // Java bytes are signed.
  EXPECT_EQ(toast(pg_oid::kUuidArray), R"(["b68a35a7-17ad-35b3-af2a-ae46edb4545a"])");
  EXPECT_THAT(toast(pg_oid::kNumericArray), HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(toast(pg_oid::kInetArray), HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(toast(pg_oid::kInt2Array), HasSubstr("FAILED_PRECONDITION"));
}


// The types and handling modes below: expected values are Debezium 3.6.1's
// output in the conformance runs (tests/conformance/cases/types_* and
// *_mode_*), not this encoder's.

std::string ConvertWith(const TypeModes& modes, uint32_t oid, std::string_view text,
                        int32_t typmod = -1) {
  ColumnCodec codec = MakeColumnCodec(Column(oid, typmod), modes);
  ValueConverter converter;
  std::string out;
  JsonWriter w(&out);
  absl::Status s = converter.AppendValue(codec, text, &w);
  if (!s.ok()) return "error: " + s.ToString();
  return out;
}

std::string SchemaWith(const TypeModes& modes, uint32_t oid, int32_t typmod = -1) {
  std::string out;
  AppendSchemaJson(MakeColumnCodec(Column(oid, typmod), modes).schema, "c", &out);
  return out;
}

std::string MissingWith(const TypeModes& modes, uint32_t oid, int32_t typmod = -1) {
  ColumnCodec codec = MakeColumnCodec(Column(oid, typmod, /*optional=*/false), modes);
  ValueConverter converter;
  std::string out;
  JsonWriter w(&out);
  converter.AppendMissing(codec, &w);
  return out;
}

TEST_F(ValueConverterTest, TimeIsMicroTimeOrTimeByPrecision) {
  EXPECT_EQ(Schema(pg_oid::kTime),
            R"({"type":"int64","optional":true,"name":"io.debezium.time.MicroTime","version":1,"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kTime, 3),
            R"({"type":"int32","optional":true,"name":"io.debezium.time.Time","version":1,"field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kTime, "10:11:12.123456"), "36672123456");
  EXPECT_EQ(Convert(pg_oid::kTime, "24:00:00"), "86400000000");
  EXPECT_EQ(Convert(pg_oid::kTime, "23:59:59.999999", 6), "86399999999");
  EXPECT_EQ(Convert(pg_oid::kTime, "10:11:12.123", 3), "36672123");
  EXPECT_EQ(Convert(pg_oid::kTime, "24:00:00", 3), "86400000");
  EXPECT_EQ(Convert(pg_oid::kTime, "00:00:00.5", 3), "500");
  EXPECT_THAT(Convert(pg_oid::kTime, "24:00:01"), HasSubstr("malformed time"));
  EXPECT_EQ(Missing(pg_oid::kTime), "0");
}

TEST_F(ValueConverterTest, TimeTzIsZonedTimeInUtc) {
  EXPECT_EQ(Schema(pg_oid::kTimeTz),
            R"({"type":"string","optional":true,"name":"io.debezium.time.ZonedTime","version":1,"field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kTimeTz, "11:51:30.123789+02"), "\"09:51:30.123789Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimeTz, "00:00:00-05:30"), "\"05:30:00Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimeTz, "23:59:59.999+00"), "\"23:59:59.999Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimeTz, "13:14:15+14"), "\"23:14:15Z\"");
}

TEST_F(ValueConverterTest, IntervalIsMicroDurationWithAverageMonths) {
  EXPECT_EQ(Schema(pg_oid::kInterval),
            R"({"type":"int64","optional":true,"name":"io.debezium.time.MicroDuration","version":1,"field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kInterval, "1 year 2 mons 3 days 04:05:06.78"), "37091106780000");
  EXPECT_EQ(Convert(pg_oid::kInterval, "-1 days -02:03:04"), "-93784000000");
  EXPECT_EQ(Convert(pg_oid::kInterval, "00:00:00"), "0");
  EXPECT_EQ(Convert(pg_oid::kInterval, "-1 years -1 mons"), "-34187400000000");
  EXPECT_EQ(Convert(pg_oid::kInterval, "-1 years -1 mons -3 days"), "-34446600000000");
  // Double arithmetic, as MicroDuration.durationMicros does it.
  EXPECT_EQ(Convert(pg_oid::kInterval, "100 years 11 mons 30 days 23:59:59.999999"),
            "3187366199999999");
  EXPECT_EQ(Missing(pg_oid::kInterval), "0");
}

TEST_F(ValueConverterTest, IntervalStringMode) {
  TypeModes modes;
  modes.interval = IntervalHandlingMode::kString;
  EXPECT_EQ(SchemaWith(modes, pg_oid::kInterval),
            R"({"type":"string","optional":true,"name":"io.debezium.time.Interval","version":1,"field":"c"})");
  EXPECT_EQ(ConvertWith(modes, pg_oid::kInterval, "1 year 2 mons 3 days 04:05:06.78"),
            "\"P1Y2M3DT4H5M6.78S\"");
  EXPECT_EQ(ConvertWith(modes, pg_oid::kInterval, "-1 days -02:03:04"), "\"P0Y0M-1DT-2H-3M-4S\"");
  EXPECT_EQ(ConvertWith(modes, pg_oid::kInterval, "00:00:00"), "\"P0Y0M0DT0H0M0S\"");
  EXPECT_EQ(ConvertWith(modes, pg_oid::kInterval, "-1 years -1 mons -3 days"),
            "\"P-1Y-1M-3DT0H0M0S\"");
  // Double.toString writes 1.0E-6; BigDecimal.toPlainString does not.
  EXPECT_EQ(ConvertWith(modes, pg_oid::kInterval, "00:00:00.000001"),
            "\"P0Y0M0DT0H0M0.000001S\"");
  EXPECT_EQ(ConvertWith(modes, pg_oid::kInterval, "1 day 02:00:00.5"), "\"P0Y0M1DT2H0M0.5S\"");
}

TEST_F(ValueConverterTest, MoneyIsDecimalAtScaleTwo) {
  EXPECT_EQ(Schema(pg_oid::kMoney),
            R"({"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kMoney, "$12.34"), "\"BNI=\"");
  EXPECT_EQ(Convert(pg_oid::kMoney, "-$1,234,567.89"), "\"+KQy6w==\"");
  EXPECT_EQ(Convert(pg_oid::kMoney, "$0.00"), "\"AA==\"");
  EXPECT_EQ(Convert(pg_oid::kMoney, "$92,233,720,368,547,758.07"), "\"f/////////8=\"");
  EXPECT_EQ(Convert(pg_oid::kMoney, "-$5.00"), "\"/gw=\"");
}

TEST_F(ValueConverterTest, BitsAreLittleEndianBytesAndBitOneIsBoolean) {
  EXPECT_EQ(Schema(pg_oid::kBit, 1), R"({"type":"boolean","optional":true,"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kBit, 12),
            R"({"type":"bytes","optional":true,"name":"io.debezium.data.Bits","version":1,"parameters":{"length":"12"},"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kVarbit),
            R"({"type":"bytes","optional":true,"name":"io.debezium.data.Bits","version":1,"parameters":{"length":"2147483647"},"field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kBit, "1", 1), "true");
  EXPECT_EQ(Convert(pg_oid::kBit, "0", 1), "false");
  EXPECT_EQ(Convert(pg_oid::kBit, "10101010", 8), "\"qg==\"");
  EXPECT_EQ(Convert(pg_oid::kBit, "100000000001", 12), "\"AQg=\"");
  EXPECT_EQ(Convert(pg_oid::kBit, "000000000000", 12), "\"\"");
  EXPECT_EQ(Convert(pg_oid::kBit, "111111111111", 12), "\"/w8=\"");
  EXPECT_EQ(Convert(pg_oid::kBit, "010000000000", 12), "\"AAQ=\"");
  EXPECT_EQ(Convert(pg_oid::kVarbit, "1111111110000000011"), "\"A/wH\"");
  EXPECT_EQ(Convert(pg_oid::kVarbit, ""), "\"\"");
  EXPECT_EQ(Convert(pg_oid::kVarbit, "1", 5), "\"AQ==\"");
}

TEST_F(ValueConverterTest, OneDimensionalArrays) {
  EXPECT_EQ(Schema(pg_oid::kInt4Array),
            R"({"type":"array","items":{"type":"int32","optional":true},"optional":true,"field":"c"})");
  EXPECT_EQ(Schema(pg_oid::kNumericArray, NumericTypmod(6, 2)),
            R"({"type":"array","items":{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"6"}},"optional":true,"field":"c"})");
  EXPECT_EQ(Convert(pg_oid::kInt4Array, "{1,2,3}"), "[1,2,3]");
  EXPECT_EQ(Convert(pg_oid::kInt4Array, "{}"), "[]");
  EXPECT_EQ(Convert(pg_oid::kInt4Array, "{1,NULL,3}"), "[1,null,3]");
  EXPECT_EQ(Convert(pg_oid::kTextArray, R"({a,"b c","with \"quote\"",""})"),
            R"(["a","b c","with \"quote\"",""])");
  EXPECT_EQ(Convert(pg_oid::kTextArray, R"({NULL,"NULL",x})"), R"([null,"NULL","x"])");
  EXPECT_EQ(Convert(pg_oid::kNumericArray, "{1.5,22.2222}"),
            R"([{"scale":1,"value":"Dw=="},{"scale":4,"value":"A2QO"}])");
  EXPECT_EQ(Convert(pg_oid::kNumericArray, "{1.50,2.00}", NumericTypmod(6, 2)),
            R"(["AJY=","AMg="])");
  EXPECT_EQ(Convert(pg_oid::kDateArray, "{2026-11-25,1970-01-01}"), "[20782,0]");
  EXPECT_EQ(Convert(pg_oid::kBoolArray, "{NULL,t}"), "[null,true]");
  EXPECT_EQ(Missing(pg_oid::kInt4Array), "[]");
}

TEST_F(ValueConverterTest, EnumCarriesItsLabels) {
  schema::ColumnSchema c = Column(70001);
  c.is_enum = true;
  c.enum_labels = "sad,ok,happy";
  std::string schema;
  AppendSchemaJson(MakeColumnCodec(c).schema, "c", &schema);
  EXPECT_EQ(schema,
            R"({"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"sad,ok,happy"},"field":"c"})");
  std::string out;
  JsonWriter w(&out);
  ASSERT_TRUE(converter_.AppendValue(MakeColumnCodec(c), "happy", &w).ok());
  EXPECT_EQ(out, "\"happy\"");
}

TEST_F(ValueConverterTest, DecimalStringAndDoubleModes) {
  TypeModes string_mode;
  string_mode.decimal = DecimalHandlingMode::kString;
  EXPECT_EQ(SchemaWith(string_mode, pg_oid::kNumeric),
            R"({"type":"string","optional":true,"field":"c"})");
  EXPECT_EQ(ConvertWith(string_mode, pg_oid::kNumeric, "22.2222"), "\"22.2222\"");
  EXPECT_EQ(ConvertWith(string_mode, pg_oid::kNumeric, "NaN"), "\"NAN\"");
  EXPECT_EQ(ConvertWith(string_mode, pg_oid::kNumeric, "-0.000100"), "\"-0.000100\"");
  EXPECT_EQ(ConvertWith(string_mode, pg_oid::kMoney, "-$5.00"), "\"-5.00\"");
  EXPECT_EQ(MissingWith(string_mode, pg_oid::kNumeric, NumericTypmod(5, 2)), "\"0.00\"");
  EXPECT_EQ(MissingWith(string_mode, pg_oid::kNumeric), "\"0\"");
  // numeric(5,-2): PgJDBC's scale is (typmod - 4) & 0xFFFF = 2046, and
  // setScale(2046) pads the plain string (conformance numeric_extremes_string).
  constexpr int32_t kScaleMinus2 = ((5 << 16) | (-2 & 0x7FF)) + 4;
  EXPECT_EQ(ConvertWith(string_mode, pg_oid::kNumeric, "-100", kScaleMinus2),
            "\"-100." + std::string(2046, '0') + "\"");
  EXPECT_EQ(ConvertWith(string_mode, pg_oid::kNumeric, "1.50", NumericTypmod(5, 2)), "\"1.50\"");

  TypeModes double_mode;
  double_mode.decimal = DecimalHandlingMode::kDouble;
  EXPECT_EQ(SchemaWith(double_mode, pg_oid::kMoney),
            R"({"type":"double","optional":true,"field":"c"})");
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kNumeric, "22.2222"), "22.2222");
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kNumeric, "NaN"), "\"NaN\"");
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kNumeric, "12.50", NumericTypmod(12, 2)), "12.5");
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kMoney, "-$5.00"), "-5.0");
}

// numeric_double_beyond_double_range: numeric holds numbers a double cannot;
// BigDecimal.doubleValue() gives +-Infinity above the range and +-0.0 below
// it (conformance case numeric_extremes_double), never an error.
TEST_F(ValueConverterTest, DecimalDoubleModeBeyondDoubleRange) {
  TypeModes double_mode;
  double_mode.decimal = DecimalHandlingMode::kDouble;
  const std::string huge = "9" + std::string(998, '8') + "7";
  const std::string tiny = "0." + std::string(999, '0') + "1";
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kNumeric, huge), "\"Infinity\"");
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kNumeric, "-" + huge), "\"-Infinity\"");
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kNumeric, tiny), "0.0");
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kNumeric, "-" + tiny), "-0.0");
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kNumeric, "17976931348623157" + std::string(292, '0')),
            "1.7976931348623157E308");
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kNumeric, "18" + std::string(307, '0')),
            "\"Infinity\"");
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kNumeric, "0." + std::string(323, '0') + "49"),
            "4.9E-324");
  EXPECT_EQ(ConvertWith(double_mode, pg_oid::kNumeric, "0." + std::string(323, '0') + "1"),
            "0.0");
  EXPECT_THAT(ConvertWith(double_mode, pg_oid::kNumeric, "1e5"), HasSubstr("malformed"));
}

TEST_F(ValueConverterTest, TimePrecisionModes) {
  TypeModes connect;
  connect.time = TimePrecisionMode::kConnect;
  EXPECT_EQ(SchemaWith(connect, pg_oid::kTime),
            R"({"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Time","version":1,"field":"c"})");
  EXPECT_EQ(SchemaWith(connect, pg_oid::kDate),
            R"({"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","version":1,"field":"c"})");
  EXPECT_EQ(SchemaWith(connect, pg_oid::kTimestamp),
            R"({"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"c"})");
  EXPECT_EQ(ConvertWith(connect, pg_oid::kTime, "10:11:12.123456"), "36672123");
  EXPECT_EQ(ConvertWith(connect, pg_oid::kTime, "24:00:00"), "86400000");
  EXPECT_EQ(ConvertWith(connect, pg_oid::kTimestamp, "2026-11-25 10:11:12.123456"),
            "1795601472123");
  EXPECT_EQ(ConvertWith(connect, pg_oid::kTimestamp, "1969-12-31 23:59:59.999999"), "-1");

  TypeModes micros;
  micros.time = TimePrecisionMode::kAdaptiveTimeMicroseconds;
  EXPECT_EQ(SchemaWith(micros, pg_oid::kTime, 3),
            R"({"type":"int64","optional":true,"name":"io.debezium.time.MicroTime","version":1,"field":"c"})");
  EXPECT_EQ(ConvertWith(micros, pg_oid::kTime, "10:11:12.123", 3), "36672123000");
  EXPECT_EQ(SchemaWith(micros, pg_oid::kTimestamp, 3),
            R"({"type":"int64","optional":true,"name":"io.debezium.time.Timestamp","version":1,"field":"c"})");
}

TEST_F(ValueConverterTest, BinaryHandlingModes) {
  TypeModes hex;
  hex.binary = BinaryHandlingMode::kHex;
  EXPECT_EQ(SchemaWith(hex, pg_oid::kBytea), R"({"type":"string","optional":true,"field":"c"})");
  EXPECT_EQ(ConvertWith(hex, pg_oid::kBytea, "\\xdeadbeef00fb"), "\"deadbeef00fb\"");
  EXPECT_EQ(ConvertWith(hex, pg_oid::kBytea, "\\x"), "\"\"");

  TypeModes base64;
  base64.binary = BinaryHandlingMode::kBase64;
  EXPECT_EQ(SchemaWith(base64, pg_oid::kBytea),
            R"({"type":"string","optional":true,"field":"c"})");
  EXPECT_EQ(ConvertWith(base64, pg_oid::kBytea, "\\xfbff3e3f00"), "\"+/8+PwA=\"");

  TypeModes url;
  url.binary = BinaryHandlingMode::kBase64UrlSafe;
  EXPECT_EQ(ConvertWith(url, pg_oid::kBytea, "\\xfbff3e3f00"), "\"-_8-PwA=\"");
}

// Conformance case types_enum_arrays.
TEST_F(ValueConverterTest, EnumArraysHaveRequiredElements) {
  schema::ColumnSchema c = Column(70002);
  c.is_enum_array = true;
  c.enum_labels = "sad,ok,happy";
  ColumnCodec codec = MakeColumnCodec(c);
  std::string schema;
  AppendSchemaJson(codec.schema, "c", &schema);
  EXPECT_EQ(schema,
            R"({"type":"array","items":{"type":"string","optional":false,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"sad,ok,happy"}},"optional":true,"field":"c"})");
  std::string out;
  JsonWriter w(&out);
  ASSERT_TRUE(converter_.AppendValue(codec, "{sad,happy}", &w).ok());
  EXPECT_EQ(out, R"(["sad","happy"])");
  EXPECT_EQ(converter_.AppendValue(codec, "{NULL,ok}", &w).code(),
            absl::StatusCode::kFailedPrecondition);
}

// Conformance case column_defaults (Debezium's schema "default" values).
TEST_F(ValueConverterTest, ColumnDefaultsAsDebeziumParsesThem) {
  auto with_default = [](uint32_t oid, std::string expr, int32_t typmod = -1) {
    schema::ColumnSchema c = Column(oid, typmod);
    c.has_default = true;
    c.default_expression = std::move(expr);
    return MakeColumnCodec(c).default_json;
  };
  EXPECT_EQ(with_default(pg_oid::kInt4, "42"), "42");
  EXPECT_EQ(with_default(pg_oid::kInt4, "nextval('d_id_seq'::regclass)"), "0");
  EXPECT_EQ(with_default(pg_oid::kInt8, "'-1'::integer"), "-1");
  EXPECT_EQ(with_default(pg_oid::kText, "'new'::text"), "\"new\"");
  EXPECT_EQ(with_default(pg_oid::kVarchar, "'x''y'::character varying"), "\"x\"");
  EXPECT_EQ(with_default(pg_oid::kText, "upper('x'::text)"), "\"\"");
  EXPECT_EQ(with_default(pg_oid::kText, "NULL::text"), "");
  EXPECT_EQ(with_default(pg_oid::kBool, "true"), "true");
  EXPECT_EQ(with_default(pg_oid::kNumeric, "1.5", NumericTypmod(5, 2)), "\"AJY=\"");
  EXPECT_EQ(with_default(pg_oid::kNumeric, "2.25"), "");  // VariableScaleDecimal: none.
  EXPECT_EQ(with_default(pg_oid::kFloat8, "'NaN'::double precision"), "\"NaN\"");
  EXPECT_EQ(with_default(pg_oid::kDate, "'2026-01-02'::date"), "20455");
  EXPECT_EQ(with_default(pg_oid::kDate, "CURRENT_DATE"), "0");
  EXPECT_EQ(with_default(pg_oid::kTimestamp, "'2026-01-02 03:04:05'::timestamp without time zone"),
            "1767323045000000");
  EXPECT_EQ(with_default(pg_oid::kTimestampTz, "now()"), "\"1970-01-01T00:00:00.000000Z\"");
  EXPECT_EQ(with_default(pg_oid::kTime, "'10:11:12'::time without time zone"), "36672000000");
  EXPECT_EQ(with_default(pg_oid::kUuid, "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid"),
            "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"");
  EXPECT_EQ(with_default(pg_oid::kInterval, "'1 day'::interval"), "86400000000");
  EXPECT_EQ(with_default(pg_oid::kBit, "B'1'::\"bit\"", 1), "true");
  EXPECT_EQ(with_default(pg_oid::kInet, "'127.0.0.1'::inet"), "");  // No mapper.

  schema::ColumnSchema c = Column(pg_oid::kInt4);
  c.has_default = true;
  c.default_expression = "42";
  ColumnCodec codec = MakeColumnCodec(c);
  std::string schema;
  AppendSchemaJson(codec.schema, "c", &schema);
  EXPECT_EQ(schema, R"({"type":"int32","optional":true,"default":42,"field":"c"})");
  std::string out;
  JsonWriter w(&out);
  converter_.AppendMissing(codec, &w);  // JsonConverter: null -> the default.
  EXPECT_EQ(out, "42");
}

}  // namespace
}  // namespace trackops::event

namespace trackops::event {
namespace {

// timestamptz texts at offset +00 take a fast path (the digits rearranged);
// the same instant written "+00:00" takes the general one. Both must agree,
// valid or not, for every precision.
TEST_F(ValueConverterTest, UtcTimestampFastPathMatchesGeneralPath) {
  const char* texts[] = {
      "2024-03-01 10:00:37+00",        "2024-03-01 10:00:37.5+00",
      "2024-03-01 10:00:37.123456+00", "2024-03-01 10:00:37.000001+00",
      "2024-03-01 10:00:37.05+00",     "2024-02-29 23:59:59.999999+00",
      "2023-02-29 00:00:00+00",        "2100-02-29 00:00:00+00",
      "2000-02-29 00:00:00+00",        "2024-04-31 00:00:00+00",
      "2024-12-31 23:59:59+00",        "2024-13-01 00:00:00+00",
      "2024-00-10 00:00:00+00",        "2024-01-00 00:00:00+00",
      "0001-01-01 00:00:00+00",        "0999-06-15 12:30:00+00",
      "9999-12-31 23:59:59.999999+00", "1969-12-31 23:59:59.9+00",
      "1970-01-01 00:00:00+00",        "2024-03-01 24:00:00+00",
      "2024-03-01 23:60:00+00",        "2024-03-01 23:00:60+00",
      "2024-03-01 10:00:37.+00",       "2024-03-01 10:00:37.1234567+00",
  };
  for (int32_t typmod : {-1, 0, 1, 3, 6}) {
    for (const char* text : texts) {
      const std::string general = std::string(text) + ":00";
      EXPECT_EQ(Convert(pg_oid::kTimestampTz, text, typmod),
                Convert(pg_oid::kTimestampTz, general, typmod))
          << text << " typmod " << typmod;
    }
  }
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "2024-03-01 10:00:37.5+00", 3),
            "\"2024-03-01T10:00:37.500Z\"");
  EXPECT_EQ(Convert(pg_oid::kTimestampTz, "2024-03-01 10:00:37.050+00"),
            "\"2024-03-01T10:00:37.050000Z\"");
}

// numeric(p,s) texts with at most s fraction digits and 18 digits take a
// fast path; padded with zeros beyond the scale, the general one.
TEST_F(ValueConverterTest, SmallDecimalFastPathMatchesGeneralPath) {
  auto padded = [](std::string text, int scale) {
    const size_t point = text.find('.');
    const int fraction = point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
    if (point == std::string::npos) text.push_back('.');
    return text + std::string(static_cast<size_t>(scale + 1 - fraction), '0');
  };
  struct Case {
    int precision, scale;
    const char* text;
  };
  const Case cases[] = {
      {12, 2, "0"},
      {12, 2, "-0.00"},
      {12, 2, "7.31"},
      {12, 2, "-7.31"},
      {12, 2, "9999999999.99"},
      {12, 2, "-9999999999.99"},
      {12, 2, "0.01"},
      {12, 2, "-0.01"},
      {12, 2, "127"},
      {12, 2, "1.28"},
      {12, 2, "-1.28"},
      {12, 2, "-1.29"},
      {12, 2, "327.675"},
      {12, 2, "00012.30"},
      {12, 2, "12.3"},
      {20, 2, "9999999999999999.99"},
      {20, 2, "-9999999999999999.99"},
      {20, 2, "99999999999999999.99"},
      {18, 0, "922337203685477580"},
      {18, 0, "-128"},
      {10, 4, "-0.0001"},
      {12, 2, "-"},
      {12, 2, ".5"},
      {12, 2, "1.2.3"},
  };
  for (const Case& c : cases) {
    const int32_t typmod = ((c.precision << 16) | c.scale) + 4;
    EXPECT_EQ(Convert(pg_oid::kNumeric, c.text, typmod),
              Convert(pg_oid::kNumeric, padded(c.text, c.scale), typmod))
        << c.text << " numeric(" << c.precision << "," << c.scale << ")";
  }
  EXPECT_EQ(Convert(pg_oid::kNumeric, "7.31", (12 << 16 | 2) + 4), "\"Ats=\"");
  EXPECT_EQ(Error(pg_oid::kNumeric, "1.", (12 << 16 | 2) + 4).code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace trackops::event
