// An append-only JSON writer producing exactly the bytes Kafka Connect's
// JsonConverter writes (it serializes through a default Jackson ObjectMapper):
//
// - strings: `"` and `\` escaped with a backslash; \b \t \n \f \r as such;
//   every other character below 0x20 as \u00XX with upper-case hex; `/`, DEL
//   and non-ASCII characters of the Basic Multilingual Plane written raw
//   (UTF-8); characters beyond it as their two UTF-16 surrogates, escaped
//   (\uD83D\uDE00: Jackson's COMBINE_UNICODE_SURROGATES_IN_UTF8 is off by
//   default); malformed UTF-8 as U+FFFD per maximal subpart, as Java decodes;
// - float and double: Java's Float.toString / Double.toString (JDK 19+:
//   shortest decimal that round-trips), NaN and infinities as the strings
//   "NaN", "Infinity", "-Infinity" (QUOTE_NON_NUMERIC_NUMBERS);
// - bytes: standard base64 with padding and no line breaks (Jackson's
//   MIME_NO_LINEFEEDS variant), as a JSON string.
//
// The writer appends to a caller-owned std::string and never clears it, so a
// buffer reused across events stops allocating once its capacity suffices.
// Structure (commas, braces) is the caller's business: Raw() appends bytes.
//
// Thread safety: none; a JsonWriter is a pointer to one string.

#ifndef TRACKOPS_EVENT_JSON_WRITER_H_
#define TRACKOPS_EVENT_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace trackops::event {

class JsonWriter {
 public:
  // "*out" must outlive the writer; bytes are appended to it.
  explicit JsonWriter(std::string* out) : out_(out) {}

  std::string* out() const { return out_; }

  // Appends `json` unchanged (already valid JSON or punctuation).
  void Raw(std::string_view json) { out_->append(json); }
  void Raw(char c) { out_->push_back(c); }

  // Appends `utf8` as a quoted, escaped JSON string (see the file comment).
  void String(std::string_view utf8);
  // Appends the escaped characters of `utf8` without the surrounding quotes.
  void StringContent(std::string_view utf8);

  void Int(int64_t value);
  void UInt(uint64_t value);
  void Bool(bool value) { out_->append(value ? "true" : "false"); }
  void Null() { out_->append("null"); }

  // Java/Jackson formatting, see the file comment.
  void Double(double value);
  void Float(float value);

  // Appends `bytes` base64-encoded as a quoted JSON string.
  void Base64(std::string_view bytes);

 private:
  std::string* out_;
};

// Java's Double.toString(value) / Float.toString(value) (JDK 19 and later),
// appended to `out`. Non-finite values give "NaN", "Infinity", "-Infinity".
void AppendJavaDouble(double value, std::string* out);
void AppendJavaFloat(float value, std::string* out);

// Standard base64 with padding, appended to `out`.
void AppendBase64(std::string_view bytes, std::string* out);

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_JSON_WRITER_H_
