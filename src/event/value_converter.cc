#include "event/value_converter.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "event/pg_text.h"

namespace trackops::event {
namespace {

ConnectSchema NamedSchema(std::string_view type, bool optional, std::string_view name) {
  ConnectSchema s = PrimitiveSchema(type, optional);
  s.name = std::string(name);
  s.version = 1;
  return s;
}

// Plain strings in Debezium: PostgresValueConverter maps them to
// SchemaBuilder.string() and converts their text with convertString.
bool IsPlainStringType(uint32_t oid) {
  switch (oid) {
    case pg_oid::kText:
    case pg_oid::kVarchar:
    case pg_oid::kBpchar:
    case pg_oid::kChar:
    case pg_oid::kInet:
    case pg_oid::kCidr:
    case pg_oid::kMacaddr:
    case pg_oid::kMacaddr8:
    case pg_oid::kInt4Range:
    case pg_oid::kNumRange:
    case pg_oid::kInt8Range:
    case pg_oid::kTsRange:
    case pg_oid::kTsTzRange:
    case pg_oid::kDateRange:
      return true;
    default:
      return false;
  }
}

const char* BaseTypeName(uint32_t oid) {
  switch (oid) {
    case pg_oid::kBool:
      return "bool";
    case pg_oid::kBytea:
      return "bytea";
    case pg_oid::kChar:
      return "char";
    case pg_oid::kName:
      return "name";
    case pg_oid::kInt8:
      return "int8";
    case pg_oid::kInt2:
      return "int2";
    case pg_oid::kInt4:
      return "int4";
    case pg_oid::kText:
      return "text";
    case pg_oid::kOid:
      return "oid";
    case pg_oid::kJson:
      return "json";
    case pg_oid::kXml:
      return "xml";
    case pg_oid::kCidr:
      return "cidr";
    case pg_oid::kFloat4:
      return "float4";
    case pg_oid::kFloat8:
      return "float8";
    case pg_oid::kMacaddr8:
      return "macaddr8";
    case pg_oid::kMacaddr:
      return "macaddr";
    case pg_oid::kInet:
      return "inet";
    case pg_oid::kBpchar:
      return "bpchar";
    case pg_oid::kVarchar:
      return "varchar";
    case pg_oid::kDate:
      return "date";
    case pg_oid::kTimestamp:
      return "timestamp";
    case pg_oid::kTimestampTz:
      return "timestamptz";
    case pg_oid::kNumeric:
      return "numeric";
    case pg_oid::kUuid:
      return "uuid";
    case pg_oid::kJsonb:
      return "jsonb";
    case pg_oid::kInt4Range:
      return "int4range";
    case pg_oid::kNumRange:
      return "numrange";
    case pg_oid::kTsRange:
      return "tsrange";
    case pg_oid::kTsTzRange:
      return "tstzrange";
    case pg_oid::kDateRange:
      return "daterange";
    case pg_oid::kInt8Range:
      return "int8range";
    default:
      return nullptr;
  }
}

// PgJDBC's TypeInfoCache.getScale / getPrecision for the typmods Debezium
// reads (PgOutputMessageDecoder's ColumnMetaData).
int32_t NumericPrecision(int32_t typmod) { return ((typmod - 4) >> 16) & 0xFFFF; }
int32_t NumericScale(int32_t typmod) { return (typmod - 4) & 0xFFFF; }
int32_t TemporalPrecision(int32_t typmod) { return typmod < 0 ? 6 : typmod; }

absl::Status Malformed(const ColumnCodec& codec) {
  return absl::DataLossError(absl::StrCat("malformed ", codec.type_name, " text"));
}

// java.util.concurrent.TimeUnit.SECONDS.toMicros: saturates on overflow.
int64_t SaturatedSecondsToMicros(int64_t seconds) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 1000000;
  if (seconds > kMax) return std::numeric_limits<int64_t>::max();
  if (seconds < -kMax) return std::numeric_limits<int64_t>::min();
  return seconds * 1000000;
}

// Debezium's Conversions.toEpochMicros(Instant): saturated seconds plus the
// microseconds of the nanosecond field, with Java's wrapping long addition.
int64_t EpochMicros(const PgInstant& instant) {
  uint64_t sum = static_cast<uint64_t>(SaturatedSecondsToMicros(instant.epoch_second)) +
                 static_cast<uint64_t>(instant.nano / 1000);
  return static_cast<int64_t>(sum);
}

// java.time.Instant.toEpochMilli (floor).
int64_t EpochMillis(const PgInstant& instant) {
  return instant.epoch_second * 1000 + instant.nano / 1000000;
}

void AppendPadded(int64_t value, int width, std::string* out) {
  char buffer[24];
  int n = 0;
  uint64_t v = static_cast<uint64_t>(value);
  do {
    buffer[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (int i = n; i < width; ++i) out->push_back('0');
  while (n > 0) out->push_back(buffer[--n]);
}

// java.time's ISO_LOCAL_DATE 'T' time, then 'Z': the year has at least four
// digits, a '+' beyond 9999 and a '-' below 0. With fraction_digits 1-9 the
// fraction has exactly that many digits (ZonedTimestamp's formatter for a
// column precision); otherwise ISO_LOCAL_TIME's: none when zero, else the
// nanoseconds without trailing zeros.
void AppendZonedTimestamp(const PgInstant& instant, int fraction_digits, std::string* out) {
  int64_t epoch_day = instant.epoch_second / 86400;
  int64_t second_of_day = instant.epoch_second % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --epoch_day;
  }
  int64_t year;
  int month, day;
  CivilFromDays(epoch_day, &year, &month, &day);
  if (year < 0) {
    out->push_back('-');
    AppendPadded(-year, 4, out);
  } else {
    if (year > 9999) out->push_back('+');
    AppendPadded(year, 4, out);
  }
  out->push_back('-');
  AppendPadded(month, 2, out);
  out->push_back('-');
  AppendPadded(day, 2, out);
  out->push_back('T');
  AppendPadded(second_of_day / 3600, 2, out);
  out->push_back(':');
  AppendPadded(second_of_day / 60 % 60, 2, out);
  out->push_back(':');
  AppendPadded(second_of_day % 60, 2, out);
  if (fraction_digits >= 1 && fraction_digits <= 9) {
    int64_t divisor = 1;
    for (int i = fraction_digits; i < 9; ++i) divisor *= 10;
    out->push_back('.');
    AppendPadded(instant.nano / divisor, fraction_digits, out);
  } else if (instant.nano != 0) {
    int32_t nano = instant.nano;
    int digits = 9;
    while (nano % 10 == 0) {
      nano /= 10;
      --digits;
    }
    out->push_back('.');
    AppendPadded(nano, digits, out);
  }
  out->push_back('Z');
}

}  // namespace

ColumnCodec MakeColumnCodec(const schema::ColumnSchema& column) {
  ColumnCodec c;
  c.name = column.name;
  c.type_oid = column.type_oid;
  c.optional = column.optional;
  const int32_t typmod = column.type_modifier;
  const char* base_name = BaseTypeName(column.type_oid);
  c.type_name = base_name != nullptr ? base_name : absl::StrCat("oid ", column.type_oid);
  const bool opt = column.optional;

  switch (column.type_oid) {
    case pg_oid::kBool:
      c.kind = ValueKind::kBoolean;
      c.schema = PrimitiveSchema("boolean", opt);
      break;
    case pg_oid::kInt2:
      c.kind = ValueKind::kInt16;
      c.schema = PrimitiveSchema("int16", opt);
      break;
    case pg_oid::kInt4:
      c.kind = ValueKind::kInt32;
      c.schema = PrimitiveSchema("int32", opt);
      break;
    case pg_oid::kInt8:
    case pg_oid::kOid:
      c.kind = ValueKind::kInt64;
      c.schema = PrimitiveSchema("int64", opt);
      break;
    case pg_oid::kFloat4:
      c.kind = ValueKind::kFloat32;
      c.schema = PrimitiveSchema("float", opt);
      break;
    case pg_oid::kFloat8:
      c.kind = ValueKind::kFloat64;
      c.schema = PrimitiveSchema("double", opt);
      break;
    case pg_oid::kNumeric:
      if (typmod < 0) {
        c.kind = ValueKind::kVariableScaleDecimal;
        c.schema.type = "struct";
        c.schema.optional = opt;
        c.schema.name = "io.debezium.data.VariableScaleDecimal";
        c.schema.version = 1;
        c.schema.doc = "Variable scaled decimal";
        c.schema.fields = {{"scale", PrimitiveSchema("int32", false)},
                           {"value", PrimitiveSchema("bytes", false)}};
      } else {
        c.kind = ValueKind::kDecimal;
        c.scale = NumericScale(typmod);
        int32_t precision = NumericPrecision(typmod);
        c.type_name = absl::StrCat("numeric(", precision, ",", c.scale, ")");
        c.schema = NamedSchema("bytes", opt, "org.apache.kafka.connect.data.Decimal");
        c.schema.parameters = {{"scale", absl::StrCat(c.scale)},
                               {"connect.decimal.precision", absl::StrCat(precision)}};
      }
      break;
    case pg_oid::kName:
      c.kind = ValueKind::kNoValue;
      c.schema = PrimitiveSchema("string", opt);
      c.placeholder_as_string = true;
      break;
    case pg_oid::kUuid:
      c.kind = ValueKind::kString;
      c.schema = NamedSchema("string", opt, "io.debezium.data.Uuid");
      c.placeholder_as_string = true;
      break;
    case pg_oid::kJson:
    case pg_oid::kJsonb:
      c.kind = ValueKind::kString;
      c.schema = NamedSchema("string", opt, "io.debezium.data.Json");
      c.placeholder_as_string = true;
      break;
    case pg_oid::kXml:
      c.kind = ValueKind::kString;
      c.schema = NamedSchema("string", opt, "io.debezium.data.Xml");
      c.placeholder_as_string = true;
      break;
    case pg_oid::kBytea:
      c.kind = ValueKind::kBytes;
      c.schema = PrimitiveSchema("bytes", opt);
      c.placeholder_as_bytes = true;
      break;
    case pg_oid::kDate:
      c.kind = ValueKind::kDate;
      c.schema = NamedSchema("int32", opt, "io.debezium.time.Date");
      break;
    case pg_oid::kTimestamp: {
      int32_t precision = TemporalPrecision(typmod);
      if (typmod >= 0) c.type_name = absl::StrCat("timestamp(", typmod, ")");
      if (precision <= 3) {
        c.kind = ValueKind::kTimestampMillis;
        c.schema = NamedSchema("int64", opt, "io.debezium.time.Timestamp");
      } else {
        c.kind = ValueKind::kTimestampMicros;
        c.schema = NamedSchema("int64", opt, "io.debezium.time.MicroTimestamp");
      }
      break;
    }
    case pg_oid::kTimestampTz:
      c.kind = ValueKind::kZonedTimestamp;
      c.fraction_digits = TemporalPrecision(typmod);
      if (typmod >= 0) c.type_name = absl::StrCat("timestamptz(", typmod, ")");
      c.schema = NamedSchema("string", opt, "io.debezium.time.ZonedTimestamp");
      break;
    default:
      c.kind = ValueKind::kString;
      c.schema = PrimitiveSchema("string", opt);
      c.placeholder_as_string = true;
      c.known_type = IsPlainStringType(column.type_oid);
      break;
  }
  return c;
}

absl::Status ValueConverter::AppendValue(const ColumnCodec& codec, std::string_view text,
                                         JsonWriter* out) {
  switch (codec.kind) {
    case ValueKind::kBoolean: {
      bool v;
      if (!ParsePgBool(text, &v)) return Malformed(codec);
      out->Bool(v);
      return absl::OkStatus();
    }
    case ValueKind::kInt16:
    case ValueKind::kInt32:
    case ValueKind::kInt64: {
      int64_t min = std::numeric_limits<int64_t>::min();
      int64_t max = std::numeric_limits<int64_t>::max();
      if (codec.kind == ValueKind::kInt16) {
        min = std::numeric_limits<int16_t>::min();
        max = std::numeric_limits<int16_t>::max();
      } else if (codec.kind == ValueKind::kInt32) {
        min = std::numeric_limits<int32_t>::min();
        max = std::numeric_limits<int32_t>::max();
      } else if (codec.type_oid == pg_oid::kOid) {
        min = 0;
        max = std::numeric_limits<uint32_t>::max();
      }
      int64_t v;
      if (!ParsePgInteger(text, min, max, &v)) return Malformed(codec);
      out->Int(v);
      return absl::OkStatus();
    }
    case ValueKind::kFloat32: {
      float v;
      if (!ParsePgFloat(text, &v)) return Malformed(codec);
      out->Float(v);
      return absl::OkStatus();
    }
    case ValueKind::kFloat64: {
      double v;
      if (!ParsePgDouble(text, &v)) return Malformed(codec);
      out->Double(v);
      return absl::OkStatus();
    }
    case ValueKind::kDecimal:
    case ValueKind::kVariableScaleDecimal:
      return AppendDecimal(codec, text, out);
    case ValueKind::kString:
      out->String(text);
      return absl::OkStatus();
    case ValueKind::kNoValue:
      // ReplicationMessageColumnValueResolver has no case for "name": with
      // include.unknown.datatypes=false the value resolves to null.
      AppendMissing(codec, out);
      return absl::OkStatus();
    case ValueKind::kBytes:
      bytes_.clear();
      if (!ParsePgByteaHex(text, &bytes_)) return Malformed(codec);
      out->Base64(bytes_);
      return absl::OkStatus();
    case ValueKind::kDate: {
      int64_t epoch_day = 0;
      PgInfinity infinity;
      if (!ParsePgDate(text, &epoch_day, &infinity)) return Malformed(codec);
      int32_t days;
      if (infinity == PgInfinity::kPositive) {
        days = kDatePositiveInfinityDays;
      } else if (infinity == PgInfinity::kNegative) {
        days = kDateNegativeInfinityDays;
      } else {
        days = static_cast<int32_t>(static_cast<uint32_t>(epoch_day));  // Java's (int) cast.
      }
      out->Int(days);
      return absl::OkStatus();
    }
    case ValueKind::kTimestampMillis:
    case ValueKind::kTimestampMicros: {
      PgInstant instant;
      PgInfinity infinity;
      if (!ParsePgTimestamp(text, &instant, &infinity)) return Malformed(codec);
      const bool millis = codec.kind == ValueKind::kTimestampMillis;
      int64_t v;
      if (infinity == PgInfinity::kPositive) {
        v = millis ? kTimestampPositiveInfinityMicros / 1000 : kTimestampPositiveInfinityMicros;
      } else if (infinity == PgInfinity::kNegative) {
        v = millis ? kTimestampNegativeInfinityMicros / 1000 : kTimestampNegativeInfinityMicros;
      } else {
        v = millis ? EpochMillis(instant) : EpochMicros(instant);
      }
      out->Int(v);
      return absl::OkStatus();
    }
    case ValueKind::kZonedTimestamp: {
      PgInstant instant;
      PgInfinity infinity;
      if (!ParsePgTimestampTz(text, &instant, &infinity)) return Malformed(codec);
      if (infinity == PgInfinity::kPositive) {
        out->String("infinity");
      } else if (infinity == PgInfinity::kNegative) {
        out->String("-infinity");
      } else {
        out->Raw('"');
        AppendZonedTimestamp(instant, codec.fraction_digits, out->out());
        out->Raw('"');
      }
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unhandled value kind");
}

absl::Status ValueConverter::AppendDecimal(const ColumnCodec& codec, std::string_view text,
                                           JsonWriter* out) {
  PgNumeric n;
  if (!ParsePgNumeric(text, &n)) return Malformed(codec);
  if (n.special != PgNumeric::Special::kNone) {
    const char* what = n.special == PgNumeric::Special::kNaN ? "NaN" : "an infinity";
    return absl::FailedPreconditionError(absl::StrCat(
        codec.type_name, " value is ", what,
        ", which decimal.handling.mode=precise cannot represent (Debezium fails too for a key "
        "or NOT NULL column; decimal.handling.mode=string or double would carry it)"));
  }
  std::string_view fraction = n.fraction_digits;
  bytes_.clear();
  if (codec.kind == ValueKind::kDecimal) {
    // BigDecimal.setScale(scale): pad with zeros; dropping digits is only
    // possible when they are zeros (PostgreSQL always prints `scale` digits).
    size_t scale = static_cast<size_t>(codec.scale);
    while (fraction.size() > scale) {
      if (fraction.back() != '0') {
        return absl::DataLossError(
            absl::StrCat(codec.type_name, " text has more fraction digits than the scale"));
      }
      fraction.remove_suffix(1);
    }
    decimal_.Append(n.negative, n.integer_digits, fraction, scale - fraction.size(), &bytes_);
    out->Base64(bytes_);
    return absl::OkStatus();
  }
  // VariableScaleDecimal: stripTrailingZeros(), then a negative scale is set
  // back to 0 (which restores the integer's own trailing zeros).
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  decimal_.Append(n.negative, n.integer_digits, fraction, 0, &bytes_);
  out->Raw("{\"scale\":");
  out->Int(static_cast<int64_t>(fraction.size()));
  out->Raw(",\"value\":");
  out->Base64(bytes_);
  out->Raw('}');
  return absl::OkStatus();
}

void ValueConverter::AppendMissing(const ColumnCodec& codec, JsonWriter* out) {
  if (codec.optional) {
    out->Null();
    return;
  }
  // JdbcValueConverters.convertValue: the type's fallback for NOT NULL.
  switch (codec.kind) {
    case ValueKind::kBoolean:
      out->Bool(false);
      return;
    case ValueKind::kInt16:
    case ValueKind::kInt32:
    case ValueKind::kInt64:
    case ValueKind::kDate:
    case ValueKind::kTimestampMillis:
    case ValueKind::kTimestampMicros:
      out->Raw('0');
      return;
    case ValueKind::kFloat32:
    case ValueKind::kFloat64:
      out->Raw("0.0");
      return;
    case ValueKind::kDecimal:
      out->Raw("\"AA==\"");  // BigDecimal 0 at the column's scale: unscaled 0.
      return;
    case ValueKind::kVariableScaleDecimal:
      out->Raw("{\"scale\":0,\"value\":\"AA==\"}");
      return;
    case ValueKind::kString:
    case ValueKind::kNoValue:
    case ValueKind::kBytes:  // Empty bytes: "" in base64.
      out->Raw("\"\"");
      return;
    case ValueKind::kZonedTimestamp:
      out->Raw("\"1970-01-01T00:00:00Z\"");
      return;
  }
}

absl::Status ValueConverter::AppendUnchangedToast(const ColumnCodec& codec,
                                                  std::string_view placeholder, JsonWriter* out) {
  if (codec.placeholder_as_string) {
    out->String(placeholder);
    return absl::OkStatus();
  }
  if (codec.placeholder_as_bytes) {
    out->Base64(placeholder);
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "unchanged TOAST value in a ", codec.type_name,
      " column: Debezium has no placeholder for this type (REPLICA IDENTITY FULL avoids it)"));
}

}  // namespace trackops::event
