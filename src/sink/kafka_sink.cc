#include "sink/kafka_sink.h"

#include <algorithm>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "kafka/kafka_error.h"
#include "sink/offsets_record.h"
#include "util/log.h"
#include "util/status_macros.h"
#include "util/string_view.h"

namespace trackops::sink {
namespace {

// Client settings a consumer needs too (connection and security).
kafka::Settings ConnectionSettings(const kafka::Settings& producer) {
  kafka::Settings out;
  for (const auto& [k, v] : producer) {
    if (k.starts_with("bootstrap.") || k.starts_with("security.") || k.starts_with("sasl.") ||
        k.starts_with("ssl.") || k.starts_with("socket.") || k == "client.id" ||
        k.starts_with("broker.")) {
      out[k] = v;
    }
  }
  return out;
}

absl::Status PropertyError(absl::string_view key, absl::string_view value,
                           absl::string_view expected) {
  return absl::InvalidArgumentError(absl::StrCat("invalid value '", value,
                                                 "' for property debezium.sink.kafka.", key,
                                                 ": expected ", expected));
}

}  // namespace

std::string SecondTransactionalId(std::string_view transactional_id) {
  // A slot name has no '.', so the default id of another slot cannot end so.
  return absl::StrCat(ToAbsl(transactional_id), ".1");
}

// On librdkafka's thread (served by rd_kafka_poll/flush on the caller's).
void KafkaSink::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
  auto* failures = static_cast<DeliveryFailures*>(opaque);
  const char* topic = m->rkt != nullptr ? rd_kafka_topic_name(m->rkt) : "?";
  if (failures->count.fetch_add(1) == 0) {
    failures->first_topic = topic;
    failures->first_error.store(m->err, std::memory_order_release);
  }
  Log(LogLevel::kWarning, "Kafka delivery to %s failed: %s", topic, rd_kafka_err2str(m->err));
}

absl::Status KafkaSink::PermanentDeliveryFailure() const {
  auto err = static_cast<rd_kafka_resp_err_t>(
      delivery_failures_.first_error.load(std::memory_order_acquire));
  if (!kafka::IsPermanent(err)) return absl::OkStatus();
  return kafka::FromResponse(
      err, absl::StrCat("delivering a record to ", delivery_failures_.first_topic));
}

