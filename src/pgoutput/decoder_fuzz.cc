// libFuzzer target: decodes arbitrary bytes with every protocol version, with
// and without streaming = parallel, outside and inside a streamed block.
// Any crash, sanitizer report or non-DataLoss error is a bug.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "pgoutput/decoder.h"

namespace {

using trackops::pgoutput::Decoder;
using trackops::pgoutput::Message;

void DecodeOrDie(Decoder& decoder, std::span<const uint8_t> bytes) {
  Message message;
  const absl::Status status = decoder.Decode(bytes, &message);
  if (!status.ok() && !absl::IsDataLoss(status)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  // Stream Start, xid 1, first segment.
  static constexpr uint8_t kStreamStart[] = {'S', 0, 0, 0, 1, 1};
  for (int version = 1; version <= 4; ++version) {
    for (bool parallel : {false, true}) {
      if (parallel && version < 4) continue;
      auto decoder = Decoder::Create({.protocol_version = version, .streaming_parallel = parallel});
      if (!decoder.ok()) std::abort();
      DecodeOrDie(**decoder, bytes);
      if (version >= 2) {
        (*decoder)->Reset();
        Message message;
        if (!(*decoder)->Decode(kStreamStart, &message).ok()) std::abort();
        DecodeOrDie(**decoder, bytes);
      }
    }
  }
  return 0;
}
