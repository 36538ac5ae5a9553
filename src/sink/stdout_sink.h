// Writes each record as one JSON line to a stream (standard output by
// default):
//
//   {"topic":"shop.public.orders","key":{...},"value":{...},"headers":{}}
//
// key and value are exactly the JSON that would be written to Kafka (null for
// a null key or a tombstone); header values are JSON too. With `pretty` each
// record is indented over several lines for people to read.
//
// Durability: a transaction is durable once its lines are flushed, which
// happens at every commit.
//
// Thread safety: one engine thread at a time; DurableLsn() from any thread.

#ifndef TRACKOPS_SINK_STDOUT_SINK_H_
#define TRACKOPS_SINK_STDOUT_SINK_H_

#include <atomic>
#include <cstdio>
#include <string>

#include "trackops/sink.h"

namespace trackops::sink {

class StdoutSink : public Sink {
 public:
  // `out` must outlive the sink; it is not closed.
  explicit StdoutSink(FILE* out = stdout, bool pretty = false);

  absl::Status BeginTransaction(const TransactionInfo& txn) override;
  absl::Status Write(const Record& record) override;
  absl::Status CommitTransaction(const TransactionInfo& txn) override;
  absl::Status Flush() override;
  Lsn DurableLsn() const override { return Lsn(durable_.load(std::memory_order_acquire)); }

 private:
  FILE* out_;
  bool pretty_;
  std::string line_;    // Reused for every record.
  std::string pretty_line_;
  std::atomic<uint64_t> durable_{0};
};

// Appends `json` re-indented with two spaces per level. `json` must be valid
// JSON; strings are copied untouched.
void AppendPrettyJson(std::string_view json, std::string* out);

}  // namespace trackops::sink

#endif  // TRACKOPS_SINK_STDOUT_SINK_H_