absl::StatusOr<KafkaSinkOptions> KafkaSinkOptions::FromConfig(const Config& config) {
  KafkaSinkOptions o;
  const ConnectorConfig& c = config.connector;
  o.transactional_id = absl::StrCat("trackops-", c.dbname, "-", c.slot_name);
  o.offsets_key = absl::StrCat(c.dbname, "/", c.slot_name);
  for (const auto& property : config.sink.values()) {
    // Named references, not structured bindings: lambdas capture them (clang 14).
    const std::string& key = property.first;
    const std::string& value = property.second;
    auto number = [&](int64_t min, int64_t* out) -> absl::Status {
      int64_t v;
      if (!absl::SimpleAtoi(value, &v) || v < min) {
        return PropertyError(key, value, absl::StrCat("an integer >= ", min));
      }
      *out = v;
      return absl::OkStatus();
    };
    int64_t n = 0;
    if (key.starts_with("producer.")) {
      o.producer[key.substr(9)] = value;
    } else if (key == "delivery") {
      if (value != "exactly-once" && value != "at-least-once") {
        return PropertyError(key, value, "exactly-once or at-least-once");
      }
      o.exactly_once = value == "exactly-once";
    } else if (key == "transactional.id") {
      o.transactional_id = value;
    } else if (key == "offsets.topic") {
      o.offsets_topic = value;
    } else if (key == "batch.max.transactions") {
      TRACKOPS_RETURN_IF_ERROR(number(1, &o.batch_max_transactions));
    } else if (key == "batch.max.bytes") {
      TRACKOPS_RETURN_IF_ERROR(number(1, &o.batch_max_bytes));
    } else if (key == "batch.max.ms") {
      TRACKOPS_RETURN_IF_ERROR(number(0, &o.batch_max_ms));
    } else if (key == "batch.min.ms") {
      TRACKOPS_RETURN_IF_ERROR(number(0, &o.batch_min_ms));
    } else if (key == "idle.commit.ms") {
      TRACKOPS_RETURN_IF_ERROR(number(1, &o.idle_commit_ms));
    } else if (key == "transactional.producers") {
      if (value != "1" && value != "2") return PropertyError(key, value, "1 or 2");
      o.transactional_producers = value == "1" ? 1 : 2;
    } else if (key == "topic.partitions") {
      TRACKOPS_RETURN_IF_ERROR(number(1, &n));
      o.topic_partitions = static_cast<int>(n);
    } else if (key == "topic.replication.factor") {
      TRACKOPS_RETURN_IF_ERROR(number(1, &n));
      o.topic_replication_factor = static_cast<int>(n);
    } else if (key == "timeout.ms") {
      TRACKOPS_RETURN_IF_ERROR(number(1000, &n));
      o.timeout = std::chrono::milliseconds(n);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown property debezium.sink.kafka.", key));
    }
  }
  if (!o.producer.contains("bootstrap.servers")) {
    return absl::InvalidArgumentError(
        "missing required property debezium.sink.kafka.producer.bootstrap.servers");
  }
  if (!o.exactly_once && o.transactional_producers != 1) {
    return absl::InvalidArgumentError(
        "debezium.sink.kafka.transactional.producers=2 needs "
        "debezium.sink.kafka.delivery=exactly-once (at least once has no transactions)");
  }
  // Kafka's default partitioner for keyed records: murmur2 of the key bytes.
  o.producer.try_emplace("partitioner", "murmur2_random");
  // Debezium's JSON repeats its schemas and field names: lz4 shrinks it
  // several times for little CPU, and the broker then handles far fewer
  // ProduceRequests (docs/performance.md).
  if (!o.producer.contains("compression.codec") && !o.producer.contains("compression.type")) {
    o.producer["compression.codec"] = "lz4";
  }
  // The sink decides when records must be out: a commit (or, at least once,
  // a flush) at the end of every batch sends whatever is waiting. Until then
  // a batch goes out when it is full. librdkafka 2.0.2's broker thread polls
  // without sleeping while its oldest queued record is older than linger.ms
  // and cannot be sent yet (five requests in flight, or a socket the broker
  // has not drained): with the default 5 ms that is the whole time the
  // broker is the slower side, and the spinning thread takes the CPU the
  // broker needs. 1 s makes the wait a sleep (docs/performance.md).
  if (!o.producer.contains("linger.ms") && !o.producer.contains("queue.buffering.max.ms")) {
    o.producer["linger.ms"] = "1000";
  }
  // Records waiting for acknowledgement are bounded (8 MiB, librdkafka's
  // default is 1 GiB): memory stays flat however large a transaction is, and
  // records do not wait in the queue longer than linger.ms. A record as large
  // as message.max.bytes must still fit.
  if (!o.producer.contains("queue.buffering.max.kbytes")) {
    int64_t message_max = 1000000;  // librdkafka's default.
    auto it = o.producer.find("message.max.bytes");
    if (it != o.producer.end() && !absl::SimpleAtoi(it->second, &message_max)) {
      return PropertyError("producer.message.max.bytes", it->second, "an integer");
    }
    o.producer["queue.buffering.max.kbytes"] =
        absl::StrCat(std::max<int64_t>(8192, 2 * message_max / 1024 + 1));
  }
  if (o.exactly_once) {
    // A PostgreSQL transaction goes out in one Kafka transaction, which the
    // broker aborts after transaction.timeout.ms: librdkafka's 60 s would
    // refuse a transaction of a few million rows. 15 min is the most a
    // broker allows by default (transaction.max.timeout.ms).
    o.producer.try_emplace("transaction.timeout.ms", "900000");
    o.producer["transactional.id"] = o.transactional_id;
  } else {
    o.producer["enable.idempotence"] = "true";
  }
  return o;
}

