// trackops-diff: compares two record streams (JSON lines as TrackOps and the
// conformance harness write them) and prints how they differ. See README.md.
//
//   trackops-diff [options] LEFT RIGHT
//
// Exit status: 0 identical after normalization, 1 different, 2 usage error,
// unreadable input or a line that is not a JSON record.

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/numbers.h"
#include "trackops-diff/kafka_reader.h"
#include "trackops-diff/record_diff.h"
#include "util/string_view.h"

namespace {

constexpr int kExitSame = 0;
constexpr int kExitDifferent = 1;
constexpr int kExitTrouble = 2;

constexpr char kUsage[] =
    R"(usage: trackops-diff [options] LEFT RIGHT

Compares two record streams, one JSON record per line
  {"topic":...,"key":...,"value":...,"headers":{...}}
record by record in order, and prints each difference: record number, lines,
topic, key, LSN, the JSON path of the first differing element and both values.
LEFT or RIGHT may be "-" for standard input, or Kafka topics:
  kafka://HOST:PORT[,HOST:PORT...]/TOPIC[,TOPIC...]
read with a read_committed consumer up to each partition's end, topic by topic
as listed, partition by partition, in offset order.

options:
  --max-diffs N            print at most N differences (default 50); all are counted
  --max-value-bytes N      cut values shown longer than N bytes (default 120)
  --kafka-timeout-ms N     longest wait for a Kafka input to be read (default 60000)
  --ignore-field PATH      also normalize this dotted path into the value payload,
                           e.g. source.sequence (repeatable)
  --ignore-header NAME     also normalize this header (repeatable)
  --shape-only-topic TOPIC compare this topic's records by shape only: left out of
                           the pairing by position, all alike on both sides (the
                           value's ts_ms normalized), at least one on each side;
                           for clock-driven records such as heartbeats (repeatable)
  --skip-topic TOPIC       leave this topic's records out of the comparison, reporting
                           how many each side had (repeatable)
  --no-normalize           turn the built-in normalizations off
  --no-normalize=NAME      turn one built-in normalization off (repeatable)
  --list-normalizations    list the built-in normalizations and exit
  -h, --help               show this and exit

exit status: 0 identical, 1 different, 2 usage error, unreadable input or
malformed line.
)";

int UsageError(std::string_view message) {
  fprintf(stderr, "trackops-diff: %.*s\n%s", static_cast<int>(message.size()), message.data(),
          "try 'trackops-diff --help'\n");
  return kExitTrouble;
}

}  // namespace

int main(int argc, char** argv) {
  using trackops::diff::DiffOptions;
  DiffOptions options;
  std::vector<std::string> files;
  uint64_t kafka_timeout_ms = 60000;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (options_done || arg == "-" || arg.empty() || arg[0] != '-') {
      files.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    // The option's value, from "--name=value" or the next argument.
    std::string name(arg.substr(0, arg.find('=')));
    std::optional<std::string> inline_value;
    if (arg.find('=') != std::string_view::npos) {
      inline_value = std::string(arg.substr(arg.find('=') + 1));
    }
    auto value = [&]() -> std::optional<std::string> {
      if (inline_value.has_value()) return inline_value;
      if (i + 1 < argc) return std::string(argv[++i]);
      return std::nullopt;
    };
    auto count = [&](uint64_t* out) {
      std::optional<std::string> text = value();
      if (!text.has_value()) return false;
      return absl::SimpleAtoi(*text, out);
    };
    if (name == "-h" || name == "--help") {
      fputs(kUsage, stdout);
      return kExitSame;
    } else if (name == "--list-normalizations") {
      for (const trackops::diff::Normalization& n : trackops::diff::BuiltinNormalizations()) {
        printf("%-34s %s\n", n.name.c_str(), n.why.c_str());
      }
      return kExitSame;
    } else if (name == "--no-normalize") {
      if (inline_value.has_value()) {
        options.disabled_normalizations.push_back(*inline_value);
      } else {
        options.builtin_normalizations = false;
      }
    } else if (name == "--ignore-field" || name == "--ignore-header") {
      std::optional<std::string> text = value();
      if (!text.has_value()) return UsageError(name + " needs a value");
      (name == "--ignore-field" ? options.ignore_fields : options.ignore_headers).push_back(*text);
    } else if (name == "--skip-topic") {
      std::optional<std::string> text = value();
      if (!text.has_value() || text->empty()) return UsageError(name + " needs a topic");
      options.skip_topics.push_back(*text);
    } else if (name == "--shape-only-topic") {
      std::optional<std::string> text = value();
      if (!text.has_value()) return UsageError(name + " needs a topic");
      options.shape_only_topics.push_back(*text);
    } else if (name == "--kafka-timeout-ms") {
      if (!count(&kafka_timeout_ms) || kafka_timeout_ms == 0) {
        return UsageError("--kafka-timeout-ms needs a positive count");
      }
    } else if (name == "--max-diffs") {
      if (!count(&options.max_diffs)) return UsageError("--max-diffs needs a count");
    } else if (name == "--max-value-bytes") {
      uint64_t bytes = 0;
      if (!count(&bytes)) return UsageError("--max-value-bytes needs a count");
      options.max_value_bytes = static_cast<size_t>(bytes);
    } else {
      return UsageError("unknown option " + std::string(arg));
    }
  }
  if (files.size() != 2) return UsageError("needs two inputs, LEFT and RIGHT");
  if (files[0] == "-" && files[1] == "-") {
    return UsageError("only one input can be standard input");
  }

  auto differ = trackops::diff::RecordDiffer::Create(options);
  if (!differ.ok()) return UsageError(trackops::ToStd((differ.status().message())));
  auto open = [&](const std::string& input) {
    return trackops::diff::IsKafkaInput(input)
               ? trackops::diff::OpenKafkaTopics(input, std::chrono::milliseconds(kafka_timeout_ms))
               : trackops::diff::OpenJsonLinesFile(input);
  };
  auto left = open(files[0]);
  auto right = open(files[1]);
  for (const auto* reader : {&left, &right}) {
    if (!reader->ok()) {
      std::string_view message = trackops::ToStd(reader->status().message());
      fprintf(stderr, "trackops-diff: %.*s\n", static_cast<int>(message.size()), message.data());
      return kExitTrouble;
    }
  }
  auto summary = (*differ)->DiffStreams(
      **left, **right, [](std::string_view text) { fwrite(text.data(), 1, text.size(), stdout); });
  if (fflush(stdout) != 0) {
    perror("trackops-diff: writing the report");
    return kExitTrouble;
  }
  if (!summary.ok()) {
    std::string_view message = trackops::ToStd(summary.status().message());
    fprintf(stderr, "trackops-diff: %.*s\n", static_cast<int>(message.size()), message.data());
    return kExitTrouble;
  }
  return summary->Same() ? kExitSame : kExitDifferent;
}
