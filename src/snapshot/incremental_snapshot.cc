#include "snapshot/incremental_snapshot.h"

#include <regex>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "config/table_filter.h"
#include "event/json_writer.h"
#include "simdjson.h"
#include "snapshot/captured_tables.h"
#include "snapshot/changed_rows.h"
#include "util/log.h"
#include "util/status_macros.h"
#include "util/string_view.h"

namespace trackops::snapshot {
namespace {

// The data-collections of a signal's data, or an error naming what is wrong.
absl::StatusOr<std::vector<std::string>> DataCollections(std::string_view data, bool required) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(data.data(), data.size()).get(root) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("its data is not JSON");
  }
  std::string_view type = "incremental";
  if (root["type"].error() != simdjson::NO_SUCH_FIELD &&
      root["type"].get(type) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("\"type\" is not a string");
  }
  if (type != "incremental" && type != "INCREMENTAL") {
    return absl::InvalidArgumentError(
        absl::StrCat("snapshot type \"", ToAbsl(type), "\" is not supported (only incremental)"));
  }
  std::vector<std::string> out;
  simdjson::dom::array list;
  auto field = root["data-collections"];
  if (field.error() == simdjson::NO_SUCH_FIELD) {
    if (required) return absl::InvalidArgumentError("\"data-collections\" is missing");
    return out;
  }
  if (field.get(list) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("\"data-collections\" is not an array");
  }
  for (simdjson::dom::element e : list) {
    std::string_view name;
    if (e.get(name) != simdjson::SUCCESS) {
      return absl::InvalidArgumentError("\"data-collections\" holds a value that is not a string");
    }
    try {
      std::regex check{std::string(name)};
    } catch (const std::regex_error&) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", ToAbsl(name),
                       "\" in \"data-collections\" is not a valid regular "
                       "expression"));
    }
    out.emplace_back(name);
  }
  if (required && out.empty()) return absl::InvalidArgumentError("\"data-collections\" is empty");
  return out;
}

std::string NewChunkId() {
  absl::BitGen gen;
  return absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(gen), absl::Uniform<uint64_t>(gen));
}

std::string NowIso() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", absl::Now(), absl::UTCTimeZone());
}

}  // namespace

IncrementalSnapshot::IncrementalSnapshot(const ConnectorConfig& config,
                                         const event::EncoderOptions& encoder)
    : config_(config), encoder_(encoder) {
  const std::string& signal = config.signal_data_collection;
  const size_t dot = signal.find('.');
  signal_schema_ = dot == std::string::npos ? "public" : signal.substr(0, dot);
  signal_table_ = dot == std::string::npos ? signal : signal.substr(dot + 1);
  signal_insert_ =
      absl::StrCat("INSERT INTO ", QuoteIdentifier(signal_schema_), ".",
                   QuoteIdentifier(signal_table_), " (id, type, data) VALUES ($1, $2, $3)");
}

absl::Status IncrementalSnapshot::Attach(replication::PgConnection* conn,
                                         schema::Catalog* catalog) {
  conn_ = conn;
  catalog_ = catalog;
  // The walsender's output settings; and watermarks flushed at once, so that
  // the stream reaches them without waiting for the WAL writer.
  TRACKOPS_RETURN_IF_ERROR(SetWalsenderOutput(*conn_, /*local=*/false));
  TRACKOPS_RETURN_IF_ERROR(conn_->Exec("SET synchronous_commit = on").status());
  window_open_ = false;
  buffer_.clear();
  buffer_keys_.clear();
  if (current_.has_value()) {
    Log(LogLevel::kInfo,
        "incremental snapshot: reconnected; reading %s again from its start (%d rows were "
        "delivered)",
        current_->name, table_rows_);
    queue_.push_front(current_->name);
    current_.reset();
  }
  chunk_id_.clear();
  absl::Status read = running() ? ReadChunk() : absl::OkStatus();
  UpdateState();
  return read;
}

