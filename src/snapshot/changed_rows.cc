#include "snapshot/changed_rows.h"

#include <libpq-fe.h>

#include <chrono>
#include <optional>
#include <span>
#include <thread>

#include "absl/strings/str_cat.h"
#include "pgoutput/decoder.h"
#include "replication/pg_error.h"
#include "snapshot/captured_tables.h"
#include "util/log.h"
#include "util/status_macros.h"
#include "util/string_view.h"

namespace trackops::snapshot {
namespace {

constexpr int kFetchRows = 10000;
constexpr std::chrono::milliseconds kFlushPollInterval(5);
constexpr std::chrono::seconds kFlushWaitLimit(60);

// Where a table's identity columns are in its Relation message.
struct RelationIdentity {
  std::string table;              // schema.table; empty: not wanted.
  std::vector<size_t> positions;  // Into the tuple.
};

absl::StatusOr<PGresult*> ExecBinary(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexecParams(conn, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr,
                             /*resultFormat=*/1);
  const ExecStatusType status = PQresultStatus(r);
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return r;
  absl::Status error = replication::ResultError(conn, r, "reading the slot's pending changes");
  PQclear(r);
  if (replication::SqlStateOf(error) == "55006") {
    return absl::UnavailableError(error.message());  // The slot is in use.
  }
  return error;
}

// The slot's changes can be decoded only as far as the WAL is flushed, and
// with asynchronous commit (synchronous_commit=off) a transaction is visible
// before its WAL is: the WAL writer flushes it within three times
// wal_writer_delay (at most 10 s). A change committed before `upto` that the
// peek did not see would be read by the snapshot and streamed as well.
absl::Status WaitForFlushedWal(replication::PgConnection& conn, Lsn upto) {
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + kFlushWaitLimit;
  for (;;) {
    TRACKOPS_ASSIGN_OR_RETURN(replication::PgResult r,
                              conn.Exec("SELECT pg_current_wal_flush_lsn()::text"));
    std::optional<Lsn> flushed = Lsn::Parse(ToStd(r.Get(0, 0)));
    if (!flushed.has_value()) {
      return absl::InternalError(absl::StrCat("unexpected WAL position '", r.Get(0, 0), "'"));
    }
    const auto now = std::chrono::steady_clock::now();
    if (*flushed >= upto) {
      if (now - started >= std::chrono::seconds(1)) {
        Log(LogLevel::kInfo, "snapshot: waited %.1f s for the server to flush its WAL up to %s",
            std::chrono::duration<double>(now - started).count(), upto.ToString());
      }
      return absl::OkStatus();
    }
    if (now >= deadline) {
      return absl::UnavailableError(
          absl::StrCat("the server has not flushed its WAL up to ", upto.ToString(), " after ",
                       std::chrono::duration_cast<std::chrono::seconds>(kFlushWaitLimit).count(),
                       " s (flushed up to ", flushed->ToString(),
                       "): the changes pending in the slot cannot be read before it has"));
    }
    std::this_thread::sleep_for(kFlushPollInterval);
  }
}

}  // namespace

bool AppendTupleIdentity(std::string* identity, std::span<const size_t> positions,
                         pgoutput::Tuple row, pgoutput::Tuple old) {
  for (size_t p : positions) {
    if (p >= row.size()) return false;
    const pgoutput::TupleColumn* c = &row[p];
    if (c->kind == pgoutput::TupleKind::kUnchangedToast) {
      if (p >= old.size() || old[p].kind != pgoutput::TupleKind::kText) return false;
      c = &old[p];
    }
    if (c->kind == pgoutput::TupleKind::kNull) {
      AppendIdentityColumn(identity, nullptr);
    } else if (c->kind == pgoutput::TupleKind::kText) {
      AppendIdentityColumn(identity, &c->data);
    } else {
      return false;
    }
  }
  return true;
}

void AppendIdentityColumn(std::string* identity, const std::string_view* text) {
  if (text == nullptr) {
    identity->push_back('n');
    return;
  }
  // Length-prefixed, so that no two column lists make the same string.
  const uint32_t n = static_cast<uint32_t>(text->size());
  identity->push_back('t');
  identity->append(reinterpret_cast<const char*>(&n), sizeof n);
  identity->append(*text);
}

void ChangedRows::Add(std::string_view table, std::string identity) {
  ++tables_[ToAbsl(table)][std::move(identity)];
  ++rows_;
}

bool ChangedRows::HasTable(std::string_view table) const { return tables_.contains(ToAbsl(table)); }

bool ChangedRows::Take(std::string_view table, std::string_view identity) {
  auto t = tables_.find(ToAbsl(table));
  if (t == tables_.end()) return false;
  auto row = t->second.find(ToAbsl(identity));
  if (row == t->second.end()) return false;
  if (--row->second == 0) t->second.erase(row);
  return true;
}

absl::StatusOr<ChangedRows> CollectChangedRows(replication::PgConnection& conn,
                                               const PeekOptions& options,
                                               const std::vector<IdentifiedTable>& tables) {
  ChangedRows changed;
  if (tables.empty()) return changed;
  absl::flat_hash_map<std::string, const IdentifiedTable*> wanted;
  for (const IdentifiedTable& t : tables) wanted[t.name] = &t;

  TRACKOPS_RETURN_IF_ERROR(WaitForFlushedWal(conn, options.upto));
  TRACKOPS_RETURN_IF_ERROR(conn.Exec("BEGIN").status());
  TRACKOPS_RETURN_IF_ERROR(SetWalsenderOutput(conn, /*local=*/true));
  // Protocol 1 in text: whole transactions at their commit, values as text.
  TRACKOPS_RETURN_IF_ERROR(
      conn.Exec(absl::StrCat("DECLARE trackops_window NO SCROLL CURSOR FOR SELECT data FROM "
                             "pg_logical_slot_peek_binary_changes(",
                             conn.QuoteLiteral(options.slot), ", ",
                             conn.QuoteLiteral(options.upto.ToString()),
                             "::pg_lsn, NULL, 'proto_version', '1', 'publication_names', ",
                             conn.QuoteLiteral(conn.QuoteIdentifier(options.publication)), ")"))
          .status());
  TRACKOPS_ASSIGN_OR_RETURN(auto decoder, pgoutput::Decoder::Create({.protocol_version = 1}));
  absl::flat_hash_map<uint32_t, RelationIdentity> relations;
  const std::string fetch = absl::StrCat("FETCH FORWARD ", kFetchRows, " FROM trackops_window");
  uint64_t messages = 0;
  for (;;) {
    absl::StatusOr<PGresult*> batch = ExecBinary(conn.raw(), fetch);
    if (!batch.ok()) {
      (void)conn.Exec("ROLLBACK");
      return batch.status();
    }
    replication::PgResult result(*batch);
    if (result.rows() == 0) break;
    for (int i = 0; i < result.rows(); ++i, ++messages) {
      const auto* bytes = reinterpret_cast<const uint8_t*>(PQgetvalue(result.raw(), i, 0));
      std::span<const uint8_t> data(bytes, static_cast<size_t>(PQgetlength(result.raw(), i, 0)));
      pgoutput::Message message;
      absl::Status decoded = decoder->Decode(data, &message);
      if (!decoded.ok()) {
        (void)conn.Exec("ROLLBACK");
        return absl::DataLossError(absl::StrCat("the slot's pending change ", messages + 1,
                                                " does not decode: ", decoded.message()));
      }
      if (const auto* rel = std::get_if<pgoutput::Relation>(&message)) {
        RelationIdentity& r = relations[rel->relation_id.value()];
        r = RelationIdentity{};
        auto t =
            wanted.find(absl::StrCat(ToAbsl(rel->schema_name), ".", ToAbsl(rel->relation_name)));
        if (t == wanted.end()) continue;
        r.table = t->second->name;
        for (const std::string& column : t->second->identity_columns) {
          size_t p = 0;
          while (p < rel->columns.size() && rel->columns[p].name != column) ++p;
          if (p == rel->columns.size()) {
            // A column the stream does not carry: no row of it can be told.
            r.positions.clear();
            r.table.clear();
            Log(LogLevel::kWarning,
                "snapshot: column %s of %s is not in the slot's changes; its changed rows "
                "cannot be told apart and are read again",
                column, t->second->name);
            break;
          }
          r.positions.push_back(p);
        }
        continue;
      }
      RelationId relation;
      pgoutput::Tuple row, old;
      if (const auto* insert = std::get_if<pgoutput::Insert>(&message)) {
        relation = insert->relation_id;
        row = insert->new_tuple;
      } else if (const auto* update = std::get_if<pgoutput::Update>(&message)) {
        relation = update->relation_id;
        row = update->new_tuple;
        old = update->old_tuple;
      } else {
        continue;
      }
      auto r = relations.find(relation.value());
      if (r == relations.end() || r->second.table.empty()) continue;
      std::string identity;
      if (AppendTupleIdentity(&identity, r->second.positions, row, old)) {
        changed.Add(r->second.table, std::move(identity));
      } else {
        changed.AddUnidentified();
      }
    }
  }
  TRACKOPS_RETURN_IF_ERROR(conn.Exec("COMMIT").status());
  Log(LogLevel::kInfo,
      "snapshot: %d changes pending in slot %s up to %s, %d rows of the tables still to read",
      messages, options.slot, options.upto.ToString(), changed.rows());
  if (changed.unidentified() > 0) {
    Log(LogLevel::kWarning,
        "snapshot: %d changed rows carry no identity (a key stored out of line, unchanged); "
        "they are read again and also streamed",
        changed.unidentified());
  }
  return changed;
}

}  // namespace trackops::snapshot