KafkaSink::KafkaSink(KafkaSinkOptions options) : options_(std::move(options)) {
  auto timeout = options_.producer.find("transaction.timeout.ms");
  int64_t ms = 0;
  if (timeout != options_.producer.end() && absl::SimpleAtoi(timeout->second, &ms)) {
    transaction_timeout_ = std::chrono::milliseconds(ms);
  }
}

KafkaSink::~KafkaSink() {
  if (producer() != nullptr && kafka_txn_open_) {
    kafka::FromError(rd_kafka_abort_transaction(producer(), 5000), "abort").IgnoreError();
  }
  if (commits_ > 0) {
    auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
    Log(LogLevel::kInfo,
        "Kafka sink: %d %s, %.2f s waiting for them, %.2f s waiting for room in the producer's "
        "queue",
        commits_, options_.exactly_once ? "commits" : "flushes", seconds(commit_wait_),
        seconds(queue_wait_));
  }
}

absl::StatusOr<Lsn> KafkaSink::Open() {
  // New producers every time: init_transactions fences any earlier instance
  // (ours before a crash, or a zombie) and aborts its open transaction.
  producers_[0].reset();
  producers_[1].reset();
  active_ = 0;
  kafka_txn_open_ = false;
  batch_has_data_ = false;
  batch_transactions_ = batch_bytes_ = 0;
  delivery_failures_.count = 0;
  delivery_failures_.first_error = RD_KAFKA_RESP_ERR_NO_ERROR;
  known_topics_.clear();
  auto on_delivery = [this](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_dr_msg_cb(conf, &OnDelivery);
    rd_kafka_conf_set_opaque(conf, &delivery_failures_);
  };
  TRACKOPS_ASSIGN_OR_RETURN(producers_[0], kafka::NewProducer(options_.producer, on_delivery));
  last_commit_ = Clock::now();
  if (!options_.exactly_once) return Lsn();

  if (options_.transactional_producers == 2) {
    kafka::Settings second = options_.producer;
    second["transactional.id"] = SecondTransactionalId(options_.transactional_id);
    TRACKOPS_ASSIGN_OR_RETURN(producers_[1], kafka::NewProducer(second, on_delivery));
  }
  for (const kafka::Handle& producer : producers_) {
    if (producer == nullptr) continue;
    TRACKOPS_RETURN_IF_ERROR(kafka::FromError(
        rd_kafka_init_transactions(producer.get(), static_cast<int>(options_.timeout.count())),
        "initialising Kafka transactions"));
  }
  kafka::TopicSpec offsets{options_.offsets_topic,
                           1,
                           options_.topic_replication_factor,
                           {{"cleanup.policy", "compact"}}};
  TRACKOPS_RETURN_IF_ERROR(kafka::EnsureTopic(producer(), offsets, options_.timeout));
  known_topics_.insert(options_.offsets_topic);
  TRACKOPS_ASSIGN_OR_RETURN(
      std::optional<std::string> last,
      kafka::ReadLastValue(ConnectionSettings(options_.producer), options_.offsets_topic,
                           options_.offsets_key, options_.timeout));
  OffsetsRecord recorded;
  if (last.has_value()) {
    absl::StatusOr<OffsetsRecord> parsed = ParseOffsetsRecord(*last);
    if (!parsed.ok()) {
      return absl::DataLossError(absl::StrCat("the ", options_.offsets_key, " ",
                                              parsed.status().message(), " (in ",
                                              options_.offsets_topic, ")"));
    }
    recorded = *std::move(parsed);
  }
  const Lsn resume = recorded.end_lsn;
  snapshot_incomplete_ = recorded.snapshot == SnapshotPhase::kRunning;
  snapshot_resume_ = std::move(recorded.snapshot_position);
  incremental_state_ = std::move(recorded.incremental_snapshot);
  durable_.store(std::max(durable_.load(), resume.value()), std::memory_order_release);
  Log(LogLevel::kInfo, "Kafka sink ready (transactional.id %s%s): %s", options_.transactional_id,
      producers_[1] != nullptr
          ? absl::StrCat(" and ", SecondTransactionalId(options_.transactional_id))
          : "",
      resume.is_valid()
          ? absl::StrCat(
                "delivered up to ", resume.ToString(),
                !snapshot_incomplete_ ? ""
                : snapshot_resume_.has_value()
                    ? absl::StrCat(" (inside an initial snapshot, before page ",
                                   snapshot_resume_->page, " of ", snapshot_resume_->table, ")")
                    : std::string(" (inside an initial snapshot)"))
          : std::string("nothing delivered yet"));
  return resume;
}

