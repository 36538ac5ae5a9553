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
// The writer appends to a caller-owned std::string or JsonBuffer and never
// clears it, so a buffer reused across events stops allocating once its
// capacity suffices. Structure (commas, braces) is the caller's business:
// Raw() appends bytes.
//
// Two targets:
// - a std::string: after every call the string holds exactly what was
//   written (other code may append to it between calls);
// - a JsonBuffer (the encoders' hot path): the writer writes through a raw
//   pointer into the buffer's spare room, with one capacity check per call,
//   and stores the length when it is destroyed (or at Flush()); meanwhile
//   the buffer must not be read or written otherwise.
//
// Thread safety: none; a JsonWriter is a pointer to one string or buffer.

#ifndef TRACKOPS_EVENT_JSON_WRITER_H_
#define TRACKOPS_EVENT_JSON_WRITER_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "util/decimal_digits.h"

namespace trackops::event {

// A reusable output buffer for JsonWriter: a document of size() bytes and
// spare room after it that is kept across clear(), so that rewriting a
// document of a size seen before neither allocates nor zero-fills.
class JsonBuffer {
 public:
  JsonBuffer() = default;
  JsonBuffer(const JsonBuffer&) = delete;
  JsonBuffer& operator=(const JsonBuffer&) = delete;

  std::string_view view() const { return std::string_view(bytes_.data(), size_); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() { size_ = 0; }

 private:
  friend class JsonWriter;
  std::string bytes_;  // Its size is the room; bytes past size_ are garbage.
  size_t size_ = 0;
};

class JsonWriter {
 public:
  // "*out" must outlive the writer; bytes are appended to it.
  explicit JsonWriter(std::string* out) : string_(out) {}
  // "*out" must outlive the writer; bytes are appended to it, and its size
  // is updated when the writer is destroyed or flushed.
  explicit JsonWriter(JsonBuffer* out)
      : buffer_(out),
        base_(out->bytes_.data()),
        pos_(base_ + out->size_),
        limit_(base_ + out->bytes_.size()) {}
  ~JsonWriter() { Flush(); }

  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  // Stores the size written so far in the JsonBuffer (nothing to do for a
  // std::string).
  void Flush() {
    if (buffer_ != nullptr) buffer_->size_ = static_cast<size_t>(pos_ - base_);
  }

  // The size of the output so far (including what it held before), and a
  // way back to an earlier size (to drop a partly written value).
  size_t size() const {
    return string_ != nullptr ? string_->size() : static_cast<size_t>(pos_ - base_);
  }
  void Truncate(size_t size) {
    if (string_ != nullptr) {
      string_->resize(size);
    } else {
      pos_ = base_ + size;
    }
  }

  // Direct output: Reserve(n) returns where the next n bytes go; write at
  // most n there, then Commit() the end of what was written. No other call
  // in between. (A std::string target never has room between calls: every
  // Reserve() grows it, every Commit() trims it.)
  char* Reserve(size_t n) {
    if (ABSL_PREDICT_FALSE(static_cast<size_t>(limit_ - pos_) <= n)) Grow(n);
    return pos_;
  }
  void Commit(char* end) {
    pos_ = end;
    if (ABSL_PREDICT_FALSE(string_ != nullptr)) SyncString();
  }

  // Appends `json` unchanged (already valid JSON or punctuation).
  void Raw(std::string_view json) {
    if (ABSL_PREDICT_TRUE(static_cast<size_t>(limit_ - pos_) > json.size())) {
      std::memcpy(pos_, json.data(), json.size());
      pos_ += json.size();
      return;
    }
    RawSlow(json);
  }
  void Raw(char c) {
    if (ABSL_PREDICT_TRUE(limit_ - pos_ > 1)) {
      *pos_++ = c;
      return;
    }
    RawSlow(std::string_view(&c, 1));
  }

  // Appends `utf8` as a quoted, escaped JSON string (see the file comment).
  void String(std::string_view utf8);
  // Appends the escaped characters of `utf8` without the surrounding quotes.
  void StringContent(std::string_view utf8);

  void Int(int64_t value) {
    char* p = Reserve(kMaxDecimalDigits);
    Commit(p + FormatSignedDecimal(value, p));
  }
  void UInt(uint64_t value) {
    char* p = Reserve(kMaxDecimalDigits);
    Commit(p + FormatDecimal(value, p));
  }
  void Bool(bool value) { Raw(value ? std::string_view("true") : std::string_view("false")); }
  void Null() { Raw(std::string_view("null")); }

  // Java/Jackson formatting, see the file comment.
  void Double(double value);
  void Float(float value);

  // Appends `bytes` base64-encoded (with padding; `url_safe`: '-' and '_'
  // for '+' and '/') as a quoted JSON string.
  void Base64(std::string_view bytes, bool url_safe = false);

 private:
  // Raw() for a std::string target or when the room does not suffice.
  ABSL_ATTRIBUTE_NOINLINE void RawSlow(std::string_view json);
  // Makes room for more than n bytes after pos_.
  ABSL_ATTRIBUTE_NOINLINE void Grow(size_t n);
  // String target: its size becomes pos_'s offset; no room is left, so the
  // next Reserve() grows it again (other code may have changed it).
  ABSL_ATTRIBUTE_NOINLINE void SyncString();
  // The slow path of String(): from `p` (at most `end`), which needs
  // escaping or UTF-8 decoding.
  void EscapedContent(const unsigned char* p, const unsigned char* end);

  std::string* string_ = nullptr;
  JsonBuffer* buffer_ = nullptr;
  char* base_ = nullptr;   // JsonBuffer target: start of its bytes.
  char* pos_ = nullptr;    // Next byte to write.
  char* limit_ = nullptr;  // End of the room.
};

// Java's Double.toString(value) / Float.toString(value) (JDK 19 and later),
// appended to `out`. Non-finite values give "NaN", "Infinity", "-Infinity".
void AppendJavaDouble(double value, std::string* out);
void AppendJavaFloat(float value, std::string* out);

// Standard base64 with padding, appended to `out`.
void AppendBase64(std::string_view bytes, std::string* out);

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_JSON_WRITER_H_
