// Spans of JSON texts, without copying or unescaping: the records a transform
// receives are JSON written by the event module (Kafka Connect JsonConverter
// form), and a transform mostly moves parts of them around unchanged. Reading
// them as spans keeps every byte as it was written (numbers, escapes) and
// allocates nothing.
//
// Whitespace between tokens is accepted and never part of a span. The scanner
// checks structure (brackets, strings, commas); it does not validate numbers
// or literals beyond their characters.

#ifndef TRACKOPS_TRANSFORMS_JSON_SCAN_H_
#define TRACKOPS_TRANSFORMS_JSON_SCAN_H_

#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace trackops::transforms {

// Removes one JSON value from the front of `*in` (after any whitespace) and
// returns its text. kInvalidArgument when `*in` does not start with one.
absl::StatusOr<std::string_view> TakeValue(std::string_view* in);

// Calls `visit` with each member of the JSON object `object`: the key as
// written (quoted, escapes kept) and the value's text. A non-OK status from
// `visit` stops the walk and is returned.
absl::Status ForEachMember(
    std::string_view object,
    absl::FunctionRef<absl::Status(std::string_view raw_key, std::string_view value)> visit);

// Calls `visit` with the text of each element of the JSON array `array`.
absl::Status ForEachElement(std::string_view array,
                            absl::FunctionRef<absl::Status(std::string_view element)> visit);

// The value of the first member named `name` (plain text, compared with the
// decoded key) of `object`; an empty view when there is none.
absl::StatusOr<std::string_view> FindMember(std::string_view object, std::string_view name);

// True when the JSON string token `raw` (quotes included) decodes to `text`.
bool StringTokenEquals(std::string_view raw, std::string_view text);

// Decodes the JSON string token `raw` (quotes included) into `*out`
// (replacing it), as UTF-8. kInvalidArgument when `raw` is not a string.
absl::Status DecodeString(std::string_view raw, std::string* out);

// The text of an object or array without its brackets and surrounding
// whitespace: "{...}" -> "...". Used to splice members into another object.
std::string_view Inner(std::string_view object_or_array);

}  // namespace trackops::transforms

#endif  // TRACKOPS_TRANSFORMS_JSON_SCAN_H_