absl::StatusOr<const std::string*> KafkaSink::EnsureTopic(std::string_view topic) {
  auto known = known_topics_.find(ToAbsl(topic));
  if (known != known_topics_.end()) return &*known;
  kafka::TopicSpec spec{
      std::string(topic), options_.topic_partitions, options_.topic_replication_factor, {}};
  TRACKOPS_RETURN_IF_ERROR(kafka::EnsureTopic(producer(), spec, options_.timeout));
  return &*known_topics_.insert(std::string(topic)).first;
}

absl::Status KafkaSink::Fail(absl::Status cause) {
  // The broker aborts a Kafka transaction open longer than
  // transaction.timeout.ms and fences the producer: sending the same
  // PostgreSQL transaction again would fail the same way, for ever.
  const bool timed_out = options_.exactly_once && kafka_txn_open_ &&
                         transaction_timeout_.count() > 0 &&
                         Clock::now() - kafka_txn_started_ >= transaction_timeout_;
  if (producer() != nullptr && kafka_txn_open_ && !kafka::IsFatal(cause)) {
    kafka::FromError(
        rd_kafka_abort_transaction(producer(), static_cast<int>(options_.timeout.count())),
        "aborting the Kafka transaction")
        .IgnoreError();
  }
  kafka_txn_open_ = false;
  batch_has_data_ = false;
  batch_transactions_ = batch_bytes_ = 0;
  absl::Status permanent = PermanentDeliveryFailure();
  if (!permanent.ok()) cause = permanent;
  if (timed_out) {
    cause = absl::FailedPreconditionError(absl::StrCat(
        "the Kafka transaction stayed open longer than transaction.timeout.ms (",
        transaction_timeout_.count(), " ms) and the broker aborted it (", cause.message(),
        "); a PostgreSQL transaction is never split, so this one cannot be delivered until "
        "debezium.sink.kafka.producer.transaction.timeout.ms is raised (at most the broker's "
        "transaction.max.timeout.ms); nothing was confirmed past the previous transaction"));
  }
  std::string message = absl::StrCat("Kafka: ", cause.message());
  if (cause.code() == absl::StatusCode::kFailedPrecondition ||
      cause.code() == absl::StatusCode::kInvalidArgument) {
    return absl::Status(cause.code(), message);
  }
  // The next Open() recreates the producer; PostgreSQL resends what follows
  // DurableLsn().
  return absl::UnavailableError(message);
}

absl::Status KafkaSink::BeginTransaction(const TransactionInfo& txn) {
  if (producer() == nullptr) return absl::FailedPreconditionError("KafkaSink used before Open()");
  if (options_.exactly_once && !kafka_txn_open_) {
    absl::Status s =
        kafka::FromError(rd_kafka_begin_transaction(producer()), "beginning a Kafka transaction");
    if (!s.ok()) return Fail(s);
    kafka_txn_open_ = true;
    kafka_txn_started_ = Clock::now();
  }
  if (!batch_has_data_) batch_started_ = Clock::now();
  batch_has_data_ = true;
  return absl::OkStatus();
}