void IncrementalSnapshot::Restore(std::string_view state) {
  current_.reset();
  queue_.clear();
  buffer_.clear();
  buffer_keys_.clear();
  chunk_id_.clear();
  window_open_ = false;
  restored_table_.clear();
  restored_key_.clear();
  restored_max_.clear();
  state_.clear();
  if (state.empty()) return;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array tables, key, max;
  auto strings = [](simdjson::dom::array a, std::vector<std::string>* out) {
    for (simdjson::dom::element e : a) {
      std::string_view text;
      if (e.get(text) != simdjson::SUCCESS) return false;
      out->emplace_back(text);
    }
    return true;
  };
  std::vector<std::string> names;
  if (parser.parse(state.data(), state.size()).get(root) != simdjson::SUCCESS ||
      root["tables"].get(tables) != simdjson::SUCCESS ||
      root["key"].get(key) != simdjson::SUCCESS || root["max"].get(max) != simdjson::SUCCESS ||
      !strings(tables, &names) || !strings(key, &restored_key_) || !strings(max, &restored_max_)) {
    Log(LogLevel::kError,
        "incremental snapshot: the recorded state does not parse (%s); it is dropped: signal "
        "execute-snapshot again",
        state);
    restored_key_.clear();
    restored_max_.clear();
    return;
  }
  queue_.assign(names.begin(), names.end());
  if (!names.empty()) restored_table_ = names.front();
  Log(LogLevel::kInfo, "incremental snapshot: carrying on with %s%s", absl::StrJoin(names, ", "),
      restored_key_.empty() ? ""
                            : absl::StrCat(" (after key ", absl::StrJoin(restored_key_, ","), ")"));
  UpdateState();
}

void IncrementalSnapshot::UpdateState() {
  state_.clear();
  if (!running()) return;
  auto list = [this](const std::vector<std::string>& values) {
    state_.push_back('[');
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) state_.push_back(',');
      event::JsonWriter json(&state_);
      json.String(values[i]);
    }
    state_.push_back(']');
  };
  std::vector<std::string> tables;
  if (current_.has_value()) tables.push_back(current_->name);
  tables.insert(tables.end(), queue_.begin(), queue_.end());
  state_ = "{\"tables\":";
  list(tables);
  state_ += ",\"key\":";
  list(current_.has_value() ? emitted_key_ : restored_key_);
  state_ += ",\"max\":";
  list(current_.has_value() ? max_key_ : restored_max_);
  state_ += "}";
}

bool IncrementalSnapshot::IsSignalTable(std::string_view schema, std::string_view table) const {
  return schema == signal_schema_ && table == signal_table_;
}

absl::Status IncrementalSnapshot::OnSignal(std::string_view id, std::string_view type,
                                           std::string_view data,
                                           const event::ChangeContext& context, Emit emit) {
  absl::Status s = Handle(id, type, data, context, emit);
  UpdateState();
  return s;
}

absl::Status IncrementalSnapshot::Handle(std::string_view id, std::string_view type,
                                         std::string_view data, const event::ChangeContext& context,
                                         Emit emit) {
  if (type == "snapshot-window-open") {
    if (current_.has_value() && !chunk_id_.empty() && id == chunk_id_ + "-open") {
      window_open_ = true;
    }
    return absl::OkStatus();
  }
  if (type == "snapshot-window-close") {
    if (!window_open_ || id != chunk_id_ + "-close") return absl::OkStatus();
    window_open_ = false;
    TRACKOPS_RETURN_IF_ERROR(EmitChunk(context, emit));
    return ReadChunk();
  }
  if (type == "execute-snapshot") return Execute(data);
  if (type == "stop-snapshot") return Stop(data);
  if (type == "pause-snapshot") {
    Log(LogLevel::kInfo, "incremental snapshot: paused (signal %s)", id);
    paused_ = true;
    return absl::OkStatus();
  }
  if (type == "resume-snapshot") {
    if (!paused_) return absl::OkStatus();
    Log(LogLevel::kInfo, "incremental snapshot: resumed (signal %s)", id);
    paused_ = false;
    // A chunk in flight resumes by itself at its close watermark.
    return chunk_id_.empty() ? ReadChunk() : absl::OkStatus();
  }
  if (type == "log") {
    simdjson::dom::parser parser;
    std::string_view message;
    simdjson::dom::element root;
    if (parser.parse(data.data(), data.size()).get(root) == simdjson::SUCCESS &&
        root["message"].get(message) == simdjson::SUCCESS) {
      Log(LogLevel::kInfo, "signal %s: %s", id, message);
    }
    return absl::OkStatus();
  }
  Log(LogLevel::kWarning, "signal %s: type \"%s\" is not supported; ignored", id, type);
  return absl::OkStatus();
}

