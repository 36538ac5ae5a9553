// Test and benchmark support (header-only, not part of trackops_pgoutput):
// reads the pgoutput capture files tests/data/pgoutput/*.hex that
// tools/pgoutput-capture/capture.sh records from a real PostgreSQL.
//
// Format (docs/pgoutput.md, "Capture files"): one message per line, the
// XLogData payload in hex as `encode(data, 'hex')` prints it; an optional
// "\x" prefix and anything up to a last '|' or tab (the capture tool writes
// "<lsn>|<message type>|<hex>") are ignored. Lines starting with '#' are
// comments, except the option lines "# protocol_version: N" (default 1) and
// "# streaming_parallel: true" (default false).
//
//   absl::StatusOr<CaptureFile> capture = ReadCaptureFile(CaptureDir() / "basic.hex");

#ifndef TRACKOPS_PGOUTPUT_CAPTURE_FILE_H_
#define TRACKOPS_PGOUTPUT_CAPTURE_FILE_H_

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "pgoutput/decoder.h"
#include "util/string_view.h"

namespace trackops::pgoutput {

struct CaptureFile {
  DecoderOptions options;                      // From the "# name: value" lines.
  std::vector<std::vector<uint8_t>> messages;  // In capture order.
};

// The directory of the checked-in captures: $TRACKOPS_SOURCE_DIR (set by
// ctest for every test) or the current directory, + tests/data/pgoutput.
inline std::filesystem::path CaptureDir() {
  const char* root = std::getenv("TRACKOPS_SOURCE_DIR");
  return std::filesystem::path(root != nullptr ? root : ".") / "tests" / "data" / "pgoutput";
}

// Returns kNotFound when the file cannot be opened, kInvalidArgument (naming
// "path:line") for a line that is not one hex message or a bad option value.
inline absl::StatusOr<CaptureFile> ReadCaptureFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path.string()));
  CaptureFile capture;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    std::string_view text = ToStd(absl::StripAsciiWhitespace(line));
    if (text.empty()) continue;
    if (text[0] == '#') {
      text.remove_prefix(1);
      const size_t colon = text.find(':');
      if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) {
        continue;  // A plain comment.
      }
      const std::string_view key = ToStd(absl::StripAsciiWhitespace(ToAbsl(text.substr(0, colon))));
      const absl::string_view value = absl::StripAsciiWhitespace(ToAbsl(text.substr(colon + 1)));
      if (key == "protocol_version" &&
          !absl::SimpleAtoi(value, &capture.options.protocol_version)) {
        return absl::InvalidArgumentError(
            absl::StrCat(path.string(), ":", line_number, ": bad protocol_version"));
      }
      if (key == "streaming_parallel") capture.options.streaming_parallel = value == "true";
      continue;
    }
    if (const size_t cut = text.find_last_of("|\t"); cut != std::string_view::npos) {
      text = ToStd(absl::StripAsciiWhitespace(ToAbsl(text.substr(cut + 1))));
    }
    if (text.substr(0, 2) == "\\x") text.remove_prefix(2);
    if (text.empty() || text.size() % 2 != 0 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(c) != 0; })) {
      return absl::InvalidArgumentError(
          absl::StrCat(path.string(), ":", line_number, ": not a hex message"));
    }
    const std::string raw = absl::HexStringToBytes(ToAbsl(text));
    capture.messages.emplace_back(raw.begin(), raw.end());
  }
  return capture;
}

}  // namespace trackops::pgoutput

#endif  // TRACKOPS_PGOUTPUT_CAPTURE_FILE_H_