absl::Status KafkaSink::Produce(std::string_view topic, const std::string_view* key,
                                const std::string_view* value, std::span<const Header> headers) {
  absl::StatusOr<const std::string*> topic_name = EnsureTopic(topic);
  if (!topic_name.ok()) return Fail(topic_name.status());
  rd_kafka_headers_t* hdrs = nullptr;
  if (!headers.empty()) {
    hdrs = rd_kafka_headers_new(headers.size());
    for (const Header& h : headers) {
      rd_kafka_header_add(hdrs, h.key.data(), static_cast<ssize_t>(h.key.size()), h.value.data(),
                          static_cast<ssize_t>(h.value.size()));
    }
  }
  const void* key_data = key != nullptr ? key->data() : nullptr;
  size_t key_size = key != nullptr ? key->size() : 0;
  void* value_data = value != nullptr ? const_cast<char*>(value->data()) : nullptr;
  size_t value_size = value != nullptr ? value->size() : 0;
  auto deadline = Clock::now() + options_.timeout;
  while (true) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer(), RD_KAFKA_V_TOPIC((*topic_name)->c_str()), RD_KAFKA_V_KEY(key_data, key_size),
        RD_KAFKA_V_VALUE(value_data, value_size), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;  // The message owns the headers now.
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && Clock::now() < deadline) {
      const Clock::time_point waiting = Clock::now();
      rd_kafka_poll(producer(), 50);  // Backpressure: wait for the queue to drain.
      queue_wait_ += Clock::now() - waiting;
      continue;
    }
    if (hdrs != nullptr) rd_kafka_headers_destroy(hdrs);
    return Fail(kafka::FromResponse(err, absl::StrCat("producing to ", **topic_name)));
  }
  rd_kafka_poll(producer(), 0);  // Serve delivery reports.
  batch_bytes_ += static_cast<int64_t>((key ? key->size() : 0) + (value ? value->size() : 0));
  return absl::OkStatus();
}

absl::Status KafkaSink::Write(const Record& record) {
  std::string_view key, value;
  if (record.key) key = *record.key;
  if (record.value) value = *record.value;
  return Produce(record.topic, record.key ? &key : nullptr, record.value ? &value : nullptr,
                 record.headers);
}

absl::Status KafkaSink::CommitTransaction(const TransactionInfo& txn) {
  pending_ = txn;
  pending_.snapshot_position = nullptr;  // The caller's; copied when there is one.
  pending_.incremental_snapshot = nullptr;
  if (txn.incremental_snapshot != nullptr) incremental_state_ = *txn.incremental_snapshot;
  if (txn.snapshot_position != nullptr) {
    pending_position_ = *txn.snapshot_position;
  } else if (txn.snapshot != SnapshotPhase::kNone) {
    pending_position_.reset();
  }
  ++batch_transactions_;
  if (batch_transactions_ >= options_.batch_max_transactions ||
      batch_bytes_ >= options_.batch_max_bytes) {
    return CommitBatch();
  }
  return absl::OkStatus();
}