absl::Status IncrementalSnapshot::Execute(std::string_view data) {
  absl::StatusOr<std::vector<std::string>> patterns = DataCollections(data, true);
  if (!patterns.ok()) {
    Log(LogLevel::kError, "execute-snapshot signal ignored: %s (data: %s)",
        patterns.status().message(), data);
    return absl::OkStatus();
  }
  // The captured tables the patterns match, in the snapshot's order.
  const TableFilter captured(config_.table_include_list, config_.table_exclude_list);
  const TableFilter wanted(*patterns, {});
  TRACKOPS_ASSIGN_OR_RETURN(
      std::vector<CapturedTable> tables,
      ListCapturedTables(*conn_, captured, {absl::StrCat(signal_schema_, ".", signal_table_)}));
  std::vector<std::string> added;
  for (const CapturedTable& t : tables) {
    if (!wanted.Includes(t.schema_name, t.table_name)) continue;
    std::string name = absl::StrCat(t.schema_name, ".", t.table_name);
    if (std::find(queue_.begin(), queue_.end(), name) != queue_.end()) continue;
    if (current_.has_value() && current_->name == name) continue;
    queue_.push_back(name);
    added.push_back(std::move(name));
  }
  if (added.empty()) {
    Log(LogLevel::kWarning,
        "execute-snapshot signal: no captured table matches %s (or all are being read already)",
        absl::StrJoin(*patterns, ", "));
    return absl::OkStatus();
  }
  Log(LogLevel::kInfo, "incremental snapshot of %s requested (chunks of %d rows)",
      absl::StrJoin(added, ", "), config_.incremental_snapshot_chunk_size);
  if (chunk_id_.empty()) return ReadChunk();
  return absl::OkStatus();
}

absl::Status IncrementalSnapshot::Stop(std::string_view data) {
  absl::StatusOr<std::vector<std::string>> patterns =
      DataCollections(data.empty() ? "{}" : data, false);
  if (!patterns.ok()) {
    Log(LogLevel::kError, "stop-snapshot signal ignored: %s (data: %s)",
        patterns.status().message(), data);
    return absl::OkStatus();
  }
  const TableFilter stopped(*patterns, {});
  auto matches = [&](const std::string& name) {
    if (patterns->empty()) return true;
    const size_t dot = name.find('.');
    return stopped.Includes(name.substr(0, dot), name.substr(dot + 1));
  };
  std::erase_if(queue_, matches);
  if (current_.has_value() && matches(current_->name)) {
    Log(LogLevel::kInfo, "incremental snapshot of %s stopped after %d rows", current_->name,
        table_rows_);
    current_.reset();
    chunk_id_.clear();
    window_open_ = false;
    buffer_.clear();
    buffer_keys_.clear();
    if (!queue_.empty() && !paused_) return ReadChunk();
  }
  return absl::OkStatus();
}

void IncrementalSnapshot::OnWindowChange(std::string_view key) {
  auto at = buffer_keys_.find(ToAbsl(key));
  if (at != buffer_keys_.end()) buffer_[at->second].dropped = true;
}

void IncrementalSnapshot::OnWindowTruncate() {
  for (BufferedRow& row : buffer_) row.dropped = true;
}

absl::Status IncrementalSnapshot::Watermark(const std::string& id, const char* type,
                                            const std::string& data) {
  return conn_->ExecParams(signal_insert_, {id, type, data}).status();
}

