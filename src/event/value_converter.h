// Per-column conversion of PostgreSQL text values to the JSON Debezium's
// PostgresValueConverter + Kafka's JsonConverter produce, with the Connect
// schema of the column, under the TypeModes given (decimal, time, binary and
// interval handling; include.unknown.datatypes=false).
//
// A ColumnCodec is built once per column of a table schema; a ValueConverter
// (scratch space) converts each value. Adding a type: a ValueKind, a case in
// MakeColumnCodec (schema) and one in ValueConverter::AppendValue (value), plus
// its fallback in AppendMissing. A type Debezium has no schema for gets a codec
// with `included` false: the column is left out of the schema and the payload.

#ifndef TRACKOPS_EVENT_VALUE_CONVERTER_H_
#define TRACKOPS_EVENT_VALUE_CONVERTER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "event/connect_schema.h"
#include "event/decimal_bytes.h"
#include "event/json_writer.h"
#include "schema/table_schema.h"
#include "trackops/config.h"

namespace trackops::event {

// PostgreSQL built-in type OIDs (pg_type.dat) the encoder knows.
namespace pg_oid {
inline constexpr uint32_t kBool = 16;
inline constexpr uint32_t kBytea = 17;
inline constexpr uint32_t kChar = 18;
inline constexpr uint32_t kName = 19;
inline constexpr uint32_t kInt8 = 20;
inline constexpr uint32_t kInt2 = 21;
inline constexpr uint32_t kInt4 = 23;
inline constexpr uint32_t kText = 25;
inline constexpr uint32_t kOid = 26;
inline constexpr uint32_t kJson = 114;
inline constexpr uint32_t kXml = 142;
inline constexpr uint32_t kCidr = 650;
inline constexpr uint32_t kFloat4 = 700;
inline constexpr uint32_t kFloat8 = 701;
inline constexpr uint32_t kMacaddr8 = 774;
inline constexpr uint32_t kMacaddr = 829;
inline constexpr uint32_t kInet = 869;
inline constexpr uint32_t kBpchar = 1042;
inline constexpr uint32_t kVarchar = 1043;
inline constexpr uint32_t kDate = 1082;
inline constexpr uint32_t kTimestamp = 1114;
inline constexpr uint32_t kTimestampTz = 1184;
inline constexpr uint32_t kNumeric = 1700;
inline constexpr uint32_t kUuid = 2950;
inline constexpr uint32_t kJsonb = 3802;
inline constexpr uint32_t kInt4Range = 3904;
inline constexpr uint32_t kNumRange = 3906;
inline constexpr uint32_t kTsRange = 3908;
inline constexpr uint32_t kTsTzRange = 3910;
inline constexpr uint32_t kDateRange = 3912;
inline constexpr uint32_t kInt8Range = 3926;
inline constexpr uint32_t kMoney = 790;
inline constexpr uint32_t kTime = 1083;
inline constexpr uint32_t kInterval = 1186;
inline constexpr uint32_t kTimeTz = 1266;
inline constexpr uint32_t kBit = 1560;
inline constexpr uint32_t kVarbit = 1562;
inline constexpr uint32_t kPoint = 600;
inline constexpr uint32_t kTsvector = 3614;
// Arrays Debezium converts (PostgresValueConverter.schemaBuilder).
inline constexpr uint32_t kBoolArray = 1000;
inline constexpr uint32_t kByteaArray = 1001;
inline constexpr uint32_t kCharArray = 1002;
inline constexpr uint32_t kInt2Array = 1005;
inline constexpr uint32_t kInt4Array = 1007;
inline constexpr uint32_t kTextArray = 1009;
inline constexpr uint32_t kBpcharArray = 1014;
inline constexpr uint32_t kVarcharArray = 1015;
inline constexpr uint32_t kInt8Array = 1016;
inline constexpr uint32_t kFloat4Array = 1021;
inline constexpr uint32_t kFloat8Array = 1022;
inline constexpr uint32_t kOidArray = 1028;
inline constexpr uint32_t kMacaddrArray = 1040;
inline constexpr uint32_t kInetArray = 1041;
inline constexpr uint32_t kCidrArray = 651;
inline constexpr uint32_t kMacaddr8Array = 775;
inline constexpr uint32_t kTimestampArray = 1115;
inline constexpr uint32_t kDateArray = 1182;
inline constexpr uint32_t kTimeArray = 1183;
inline constexpr uint32_t kTimestampTzArray = 1185;
inline constexpr uint32_t kNumericArray = 1231;
inline constexpr uint32_t kTimeTzArray = 1270;
inline constexpr uint32_t kJsonArray = 199;
inline constexpr uint32_t kUuidArray = 2951;
inline constexpr uint32_t kJsonbArray = 3807;
inline constexpr uint32_t kInt4RangeArray = 3905;
inline constexpr uint32_t kNumRangeArray = 3907;
inline constexpr uint32_t kTsRangeArray = 3909;
inline constexpr uint32_t kTsTzRangeArray = 3911;
inline constexpr uint32_t kDateRangeArray = 3913;
inline constexpr uint32_t kInt8RangeArray = 3927;
// Reached through the element type (PostgresValueConverter.arrayElementSchema).
inline constexpr uint32_t kTsvectorArray = 3643;
// schemaBuilder gives it bit's schema (Bits or boolean), its value fails.
inline constexpr uint32_t kBitArray = 1561;
}  // namespace pg_oid

// The type handling modes (Debezium connector properties), see
// trackops/config.h.
struct TypeModes {
  DecimalHandlingMode decimal = DecimalHandlingMode::kPrecise;
  TimePrecisionMode time = TimePrecisionMode::kAdaptive;
  BinaryHandlingMode binary = BinaryHandlingMode::kBytes;
  IntervalHandlingMode interval = IntervalHandlingMode::kNumeric;
  HStoreHandlingMode hstore = HStoreHandlingMode::kJson;
};

enum class ValueKind {
  kBoolean,               // boolean
  kInt16,                 // int16
  kInt32,                 // int32
  kInt64,                 // int64 (int8, oid)
  kFloat32,               // float
  kFloat64,               // double
  kDecimal,               // numeric(p,s): bytes org.apache.kafka.connect.data.Decimal
  kVariableScaleDecimal,  // numeric: struct io.debezium.data.VariableScaleDecimal
  kString,                // the text form as a string (text, varchar, uuid, json, ...)
  kNoValue,               // name: string schema, but Debezium 3.6.1 streams no value
  kBytes,                 // bytea (hex text form)
  kDate,                  // int32 io.debezium.time.Date, days since epoch
  kTimestampMillis,       // int64 io.debezium.time.Timestamp (timestamp(0..3))
  kTimestampMicros,       // int64 io.debezium.time.MicroTimestamp (timestamp(4..6))
  kZonedTimestamp,        // string io.debezium.time.ZonedTimestamp (timestamptz)
  kDecimalDouble,         // numeric, decimal.handling.mode=double: double
  kDecimalString,         // numeric, decimal.handling.mode=string: plain text
  kMoney,                 // money: Decimal at scale 2, or double / string by mode
  kTimeMillis,            // int32 io.debezium.time.Time or Connect Time (ms of day)
  kTimeMicros,            // int64 io.debezium.time.MicroTime (us of day)
  kZonedTime,             // string io.debezium.time.ZonedTime (timetz, UTC)
  kIntervalMicros,        // int64 io.debezium.time.MicroDuration
  kIntervalString,        // string io.debezium.time.Interval (ISO 8601)
  kBitBoolean,            // bit(1) / varbit(1): boolean
  kBits,                  // bit(n) / varbit: bytes io.debezium.data.Bits, little-endian
  kArray,                 // one-dimensional array of `element`
  kPoint,                 // point: struct io.debezium.data.geometry.Point {x, y, wkb, srid}
  kHstoreJson,            // hstore, hstore.handling.mode=json: io.debezium.data.Json string
  kHstoreMap,             // hstore, hstore.handling.mode=map: map of string to string
  kUnconvertible,         // bit[]: Debezium's schema is bit's, but no value converts
};

struct ColumnCodec {
  std::string name;
  std::string type_name;  // For messages: "numeric(10,2)", "timestamptz", "oid 16385".
  uint32_t type_oid = 0;
  ValueKind kind = ValueKind::kString;
  bool optional = true;
  int32_t scale = 0;            // kDecimal: digits after the point.
  int32_t fraction_digits = 6;  // kZonedTimestamp: 1-9 exact digits; 0 variable.
  // Unchanged TOAST placeholder: written as bytes (bytea) or as a string
  // (string kinds); any other kind cannot carry one (Debezium fails).
  bool placeholder_as_bytes = false;
  bool placeholder_as_string = false;
  // False: Debezium has no schema for the type (include.unknown.datatypes=
  // false) and leaves the column out of the schema and the payload.
  bool included = true;
  BinaryHandlingMode binary = BinaryHandlingMode::kBytes;  // kBytes: how bytea is written.
  DecimalHandlingMode decimal = DecimalHandlingMode::kPrecise;  // kMoney: how it is written.
  // The column default as JSON (Debezium's parsed default, also written for
  // every null of the field); empty: none.
  std::string default_json;
  // kArray: the element's codec (always optional). Shared, immutable.
  std::shared_ptr<const ColumnCodec> element;
  ConnectSchema schema;    // The field's schema (optional as the column).
};

// Describes how to convert `column`. Never fails for a type it does not
// know: such a codec has `included` false (Debezium drops the column).
ColumnCodec MakeColumnCodec(const schema::ColumnSchema& column, const TypeModes& modes = {});

// Debezium's unavailable.value.placeholder default.
inline constexpr std::string_view kDefaultUnavailablePlaceholder = "__debezium_unavailable_value";

class ValueConverter {
 public:
  // Appends the JSON for the text value `text` of the column. Errors:
  // kDataLoss when the text is not what PostgreSQL writes for the type,
  // kFailedPrecondition for NaN / Infinity in a numeric column: Debezium's
  // converter throws there with decimal.handling.mode=precise (its value
  // generator then leaves an optional field null). The message names
  // the type, not the column; the caller adds where it happened. On error
  // `out` may hold part of a value: the caller discards the event.
  absl::Status AppendValue(const ColumnCodec& codec, std::string_view text, JsonWriter* out);

