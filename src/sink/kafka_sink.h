// Records to Apache Kafka, exactly once by default (docs/exactly-once.md).
//
// Exactly once: a transactional producer with a stable transactional.id per
// slot. One Kafka transaction carries one or more whole PostgreSQL
// transactions (batched by count, bytes and time) plus a record in a
// compacted single-partition offsets topic (offsets_record.h).
// With transactional.producers=2, two producers take the batches in turn,
// "<transactional.id>" and "<transactional.id>.1" (SecondTransactionalId): a
// batch starts only once the one before it has committed, so records keep
// their order, but its producer is not the one whose transaction markers the
// coordinator may still be writing. A producer that begins its next
// transaction at once has its first AddPartitionsToTxn refused
// (CONCURRENT_TRANSACTIONS) and retried 20 ms later (docs/performance.md).
// Open() initialises transactions on each id (fencing any zombie with it,
// and aborting its open transaction) and reads the last committed offsets
// record with a read_committed consumer: the engine resumes from there.
// DurableLsn() moves only when a Kafka commit succeeded. When idle, an
// offsets-only transaction records the idle position (every idle.commit.ms at
// most) so the slot can release WAL.
//
// At least once (delivery=at-least-once): an idempotent producer without
// transactions; DurableLsn() moves when the batch is flushed and acknowledged.
//
// Any Kafka failure aborts what is not committed and returns kUnavailable:
// the engine reconnects, calls Open() again (which recreates the producer) and
// PostgreSQL resends everything after DurableLsn().
//
// Keys, values and headers are the record's bytes; partitions follow Kafka's
// default partitioner (murmur2 of the key) unless producer.partitioner says
// otherwise; topics are created on first use with the configured partitions
// and replication factor.
//
// Thread safety: one engine thread; DurableLsn() from any thread.

#ifndef TRACKOPS_SINK_KAFKA_SINK_H_
#define TRACKOPS_SINK_KAFKA_SINK_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "kafka/client.h"
#include "trackops/config.h"
#include "trackops/sink.h"

namespace trackops::sink {

// The transactional.id of the producer that takes every other batch when
// there are two.
std::string SecondTransactionalId(std::string_view transactional_id);

struct KafkaSinkOptions {
  kafka::Settings producer;      // debezium.sink.kafka.producer.* (bootstrap.servers required)
  bool exactly_once = true;      // debezium.sink.kafka.delivery: exactly-once | at-least-once
  std::string transactional_id;  // Default "trackops-<dbname>-<slot>".
  std::string offsets_topic = "__trackops_offsets";
  std::string offsets_key;  // "<dbname>/<slot>"
  // Each commit costs the broker a transaction's log writes and markers:
  // 2000 small transactions per commit took less than half the broker's CPU
  // of 1000 (docs/performance.md), and stay well inside the producer's queue.
  int64_t batch_max_transactions = 2000;
  int64_t batch_max_bytes = 16 << 20;
  int64_t batch_max_ms = 100;
  // A batch at least this old commits as soon as the engine has read all
  // that the server sent (Tick's caught_up): the wait for a batch to fill
  // then lasts no longer than the stream keeps coming.
  int64_t batch_min_ms = 100;
  int64_t idle_commit_ms = 10000;
  // Exactly once: 1, or 2 producers taking batches in turn, so that a batch
  // need not wait for the previous one's markers (above). 2 pays when
  // batches are short (batch.min.ms); it needs a second transactional.id.
  int transactional_producers = 1;
  int topic_partitions = 1;
  int topic_replication_factor = 1;
  std::chrono::milliseconds timeout{60000};
  // From debezium.sink.kafka.* (Config::sink). kInvalidArgument naming the
  // property when a value is invalid or bootstrap.servers is missing.
  static absl::StatusOr<KafkaSinkOptions> FromConfig(const Config& config);
};

class KafkaSink : public Sink {
 public:
  explicit KafkaSink(KafkaSinkOptions options);
  ~KafkaSink() override;

