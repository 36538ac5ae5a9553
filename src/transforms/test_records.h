// Change event records as the event module writes them, for the transform
// tests: table conf.public.t (id int4 primary key, name text).

#ifndef TRACKOPS_TRANSFORMS_TEST_RECORDS_H_
#define TRACKOPS_TRANSFORMS_TEST_RECORDS_H_

#include <string>
#include <string_view>

#include "trackops/record.h"

namespace trackops::transforms::testing {

// Concatenation of string-like values (absl::StrCat takes absl::string_view).
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

inline constexpr std::string_view kRowSchema =
    R"({"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},)"
    R"({"type":"string","optional":true,"field":"name"}],"optional":true,)"
    R"("name":"conf.public.t.Value")";

inline constexpr std::string_view kSourceSchema =
    R"({"type":"struct","fields":[{"type":"string","optional":false,"field":"table"},)"
    R"({"type":"int64","optional":true,"field":"lsn"}],"optional":false,)"
    R"("name":"io.debezium.connector.postgresql.Source","version":1,"field":"source"})";

inline std::string EnvelopeSchema() {
  return Cat(R"({"type":"struct","fields":[)", kRowSchema, R"(,"field":"before"},)",
                      kRowSchema, R"(,"field":"after"},)", kSourceSchema,
                      R"(,{"type":"string","optional":false,"field":"op"},)"
                      R"({"type":"int64","optional":true,"field":"ts_ms"}],"optional":false,)"
                      R"("name":"conf.public.t.Envelope","version":2})");
}

// The payload of an event: `before` / `after` are JSON ("null" for none).
inline std::string Payload(std::string_view op, std::string_view before, std::string_view after) {
  return Cat(R"({"before":)", before, R"(,"after":)", after,
                      R"(,"source":{"table":"t","lsn":1234},"transaction":null,"op":")", op,
                      R"(","ts_ms":99})");
}

inline std::string Value(bool with_schema, std::string_view op, std::string_view before,
                         std::string_view after) {
  std::string payload = Payload(op, before, after);
  if (!with_schema) return payload;
  return Cat(R"({"schema":)", EnvelopeSchema(), R"(,"payload":)", payload, "}");
}

inline Record ChangeRecord(const std::string& value, const std::string& key) {
  Record r;
  r.topic = "conf.public.t";
  r.key = key;
  r.value = value;
  r.lsn = Lsn(1234);
  r.kind = RecordKind::kChange;
  return r;
}

}  // namespace trackops::transforms::testing

#endif  // TRACKOPS_TRANSFORMS_TEST_RECORDS_H_
