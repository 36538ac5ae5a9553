// A sink for integration tests that keeps what each record says (parsed as
// it arrives: large snapshots would not fit as text) and the rows each table
// holds once every committed event is applied in order.

#ifndef TRACKOPS_TESTS_INTEGRATION_STATE_SINK_H_
#define TRACKOPS_TESTS_INTEGRATION_STATE_SINK_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "simdjson.h"
#include "trackops/sink.h"

namespace trackops::testing {

// What the tests check of each record.
struct Event {
  std::string topic;
  std::string op;        // "r", "c", "u", "d"; "" for a tombstone.
  std::string snapshot;  // source.snapshot.
  int64_t id = 0;        // The row's "id" (after, or before for deletes).
  std::string value;     // The row's "v" column ("" when null or deleted).
  int64_t lsn = 0;       // source.lsn.
};

// Keeps an Event per record delivered (committed) and the rows each table
// holds once every event is applied in order.
class StateSink : public Sink {
 public:
  // Records of `ignored` topics are dropped unread.
  explicit StateSink(std::vector<std::string> ignored = {}) : ignored_(std::move(ignored)) {}

  absl::Status BeginTransaction(const TransactionInfo& txn) override {
    absl::MutexLock lock(&mu_);
    pending_.clear();
    return absl::OkStatus();
  }
  absl::Status Write(const Record& r) override {
    for (const std::string& topic : ignored_) {
      if (r.topic == topic) return absl::OkStatus();
    }
    Event e;
    e.topic = std::string(r.topic);
    if (r.value.has_value()) {
      simdjson::dom::element v;
      if (parser_.parse(r.value->data(), r.value->size()).get(v) != simdjson::SUCCESS) {
        return absl::DataLossError("not JSON");
      }
      simdjson::dom::element payload;
      if (v["payload"].get(payload) == simdjson::SUCCESS) v = payload;  // Schemas on.
      std::string_view op;
      if (v["op"].get(op) != simdjson::SUCCESS) return absl::DataLossError("no op");
      e.op = std::string(op);
      std::string_view snapshot;
      if (v["source"]["snapshot"].get(snapshot) == simdjson::SUCCESS) e.snapshot = snapshot;
      if (v["source"]["lsn"].get(e.lsn) != simdjson::SUCCESS) e.lsn = -1;  // Null: none.
      simdjson::dom::element row = e.op == "d" ? v["before"] : v["after"];
      if (row["id"].get(e.id) != simdjson::SUCCESS) return absl::DataLossError("no id");
      std::string_view text;
      if (e.op != "d" && row["v"].get(text) == simdjson::SUCCESS) e.value = text;
    }
    absl::MutexLock lock(&mu_);
    pending_.push_back(std::move(e));
    return absl::OkStatus();
  }
  absl::Status CommitTransaction(const TransactionInfo& txn) override {
    absl::MutexLock lock(&mu_);
    for (Event& e : pending_) {
      if (!e.op.empty()) Apply(e);
      events_.push_back(std::move(e));
    }
    pending_.clear();
    phases_.push_back(txn.snapshot);
    durable_.store(txn.end_lsn.value());
    return absl::OkStatus();
  }
  absl::Status AbortTransaction() override {
    absl::MutexLock lock(&mu_);
    pending_.clear();
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }
  Lsn DurableLsn() const override { return Lsn(durable_.load()); }

  bool WaitFor(const std::function<bool(const std::vector<Event>&)>& done,
               absl::Duration timeout = absl::Seconds(120)) {
    absl::MutexLock lock(&mu_);
    auto cond = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return done(events_); };
    return mu_.AwaitWithTimeout(absl::Condition(&cond), timeout);
  }
  std::vector<Event> events() const {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  // topic -> id -> v, after applying every event in order.
  std::map<std::string, std::map<int64_t, std::string>> state() const {
    absl::MutexLock lock(&mu_);
    return state_;
  }
  std::vector<SnapshotPhase> phases() const {
    absl::MutexLock lock(&mu_);
    return phases_;
  }
  // Rows read more than once, or changed by a create of an existing row.
  int64_t conflicts() const {
    absl::MutexLock lock(&mu_);
    return conflicts_;
  }

 private:
  void Apply(const Event& e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto& rows = state_[e.topic];
    if (e.op == "d") {
      if (rows.erase(e.id) == 0) ++conflicts_;
      return;
    }
    if ((e.op == "r" || e.op == "c") && rows.contains(e.id)) ++conflicts_;
    if (e.op == "u" && !rows.contains(e.id)) ++conflicts_;
    rows[e.id] = e.value;
  }

  const std::vector<std::string> ignored_;
  simdjson::dom::parser parser_;  // Used by the engine's thread only.
  mutable absl::Mutex mu_;
  std::vector<Event> pending_ ABSL_GUARDED_BY(mu_);
  std::vector<Event> events_ ABSL_GUARDED_BY(mu_);
  std::vector<SnapshotPhase> phases_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::map<int64_t, std::string>> state_ ABSL_GUARDED_BY(mu_);
  int64_t conflicts_ ABSL_GUARDED_BY(mu_) = 0;
  std::atomic<uint64_t> durable_{0};
};

}  // namespace trackops::testing

#endif  // TRACKOPS_TESTS_INTEGRATION_STATE_SINK_H_