absl::Status KafkaSink::CommitBatch() {
  const Clock::time_point started = Clock::now();
  if (options_.exactly_once) {
    if (!kafka_txn_open_) return absl::OkStatus();
    const std::string offsets = FormatOffsetsRecord(
        options_.offsets_key, pending_,
        pending_position_.has_value() ? &*pending_position_ : nullptr, incremental_state_);
    std::string_view key = options_.offsets_key, value = offsets;
    TRACKOPS_RETURN_IF_ERROR(Produce(options_.offsets_topic, &key, &value, {}));
    auto deadline = Clock::now() + options_.timeout;
    while (true) {
      absl::Status s = kafka::FromError(
          rd_kafka_commit_transaction(producer(), static_cast<int>(options_.timeout.count())),
          "committing the Kafka transaction");
      if (s.ok()) break;
      // A retriable failure (a timeout) may be retried: commit is resumable.
      if (s.code() == absl::StatusCode::kUnavailable && Clock::now() < deadline) continue;
      return Fail(s);
    }
    kafka_txn_open_ = false;
    // Its markers may still be in writing: the next batch takes the other.
    if (producers_[1] != nullptr) active_ ^= 1;
  } else {
    absl::Status s =
        kafka::FromResponse(rd_kafka_flush(producer(), static_cast<int>(options_.timeout.count())),
                            "flushing to Kafka");
    if (s.ok() && delivery_failures_.count.load() > 0) {
      s = absl::UnavailableError(
          absl::StrCat(delivery_failures_.count.load(), " records could not be delivered"));
    }
    if (!s.ok()) return Fail(s);
  }
  durable_.store(pending_.end_lsn.value(), std::memory_order_release);
  last_commit_ = Clock::now();
  if (LogEnabled(LogLevel::kDebug)) {
    // Wall-clock times, for bench/e2e/latency.sh to tell when each record
    // was committed in Kafka.
    const int64_t done_us = absl::ToUnixMicros(absl::Now());
    const int64_t took_us = absl::ToInt64Microseconds(absl::FromChrono(last_commit_ - started));
    Log(LogLevel::kDebug, "Kafka commit: %d transactions up to %s, unix us %d to %d",
        batch_transactions_, pending_.end_lsn.ToString(), done_us - took_us, done_us);
  }
  batch_has_data_ = false;
  batch_transactions_ = batch_bytes_ = 0;
  commit_wait_ += last_commit_ - started;
  ++commits_;
  return absl::OkStatus();
}

absl::Status KafkaSink::AbortTransaction() {
  // The PostgreSQL transaction in progress will come again whole: so will the
  // rest of the batch, which is not committed either.
  if (producer() != nullptr && kafka_txn_open_) {
    absl::Status s = kafka::FromError(
        rd_kafka_abort_transaction(producer(), static_cast<int>(options_.timeout.count())),
        "aborting the Kafka transaction");
    if (!s.ok()) Log(LogLevel::kWarning, "%s", s.message());
  }
  kafka_txn_open_ = false;
  batch_has_data_ = false;
  batch_transactions_ = batch_bytes_ = 0;
  return absl::OkStatus();
}

absl::Status KafkaSink::Flush() {
  if (producer() == nullptr || !batch_has_data_) return absl::OkStatus();
  return CommitBatch();
}

std::chrono::milliseconds KafkaSink::NextTickIn() const {
  if (!batch_has_data_) return std::chrono::milliseconds(100);
  // From batch.min.ms on, the first Tick() that finds the stream caught up
  // commits it: the engine then reads without waiting until it is.
  auto due = batch_started_ +
             std::chrono::milliseconds(std::min(options_.batch_min_ms, options_.batch_max_ms));
  // Rounded up: 0 only once Tick() may commit (a fraction of a millisecond
  // left must not read as due).
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::ceil<std::chrono::milliseconds>(due - Clock::now()));
}

absl::Status KafkaSink::Tick(Lsn idle_lsn, bool caught_up) {
  if (producer() == nullptr) return absl::OkStatus();
  rd_kafka_poll(producer(), 0);
  auto now = Clock::now();
  if (batch_has_data_) {
    const auto age = now - batch_started_;
    if (age >= std::chrono::milliseconds(options_.batch_max_ms) ||
        (caught_up && age >= std::chrono::milliseconds(options_.batch_min_ms))) {
      return CommitBatch();
    }
    return absl::OkStatus();
  }
  // Idle: record the position so that the slot can release WAL.
  if (options_.exactly_once && idle_lsn > DurableLsn() &&
      now - last_commit_ >= std::chrono::milliseconds(options_.idle_commit_ms)) {
    absl::Status s =
        kafka::FromError(rd_kafka_begin_transaction(producer()), "beginning a Kafka transaction");
    if (!s.ok()) return Fail(s);
    kafka_txn_open_ = true;
    kafka_txn_started_ = Clock::now();
    batch_has_data_ = true;
    pending_ = TransactionInfo{Xid(), idle_lsn, idle_lsn, 0};
    return CommitBatch();
  }
  return absl::OkStatus();
}

}  // namespace trackops::sink