absl::StatusOr<bool> IncrementalSnapshot::NextTable() {
  while (!queue_.empty()) {
    std::string name = queue_.front();
    queue_.pop_front();
    const size_t dot = name.find('.');
    // The table as it is now (it may have changed since it was queued).
    const TableFilter captured(config_.table_include_list, config_.table_exclude_list);
    std::vector<CapturedTable> found;
    TRACKOPS_ASSIGN_OR_RETURN(found, ListCapturedTables(*conn_, captured, {}));
    std::erase_if(found, [&](const CapturedTable& t) {
      return t.schema_name != name.substr(0, dot) || t.table_name != name.substr(dot + 1);
    });
    if (found.empty()) {
      Log(LogLevel::kWarning, "incremental snapshot: table %s no longer exists; skipped", name);
      continue;
    }
    TRACKOPS_RETURN_IF_ERROR(EstimateUnknownSizes(*conn_, &found));
    TRACKOPS_ASSIGN_OR_RETURN(std::vector<PreparedTable> prepared,
                              PrepareTables(found, catalog_, config_, encoder_));
    PreparedTable& t = prepared.front();
    if (t.key.empty()) {
      Log(LogLevel::kError,
          "incremental snapshot: table %s has no primary key (nor message.key.columns) to read "
          "it in chunks by; skipped",
          name);
      continue;
    }
    std::string order_desc;
    for (const std::string& k : t.key_sql) {
      absl::StrAppend(&order_desc, order_desc.empty() ? "" : ", ", k, " DESC");
    }
    TRACKOPS_ASSIGN_OR_RETURN(
        replication::PgResult max,
        conn_->Exec(absl::StrCat("SELECT ", absl::StrJoin(t.key_sql, ", "), " FROM ", t.quoted_name,
                                 " ORDER BY ", order_desc, " LIMIT 1")));
    if (max.rows() == 0) {
      Log(LogLevel::kInfo, "incremental snapshot: table %s is empty", name);
      continue;
    }
    max_key_.clear();
    for (int c = 0; c < max.columns(); ++c) max_key_.emplace_back(max.Get(0, c));
    last_key_.clear();
    emitted_key_.clear();
    if (name == restored_table_ && restored_key_.size() == t.key.size()) {
      // Carrying on from a recorded state: after the last row delivered, up
      // to the maximum key of the first run.
      last_key_ = restored_key_;
      emitted_key_ = restored_key_;
      if (restored_max_.size() == t.key.size()) max_key_ = restored_max_;
    }
    restored_table_.clear();
    table_rows_ = 0;
    chunks_ = 0;
    table_started_ = Clock::now();
    next_progress_ = table_started_ + kProgressInterval;
    Log(LogLevel::kInfo, "incremental snapshot: reading %s (%s)", name,
        t.estimated_rows >= 0 ? absl::StrCat("about ", t.estimated_rows, " rows")
                              : std::string("size not known"));
    current_.emplace(std::move(t));
    return true;
  }
  return false;
}

void IncrementalSnapshot::FinishTable() {
  Log(LogLevel::kInfo, "incremental snapshot: %s done, %d rows in %d chunks, %s", current_->name,
      table_rows_, chunks_, FormatDuration(Clock::now() - table_started_));
  current_.reset();
  if (queue_.empty()) Log(LogLevel::kInfo, "incremental snapshot: completed");
}