  // The common cases of AppendValue without a Status: appends what
  // AppendValue would and returns true, or appends nothing and returns false
  // (then AppendValue decides). Handles canonical integers, strings, numerics
  // that fit 18 digits and UTC timestamps with time zone.
  bool TryAppendValue(const ColumnCodec& codec, std::string_view text, JsonWriter* out);

  // Appends what Debezium writes for a missing value (a null, or a column a
  // key-only old tuple does not carry): null for optional columns, the type's
  // fallback ("" / false / 0 / 1970-01-01T00:00:00Z ...) for NOT NULL ones.
  void AppendMissing(const ColumnCodec& codec, JsonWriter* out);

  // Appends the unchanged-TOAST placeholder. kFailedPrecondition for a kind
  // that cannot carry one (Debezium's converter fails on it, like NaN above).
  absl::Status AppendUnchangedToast(const ColumnCodec& codec, std::string_view placeholder,
                                    JsonWriter* out);

 private:
  absl::Status AppendDecimal(const ColumnCodec& codec, std::string_view text, JsonWriter* out);
  absl::Status AppendMoney(const ColumnCodec& codec, std::string_view text, JsonWriter* out);
  absl::Status AppendBytes(const ColumnCodec& codec, std::string_view text, JsonWriter* out);
  absl::Status AppendArray(const ColumnCodec& codec, std::string_view text, JsonWriter* out);
  absl::Status AppendPoint(const ColumnCodec& codec, std::string_view text, JsonWriter* out);
  absl::Status AppendHstore(const ColumnCodec& codec, std::string_view text, JsonWriter* out);

  DecimalBytesEncoder decimal_;
  std::string bytes_;
  std::string scratch_;  // Money digits; decimal strings padded to the scale.
  std::string element_;  // An array element, unescaped.
  std::string hstore_;   // hstore as JSON text (json mode).
};

// The JSON value Debezium writes for date 'infinity' / '-infinity':
// LocalDate -5877611-06-21 / -5877611-06-22 (PostgresValueConverter's
// POSITIVE/NEGATIVE_INFINITY_LOCAL_DATE) as epoch days.
inline constexpr int32_t kDatePositiveInfinityDays = -2147472692;
inline constexpr int32_t kDateNegativeInfinityDays = -2147472691;

// PgJDBC's PGStatement.DATE_POSITIVE/NEGATIVE_INFINITY, which Debezium writes
// for timestamp 'infinity' / '-infinity' (microseconds; divide by 1000 for
// the millisecond kinds).
inline constexpr int64_t kTimestampPositiveInfinityMicros = 9223372036825200000LL;
inline constexpr int64_t kTimestampNegativeInfinityMicros = -9223372036832400000LL;

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_VALUE_CONVERTER_H_
