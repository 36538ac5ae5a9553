#include "sink/stdout_sink.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace trackops::sink {
namespace {

// Appends `s` as a JSON string (topic names and header keys).
void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  // Names rarely need escaping: append the runs between escapes whole.
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    if (u == '"' || u == '\\') {
      out->push_back('\\');
      out->push_back(s[i]);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 0xF]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

// A write error: a closed reader (EPIPE, EBADF) cannot come back, so stop;
// anything else (a full disk) may pass, so retry.
absl::Status WriteError(const char* what) {
  int err = errno;
  std::string message = absl::StrCat(what, " failed: ", strerror(err));
  if (err == EPIPE || err == EBADF) {
    return absl::FailedPreconditionError(absl::StrCat(
        message, ". The output was closed; nothing past the last confirmed transaction is lost"));
  }
  return absl::UnavailableError(message);
}

}  // namespace

void AppendPrettyJson(std::string_view json, std::string* out) {
  int depth = 0;
  bool in_string = false;
  auto newline = [&](int d) {
    out->push_back('\n');
    out->append(static_cast<size_t>(2 * d), ' ');
  };
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      out->push_back(c);
      if (c == '\\' && i + 1 < json.size()) {
        out->push_back(json[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out->push_back(c);
        break;
      case '{':
      case '[': {
        // Keep empty containers on one line.
        char close = c == '{' ? '}' : ']';
        if (i + 1 < json.size() && json[i + 1] == close) {
          out->push_back(c);
          out->push_back(close);
          ++i;
          break;
        }
        out->push_back(c);
        newline(++depth);
        break;
      }
      case '}':
      case ']':
        newline(--depth);
        out->push_back(c);
        break;
      case ',':
        out->push_back(c);
        newline(depth);
        break;
      case ':':
        out->append(": ");
        break;
      case ' ':
      case '\n':
      case '\t':
      case '\r':
        break;
      default:
        out->push_back(c);
    }
  }
}

StdoutSink::StdoutSink(FILE* out, bool pretty) : out_(out), pretty_(pretty) {}

absl::Status StdoutSink::BeginTransaction(const TransactionInfo& txn) { return absl::OkStatus(); }

absl::Status StdoutSink::Write(const Record& record) {
  line_.clear();
  line_.append("{\"topic\":");
  AppendJsonString(record.topic, &line_);
  line_.append(",\"key\":");
  line_.append(record.key.has_value() ? *record.key : "null");
  line_.append(",\"value\":");
  line_.append(record.value.has_value() ? *record.value : "null");
  line_.append(",\"headers\":{");
  for (size_t i = 0; i < record.headers.size(); ++i) {
    if (i > 0) line_.push_back(',');
    AppendJsonString(record.headers[i].key, &line_);
    line_.push_back(':');
    line_.append(record.headers[i].value);
  }
  line_.append("}}");
  const std::string* text = &line_;
  if (pretty_) {
    pretty_line_.clear();
    AppendPrettyJson(line_, &pretty_line_);
    text = &pretty_line_;
  }
  if (fwrite(text->data(), 1, text->size(), out_) != text->size() || fputc('\n', out_) == EOF) {
    return WriteError("writing to the output");
  }
  return absl::OkStatus();
}

absl::Status StdoutSink::CommitTransaction(const TransactionInfo& txn) {
  if (fflush(out_) != 0) return WriteError("flushing the output");
  durable_.store(txn.end_lsn.value(), std::memory_order_release);
  return absl::OkStatus();
}

absl::Status StdoutSink::Flush() {
  if (fflush(out_) != 0) return WriteError("flushing the output");
  return absl::OkStatus();
}

}  // namespace trackops::sink