absl::Status IncrementalSnapshot::ReadChunk() {
  chunk_id_.clear();
  buffer_.clear();
  buffer_keys_.clear();
  while (!paused_) {
    if (!current_.has_value()) {
      TRACKOPS_ASSIGN_OR_RETURN(bool more, NextTable());
      if (!more) return absl::OkStatus();
    }
    const PreparedTable& t = *current_;
    std::string key_list = absl::StrJoin(t.key_sql, ", ");
    std::vector<std::string> params;
    std::string where;
    auto placeholders = [&params](const std::vector<std::string>& values) {
      std::string out;
      for (const std::string& v : values) {
        params.push_back(v);
        absl::StrAppend(&out, out.empty() ? "" : ", ", "$", params.size());
      }
      return out;
    };
    if (!last_key_.empty()) {
      absl::StrAppend(&where, "(", key_list, ") > (", placeholders(last_key_), ") AND ");
    }
    absl::StrAppend(&where, "(", key_list, ") <= (", placeholders(max_key_), ")");
    const std::string sql = absl::StrCat(t.select, " WHERE ", where, " ORDER BY ", key_list,
                                         " LIMIT ", config_.incremental_snapshot_chunk_size);

    chunk_id_ = NewChunkId();
    const std::string opened = NowIso();
    TRACKOPS_RETURN_IF_ERROR(
        Watermark(absl::StrCat(chunk_id_, "-open"), "snapshot-window-open",
                  absl::StrCat("{\"openWindowTimestamp\": \"", opened, "\"}")));
    TRACKOPS_ASSIGN_OR_RETURN(replication::PgResult rows, conn_->ExecParams(sql, params));
    TRACKOPS_RETURN_IF_ERROR(
        Watermark(absl::StrCat(chunk_id_, "-close"), "snapshot-window-close",
                  absl::StrCat("{\"openWindowTimestamp\": \"", opened,
                               "\", \"closeWindowTimestamp\": \"", NowIso(), "\"}")));
    window_table_ = t.relation_id;
    ++chunks_;
    for (int r = 0; r < rows.rows(); ++r) {
      BufferedRow row;
      for (int c = 0; c < rows.columns(); ++c) {
        if (rows.IsNull(r, c)) {
          row.values.emplace_back();
        } else {
          row.values.emplace_back(std::string(rows.Get(r, c)));
        }
      }
      key_scratch_.clear();
      for (size_t k : t.key) {
        const std::optional<std::string>& v = row.values[k];
        std::string_view text = v.has_value() ? std::string_view(*v) : std::string_view();
        AppendIdentityColumn(&key_scratch_, v.has_value() ? &text : nullptr);
      }
      buffer_keys_.emplace(key_scratch_, buffer_.size());
      buffer_.push_back(std::move(row));
    }
    if (rows.rows() == 0) {
      // Nothing left: the watermarks just written close an empty window.
      chunk_id_.clear();
      FinishTable();
      continue;
    }
    last_key_.clear();
    for (size_t k : t.key) last_key_.push_back(*buffer_.back().values[k]);
    table_done_after_chunk_ =
        rows.rows() < config_.incremental_snapshot_chunk_size || last_key_ == max_key_;
    return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status IncrementalSnapshot::EmitChunk(const event::ChangeContext& context, Emit emit) {
  event::ChangeContext read = context;
  read.snapshot = event::SnapshotMarker::kIncremental;
  read.transaction = nullptr;
  const PreparedTable& t = *current_;
  for (const BufferedRow& row : buffer_) {
    if (row.dropped) continue;
    columns_.clear();
    for (const std::optional<std::string>& v : row.values) {
      columns_.push_back(v.has_value() ? pgoutput::TupleColumn{pgoutput::TupleKind::kText, *v}
                                       : pgoutput::TupleColumn{});
    }
    read.processing_time_ns = absl::GetCurrentTimeNanos();
    absl::Status s = encoder_.EncodeRead(*t.encoding, pgoutput::Tuple(columns_), read, emit);
    if (!s.ok()) {
      return absl::DataLossError(
          absl::StrCat("incremental snapshot of table ", t.name, ": ", s.message()));
    }
    ++rows_;
    ++table_rows_;
  }
  buffer_.clear();
  buffer_keys_.clear();
  chunk_id_.clear();
  emitted_key_ = last_key_;
  if (table_done_after_chunk_) {
    FinishTable();
    return absl::OkStatus();
  }
  const Clock::time_point now = Clock::now();
  if (now >= next_progress_) {
    next_progress_ = now + kProgressInterval;
    Log(LogLevel::kInfo, "incremental snapshot: %s: %s", t.name,
        DescribeProgress(table_rows_, t.estimated_rows, now - table_started_));
  }
  return absl::OkStatus();
}

IncrementalSnapshot::TableProgress IncrementalSnapshot::progress() const {
  TableProgress p;
  p.tables_queued = queue_.size();
  if (!current_.has_value()) return p;
  p.rows = table_rows_;
  p.estimated_rows = current_->estimated_rows;
  p.elapsed = Clock::now() - table_started_;
  return p;
}

}  // namespace trackops::snapshot