  absl::StatusOr<Lsn> Open() override;
  bool KeepsPosition() const override { return options_.exactly_once; }
  absl::Status BeginTransaction(const TransactionInfo& txn) override;
  absl::Status Write(const Record& record) override;
  absl::Status CommitTransaction(const TransactionInfo& txn) override;
  absl::Status AbortTransaction() override;
  absl::Status Flush() override;
  absl::Status Tick(Lsn idle_lsn, bool caught_up) override;
  std::chrono::milliseconds NextTickIn() const override;
  Lsn DurableLsn() const override { return Lsn(durable_.load(std::memory_order_acquire)); }
  bool SnapshotIncomplete() const override { return snapshot_incomplete_; }
  std::optional<SnapshotPosition> SnapshotResume() const override { return snapshot_resume_; }
  std::string IncrementalSnapshotState() const override { return incremental_state_; }

  uint64_t commits() const { return commits_; }

 private:
  using Clock = std::chrono::steady_clock;

  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque);
  // The producer of the batch in progress (or the next).
  rd_kafka_t* producer() const { return producers_[active_].get(); }
  // Creates `topic` on first use. Returns its name as kept in known_topics_
  // (so producing needs no copy); valid until the next topic is added.
  absl::StatusOr<const std::string*> EnsureTopic(std::string_view topic);
  absl::Status Produce(std::string_view topic, const std::string_view* key,
                       const std::string_view* value, std::span<const Header> headers);
  // Commits the open Kafka transaction (exactly once) or flushes (at least
  // once); on success the pending position becomes durable.
  absl::Status CommitBatch();
  // Gives up what is not committed. Returns kUnavailable (reopen and resume)
  // unless `cause` is permanent (kFailedPrecondition, kInvalidArgument), which
  // stops the engine: retrying could only loop on the same record.
  absl::Status Fail(absl::Status cause);
  // The permanent error among the failed delivery reports, if any.
  absl::Status PermanentDeliveryFailure() const;

  KafkaSinkOptions options_;
  // The first; the second only with transactional.producers=2.
  kafka::Handle producers_[2];
  int active_ = 0;
  absl::flat_hash_set<std::string> known_topics_;
  bool kafka_txn_open_ = false;
  bool batch_has_data_ = false;
  Clock::time_point batch_started_;
  Clock::time_point kafka_txn_started_;
  // The producer's transaction.timeout.ms (0 when unset or not numeric): how
  // long a Kafka transaction may stay open before the broker aborts it.
  std::chrono::milliseconds transaction_timeout_{0};
  Clock::time_point last_commit_;
  int64_t batch_transactions_ = 0;
  int64_t batch_bytes_ = 0;
  TransactionInfo pending_;                          // Last PostgreSQL transaction in the batch.
  bool snapshot_incomplete_ = false;                 // What Open() read.
  std::optional<SnapshotPosition> snapshot_resume_;  // What Open() read.
  // The snapshot position of pending_, when it is a snapshot's.
  std::optional<SnapshotPosition> pending_position_;
  // The incremental snapshot state: what Open() read, then the latest given
  // (TransactionInfo::incremental_snapshot), written with every offsets record.
  std::string incremental_state_;
  std::atomic<uint64_t> durable_{0};
  // Failed delivery reports since Open(), filled on librdkafka's thread.
  struct DeliveryFailures {
    std::atomic<int> count{0};
    std::atomic<int> first_error{RD_KAFKA_RESP_ERR_NO_ERROR};
    std::string first_topic;  // Written once, before first_error is published.
  };
  DeliveryFailures delivery_failures_;
  uint64_t commits_ = 0;
  // Where the caller waited, logged when the sink goes: in commits (or, at
  // least once, flushes), and for room in the producer's queue.
  Clock::duration commit_wait_{};
  Clock::duration queue_wait_{};
};

}  // namespace trackops::sink

#endif  // TRACKOPS_SINK_KAFKA_SINK_H_
